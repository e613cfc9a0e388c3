/**
 * The bay takes its PKI as a prop: given material, the constructor reads no
 * store and writes nothing; without it, the default (the store under
 * pkiDir) gives the same bay.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { FLANNEL_MANIFEST_SHA256, FLANNEL_MANIFEST_URL, KubernetesBay, loadBayPki, synthesizeBayHot } from '../../lib';
import { BASE_PROPS, PKI_DIR, tmpDir } from '../helpers';

const hotOf = (bay: KubernetesBay) => synthesizeBayHot(bay).files.map((f) => [f.path, f.content]);

test('with a pki prop the bay touches no store, and synthesizes what the default path gives', () => {
  // GIVEN material loaded once from the shared store, and a pkiDir that does not exist
  const pki = loadBayPki(PKI_DIR, 'pkiprop');
  const missing = path.join(tmpDir(), 'no-store');
  // WHEN one bay gets the material, another the default path (a new bay: its record says its first master checks
  // flannel's manifest; material given in code has no record, so it opts in to the check: test/bay/flannel.test.ts)
  const flannelManifest = { url: FLANNEL_MANIFEST_URL, sha256: FLANNEL_MANIFEST_SHA256 };
  const given = new KubernetesBay(new Construct(undefined as any, 'root'), 'pkiprop', { ...BASE_PROPS, name: 'pkiprop', pkiDir: missing, pki, flannelManifest });
  const stored = new KubernetesBay(new Construct(undefined as any, 'root'), 'pkiprop', { ...BASE_PROPS, name: 'pkiprop' });
  // THEN nothing was created where pkiDir points, the material is the one given
  expect(fs.existsSync(missing)).toBe(false);
  expect(given.pki).toBe(pki);
  expect(stored.pki.caCert).toBe(pki.caCert);
  // and the HOT outputs (which read the secret files named by the material) are the same
  expect(hotOf(given)).toEqual(hotOf(stored));
});

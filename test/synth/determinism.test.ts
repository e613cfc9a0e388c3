import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_BAY } from '../../stacks/example';
import { synthesizeBay } from '../../stacks/main';
import { inTempCwd } from '../helpers';

const synth = () => synthesizeBay(EXAMPLE_BAY, { tfOutdir: 'tf', hotOutdir: 'hot' });

/** Every file below `tf` and `hot`, by relative path. */
function outputs(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, fs.readFileSync(p));
    }
  };
  walk('tf');
  walk('hot');
  return out;
}

test('synthesizing twice gives byte-identical files in both formats', () =>
  inTempCwd(() => {
    // GIVEN one working directory (one PKI store), WHEN the example is synthesized twice
    synth();
    const first = outputs();
    synth();
    const second = outputs();
    // THEN
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file)!) }).toEqual({ file, same: true });
    expect(first.size).toBeGreaterThan(5);
  }));

test('a deleted PKI store regenerates: new CA, so user data changes; an existing store is reused', () =>
  inTempCwd(() => {
    synth();
    const ca1 = fs.readFileSync('.kubebay/pki/example/ca.crt', 'utf8');
    const hot1 = fs.readFileSync('hot/example/kubemaster.yaml', 'utf8');
    fs.rmSync('.kubebay', { recursive: true });
    synth();
    expect(fs.readFileSync('.kubebay/pki/example/ca.crt', 'utf8')).not.toBe(ca1);
    expect(fs.readFileSync('hot/example/kubemaster.yaml', 'utf8')).not.toBe(hot1);
  }));

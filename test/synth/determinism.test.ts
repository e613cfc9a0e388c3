import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeBay } from '../../stacks/main';
import { EXAMPLE_BAY } from '../../stacks/example';

const main = (o: { tfOutdir: string; hotOutdir: string }) => synthesizeBay(EXAMPLE_BAY, o);
import { tmpDir } from '../helpers';

function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

test('synthesizing twice gives byte-identical files in both formats', () => {
  // GIVEN one working directory (one PKI store)
  const cwd = process.cwd();
  const work = tmpDir('kubebay-det-');
  process.chdir(work);
  try {
    // WHEN the example is synthesized twice
    main({ tfOutdir: 'tf', hotOutdir: 'hot' });
    const first = new Map([...readTree('tf')].map(([k, v]) => [`tf/${k}`, v]));
    for (const [k, v] of readTree('hot')) first.set(`hot/${k}`, v);
    main({ tfOutdir: 'tf', hotOutdir: 'hot' });
    const second = new Map([...readTree('tf')].map(([k, v]) => [`tf/${k}`, v]));
    for (const [k, v] of readTree('hot')) second.set(`hot/${k}`, v);
    // THEN
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [file, bytes] of first) expect({ file, same: bytes.equals(second.get(file)!) }).toEqual({ file, same: true });
    expect(first.size).toBeGreaterThan(5);
  } finally {
    process.chdir(cwd);
  }
});

test('a deleted PKI store regenerates: new CA, so user data changes; an existing store is reused', () => {
  const cwd = process.cwd();
  const work = tmpDir('kubebay-det2-');
  process.chdir(work);
  try {
    main({ tfOutdir: 'tf', hotOutdir: 'hot' });
    const ca1 = fs.readFileSync('.kubebay/pki/example/ca.crt', 'utf8');
    const hot1 = fs.readFileSync('hot/example/kubemaster.yaml', 'utf8');
    fs.rmSync('.kubebay', { recursive: true });
    main({ tfOutdir: 'tf', hotOutdir: 'hot' });
    expect(fs.readFileSync('.kubebay/pki/example/ca.crt', 'utf8')).not.toBe(ca1);
    expect(fs.readFileSync('hot/example/kubemaster.yaml', 'utf8')).not.toBe(hot1);
  } finally {
    process.chdir(cwd);
  }
});

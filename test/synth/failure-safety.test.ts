/**
 * Failure safety: a synth that fails — in validation, while writing, or
 * while swapping the new outputs in — leaves the previous outputs as they
 * were and no staging or temporary file behind; a single file is never
 * half written.
 *
 * Failures are injected with spies on `fs` (the tests run as root, so
 * read-only modes would not stop a write).
 */
import fs = require('node:fs');
import * as path from 'node:path';
import { writeFileAtomic, writeStagedFiles } from '../../lib';
import * as rulesModule from '../../lib/security/rules';
import { OUTPUT_MARKER, replaceDir, replaceDirs } from '../../lib/synth/outdir';
import { tmpDir } from '../helpers';
import { asValidationError, leftovers, runPipeline, thrownBy, tree, Workspace, workspaceWithPreviousOutputs } from '../support/validation';

type FsMethod = 'renameSync' | 'writeFileSync';

/** Makes the `n`th call (1-based) of `fs[method]` from now on throw EIO; the others pass through. Returns the call counter. */
function failOnCall(method: FsMethod, n: number): { calls: () => number } {
  const real = fs[method] as (...args: unknown[]) => unknown;
  let calls = 0;
  jest.spyOn(fs, method).mockImplementation(((...args: unknown[]) => {
    calls++;
    if (calls === n) throw Object.assign(new Error(`injected ${method} failure on call ${n}`), { code: 'EIO' });
    return real.apply(fs, args);
  }) as never);
  return { calls: () => calls };
}

/** A workspace whose previous outputs are a real earlier synth of the bay, plus an unrelated file. */
function workspaceAfterOneSynth(): Workspace {
  const ws = workspaceWithPreviousOutputs();
  runPipeline(ws, { minionCount: 1 });
  fs.writeFileSync(path.join(ws.hotOutdir, 'demo', 'operator-notes.txt'), 'kept\n');
  return ws;
}

/** How often a successful synth calls each method (the PKI is already in the store). */
const callCounts = (() => {
  let counts: Record<FsMethod, number> | undefined;
  return (): Record<FsMethod, number> => {
    if (counts) return counts;
    const ws = workspaceAfterOneSynth();
    const rename = failOnCall('renameSync', 0);
    const write = failOnCall('writeFileSync', 0);
    runPipeline(ws, {});
    counts = { renameSync: rename.calls(), writeFileSync: write.calls() };
    jest.restoreAllMocks();
    return counts;
  };
})();

afterEach(() => jest.restoreAllMocks());

describe('the pipeline (stacks/main.ts) under failures', () => {
  test('a successful synth renames every file into place and commits both directories', () => {
    // (the premise of the cases below: there are writes and renames to fail)
    const counts = callCounts();
    expect(counts.renameSync).toBe(4); // 2 dirs × (old aside + staging in); files are written into the staging dirs directly
    expect(counts.writeFileSync).toBeGreaterThanOrEqual(2 + 5); // cdk.tf.json, manifest.json, the HOT files
  });

  const cases = (method: FsMethod): [string, (total: number) => number][] => [
    ['the first call', () => 1],
    ['a call in the middle', (total) => Math.ceil(total / 2)],
    ['the second-to-last call', (total) => total - 1],
    ['the last call', (total) => total],
    ...(method === 'renameSync'
      ? ([
          ['moving the old Terraform dir aside', (total) => total - 3],
          ['moving the Terraform staging dir in', (total) => total - 2],
        ] as [string, (total: number) => number][])
      : []),
  ];

  for (const method of ['renameSync', 'writeFileSync'] as const) {
    test.each(cases(method))(`${method} failing on %s: previous outputs intact, nothing left behind`, (_what, nth) => {
      // GIVEN previous outputs of an earlier synth
      const ws = workspaceAfterOneSynth();
      const before = tree(ws.root);
      const n = nth(callCounts()[method]);
      // WHEN the next synth (different props) hits a failing write
      failOnCall(method, n);
      const err = thrownBy(() => runPipeline(ws, { minionCount: 3 }));
      jest.restoreAllMocks();
      // THEN the injected error surfaces ...
      expect(String(err)).toMatch(`injected ${method} failure on call ${n}`);
      // ... the previous outputs are byte for byte as they were, with no staging, old or temp files
      expect(leftovers(ws.root)).toEqual([]);
      expect(tree(ws.root)).toEqual(before);
    });
  }

  test('a synth-time check failing (a world-open etcd rule) writes nothing', () => {
    // GIVEN
    const ws = workspaceAfterOneSynth();
    const before = tree(ws.root);
    const real = rulesModule.deriveRules;
    jest.spyOn(rulesModule, 'deriveRules').mockImplementation((t) => [
      ...real(t),
      { id: 'master-from-world-tcp-2379', group: 'master', protocol: 'tcp', ports: [2379, 2379], peer: { cidr: '::/0' }, purpose: 'injected' },
    ]);
    // WHEN
    const err = asValidationError(thrownBy(() => runPipeline(ws, { minionCount: 3 })));
    // THEN
    expect(err.errors).toEqual([expect.stringMatching(/^\[demo\/demo\/security\] security rule master-from-world-tcp-2379 opens etcd client port 2379 to ::\/0; /)]);
    expect(tree(ws.root)).toEqual(before);
  });

  test('after a failure, the next synth succeeds and replaces the outputs', () => {
    // GIVEN a failed synth
    const ws = workspaceAfterOneSynth();
    failOnCall('renameSync', callCounts().renameSync);
    expect(() => runPipeline(ws, { minionCount: 3 })).toThrow(/injected/);
    jest.restoreAllMocks();
    // WHEN
    const r = runPipeline(ws, { minionCount: 3 });
    // THEN
    const json = JSON.parse(fs.readFileSync(path.join(r.tfDir, 'cdk.tf.json'), 'utf8'));
    expect(json.variable.demo_number_of_minions.default).toBe(3);
    expect(fs.existsSync(path.join(r.hotDir, 'operator-notes.txt'))).toBe(false); // replaced whole
    expect(leftovers(ws.root)).toEqual([]);
  });
});

describe('replaceDir / replaceDirs', () => {
  const setup = () => {
    const root = tmpDir('kubebay-outdir-');
    const a = path.join(root, 'a');
    const b = path.join(root, 'nested', 'b');
    fs.mkdirSync(a);
    fs.writeFileSync(path.join(a, 'old.txt'), 'old a');
    fs.writeFileSync(path.join(a, OUTPUT_MARKER), ''); // written by kubebay: replaceable
    return { root, a, b };
  };

  test('an error in the writer leaves the directory untouched and removes the staging dir', () => {
    const { root, a } = setup();
    const before = tree(root);
    expect(() =>
      replaceDir(a, (staging) => {
        fs.writeFileSync(path.join(staging, 'new.txt'), 'new');
        throw new Error('writer failed');
      }),
    ).toThrow('writer failed');
    expect(tree(root)).toEqual(before);
  });

  test('two directories are replaced together; a failed swap of the second puts the first back', () => {
    // GIVEN a (existing) and b (new)
    const { root, a, b } = setup();
    const before = tree(root);
    // WHEN the last rename (b's staging dir into place) fails
    let renames = 0;
    const real = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation(((from: fs.PathLike, to: fs.PathLike) => {
      if (++renames === 3) throw new Error('swap failed');
      return real(from, to);
    }) as never);
    expect(() =>
      replaceDirs((stage) => {
        fs.writeFileSync(path.join(stage(a), 'new.txt'), 'new a');
        fs.writeFileSync(path.join(stage(b), 'new.txt'), 'new b');
      }),
    ).toThrow('swap failed');
    jest.restoreAllMocks();
    // THEN a has its old content again and b does not exist, no staging/old dirs (b's parent was created)
    expect(tree(root)).toEqual(new Map([...before, ['nested', '<dir>']]));
    // WHEN it runs again without failure
    replaceDirs((stage) => {
      fs.writeFileSync(path.join(stage(a), 'new.txt'), 'new a');
      fs.writeFileSync(path.join(stage(b), 'new.txt'), 'new b');
    });
    // THEN both are replaced (each with its marker and .gitignore)
    const meta = (p: string) => ['.gitignore', OUTPUT_MARKER].includes(path.basename(p));
    expect([...tree(root).keys()].filter(meta).sort()).toEqual(['a/.gitignore', `a/${OUTPUT_MARKER}`, 'nested/b/.gitignore', `nested/b/${OUTPUT_MARKER}`]);
    expect(new Map([...tree(root)].filter(([p]) => !meta(p)))).toEqual(
      new Map([
        ['a', '<dir>'],
        ['a/new.txt', 'new a'],
        ['nested', '<dir>'],
        ['nested/b', '<dir>'],
        ['nested/b/new.txt', 'new b'],
      ]),
    );
  });

  test('a failure removing the previous directory after the swap does not fail the commit', () => {
    const { a } = setup();
    const real = fs.rmSync;
    jest.spyOn(fs, 'rmSync').mockImplementation(((p: fs.PathLike, o?: fs.RmOptions) => {
      if (String(p).includes('.old-') && fs.existsSync(p)) throw new Error('rm failed');
      return real(p, o);
    }) as never);
    replaceDir(a, (staging) => fs.writeFileSync(path.join(staging, 'new.txt'), 'new'));
    jest.restoreAllMocks();
    expect(fs.readFileSync(path.join(a, 'new.txt'), 'utf8')).toBe('new');
    // the stray old dir goes with the next commit
    replaceDir(a, (staging) => fs.writeFileSync(path.join(staging, 'new.txt'), 'newer'));
    expect(leftovers(path.dirname(a))).toEqual([]);
  });

  test('overlapping output directories are refused before anything is written', () => {
    const { root, a } = setup();
    const before = tree(root);
    expect(() => replaceDirs((stage) => [stage(a), stage(path.join(a, 'inner'))])).toThrow(/overlap/);
    expect(tree(root)).toEqual(before);
  });
});

describe('writeFileAtomic', () => {
  const setup = () => {
    const dir = tmpDir('kubebay-atomic-');
    const file = path.join(dir, 'kubecluster.yaml');
    fs.writeFileSync(file, 'old content\n');
    return { dir, file };
  };

  test('a write that dies half way leaves the old file and no temp file', () => {
    // GIVEN a disk that fills up after 10 bytes
    const { dir, file } = setup();
    const real = fs.writeFileSync;
    jest.spyOn(fs, 'writeFileSync').mockImplementation(((p: fs.PathOrFileDescriptor, data: string, o?: fs.WriteFileOptions) => {
      real(p, data.slice(0, 10), o);
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as never);
    // WHEN
    expect(() => writeFileAtomic(file, 'new content that is longer\n')).toThrow(/ENOSPC/);
    // THEN
    jest.restoreAllMocks();
    expect(fs.readdirSync(dir)).toEqual(['kubecluster.yaml']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old content\n');
  });

  test.each(['renameSync', 'fchmodSync', 'fsyncSync'] as const)('%s failing: the old file stays, the temp file is removed', (method) => {
    const { dir, file } = setup();
    jest.spyOn(fs, method).mockImplementation((() => {
      throw new Error(`${method} failed`);
    }) as never);
    expect(() => writeFileAtomic(file, 'new\n')).toThrow(`${method} failed`);
    jest.restoreAllMocks();
    expect(fs.readdirSync(dir)).toEqual(['kubecluster.yaml']);
    expect(fs.readFileSync(file, 'utf8')).toBe('old content\n');
  });

  test('a new file that cannot be completed does not appear at all', () => {
    const { dir } = setup();
    const target = path.join(dir, 'stack-create.json');
    jest.spyOn(fs, 'renameSync').mockImplementation((() => {
      throw new Error('rename failed');
    }) as never);
    expect(() => writeFileAtomic(target, '{}\n')).toThrow('rename failed');
    jest.restoreAllMocks();
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['kubecluster.yaml']);
  });

  test('success: the full content with the requested mode, no temp file', () => {
    const { dir, file } = setup();
    writeFileAtomic(file, 'new content\n', 0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('new content\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['kubecluster.yaml']);
  });
});

describe('writeStagedFiles (the files of a staging directory renamed into place whole)', () => {
  test('writes each file with its mode whatever the umask, creates parents, and fsyncs nothing', () => {
    const dir = tmpDir('kubebay-staged-');
    const fsync = jest.spyOn(fs, 'fsyncSync');
    const previous = process.umask(0o077);
    try {
      writeStagedFiles(dir, [
        { path: 'kubecluster.yaml', content: 'a: 1\n' },
        { path: 'nested/secrets.env.yaml', content: 'b: 2\n', mode: 0o600 },
      ]);
    } finally {
      process.umask(previous);
    }
    expect(fsync).not.toHaveBeenCalled();
    jest.restoreAllMocks();
    expect(fs.readFileSync(path.join(dir, 'kubecluster.yaml'), 'utf8')).toBe('a: 1\n');
    expect(fs.statSync(path.join(dir, 'kubecluster.yaml')).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(dir, 'nested/secrets.env.yaml')).mode & 0o777).toBe(0o600);
  });

  test('refuses to overwrite a file already in the staging directory', () => {
    const dir = tmpDir('kubebay-staged-');
    writeStagedFiles(dir, [{ path: 'a', content: '1' }]);
    expect(() => writeStagedFiles(dir, [{ path: 'a', content: '2' }])).toThrow(/EEXIST/);
    expect(fs.readFileSync(path.join(dir, 'a'), 'utf8')).toBe('1');
  });
});

/**
 * Helpers of the validation and failure-safety tests: the real two-format
 * pipeline of stacks/main.ts (`synthesizeBay`) run into a fresh directory
 * that holds a previous output, and a byte-exact picture of that directory.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BayValidationError, KubernetesBayProps } from '../../lib';
import { OUTPUT_MARKER } from '../../lib/synth/outdir';
import { synthesizeBay } from '../../stacks/main';
import { BASE_PROPS, tmpDir } from '../helpers';

/** Every file and directory below `root`: relative path → content ('<dir>' for directories). */
export function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full);
      if (e.isDirectory()) {
        out.set(rel, '<dir>');
        walk(full);
      } else {
        out.set(rel, fs.readFileSync(full, 'utf8'));
      }
    }
  };
  walk(root);
  return out;
}

/** Paths below `root` that look like leftovers of an interrupted write. */
export function leftovers(root: string): string[] {
  return [...tree(root).keys()].filter((p) => /\.staging-|\.old-|\.tmp$|\.creating-/.test(p));
}

export interface Workspace {
  readonly root: string;
  readonly tfOutdir: string;
  readonly hotOutdir: string;
}

/**
 * A fresh directory with a previous output in both places: `tf/` (a stack
 * of an earlier synth) and `hot/<name>/` for the bay names the tests use.
 */
export function workspaceWithPreviousOutputs(names: readonly string[] = ['demo']): Workspace {
  const root = tmpDir('kubebay-ws-');
  const tfOutdir = path.join(root, 'tf');
  const hotOutdir = path.join(root, 'hot');
  fs.mkdirSync(path.join(tfOutdir, 'stacks', 'old'), { recursive: true });
  fs.writeFileSync(path.join(tfOutdir, 'stacks', 'old', 'cdk.tf.json'), '{"previous": true}\n');
  fs.writeFileSync(path.join(tfOutdir, 'manifest.json'), '{"previous": "manifest"}\n');
  fs.writeFileSync(path.join(tfOutdir, OUTPUT_MARKER), '');
  for (const name of names) {
    fs.mkdirSync(path.join(hotOutdir, name), { recursive: true });
    fs.writeFileSync(path.join(hotOutdir, name, OUTPUT_MARKER), '');
    fs.writeFileSync(path.join(hotOutdir, name, 'kubecluster.yaml'), `# previous template of ${name}\n`);
  }
  fs.writeFileSync(path.join(hotOutdir, 'README.txt'), 'not kubebay output\n');
  return { root, tfOutdir, hotOutdir };
}

/** Runs stacks/main.ts's pipeline on `BASE_PROPS` overridden by `props` (keys set to undefined are removed). */
export function runPipeline(ws: Workspace, props: Record<string, unknown>): ReturnType<typeof synthesizeBay> {
  const merged: Record<string, unknown> = { ...BASE_PROPS, ...props };
  for (const k of Object.keys(merged)) if (merged[k] === undefined && k in props) delete merged[k];
  return synthesizeBay(merged as unknown as KubernetesBayProps, { tfOutdir: ws.tfOutdir, hotOutdir: ws.hotOutdir });
}

/** The error `fn` throws (fails the test when it returns). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** `e` as a BayValidationError, or a failed expectation showing what it was instead. */
export function asValidationError(e: unknown): BayValidationError {
  expect(e).toBeInstanceOf(BayValidationError);
  return e as BayValidationError;
}

/** The messages of `err` about `prop` (`[path] prop: ...` or `[path] prop.key: ...`). */
export function messagesAbout(err: BayValidationError, prop: string): string[] {
  const re = new RegExp(`^\\[[^\\]]+\\] ${prop.replace(/[.]/g, '\\.')}[.:]`);
  return err.errors.filter((m) => re.test(m));
}

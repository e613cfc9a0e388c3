/**
 * Output directories that are replaced whole or not at all: synthesis writes
 * into a staging sibling (same depth, so relative paths inside the outputs
 * are the same) and swaps it in only after everything succeeded.
 *
 * Only directories kubebay wrote are ever replaced: each carries a marker
 * file ({@link OUTPUT_MARKER}); an existing directory without it (and
 * without the look of an earlier kubebay output) is refused, as are
 * dangerous targets (the filesystem root, the home directory, the working
 * directory or one of its ancestors). Terraform's own files in the previous
 * outputs (`.terraform/`, `.terraform.lock.hcl`, `*.tfstate*`) are carried
 * into the new ones. Debris of killed runs (`<dir>.staging-<pid>`,
 * `<dir>.old-<pid>` of dead processes) is cleaned before staging.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessAlive } from '../core/process';
import { FileError } from '../core/errors';

/** Name of the marker file in every directory kubebay writes (and may replace). */
export const OUTPUT_MARKER = '.kubebay-output';
const MARKER_TEXT = '# Written by kubebay: this directory is replaced on every synth.\n# Terraform files (.terraform/, .terraform.lock.hcl, *.tfstate*) are carried over.\n';

/** `.gitignore` of every output directory: Terraform state and working files, and the 0600 secret files, are never committed. */
const OUTPUT_GITIGNORE = '# Written by kubebay.\n*.tfstate*\n.terraform/\nsecrets.env.yaml\nkubeconfig\n';

/** Entries of a previous output tree that belong to Terraform, not to kubebay: kept on re-synth. */
function isKeptEntry(name: string): boolean {
  return name === '.terraform' || name === '.terraform.lock.hcl' || name === 'terraform.tfstate.d' || name.includes('.tfstate');
}

/** Directory and file modes of outputs, whatever the umask. */
const OUTPUT_DIR_MODE = 0o755;
const OUTPUT_FILE_MODE = 0o644;

/**
 * Throws if `dir` is a dangerous target for a directory that gets replaced:
 * empty, the filesystem root, the home directory, or the working directory
 * or one of its ancestors (or the home's).
 */
export function assertSafeOutputDir(dir: string, what = 'output directory'): void {
  if (dir.trim() === '') throw new FileError(`the ${what} is empty; give a directory such as 'out'`);
  const abs = path.resolve(dir);
  const contains = (outer: string, inner: string) => inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
  const reasons: [boolean, string][] = [
    [abs === path.parse(abs).root, 'is the filesystem root'],
    [contains(abs, os.homedir()), 'is the home directory or one of its ancestors'],
    [contains(abs, process.cwd()), 'is the working directory or one of its ancestors'],
  ];
  const hit = reasons.find(([bad]) => bad);
  if (hit) throw new FileError(`refusing to replace ${abs}: the ${what} ${hit[1]}; give a dedicated directory such as 'out'`);
}

/** Throws unless `dir` is absent, empty, or was written by kubebay (marker, or an earlier cdktf/HOT output). */
function assertReplaceable(dir: string): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    return; // absent
  }
  if (!st.isDirectory()) throw new FileError(`refusing to replace ${dir}: it is not a directory kubebay wrote; remove it or choose another output directory`);
  const names = fs.readdirSync(dir);
  if (names.length === 0 || names.includes(OUTPUT_MARKER) || looksLikeEarlierOutput(dir, names)) return;
  throw new FileError(
    `refusing to replace ${dir}: it holds files kubebay did not write (no ${OUTPUT_MARKER} marker: ${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}); ` +
      'choose another output directory, or move those files away',
  );
}

/** Outputs of kubebay versions before the marker: a cdktf outdir (manifest.json + stacks/) or a HOT set (a heat_template_version YAML). */
function looksLikeEarlierOutput(dir: string, names: readonly string[]): boolean {
  if (names.includes('manifest.json') && names.includes('stacks')) return true;
  // A cdktf App makes `<outdir>/stacks/` when constructed: nothing in it to lose.
  if (names.length === 1 && names[0] === 'stacks' && isEmptyDir(path.join(dir, 'stacks'))) return true;
  return names.some((n) => n.endsWith('.yaml') && fs.readFileSync(path.join(dir, n), 'utf8').slice(0, 200).includes('heat_template_version'));
}

function isEmptyDir(dir: string): boolean {
  const st = fs.lstatSync(dir);
  return st.isDirectory() && fs.readdirSync(dir).length === 0;
}

/** Removes the debris of killed runs next to `abs`: staging dirs, and old dirs (put back if the final dir is missing). */
function cleanDebris(abs: string): void {
  const parent = path.dirname(abs);
  const base = path.basename(abs);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^(.*)\.(staging|old)-(\d+)$/.exec(n);
    if (!m || m[1] !== base || isProcessAlive(Number(m[3]))) continue;
    const p = path.join(parent, n);
    if (m[2] === 'old' && !fs.existsSync(abs)) fs.renameSync(p, abs); // killed between the two renames of a swap
    else fs.rmSync(p, { recursive: true, force: true });
  }
}

/** `mkdir -p` whose new directories get `mode` whatever the umask. */
function mkdirs(dir: string, mode = OUTPUT_DIR_MODE): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d) && d !== path.dirname(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      continue;
    }
    fs.chmodSync(d, mode);
  }
}

/** A staging directory next to `finalDir`, created empty (after the checks and the debris cleanup). */
function stagingDir(finalDir: string): string {
  const abs = path.resolve(finalDir);
  assertSafeOutputDir(abs);
  cleanDebris(abs);
  assertReplaceable(abs);
  const staging = `${abs}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  mkdirs(staging);
  return staging;
}

/** Modes whatever the umask: dirs 0755, files 0600 if written private, else 0644. Never follows symlinks. */
function normalizeModes(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      fs.chmodSync(p, OUTPUT_DIR_MODE);
      normalizeModes(p);
    } else if (e.isFile()) {
      const mode = fs.lstatSync(p).mode & 0o777;
      fs.chmodSync(p, (mode & 0o077) === 0 ? 0o600 : OUTPUT_FILE_MODE);
    }
  }
}

/** Hard-links (directories: recreates and links their files) Terraform's entries of `from` into `to`, up to `depth` levels down. */
function carryKept(from: string, to: string, depth = 3): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(from, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const [src, dst] = [path.join(from, e.name), path.join(to, e.name)];
    if (isKeptEntry(e.name)) {
      if (!fs.existsSync(dst)) linkTree(src, dst);
    } else if (e.isDirectory() && depth > 0 && fs.existsSync(dst)) {
      carryKept(src, dst, depth - 1);
    }
  }
}

function linkTree(src: string, dst: string): void {
  const st = fs.lstatSync(src);
  if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
  else if (st.isDirectory()) {
    fs.mkdirSync(dst, { mode: st.mode & 0o777 });
    for (const n of fs.readdirSync(src)) linkTree(path.join(src, n), path.join(dst, n));
  } else fs.linkSync(src, dst);
}

interface Staged {
  readonly staging: string;
  readonly finalDir: string;
}

/** Marker, modes and Terraform's kept files into each staging dir: the last steps before the swap. */
function finishStaging(staged: readonly Staged[]): void {
  for (const { staging, finalDir } of staged) {
    fs.writeFileSync(path.join(staging, OUTPUT_MARKER), MARKER_TEXT, { mode: OUTPUT_FILE_MODE });
    if (!fs.existsSync(path.join(staging, '.gitignore'))) fs.writeFileSync(path.join(staging, '.gitignore'), OUTPUT_GITIGNORE, { mode: OUTPUT_FILE_MODE });
    normalizeModes(staging);
    fs.chmodSync(staging, OUTPUT_DIR_MODE);
    carryKept(path.resolve(finalDir), staging);
  }
}

/**
 * Swaps every staging dir into place. On an error, the dirs already swapped
 * are swapped back (in reverse order), so either all are replaced or none is.
 */
function commitDirs(staged: readonly Staged[]): void {
  const done: { final: string; old?: string; staging: string }[] = [];
  try {
    for (const { staging, finalDir } of staged) {
      const abs = path.resolve(finalDir);
      const old = `${abs}.old-${process.pid}`;
      mkdirs(path.dirname(abs));
      fs.rmSync(old, { recursive: true, force: true });
      const hadOld = fs.existsSync(abs);
      if (hadOld) fs.renameSync(abs, old);
      try {
        fs.renameSync(staging, abs);
      } catch (e) {
        if (hadOld) fs.renameSync(old, abs);
        throw e;
      }
      done.push({ final: abs, old: hadOld ? old : undefined, staging });
    }
  } catch (e) {
    for (const d of done.reverse()) {
      fs.renameSync(d.final, d.staging); // the caller removes staging dirs
      if (d.old) fs.renameSync(d.old, d.final);
    }
    throw e;
  }
  // Committed: the previous outputs go. A failure here leaves a stray `.old-<pid>` dir, not a failed synth.
  for (const d of done) {
    try {
      if (d.old) fs.rmSync(d.old, { recursive: true, force: true });
    } catch {
      // the next commit of this directory removes it
    }
  }
}

/** Runs `write(staging)` and commits the result into `finalDir`; on error the staging dir is removed and `finalDir` untouched. */
export function replaceDir<T>(finalDir: string, write: (staging: string) => T): T {
  return replaceDirs((stage) => write(stage(finalDir)));
}

/**
 * Runs `write(stage)`, where `stage(finalDir)` returns a fresh staging dir
 * for `finalDir`, and commits every staged dir together once `write`
 * returned: all outputs are replaced, or — on any error, in `write` or in
 * the swap — none is, and no staging dir remains.
 */
export function replaceDirs<T>(write: (stage: (finalDir: string) => string) => T): T {
  const staged: Staged[] = [];
  try {
    const result = write((finalDir) => {
      const abs = path.resolve(finalDir);
      const clash = staged.find((s) => s.finalDir === abs || abs.startsWith(s.finalDir + path.sep) || s.finalDir.startsWith(abs + path.sep));
      if (clash) throw new FileError(`output directories ${clash.finalDir} and ${abs} overlap; give separate directories`);
      const staging = stagingDir(abs);
      staged.push({ staging, finalDir: abs });
      return staging;
    });
    finishStaging(staged);
    commitDirs(staged);
    return result;
  } finally {
    for (const s of staged) fs.rmSync(s.staging, { recursive: true, force: true });
  }
}

/**
 * Static scans of lib/ with the TypeScript compiler API, for the
 * architecture test: function lengths, the import graph between lib/
 * folders and its cycles, and side-effect registration calls.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const REPO = path.resolve(__dirname, '..', '..');
export const LIB = path.join(REPO, 'lib');

/** Every .ts source of a directory (recursively), as absolute paths, sorted. */
export function sourceFiles(dir = LIB): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return sourceFiles(p);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
    })
    .sort();
}

/** `file` relative to the repository, with forward slashes. */
export function rel(file: string): string {
  return path.relative(REPO, file).split(path.sep).join('/');
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  ts.forEachChild(node, (c) => walk(c, visit));
}

/** The class enclosing `n`, if any. */
function enclosingClass(n: ts.Node): string | undefined {
  for (let c: ts.Node | undefined = n.parent; c; c = c.parent) if (ts.isClassLike(c)) return c.name?.text ?? '<class>';
  return undefined;
}

/** How a function is known: `Class.method`, `Class.constructor`, a declared or assigned name, else `<anon>`. */
function functionName(n: ts.FunctionLikeDeclaration): string {
  let name = n.name ? n.name.getText() : ts.isConstructorDeclaration(n) ? 'constructor' : '<anon>';
  if (!n.name && n.parent && ts.isVariableDeclaration(n.parent)) name = n.parent.name.getText();
  const cls = enclosingClass(n);
  return cls ? `${cls}.${name}` : name;
}

export interface FunctionLength {
  /** `lib/<file> <name>` (the key of the allowlist). */
  readonly key: string;
  /** Lines from the function's first to its last line. */
  readonly lines: number;
}

/** Length of every function with a body in `files`; the longest per key when names repeat in a file. */
export function functionLengths(files = sourceFiles()): FunctionLength[] {
  const byKey = new Map<string, number>();
  for (const file of files) {
    const sf = parse(file);
    walk(sf, (n) => {
      if (!ts.isFunctionLike(n) || !(n as ts.FunctionLikeDeclaration).body) return;
      const f = n as ts.FunctionLikeDeclaration;
      const lines = sf.getLineAndCharacterOfPosition(f.end).line - sf.getLineAndCharacterOfPosition(f.getStart()).line + 1;
      const key = `${rel(file)} ${functionName(f)}`;
      byKey.set(key, Math.max(lines, byKey.get(key) ?? 0));
    });
  }
  return [...byKey].map(([key, lines]) => ({ key, lines })).sort((a, b) => b.lines - a.lines || a.key.localeCompare(b.key));
}

/** Every module specifier a file imports, re-exports, `require`s or names in an `import()` type. */
function specifiers(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  walk(sf, (n) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    if (ts.isCallExpression(n) && n.arguments.length === 1 && ts.isStringLiteral(n.arguments[0])) {
      const callee = n.expression;
      if ((ts.isIdentifier(callee) && callee.text === 'require') || callee.kind === ts.SyntaxKind.ImportKeyword) out.push(n.arguments[0].text);
    }
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) out.push(n.argument.literal.text);
  });
  return out;
}

/** The lib/ folder of a file: its first directory below lib/ (`lib/index.ts` is `index`). */
export function folderOf(file: string): string {
  const parts = path.relative(LIB, file).split(path.sep);
  return parts.length > 1 ? parts[0] : 'index';
}

/** Folder → the other lib/ folders its files import (relative imports that resolve inside lib/). */
export function folderGraph(files = sourceFiles()): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const spec of specifiers(parse(file))) {
      if (!spec.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), spec);
      if (!target.startsWith(LIB + path.sep)) continue;
      const to = folderOf(resolveModule(target));
      if (to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** The file a relative import names: `x.ts`, or `x/index.ts` for a folder. */
function resolveModule(target: string): string {
  if (target.endsWith('.ts')) return target;
  return fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts');
}

/** Strongly connected components with more than one folder (the import cycles), each sorted, sorted. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      scc.push(w);
      if (w === v) break;
    }
    if (scc.length > 1) out.push(scc.sort());
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a.join().localeCompare(b.join()));
}

/**
 * Side-effect registrations: calls of a method on the result of
 * `targetOf(...)` (`targetOf(this)?.addResource(this)`), as `lib/<file> <Class>`.
 */
export function targetRegistrations(files = sourceFiles()): string[] {
  const out = new Set<string>();
  for (const file of files) {
    walk(parse(file), (n) => {
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return;
      const receiver = n.expression.expression;
      if (ts.isCallExpression(receiver) && ts.isIdentifier(receiver.expression) && receiver.expression.text === 'targetOf') {
        out.add(`${rel(file)} ${enclosingClass(n) ?? '<module>'}`);
      }
    });
  }
  return [...out].sort();
}

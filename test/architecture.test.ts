/**
 * Architecture guards over lib/ (issue 13), read with the TypeScript
 * compiler API. Each has an explicit allowlist of today's offenders that
 * may only shrink: an entry that no longer offends fails the test until it
 * is removed, so the lists always show what is left to do.
 */
import { cycles, folderGraph, functionLengths, targetRegistrations } from './support/source-scan';

/** Longest function body allowed in lib/, in lines (first to last line, as `node /work/notes/s3/fnlen.mjs` counts). */
const MAX_FUNCTION_LINES = 60;

/** Functions longer than MAX_FUNCTION_LINES, `lib/<file> <name>` → lines (they may shrink, never grow). None since issue 13. */
const LONG_FUNCTIONS: Record<string, number> = {};

/**
 * Imports between lib/ folders that close a cycle today, `from -> to`, with
 * why. Without them the folder graph must be acyclic; each must still exist
 * and still close a cycle.
 */
const CYCLE_EDGES: Record<string, string> = {};

/** Constructors that register themselves with a synthesis target (`targetOf(this)?.addX(this)`), `lib/<file> <Class>`. */
const TARGET_REGISTRATIONS: string[] = [];

// `KUBEBAY_ARCH_REPORT=1 npx jest test/architecture` prints the ten longest functions and the folder graph (for issue notes).
if (process.env.KUBEBAY_ARCH_REPORT === '1') {
  afterAll(() => {
    const top = functionLengths().slice(0, 10).map((f) => `${String(f.lines).padStart(4)}  ${f.key}`);
    const graph = [...folderGraph()].sort(([a], [b]) => a.localeCompare(b)).map(([from, tos]) => `${from} -> ${[...tos].sort().join(', ')}`);
    console.log(`ten longest functions in lib/:\n${top.join('\n')}\n\nimports between lib/ folders:\n${graph.join('\n')}\n\ncycles: ${JSON.stringify(cycles(folderGraph()))}`);
  });
}

describe(`no function in lib/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
  const lengths = functionLengths();
  const long = lengths.filter((f) => f.lines > MAX_FUNCTION_LINES);

  test('every long function is allowlisted and none grew', () => {
    const offenders = long.filter((f) => !(f.key in LONG_FUNCTIONS) || f.lines > LONG_FUNCTIONS[f.key]);
    expect(offenders.map((f) => `${f.key}: ${f.lines} lines (allowed ${LONG_FUNCTIONS[f.key] ?? MAX_FUNCTION_LINES}); split it along its steps`)).toEqual([]);
  });

  test('the allowlist is not stale (a function that got short, or is gone, must leave LONG_FUNCTIONS)', () => {
    const stale = Object.keys(LONG_FUNCTIONS).filter((key) => !long.some((f) => f.key === key));
    expect(stale.map((key) => `${key}: now ${lengths.find((f) => f.key === key)?.lines ?? 'gone'}; remove it from LONG_FUNCTIONS`)).toEqual([]);
  });

  test('the scan sees functions (a guard that finds nothing cannot fail)', () => {
    expect(lengths.length).toBeGreaterThan(100);
    expect(lengths.some((f) => f.key === 'lib/core/names.ts logicalName')).toBe(true);
  });
});

describe('the import graph between lib/ folders has no cycles', () => {
  const graph = folderGraph();
  const edges = (g: Map<string, Set<string>>) => [...g].flatMap(([from, tos]) => [...tos].map((to) => `${from} -> ${to}`));
  const without = (removed: string[]) =>
    new Map([...graph].map(([from, tos]) => [from, new Set([...tos].filter((to) => !removed.includes(`${from} -> ${to}`)))]));
  const show = (g: Map<string, Set<string>>) => [...g].map(([from, tos]) => `${from} -> ${[...tos].sort().join(', ')}`).join('\n');

  test('without the allowlisted edges, the folder graph is acyclic', () => {
    const left = cycles(without(Object.keys(CYCLE_EDGES)));
    if (left.length) throw new Error(`import cycles between lib/ folders: ${left.map((c) => c.join(' <-> ')).join('; ')}\n${show(graph)}`);
  });

  test('every allowlisted edge still exists and still closes a cycle (else remove it from CYCLE_EDGES)', () => {
    const present = edges(graph);
    const stale = Object.keys(CYCLE_EDGES).filter((e) => {
      if (!present.includes(e)) return true;
      const others = Object.keys(CYCLE_EDGES).filter((x) => x !== e);
      const [from, to] = e.split(' -> ');
      return !cycles(without(others)).some((c) => c.includes(from) && c.includes(to));
    });
    expect(stale).toEqual([]);
  });

  test('the scan sees the imports, and cycles() finds a cycle (a guard that finds nothing cannot fail)', () => {
    expect(graph.get('network')).toContain('core');
    expect(edges(graph).length).toBeGreaterThan(15);
    const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
  });
});

describe('constructs register with a synthesis target only through the allowlist', () => {
  test('no targetOf(...).addX(...) outside TARGET_REGISTRATIONS, and every entry still does (else remove it)', () => {
    expect(targetRegistrations()).toEqual([...TARGET_REGISTRATIONS].sort());
  });
});

/**
 * Warnings with stable ids, stored as construct metadata of the type cdktf
 * prints (`@cdktf/warn`), so `cdktf synth` shows them and kubebay's own
 * synthesizers and CLI list them too.
 */
import { IConstruct } from 'constructs';

const WARN = '@cdktf/warn';

/** Adds a warning `[kubebay:<id>] message` to `scope`. */
export function addWarning(scope: IConstruct, id: string, message: string): void {
  scope.node.addMetadata(WARN, `[kubebay:${id}] ${message}`);
}

export interface Warning {
  readonly path: string;
  readonly message: string;
}

/** Every warning below (and including) `scope`. */
export function collectWarnings(scope: IConstruct): Warning[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === WARN).map((m) => ({ path: c.node.path, message: String(m.data) })));
}

/** Prints warnings to stderr as `warning: <path>: <message>` lines (what `kubebay synth` and the example app show). */
export function printWarnings(warnings: readonly Warning[], write: (line: string) => void = (l) => process.stderr.write(l)): void {
  for (const w of warnings) write(`warning: ${w.path}: ${w.message}\n`);
}

#!/usr/bin/env node
/** Entry point of the `kubebay` binary; everything else is in `run.ts` (testable in-process). */
import { run } from './run';

run(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`kubebay: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);

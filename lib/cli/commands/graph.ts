/**
 * `kubebay graph`: the topology of a config file's bay as DOT, Mermaid, or
 * SVG rendered by Graphviz `dot`. Read-only: the bay is built on throw-away
 * PKI material held in memory (a picture shows no key); its certificate
 * store, record and lock are never touched.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { KubebayError } from '../../core/errors';
import { writeFileAtomic } from '../../core/files';
import { buildBay } from '../bay';
import { loadConfig } from '../config';
import { bayGraph, pictureOnlyPki, toDot, toMermaid } from '../graph';
import { CliIo, shownPath } from '../io';

export type GraphOutputFormat = 'dot' | 'svg' | 'mermaid';

export interface GraphOptions {
  readonly config: string;
  readonly format: GraphOutputFormat;
  /** File to write. @default - stdout */
  readonly out?: string;
}

/** Thrown when Graphviz is needed and missing. */
export class GraphvizMissingError extends KubebayError {
  constructor() {
    super("Graphviz 'dot' not found; install graphviz or use --format dot|mermaid");
    this.name = 'GraphvizMissingError';
  }
}

export async function graphCommand(opts: GraphOptions, io: CliIo): Promise<number> {
  const config = loadConfig(opts.config);
  const root = new Construct(undefined as unknown as Construct, 'kubebay');
  const graph = bayGraph(buildBay(config, root, root, undefined, pictureOnlyPki(config.props.pkiDir, config.props.name)));
  let text = opts.format === 'mermaid' ? toMermaid(graph) : toDot(graph);
  if (opts.format === 'svg') text = renderSvg(text);
  if (opts.out) {
    writeFileAtomic(path.resolve(opts.out), text);
    io.stderr.write(`kubebay: wrote ${shownPath(path.resolve(opts.out))}\n`);
  } else {
    io.stdout.write(text);
  }
  return 0;
}

/** SVG from DOT through Graphviz `dot` (`KUBEBAY_DOT` names another binary). */
function renderSvg(dot: string): string {
  const bin = process.env.KUBEBAY_DOT || 'dot';
  const r = spawnSync(bin, ['-Tsvg'], { input: dot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new GraphvizMissingError();
    throw r.error;
  }
  if (r.status !== 0) throw new Error(`Graphviz 'dot' failed (exit ${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

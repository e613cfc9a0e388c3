/**
 * `HotStack`: the HOT counterpart of a cdktf `TerraformStack` — a root that
 * holds bays (and raw HOT resources) and writes one template set. Any bay,
 * wherever it lives (a TerraformStack too), can also be written on its own
 * with `synthesizeBayHot`.
 */
import * as path from 'node:path';
import { Construct, IConstruct } from 'constructs';
import { printWarnings, Warning } from '../../core/annotations';
import { writeFiles } from '../../core/files';
import { DEFAULT_ROOT_TEMPLATE, HotArtifactOptions, HotSynthesis, synthesizeValidated } from './synthesizer';

export interface HotStackProps {
  /** File name of the root template. @default 'kubecluster.yaml' */
  readonly rootTemplate?: string;
  /** Template description. @default - names the stack */
  readonly description?: string;
}

/** Options of `HotStack.synth()`. */
export interface HotSynthOptions extends HotArtifactOptions {
  /** Print the warnings to stderr. @default true */
  readonly printWarnings?: boolean;
}

/** What `HotStack.synth()` wrote. */
export interface HotSynthResult {
  /** Absolute paths of the files written. */
  readonly files: readonly string[];
  readonly warnings: readonly Warning[];
}

export class HotStack extends Construct {
  public static isHotStack(x: unknown): x is HotStack {
    return x instanceof HotStack;
  }
  private readonly rootTemplate: string;
  private readonly description: string;

  /** `scope` may be undefined: a HotStack is usually a root. */
  constructor(scope: Construct | undefined, id: string, props: HotStackProps = {}) {
    super(scope as Construct, id);
    this.rootTemplate = props.rootTemplate ?? DEFAULT_ROOT_TEMPLATE;
    this.description = props.description ?? `kubebay HOT stack ${id}`;
  }

  /** Validates and synthesizes without writing. */
  public synthesize(options: HotArtifactOptions = {}): HotSynthesis {
    return synthesizeValidated(this, { ...options, rootTemplate: this.rootTemplate, description: this.description });
  }

  /**
   * Validates, synthesizes and writes the template set into `outdir` (nothing
   * is written on error); prints the warnings to stderr, as `cdktf synth`
   * prints annotations, and returns them with the paths written.
   */
  public synth(outdir: string, options: HotSynthOptions = {}): HotSynthResult {
    const synthesis = this.synthesize(options);
    const files = writeFiles(path.resolve(outdir), synthesis.files);
    if (options.printWarnings ?? true) printWarnings(synthesis.warnings);
    return { files, warnings: synthesis.warnings };
  }
}

/** Options of `synthesizeBayHot`. */
export interface BayHotOptions extends HotArtifactOptions {
  /** File name of the root template. @default 'kubecluster.yaml' */
  readonly rootTemplate?: string;
}

/** Synthesizes one bay (any naming root) to HOT, wherever it lives in the tree. */
export function synthesizeBayHot(bay: IConstruct, options: BayHotOptions = {}): HotSynthesis {
  return synthesizeValidated(bay, { ...options, description: `kubebay Kubernetes bay ${bay.node.id}` });
}

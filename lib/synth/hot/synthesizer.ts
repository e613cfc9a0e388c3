/**
 * The HOT synthesizer: the same shape as the Terraform one (`validate` what
 * HOT cannot express, `render` the tree), rendering a scope into one
 * template set with its files — templates, environment files, and the
 * extra files of the bays in it (kubeconfig, Heat API payload).
 */
import { IConstruct } from 'constructs';
import { isBay } from '../../core/bay';
import { collectWarnings, Warning } from '../../core/annotations';
import { OutputFile } from '../../core/files';
import { BayResource } from '../../core/model';
import { ISynthesizer } from '../../core/target';
import { BayValidationError, collectErrors } from '../../core/validation';
import { bayArtifacts } from './bay-artifacts';
import { hotFiles } from './files';
import { HotTemplateSet, synthesizeHot } from './template';

/** Options of HOT synthesis that concern the extra files, not the templates. */
export interface HotArtifactOptions {
  /**
   * Write the hidden parameter values (CA keys, bootstrap token) into the
   * Heat API payload `stack-create.json` too, which is then mode 0600.
   * @default false
   */
  readonly includeSecrets?: boolean;
}

/** Adds files to the HOT template set it is synthesized in (a bay: kubeconfig, API payload). */
export interface IHotArtifacts {
  hotArtifacts(set: HotTemplateSet, options?: HotArtifactOptions): OutputFile[];
}

/** A construct of the tree that adds files of its own to the HOT set (the extension point for user constructs). */
export interface IHotArtifactsConstruct extends IConstruct, IHotArtifacts {}

export const DEFAULT_ROOT_TEMPLATE = 'kubecluster.yaml';

/** A synthesized HOT template set, not yet written. */
export interface HotSynthesis {
  readonly set: HotTemplateSet;
  readonly files: readonly OutputFile[];
  readonly warnings: readonly Warning[];
}

export interface HotSynthesizerProps extends HotArtifactOptions {
  /** File name of the root template. @default 'kubecluster.yaml' */
  readonly rootTemplate?: string;
  /** Description of the root template. */
  readonly description: string;
}

export class HotSynthesizer implements ISynthesizer<HotSynthesis> {
  constructor(private readonly props: HotSynthesizerProps) {}

  /** Kinds below `scope` that HOT cannot express. */
  public validate(scope: IConstruct): string[] {
    return scope.node
      .findAll()
      .filter(BayResource.isBayResource)
      .filter((r) => !r.kind.hot)
      .map((r) => `[${r.node.path}] HOT cannot express ${r.kind.name}: ${r.kind.hotMissing}`);
  }

  /** The templates and files of `scope` (no validation: see {@link synthesizeValidated}). */
  public render(scope: IConstruct): HotSynthesis {
    const set = synthesizeHot(scope, this.props.rootTemplate ?? DEFAULT_ROOT_TEMPLATE, this.props.description);
    // The templates first: the artifacts (the API payload) reuse their YAML (`templateYaml`) instead of serializing again.
    const files = hotFiles(set);
    const extra = artifactsOf(scope).flatMap((a) => a.hotArtifacts(set, { includeSecrets: this.props.includeSecrets }));
    return { set, files: [...files, ...extra], warnings: collectWarnings(scope) };
  }
}

/**
 * Validates `scope` — its constructs' own validations and what HOT cannot
 * express, every error at once in a `BayValidationError` — and renders it.
 */
export function synthesizeValidated(scope: IConstruct, props: HotSynthesizerProps): HotSynthesis {
  const synthesizer = new HotSynthesizer(props);
  const errors = [...collectErrors(scope), ...synthesizer.validate(scope)];
  if (errors.length) throw new BayValidationError(errors);
  return synthesizer.render(scope);
}

/** The bays below `scope` (and `scope` itself), and the user's constructs that add files. */
function artifactsOf(scope: IConstruct): IHotArtifacts[] {
  return scope.node.findAll().flatMap((c) => (isBay(c) ? [bayArtifacts(c)] : hasArtifacts(c) ? [c] : []));
}

function hasArtifacts(c: IConstruct): c is IHotArtifactsConstruct {
  return typeof (c as Partial<IHotArtifacts>).hotArtifacts === 'function';
}

/**
 * The one Kubernetes version grammar: `v1.<minor>` or `v1.<minor>.<patch>`,
 * minor and patch of one to three decimal digits, minor at least
 * {@link MIN_KUBERNETES_MINOR}. The synth-time parser, the bootstrap's boot-time
 * check (a bash ERE) and the `kubernetes_version` parameter's constraint (HOT
 * `allowed_pattern`, Terraform `regex`) are all generated from it, so a
 * deploy-time override the bootstrap would reject at boot (`v1.31.1000`) is
 * refused by Heat and Terraform instead.
 */
import toRegexRange from 'to-regex-range';
import { ValidationError } from './errors';

/**
 * Oldest supported Kubernetes minor: the kubeadm configuration uses
 * `kubeadm.k8s.io/v1beta4`, which kubeadm reads from 1.31 on.
 */
export const MIN_KUBERNETES_MINOR = 31;

/** Most decimal digits of the minor and of the patch. */
const DIGITS = 3;

/** The grammar as a POSIX ERE (bash `[[ =~ ]]`): the shape only; the minimum minor is checked apart. */
export const KUBERNETES_VERSION_ERE = `^v1\\.[0-9]{1,${DIGITS}}(\\.[0-9]{1,${DIGITS}})?$`;

const SHAPE = new RegExp(`^v1\\.(\\d{1,${DIGITS}})(?:\\.(\\d{1,${DIGITS}}))?$`);

/**
 * The whole grammar (shape and minimum minor) as one pattern, anchored at its
 * end with `$` (Heat's `allowed_pattern` matches from the start only; see
 * `integerPattern`): the `kubernetes_version` parameter's constraint.
 */
export function kubernetesVersionPattern(): string {
  // Minors of 1-3 digits (leading zeros allowed, as the parser reads them) from MIN_KUBERNETES_MINOR.
  const minor = toRegexRange(String(MIN_KUBERNETES_MINOR).padStart(DIGITS, '0'), '9'.repeat(DIGITS), { capture: false, shorthand: false });
  return `v1\\.${minor}(?:\\.[0-9]{1,${DIGITS}})?$`;
}

/** A parsed Kubernetes version. */
export interface KubernetesVersion {
  /** 'v1.31': path element of the pkgs.k8s.io repository. */
  readonly minor: string;
  /** '1.31.2' when a full version was given. */
  readonly patch?: string;
}

/** Parses a version of the grammar; a `ValidationError` naming `kubernetesVersion` otherwise. */
export function parseKubernetesVersion(version: string): KubernetesVersion {
  const m = SHAPE.exec(version);
  if (!m) throw new ValidationError(`kubernetesVersion '${version}': expected 'v1.<minor>' or 'v1.<minor>.<patch>'`);
  const minor = Number(m[1]);
  if (minor < MIN_KUBERNETES_MINOR) {
    throw new ValidationError(`kubernetesVersion '${version}': at least v1.${MIN_KUBERNETES_MINOR} is required (kubeadm config v1beta4)`);
  }
  return { minor: `v1.${minor}`, patch: m[2] === undefined ? undefined : `1.${minor}.${Number(m[2])}` };
}

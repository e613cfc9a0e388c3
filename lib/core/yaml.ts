import { stringify } from 'yaml';

/**
 * YAML for the programs that read kubebay's outputs: Heat and cloud-init
 * (PyYAML) and kubeadm/kubectl (Go's yaml.v2) all resolve plain scalars by
 * YAML 1.1 rules, where `yes`, `on`, `off` are booleans, `12:30` is 750 and
 * `1_000` is 1000. Emitting with the 1.1 schema quotes every string that 1.1
 * would read as something else, so a keypair named "yes" stays a string. No
 * line folding (user data and PEM stay byte-exact); no anchors/aliases; no
 * directives (the document starts with its content).
 */
export function toYaml(doc: unknown, options: { readonly literalBlocks?: boolean } = {}): string {
  return stringify(doc, {
    version: '1.1',
    lineWidth: 0,
    aliasDuplicateObjects: false,
    // No `%YAML`/`%TAG` directives are ever written (the 1.1 version is not explicit): skip the walk that looks for tags.
    directives: false,
    ...(options.literalBlocks ? { blockQuote: 'literal' as const } : {}),
  });
}

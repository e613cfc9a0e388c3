/**
 * kubebay: OpenStack Magnum's Kubernetes bay as reusable constructs,
 * synthesized to Heat HOT or to Terraform JSON (cdktf).
 */
export * from './bay/props';
export { KubernetesBay } from './bay/kubernetes-bay';
export { DEFAULTS, type DefaultedProp, type OptionalProp, type ResolvedBayProps, resolveProps } from './bay/defaults';
export { validateProps, stackIdFor } from './bay/validate';
export type { ValidationContext } from './bay/validate';
export * from './core/expr';
export * from './core/kind';
export * from './core/model';
export { addWarning, collectWarnings, printWarnings, type Warning } from './core/annotations';
export { BayValidationError, assertValid, collectErrors, collectIssues } from './core/validation';
export { FileError, formatIssue, KubebayError, ValidationError, type ValidationIssue } from './core/errors';
export { writeFiles, writeFileAtomic, writeStagedFiles, type OutputFile } from './core/files';
export { BayNetwork, type IBayNetwork } from './network/bay-network';
export type { BayNetworkProps } from './network/bay-network';
export { BaySecurityGroups } from './security/bay-security-groups';
export type { BaySecurityGroupsProps } from './security/bay-security-groups';
export { deriveRules, worldOpenViolations, type RuleSpec, SENSITIVE_PORTS } from './security/rules';
export type { GroupName, RulePorts, TopologyForRules } from './security/rules';
export { BayLoadBalancer } from './loadbalancer/bay-load-balancer';
export type { BayLoadBalancerProps, LoadBalancerApi } from './loadbalancer/bay-load-balancer';
export { BayNodes } from './nodes/bay-nodes';
export type { BayNodesNaming, BayNodesProps, NodeContext, NodeRole } from './nodes/bay-nodes';
export * from './synth/hot';
export type { HotDoc } from './synth/hot/template';
export { terraformElementOf } from './synth/terraform';
export { type ISynthesizer, type ITerraformAttachment } from './core/target';
export { attachTerraform } from './synth/terraform/attach';
export { synthesizeBay, synthesizeBayOutputs } from './app/bay-outputs';
export type { SynthesizeBayOptions, SynthesizeBayResult, BayOutputs, BayOutputsOptions, TerraformWriter } from './app/bay-outputs';
export { replaceDir, replaceDirs } from './synth/outdir';
export { PkiStore, DEFAULT_PKI_DIR, type BayPki, discoveryHash, loadBayPki } from './pki';
export { FLANNEL_MANIFEST_SHA256, FLANNEL_MANIFEST_URL } from './bootstrap/flannel';
export type { PkiOptions, RsaKeySize } from './pki';

/**
 * kubebay: OpenStack Magnum's Kubernetes bay as reusable constructs,
 * synthesized to Heat HOT or to Terraform JSON (cdktf).
 */
// Registers the Terraform target (cdktf TerraformStack detection).
import './synth/terraform/target';

export * from './bay/props';
export { KubernetesBay } from './bay/kubernetes-bay';
export { DEFAULTS, ResolvedBayProps, resolveProps } from './bay/defaults';
export { validateProps } from './bay/validate';
export { stackCreatePayload, STACK_CREATE_FILE } from './bay/payload';
export * from './core/expr';
export * from './core/kind';
export * from './core/model';
export { addWarning, collectWarnings, Warning } from './core/annotations';
export { BayValidationError, assertValid, collectErrors } from './core/validation';
export { writeFiles, writeFileAtomic, OutputFile } from './core/files';
export { BayNetwork, IBayNetwork } from './network/bay-network';
export { BaySecurityGroups } from './security/bay-security-groups';
export { deriveRules, worldOpenViolations, RuleSpec, SENSITIVE_PORTS } from './security/rules';
export { BayLoadBalancer } from './loadbalancer/bay-load-balancer';
export { BayNodes } from './nodes/bay-nodes';
export * from './synth/hot';
export { terraformElementOf } from './synth/terraform';
export { PkiStore, DEFAULT_PKI_DIR, BayPki, discoveryHash } from './pki';

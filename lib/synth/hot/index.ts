export * from './hot-stack';
export * from './raw';
export { DEFAULT_ROOT_TEMPLATE, HotSynthesizer, type HotArtifactOptions, type HotSynthesis, type HotSynthesizerProps, type IHotArtifacts, type IHotArtifactsConstruct } from './synthesizer';
export { HOT_VERSION, type HotTemplateSet } from './template';
export { ENVIRONMENT_FILE, SECRETS_ENVIRONMENT_FILE } from './files';
export { stackCreatePayload, STACK_CREATE_FILE, type StackCreatePayload } from './payload';
export { toYaml } from '../../core/yaml';

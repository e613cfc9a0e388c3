export * from './hot-stack';
export * from './raw';
export { HOT_VERSION, type HotTemplateSet, synthesizeHot } from './template';
export { ENVIRONMENT_FILE, SECRETS_ENVIRONMENT_FILE } from './files';
export { toYaml } from '../../core/yaml';

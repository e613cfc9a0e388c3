/**
 * The Heat API payload Magnum's conductor sent (`_create_stack`):
 * `{stack_name, parameters, template, files, timeout_mins}` — written beside
 * the HOT files so `POST /v1/<project>/stacks` works with curl. Hidden
 * (secret) parameters stay out unless asked for.
 */
import { createHash } from 'node:crypto';
import { IBay } from '../../core/bay';
import { templateYaml } from './files';
import { HotTemplateSet } from './template';

export const STACK_CREATE_FILE = 'stack-create.json';

export interface StackCreatePayload {
  readonly stack_name: string;
  readonly parameters: Record<string, unknown>;
  readonly template: unknown;
  readonly files: Record<string, string>;
  readonly timeout_mins: number | null;
}

/**
 * `stack_name` is `<bay>-<short id>` as Magnum made it, to avoid duplicates;
 * the short id is derived from the bay's CA so that re-synthesis is
 * byte-identical.
 */
export function stackCreatePayload(bay: IBay, set: HotTemplateSet, includeSecrets = false): StackCreatePayload {
  const c = bay.config;
  const shortId = createHash('sha256').update(bay.pki.caCert).digest('hex').slice(0, 8);
  const files: Record<string, string> = {};
  for (const name of set.templates.keys()) if (name !== set.rootTemplate) files[name] = templateYaml(set, name);
  return {
    stack_name: `${c.name}-${shortId}`,
    parameters: { ...set.parameters, ...(includeSecrets ? set.secretParameters : {}) },
    template: set.templates.get(set.rootTemplate),
    files,
    // Magnum: an explicit value is used, 0 means no timeout.
    timeout_mins: c.createTimeoutMinutes === 0 ? null : c.createTimeoutMinutes,
  };
}

/**
 * HOT template sets as files: the templates, an environment file with the
 * parameter values, and a separate 0600 environment file with the hidden
 * (secret) parameter values.
 */
import { toYaml } from '../../core/yaml';
import { OutputFile } from '../../core/files';
import { HotTemplateSet } from './template';

export const ENVIRONMENT_FILE = 'environment.yaml';
export const SECRETS_ENVIRONMENT_FILE = 'secrets.env.yaml';

/** The YAML of each template of a set, as {@link hotFiles} wrote it. */
const RENDERED = new WeakMap<HotTemplateSet, Map<string, string>>();

/**
 * The YAML of one template of `set`: the text {@link hotFiles} rendered for
 * it, if it did (the API payload carries the same bytes as the template
 * files, without serializing the nested templates a second time).
 */
export function templateYaml(set: HotTemplateSet, name: string): string {
  const text = RENDERED.get(set)?.get(name);
  if (text !== undefined) return text;
  const doc = set.templates.get(name);
  if (!doc) throw new Error(`no template ${name} in the set`);
  return toYaml(doc);
}

/** The files of a HOT template set. */
export function hotFiles(set: HotTemplateSet): OutputFile[] {
  const files: OutputFile[] = [...set.templates].map(([name, doc]) => ({ path: name, content: toYaml(doc) }));
  RENDERED.set(set, new Map(files.map((f) => [f.path, f.content])));
  files.push({
    path: ENVIRONMENT_FILE,
    content: '# Parameter values of this bay (the construct props); edit and `openstack stack update` to change them.\n' + toYaml({ parameters: set.parameters }),
  });
  if (Object.keys(set.secretParameters).length) {
    files.push({
      path: SECRETS_ENVIRONMENT_FILE,
      content: '# SECRET: hidden parameter values (CA keys, bootstrap token). Keep this file private.\n' + toYaml({ parameters: set.secretParameters }),
      mode: 0o600,
    });
  }
  return files;
}

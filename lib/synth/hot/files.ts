/**
 * HOT template sets as files: the templates, an environment file with the
 * parameter values, and a separate 0600 environment file with the hidden
 * (secret) parameter values.
 */
import { IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { OutputFile } from '../../core/files';
import { HotTemplateSet, synthesizeHot } from './template';

export const ENVIRONMENT_FILE = 'environment.yaml';
export const SECRETS_ENVIRONMENT_FILE = 'secrets.env.yaml';

/** YAML as Heat reads it (PyYAML): no line folding, no anchors. */
export function toYaml(doc: unknown): string {
  return YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The files of a HOT template set. */
export function hotFiles(set: HotTemplateSet): OutputFile[] {
  const files: OutputFile[] = [...set.templates].map(([name, doc]) => ({ path: name, content: toYaml(doc) }));
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

/** Synthesizes `scope` to HOT files (no validation, no writing). */
export function synthesizeHotFiles(scope: IConstruct, rootTemplate: string, description: string): { set: HotTemplateSet; files: OutputFile[] } {
  const set = synthesizeHot(scope, rootTemplate, description);
  return { set, files: hotFiles(set) };
}

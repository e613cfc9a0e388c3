/**
 * Heat and cloud-init read YAML with PyYAML, kubeadm and kubectl with Go's
 * yaml.v2: all by YAML 1.1 rules, where `on`, `yes`, `off` are booleans,
 * `12:30` is 750 and `1_000` is 1000. Names a user gives must arrive as the
 * strings they are.
 */
import { parse, parseAllDocuments } from 'yaml';
import { hotBay } from '../helpers';

const yaml11 = (text: string) => parse(text, { version: '1.1' });

/** Every string in `value` (depth first). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('names that YAML 1.1 would read as booleans or numbers', () => {
  // GIVEN a bay whose name and OpenStack names look like YAML 1.1 booleans and numbers
  const { files } = hotBay({ name: 'on', keyName: 'yes', image: '12:30', externalNetwork: '1_000', masterFlavor: 'off', minionFlavor: 'n' });
  const file = (name: string) => {
    const f = files.find((x) => x.path === name);
    if (!f) throw new Error(`no ${name} among ${files.map((x) => x.path).join(', ')}`);
    return f.content;
  };

  test('stay strings in the environment file as Heat reads it', () => {
    // WHEN the environment is read by YAML 1.1 rules
    const env = yaml11(file('environment.yaml')).parameters;
    // THEN every value is the string given
    expect(env).toMatchObject({ ssh_key_name: 'yes', server_image: '12:30', external_network: '1_000', master_flavor: 'off', minion_flavor: 'n' });
  });

  test('stay strings in the kubeconfig as kubectl reads it', () => {
    const kubeconfig = yaml11(file('kubeconfig'));
    expect(kubeconfig.clusters[0].name).toBe('on');
    expect(kubeconfig.contexts[0].context.cluster).toBe('on');
  });

  test('stay strings in the kubeadm configuration inside the user data', () => {
    // WHEN the first master's kubeadm config is taken from its cloud-config and read by YAML 1.1 rules
    const template = yaml11(file('kubemaster.yaml'));
    const userData = strings(template).find((s) => s.startsWith('#cloud-config') && s.includes('kind: ClusterConfiguration'))!;
    const cloudConfig = yaml11(userData.replace(/@@[A-Z_]+@@/g, '6443'));
    const init = cloudConfig.write_files.find((f: { path: string }) => f.path.endsWith('/init.yaml')).content;
    const cluster = parseAllDocuments(init, { version: '1.1' })
      .map((d) => d.toJS())
      .find((d) => d.kind === 'ClusterConfiguration');
    // THEN the cluster name is the bay's name, a string
    expect(cluster.clusterName).toBe('on');
  });
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { hotComposed } from '../../stacks/hot-composed';
import { twoBays } from '../../stacks/two-bays';
import { workload } from '../../stacks/workload';
import { PKI_DIR, tfResources, tmpDir } from '../helpers';

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('stacks/two-bays: two bays and a DNS record per bay in one TerraformStack', () => {
  const json = readJson(twoBays(path.join(tmpDir(), 'out'), { pkiDir: PKI_DIR }));

  test('no name clashes: every resource, variable and output of a bay carries its name', () => {
    const resources = tfResources(json);
    const names = resources.map(([type, name]) => `${type}.${name}`);
    expect(new Set(names).size).toBe(names.length);
    const of = (bay: string) => resources.filter(([, name]) => name.startsWith(`${bay}_`));
    expect(of('blue').length).toBeGreaterThan(20);
    expect(of('green').length).toBe(of('blue').length);
    expect(of('blue').length + of('green').length).toBe(resources.length);
    const openstackNames = (bay: string) => of(bay).map(([, , body]) => body.name).filter((n) => typeof n === 'string');
    expect(openstackNames('blue')).toContain('blue-net');
    expect(openstackNames('green')).toContain('green-net');
    expect(Object.keys(json.variable)).toEqual(expect.arrayContaining(['blue_number_of_minions', 'green_number_of_minions', 'dns_zone_id']));
    expect(json.provider.openstack).toHaveLength(1);
  });

  test('both bays use the one external network', () => {
    const nets = json.data.openstack_networking_network_v2;
    expect(Object.keys(nets).sort()).toEqual(['blue_external_net', 'green_external_net']);
    expect(json.variable.blue_external_network.default).toBe('public');
    expect(json.variable.green_external_network.default).toBe('public');
  });

  test("each DNS record points at its bay's API floating IP", () => {
    const records = json.resource.openstack_dns_recordset_v2;
    expect(records.blue_api_dns).toEqual(expect.objectContaining({
      name: 'api.blue.example.com.',
      zone_id: '${var.dns_zone_id}',
      records: ['${openstack_networking_floatingip_v2.blue_api_floating.address}'],
    }));
    expect(records.green_api_dns.records).toEqual(['${openstack_networking_floatingip_v2.green_api_floating.address}']);
    expect(json.output.green_endpoint.value).toBe('https://${openstack_networking_floatingip_v2.green_api_floating.address}:6443');
  });
});

describe('stacks/workload: a Deployment and a Service on the new bay through the Kubernetes provider', () => {
  const out = path.join(tmpDir(), 'out');
  const result = workload(out, { pkiDir: PKI_DIR });
  const json = readJson(result.workloadStack);
  const text = fs.readFileSync(result.workloadStack, 'utf8');
  const k8s = json.provider.kubernetes[0];

  test("the provider is configured from the bay: API address through the bay stack's state, public CA and client cert", () => {
    expect(k8s.host).toMatch(/^https:\/\/\$\{data\.terraform_remote_state\.cross-stack-reference-input-bay\.outputs\.[\w-]+\}:6443$/);
    const crossOutputs = readJson(result.bayStack).output;
    const [name] = /outputs\.([\w-]+)\}/.exec(k8s.host)!.slice(1);
    expect(crossOutputs[name].value).toBe('${openstack_networking_floatingip_v2.apps_api_floating.address}');
    const pki = fs.readFileSync(path.join(PKI_DIR, 'apps/ca.crt'), 'utf8');
    expect(k8s.cluster_ca_certificate).toBe(pki);
    expect(k8s.client_certificate).toBe(fs.readFileSync(path.join(PKI_DIR, 'apps/admin.crt'), 'utf8'));
  });

  test('the client key is read at apply time, never written into cdk.tf.json', () => {
    expect(text).not.toContain('PRIVATE KEY');
    expect(fs.readFileSync(result.bayStack, 'utf8')).not.toContain('PRIVATE KEY');
    const m = /^\$\{sensitive\(file\("\$\{path\.module\}\/([^"]+)"\)\)\}$/.exec(k8s.client_key);
    expect(m).not.toBeNull();
    // The relative path leads from the stack directory to the bay's admin key.
    expect(path.resolve(path.dirname(result.workloadStack), m![1])).toBe(path.join(PKI_DIR, 'apps/admin.key'));
  });

  test('a Deployment and a NodePort Service, the port open on the minions', () => {
    const deployment = json.resource.kubernetes_deployment_v1.hello;
    expect(deployment.spec.replicas).toBe('2');
    expect(deployment.spec.template.spec.container[0].port[0].container_port).toBe(8080);
    const service = json.resource.kubernetes_service_v1.hello_service;
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.port[0]).toEqual(expect.objectContaining({ port: 80, node_port: 30080 }));
    const rules = readJson(result.bayStack).resource.openstack_networking_secgroup_rule_v2;
    expect(Object.values(rules)).toContainEqual(expect.objectContaining({ port_range_min: 30000, port_range_max: 32767, remote_ip_prefix: '203.0.113.0/24' }));
  });
});

describe('stacks/hot-composed: a HotStack with a bay and raw HOT resources', () => {
  const rootFile = hotComposed(path.join(tmpDir(), 'out'), { pkiDir: PKI_DIR });
  const root = YAML.parse(fs.readFileSync(rootFile, 'utf8'));

  test('the root template holds the bay and the raw resources', () => {
    expect(root.resources.edge_fixed_network.type).toBe('OS::Neutron::Net');
    expect(root.resources.edge_kube_minions.type).toBe('OS::Heat::ResourceGroup');
    expect(root.resources.api_dns.type).toBe('OS::Designate::RecordSet');
    expect(root.resources.partner_https.type).toBe('OS::Neutron::SecurityGroupRule');
    expect(fs.readdirSync(path.dirname(rootFile))).toEqual(expect.arrayContaining(['kubeminion.yaml', 'environment.yaml', 'secrets.env.yaml']));
  });

  test('the raw resources refer to the bay with HOT functions', () => {
    expect(root.resources.api_dns.properties.records).toEqual([{ get_attr: ['edge_api_floating', 'floating_ip_address'] }]);
    expect(root.resources.partner_https.properties.security_group).toEqual({ get_resource: 'edge_secgroup_minion' });
  });
});

/**
 * Cluster networking options (issue 14): the cluster DNS address, flannel's
 * backend and the per-node pod subnet length, in both formats, and their
 * refusals.
 */
import { parse, parseAllDocuments } from 'yaml';
import { hotBay, hotResources, tfBay, tfResources } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';
import { hotCloudConfig, tfCloudConfig } from './userdata-files';

const SCRIPT = '/usr/local/sbin/kubebay-bootstrap';
const INIT = '/etc/kubernetes/kubeadm/init.yaml';

const firstMaster = (h: ReturnType<typeof hotBay>) => hotCloudConfig(h.docs.get('kubemaster.yaml').resources.demo_master_server.properties.user_data);
const initDocs = (text: string) => parseAllDocuments(text.replace(/@@[A-Z_]+@@/g, '1')).map((d) => d.toJS());
const refused = (props: object) => asValidationError(thrownBy(() => hotBay(props))).errors;

describe('dnsServiceIp', () => {
  const first = firstMaster(hotBay({ dnsServiceIp: '10.254.0.53' }));

  test('every kubelet resolves through it (KubeletConfiguration clusterDNS, shared by the joins through kubeadm)', () => {
    expect(initDocs(first.files.get(INIT)!)[2]).toEqual({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd', clusterDNS: ['10.254.0.53'] });
  });

  test("the first master replaces kubeadm's kube-dns Service by one on that address, right after kubeadm init", () => {
    const service = parse(first.files.get('/etc/kubernetes/addons/kube-dns-service.yaml')!);
    expect(service.spec.clusterIP).toBe('10.254.0.53');
    expect(service.spec.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(service.spec.ports.map((p: any) => `${p.port}/${p.protocol}`)).toEqual(['53/UDP', '53/TCP', '9153/TCP']);
    const script = first.files.get(SCRIPT)!;
    const replace = script.indexOf('retry 20 15 dns_service');
    expect(replace).toBeGreaterThan(script.indexOf('kubeadm_retry init'));
    expect(replace).toBeLessThan(script.indexOf('log "flannel'));
    expect(script).toContain('delete service kube-dns --ignore-not-found');
  });

  test('Terraform: the same kubelet configuration and Service', () => {
    const tf = tfCloudConfig(tfBay({ dnsServiceIp: '10.254.0.53' }).json.resource.openstack_compute_instance_v2.demo_master_server.user_data);
    expect(tf.files.get(INIT)).toContain('clusterDNS:\n  - 10.254.0.53\n');
    expect(tf.files.get('/etc/kubernetes/addons/kube-dns-service.yaml')).toContain('clusterIP: 10.254.0.53');
  });

  test("kubeadm's own address (the 10th) changes nothing: the user data is the default one", () => {
    const plain = firstMaster(hotBay());
    expect(firstMaster(hotBay({ dnsServiceIp: '10.254.0.10' })).text).toBe(plain.text);
  });

  test.each([
    ['10.99.0.10', /dnsServiceIp: "10.99.0.10" is not inside portalNetworkCidr 10.254.0.0\/16; give an address inside portalNetworkCidr, or leave it out for 10.254.0.10/],
    ['10.254.0.0', /dnsServiceIp: "10.254.0.0" is the network address of portalNetworkCidr/],
    ['10.254.0.1', /dnsServiceIp: "10.254.0.1" is the first address of portalNetworkCidr, which the kubernetes API Service takes/],
    ['10.254.255.255', /is the broadcast address/],
    ['dns', /dnsServiceIp: "dns" is not an IPv4 address/],
  ])('%s is refused', (ip, message) => {
    expect(refused({ dnsServiceIp: ip })).toEqual([expect.stringMatching(message)]);
  });

  test('the dns_service_ip label sets it', () => {
    expect(hotBay({ labels: { dns_service_ip: '10.254.0.53' } }).bay.config.dnsServiceIp).toBe('10.254.0.53');
  });
});

describe('flannelNetworkSubnetlen', () => {
  test('the controller-manager allocates node pod CIDRs of that length (flannel follows the node podCIDR)', () => {
    const cluster = initDocs(firstMaster(hotBay({ flannelNetworkSubnetlen: 25 })).files.get(INIT)!)[1];
    expect(cluster.controllerManager.extraArgs).toEqual([{ name: 'node-cidr-mask-size', value: '25' }]);
    const merged = initDocs(firstMaster(hotBay({ flannelNetworkSubnetlen: 25, controllerManagerExtraArgs: { v: '2' } })).files.get(INIT)!)[1];
    expect(merged.controllerManager.extraArgs).toEqual([{ name: 'node-cidr-mask-size', value: '25' }, { name: 'v', value: '2' }]);
  });

  test('the pod network must hold a subnet of that length for every node', () => {
    expect(refused({ podNetworkCidr: '10.100.0.0/22', flannelNetworkSubnetlen: 25, minionCount: 6 })).toEqual([
      expect.stringMatching(/podNetworkCidr: "10.100.0.0\/22" has room for 8 node \/25s, fewer than 9 nodes; use a larger pod network, or a longer flannelNetworkSubnetlen/),
    ]);
    expect(() => hotBay({ podNetworkCidr: '10.100.0.0/22', flannelNetworkSubnetlen: 25, minionCount: 5 })).not.toThrow();
    expect(refused({ podNetworkCidr: '10.100.0.0/24', flannelNetworkSubnetlen: 20 })).toEqual([expect.stringMatching(/podNetworkCidr: "10.100.0.0\/24" is smaller than one \/20/)]);
  });

  test("a node subnet must hold the kubelet's max-pods; out-of-range lengths and the managed flag are refused", () => {
    expect(refused({ flannelNetworkSubnetlen: 26 })).toEqual([
      expect.stringMatching(/flannelNetworkSubnetlen: 26 gives each node 62 pod addresses, fewer than the kubelet's max-pods 110; use \/25 or shorter, or lower kubeletExtraArgs\['max-pods'\]/),
    ]);
    expect(() => hotBay({ flannelNetworkSubnetlen: 26, kubeletExtraArgs: { 'max-pods': '60' } })).not.toThrow();
    expect(refused({ flannelNetworkSubnetlen: 30 })).toEqual([expect.stringMatching(/flannelNetworkSubnetlen: 30 is not a per-node subnet prefix length; use an integer from 16 to 28/)]);
    expect(refused({ controllerManagerExtraArgs: { 'node-cidr-mask-size': '25' } })).toEqual([
      expect.stringMatching(/controllerManagerExtraArgs: "node-cidr-mask-size" is a flag kubebay sets; use flannelNetworkSubnetlen/),
    ]);
  });

  test('the flannel_network_subnetlen label sets it', () => {
    expect(hotBay({ labels: { flannel_network_subnetlen: '25' } }).bay.config.flannelNetworkSubnetlen).toBe(25);
  });
});

describe('flannelBackend', () => {
  const hot = hotBay({ flannelBackend: 'host-gw' });
  const tf = tfBay({ flannelBackend: 'host-gw' }).json;

  test('host-gw: the first master sets the backend in the downloaded net-conf.json and checks it', () => {
    const script = firstMaster(hot).files.get(SCRIPT)!;
    expect(script).toContain(`sed -i 's#"Type": "vxlan"#"Type": "host-gw"#' "$f"`);
    expect(script).toContain(`grep -qF '"Type": "host-gw"' "$f"`);
  });

  test('host-gw: every node port may send from the pod network (allowed address pairs), in both formats', () => {
    const hotPorts = hotResources(hot.docs).filter(([, , r]) => r.type === 'OS::Neutron::Port');
    expect(hotPorts.map(([, name]) => name).sort()).toEqual(['demo_master_port', 'demo_minion_port']);
    for (const [, , r] of hotPorts) expect(r.properties.allowed_address_pairs).toEqual([{ ip_address: '10.100.0.0/16' }]);
    const tfPorts = tfResources(tf).filter(([type, name]) => type === 'openstack_networking_port_v2' && /master_port|minion_port/.test(name));
    expect(tfPorts).toHaveLength(2);
    for (const [, , r] of tfPorts) expect(r.allowed_address_pairs).toEqual([{ ip_address: '10.100.0.0/16' }]);
  });

  test('host-gw: the nodes accept pod traffic from the pod network, and VXLAN (UDP 8472) is closed', () => {
    const rules = tfResources(tf).filter(([type]) => type === 'openstack_networking_secgroup_rule_v2').map(([, , r]) => r);
    const fromPods = rules.filter((r) => r.remote_ip_prefix === '10.100.0.0/16');
    expect(fromPods.map((r) => `${r.protocol}:${r.port_range_min ?? ''}-${r.port_range_max ?? ''}`).sort()).toEqual(['icmp:-', 'tcp:1-65535', 'udp:1-65535']);
    expect(rules.filter((r) => r.port_range_min === 8472)).toEqual([]);
    const hotRules = hotResources(hot.docs).filter(([, , r]) => r.type === 'OS::Neutron::SecurityGroupRule');
    expect(hotRules.filter(([, , r]) => r.properties.remote_ip_prefix === '10.100.0.0/16')).toHaveLength(3);
  });

  test('vxlan (the default): no address pairs, VXLAN open among the nodes, net-conf.json untouched', () => {
    const plain = hotBay();
    for (const [, , r] of hotResources(plain.docs).filter(([, , x]) => x.type === 'OS::Neutron::Port')) expect(r.properties.allowed_address_pairs).toBeUndefined();
    expect(hotResources(plain.docs).some(([, , r]) => r.type === 'OS::Neutron::SecurityGroupRule' && r.properties.port_range_min === 8472)).toBe(true);
    expect(firstMaster(plain).files.get(SCRIPT)).not.toContain('"Type"');
  });

  test("udp is refused (flannel documents it for debugging only), as any other value; the flannel_backend label sets the prop", () => {
    expect(refused({ flannelBackend: 'udp' })).toEqual([expect.stringMatching(/flannelBackend: "udp" is not supported: flannel documents its UDP backend for debugging only.*; use 'vxlan' \(the default\) or 'host-gw'/)]);
    expect(refused({ flannelBackend: 'wireguard' })).toEqual([expect.stringMatching(/flannelBackend: "wireguard" is not a flannel backend; use one of vxlan, host-gw/)]);
    expect(hotBay({ labels: { flannel_backend: 'host-gw' } }).bay.config.flannelBackend).toBe('host-gw');
  });
});

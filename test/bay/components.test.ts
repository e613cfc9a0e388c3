/**
 * Component flags and kube-proxy settings reach kubeadm's configuration
 * (v1beta4 `extraArgs` name/value lists) in the user data of both formats.
 */
import { parse, parseAllDocuments } from 'yaml';
import { hotBay, tfBay } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';
import { hotUserData } from './userdata-files';

const PROPS = {
  kubeletExtraArgs: { 'max-pods': '200' },
  apiServerExtraArgs: { 'audit-log-path': '/var/log/audit.log', 'audit-log-maxage': '7' },
  controllerManagerExtraArgs: { 'node-monitor-grace-period': '40s' },
  schedulerExtraArgs: { v: '2' },
  kubeProxyConfig: { mode: 'ipvs' },
};

/** The kubeadm documents of a file a node's user data writes (placeholders blanked). */
function kubeadmDocs(userData: any, file: string): any[] {
  const text: string = typeof userData === 'string' ? userData : hotUserData(userData).template;
  const cloudConfig = parse(text.replace(/\$\{[^}]*\}/g, 'x'));
  const content = cloudConfig.write_files.find((f: any) => f.path === `/etc/kubernetes/kubeadm/${file}`).content;
  return parseAllDocuments(content.replace(/@@[A-Z_]+@@/g, '1')).map((d) => d.toJS());
}

describe('component flags', () => {
  const hot = hotBay(PROPS);
  const tf = tfBay(PROPS).json;
  const hotMaster = hot.docs.get('kubemaster.yaml').resources.demo_master_server.properties.user_data;
  const hotMinion = hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data;
  const tfMaster = tf.resource.openstack_compute_instance_v2.demo_master_server.user_data;

  test('HOT: the first master initializes the cluster with every flag and the KubeProxyConfiguration', () => {
    const [init, cluster, , proxy] = kubeadmDocs(hotMaster, 'init.yaml');
    expect(init.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'max-pods', value: '200' }]);
    expect(cluster.apiServer.extraArgs).toEqual([
      { name: 'audit-log-maxage', value: '7' },
      { name: 'audit-log-path', value: '/var/log/audit.log' },
    ]);
    expect(cluster.controllerManager.extraArgs).toEqual([{ name: 'node-monitor-grace-period', value: '40s' }]);
    expect(cluster.scheduler.extraArgs).toEqual([{ name: 'v', value: '2' }]);
    expect(proxy).toEqual({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', mode: 'ipvs' });
  });

  test('Terraform: the same kubeadm settings in the master user data', () => {
    // An HCL conditional of the first master's and the other masters' texts, HCL-quoted: unquote newlines and quotes.
    const text = (tfMaster as string).replace(/\\n/g, '\n').replace(/\\"/g, '"');
    expect(text).toMatch(/kind: InitConfiguration[\s\S]*kubeletExtraArgs:\s+- name: max-pods\s+value: "200"/);
    expect(text).toMatch(/controllerManager:\s+extraArgs:\s+- name: node-monitor-grace-period\s+value: 40s/);
    expect(text).toMatch(/scheduler:\s+extraArgs:\s+- name: v\s+value: "2"/);
    expect(text).toMatch(/apiServer:\s+extraArgs:\s+- name: audit-log-maxage\s+value: "7"\s+- name: audit-log-path/);
    expect(text).toMatch(/kind: KubeProxyConfiguration\s+mode: ipvs/);
  });

  test('every join (masters, minions) carries the kubelet flags', () => {
    expect(kubeadmDocs(hotMaster, 'join.yaml')[0].nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'max-pods', value: '200' }]);
    expect(kubeadmDocs(hotMinion, 'join.yaml')[0].nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'max-pods', value: '200' }]);
  });

  test('a node group merges its labels into the kubelet flags', () => {
    const g = hotBay({ ...PROPS, nodeGroups: [{ name: 'gpu', labels: { 'example.com/gpu': 'true' } }] });
    const join = kubeadmDocs(g.docs.get('kubenodegroup-gpu.yaml').resources.demo_nodegroup_gpu_server.properties.user_data, 'join.yaml')[0];
    expect(join.nodeRegistration.kubeletExtraArgs).toEqual([
      { name: 'max-pods', value: '200' },
      { name: 'node-labels', value: 'example.com/gpu=true' },
    ]);
  });

  test.each([
    [{ apiServerExtraArgs: { '--audit-log-path': '/x' } }, /apiServerExtraArgs: "--audit-log-path" is not a flag name; write it without the leading -- and in lowercase, e.g. 'audit-log-path'/],
    [{ apiServerExtraArgs: { 'secure-port': '7443' } }, /apiServerExtraArgs: "secure-port" is a flag kubebay sets; use kubernetesPort/],
    [{ kubeletExtraArgs: { 'node-labels': 'a=b' } }, /kubeletExtraArgs: "node-labels" is a flag kubebay sets; use nodeGroups\[\]\.labels/],
    [{ schedulerExtraArgs: { v: 2 } }, /schedulerExtraArgs\.v: 2 is not a one-line string/],
    [{ controllerManagerExtraArgs: ['a'] }, /controllerManagerExtraArgs: \["a"\] is not a map of flags/],
    [{ kubeProxyConfig: { kind: 'X' } }, /kubeProxyConfig\.kind: "X" is set by kubebay/],
  ])('%j is reported naming the prop and the fix', (props, message) => {
    const err = asValidationError(thrownBy(() => hotBay(props as object)));
    expect(err.errors).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  });

  test('dnsClusterDomain: kubeadm networking.dnsDomain and the API certificate name, in both formats; default unchanged', () => {
    // A deploy-time value: the dns_cluster_domain parameter (default: the prop), substituted into init.yaml.
    const h = hotBay({ dnsClusterDomain: 'k8s.example.internal' });
    expect(h.docs.get('kubecluster.yaml').parameters.dns_cluster_domain.default).toBe('k8s.example.internal');
    const ud = h.docs.get('kubemaster.yaml').resources.demo_master_server.properties.user_data;
    expect(hotUserData(ud).params['@@DNS_CLUSTER_DOMAIN@@']).toEqual({ get_param: 'dns_cluster_domain' });
    const [, cluster] = kubeadmDocs((hotUserData(ud).template as string).replace(/@@DNS_CLUSTER_DOMAIN@@/g, 'k8s.example.internal'), 'init.yaml');
    expect(cluster.networking.dnsDomain).toBe('k8s.example.internal');
    expect(cluster.apiServer.certSANs).toContain('kubernetes.default.svc.k8s.example.internal');
    const tfText = (tfBay({ dnsClusterDomain: 'k8s.example.internal' }).json.resource.openstack_compute_instance_v2.demo_master_server.user_data as string).replace(/\\n/g, '\n');
    expect(tfText).toMatch(/networking:\s+podSubnet: 10\.100\.0\.0\/16\s+serviceSubnet: 10\.254\.0\.0\/16\s+dnsDomain: \$\{var\.demo_dns_cluster_domain\}/);
    const [, plain] = kubeadmDocs(hotBay({}).docs.get('kubemaster.yaml').resources.demo_master_server.properties.user_data, 'init.yaml');
    expect(plain.networking.dnsDomain).toBeUndefined();
    expect(plain.apiServer.certSANs).toContain('kubernetes.default.svc.cluster.local');
    const err = asValidationError(thrownBy(() => hotBay({ dnsClusterDomain: 'Cluster_Local' })));
    expect(err.errors).toEqual([expect.stringMatching(/dnsClusterDomain: "Cluster_Local" is not a DNS domain; use lowercase DNS labels/)]);
  });
});

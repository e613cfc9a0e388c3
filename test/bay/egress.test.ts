/**
 * Egress proxies and registries (issue 14) in the user data of both formats:
 * the files each option writes, what the bootstrap does with them, and the
 * refusals (with the property and the fix).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { hotBay, tfBay, tmpDir } from '../helpers';
import { asValidationError, thrownBy } from '../support/validation';
import { hotCloudConfig, hotUserData, tfCloudConfig } from './userdata-files';
import { NO_PROXY_PATTERN, PROXY_URL_PATTERN } from '../../lib/bay/egress';

const PROXY = 'http://proxy.example.internal:3128';
const ENV = '/etc/kubebay/proxy.env';
const SCRIPT = '/usr/local/sbin/kubebay-bootstrap';

describe('egress proxies', () => {
  const props = { httpProxy: PROXY, httpsProxy: PROXY, noProxy: ['.example.internal', '192.0.2.10'], dnsClusterDomain: 'k8s.internal' };
  const hot = hotBay(props);
  const minion = hotCloudConfig(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
  const tf = tfBay(props).json;
  const tfMaster = tfCloudConfig(tf.resource.openstack_compute_instance_v2.demo_master_server.user_data);

  test('HOT: the proxy environment from the parameters, no_proxy covering the bay subnet (fixed_network_cidr), service and pod networks, the API VIP, the cluster domain (dns_cluster_domain) and the no_proxy parameter', () => {
    const env = minion.files.get(ENV)!;
    expect(env).toContain('http_proxy=@@HTTP_PROXY@@\nHTTP_PROXY=@@HTTP_PROXY@@\nhttps_proxy=@@HTTPS_PROXY@@\nHTTPS_PROXY=@@HTTPS_PROXY@@\n');
    const noProxy = /^no_proxy=(.*)$/m.exec(env)![1].split(',');
    expect(noProxy).toEqual(['localhost', '127.0.0.1', '169.254.169.254', '@@FIXED_NETWORK_CIDR@@', '10.254.0.0/16', '10.100.0.0/16', '@@API_VIP@@', '.svc', '.@@DNS_CLUSTER_DOMAIN@@@@NO_PROXY@@']);
    expect(env).toMatch(/^NO_PROXY=localhost,/m);
    const params = hotUserData(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data).params;
    expect(params).toMatchObject({
      '@@HTTP_PROXY@@': { get_param: 'http_proxy' },
      '@@HTTPS_PROXY@@': { get_param: 'https_proxy' },
      '@@FIXED_NETWORK_CIDR@@': { get_param: 'fixed_network_cidr' },
      '@@DNS_CLUSTER_DOMAIN@@': { get_param: 'dns_cluster_domain' },
      '@@NO_PROXY@@': { if: ['no_proxy_empty', '', { list_join: ['', [',', { get_param: 'no_proxy' }]] }] },
    });
  });

  test('containerd and the kubelet read it (systemd drop-ins), apt has its own configuration, the bootstrap sources it before any download', () => {
    for (const unit of ['containerd', 'kubelet']) {
      expect(minion.files.get(`/etc/systemd/system/${unit}.service.d/kubebay-proxy.conf`)).toBe(`[Service]\nEnvironmentFile=${ENV}\n`);
    }
    expect(minion.files.get('/etc/apt/apt.conf.d/90kubebay-proxy')).toBe('Acquire::http::Proxy "@@HTTP_PROXY@@";\nAcquire::https::Proxy "@@HTTPS_PROXY@@";\n');
    const script = minion.files.get(SCRIPT)!;
    expect(script.indexOf(`. ${ENV}`)).toBeGreaterThan(0);
    expect(script.indexOf(`. ${ENV}`)).toBeLessThan(script.indexOf('apt_get update'));
    expect(script).toMatch(/set -a\n# shellcheck source=\/dev\/null\n\. \/etc\/kubebay\/proxy\.env\nset \+a\n/);
  });

  test('Terraform: the same files, the API VIP as the load balancer reference, the values from the variables', () => {
    expect(tfMaster.files.get(ENV)).toMatch(/^no_proxy=localhost,127\.0\.0\.1,169\.254\.169\.254,x,10\.254\.0\.0\/16,10\.100\.0\.0\/16,x,\.svc,\.xx$/m);
    const userData: string = tf.resource.openstack_compute_instance_v2.demo_master_server.user_data;
    expect(userData).toMatch(/no_proxy=[^\\]*\$\{openstack_lb_loadbalancer_v2\.demo_api_loadbalancer\.vip_address\}/);
    expect(userData).toContain('http_proxy=${var.demo_http_proxy}');
    expect(userData).toContain('no_proxy=localhost,127.0.0.1,169.254.169.254,${var.demo_fixed_network_cidr},');
    expect(userData).toContain('.svc,.${var.demo_dns_cluster_domain}${((var.demo_no_proxy == "") ? "" : join("", [",", var.demo_no_proxy]))}');
    expect(tfMaster.files.get('/etc/systemd/system/containerd.service.d/kubebay-proxy.conf')).toContain(`EnvironmentFile=${ENV}`);
  });

  test('only httpsProxy: no http_proxy line, apt gets only its https proxy', () => {
    const m = hotCloudConfig(hotBay({ httpsProxy: PROXY }).docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
    expect(m.files.get(ENV)).not.toMatch(/http_proxy/i);
    expect(m.files.get('/etc/apt/apt.conf.d/90kubebay-proxy')).toBe('Acquire::https::Proxy "@@HTTPS_PROXY@@";\n');
  });

  test('a bay without the options writes none of these files', () => {
    const m = hotCloudConfig(hotBay().docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
    expect([...m.files.keys()].filter((p) => /proxy|certs\.d|kube-dns/.test(p))).toEqual([]);
    expect(m.files.get(SCRIPT)).not.toMatch(/proxy|image-repository|config_path/);
  });

  test.each([
    [{ httpProxy: 'http://user:secret@proxy:3128' }, /^\[root\/demo\] httpProxy: "http:\/\/user:secret@proxy:3128" carries credentials, which would be readable in every node's user data .*; drop user:password and let the proxy or registry authorize the bay subnet/],
    [{ httpsProxy: 'socks5://proxy:1080' }, /^\[root\/demo\] httpsProxy: "socks5:\/\/proxy:1080" has the scheme socks5; give an http\(s\) URL/],
    [{ httpProxy: 'http://proxy:3128/path' }, /^\[root\/demo\] httpProxy: .* has a path, query or fragment/],
    [{ httpProxy: 'proxy:3128' }, /^\[root\/demo\] httpProxy: "proxy:3128" has the scheme proxy/],
    [{ noProxy: ['.example.internal'] }, /^\[root\/demo\] noProxy: \[".example.internal"\] is set but no proxy is; set httpProxy and\/or httpsProxy/],
    [{ httpProxy: PROXY, noProxy: ['a,b'] }, /^\[root\/demo\] noProxy: "a,b" is not a host, .domain, address or CIDR; give one name per entry/],
  ])('%j is refused with the fix', (props, message) => {
    expect(asValidationError(thrownBy(() => hotBay(props as object))).errors).toEqual([expect.stringMatching(message)]);
  });
});

describe('registries', () => {
  const dir = tmpDir('kubebay-egress-');
  const secretFile = path.join(dir, 'appcred.secret');
  fs.writeFileSync(secretFile, 'appcredsecret\n', { mode: 0o600 });
  const props = {
    containerInfraPrefix: 'registry.example.internal:5000/k8s/',
    registryMirrors: { 'docker.io': 'https://mirror.example.internal' },
    insecureRegistries: ['registry.example.internal:5000'],
    openstackAuthUrl: 'https://keystone.example.com:5000/v3',
    applicationCredential: { id: 'a1b2c3', secretFile },
  };
  const hot = hotBay(props);
  const first = hotCloudConfig(hot.docs.get('kubemaster.yaml').resources.demo_master_server.properties.user_data);
  const minion = hotCloudConfig(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);

  test('containerInfraPrefix: kubeadm imageRepository, the sandbox image from the same repository, flannel images rewritten and checked at boot', () => {
    const cluster = parse(first.files.get('/etc/kubernetes/kubeadm/init.yaml')!.split('---\n')[1].replace(/@@[A-Z_]+@@/g, '1'));
    expect(cluster.imageRepository).toBe('registry.example.internal:5000/k8s');
    const script = first.files.get(SCRIPT)!;
    expect(script).toContain('kubeadm config images list --kubernetes-version "$kv" --image-repository registry.example.internal:5000/k8s |');
    expect(script).toContain("sed -i -E 's#^( *image: )[^ ]*/([^/ ]+)$#\\1registry.example.internal:5000/k8s/\\2#' \"$f\"");
    expect(script).toContain("grep -vF 'image: registry.example.internal:5000/k8s/' >/dev/null; then die");
    // The minions pull the sandbox image from the prefix too.
    expect(minion.files.get(SCRIPT)).toContain('--image-repository registry.example.internal:5000/k8s |');
  });

  test('containerInfraPrefix: every add-on image (CCM, Cinder CSI) is <prefix><last path element>', () => {
    const images = [...first.files.get('/etc/kubernetes/addons/cloud-addons.yaml')!.matchAll(/image: (\S+)/g)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(4);
    for (const image of images) expect(image).toMatch(/^registry\.example\.internal:5000\/k8s\/[a-z-]+:v[\d.]+$/);
    expect(images).toContain('registry.example.internal:5000/k8s/openstack-cloud-controller-manager:v1.31.4');
  });

  test('registryMirrors and insecureRegistries: a hosts.toml per registry and containerd pointed at them', () => {
    expect(minion.files.get('/etc/containerd/certs.d/docker.io/hosts.toml')).toBe('[host."https://mirror.example.internal"]\n  capabilities = ["pull", "resolve"]\n');
    expect(minion.files.get('/etc/containerd/certs.d/registry.example.internal:5000/hosts.toml')).toBe(
      '[host."https://registry.example.internal:5000"]\n  capabilities = ["pull", "resolve", "push"]\n  skip_verify = true\n' +
        '[host."http://registry.example.internal:5000"]\n  capabilities = ["pull", "resolve", "push"]\n',
    );
    const script = minion.files.get(SCRIPT)!;
    expect(script).toContain(`-e 's#^\\( *config_path = \\)""#\\1"/etc/containerd/certs.d"#'`);
    expect(script).toContain(`grep -q 'config_path = .*/etc/containerd/certs.d' "$cfg.new"`);
  });

  test('Terraform: the same files', () => {
    const tf = tfBay(props).json;
    const m = tfCloudConfig(tf.resource.openstack_compute_instance_v2.demo_minion_server.user_data);
    expect(m.files.get('/etc/containerd/certs.d/docker.io/hosts.toml')).toContain('[host."https://mirror.example.internal"]');
    expect(tfCloudConfig(tf.resource.openstack_compute_instance_v2.demo_master_server.user_data).files.get('/etc/kubernetes/kubeadm/init.yaml')).toContain('imageRepository: registry.example.internal:5000/k8s\n');
  });

  test('the container_infra_prefix label sets containerInfraPrefix', () => {
    const b = hotBay({ labels: { container_infra_prefix: 'registry.example.internal/k8s/' } });
    expect(b.bay.config.containerInfraPrefix).toBe('registry.example.internal/k8s/');
  });

  test.each([
    [{ containerInfraPrefix: 'https://registry.example.internal/k8s/' }, /^\[root\/demo\] containerInfraPrefix: .* is not an image prefix .*; give e.g. 'registry.example.com\/k8s\/'/],
    [{ containerInfraPrefix: 'registry.example.internal/k8s' }, /^\[root\/demo\] containerInfraPrefix: .* is not an image prefix \(.*ending in \/; no scheme\)/],
    [{ registryMirrors: { 'docker.io': 'https://u:p@mirror' } }, /^\[root\/demo\] registryMirrors\.docker\.io: .* carries credentials/],
    [{ registryMirrors: { 'Docker.IO': 'https://mirror' } }, /^\[root\/demo\] registryMirrors: "Docker.IO" is not a registry host/],
    [{ insecureRegistries: ['http://registry:5000'] }, /^\[root\/demo\] insecureRegistries: "http:\/\/registry:5000" is not a registry host\[:port\]; give it without a scheme/],
  ])('%j is refused with the fix', (props, message) => {
    expect(asValidationError(thrownBy(() => hotBay(props as object))).errors).toEqual([expect.stringMatching(message)]);
  });
});

test('with preinstalledPackages, registries and the prefix warn that the image must configure containerd', () => {
  const { bay } = hotBay({ preinstalledPackages: true, registryMirrors: { 'docker.io': 'https://mirror.example.internal' }, containerInfraPrefix: 'registry.example.internal/k8s/' });
  const warnings = bay.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
  expect(warnings).toEqual(expect.arrayContaining([
    expect.stringMatching(/config_path to include \/etc\/containerd\/certs\.d; with preinstalledPackages the image's containerd configuration must set it/),
    expect.stringMatching(/sandbox \(pause\) image; set it to registry\.example\.internal\/k8s\/pause:<tag>/),
  ]));
});

/** A HOT value of a node template's str_replace params, evaluated with the root parameters' defaults (get_param, list_join, if). */
function evalHot(v: any, params: Record<string, unknown>, conditions: Record<string, any>): string {
  if (typeof v === 'string') return v;
  if ('get_param' in v) return String(params[v.get_param]);
  if ('list_join' in v) return v.list_join[1].map((x: any) => evalHot(x, params, conditions)).join(v.list_join[0]);
  if ('if' in v) {
    const [left, right] = conditions[v.if[0]].equals.map((x: any) => evalHot(x, params, conditions));
    return evalHot(left === right ? v.if[1] : v.if[2], params, conditions);
  }
  throw new Error(`cannot evaluate ${JSON.stringify(v)}`);
}

describe('deploy-time parameters (Magnum names): http_proxy, https_proxy, no_proxy, dns_cluster_domain', () => {
  const props = { httpProxy: PROXY, httpsProxy: 'http://sproxy.example.internal:3129', noProxy: ['.example.internal', 'localhost', '192.0.2.10'], dnsClusterDomain: 'k8s.internal' };
  const hot = hotBay(props);
  const root = hot.docs.get('kubecluster.yaml');
  const minionDoc = hot.docs.get('kubeminion.yaml');
  const tf = tfBay(props).json;

  test('HOT: parameters with the props as defaults and their constraints; the node templates default them too (members Heat has not updated yet validate)', () => {
    expect(root.parameters.http_proxy).toMatchObject({ type: 'string', default: PROXY, constraints: [{ allowed_pattern: PROXY_URL_PATTERN }] });
    expect(root.parameters.https_proxy.default).toBe('http://sproxy.example.internal:3129');
    // 'localhost' is an automatic entry: the parameter holds only the others.
    expect(root.parameters.no_proxy).toMatchObject({ type: 'string', default: '.example.internal,192.0.2.10', constraints: [{ allowed_pattern: NO_PROXY_PATTERN }] });
    expect(root.parameters.dns_cluster_domain).toMatchObject({ type: 'string', default: 'k8s.internal' });
    for (const name of ['http_proxy', 'https_proxy', 'no_proxy', 'dns_cluster_domain', 'fixed_network_cidr']) {
      expect(minionDoc.parameters[name]).toEqual({ type: 'string', default: root.parameters[name].default });
    }
  });

  test('HOT: with the defaults, proxy.env and apt get exactly the values the props gave (a running bay sees no change)', () => {
    const ud = hotUserData(minionDoc.resources.demo_minion_server.properties.user_data);
    const defaults = Object.fromEntries(Object.entries(root.parameters).map(([k, p]: [string, any]) => [k, p.default]));
    const values: Record<string, string> = {};
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'FIXED_NETWORK_CIDR', 'DNS_CLUSTER_DOMAIN']) values[name] = evalHot(ud.params[`@@${name}@@`], defaults, minionDoc.conditions);
    const text = (f: string) => minion.files.get(f)!.replace(/@@([A-Z_]+)@@/g, (all, n: string) => values[n] ?? all);
    const minion = hotCloudConfig(minionDoc.resources.demo_minion_server.properties.user_data);
    const sproxy = 'http://sproxy.example.internal:3129';
    const noProxy = 'localhost,127.0.0.1,169.254.169.254,10.0.0.0/24,10.254.0.0/16,10.100.0.0/16,@@API_VIP@@,.svc,.k8s.internal,.example.internal,192.0.2.10';
    expect(text(ENV)).toBe(`http_proxy=${PROXY}\nHTTP_PROXY=${PROXY}\nhttps_proxy=${sproxy}\nHTTPS_PROXY=${sproxy}\nno_proxy=${noProxy}\nNO_PROXY=${noProxy}\n`);
    expect(text('/etc/apt/apt.conf.d/90kubebay-proxy')).toBe(`Acquire::http::Proxy "${PROXY}";\nAcquire::https::Proxy "${sproxy}";\n`);
    // An empty no_proxy parameter leaves no trailing comma.
    expect(evalHot(ud.params['@@NO_PROXY@@'], { ...defaults, no_proxy: '' }, minionDoc.conditions)).toBe('');
  });

  test('the first master: dns_cluster_domain in init.yaml (unquoted, as the literal was) and the API certificate names', () => {
    const first = hotCloudConfig(hot.docs.get('kubemaster.yaml').resources.demo_master_server.properties.user_data);
    const init = first.files.get('/etc/kubernetes/kubeadm/init.yaml')!;
    expect(init).toContain('\n  dnsDomain: @@DNS_CLUSTER_DOMAIN@@\n');
    expect(init).toContain('- kubernetes.default.svc.@@DNS_CLUSTER_DOMAIN@@\n');
  });

  test('Terraform: the same variables with validations', () => {
    expect(tf.variable.demo_http_proxy).toMatchObject({ type: 'string', default: PROXY });
    expect(tf.variable.demo_http_proxy.validation[0].condition).toContain('can(regex(');
    expect(tf.variable.demo_no_proxy.default).toBe('.example.internal,192.0.2.10');
    expect(tf.variable.demo_dns_cluster_domain.default).toBe('k8s.internal');
  });

  test.each([
    ['http://proxy.example.internal:3128', true],
    ['https://10.0.0.1:8080/', true],
    ['http://user:secret@proxy:3128', false],
    ['socks5://proxy:1080', false],
    ['http://proxy:3128/path', false],
    ['', false],
  ])('the proxy constraint (both formats) on %j: %s', (url, ok) => {
    expect(new RegExp(`^(?:${PROXY_URL_PATTERN})$`).test(url)).toBe(ok);
  });

  test.each([
    ['', true],
    ['.example.internal,192.0.2.0/24,registry:5000,*', true],
    ['a, b', false],
    ['a;b', false],
    ['a,', false],
  ])('the no_proxy constraint on %j: %s', (value, ok) => {
    expect(new RegExp(`^(?:${NO_PROXY_PATTERN})$`).test(value)).toBe(ok);
  });

  test('a bay without a proxy or a custom domain has none of these parameters (its outputs stay as they were)', () => {
    const plain = hotBay();
    const params = Object.keys(plain.docs.get('kubecluster.yaml').parameters);
    expect(params.filter((p) => /^(https?_proxy|no_proxy|dns_cluster_domain)$/.test(p))).toEqual([]);
    expect(Object.keys(plain.docs.get('kubeminion.yaml').parameters)).not.toContain('fixed_network_cidr');
    expect(Object.keys(tfBay().json.variable).filter((v) => /^demo_(https?_proxy|no_proxy|dns_cluster_domain)$/.test(v))).toEqual([]);
  });
});

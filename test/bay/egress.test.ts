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
import { hotCloudConfig, tfCloudConfig } from './userdata-files';

const PROXY = 'http://proxy.example.internal:3128';
const ENV = '/etc/kubebay/proxy.env';
const SCRIPT = '/usr/local/sbin/kubebay-bootstrap';

describe('egress proxies', () => {
  const props = { httpProxy: PROXY, httpsProxy: PROXY, noProxy: ['.example.internal', '192.0.2.10'], dnsClusterDomain: 'k8s.internal' };
  const hot = hotBay(props);
  const minion = hotCloudConfig(hot.docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
  const tf = tfBay(props).json;
  const tfMaster = tfCloudConfig(tf.resource.openstack_compute_instance_v2.demo_master_server.user_data);

  test('HOT: the proxy environment, with no_proxy covering the bay, service and pod networks, the API VIP, the cluster domain and the extra entries', () => {
    const env = minion.files.get(ENV)!;
    expect(env).toContain(`http_proxy=${PROXY}\nHTTP_PROXY=${PROXY}\nhttps_proxy=${PROXY}\nHTTPS_PROXY=${PROXY}\n`);
    const noProxy = /^no_proxy=(.*)$/m.exec(env)![1].split(',');
    expect(noProxy).toEqual(['localhost', '127.0.0.1', '169.254.169.254', '10.0.0.0/24', '10.254.0.0/16', '10.100.0.0/16', '@@API_VIP@@', '.svc', '.k8s.internal', '.example.internal', '192.0.2.10']);
    expect(env).toMatch(/^NO_PROXY=localhost,/m);
  });

  test('containerd and the kubelet read it (systemd drop-ins), apt has its own configuration, the bootstrap sources it before any download', () => {
    for (const unit of ['containerd', 'kubelet']) {
      expect(minion.files.get(`/etc/systemd/system/${unit}.service.d/kubebay-proxy.conf`)).toBe(`[Service]\nEnvironmentFile=${ENV}\n`);
    }
    expect(minion.files.get('/etc/apt/apt.conf.d/90kubebay-proxy')).toBe(`Acquire::http::Proxy "${PROXY}";\nAcquire::https::Proxy "${PROXY}";\n`);
    const script = minion.files.get(SCRIPT)!;
    expect(script.indexOf(`. ${ENV}`)).toBeGreaterThan(0);
    expect(script.indexOf(`. ${ENV}`)).toBeLessThan(script.indexOf('apt_get update'));
    expect(script).toMatch(/set -a\n# shellcheck source=\/dev\/null\n\. \/etc\/kubebay\/proxy\.env\nset \+a\n/);
  });

  test('Terraform: the same files, the API VIP as the load balancer reference', () => {
    expect(tfMaster.files.get(ENV)).toMatch(/^no_proxy=localhost,127\.0\.0\.1,169\.254\.169\.254,10\.0\.0\.0\/24,10\.254\.0\.0\/16,10\.100\.0\.0\/16,x,\.svc,/m);
    expect(tf.resource.openstack_compute_instance_v2.demo_master_server.user_data).toMatch(/no_proxy=[^\\]*\$\{openstack_lb_loadbalancer_v2\.demo_api_loadbalancer\.vip_address\}/);
    expect(tfMaster.files.get('/etc/systemd/system/containerd.service.d/kubebay-proxy.conf')).toContain(`EnvironmentFile=${ENV}`);
  });

  test('only httpsProxy: no http_proxy line, apt gets only its https proxy', () => {
    const m = hotCloudConfig(hotBay({ httpsProxy: PROXY }).docs.get('kubeminion.yaml').resources.demo_minion_server.properties.user_data);
    expect(m.files.get(ENV)).not.toMatch(/http_proxy/i);
    expect(m.files.get('/etc/apt/apt.conf.d/90kubebay-proxy')).toBe(`Acquire::https::Proxy "${PROXY}";\n`);
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

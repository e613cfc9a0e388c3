import { RSA_PRIVATE_KEY_HEADER } from '../fixtures/pem';
import { spawnSync } from 'child_process';
import { gunzipSync } from 'zlib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import {
  BOOTSTRAP_ENV_PATH,
  BOOTSTRAP_SCRIPT_PATH,
  FLANNEL_MANIFEST_SHA256,
  FLANNEL_MANIFEST_URL,
  FLANNEL_RELEASE_ASSET_URL,
  KUBEADM_INIT_CONFIG,
  KUBEADM_JOIN_CONFIG,
  METADATA_BLOCK_UNIT,
  NODE_ROLES,
  NodeRole,
  PLACEHOLDERS,
  PLACEHOLDER_NAMES,
  SECRET_PLACEHOLDERS,
  UserDataOptions,
  renderUserData,
  sampleValues,
  parseKubernetesVersion,
  substitute,
} from '../../lib/bootstrap';

interface WriteFile {
  path: string;
  content: string;
  encoding?: string;
  owner?: string;
  permissions?: string;
}

const BASE: UserDataOptions = {
  role: 'minion',
  preinstalledPackages: false,
  podNetworkCidr: '10.100.0.0/16',
  serviceCidr: '10.254.0.0/16',
  clusterName: 'kubebay',
  dockerVolume: false,
};

const render = (overrides: Partial<UserDataOptions> = {}) => renderUserData({ ...BASE, ...overrides });

/** Every combination the bay can ask for. */
const ALL: UserDataOptions[] = NODE_ROLES.flatMap((role) =>
  [false, true].flatMap((dockerVolume) =>
    [false, true].map((preinstalledPackages) => ({ ...BASE, role, dockerVolume, preinstalledPackages })),
  ),
);
const label = (o: UserDataOptions) =>
  `${o.role}${o.dockerVolume ? ' +volume' : ''}${o.preinstalledPackages ? ' +preinstalled' : ''}`;

function files(text: string): WriteFile[] {
  return (parse(text) as { write_files: WriteFile[] }).write_files;
}
function fileOf(text: string, path: string): WriteFile | undefined {
  return files(text).find((f) => f.path === path);
}
function scriptOf(text: string): string {
  const script = fileOf(text, BOOTSTRAP_SCRIPT_PATH);
  if (!script) throw new Error('no bootstrap script');
  expect(script.encoding).toBe('gz+b64');
  return gunzipSync(Buffer.from(script.content, 'base64')).toString('utf8');
}
/**
 * The text with KUBERNETES_PORT set to `port` and the other placeholders
 * kept: the kubeadm files are YAML once the (unquoted) port is in.
 */
function withPort(text: string, port: string): string {
  const keep = Object.fromEntries(PLACEHOLDER_NAMES.map((n) => [n, `@@${n}@@`]));
  return substitute(text, { ...keep, KUBERNETES_PORT: port });
}
/** The kubeadm documents of a config file (port set to `port`), by kind. */
function kubeadmDocs(text: string, path: string, port = '6443'): Record<string, any> {
  const f = fileOf(withPort(text, port), path);
  if (!f) throw new Error(`no ${path}`);
  const docs = parseAllDocuments(f.content);
  for (const d of docs) expect(d.errors).toEqual([]);
  return Object.fromEntries(docs.map((d) => d.toJS()).map((d) => [d.kind, d]));
}
/** Runs a bash script (`log` defined, strict mode); stdout, stderr and status. */
function bash(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -euo pipefail\nlog() { echo "$*" >&2; }\n${script}`], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const PRIVATE_KEYS = ['CA_KEY', 'FRONT_PROXY_CA_KEY', 'ETCD_CA_KEY', 'SA_KEY'] as const;
const CONTROL_PLANE_PEMS = [
  'CA_CRT',
  'CA_KEY',
  'FRONT_PROXY_CA_CRT',
  'FRONT_PROXY_CA_KEY',
  'ETCD_CA_CRT',
  'ETCD_CA_KEY',
  'SA_KEY',
  'SA_PUB',
] as const;

describe('renderUserData: document shape', () => {
  it.each(ALL.map((o) => [label(o), o] as const))(
    'GIVEN %s WHEN rendered THEN it is one #cloud-config YAML document with write_files and runcmd',
    (_label, opts) => {
      const { text } = renderUserData(opts);

      expect(text.startsWith('#cloud-config\n')).toBe(true);
      const docs = parseAllDocuments(text);
      expect(docs).toHaveLength(1);
      expect(docs[0].errors).toEqual([]);
      const config = docs[0].toJS();
      expect(Object.keys(config).sort()).toEqual(['runcmd', 'write_files']);
      expect(config.runcmd).toEqual([`${BOOTSTRAP_SCRIPT_PATH} >>/var/log/kubebay-bootstrap.log 2>&1`]);
      expect(fileOf(text, BOOTSTRAP_SCRIPT_PATH)).toMatchObject({ owner: 'root:root', permissions: '0700' });
      expect(scriptOf(text).startsWith('#!/bin/bash\n')).toBe(true);
      expect(scriptOf(text)).toContain('set -euo pipefail\n');
    },
  );

  it.each(ALL.map((o) => [label(o), o] as const))(
    'GIVEN %s WHEN rendered THEN placeholders lists exactly the @@NAME@@ tokens of the text, all documented',
    (_label, opts) => {
      const { text, placeholders } = renderUserData(opts);

      const found = new Set([...text.matchAll(/@@([A-Z0-9_]+)@@/g)].map((m) => m[1]));
      expect([...placeholders].sort()).toEqual([...found].sort());
      for (const name of found) expect(PLACEHOLDER_NAMES).toContain(name);
    },
  );

  it('GIVEN the same options twice WHEN rendered THEN the text is identical (deterministic)', () => {
    for (const opts of ALL) {
      expect(renderUserData({ ...opts }).text).toBe(renderUserData({ ...opts }).text);
    }
  });

  it('GIVEN any role WHEN rendered THEN every file carrying a secret placeholder is root-only (0600)', () => {
    for (const opts of ALL) {
      for (const f of files(renderUserData(opts).text)) {
        if (SECRET_PLACEHOLDERS.some((s) => f.content.includes(`@@${s}@@`))) {
          expect({ path: f.path, permissions: f.permissions, owner: f.owner }).toEqual({
            path: f.path,
            permissions: '0600',
            owner: 'root:root',
          });
        }
      }
    }
  });

  it('GIVEN the PLACEHOLDERS set WHEN inspected THEN each is documented and the keys and the token are secret', () => {
    for (const name of PLACEHOLDER_NAMES) expect(PLACEHOLDERS[name].description.length).toBeGreaterThan(20);
    expect([...SECRET_PLACEHOLDERS].sort()).toEqual(['APPLICATION_CREDENTIAL_SECRET', 'BOOTSTRAP_TOKEN', ...PRIVATE_KEYS].sort());
    expect(PLACEHOLDER_NAMES).toEqual([
      'API_VIP',
      'API_PUBLIC_ADDRESS',
      'KUBERNETES_PORT',
      'KUBERNETES_VERSION',
      'VOLUME_ID',
      'BOOTSTRAP_TOKEN',
      'CA_CERT_HASH',
      'CA_CRT',
      'CA_KEY',
      'FRONT_PROXY_CA_CRT',
      'FRONT_PROXY_CA_KEY',
      'ETCD_CA_CRT',
      'ETCD_CA_KEY',
      'SA_KEY',
      'SA_PUB',
      'WC_NOTIFY',
      'WAIT_CONDITION_TIMEOUT',
      'OPENSTACK_CA',
      'OPENSTACK_AUTH_URL',
      'OPENSTACK_REGION',
      'APPLICATION_CREDENTIAL_ID',
      'APPLICATION_CREDENTIAL_SECRET',
      'CLOUD_SUBNET_ID',
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'FIXED_NETWORK_CIDR',
      'NO_PROXY',
      'DNS_CLUSTER_DOMAIN',
      'CONTAINER_INFRA_PREFIX',
      'INSECURE_REGISTRY_URL',
    ]);
  });

  it.each(ALL.map((o) => [label(o), o] as const))(
    'GIVEN %s WHEN rendered THEN the API port is always a placeholder, the version whenever packages or kubeadm init need it',
    (_label, opts) => {
      const { placeholders } = renderUserData(opts);

      expect(placeholders).toContain('KUBERNETES_PORT');
      const needsVersion = !opts.preinstalledPackages || opts.role === 'first-master';
      expect(placeholders.includes('KUBERNETES_VERSION')).toBe(needsVersion);
    },
  );
});

describe('renderUserData: key material per role', () => {
  it.each([false, true])('GIVEN a minion (dockerVolume %s) WHEN rendered THEN it has no private key and no ca.crt', (dockerVolume) => {
    const { text, placeholders } = render({ role: 'minion', dockerVolume });

    for (const pemName of CONTROL_PLANE_PEMS) expect(placeholders).not.toContain(pemName);
    expect(text).not.toContain('ca.crt');
    expect(text).not.toContain('/etc/kubernetes/pki');
    expect(text).not.toMatch(/PRIVATE KEY|_KEY@@/);
    expect(placeholders).toEqual(
      expect.arrayContaining(['API_VIP', 'BOOTSTRAP_TOKEN', 'CA_CERT_HASH', 'WC_NOTIFY']),
    );
  });

  it.each<NodeRole>(['first-master', 'master'])(
    'GIVEN a %s WHEN rendered THEN it carries every CA and the SA key pair as base64 PEM files',
    (role) => {
      const { text, placeholders } = render({ role });

      expect(placeholders).toEqual(expect.arrayContaining([...CONTROL_PLANE_PEMS]));
      const expected: Record<string, [string, string]> = {
        '/etc/kubernetes/pki/ca.crt': ['CA_CRT', '0644'],
        '/etc/kubernetes/pki/ca.key': ['CA_KEY', '0600'],
        '/etc/kubernetes/pki/front-proxy-ca.crt': ['FRONT_PROXY_CA_CRT', '0644'],
        '/etc/kubernetes/pki/front-proxy-ca.key': ['FRONT_PROXY_CA_KEY', '0600'],
        '/etc/kubernetes/pki/etcd/ca.crt': ['ETCD_CA_CRT', '0644'],
        '/etc/kubernetes/pki/etcd/ca.key': ['ETCD_CA_KEY', '0600'],
        '/etc/kubernetes/pki/sa.key': ['SA_KEY', '0600'],
        '/etc/kubernetes/pki/sa.pub': ['SA_PUB', '0644'],
      };
      for (const [path, [name, permissions]] of Object.entries(expected)) {
        expect(fileOf(text, path)).toEqual({ path, encoding: 'b64', content: `@@${name}@@`, owner: 'root:root', permissions });
      }
    },
  );
});

describe('renderUserData: kubeadm configuration', () => {
  it('GIVEN the first master WHEN rendered THEN init.yaml sets endpoint, SANs, networks, token and bind port', () => {
    const { text } = render({ role: 'first-master', clusterName: 'bay1' });

    expect(fileOf(text, KUBEADM_INIT_CONFIG)?.content).toContain('  bindPort: @@KUBERNETES_PORT@@\n');
    const docs = kubeadmDocs(text, KUBEADM_INIT_CONFIG, '8443');
    expect(docs.InitConfiguration).toMatchObject({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      bootstrapTokens: [
        {
          token: '@@BOOTSTRAP_TOKEN@@',
          ttl: '24h',
          usages: ['signing', 'authentication'],
          groups: ['system:bootstrappers:kubeadm:default-node-token'],
        },
      ],
      localAPIEndpoint: { bindPort: 8443 },
    });
    expect(docs.ClusterConfiguration).toMatchObject({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      clusterName: 'bay1',
      controlPlaneEndpoint: '@@API_VIP@@:8443',
      apiServer: {
        certSANs: [
          '@@API_VIP@@',
          '@@API_PUBLIC_ADDRESS@@',
          'kubernetes',
          'kubernetes.default',
          'kubernetes.default.svc',
          'kubernetes.default.svc.cluster.local',
        ],
      },
      networking: { podSubnet: '10.100.0.0/16', serviceSubnet: '10.254.0.0/16' },
    });
    expect(docs.KubeletConfiguration).toMatchObject({ cgroupDriver: 'systemd' });
    expect(fileOf(text, KUBEADM_INIT_CONFIG)?.permissions).toBe('0600');
  });

  it('GIVEN the first master WHEN rendered THEN init.yaml has no kubernetesVersion (the script sets it at boot)', () => {
    expect(kubeadmDocs(render({ role: 'first-master' }).text, KUBEADM_INIT_CONFIG).ClusterConfiguration).not.toHaveProperty(
      'kubernetesVersion',
    );
  });

  it.each<[NodeRole, boolean]>([
    ['first-master', true],
    ['master', true],
    ['minion', false],
  ])('GIVEN a %s WHEN rendered THEN join.yaml discovers through the VIP with token and CA hash (control plane: %s)', (role, cp) => {
    const { text } = render({ role });

    const join = kubeadmDocs(text, KUBEADM_JOIN_CONFIG, '7443').JoinConfiguration;
    expect(join.discovery).toEqual({
      bootstrapToken: {
        apiServerEndpoint: '@@API_VIP@@:7443',
        token: '@@BOOTSTRAP_TOKEN@@',
        caCertHashes: ['@@CA_CERT_HASH@@'],
      },
    });
    if (cp) expect(join.controlPlane).toEqual({ localAPIEndpoint: { bindPort: 7443 } });
    else expect(join).not.toHaveProperty('controlPlane');
    expect(text).not.toContain('certificate-key');
    expect(fileOf(text, KUBEADM_INIT_CONFIG) !== undefined).toBe(role === 'first-master');
  });

  it.each([
    ['2h', '2h'],
    ['0s', '0s'],
    [undefined, '24h'],
  ])('GIVEN bootstrapTokenTtl %s WHEN the first master is rendered THEN its token has ttl %s', (ttl, expected) => {
    const docs = kubeadmDocs(render({ role: 'first-master', ...(ttl ? { bootstrapTokenTtl: ttl } : {}) }).text, KUBEADM_INIT_CONFIG);
    expect(docs.InitConfiguration.bootstrapTokens[0].ttl).toBe(expected);
  });

  it('GIVEN the first master WHEN rendered THEN it joins instead of init when the API already answers', () => {
    const script = scriptOf(render({ role: 'first-master' }).text);

    const probe = script.indexOf('curl -sk --max-time 5 -o /dev/null "https://$KUBEBAY_API_VIP:$KUBEBAY_KUBERNETES_PORT/livez"');
    const join = script.indexOf(`kubeadm_retry join --config ${KUBEADM_JOIN_CONFIG}`);
    const init = script.indexOf(`kubeadm_retry init --config ${KUBEADM_INIT_CONFIG}`);
    expect(probe).toBeGreaterThan(0);
    expect(join).toBeGreaterThan(probe);
    expect(init).toBeGreaterThan(join);
  });

  it.each<NodeRole>(['master', 'minion'])('GIVEN a %s WHEN rendered THEN it never runs kubeadm init', (role) => {
    const script = scriptOf(render({ role }).text);
    expect(script).not.toContain('kubeadm_retry init');
    expect(script).toContain(`kubeadm_retry join --config ${KUBEADM_JOIN_CONFIG}`);
  });

  it('GIVEN kubeadm fails WHEN retried THEN the node is reset first and masters restore their CAs', () => {
    const master = scriptOf(render({ role: 'master' }).text);
    const minion = scriptOf(render({ role: 'minion' }).text);
    expect(master).toMatch(/kubeadm reset -f[\s\S]*cp -a "\$seed" "\$K\/pki"/);
    expect(minion).toContain('kubeadm reset -f');
    expect(minion).not.toContain('seed');
  });
});

describe('renderUserData: packages', () => {
  it('GIVEN packages are installed WHEN rendered THEN they come from the repo derived at boot, pinned by $pin, and held', () => {
    const script = scriptOf(render().text);

    expect(script).toContain('retry 10 15 curl -fsSL --max-time 60 -o /etc/apt/keyrings/kubernetes.asc "$repo"Release.key\n');
    expect(script).toContain('echo "deb [signed-by=/etc/apt/keyrings/kubernetes.asc] $repo /" >/etc/apt/sources.list.d/kubernetes.list\n');
    expect(script).toContain('apt_get install containerd kubernetes-cni "kubelet$pin" "kubeadm$pin" "kubectl$pin"\n');
    expect(script).toContain('apt-mark hold containerd kubelet kubeadm kubectl');
    expect(script.indexOf('kver=$KUBEBAY_KUBERNETES_VERSION')).toBeLessThan(script.indexOf('repo='));
  });

  it('GIVEN apt installs containerd WHEN rendered THEN its config uses the systemd cgroup driver', () => {
    const script = scriptOf(render().text);
    expect(script).toContain("sed -e 's/SystemdCgroup = false/SystemdCgroup = true/'");
    expect(script).toContain("grep -q 'SystemdCgroup = true' \"$cfg.new\"");
  });

  it.each(NODE_ROLES)('GIVEN preinstalled packages for a %s WHEN rendered THEN nothing is installed with apt', (role) => {
    const script = scriptOf(render({ role, preinstalledPackages: true }).text);

    expect(script).not.toMatch(/apt-get|apt_get|apt-mark|pkgs\.k8s\.io/);
    expect(script).toContain('systemctl enable containerd kubelet');
  });
});

describe('renderUserData: Kubernetes version at boot (KUBERNETES_VERSION)', () => {
  const firstMaster = render({ role: 'first-master' }).text;
  const script = scriptOf(firstMaster);
  const start = script.indexOf('kver=$KUBEBAY_KUBERNETES_VERSION\n');
  /** The environment file's line for KUBERNETES_VERSION = version. */
  const env = (version: string) => `KUBEBAY_KUBERNETES_VERSION='${version}'\n`;
  /** The version section of the script with KUBERNETES_VERSION = version. */
  const versionSection = (version: string) =>
    env(version) + script.slice(start, script.indexOf('\nrepo=', start) + 1);
  /** The version section and the repository/pin derivation, run by bash. */
  const derive = (version: string) =>
    bash(
      env(version) + script.slice(start, script.indexOf('log "packages from $repo"\n')) +
        'echo "$kminor|$kpatch|$repo|$pin"',
    );

  it.each(['v1.31', 'v1.31.2', 'v1.33', 'v1.033.04', 'v1.40.10'])(
    'GIVEN %s WHEN the script derives the minor, patch, repository and pin THEN they match parseKubernetesVersion',
    (version) => {
      const parsed = parseKubernetesVersion(version);
      const r = derive(version);

      expect(r.stderr).not.toMatch(/expected|at least/);
      expect(r.status).toBe(0);
      const pin = parsed.patch ? `=${parsed.patch}-*` : '';
      expect(r.stdout).toBe(`${parsed.minor.slice(3)}|${parsed.patch ?? ''}|https://pkgs.k8s.io/core:/stable:/${parsed.minor}/deb/|${pin}\n`);
    },
  );

  it.each([
    ['v1.30', /at least v1\.31 is required/],
    ['v1.30.9', /at least v1\.31 is required/],
    ['1.31', /expected v1\.<minor> or v1\.<minor>\.<patch>/],
    ['v1.31.2.1', /expected/],
    ['v2.0', /expected/],
    ['v1.', /expected/],
    ['', /expected/],
  ])('GIVEN %j WHEN the script parses it THEN the bootstrap fails as parseKubernetesVersion does', (version, message) => {
    const r = derive(version);

    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(() => parseKubernetesVersion(version)).toThrow();
  });

  it.each([
    ['v1.31.2', 'v1.31.2'],
    ['v1.32.07', 'v1.32.7'],
    ['v1.32', undefined],
  ])('GIVEN %s WHEN the first master prepares kubeadm init THEN ClusterConfiguration.kubernetesVersion is %s', (version, expected) => {
    const patch = /^ {2}if \[\[ -n \$kpatch \]\] && .*\n[\s\S]*?\n {2}fi\n/m.exec(script)?.[0];
    expect(patch).toBeDefined();
    expect(script.indexOf(patch!)).toBeLessThan(script.indexOf('kubeadm_retry init'));
    expect(script.indexOf(patch!)).toBeGreaterThan(script.indexOf('log "kubeadm init"'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubebay-init-'));
    try {
      const init = path.join(dir, 'init.yaml');
      fs.writeFileSync(init, fileOf(withPort(firstMaster, '6443'), KUBEADM_INIT_CONFIG)!.content);

      // Twice: a second run (kubeadm retried, script re-run) must not add the field again.
      const r = bash(versionSection(version) + (patch! + patch!).split(KUBEADM_INIT_CONFIG).join(init));

      expect(r.status).toBe(0);
      const content = fs.readFileSync(init, 'utf8');
      expect(content.match(/^kubernetesVersion:/gm)?.length ?? 0).toBe(expected ? 1 : 0);
      const docs = parseAllDocuments(content);
      for (const d of docs) expect(d.errors).toEqual([]);
      const cluster = docs.map((d) => d.toJS()).find((d) => d.kind === 'ClusterConfiguration');
      if (expected) expect(cluster.kubernetesVersion).toBe(expected);
      else expect(cluster).not.toHaveProperty('kubernetesVersion');
      expect(cluster.controlPlaneEndpoint).toBe('@@API_VIP@@:6443');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN preinstalled packages WHEN the first master is rendered THEN it still parses the version for kubeadm init', () => {
    const preinstalled = scriptOf(render({ role: 'first-master', preinstalledPackages: true }).text);
    expect(preinstalled).toContain('kver=$KUBEBAY_KUBERNETES_VERSION\n');
    expect(preinstalled).toContain('kubernetesVersion: v$kpatch');
    expect(preinstalled).not.toContain('repo=');
  });
});

describe('renderUserData: container storage volume', () => {
  it.each(NODE_ROLES)('GIVEN dockerVolume for a %s WHEN rendered THEN the volume is found, formatted if blank and mounted', (role) => {
    const { text, placeholders } = render({ role, dockerVolume: true });
    const script = scriptOf(text);

    expect(placeholders).toContain('VOLUME_ID');
    expect(script).toContain('vol_id=$KUBEBAY_VOLUME_ID\n');
    expect(script).toContain('serial=$(printf %.20s "$1")');
    expect(script).toContain('for d in /dev/disk/by-id/virtio-"$serial"* /dev/disk/by-id/scsi-*"$serial"*; do');
    expect(script).toContain('for ((i = 0; i < 60; i++)); do\n    if dev=$(find_volume "$vol_id"); then break; fi\n    sleep 5');
    expect(script).not.toContain('/dev/vdb');
    expect(script).toMatch(/if ! blkid -p "\$dev".*\n.*\n +mkfs\.ext4 -q "\$dev"/);
    expect(script).toContain('vol_id=$KUBEBAY_VOLUME_ID\nif [[ -z $vol_id ]]; then\n  log "no container storage volume"');
    expect(script).toContain('UUID=$uuid /var/lib/containerd ext4 defaults,nofail,x-systemd.before=containerd.service 0 2');
  });

  it.each(NODE_ROLES)('GIVEN no dockerVolume for a %s WHEN rendered THEN there is no volume section', (role) => {
    const { text, placeholders } = render({ role, dockerVolume: false });

    expect(placeholders).not.toContain('VOLUME_ID');
    expect(text).not.toMatch(/mkfs|blkid|by-id|\/dev\/vdb|fstab.*containerd|find_volume/);
  });

  it('GIVEN dockerVolume and preinstalled packages WHEN rendered THEN containerd is stopped and its state carried over', () => {
    const script = scriptOf(render({ dockerVolume: true, preinstalledPackages: true }).text);
    expect(script).toContain('  systemctl stop containerd\n  if ! blkid');
    expect(script).toContain('cp -a /var/lib/containerd/. "$m"/');
  });
});

describe('renderUserData: networking and node prerequisites', () => {
  it('GIVEN a pod CIDR WHEN the first master is rendered THEN the pinned flannel manifest, checked, gets it as Network', () => {
    const script = scriptOf(render({ role: 'first-master', podNetworkCidr: '172.20.0.0/16' }).text);

    expect(FLANNEL_MANIFEST_URL).toMatch(
      /^https:\/\/raw\.githubusercontent\.com\/flannel-io\/flannel\/v0\.26\.\d+\/Documentation\/kube-flannel\.yml$/,
    );
    expect(script).toContain(`retry 10 15 curl -fsSL --max-time 60 -o "$f" ${FLANNEL_MANIFEST_URL}`);
    expect(script).toContain(`[[ $sha == ${FLANNEL_MANIFEST_SHA256} ]] || die`);
    expect(script.indexOf('sha256sum "$f"')).toBeLessThan(script.indexOf('sed -i \'s#"Network"'));
    expect(script).toContain(`sed -i 's#"Network": "10\\.244\\.0\\.0/16"#"Network": "172.20.0.0/16"#' "$f"`);
    expect(script).toContain(`grep -q '"Network": "172.20.0.0/16"' "$f"`);
    expect(script).toContain('retry 20 15 kubectl --kubeconfig "$K/admin.conf" apply -f "$f"');
    expect(script.indexOf('kube-flannel.yml')).toBeGreaterThan(script.indexOf('kubeadm_retry init'));
  });

  it("GIVEN flannelManifest 'release-asset-unchecked' (bays created before the check) WHEN the first master is rendered THEN the release asset, unchecked, exactly as before", () => {
    const script = scriptOf(render({ role: 'first-master', podNetworkCidr: '172.20.0.0/16', flannelManifest: 'release-asset-unchecked' }).text);

    expect(FLANNEL_RELEASE_ASSET_URL).toBe('https://github.com/flannel-io/flannel/releases/download/v0.26.7/kube-flannel.yml');
    // the section of kubebay before the check, byte for byte
    expect(script).toContain(String.raw`  log "flannel v0.26.7"
  f=$K/kubeadm/kube-flannel.yml
  retry 10 15 curl -fsSL --max-time 60 -o "$f" https://github.com/flannel-io/flannel/releases/download/v0.26.7/kube-flannel.yml
  sed -i 's#"Network": "10\.244\.0\.0/16"#"Network": "172.20.0.0/16"#' "$f"
  grep -q '"Network": "172.20.0.0/16"' "$f"
  retry 20 15 kubectl --kubeconfig "$K/admin.conf" apply -f "$f"
`);
    expect(script).not.toContain('sha256sum');
  });

  it.each<NodeRole>(['master', 'minion'])('GIVEN a %s WHEN rendered THEN it does not install flannel', (role) => {
    expect(render({ role }).text).not.toContain('flannel');
  });

  it.each(NODE_ROLES)('GIVEN a %s WHEN rendered THEN pods are blocked from the metadata service at every boot', (role) => {
    const { text } = render({ role, podNetworkCidr: '10.32.0.0/12' });

    const unit = fileOf(text, `/etc/systemd/system/${METADATA_BLOCK_UNIT}`);
    expect(unit?.content).toContain(
      'ExecStart=iptables -w -I FORWARD 1 -s 10.32.0.0/12 -d 169.254.169.254/32 -m comment --comment kubebay-metadata-block -j DROP',
    );
    expect(unit?.content).toContain('WantedBy=multi-user.target');
    expect(unit?.content).toContain('Before=kubelet.service');
    const script = scriptOf(text);
    expect(script).toContain(`systemctl enable --now ${METADATA_BLOCK_UNIT}`);
    expect(script.indexOf(METADATA_BLOCK_UNIT)).toBeLessThan(script.indexOf('kubeadm_retry join'));
  });

  it.each(NODE_ROLES)('GIVEN a %s WHEN rendered THEN host-network pods (cgroup kubepods.slice) are blocked from the metadata service too', (role) => {
    const unit = fileOf(render({ role }).text, `/etc/systemd/system/${METADATA_BLOCK_UNIT}`)!.content;
    const rule = '-d 169.254.169.254/32 -m cgroup --path kubepods.slice -m comment --comment kubebay-metadata-block-host-network -j DROP';

    expect(unit).toContain(`ExecStart=-iptables -w -D OUTPUT ${rule}\n`);
    expect(unit).toContain(`ExecStart=iptables -w -I OUTPUT 1 ${rule}\n`);
    // The kernel resolves the cgroup path when the rule is inserted: the slice exists first.
    expect(unit).toContain('Wants=kubepods.slice\nAfter=kubepods.slice\n');
  });

  it.each(NODE_ROLES)('GIVEN a %s with Cinder CSI WHEN rendered THEN host-network pods keep the metadata service (the node plugin needs it); pod networks do not', (role) => {
    const unit = fileOf(render({ role, cinderCsi: true }).text, `/etc/systemd/system/${METADATA_BLOCK_UNIT}`)!.content;

    expect(unit).not.toMatch(/OUTPUT|kubepods/);
    expect(unit).toContain('ExecStart=iptables -w -I FORWARD 1 -s 10.100.0.0/16 -d 169.254.169.254/32');
  });

  it('GIVEN the unit runs at every boot WHEN its commands run twice over existing rules THEN each rule is there exactly once, first in its chain', () => {
    const unit = fileOf(render({ role: 'minion' }).text, `/etc/systemd/system/${METADATA_BLOCK_UNIT}`)!.content;
    const commands = unit.split('\n').filter((l) => l.startsWith('ExecStart=')).map((l) => l.slice('ExecStart='.length));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubebay-iptables-'));
    try {
      // A fake iptables over one file per chain: -D deletes the first equal rule (fails if none), -I <chain> 1 prepends.
      const fake = String.raw`iptables() {
  shift
  local op=$1 chain=$2 f
  shift 2
  f=$DIR/$chain
  touch "$f"
  if [[ $op == -I ]]; then shift; { echo "$*"; cat "$f"; } >"$f.new"; mv "$f.new" "$f"; return 0; fi
  grep -qxF -- "$*" "$f" || return 1
  awk -v r="$*" '$0 == r && !done { done = 1; next } { print }' "$f" >"$f.new"; mv "$f.new" "$f"
}
echo 'existing rule' >"$DIR/FORWARD"; echo 'existing rule' >"$DIR/OUTPUT"
`;
      const boot = commands.map((c) => (c.startsWith('-') ? `${c.slice(1)} || true` : c)).join('\n');
      const r = spawnSync('bash', ['-c', `set -euo pipefail\n${fake}${boot}\n${boot}\n`], { encoding: 'utf8', env: { ...process.env, DIR: dir } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const chain = (c: string) => fs.readFileSync(path.join(dir, c), 'utf8').trim().split('\n');
      expect(chain('OUTPUT')).toEqual([
        '-d 169.254.169.254/32 -m cgroup --path kubepods.slice -m comment --comment kubebay-metadata-block-host-network -j DROP',
        'existing rule',
      ]);
      expect(chain('FORWARD')).toEqual([
        '-s 10.100.0.0/16 -d 169.254.169.254/32 -m comment --comment kubebay-metadata-block -j DROP',
        'existing rule',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN any role WHEN rendered THEN kernel modules, sysctls and swapoff are set up', () => {
    const { text } = render();

    expect(fileOf(text, '/etc/modules-load.d/kubebay.conf')?.content).toBe('overlay\nbr_netfilter\n');
    expect(fileOf(text, '/etc/sysctl.d/90-kubebay.conf')?.content).toContain('net.bridge.bridge-nf-call-iptables = 1\n');
    expect(fileOf(text, '/etc/sysctl.d/90-kubebay.conf')?.content).toContain('net.ipv4.ip_forward = 1\n');
    const script = scriptOf(text);
    for (const line of ['modprobe overlay', 'modprobe br_netfilter', 'sysctl --system', 'swapoff -a']) {
      expect(script).toContain(line);
    }
  });

  it.each(NODE_ROLES)('GIVEN a %s WHEN rendered THEN it signals success once kubelet is active and failure from a trap', (role) => {
    const { text } = render({ role });
    const script = scriptOf(text);

    const success = script.indexOf('signal "{\\"status\\": \\"SUCCESS\\"');
    expect(success).toBeGreaterThan(script.lastIndexOf('systemctl is-active --quiet kubelet'));
    expect(script).toContain('signal "{\\"status\\": \\"FAILURE\\", \\"reason\\": \\"$reason on $(hostname)');
    expect(script).toContain('kubebay_notify --fail --silent --show-error --max-time 60 --data-binary "$1"');
    // The placeholder (a Heat token in a long curl command) is written once, in the environment file.
    expect(text.split('@@WC_NOTIFY@@')).toHaveLength(2);
    expect(fileOf(text, BOOTSTRAP_ENV_PATH)?.content).toContain('kubebay_notify() { @@WC_NOTIFY@@ "$@"; }\n');
    expect(script).toContain("trap 'fail $? $LINENO' ERR");
  });
});

describe('renderUserData: input validation', () => {
  it.each<[string, Partial<UserDataOptions>, RegExp]>([
    ['a malformed pod CIDR', { podNetworkCidr: '10.100.0.0' }, /IPv4 CIDR/],
    ['a pod CIDR with host bits', { podNetworkCidr: '10.100.0.1/16' }, /host bits/],
    ['a pod CIDR smaller than a node subnet', { podNetworkCidr: '10.100.0.0/25' }, /too small/],
    ['overlapping CIDRs', { podNetworkCidr: '10.0.0.0/8', serviceCidr: '10.254.0.0/16' }, /overlaps/],
    ['a cluster name with a quote', { clusterName: 'a"b' }, /clusterName/],
  ])('GIVEN %s WHEN rendered THEN it throws', (_what, overrides, message) => {
    expect(() => render(overrides)).toThrow(message);
  });

  it.each([
    ['v1.30', /at least v1\.31/],
    ['1.31', /expected 'v1\.<minor>'/],
    ['v1.31.2.1', /expected 'v1\.<minor>'/],
  ])('GIVEN the synth-time version %s WHEN parsed THEN parseKubernetesVersion throws', (version, message) => {
    expect(() => parseKubernetesVersion(version)).toThrow(message);
  });
});

describe('substitute and sampleValues', () => {
  it('GIVEN a text and values WHEN substituted THEN every placeholder is replaced', () => {
    expect(substitute('a @@API_VIP@@ b @@API_VIP@@ @@NODE_INDEX@@', { API_VIP: '10.0.0.5', NODE_INDEX: '3' })).toBe(
      'a 10.0.0.5 b 10.0.0.5 3',
    );
  });

  it('GIVEN a missing or multi-line value WHEN substituted THEN it throws', () => {
    expect(() => substitute('@@API_VIP@@', {})).toThrow(/no value for placeholder API_VIP/);
    expect(() => substitute('@@CA_CRT@@', { CA_CRT: 'a\nb' })).toThrow(/newline/);
  });

  it('GIVEN RSA-4096 sample values WHEN substituted into every role THEN the YAML still parses to the same files', () => {
    const values = sampleValues({ keySize: 4096 });
    for (const opts of ALL) {
      const { text } = renderUserData(opts);
      const substituted = substitute(text, values);
      expect(substituted).not.toContain('@@');
      const before = files(text);
      const after = files(substituted);
      expect(after.map((f) => f.path)).toEqual(before.map((f) => f.path));
      const caKey = after.find((f) => f.path === '/etc/kubernetes/pki/ca.key');
      if (caKey) expect(Buffer.from(caKey.content, 'base64').toString()).toMatch(new RegExp(`^${RSA_PRIVATE_KEY_HEADER}\n`));
    }
  });

  it('GIVEN sample values with port 7443 WHEN substituted THEN every kubeadm file parses and bindPort is the integer 7443', () => {
    const values = sampleValues({ keySize: 2048, kubernetesPort: 7443 });
    for (const opts of ALL) {
      const substituted = substitute(renderUserData(opts).text, values);
      for (const f of files(substituted).filter((w) => w.path.startsWith('/etc/kubernetes/kubeadm/'))) {
        const docs = parseAllDocuments(f.content);
        for (const d of docs) expect(d.errors).toEqual([]);
        const bindPorts = docs
          .map((d) => d.toJS())
          .map((d) => d.localAPIEndpoint?.bindPort ?? d.controlPlane?.localAPIEndpoint?.bindPort)
          .filter((p) => p !== undefined);
        expect(bindPorts).toEqual(opts.role === 'minion' ? [] : [7443]);
        expect(f.content).toContain('"10.0.0.10:7443"');
      }
    }
  });

  it('GIVEN RSA-4096 sample values WHEN the largest user data is measured THEN its base64 is under Nova’s 65,535 bytes', () => {
    const values = sampleValues({ keySize: 4096 });
    const sizes = ALL.map((opts) => ({
      label: label(opts),
      base64: Buffer.from(substitute(renderUserData(opts).text, values)).toString('base64').length,
    }));
    const largest = sizes.reduce((a, b) => (b.base64 > a.base64 ? b : a));

    expect(largest.label).toMatch(/^first-master/);
    expect(largest.base64).toBeGreaterThan(40_000); // the sample keys are realistic
    expect(largest.base64).toBeLessThan(65_535);
  });
});

describe('renderUserData: minion snapshot', () => {
  it('GIVEN a minion with a volume WHEN rendered THEN the text matches the reviewed snapshot', () => {
    const { text, script } = render({ role: 'minion', dockerVolume: true });
    const gz = fileOf(text, BOOTSTRAP_SCRIPT_PATH)!.content;
    expect(scriptOf(text)).toBe(script);
    // The gzipped script is reviewed as text below.
    expect(text.replace(gz, '<gzip+base64 of the script>')).toMatchSnapshot();
    expect(script).toMatchSnapshot();
  });
});

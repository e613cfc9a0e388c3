/**
 * The HOT-only files of a bay: the admin kubeconfig (0600) and the Heat API
 * payload of `POST /stacks` (`stack-create.json`, with the hidden parameter
 * values, and then 0600, only when asked for).
 */
import { IBay } from '../../core/bay';
import { OutputFile } from '../../core/files';
import { renderKubeconfig } from '../../pki/kubeconfig';
import type { HotArtifactOptions, IHotArtifacts } from './synthesizer';
import { STACK_CREATE_FILE, stackCreatePayload } from './payload';
import { HotTemplateSet } from './template';

/** The extra files of `bay` in a HOT template set. */
export function bayArtifacts(bay: IBay): IHotArtifacts {
  return { hotArtifacts: (set, options) => [kubeconfigFile(bay), payloadFile(bay, set, options)] };
}

function kubeconfigFile(bay: IBay): OutputFile {
  const c = bay.config;
  const kubeconfig = renderKubeconfig({
    clusterName: c.name,
    server: `https://API_ADDRESS:${c.kubernetesPort}`,
    caCertPem: bay.pki.caCert,
    clientCertPem: bay.pki.adminCert,
    clientKeyPem: bay.pki.adminKey,
  });
  const header =
    '# Admin kubeconfig of the bay. After `openstack stack create`, set the server:\n' +
    `#   kubectl --kubeconfig kubeconfig config set-cluster ${c.name} --server "https://$(openstack stack output show <stack> api_address -f value -c output_value):${c.kubernetesPort}"\n`;
  return { path: 'kubeconfig', content: header + kubeconfig, mode: 0o600 };
}

function payloadFile(bay: IBay, set: HotTemplateSet, options: HotArtifactOptions = {}): OutputFile {
  return {
    path: STACK_CREATE_FILE,
    content: JSON.stringify(stackCreatePayload(bay, set, options.includeSecrets), null, 2) + '\n',
    mode: options.includeSecrets ? 0o600 : undefined,
  };
}

/**
 * Composition example: a bay and a workload on it. The workload stack
 * configures the Kubernetes provider from the bay — API address (a
 * cross-stack reference: cdktf passes it through the bay stack's state),
 * cluster CA and admin client certificate (public PEM) — and reads the
 * admin client key from the certificate store at apply time, so the key is
 * never copied into cdk.tf.json. Then a Deployment and a NodePort Service,
 * the successors of the pod/replication controller/service of Magnum's
 * Kubernetes bays.
 *
 * Two stacks, not one: Terraform cannot plan a provider whose address is
 * unknown until the cluster exists (`cdktf deploy bay workload` applies them
 * in order).
 *
 *   node dist/stacks/workload.js [OUTDIR]   (default out/workload)
 */
import * as path from 'node:path';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
// Submodule imports: the package index loads every Kubernetes resource class.
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { assertValid, KubernetesBay, replaceDir } from 'kubebay';
import type { ExampleOptions } from './two-bays';

export const BAY_STACK = 'bay';
export const WORKLOAD_STACK = 'workload';
/** The NodePort of the example service, opened to `nodePortAllowedCidrs` on the minions. */
export const NODE_PORT = 30080;

export interface WorkloadResult {
  /** cdk.tf.json of the bay (OpenStack provider). */
  readonly bayStack: string;
  /** cdk.tf.json of the workload (Kubernetes provider). */
  readonly workloadStack: string;
}

/** Synthesizes the example into `outdir` (replaced whole). */
export function workload(outdir: string, options: ExampleOptions = {}): WorkloadResult {
  return replaceDir(outdir, (staging) => {
    const app = new App({ outdir: staging });
    const bay = new KubernetesBay(new TerraformStack(app, BAY_STACK), 'apps', {
      image: 'ubuntu-24.04',
      keyName: 'default',
      externalNetwork: 'public',
      minionCount: 2,
      apiAllowedCidrs: ['203.0.113.0/24'],
      nodePortAllowedCidrs: ['203.0.113.0/24'],
      pkiDir: options.pkiDir,
    });

    const stack = new TerraformStack(app, WORKLOAD_STACK);
    // State beside the stack's cdk.tf.json, not in the working directory of the synth (the bay's stack gets this by default).
    new LocalBackend(stack, { path: `terraform.${WORKLOAD_STACK}.tfstate` });
    // Relative to the stack's directory (staging sits beside the final dir: same relative path).
    const keyFile = path.relative(path.join(staging, 'stacks', WORKLOAD_STACK), bay.pki.files['admin.key']).split(path.sep).join('/');
    new KubernetesProvider(stack, 'kubernetes', {
      host: `https://${bay.apiAddress}:${bay.config.kubernetesPort}`,
      clusterCaCertificate: bay.pki.caCert,
      clientCertificate: bay.pki.adminCert,
      clientKey: `\${sensitive(file("\${path.module}/${keyFile}"))}`,
    });

    const labels = { app: 'hello' };
    new DeploymentV1(stack, 'hello', {
      metadata: { name: 'hello', labels },
      spec: {
        replicas: '2',
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            container: [
              {
                name: 'hello',
                image: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
                args: ['netexec', '--http-port=8080'],
                port: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: '8080' } },
              },
            ],
          },
        },
      },
    });
    const service = new ServiceV1(stack, 'hello_service', {
      metadata: { name: 'hello', labels },
      spec: {
        type: 'NodePort',
        selector: labels,
        port: [{ port: 80, targetPort: '8080', nodePort: NODE_PORT }],
      },
    });
    new TerraformOutput(stack, 'hello_node_port', { value: service.spec.port.get(0).nodePort });

    assertValid(app);
    app.synth();
    const out = path.resolve(outdir);
    return {
      bayStack: path.join(out, 'stacks', BAY_STACK, 'cdk.tf.json'),
      workloadStack: path.join(out, 'stacks', WORKLOAD_STACK, 'cdk.tf.json'),
    };
  });
}

if (require.main === module) {
  const r = workload(process.argv[2] ?? 'out/workload');
  for (const f of [r.bayStack, r.workloadStack]) console.log(path.relative(process.cwd(), f));
}

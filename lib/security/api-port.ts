/**
 * The one spec of the ports the Kubernetes API must not take: the synth-time
 * check of `kubernetesPort` and the deploy-time constraints of the
 * `kubernetes_port` parameter (HOT `allowed_pattern`, Terraform variable
 * validation) are generated from it, so a deploy-time override cannot open
 * a port the synth refuses.
 */
import { IntRange } from '../core/int-set';
import { NODE_PORT_RANGE, SENSITIVE_PORTS } from './rules';

/** Valid TCP ports. */
export const TCP_PORT_RANGE: readonly [number, number] = [1, 65535];

/** Ports the API must not take: SSH, etcd, kubelet, kube-scheduler, kube-controller-manager, insecure API ports, NodePorts. */
export const API_PORT_EXCLUSIONS: readonly IntRange[] = [
  { min: 22, max: 22, what: 'SSH' },
  ...SENSITIVE_PORTS.map((s) => ({ min: s.port, max: s.port, what: s.what })),
  { min: 10257, max: 10257, what: 'kube-controller-manager' },
  { min: 10259, max: 10259, what: 'kube-scheduler' },
  { min: NODE_PORT_RANGE[0], max: NODE_PORT_RANGE[1], what: 'NodePort range' },
];

/** The exclusion `port` falls in, if any. */
export function apiPortExclusion(port: number): IntRange | undefined {
  return API_PORT_EXCLUSIONS.find((e) => port >= e.min && port <= e.max);
}

/** What the deploy-time constraint says when a value breaks it. */
export function apiPortConstraintDescription(): string {
  const singles = API_PORT_EXCLUSIONS.filter((e) => e.min === e.max).map((e) => `${e.min} (${e.what})`);
  const ranges = API_PORT_EXCLUSIONS.filter((e) => e.min !== e.max).map((e) => `${e.min}-${e.max} (${e.what})`);
  return `must be a TCP port ${TCP_PORT_RANGE.join('-')}, not ${[...singles, ...ranges].join(', ')}`;
}

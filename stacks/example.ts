/** The example bay of the README: Magnum's defaults, one master, two minions; a new bay (`fixedApiVip`). */
import { KubernetesBayProps } from 'kubebay';

export const EXAMPLE_BAY: KubernetesBayProps = {
  name: 'example',
  image: 'ubuntu-24.04',
  keyName: 'default',
  externalNetwork: 'public',
  masterFlavor: 'm1.medium',
  minionFlavor: 'm1.large',
  masterCount: 1,
  minionCount: 2,
  dockerVolumeSize: 20,
  sshAllowedCidrs: ['203.0.113.0/24'],
  // A new bay: the API address is fixed at synthesis, the nodes do not wait for the load balancer.
  fixedApiVip: true,
};

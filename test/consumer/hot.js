// A plain Node.js script: one bay as a Heat template set, no cdktf involved.
const { HotStack, KubernetesBay } = require('kubebay');

const stack = new HotStack(undefined, 'edge');
new KubernetesBay(stack, 'edge', {
  image: 'ubuntu-24.04',
  keyName: 'ops',
  externalNetwork: 'public',
  minionCount: 3,
  apiAllowedCidrs: ['203.0.113.0/24'],
});
stack.synth('out/hot/edge');
// openstack stack create -t out/hot/edge/kubecluster.yaml \
//   -e out/hot/edge/environment.yaml -e out/hot/edge/secrets.env.yaml edge

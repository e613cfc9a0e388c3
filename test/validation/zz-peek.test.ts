import { runPipeline, workspaceWithPreviousOutputs, thrownBy } from './helpers';
test('peek', () => {
  const ws = workspaceWithPreviousOutputs();
  for (const p of [{ masterCont: 3, flavour: 'x', number_of_masters: 1 }, { minionCount: NaN, name: '../etc' }, { clusterCa: { certFile: '/nonexistent/ca.crt', keyFile: 5 } }, {existingNetwork: {networkId: 'n', subnetID: 's'}, dnsNameservers: ['1.1.1.1']}, {loadBalancerApi: 'lbaas-v1', apiAllowedCidrs: ['203.0.113.0/24']}]) {
    console.log((thrownBy(() => runPipeline(ws, p)) as Error).message);
  }
});

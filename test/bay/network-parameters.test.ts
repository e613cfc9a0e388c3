/**
 * The cluster network's Magnum parameters (`network_driver`,
 * `pods_network_cidr`, `portal_network_cidr`, `dns_service_ip`,
 * `flannel_backend`, `flannel_network_subnetlen`): present in both formats
 * with the synthesized values, and accepting only those (what was rendered
 * for them cannot change on a running cluster). The lifecycle tools replay
 * the refusals in test/lifecycle/network-params.test.ts.
 */
import { hotBay, tfBay } from '../helpers';

const NAMES = ['network_driver', 'pods_network_cidr', 'portal_network_cidr', 'dns_service_ip', 'flannel_backend', 'flannel_network_subnetlen'];

function hotParams(props: object): Record<string, any> {
  return hotBay(props).docs.get('kubecluster.yaml').parameters;
}

function tfVariables(props: object): Record<string, any> {
  return tfBay(props).json.variable;
}

describe('cluster network parameters', () => {
  test('HOT: each carries the synthesized value as its default and its only allowed value, with the prop to change in the refusal', () => {
    const p = hotParams({});
    expect(NAMES.filter((n) => n in p)).toEqual(NAMES);
    expect(Object.fromEntries(NAMES.map((n) => [n, p[n].default]))).toEqual({
      network_driver: 'flannel', pods_network_cidr: '10.100.0.0/16', portal_network_cidr: '10.254.0.0/16',
      dns_service_ip: '10.254.0.10', flannel_backend: 'vxlan', flannel_network_subnetlen: 24,
    });
    expect(p.flannel_network_subnetlen.type).toBe('number');
    for (const n of NAMES) {
      expect(p[n].constraints).toEqual([{ allowed_values: [p[n].default], description: expect.stringContaining(`${n} is fixed at synthesis`) }]);
    }
    expect(p.flannel_backend.constraints[0].description).toMatch(/For a new bay set flannelBackend and synthesize again/);
  });

  test('Terraform: the same variables (prefixed), each validated against its one value', () => {
    const v = tfVariables({});
    expect(v.demo_flannel_network_subnetlen).toMatchObject({ type: 'number', default: 24 });
    expect(v.demo_dns_service_ip.validation).toEqual([{
      condition: '${contains(["10.254.0.10"], var.demo_dns_service_ip)}',
      error_message: expect.stringMatching(/^demo_dns_service_ip: dns_service_ip is fixed at synthesis: .* set dnsServiceIp and synthesize again\.$/),
    }]);
    expect(v.demo_network_driver.validation[0].condition).toBe('${contains(["flannel"], var.demo_network_driver)}');
  });

  test('the values follow the props (and Magnum labels), both formats', () => {
    const props = {
      podNetworkCidr: '10.200.0.0/16', portalNetworkCidr: '10.96.0.0/12', flannelBackend: 'host-gw', labels: { flannel_network_subnetlen: '25', dns_service_ip: '10.96.0.53' },
    };
    const p = hotParams(props);
    expect([p.pods_network_cidr.default, p.portal_network_cidr.default, p.flannel_backend.default, p.flannel_network_subnetlen.default, p.dns_service_ip.default])
      .toEqual(['10.200.0.0/16', '10.96.0.0/12', 'host-gw', 25, '10.96.0.53']);
    const v = tfVariables(props);
    expect(v.demo_flannel_backend.validation[0].condition).toBe('${contains(["host-gw"], var.demo_flannel_backend)}');
    expect(v.demo_dns_service_ip.default).toBe('10.96.0.53');
  });

  test("a Calico bay has network_driver calico and no flannel parameter", () => {
    const p = hotParams({ networkDriver: 'calico' });
    expect(p.network_driver.constraints[0].allowed_values).toEqual(['calico']);
    expect(p).not.toHaveProperty('flannel_backend');
    expect(p).not.toHaveProperty('flannel_network_subnetlen');
    expect(tfVariables({ networkDriver: 'calico' })).not.toHaveProperty('demo_flannel_backend');
  });
});

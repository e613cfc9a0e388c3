import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import * as openstack from '../../../.gen/providers/openstack';
import { BayValidationError, KubernetesBay } from '../../../lib';
import { BASE_PROPS, synthTf } from '../../helpers';

/** A provider class of the user's own (as `cdktf get` would generate it): same Terraform type, another class. */
class UsersOwnOpenstackProvider extends TerraformProvider {
  constructor(scope: Construct, id: string, private readonly region: string) {
    super(scope, id, { terraformResourceType: 'openstack', terraformProviderSource: 'terraform-provider-openstack/openstack' });
  }
  protected synthesizeAttributes(): Record<string, unknown> {
    return { region: this.region };
  }
}

const bay = (stack: TerraformStack, name: string, extra: object = {}) =>
  new KubernetesBay(stack, name, { ...BASE_PROPS, name, fixedNetworkCidr: name === 'a' ? '10.0.0.0/24' : '10.0.1.0/24', ...extra });

describe('one OpenStack provider configuration per stack, whoever declares it', () => {
  test('no provider declared: kubebay adds one empty default (auth from OS_* / clouds.yaml)', () => {
    const { json } = synthTf((stack) => bay(stack, 'a'));
    expect(json.provider.openstack).toEqual([{}]);
    expect(json.terraform.required_providers.openstack.source).toBe('terraform-provider-openstack/openstack');
  });

  test.each([
    ['before the bays, construct id "openstack"', 'openstack', true],
    ['after the bays, construct id "openstack"', 'openstack', false],
    ['before the bays, another construct id', 'cloud', true],
    ['after the bays, another construct id', 'cloud', false],
  ])("the user's provider declared %s is the only one", (_, id, first) => {
    const { json } = synthTf((stack) => {
      if (first) new openstack.provider.OpenstackProvider(stack, id, { region: 'RegionOne' });
      bay(stack, 'a');
      bay(stack, 'b');
      if (!first) new openstack.provider.OpenstackProvider(stack, id, { region: 'RegionOne' });
    });
    expect(json.provider.openstack).toEqual([{ region: 'RegionOne' }]);
  });

  test("a provider of the user's own binding class is recognised by its Terraform type", () => {
    const { json } = synthTf((stack) => {
      bay(stack, 'a');
      new UsersOwnOpenstackProvider(stack, 'mine', 'RegionTwo');
    });
    expect(json.provider.openstack).toEqual([{ region: 'RegionTwo' }]);
  });

  test('a bay on an aliased provider (second region): its resources name it, the other bay uses the default', () => {
    const { json } = synthTf((stack) => {
      new openstack.provider.OpenstackProvider(stack, 'openstack', { region: 'RegionOne' });
      const east = new openstack.provider.OpenstackProvider(stack, 'east', { alias: 'east', region: 'RegionTwo' });
      bay(stack, 'a', { provider: east });
      bay(stack, 'b');
    });
    expect(json.provider.openstack).toEqual([{ region: 'RegionOne' }, { alias: 'east', region: 'RegionTwo' }]);
    const servers = json.resource.openstack_compute_instance_v2;
    expect(servers.a_master_server.provider).toBe('openstack.east');
    expect(servers.b_master_server.provider).toBeUndefined();
    expect(json.data.openstack_networking_network_v2.a_external_net.provider).toBe('openstack.east');
  });

  test('only an aliased provider declared: the default configuration is still added once', () => {
    const { json } = synthTf((stack) => {
      const east = new openstack.provider.OpenstackProvider(stack, 'east', { alias: 'east', region: 'RegionTwo' });
      bay(stack, 'a', { provider: east });
      bay(stack, 'b');
    });
    expect(json.provider.openstack).toEqual([{ alias: 'east', region: 'RegionTwo' }, {}]);
  });

  test('a provider prop that is not an OpenStack provider names the prop and the fix', () => {
    expect(() =>
      synthTf((stack) => {
        const other = new UsersOwnOpenstackProvider(stack, 'x', 'r');
        Object.defineProperty(other, 'terraformResourceType', { value: 'aws' });
        bay(stack, 'a', { provider: other });
      }),
    ).toThrow(BayValidationError);
    expect(() => synthTf((stack) => bay(stack, 'a', { provider: { node: {} } }))).toThrow(/provider: .* is not a cdktf OpenStack provider; pass a provider construct of Terraform type 'openstack'/);
  });
});

import { hotBay, tfBay } from '../helpers';

describe('removing a named minion', () => {
  test('HOT: removal_policies name the minion; the nested stack id is its private IP so it may be named by IP', () => {
    // GIVEN a bay of 3 minions, WHEN minion 1 is removed
    const { docs } = hotBay({ name: 'rm', minionCount: 3, minionsToRemove: ['1'] });
    const root = docs.get('kubecluster.yaml');
    // THEN
    expect(root.parameters.minions_to_remove.default).toEqual(['1']);
    expect(root.resources.rm_kube_minions.properties.removal_policies).toEqual([{ resource_list: { get_param: 'minions_to_remove' } }]);
    expect(docs.get('kubeminion.yaml').outputs['OS::stack_id'].value).toEqual({ get_attr: ['rm_minion_port', 'fixed_ips', 0, 'ip_address'] });
  });

  test('Terraform: for_each keys skip the removed keys and keep the others', () => {
    const { json } = tfBay({ name: 'rmtf', minionCount: 3, minionsToRemove: ['1'] });
    expect(json.variable.rmtf_minions_to_remove.default).toEqual(['1']);
    expect(json.locals.rmtf_kube_minions_keys).toBe(
      '${slice([for i in range(var.rmtf_number_of_minions + length(var.rmtf_minions_to_remove)) : tostring(i) if !contains(var.rmtf_minions_to_remove, tostring(i))], 0, var.rmtf_number_of_minions)}',
    );
    // The expression, evaluated as Terraform would: keys 0..3 without 1, the first 3 of them.
    const keys = (n: number, removed: string[]) =>
      [...Array(n + removed.length).keys()].map(String).filter((k) => !removed.includes(k)).slice(0, n);
    expect(keys(3, ['1'])).toEqual(['0', '2', '3']);
    expect(keys(2, ['0', '2'])).toEqual(['1', '3']);
  });

  test('Terraform refuses a private IP in minionsToRemove, naming the prop and the fix', () => {
    expect(() => tfBay({ name: 'rmip', minionCount: 2, minionsToRemove: ['10.0.0.12'] })).toThrow(/minionsToRemove: "10\.0\.0\.12".*kube_minions_by_key/);
  });

  test('Terraform variable validation accepts only keys', () => {
    const { json } = tfBay({ name: 'rmval' });
    expect(json.variable.rmval_minions_to_remove.validation[0].condition).toContain('alltrue([for x in var.rmval_minions_to_remove');
  });
});

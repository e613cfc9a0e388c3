/**
 * Integer props and their parameters share one spec (lib/bay/specs.ts): the
 * parameter's deploy-time range is exactly the range validation accepts.
 */
import { KubernetesBayProps } from '../../lib';
import { resolveProps } from '../../lib/bay/defaults';
import { parameterDefinitions } from '../../lib/bay/parameters';
import { INTEGER_SPECS } from '../../lib/bay/specs';
import { validateProps } from '../../lib/bay/validate';
import { BASE_PROPS } from '../helpers';

const PARAMETER_OF: Partial<Record<keyof typeof INTEGER_SPECS, string>> = {
  masterCount: 'number_of_masters',
  minionCount: 'number_of_minions',
  dockerVolumeSize: 'docker_volume_size',
  waitConditionTimeout: 'wait_condition_timeout',
  updateMaxBatchSize: 'update_max_batch_size',
  masterUpdatePauseTime: 'master_update_pause_time',
  kubernetesPort: 'kubernetes_port',
};
const props = (extra: Partial<KubernetesBayProps> = {}) => resolveProps('specs', { ...BASE_PROPS, name: 'specs', fixedNetworkCidr: '10.0.0.0/16', podNetworkCidr: '100.64.0.0/10', ...extra } as KubernetesBayProps);
const complaintsAbout = (prop: string, value: number) => validateProps(props({ [prop]: value })).filter((i) => i.prop === prop);

test.each(Object.entries(PARAMETER_OF))('%s: parameter %s has the range validation accepts', (prop, parameter) => {
  // GIVEN
  const spec = INTEGER_SPECS[prop as keyof typeof INTEGER_SPECS];
  // WHEN
  const range = parameterDefinitions(props())[parameter!].constraints?.range;
  // THEN: the same bounds, and validation accepts the bounds and refuses one beyond each
  expect(range).toEqual({ min: spec.min, max: spec.max });
  expect(complaintsAbout(prop, spec.min)).toEqual([]);
  expect(complaintsAbout(prop, spec.min - 1)).toEqual([expect.objectContaining({ prop, value: spec.min - 1, fix: `use an integer from ${spec.min} to ${spec.max}` })]);
  expect(complaintsAbout(prop, spec.max + 1)).toEqual([expect.objectContaining({ prop, value: spec.max + 1 })]);
});

test('validation issues are structured: prop, value, problem and fix as data', () => {
  expect(validateProps(props({ masterCount: 0, keySize: 1 as 2048 }))).toEqual([
    { prop: 'masterCount', value: 0, problem: 'is not a valid master count', fix: 'use an integer from 1 to 99' },
    { prop: 'keySize', value: 1, problem: 'is not a supported RSA key size', fix: 'use 2048 or 4096' },
  ]);
});

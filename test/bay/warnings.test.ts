/**
 * Warnings of a bay (annotations with stable ids): they are reported, name
 * the prop to change, and never stop the synth.
 */
import { Construct } from 'constructs';
import { collectWarnings, KubernetesBay, KubernetesBayProps } from '../../lib';
import { BASE_PROPS, hotBay, tfBay } from '../helpers';

/** A bay in a plain tree (the warnings are added by the constructor). */
function bay(props: Partial<KubernetesBayProps> = {}): KubernetesBay {
  const root = new Construct(undefined as any, 'root');
  return new KubernetesBay(root, 'warn', { ...BASE_PROPS, name: 'warn', ...props });
}

/** The warning ids of a scope, sorted. */
const ids = (scope: Construct) =>
  collectWarnings(scope)
    .map((w) => /^\[kubebay:([a-z-]+)\]/.exec(w.message)?.[1] ?? w.message)
    .sort();

/** Props that trigger no warning. */
const QUIET: Partial<KubernetesBayProps> = { masterCount: 3, apiAllowedCidrs: ['203.0.113.0/24'], floatingIps: true };

describe('warnings', () => {
  test('a bay with an odd master count, a restricted API and floating IPs has none', () => {
    expect(ids(bay(QUIET))).toEqual([]);
  });

  test.each([2, 4])('masterCount %d (even): even-masters, naming the count and the fix', (masterCount) => {
    // GIVEN / WHEN
    const b = bay({ ...QUIET, masterCount });
    // THEN
    expect(ids(b)).toEqual(['even-masters']);
    const [w] = collectWarnings(b);
    expect(w.path).toBe('root/warn');
    expect(w.message).toMatch(new RegExp(`masterCount ${masterCount} is even: etcd tolerates no more failures than with ${masterCount - 1} masters; use an odd count`));
  });

  test.each([1, 3, 5])('masterCount %d (odd): no even-masters warning', (masterCount) => {
    expect(ids(bay({ ...QUIET, masterCount }))).toEqual([]);
  });

  test('the API open to 0.0.0.0/0 (the default): api-open, naming apiAllowedCidrs', () => {
    // GIVEN apiAllowedCidrs left at its default
    const b = bay({ ...QUIET, apiAllowedCidrs: undefined });
    // THEN
    expect(ids(b)).toEqual(['api-open']);
    expect(collectWarnings(b)[0].message).toMatch(/open to 0\.0\.0\.0\/0; set apiAllowedCidrs/);
  });

  test('0.0.0.0/0 among other API CIDRs still warns', () => {
    expect(ids(bay({ ...QUIET, apiAllowedCidrs: ['203.0.113.0/24', '0.0.0.0/0'] }))).toEqual(['api-open']);
  });

  test('no floating IPs and no sshAllowedCidrs: no-ssh-path', () => {
    // GIVEN
    const b = bay({ ...QUIET, floatingIps: false, sshAllowedCidrs: [] });
    // THEN
    expect(ids(b)).toEqual(['no-ssh-path']);
    expect(collectWarnings(b)[0].message).toMatch(/no floating IPs and sshAllowedCidrs is empty/);
  });

  test('no floating IPs but SSH allowed from somewhere (a bastion network): no warning', () => {
    expect(ids(bay({ ...QUIET, floatingIps: false, sshAllowedCidrs: ['10.20.0.0/16'] }))).toEqual([]);
  });

  test('floating IPs without sshAllowedCidrs: no no-ssh-path warning (the path exists once SSH is allowed)', () => {
    expect(ids(bay({ ...QUIET, sshAllowedCidrs: [] }))).toEqual([]);
  });

  test('all three together', () => {
    expect(ids(bay({ masterCount: 2, apiAllowedCidrs: ['0.0.0.0/0'], floatingIps: false, sshAllowedCidrs: [] }))).toEqual([
      'api-open',
      'even-masters',
      'no-ssh-path',
    ]);
  });

  test('warnings do not stop either synth and reach both outputs’ warning lists', () => {
    // GIVEN a bay with every warning
    const props = { name: 'warn', masterCount: 2, floatingIps: false, sshAllowedCidrs: [] };
    // WHEN
    const tf = tfBay(props);
    const hot = hotBay(props);
    // THEN
    expect(tf.json.resource).toBeDefined();
    expect(ids(tf.app)).toEqual(['api-open', 'even-masters', 'no-ssh-path']);
    expect(hot.warnings.map((w) => /^\[kubebay:([a-z-]+)\]/.exec(w.message)?.[1]).sort()).toEqual(['api-open', 'even-masters', 'no-ssh-path']);
    // cdktf prints metadata of this type on `cdktf synth`
    expect(tf.bay.node.metadata.filter((m) => m.type === '@cdktf/warn')).toHaveLength(3);
  });
});

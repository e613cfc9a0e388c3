/**
 * The one Kubernetes version grammar: the synth-time parser, the bootstrap's
 * boot-time check (bash ERE + minimum minor) and the parameter's pattern (HOT
 * allowed_pattern with Heat's re.match semantics, Terraform's anchored regex)
 * accept exactly the same versions.
 */
import fc from 'fast-check';
import { KUBERNETES_VERSION_ERE, kubernetesVersionPattern, MIN_KUBERNETES_MINOR, parseKubernetesVersion } from '../../lib/core/version';

const parses = (v: string) => {
  try {
    parseKubernetesVersion(v);
    return true;
  } catch {
    return false;
  }
};
/** The bootstrap's check: the ERE, then minor >= MIN (10# base, as bash reads it). */
const bootAccepts = (v: string) => new RegExp(KUBERNETES_VERSION_ERE).test(v) && Number(v.split('.')[1]) >= MIN_KUBERNETES_MINOR;
/** Heat: Python re.match, and the match must end at the value's end. */
const heatAccepts = (v: string) => {
  const m = new RegExp(kubernetesVersionPattern(), 'y').exec(v);
  return m !== null && m[0].length === v.length;
};
/** Terraform: can(regex("^(?:pattern)$", v)). */
const terraformAccepts = (v: string) => new RegExp(`^(?:${kubernetesVersionPattern()})$`).test(v);

const CASES = ['v1.31', 'v1.31.2', 'v1.031', 'v1.99.999', 'v1.100', 'v1.999.0', 'v1.30', 'v1.31.1000', 'v1.1000', 'v1.3', 'v1.31.', '1.31', 'v2.31', 'v1.31.2-rc.0', ' v1.31', 'v1.0031'];

test.each(CASES)('%s: parser, bootstrap and both parameter constraints agree', (v) => {
  // WHEN
  const verdicts = { parser: parses(v), boot: bootAccepts(v), heat: heatAccepts(v), terraform: terraformAccepts(v) };
  // THEN
  expect(verdicts).toEqual({ parser: parses(v), boot: parses(v), heat: parses(v), terraform: parses(v) });
});

test('the fixed disagreement: a patch of four digits is refused at deploy time, as at boot', () => {
  expect([parses('v1.31.1000'), heatAccepts('v1.31.1000'), terraformAccepts('v1.31.1000')]).toEqual([false, false, false]);
});

test('random v1.<digits>[.<digits>] strings: all four agree', () => {
  const digits = fc.stringMatching(/^[0-9]{1,5}$/);
  fc.assert(
    fc.property(digits, fc.option(digits), (minor, patch) => {
      const v = `v1.${minor}${patch === null ? '' : `.${patch}`}`;
      const p = parses(v);
      return bootAccepts(v) === p && heatAccepts(v) === p && terraformAccepts(v) === p;
    }),
  );
});

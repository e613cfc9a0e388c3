/** The one format of a validation issue, and errors carrying the construct path as data. */
import { Construct } from 'constructs';
import { BayValidationError, formatIssue, ValidationError } from '../../lib';

test('an issue formats as [path] prop: <value> problem; fix', () => {
  expect(formatIssue({ path: 'app/bay', prop: 'minionCount', value: -1, problem: 'is not a valid minion count', fix: 'use an integer from 0 to 10000' })).toBe(
    '[app/bay] minionCount: -1 is not a valid minion count; use an integer from 0 to 10000',
  );
  // a construct's own validation message: no prop, no fix
  expect(formatIssue({ path: 'app/bay/security', problem: 'opens etcd to the world' })).toBe('[app/bay/security] opens etcd to the world');
});

test('BayValidationError keeps the issues structured beside their formatted messages', () => {
  const issue = { path: 'b', prop: 'keySize', value: 1, problem: 'is not a supported RSA key size', fix: 'use 2048 or 4096' };
  const e = new BayValidationError([issue, '[x] free text']);
  expect(e.issues).toEqual([issue, { problem: '[x] free text' }]);
  expect(e.errors).toEqual(['[b] keySize: 1 is not a supported RSA key size; use 2048 or 4096', '[x] free text']);
  expect(e.message).toMatch(/^kubebay: 2 validation errors:\n {2}- \[b\] keySize/);
});

test('ValidationError carries the construct path as data, the message unchanged', () => {
  // A plain root (a cdktf App would create cdktf.out/ in the working directory).
  const scope = new Construct(new Construct(undefined as any, ''), 'bay');
  const e = new ValidationError('kubernetesVersion: bad', scope);
  expect([e.message, e.constructPath, e.name, e instanceof Error]).toEqual(['kubernetesVersion: bad', 'bay', 'ValidationError', true]);
});

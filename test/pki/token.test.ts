import { BOOTSTRAP_TOKEN_PATTERN, generateBootstrapToken } from '../../lib/pki';

describe('generateBootstrapToken', () => {
  test('matches the kubeadm token format and does not repeat', () => {
    // GIVEN many tokens
    const tokens = Array.from({ length: 500 }, () => generateBootstrapToken());
    // THEN each is <6>.<16> of [a-z0-9], and all are distinct
    for (const t of tokens) expect(t).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(BOOTSTRAP_TOKEN_PATTERN.test(tokens[0])).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  test('uses the whole alphabet', () => {
    // GIVEN the characters of many tokens
    const chars = new Set(Array.from({ length: 500 }, () => generateBootstrapToken().replace('.', '')).join(''));
    // THEN all 36 letters and digits occur
    expect(chars.size).toBe(36);
  });
});

/**
 * The synth-time size check of the user data (lib/bay/user-data-size.ts)
 * measures the text as it is sent: the gzipped script is part of the text,
 * and the placeholders of its environment file count with their values.
 */
import { NOVA_USER_DATA_LIMIT, estimatedBase64Size } from '../../lib/bay/user-data-size';
import { UserDataOptions, renderUserData, sampleValues, substitute } from '../../lib/bootstrap';

const LARGEST: UserDataOptions = {
  role: 'first-master', preinstalledPackages: false, podNetworkCidr: '10.100.0.0/16', serviceCidr: '10.254.0.0/16',
  clusterName: 'kubebay', dockerVolume: true, openstackCa: true, cloudControllerManager: true, cinderCsi: true,
};

describe('estimatedBase64Size', () => {
  const values = sampleValues({ keySize: 4096 });

  it.each(['first-master', 'master', 'minion'] as const)(
    'GIVEN the %s user data and known values WHEN estimated THEN the estimate is the exact base64 size Nova sees',
    (role) => {
      const { text } = renderUserData({ ...LARGEST, role });
      const real = Buffer.from(substitute(text, values), 'utf8').toString('base64').length;
      expect(estimatedBase64Size(text, values)).toBe(real);
    },
  );

  it('GIVEN the largest combination (RSA-4096, volume, 2-cert CA bundle, CCM + CSI) WHEN substituted THEN it fits under Nova’s limit', () => {
    const { text } = renderUserData(LARGEST);
    const size = estimatedBase64Size(text, values);
    // Before the script was gzipped this combination came to 68,284 bytes and was refused.
    expect(size).toBeLessThan(NOVA_USER_DATA_LIMIT);
    expect(size).toBeGreaterThan(50_000); // realistic key material
  });
});

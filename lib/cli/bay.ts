/** Building a bay from a config file, with the bay's validation messages pointing into the file. */
import { Construct } from 'constructs';
import { KubernetesBay } from '../bay/kubernetes-bay';
import { stackIdFor } from '../bay/validate';
import { assertValid, BayValidationError } from '../core/validation';
import type { BayPki } from '../pki';
import { BayConfig, ConfigError } from './config';
import { CliIo } from './io';

/** Runs `fn`; a `BayValidationError` becomes a `ConfigError` whose messages carry the file and line. */
export function located<T>(config: BayConfig, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BayValidationError) throw new ConfigError(config.locate(e.issues));
    throw e;
  }
}

/**
 * The bay of a config file in `scope` (construct id = bay name), validated
 * with everything else below `root`. Its PKI is `pki` when given, else the
 * store under the config's pkiDir, whose key generation reports on stderr
 * (unless `io` is undefined).
 */
export function buildBay(config: BayConfig, scope: Construct, root: Construct, io: CliIo | undefined, pki?: BayPki): KubernetesBay {
  return located(config, () => {
    const bay = new KubernetesBay(scope, stackIdFor(config.props.name), {
      ...config.props,
      pki,
      pkiProgress: io && ((message) => io.stderr.write(`kubebay: ${message}\n`)),
    });
    assertValid(root);
    return bay;
  });
}

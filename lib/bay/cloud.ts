/**
 * The bay's cloud integration: which options the user data gets (CA bundle,
 * cloud-controller-manager, Cinder CSI) and the values of their placeholders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { Value } from '../core/expr';
import { BaySecret } from '../core/model';
import type { ResolvedBayProps } from './defaults';

/** The cloud options of the user data, defaults applied (the controllers are on when credentials are given). */
export interface CloudOptions {
  readonly openstackCa: boolean;
  readonly cloudControllerManager: boolean;
  readonly cinderCsi: boolean;
}

export function cloudOptions(c: ResolvedBayProps): CloudOptions {
  const credentials = c.applicationCredential !== undefined;
  return {
    openstackCa: c.openstackCaFile !== undefined,
    cloudControllerManager: credentials && c.cloudControllerManager !== false,
    cinderCsi: credentials && c.cinderCsi !== false,
  };
}

/**
 * Values of the cloud placeholders. The CA bundle is public (a literal, as
 * the cluster CA certificate); the application credential's secret is a
 * `BaySecret` (HOT hidden parameter, Terraform sensitive file read), created
 * only when given.
 */
export function cloudValues(scope: Construct, c: ResolvedBayProps, subnetId: Value): Record<string, Value> {
  const values: Record<string, Value> = { OPENSTACK_REGION: c.openstackRegion };
  if (c.openstackCaFile !== undefined) values.OPENSTACK_CA = fs.readFileSync(c.openstackCaFile).toString('base64');
  const cred = c.applicationCredential;
  if (cred) {
    values.OPENSTACK_AUTH_URL = c.openstackAuthUrl ?? '';
    values.APPLICATION_CREDENTIAL_ID = cred.id;
    values.APPLICATION_CREDENTIAL_SECRET = new BaySecret(scope, 'application_credential_secret', {
      description: 'secret of the OpenStack application credential of the cloud-controller-manager and Cinder CSI',
      file: path.resolve(cred.secretFile),
      encoding: 'text',
    }).value;
    values.CLOUD_SUBNET_ID = subnetId;
  }
  return values;
}

/**
 * Escape hatch: a raw HOT resource for what kubebay does not model. It lives
 * in a HotStack next to bays; the Terraform target refuses it.
 */
import { Construct } from 'constructs';
import { Value } from '../../core/expr';
import { defineKind } from '../../core/kind';
import { BayResource, ResourceOptions } from '../../core/model';

export interface RawHotResourceProps extends ResourceOptions {
  /** HOT resource type, e.g. `OS::Designate::RecordSet`. */
  readonly type: string;
  /** Properties; may hold kubebay references (`bay.outputs`, resources' `id`/`attr()`). */
  readonly properties: Record<string, Value>;
}

export class RawHotResource extends BayResource<Record<string, Value>> {
  constructor(scope: Construct, id: string, props: RawHotResourceProps) {
    super(
      scope,
      id,
      defineKind<Record<string, Value>>({
        name: `raw HOT ${props.type}`,
        hot: { type: props.type, properties: (p) => p },
        tfMissing: 'a raw HOT resource has no Terraform form; use a cdktf resource in a TerraformStack instead',
      }),
      props.properties,
      props,
    );
  }
}

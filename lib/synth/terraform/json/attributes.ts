/**
 * A generated binding's config (camelCase names, checked by the compiler in
 * the kinds) as the Terraform attributes the binding would synthesize, from
 * the names cdktf's generator derives from the kept provider schema
 * (.gen/attribute-names/openstack.ts, written by
 * scripts/gen-bindings.mjs). A name the schema does not know is an error,
 * never a guess.
 */
import { ATTRIBUTE_NAMES, AttributeNames } from '../../../../.gen/attribute-names/openstack';
import { keysToSnakeCase } from './conventions';

/** Meta-arguments a kind's config may carry (cdktf `TerraformMetaArguments`); only `lifecycle` is supported here. */
const META_ARGUMENTS = new Set(['dependsOn', 'count', 'provider', 'lifecycle', 'forEach', 'provisioners', 'connection']);

/** The attributes and meta-arguments of a resource (or data source, `data.` prefix) from its binding config. */
export function terraformAttributes(type: string, config: Record<string, unknown>, where: string): { attributes: Record<string, unknown>; meta: Record<string, unknown> } {
  const names = ATTRIBUTE_NAMES[type];
  if (!names) throw new Error(`${where}: ${type} is not in provider/openstack-schema.json: add it to provider/subset.json and run scripts/subset-schema.mjs`);
  const attrs: Record<string, unknown> = {};
  const meta: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (META_ARGUMENTS.has(key)) {
      if (key !== 'lifecycle') throw new Error(`${where}: the direct Terraform writer does not render the meta-argument ${key} of a kind's config; use overrides in plan.ts`);
      meta.lifecycle = lifecycle(value, where);
    } else {
      Object.assign(attrs, attribute(names, key, value, `${where} ${type}`));
    }
  }
  return { attributes: attrs, meta };
}

function attribute(names: AttributeNames, key: string, value: unknown, where: string): Record<string, unknown> {
  const name = names[key];
  if (name === undefined) throw new Error(`${where}: config key ${key} is not an attribute of the provider schema`);
  if (typeof name === 'string') return { [name]: value };
  const [tfName, nested] = name;
  const block = (v: unknown) => (v && typeof v === 'object' ? blockAttributes(nested, v as Record<string, unknown>, `${where}.${tfName}`) : v);
  return { [tfName]: Array.isArray(value) ? value.map(block) : block(value) };
}

/** A nested block: every key of the block's struct (cdktf's `...ToTerraform` functions), `undefined` for unset ones. */
function blockAttributes(names: AttributeNames, value: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) Object.assign(out, attribute(names, key, v, where));
  return out;
}

/** cdktf `lifecycleToTerraform` then `keysToSnakeCase`; `replaceTriggeredBy` must be addresses (strings). */
function lifecycle(value: unknown, where: string): unknown {
  const l = value as { replaceTriggeredBy?: unknown[] } | undefined;
  if (l?.replaceTriggeredBy?.some((x) => typeof x !== 'string')) throw new Error(`${where}: lifecycle.replaceTriggeredBy needs addresses (strings) in the direct Terraform writer`);
  return keysToSnakeCase(value);
}

/**
 * The dependency graph of a HOT template set, as Heat builds it: a resource
 * depends on the resources named in its `depends_on` and in the
 * `get_resource` / `get_attr` functions of its properties (for a
 * `OS::Heat::ResourceGroup`, those of its `resource_def` too). Group counts
 * are the `count` parameter's value (the environment's, else the default).
 */
import type { SpecResource, StackSpec } from './model';

type Doc = { parameters?: Record<string, { default?: unknown }>; resources?: Record<string, HotResource> };
type HotResource = { type: string; properties?: unknown; depends_on?: string | string[] };

/** Names referenced by get_resource / get_attr anywhere inside `value`. */
export function referencedNames(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedNames(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'get_resource' && typeof v === 'string') into.add(v);
      else if (k === 'get_attr' && Array.isArray(v) && typeof v[0] === 'string') into.add(v[0]);
      else referencedNames(v, into);
    }
  }
  return into;
}

function depsOf(name: string, r: HotResource, names: ReadonlySet<string>): string[] {
  const declared = r.depends_on === undefined ? [] : Array.isArray(r.depends_on) ? r.depends_on : [r.depends_on];
  const refs = [...referencedNames(r.properties)];
  const all = [...new Set([...declared, ...refs])];
  const unknown = all.filter((d) => !names.has(d));
  if (unknown.length) throw new Error(`${name} depends on unknown resources ${unknown.join(', ')}`);
  return all.filter((d) => d !== name);
}

function countOf(name: string, count: unknown, doc: Doc, params: Readonly<Record<string, unknown>>): number {
  if (typeof count === 'number') return count;
  const p = (count as { get_param?: string } | undefined)?.get_param;
  if (typeof p !== 'string') throw new Error(`${name}: count is neither a number nor get_param`);
  const v = params[p] ?? doc.parameters?.[p]?.default;
  if (v === undefined || Number.isNaN(Number(v))) throw new Error(`${name}: no value for parameter ${p}`);
  return Number(v);
}

/**
 * The template set `docs` (parsed YAML by file name) as a StackSpec. A group
 * whose name contains "minion" is a group of minions, any other a group of
 * masters. `params` overrides parameter values (e.g. number_of_minions).
 */
export function hotSpec(docs: ReadonlyMap<string, unknown>, root: string, params: Readonly<Record<string, unknown>> = {}): StackSpec {
  const templates: Record<string, Record<string, SpecResource>> = {};
  const visit = (file: string) => {
    if (templates[file]) return;
    const doc = docs.get(file) as Doc | undefined;
    if (!doc) throw new Error(`no template ${file}`);
    const resources = doc.resources ?? {};
    const names = new Set(Object.keys(resources));
    const out: Record<string, SpecResource> = (templates[file] = {});
    for (const [name, r] of Object.entries(resources)) {
      const deps = depsOf(name, r, names);
      if (r.type !== 'OS::Heat::ResourceGroup') {
        out[name] = { type: r.type, deps };
        continue;
      }
      const props = r.properties as { count?: unknown; resource_def: { type: string } };
      const template = props.resource_def.type;
      visit(template);
      out[name] = { type: r.type, deps, group: { template, count: countOf(name, props.count, doc, params), role: /minion/.test(name) ? 'minion' : 'master' } };
    }
  };
  visit(root);
  return { root, templates };
}

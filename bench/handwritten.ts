/**
 * The reference case of issue 15: a plain cdktf program, as one would write
 * it by hand with the generated OpenStack bindings, that declares exactly the
 * resources, data sources, variables, locals and outputs of a cdk.tf.json
 * (the example bay's). Generated from that file on every bench run, so it
 * stays equal when the bay changes; `sameTerraform` checks that its output
 * is the same document.
 *
 * The program is CommonJS JavaScript (no compile step, as a compiled
 * hand-written app would run): it requires `cdktf` and one binding module
 * per resource type, constructs everything in one TerraformStack, and calls
 * `app.synth()`. Meta-arguments (`for_each`, `depends_on`, `lifecycle`) are
 * set with `addOverride`, as a hand-written program without iterators would.
 * `terraform_data` is declared as kubebay declares it (see {@link TerraformDataStyle}).
 *
 *   node <file>.js <outdir>
 */
type Json = Record<string, any>;

const META = new Set(['for_each', 'depends_on', 'lifecycle', 'count', 'provider']);

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const pascal = (s: string) => camel(s).replace(/^[a-z]/, (c) => c.toUpperCase());

/** Binding module and class of a Terraform type: openstack_compute_instance_v2 → compute-instance-v2, ComputeInstanceV2. */
export function bindingOf(type: string, data = false): { module: string; className: string } {
  const base = type.replace(/^openstack_/, '');
  if (data) return { module: `data-openstack-${base.replace(/_/g, '-')}`, className: `DataOpenstack${pascal(base)}` };
  return { module: base.replace(/_/g, '-'), className: pascal(base) };
}

/** A resource body in the binding's config shape: camelCase keys (not inside map-typed attributes), no metadata. */
export function toConfig(value: unknown, maps: ReadonlySet<string> = new Set(['metadata', 'value_specs', 'tags_map'])): unknown {
  if (Array.isArray(value)) return value.map((v) => toConfig(v, maps));
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '//') continue;
    out[camel(k)] = maps.has(k) ? v : toConfig(v, maps);
  }
  return out;
}

const lit = (v: unknown) => JSON.stringify(v);

/**
 * How the program declares Terraform's own `terraform_data`: `resource`, a
 * plain `TerraformResource` of that type with its arguments as overrides (what
 * kubebay does), or cdktf's `DataResource` class, whose validation runs
 * `terraform version` in a shell on every `node.validate()` (a child process
 * per resource and validation: the wall time of such a program includes them).
 */
export type TerraformDataStyle = 'resource' | 'DataResource';

/** `terraform_data` as a plain TerraformResource: every argument is an override. */
function plainTerraformData(name: string, body: Json): string[] {
  return [
    `{ const r = new TerraformResource(stack, ${lit(name)}, { terraformResourceType: 'terraform_data', terraformGeneratorMetadata: { providerName: 'terraform' } });`,
    ...Object.entries(body).map(([k, v]) => `  r.addOverride(${lit(k)}, ${lit(v)});`),
    '}',
  ];
}

function resourceLines(json: Json, req: (module: string) => string, terraformData: TerraformDataStyle): string[] {
  const L: string[] = [];
  const blocks: [Json | undefined, boolean][] = [[json.data, true], [json.resource, false]];
  for (const [block, data] of blocks) {
    for (const [type, byName] of Object.entries(block ?? {})) {
      const builtin = type === 'terraform_data' && !data;
      if (builtin && terraformData === 'resource') {
        for (const [name, body] of Object.entries(byName as Json)) L.push(...plainTerraformData(name, body as Json));
        continue;
      }
      // terraform_data is Terraform's own resource: cdktf's DataResource, not a provider binding.
      const b = builtin ? { module: '', className: 'DataResource' } : bindingOf(type, data);
      const mod = b.module ? `${req(b.module)}.` : '';
      for (const [name, body] of Object.entries(byName as Json)) {
        const config = Object.fromEntries(Object.entries(body as Json).filter(([k]) => !META.has(k)));
        const meta = Object.entries(body as Json).filter(([k]) => META.has(k));
        if (!meta.length) {
          L.push(`new ${mod}${b.className}(stack, ${lit(name)}, ${lit(toConfig(config))});`);
          continue;
        }
        L.push(`{ const r = new ${mod}${b.className}(stack, ${lit(name)}, ${lit(toConfig(config))});`);
        for (const [k, v] of meta) L.push(`  r.addOverride(${lit(k)}, ${lit(v)});`);
        L.push('}');
      }
    }
  }
  return L;
}

function variableLines(json: Json): string[] {
  return Object.entries((json.variable ?? {}) as Json).map(([name, v]) => {
    const { validation, ...rest } = v as Json;
    const config: Json = { ...rest };
    if (validation) config.validation = (validation as Json[]).map((x) => ({ condition: x.condition, errorMessage: x.error_message }));
    return `new TerraformVariable(stack, ${lit(name)}, ${lit(config)});`;
  });
}

/**
 * The program's source. `cdktfPath` and `genDir` are absolute paths to the
 * cdktf package and to the compiled bindings (`dist/.gen/providers/openstack`).
 */
export function handwrittenProgram(json: Json, stackName: string, cdktfPath: string, genDir: string, terraformData: TerraformDataStyle = 'resource'): string {
  const modules = new Map<string, string>();
  const req = (module: string) => {
    if (!modules.has(module)) modules.set(module, `m${modules.size}`);
    return modules.get(module)!;
  };
  const provider = req('provider');
  const body = [
    ...Object.entries((json.provider ?? {}) as Json).flatMap(([, configs]) =>
      (configs as Json[]).map((c) => `new ${provider}.OpenstackProvider(stack, 'openstack', ${lit(toConfig(c))});`)),
    ...variableLines(json),
    ...Object.entries((json.locals ?? {}) as Json).map(([name, v]) => `new TerraformLocal(stack, ${lit(name)}, ${lit(v)});`),
    ...resourceLines(json, req, terraformData),
    // cdktf 0.21 writes no output preconditions: a hand-written program adds them as an override too.
    ...Object.entries((json.output ?? {}) as Json).map(([name, o]) => {
      const { precondition, ...rest } = o as Json;
      const make = `new TerraformOutput(stack, ${lit(name)}, ${lit(rest)})`;
      return precondition ? `${make}.addOverride('precondition', ${lit(precondition)});` : `${make};`;
    }),
  ];
  return [
    '// Generated by bench/handwritten.ts from a cdk.tf.json: the hand-written equivalent (reference case).',
    `const { App, DataResource, TerraformLocal, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable } = require(${lit(cdktfPath)});`,
    ...[...modules].map(([module, v]) => `const ${v} = require(${lit(`${genDir}/${module}`)});`),
    'const app = new App({ outdir: process.argv[2] });',
    `const stack = new TerraformStack(app, ${lit(stackName)});`,
    ...body,
    'app.synth();',
    '',
  ].join('\n');
}

/** The document without cdktf's metadata (`//`) and backend path (it names the working directory). */
export function comparable(json: Json): Json {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== '//').map(([k, x]) => [k, strip(x)]));
  };
  const out = strip(json) as Json;
  if (out.terraform) delete out.terraform.backend;
  return out;
}

/** First path where two documents differ (after `comparable`), or undefined when they are the same. */
export function firstDifference(a: unknown, b: unknown, at = '$'): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return `${at}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const d = firstDifference((a as Json)[k], (b as Json)[k], `${at}.${k}`);
    if (d) return d;
  }
  return `${at}: key order`;
}

/**
 * Template assertions for both formats, modelled on aws-cdk's
 * `assertions.Template`: find resources by type and a deep partial pattern
 * (see `match.ts`), count them, and get the logical id of a construct from
 * the construct itself, so that no test hard-codes a logical name.
 *
 * ```ts
 * const hot = HotTemplate.fromSet(synthesizeBayHot(bay).set);
 * hot.hasResourceProperties('OS::Neutron::SecurityGroupRule', { protocol: 'udp', port_range_min: 8472 });
 * const tf = TerraformTemplate.fromStack(stack);
 * tf.hasResourceProperties('openstack_networking_subnet_v2', { network_id: tf.ref(bay.network.network) });
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { formatFailures, MatchFailure, matchValue } from './match';

export { Match, Matcher } from './match';

/** A resource of a template: its logical id, type, whole body and the part `hasResourceProperties` matches. */
interface Entry {
  readonly id: string;
  readonly type: string;
  readonly body: any;
  readonly properties: any;
}

/** Queries and assertions shared by both formats. */
abstract class TemplateAssertions {
  /** Every resource in scope. */
  protected abstract entries(): Entry[];
  /** The format's name, in messages. */
  protected abstract readonly format: string;

  /** Resources of `type` whose properties match `pattern`, by logical id. */
  public findResources(type: string, pattern: unknown = {}): Record<string, any> {
    return Object.fromEntries(this.ofType(type).filter((e) => !matchValue(pattern, e.properties).length).map((e) => [e.id, e.body]));
  }

  /** Logical ids of the resources of `type` whose properties match `pattern`, sorted. */
  public resourceIds(type: string, pattern: unknown = {}): string[] {
    return Object.keys(this.findResources(type, pattern)).sort();
  }

  /** The logical id of the one resource of `type` matching `pattern` (fails on none or several). */
  public getResourceId(type: string, pattern: unknown = {}): string {
    const ids = this.resourceIds(type, pattern);
    if (ids.length !== 1) throw new Error(`${this.format}: expected one ${type} matching ${JSON.stringify(pattern)}, found ${ids.length}: ${ids.join(', ')}`);
    return ids[0];
  }

  /** Asserts that some resource of `type` has properties matching `pattern`. */
  public hasResourceProperties(type: string, pattern: unknown): void {
    this.assertSome(type, pattern, (e) => e.properties);
  }

  /** Asserts that some resource of `type` has a whole body (type, properties, depends_on, ...) matching `pattern`. */
  public hasResource(type: string, pattern: unknown): void {
    this.assertSome(type, pattern, (e) => e.body);
  }

  /** Asserts that no resource of `type` has properties matching `pattern`. */
  public hasNoResourceProperties(type: string, pattern: unknown): void {
    const ids = this.resourceIds(type, pattern);
    if (ids.length) throw new Error(`${this.format}: expected no ${type} matching ${JSON.stringify(pattern)}, found ${ids.join(', ')}`);
  }

  /** Asserts the number of resources of `type`. */
  public resourceCountIs(type: string, count: number): void {
    const ids = this.ofType(type).map((e) => e.id);
    if (ids.length !== count) throw new Error(`${this.format}: expected ${count} ${type}, found ${ids.length}${ids.length ? `: ${ids.join(', ')}` : ''}`);
  }

  /** Asserts the number of resources of `type` whose properties match `pattern`. */
  public resourcePropertiesCountIs(type: string, pattern: unknown, count: number): void {
    const ids = this.resourceIds(type, pattern);
    if (ids.length !== count) throw new Error(`${this.format}: expected ${count} ${type} matching ${JSON.stringify(pattern)}, found ${ids.length}: ${ids.join(', ')}`);
  }

  /** Every resource type in scope with its count, sorted by type. */
  public inventory(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.entries()) counts[e.type] = (counts[e.type] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Every logical id of a resource in scope, sorted. */
  public allResourceIds(): string[] {
    return this.entries().map((e) => e.id).sort();
  }

  /** The body of the resource `id` (fails when absent). */
  public resource(id: string): any {
    const e = this.entries().find((x) => x.id === id);
    if (!e) throw new Error(`${this.format}: no resource ${id}; resources are ${this.allResourceIds().join(', ')}`);
    return e.body;
  }

  protected ofType(type: string): Entry[] {
    return this.entries().filter((e) => e.type === type);
  }

  private assertSome(type: string, pattern: unknown, part: (e: Entry) => unknown): void {
    const candidates = this.ofType(type);
    const results = candidates.map((e) => ({ e, failures: matchValue(pattern, part(e)) }));
    if (results.some((r) => !r.failures.length)) return;
    if (!candidates.length) throw new Error(`${this.format}: no resource of type ${type}; types are ${Object.keys(this.inventory()).join(', ')}`);
    results.sort((a, b) => a.failures.length - b.failures.length);
    const closest = results.slice(0, 3).map((r) => `${r.e.id}:\n${formatFailures(r.failures)}`);
    throw new Error(`${this.format}: no ${type} (of ${candidates.length}) matches ${JSON.stringify(pattern)}; closest:\n${closest.join('\n')}`);
  }
}

/** Whether `c` is one of the model's named elements (resource, node group, parameter, secret, output). */
function logicalNameOf(c: IConstruct): { logicalName: string; name?: string } {
  const x = c as any;
  if (typeof x.logicalName !== 'string') {
    throw new Error(`${c.node.path} is not a resource, node group, parameter or output (no logical name); pass one of its resources, e.g. bay.network.subnet`);
  }
  return { logicalName: x.logicalName, name: typeof x.name === 'string' ? x.name : undefined };
}

function isGroup(c: IConstruct): boolean {
  return typeof (c as any).attrList === 'function';
}

/** A HOT template set: the root and the nested templates of the node groups. */
export class HotTemplate extends TemplateAssertions {
  /** The templates of a synthesized set (`synthesizeBayHot(bay).set`, `HotStack.synthesize().set`). */
  public static fromSet(set: { readonly templates: ReadonlyMap<string, unknown> }): HotTemplate {
    return new HotTemplate(new Map(set.templates as ReadonlyMap<string, any>));
  }

  /** Parsed documents by file name; the first is the root. */
  public static fromDocs(docs: ReadonlyMap<string, any> | Record<string, any>): HotTemplate {
    return new HotTemplate(new Map(docs instanceof Map ? docs : Object.entries(docs)));
  }

  protected readonly format = 'HOT';

  private constructor(private readonly docs: ReadonlyMap<string, any>, private readonly file?: string) {
    super();
    if (!docs.size) throw new Error('HOT: an empty template set');
    if (file !== undefined && !docs.has(file)) throw new Error(`HOT: no template ${file}; templates are ${[...docs.keys()].join(', ')}`);
  }

  /** The file names of the set, root first. */
  public get files(): string[] {
    return [...this.docs.keys()];
  }

  /** The same set, restricted to one template (resources, parameters, outputs and conditions of that file). */
  public template(file: string): HotTemplate {
    return new HotTemplate(this.docs, file);
  }

  /** The same set, restricted to the template that holds `c`'s resource (a nested template for per-node resources). */
  public templateOf(c: IConstruct): HotTemplate {
    const id = this.logicalIdOf(c);
    const file = [...this.docs].find(([, d]) => d.resources?.[id])?.[0];
    return this.template(file!);
  }

  /** The document in scope: the one chosen by `template()`, else the root. */
  public get doc(): any {
    return this.docs.get(this.file ?? this.files[0]);
  }

  /** The HOT name of a resource, node group (its ResourceGroup), parameter, secret or output; fails when the set has none. */
  public logicalIdOf(c: IConstruct): string {
    const { logicalName, name } = logicalNameOf(c);
    const all = [...this.docs.values()];
    // A parameter, secret or output keeps its unprefixed name; resources and groups their logical name.
    const named = name !== undefined && !isGroup(c) && (c as any).kind === undefined;
    if (named && all.some((d) => d.parameters?.[name] || d.outputs?.[name])) return name;
    if (!named && all.some((d) => d.resources?.[logicalName])) return logicalName;
    throw new Error(`HOT: ${c.node.path} (${logicalName}) is not in the template set`);
  }

  /** `{get_resource: <id of c>}`. */
  public getResource(c: IConstruct): unknown {
    return { get_resource: this.logicalIdOf(c) };
  }

  /** `{get_attr: [<id of c>, ...path]}`. */
  public getAttr(c: IConstruct, ...attrPath: (string | number)[]): unknown {
    return { get_attr: [this.logicalIdOf(c), ...attrPath] };
  }

  /** `{get_param: name}` of a parameter construct or name. */
  public getParam(p: IConstruct | string): unknown {
    return { get_param: typeof p === 'string' ? p : this.logicalIdOf(p) };
  }

  /** The parameter `name` of the template in scope (fails when absent). */
  public parameter(name: string): any {
    return this.section('parameters', name);
  }

  /** Asserts the template in scope has a parameter `name` matching `pattern`. */
  public hasParameter(name: string, pattern: unknown = {}): void {
    assertMatch(`HOT parameter ${name}`, pattern, this.parameter(name));
  }

  /** The output `name` of the template in scope (fails when absent). */
  public output(name: string): any {
    return this.section('outputs', name);
  }

  /** Asserts the template in scope has an output `name` matching `pattern`. */
  public hasOutput(name: string, pattern: unknown = {}): void {
    assertMatch(`HOT output ${name}`, pattern, this.output(name));
  }

  /** The condition `name` of the template in scope (fails when absent). */
  public condition(name: string): any {
    return this.section('conditions', name);
  }

  /** Names of the parameters of the template in scope matching `pattern`, sorted. */
  public parameterNames(pattern: unknown = {}): string[] {
    return Object.entries(this.doc.parameters ?? {}).filter(([, p]) => !matchValue(pattern, p).length).map(([n]) => n).sort();
  }

  /** Names of the outputs of the template in scope, sorted. */
  public outputNames(): string[] {
    return Object.keys(this.doc.outputs ?? {}).sort();
  }

  protected entries(): Entry[] {
    const docs = this.file ? [this.doc] : [...this.docs.values()];
    return docs.flatMap((d) =>
      Object.entries<any>(d.resources ?? {}).map(([id, body]) => ({ id, type: body.type, body, properties: body.properties ?? {} })),
    );
  }

  private section(key: string, name: string): any {
    const v = this.doc[key]?.[name];
    if (v === undefined) throw new Error(`HOT: no ${key.replace(/s$/, '')} ${name} in ${this.file ?? this.files[0]}; there are ${Object.keys(this.doc[key] ?? {}).join(', ')}`);
    return v;
  }
}

/**
 * A Terraform JSON document (`cdk.tf.json`). Resource types are Terraform's;
 * data sources are addressed as `data.<type>`.
 */
export class TerraformTemplate extends TemplateAssertions {
  /** Synthesizes `stack` in memory (cdktf `Testing.synth`, validations on). */
  public static fromStack(stack: TerraformStack): TerraformTemplate {
    return new TerraformTemplate(JSON.parse(Testing.synth(stack, true)));
  }

  /** A parsed `cdk.tf.json`. */
  public static fromJson(json: any): TerraformTemplate {
    return new TerraformTemplate(json);
  }

  /** The `cdk.tf.json` of `stackName` under a cdktf outdir. */
  public static fromOutdir(outdir: string, stackName: string): TerraformTemplate {
    return new TerraformTemplate(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8')));
  }

  protected readonly format = 'Terraform';

  private constructor(public readonly json: any) {
    super();
  }

  /** The Terraform name of a resource, data source, node group (its keys local is `<name>_keys`), variable or output; fails when absent. */
  public logicalIdOf(c: IConstruct): string {
    const { logicalName } = logicalNameOf(c);
    const j = this.json;
    const found = isGroup(c)
      ? j.locals?.[`${logicalName}_keys`] !== undefined
      : this.entries().some((e) => e.id === logicalName) || j.variable?.[logicalName] || j.output?.[logicalName];
    if (!found) throw new Error(`Terraform: ${c.node.path} (${logicalName}) is not in the document`);
    return logicalName;
  }

  /** The address of `c`'s resource: `<type>.<name>` (`data.<type>.<name>` for a data source). */
  public addressOf(c: IConstruct): string {
    const id = this.logicalIdOf(c);
    const e = this.entries().find((x) => x.id === id);
    if (!e) throw new Error(`Terraform: ${c.node.path} (${id}) is not a resource or data source`);
    return `${e.type}.${id}`;
  }

  /** `${<address of c>.<attr>}`, a reference as it appears in attribute values. */
  public ref(c: IConstruct, attr = 'id'): string {
    return '${' + `${this.addressOf(c)}.${attr}` + '}';
  }

  /** `${var.<name>}` of a parameter construct. */
  public varRef(p: IConstruct): string {
    return '${var.' + this.logicalIdOf(p) + '}';
  }

  /** The variable `name` (fails when absent). */
  public variable(name: string): any {
    return this.section('variable', name);
  }

  /** Asserts a variable `name` matching `pattern`. */
  public hasVariable(name: string, pattern: unknown = {}): void {
    assertMatch(`Terraform variable ${name}`, pattern, this.variable(name));
  }

  /** The output `name` (fails when absent). */
  public output(name: string): any {
    return this.section('output', name);
  }

  /** Asserts an output `name` matching `pattern`. */
  public hasOutput(name: string, pattern: unknown = {}): void {
    assertMatch(`Terraform output ${name}`, pattern, this.output(name));
  }

  /** The local `name` (fails when absent). */
  public local(name: string): any {
    return this.section('locals', name);
  }

  /** Names of the variables, sorted. */
  public variableNames(): string[] {
    return Object.keys(this.json.variable ?? {}).sort();
  }

  /** Names of the outputs, sorted. */
  public outputNames(): string[] {
    return Object.keys(this.json.output ?? {}).sort();
  }

  protected entries(): Entry[] {
    const of = (section: any, prefix: string) =>
      Object.entries<any>(section ?? {}).flatMap(([type, byName]) =>
        Object.entries<any>(byName).map(([id, body]) => ({ id, type: prefix + type, body, properties: body })),
      );
    return [...of(this.json.resource, ''), ...of(this.json.data, 'data.')];
  }

  private section(key: string, name: string): any {
    const v = this.json[key]?.[name];
    if (v === undefined) throw new Error(`Terraform: no ${key} ${name}; there are ${Object.keys(this.json[key] ?? {}).join(', ')}`);
    return v;
  }
}

function assertMatch(what: string, pattern: unknown, actual: unknown): void {
  const failures: MatchFailure[] = matchValue(pattern, actual);
  if (failures.length) throw new Error(`${what} does not match:\n${formatFailures(failures)}`);
}

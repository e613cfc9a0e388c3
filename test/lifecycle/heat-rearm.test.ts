/**
 * Issue 10: a replaced node's wait condition is re-armed with its server, so
 * Heat's UPDATE_COMPLETE means the new nodes signalled. Heat's own engine
 * (heat-lifecycle through scripts/heat-lifecycle-nodes.py, whose fake nodes
 * signal once per server under the server's id, as kubebay's bootstrap does)
 * on the suite's 3-master + 3-minion bay:
 *
 * - a version change replaces each member's server and updates (re-arms) its
 *   `<role>_wait_server` (count 1 -> 2: one more server than had signalled),
 *   and each new server signals; updates without changes touch neither;
 * - when the replacement servers never signal, the update fails at the wait
 *   condition's timeout ("1 of 2 received") instead of completing;
 * - a stack created from templates without the re-armed wait conditions
 *   (older kubebay) gets them created on its next update, and nothing else
 *   changes because of them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BAY, lifeConfig, synthCheckout } from './bay';
import { describeLifecycle, HeatStep, TOOLS } from './tools';
import { tmpDir } from '../tmp';

const SCRIPTS = path.resolve(__dirname, '..', '..', 'scripts');
const MASTERS = `${BAY}_kube_masters`;
const MINIONS = `${BAY}_kube_minions`;
const MEMBERS = [...['0', '1', '2'].map((k) => ({ group: MASTERS, role: 'master', k })), ...['0', '1', '2'].map((k) => ({ group: MINIONS, role: 'minion', k }))];

interface NodesRun {
  readonly status: number;
  readonly steps: (HeatStep & { why?: Record<string, { changed_properties?: string[] }> })[];
  /** "node-signal: <server path> <id>" / "node-silent: ..." lines, in order. */
  readonly signals: string[];
  readonly stderr: string;
}

/** scripts/heat-lifecycle-nodes.py in a HOT set directory. */
function heatNodes(hotDir: string, args: string[]): NodesRun {
  const r = spawnSync(path.join(SCRIPTS, 'heat-lifecycle-nodes.py'), ['-e', 'environment.yaml', '-e', 'secrets.env.yaml', '--compact', '-q', ...args], {
    cwd: hotDir,
    encoding: 'utf8',
    env: { ...process.env, HEAT_LIFECYCLE: path.join(TOOLS, 'heat-lifecycle') },
    maxBuffer: 64 << 20,
  });
  return {
    status: r.status ?? 1,
    steps: r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)),
    signals: r.stderr.split('\n').filter((l) => /^node-(signal|silent): /.test(l)),
    stderr: r.stderr,
  };
}

const log = (name: string, run: NodesRun) =>
  // eslint-disable-next-line no-console
  console.log(`${name}:\n${run.steps.map((s) => `  step ${s.step} ${s.action}: ${s.stack_status}, created ${s.counts.created}, updated ${s.counts.updated}, replaced ${s.counts.replaced}, deleted ${s.counts.deleted}, ${s.seconds} s${s.errors ? `; ${s.errors[0]}` : ''}`).join('\n')}\n  ${run.signals.length} node signals`);

describeLifecycle('Heat: wait conditions re-armed with replaced servers (3 masters + 3 minions)', () => {
  let hotDir: string;
  beforeAll(async () => {
    hotDir = (await synthCheckout(lifeConfig())).hotDir;
  }, 120_000);

  describe('create, no change, version change, no change, timeout change, no change', () => {
    let run: NodesRun;
    beforeAll(() => {
      run = heatNodes(hotDir, [
        'kubecluster.yaml', '--no-change', '--update', 'kubernetes_version=v1.32', '--no-change',
        '--update', 'wait_condition_timeout=1800', '--no-change',
      ]);
      log('heat-lifecycle-nodes (version change, then timeout change)', run);
      if (run.steps.length < 6) throw new Error(`stopped early (exit ${run.status}): ${run.stderr.slice(-2000)}`);
    }, 300_000);

    test('every node signals once at create, under its server id', () => {
      expect(run.steps[0].stack_status).toBe('CREATE_COMPLETE');
      const atCreate = run.signals.slice(0, 6);
      expect(atCreate.map((l) => l.split(' ')[1]).sort()).toEqual(MEMBERS.map((m) => `${m.group}/${m.k}/${BAY}_${m.role}_server`).sort());
      for (const l of atCreate) expect(l).toMatch(/ [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    test('an update without changes re-arms nothing and waits for no signal', () => {
      for (const s of [run.steps[1], run.steps[3], run.steps[5]]) {
        expect(s.stack_status).toBe('UPDATE_COMPLETE');
        expect([s.created, s.updated, s.replaced, s.deleted]).toEqual([[], [], [], []]);
      }
    });

    test('a version change replaces, per member, the server and re-arms its wait condition (count 1 -> 2); each new server signals', () => {
      const s = run.steps[2];
      expect(s.stack_status).toBe('UPDATE_COMPLETE');
      for (const m of MEMBERS) {
        const at = `${m.group}/${m.k}/${BAY}_${m.role}`;
        expect(s.replaced).toContain(`${at}_server`);
        expect(s.updated).toContain(`${at}_wait_server`);
        expect(s.why?.[`${at}_wait_server`]?.changed_properties).toEqual(['count']);
        // The first-boot wait condition and the handle stay (the handle keeps both signals).
        expect([...s.updated, ...s.replaced, ...s.created, ...s.deleted]).not.toContain(`${at}_wait`);
        expect([...s.updated, ...s.replaced]).not.toContain(`${at}_wait_handle`);
      }
      const later = run.signals.slice(6, 12);
      expect(later).toHaveLength(6);
      const before = new Set(run.signals.slice(0, 6).map((l) => l.split(' ')[2]));
      for (const l of later) expect(before.has(l.split(' ')[2])).toBe(false);
      expect(s.deleted).toEqual([]);
    });

    test('a timeout change replaces both wait conditions (retained: the handle keeps its signals) and the next update still waits for nothing', () => {
      const s = run.steps[4];
      expect(s.stack_status).toBe('UPDATE_COMPLETE');
      for (const m of MEMBERS) {
        const at = `${m.group}/${m.k}/${BAY}_${m.role}`;
        expect(s.replaced).toEqual(expect.arrayContaining([`${at}_wait`, `${at}_wait_server`, `${at}_server`]));
      }
      expect(s.deleted).toEqual([]);
      // Step 5 (above): no re-arm, so the count did not fall back to 1 on an emptied handle.
      expect(run.signals).toHaveLength(18);
    });
  });

  test('when the replaced servers never signal, the update fails at the wait condition timeout and the roll stops there', () => {
    const run = heatNodes(hotDir, ['--silent-replacements', '-P', 'wait_condition_timeout=60', 'kubecluster.yaml', '--update', 'kubernetes_version=v1.32']);
    log('heat-lifecycle-nodes --silent-replacements', run);
    expect(run.status).toBe(1);
    const s = run.steps[1];
    expect(s.stack_status).toBe('UPDATE_FAILED');
    expect((s.errors ?? []).join('\n')).toMatch(/_wait_server.*WaitConditionTimeout.*1 of 2 received/);
    expect(s.seconds).toBeGreaterThanOrEqual(60);
    // The roll stops at the first node that does not come up: at most one master and one minion (batch 1) were replaced.
    const servers = (g: string) => s.replaced.filter((p) => p.startsWith(`${g}/`) && p.endsWith('_server'));
    expect(servers(MASTERS).length).toBeLessThanOrEqual(1);
    expect(servers(MINIONS).length).toBeLessThanOrEqual(1);
    expect(servers(MASTERS).length + servers(MINIONS).length).toBeGreaterThanOrEqual(1);
    expect(run.signals.some((l) => l.startsWith('node-silent: '))).toBe(true);
  }, 300_000);

  test('a stack from templates without the re-armed wait conditions gets them on its next update, and nothing else changes', () => {
    // The previous templates: the same set without <role>_wait_server (user data identical, so this
    // isolates the template change; a real kubebay upgrade also changes the user data, which rolls the
    // servers as a version change does).
    const old = tmpDir('kubebay-rearm-old-');
    fs.cpSync(hotDir, old, { recursive: true });
    for (const f of ['kubemaster.yaml', 'kubeminion.yaml']) {
      const p = path.join(old, f);
      const text = fs.readFileSync(p, 'utf8');
      const cut = text.replace(new RegExp(`\\n  ${BAY}_(master|minion)_wait_server:\\n(    .*\\n)+`), '\n');
      expect(cut).not.toBe(text);
      expect(cut).not.toContain('_wait_server');
      fs.writeFileSync(p, cut);
    }
    const r = spawnSync(path.join(SCRIPTS, 'heat-update-to.py'), [hotDir, '-e', 'environment.yaml', '-e', 'secrets.env.yaml', 'kubecluster.yaml', '--no-change', '--compact', '-q'], {
      cwd: old,
      encoding: 'utf8',
      env: { ...process.env, HEAT_LIFECYCLE: path.join(TOOLS, 'heat-lifecycle') },
      maxBuffer: 64 << 20,
    });
    const [create, update] = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as HeatStep);
    // eslint-disable-next-line no-console
    console.log(`heat-update-to (without -> with re-armed waits): ${update?.stack_status}, created ${update?.created.length}, updated ${update?.updated.length}, replaced ${update?.replaced.length}, deleted ${update?.deleted.length}`);
    expect(create.stack_status).toBe('CREATE_COMPLETE');
    expect(update.stack_status).toBe('UPDATE_COMPLETE');
    expect([...update.created].sort()).toEqual(MEMBERS.map((m) => `${m.group}/${m.k}/${BAY}_${m.role}_wait_server`).sort());
    expect([update.updated, update.replaced, update.deleted]).toEqual([[], [], []]);
  }, 300_000);
});

#!/usr/bin/python3
"""heat-bringup: bring-up order of a HOT template set, from Heat's own engine.

    scripts/heat-bringup.py DURATIONS.json [-e ENV.yaml]... ROOT.yaml

Builds the stack with Heat's template and stack classes (python3-heat, as
../shared/tools/heat-lifecycle sets it up: offline, nothing created) and
takes the dependency graph Heat computes (`Stack.dependencies`: depends_on,
get_resource, get_attr) of the root template and of each nested template.
Then it runs Heat's own scheduler (`scheduler.DependencyTaskGroup`, the task
group Heat creates a stack with) over those graphs, one step per simulated
second: each resource takes the seconds DURATIONS.json gives its type
(written from bench/bringup/durations.ts), a resource group runs its members
as nested task groups, and a wait condition completes when its node has
bootstrapped (prepare + finish seconds; a joining node's finish starts no
earlier than the first master's bootstrap is complete).

Prints JSON: per resource path its start and end second, the time to
CREATE_COMPLETE, and the checks: which root resources the minion group
depends on (transitively), and whether the first minion server starts
before the first master's wait condition is complete. Exit status 1 when a
minion group waits for a master group, or minions do not start while the
masters are still waiting.
"""
import json
import sys

from heat_tool import load_heat_lifecycle



def heat_graph(hl, ctx, tpl, files, env_files, name, params=None):
    """{resource name: (type, [names it requires], resource)} as Heat computes it."""
    from heat.engine import environment
    env = environment.Environment({'parameters': params or {}})
    for f in env_files:
        from heat.common import environment_format
        env.load(environment_format.parse(files[f]))
    tmpl = hl.templatem.Template(tpl, files=files, env=env)
    stack = hl.parser.Stack(ctx, name, tmpl)
    deps = stack.dependencies
    graph = deps.graph()
    out = {}
    for rsrc, requires in graph.items():
        out[rsrc.name] = (rsrc.type(), sorted(r.name for r in requires), rsrc)
    return stack, out


class Sim(object):
    def __init__(self, hl, ctx, files, durations):
        self.hl, self.ctx, self.files = hl, ctx, files
        self.seconds = durations['resourceSeconds']
        self.boot = durations['nodeBootstrap']
        self.now = 0
        self.times = {}
        self.api_ready = None
        self.params = {}

    def leaf(self, path, rtype, role):
        self.times[path] = [self.now, None]
        if rtype == 'OS::Heat::WaitCondition' and role:
            prepared = self.now + self.boot['prepare']
            while self.now < prepared:
                yield
            while role != 'first-master' and self.api_ready is None:
                yield
            end = max(prepared, self.api_ready or prepared) + self.boot['finish']
            while self.now < end:
                yield
            if role == 'first-master':
                self.api_ready = self.now
        else:
            if rtype not in self.seconds:
                raise SystemExit('no duration for %s (%s)' % (rtype, path))
            for _ in range(self.seconds[rtype]):
                yield
        self.times[path][1] = self.now

    def template(self, path, tpl, role_of, env_files=(), params=None):
        """Task group of one template (the root, or one group member's nested template)."""
        from heat.engine import scheduler
        _stack, graph = heat_graph(self.hl, self.ctx, tpl, self.files, env_files, path.replace('/', '-') or 'root', params)
        by_rsrc = {v[2]: (k, v[0]) for k, v in graph.items()}
        resources = tpl.get('resources') or {}
        waits = [n for n, r in resources.items() if r.get('type') == 'OS::Heat::WaitCondition']

        def after_wait(name):
            # A wait condition that reads another one (the re-armed `<role>_wait_server`) is met by the same signal.
            body = json.dumps(resources[name])
            return any('"%s"' % w in body for w in waits if w != name)

        def task(rsrc):
            name, rtype = by_rsrc[rsrc]
            p = '%s/%s' % (path, name) if path else name
            if rtype == 'OS::Heat::ResourceGroup':
                return self.group(p, tpl['resources'][name]['properties'], tpl)
            role = None if rtype == 'OS::Heat::WaitCondition' and after_wait(name) else role_of(name)
            return self.leaf(p, rtype, role)
        return scheduler.DependencyTaskGroup(_stack.dependencies, task)()

    def member_params(self, nested, rd_props, tpl, index):
        """Parameter values of a group member: the root's parameters it is given, else a placeholder of its type."""
        out = {}
        for name, schema in (nested.get('parameters') or {}).items():
            v = rd_props.get(name)
            if isinstance(v, dict) and 'get_param' in v:
                v = self.params.get(v['get_param'], tpl['parameters'][v['get_param']].get('default', ''))
            elif v == '%index%':
                v = str(index)
            elif v is None or isinstance(v, (dict, list)):
                v = {'number': 1, 'comma_delimited_list': '', 'json': {}, 'boolean': False}.get(schema.get('type'), 'placeholder')
            out[name] = v
        return out

    def group(self, path, props, tpl):
        self.times[path] = [self.now, None]
        count = props['count']
        if isinstance(count, dict):  # {get_param: name}: the environment's value, else the default
            name = count['get_param']
            count = self.params.get(name, tpl['parameters'][name].get('default'))
        count = int(count)
        nested_url = props['resource_def']['type']
        nested = json.loads(self.files[nested_url])
        minion = 'minion' in path
        runners = []
        for i in range(count):
            role = 'minion' if minion else ('first-master' if i == 0 else 'master')
            params = self.member_params(nested, props['resource_def'].get('properties', {}), tpl, i)
            runners.append(self.template('%s/%d' % (path, i), nested, lambda _n, role=role: role, params=params))
        pending = list(runners)
        while pending:
            for r in list(pending):
                try:
                    next(r)
                except StopIteration:
                    pending.remove(r)
            if pending:
                yield
        self.times[path][1] = self.now


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ('-h', '--help'):
        sys.stderr.write(__doc__)
        return 2
    durations = json.load(open(sys.argv[1]))
    rest = sys.argv[2:]
    template = rest[-1]
    envs = []
    i = 0
    while i < len(rest) - 1:
        if rest[i] in ('-e', '--environment'):
            envs.append(rest[i + 1])
            i += 2
        else:
            i += 1
    hl = load_heat_lifecycle(['-q', template])
    ctx = hl.make_context()
    root_url = hl.path_to_url(template)
    tpl = hl.template_format.parse(hl.read_url(root_url))
    files = {}
    hl.collect_files(tpl, root_url, files)
    env_list = hl.process_environments(envs, files) if envs else []

    # The root graph as Heat computes it (with the environment's parameters).
    _stack, graph = heat_graph(hl, ctx, tpl, files, env_list, 'root')
    groups = [n for n, v in graph.items() if v[0] == 'OS::Heat::ResourceGroup']
    closure = {}

    def requires(n):
        if n not in closure:
            closure[n] = set()
            for d in graph[n][1]:
                closure[n] |= {d} | requires(d)
        return closure[n]
    minion_groups = [g for g in groups if 'minion' in g]
    master_groups = [g for g in groups if 'minion' not in g and not g.endswith('_members')]

    from heat.engine import scheduler
    sim = Sim(hl, ctx, files, durations)
    from heat.common import environment_format
    for f in env_list:
        sim.params.update(environment_format.parse(files[f]).get('parameters', {}))
    runner = scheduler.TaskRunner(lambda: sim.template('', tpl, lambda _n: None, env_list))
    runner.start()
    while not runner.step():
        sim.now += 1
    total = sim.now

    def first(pattern_group, leaf_type):
        paths = [p for p in sim.times if p.startswith(pattern_group + '/0/')]
        for p in paths:
            name = p.rsplit('/', 1)[1]
            if leaf_type(name):
                return p
        return None
    checks = {}
    ok = True
    for mg in minion_groups:
        waits_for = sorted(g for g in master_groups if g in requires(mg))
        checks[mg] = {'requires': sorted(requires(mg)), 'waits_for_master_groups': waits_for}
        ok = ok and not waits_for
    if minion_groups and master_groups:
        server = first(minion_groups[0], lambda n: 'server' in n or n == 'kube-minion')
        wait = first(master_groups[0], lambda n: 'wait' in n and 'handle' not in n)
        checks['first_minion_server'] = {'path': server, 'start': sim.times[server][0]}
        checks['first_master_wait'] = {'path': wait, 'end': sim.times[wait][1]}
        checks['minions_created_while_masters_wait'] = sim.times[server][0] < sim.times[wait][1]
        ok = ok and checks['minions_created_while_masters_wait']
    print(json.dumps({
        'engine': 'heat %s: Stack.dependencies + scheduler.DependencyTaskGroup, 1 step = 1 s' % hl.heat.version.version_info.version_string(),
        'create_complete_seconds': total,
        'checks': checks,
        'ok': ok,
        'times': {p: t for p, t in sorted(sim.times.items(), key=lambda x: (x[1][0], x[0]))},
    }, indent=1))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

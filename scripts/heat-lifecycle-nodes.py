#!/usr/bin/python3
"""heat-lifecycle-nodes: heat-lifecycle whose fake nodes signal as kubebay's do.

    scripts/heat-lifecycle-nodes.py [--silent-replacements] [heat-lifecycle options] ROOT.yaml [steps]

Runs ../shared/tools/heat-lifecycle (Heat's real engine, fake services) with
one change: a wait condition's handle is not topped up to the condition's
`count` with numbered signals; instead the node's server (the one
OS::Nova::Server of the wait condition's stack) signals once, SUCCESS, under
its own id -- what kubebay's bootstrap does (`"id": "<instance id>"`, Nova's
server UUID). A server signals when a wait condition of its node is created
or updated, i.e. when Heat waits for it.

--silent-replacements: servers created after the create step (by an update:
replacements and new members) never signal, as nodes that fail to boot; an
update that waits for them then fails at the wait condition's timeout.

One line per signal on stderr: "node-signal: <server path> <server id>" (or
"node-silent: ..." for a server that stays silent). Set HEAT_LIFECYCLE to the
tool's path if it is not at ../shared/tools/heat-lifecycle (relative to the
repo).
"""
import sys

from heat_tool import load_heat_lifecycle



def main():
    if len(sys.argv) < 2 or sys.argv[1] in ('-h', '--help'):
        sys.stderr.write(__doc__)
        return 2
    args = sys.argv[1:]
    silent = '--silent-replacements' in args
    args = [a for a in args if a != '--silent-replacements']
    hl = load_heat_lifecycle(args)  # parses the arguments, sets up the engine

    state = {'updating': False}
    original_update = hl.ENGINE.update_stack

    def update_stack(*a, **kwargs):
        if len(a) == 6:  # a step's update (nested stacks come with keyword arguments)
            state['updating'] = True
        return original_update(*a, **kwargs)

    hl.ENGINE.update_stack = update_stack
    born_in_update = set()
    original_create = hl.FakeMixin.handle_create

    def handle_create(self):
        out = original_create(self)
        if state['updating'] and self.type() == 'OS::Nova::Server':
            born_in_update.add(self.resource_id)
        return out

    hl.FakeMixin.handle_create = handle_create

    def node_signal(self, count):
        try:
            handle = self._get_handle_resource()
        except Exception:
            return
        if not isinstance(handle, hl.wc_base.BaseWaitConditionHandle):
            return
        servers = [r for r in self.stack.values() if r.type() == 'OS::Nova::Server' and r.resource_id]
        if len(servers) != 1:
            return
        server = servers[0]
        sid = server.resource_id
        if silent and sid in born_in_update:
            sys.stderr.write('node-silent: %s %s\n' % (hl.rsrc_path(server), sid))
            return
        if sid in (handle.metadata_get(refresh=True) or {}):
            return
        sys.stderr.write('node-signal: %s %s\n' % (hl.rsrc_path(server), sid))
        handle.handle_signal({'status': 'SUCCESS', 'reason': 'kubelet up (heat-lifecycle-nodes)', 'data': None, 'id': sid})

    hl.AutoSignalWaitConditionMixin._hl_signal = node_signal
    return hl.main()


if __name__ == '__main__':
    sys.exit(main())

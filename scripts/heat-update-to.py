#!/usr/bin/python3
"""heat-update-to: what does a new HOT set do to a stack created from an old one?

    scripts/heat-update-to.py NEW_DIR [heat-lifecycle options] OLD_DIR/kubecluster.yaml --no-change

Runs ../shared/tools/heat-lifecycle (Heat's real engine, fake services) on
the OLD template set; before the first update step it copies every file of
NEW_DIR over OLD_DIR (same paths, so the nested template URLs do not change)
and sends the new root template, nested templates and environment files.
The update step's JSON then lists what Heat creates, updates, replaces and
deletes when a running bay is updated to the new templates.

OLD_DIR is modified: pass a scratch copy. Set HEAT_LIFECYCLE to the tool's
path if it is not at ../shared/tools/heat-lifecycle (relative to the repo).
"""
import os
import shutil
import sys

from heat_tool import load_heat_lifecycle



def main():
    if len(sys.argv) < 3 or sys.argv[1] in ('-h', '--help'):
        sys.stderr.write(__doc__)
        return 2
    new_dir = os.path.abspath(sys.argv[1])
    hl = load_heat_lifecycle(sys.argv[2:])  # parses the arguments, sets up the engine

    root = os.path.abspath(hl.ARGS.template)
    old_dir = os.path.dirname(root)
    original = hl.ENGINE.update_stack
    swapped = []

    def update_stack(*a, **kwargs):
        if len(a) != 6:  # nested stacks (RPC from the engine, keyword arguments): unchanged
            return original(*a, **kwargs)
        ctx, identity, template, params, files, args = a
        if template is not None and not swapped:
            for name in os.listdir(new_dir):
                src = os.path.join(new_dir, name)
                if os.path.isfile(src):
                    shutil.copyfile(src, os.path.join(old_dir, name))
            swapped.append(True)
        if template is not None:
            url = hl.path_to_url(root)
            tpl = hl.template_format.parse(hl.read_url(url))
            new_files = {}
            hl.collect_files(tpl, url, new_files)
            hl.process_environments(hl.ARGS.environment, new_files)
            # keep the tool's generated per-step environment files
            for k, v in files.items():
                new_files.setdefault(k, v)
            template, files = hl._wire(tpl), hl._wire(new_files)
        return original(ctx, identity, template, params, files, args, **kwargs)

    hl.ENGINE.update_stack = update_stack
    return hl.main()


if __name__ == '__main__':
    sys.exit(main())

"""Loads ../shared/tools/heat-lifecycle (Heat's engine with fake services) as a module.

The tool is a script without a .py suffix: it is loaded by path, after
sys.argv has been set to its command line (loading it parses the arguments
and sets up the engine). Set HEAT_LIFECYCLE to its path if it is not at
../shared/tools/heat-lifecycle relative to the repository.
"""
import importlib.machinery
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.environ.get('HEAT_LIFECYCLE') or os.path.join(HERE, '..', '..', 'shared', 'tools', 'heat-lifecycle')


def load_heat_lifecycle(args):
    """The heat-lifecycle module, run with `args` as its command-line arguments."""
    sys.argv = ['heat-lifecycle'] + list(args)
    loader = importlib.machinery.SourceFileLoader('heat_lifecycle', TOOL)
    spec = importlib.util.spec_from_loader('heat_lifecycle', loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module

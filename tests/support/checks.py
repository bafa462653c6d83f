"""What the Python tests under tests/ share: loading a script by path as a module, and
collecting failed expectations (each named) into the exit status."""
import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

failures = []


def load(relative_path, name):
    """The script at ROOT/relative_path (which may have a '-' in its name) as module `name`."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, relative_path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expect(name, condition, detail=""):
    if not condition:
        failures.append(f"{name}{': ' + detail if detail else ''}")


def finish(test):
    """Prints every failure and exits 1 when there was one."""
    for failure in failures:
        print(f"FAILED: {failure}")
    print(f"{'FAILED' if failures else 'passed'}: {test} ({len(failures)} failures)")
    sys.exit(1 if failures else 0)

"""Package APIs that load their modules on first use.

Each feature package names its API in its `__init__`, but importing the package must not import
every module in it: the first frame needs a few names, and a module such as `due_dates` brings
pendulum with it. So a package maps each name to the module that holds it, and loads that
module when the name is first asked for (PEP 562); type checkers read the same names from the
package's `TYPE_CHECKING` imports.
"""

from __future__ import annotations

import importlib
import sys


def load(package: str, where: dict[str, str], name: str) -> object:
    """The value `name` of `package`, from the module `where` names; AttributeError when the
    package has no such name."""
    module = where.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{package}.{module}"), name)
    setattr(sys.modules[package], name, value)  # later look-ups skip this function
    return value

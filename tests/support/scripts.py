"""Loading the project's stand-alone scripts (benchmarks/, examples/) into a test."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from support.paths import PROJECT_ROOT


def load_script(relative_path: str) -> ModuleType:
    """Import ``PROJECT_ROOT/relative_path`` as a module of its own.

    The scripts are not part of the package and their folders are not on ``sys.path``. The
    module is registered in ``sys.modules`` under a private name, because dataclasses look their
    module up there while the class is built.
    """
    path = PROJECT_ROOT / relative_path
    name = "_script_" + relative_path.replace("/", "_").removesuffix(".py")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None, path
    assert spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

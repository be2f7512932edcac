"""The XML modules export exactly their public names."""

from __future__ import annotations

import inspect
import types

import pytest

from ciscocfg import dialplan, ringxml, sepxml


@pytest.mark.parametrize("module", [sepxml, dialplan, ringxml], ids=lambda m: m.__name__)
def test_all_lists_the_public_names(module: types.ModuleType) -> None:
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and str(getattr(value, "__module__", module.__name__)).startswith(module.__name__)
        and name != "annotations"
    }
    # Type aliases (such as dialplan.Action) carry typing's module name; they are listed too.
    assert defined <= set(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__doc__, name


def test_api_names() -> None:
    assert callable(sepxml.loads)
    assert sepxml.DeviceConfig.dumps is not None
    decision = dialplan.loads("<DIALTEMPLATE/>").match("1")
    assert {"action", "template", "timeout", "dial_string"} <= set(dir(decision))

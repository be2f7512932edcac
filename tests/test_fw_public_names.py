"""The public names of the firmware and small-file modules match their ``__all__``."""

from __future__ import annotations

import importlib

import pytest

MODULES = ["ciscocfg.firmware", "ciscocfg.os79xx", "ciscocfg.ringlist", "ciscocfg.ringtone"]

API = {
    "ciscocfg.firmware": {"parse", "FirmwareImage", "Protocol", "upgrade_path"},
    "ciscocfg.os79xx": {"loads", "OsImage", "validate"},
    "ciscocfg.ringlist": {"loads", "RingList", "Ring", "validate"},
    "ciscocfg.ringtone": {"validate", "from_wav"},
}


@pytest.mark.parametrize("name", MODULES)
def test_all_matches_the_public_definitions(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, n) for n in exported)
    defined = {
        n
        for n, value in vars(module).items()
        if not n.startswith("_")
        and callable(value)
        and getattr(value, "__module__", "").startswith(name)
    }
    assert defined <= exported, defined - exported
    assert API[name] <= exported


@pytest.mark.parametrize("name", MODULES)
def test_public_callables_have_docstrings(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__
    for n in module.__all__:
        value = getattr(module, n)
        if callable(value):
            assert value.__doc__, n

"""The public names of the firmware, small-file, migrate and provision modules match their
``__all__`` and the names and signatures other tools rely on (shared API list)."""

from __future__ import annotations

import importlib
import inspect

import pytest

#: Module -> the names other tools rely on.
API = {
    "ciscocfg.firmware": {"parse", "FirmwareImage", "Protocol", "upgrade_path", "newest_image"},
    "ciscocfg.os79xx": {"loads", "OsImage", "validate"},
    "ciscocfg.ringlist": {"loads", "RingList", "Ring", "validate"},
    "ciscocfg.ringtone": {"validate", "from_wav"},
    "ciscocfg.migrate": {"cnf_to_sepxml", "sepxml_to_cnf"},
    "ciscocfg.provision": {"check", "check_tree", "check_tftp"},
    "ciscocfg.generate": {"PhoneSpec", "PhoneSpecError", "render", "render_file", "render_tree"},
    "ciscocfg.inventory": {"InventoryHandler", "open_inventory", "create_schema"},
}
MODULES = list(API)


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


def test_signatures_of_the_shared_api() -> None:
    from ciscocfg.migrate import cnf_to_sepxml
    from ciscocfg.provision import check

    migrate = inspect.signature(cnf_to_sepxml).parameters
    assert list(migrate)[:2] == ["phone", "default"]
    assert migrate["default"].default is None
    assert migrate["model"].kind is inspect.Parameter.KEYWORD_ONLY
    checked = inspect.signature(check).parameters
    assert next(iter(checked)) == "root"
    assert checked["mac"].kind is inspect.Parameter.KEYWORD_ONLY
    assert checked["mac"].default is None

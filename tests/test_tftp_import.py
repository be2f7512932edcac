"""``ciscocfg.tftp`` is standard library only and its public names are what it says."""

from __future__ import annotations

import os
import subprocess
import sys

import ciscocfg.tftp


def test_import_pulls_in_no_third_party_module() -> None:
    code = "import sys, ciscocfg.tftp; print('\\n'.join(sorted(sys.modules)))"
    # Without coverage measuring the child (CI measures subprocesses): its imports would count.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS_")}
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    ).stdout.split()
    assert not {"lark", "lxml", "attrs", "asyncio", "socket"} & set(out)
    assert "ciscocfg.tftp" in out


def test_all_matches_module_names() -> None:
    public = {name for name in vars(ciscocfg.tftp) if not name.startswith("_")}
    modules = {"blocks", "events", "netascii", "options", "packets"}
    engine_modules = {"client", "server", "testing"}
    assert set(ciscocfg.tftp.__all__) == public - modules - engine_modules - {"annotations"}
    for name in ciscocfg.tftp.__all__:
        assert getattr(ciscocfg.tftp, name) is not None


def test_every_module_declares_all() -> None:
    import importlib

    for name in (
        "blocks",
        "client",
        "events",
        "netascii",
        "options",
        "packets",
        "server",
        "testing",
        "_machine",
        "_engine",
    ):
        module = importlib.import_module(f"ciscocfg.tftp.{name}")
        names = module.__all__
        assert names
        for public in names:
            assert hasattr(module, public), f"{name}.{public}"

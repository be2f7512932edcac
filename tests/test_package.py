"""The package as a whole: public names, cheap import, what the wheel carries."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT

import ciscocfg


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_version_is_a_string() -> None:
    assert isinstance(ciscocfg.__version__, str)
    assert ciscocfg.__version__.count(".") >= 2


def test_import_is_cheap() -> None:
    loaded = _modules_after("import ciscocfg")
    assert not {"lark", "lxml", "attrs", "asyncio"} & loaded


def test_error_hierarchy() -> None:
    assert issubclass(ciscocfg.ParseError, ciscocfg.CiscoCfgError)
    assert issubclass(ciscocfg.ParseError, ValueError)
    assert issubclass(ciscocfg.MalformedPacket, ciscocfg.CiscoCfgError)
    err = ciscocfg.ParseError("expected ':'", line=12, column=18, offset=300, source="a.cnf")
    assert str(err) == "a.cnf:12:18: expected ':'"
    assert (err.line, err.column, err.offset, err.source) == (12, 18, 300, "a.cnf")


def test_diagnostic_is_lazy_and_frozen() -> None:
    diag = ciscocfg.Diagnostic("CNF100", "warning", "unknown key", line=3, column=1, source="x")
    assert str(diag) == "x:3:1: warning CNF100: unknown key"
    with pytest.raises(AttributeError):
        diag.code = "other"  # type: ignore[misc]


def test_all_names_exist() -> None:
    for name in ciscocfg.__all__:
        assert getattr(ciscocfg, name) is not None


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        _ = ciscocfg.no_such_name


@pytest.mark.skipif(not os.environ.get("CISCOCFG_WHEEL"), reason="only when testing a wheel")
def test_tests_run_against_the_installed_wheel() -> None:
    package_dir = Path(ciscocfg.__file__).resolve().parent
    assert PROJECT_ROOT not in package_dir.parents, package_dir


@pytest.mark.skipif(not os.environ.get("CISCOCFG_WHEEL"), reason="only when testing a wheel")
def test_wheel_carries_grammars_and_marker() -> None:
    with zipfile.ZipFile(os.environ["CISCOCFG_WHEEL"]) as wheel:
        names = set(wheel.namelist())
    assert "ciscocfg/py.typed" in names
    grammars = {n for n in names if n.startswith("ciscocfg/grammars/")}
    assert "ciscocfg/grammars/cnf.lark" in grammars

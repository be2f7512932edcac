"""The .cnf module as a unit: its public names, its imports, its grammar file."""

from __future__ import annotations

import doctest
import subprocess
import sys

from support.paths import PROJECT_ROOT

from ciscocfg import cnf
from ciscocfg._grammar import grammar_text


def test_public_names_match_all() -> None:
    public = {name for name in vars(cnf) if not name.startswith("_")} - {"annotations"}
    assert set(cnf.__all__) == public
    for name in ("loads", "load", "dumps", "dump", "Document", "validate", "merge", "fix"):
        assert name in cnf.__all__


def test_import_does_not_pull_in_lxml() -> None:
    code = "import sys, ciscocfg.cnf; print('lxml' in sys.modules, 'lark' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.split() == ["False", "True"]


def test_grammar_is_found_and_lossless() -> None:
    text = grammar_text("cnf.lark")
    assert text == (PROJECT_ROOT / "grammars" / "cnf.lark").read_text(encoding="utf-8")
    assert "%ignore" not in text.replace("// There is no %ignore", "")
    assert not (PROJECT_ROOT / "grammars" / ".gitkeep").exists()


def test_module_docstring_example_runs() -> None:
    result = doctest.testmod(cnf)
    assert result.attempted > 0
    assert result.failed == 0

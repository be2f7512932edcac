"""One table of every code the library's findings carry (``ciscocfg.CODES``), held to the source
that sets the codes, to the documentation's tables, and to the findings: every code, with each
of its severities, is reported for an input of its own (support/triggers.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT
from support.triggers import TRIGGERS, UNREACHABLE

from ciscocfg import CODES

_PACKAGE = PROJECT_ROOT / "ciscocfg"
_DOCS = PROJECT_ROOT / "docs"
_CODE = re.compile(r"[A-Z]{2,4}\d{3}")
#: Strings shaped like a code that are something else, with what they are.
_NOT_CODES = {"DX650": "a phone model, the Cisco DX650"}
_PREFIXES = {re.sub(r"\d+$", "", code) for code in CODES}
#: A row of a documentation table of codes: | `CODE` | severity / severity | meaning |
_ROW = re.compile(r"^\| `?([A-Z]{2,4}\d{3})`? \| ([a-z /]+?) \|", re.MULTILINE)


def _code_literals(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _CODE.fullmatch(node.value)
    }


def _sources_beside() -> None:
    if not _PACKAGE.is_dir() or not _DOCS.is_dir():
        pytest.skip("the sources and the documentation are not beside the tests")


def test_the_table_lists_exactly_the_codes_the_source_sets() -> None:
    _sources_beside()
    found = set().union(
        *(_code_literals(path) for path in _PACKAGE.rglob("*.py") if path.name != "_codes.py")
    )
    assert found - set(_NOT_CODES) == set(CODES)
    assert {re.sub(r"\d+$", "", code) for code in found - set(_NOT_CODES)} == _PREFIXES


def test_the_scan_reads_codes_not_words(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Codes such as "CNF104"."""\nfound.add("XML001", "error", "x DPL001")\n')
    assert _code_literals(sample) == {"XML001"}


def _documented() -> dict[str, dict[str, set[str]]]:
    """Code -> page -> the severities that page's table gives it."""
    rows: dict[str, dict[str, set[str]]] = {}
    for page in sorted(_DOCS.rglob("*.md")):
        name = page.relative_to(_DOCS).as_posix()
        for code, severities in _ROW.findall(page.read_text(encoding="utf-8")):
            rows.setdefault(code, {})[name] = {s.strip() for s in severities.split("/")}
    return rows


def test_every_code_is_on_its_page_with_its_severities() -> None:
    _sources_beside()
    documented = _documented()
    for code, entry in CODES.items():
        pages = documented.get(code, {})
        assert entry.page in pages, f"{code} is not in the table of docs/{entry.page}"
        for page, severities in pages.items():
            assert severities == set(entry.severities), (code, page)
    assert set(documented) == set(CODES), "a table lists a code the library does not have"


def test_each_entry_says_what_it_means() -> None:
    for code, entry in CODES.items():
        assert entry.meaning, code
        assert "\n" not in entry.meaning, code
        assert entry.severities, code
        assert set(entry.severities) <= {"error", "warning", "info"}, code
        assert len(set(entry.severities)) == len(entry.severities), code


def test_every_code_has_a_trigger_or_a_reason() -> None:
    assert set(TRIGGERS) | set(UNREACHABLE) == set(CODES)
    assert not set(TRIGGERS) & set(UNREACHABLE)
    for code, triggers in TRIGGERS.items():
        assert {t.severity for t in triggers} == set(CODES[code].severities), code


CASES = [
    pytest.param(code, index, id=f"{code}-{trigger.severity}")
    for code, triggers in sorted(TRIGGERS.items())
    for index, trigger in enumerate(triggers)
]


@pytest.mark.parametrize(("code", "index"), CASES)
def test_the_code_is_reported_with_its_severity(tmp_path: Path, code: str, index: int) -> None:
    trigger = TRIGGERS[code][index]
    found = trigger.run(tmp_path)
    assert (code, trigger.severity) in {(d.code, d.severity) for d in found}, found

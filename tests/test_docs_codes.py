"""The code tables of the documentation list exactly the codes the code emits: PRV, MIG, GEN,
DPL, STG, and the codes every validator shares (TXT for content that is not text, TPL for
templates).
"""

from __future__ import annotations

import re

import pytest
from support.paths import PROJECT_ROOT

_PACKAGE = PROJECT_ROOT / "ciscocfg"
_DOCS = PROJECT_ROOT / "docs" / "formats"


def _emitted(prefix: str) -> set[str]:
    found: set[str] = set()
    for path in _PACKAGE.rglob("*.py"):
        found |= set(re.findall(rf'"({prefix}\d{{3}})"', path.read_text(encoding="utf-8")))
    return found


def _documented(page: str, prefix: str) -> set[str]:
    text = (_DOCS / page).read_text(encoding="utf-8")
    return set(re.findall(rf"^\| `({prefix}\d{{3}})` \|", text, flags=re.MULTILINE))


@pytest.mark.parametrize(
    ("page", "prefix"),
    [
        ("provisioning-tree.md", "PRV"),
        ("firmware.md", "STG"),
        ("migration.md", "MIG"),
        ("../reference/generate.md", "GEN"),
        ("index.md", "TXT"),
        ("index.md", "TPL"),
        ("dialplan.md", "DPL"),
    ],
)
def test_code_table_is_complete(page: str, prefix: str) -> None:
    if not (_DOCS / page).is_file() or not _PACKAGE.is_dir():
        pytest.skip("documentation and sources are not beside the tests")
    assert _documented(page, prefix) == _emitted(prefix)

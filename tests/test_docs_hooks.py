"""The MkDocs hooks of docs/hooks/, exercised by building a small site with them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT

HOOKS = PROJECT_ROOT / "docs" / "hooks"

CONFIG = """\
site_name: t
strict: true
hooks:
  - docs/hooks/rst_roles.py
exclude_docs: |
  hooks/
"""


def _site(tmp_path: Path, index: str) -> Path:
    pytest.importorskip("mkdocs")
    docs = tmp_path / "docs"
    (docs / "formats").mkdir(parents=True)
    (docs / "reference").mkdir()
    shutil.copytree(HOOKS, docs / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (docs / "index.md").write_text(index, encoding="utf-8")
    (docs / "formats" / "present.md").write_text("# Present\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_rst_roles_become_references(tmp_path: Path) -> None:
    project = _site(
        tmp_path,
        "# Home\n\nSee [the present one](formats/present.md).\n\nRaised as :class:`ValueError`.\n",
    )
    result = _build(project)
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<a href="formats/present/">the present one</a>' in html
    # A reST role no longer shows; the unresolved reference is plain code.
    assert ":class:" not in html
    assert "<code>ValueError</code>" in html


def test_broken_links_fail(tmp_path: Path) -> None:
    project = _site(tmp_path, "# Home\n\n[nowhere](formats/nowhere.md)\n")
    result = _build(project)
    assert result.returncode != 0
    assert "formats/nowhere.md" in result.stderr

"""A missing corpus skips the tests that read it, and fails them where CI requires it
(``CISCOCFG_REQUIRE_CORPUS=1``, set by ``.ci/run``): a skipped test is not a passed one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT

# One test that reads corpus files by parameter, one that marks what it reads, one that looks.
_TESTS = [
    "tests/test_ringlist.py::test_corpus_round_trip",
    "tests/test_ringxml.py::test_every_xml_file_is_listed",
    "tests/test_dialplan.py::test_corpus_reading_details",
]


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    if not (PROJECT_ROOT / "tests" / "test_ringlist.py").is_file():
        pytest.skip("the tests are not in a checkout")
    environment = {k: v for k, v in os.environ.items() if k != "CISCOCFG_REQUIRE_CORPUS"}
    environment.update(CISCOCFG_CORPUS=str(tmp_path / "nowhere"), **env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *_TESTS],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_missing_corpus_skips(tmp_path: Path) -> None:
    done = _run(tmp_path)
    assert done.returncode == 0, done.stdout
    assert "3 skipped" in done.stdout


def test_a_missing_corpus_fails_where_it_is_required(tmp_path: Path) -> None:
    done = _run(tmp_path, CISCOCFG_REQUIRE_CORPUS="1")
    assert done.returncode == 1, done.stdout
    assert "skipped" not in done.stdout
    assert done.stdout.count("CISCOCFG_REQUIRE_CORPUS=1 requires it") >= 3

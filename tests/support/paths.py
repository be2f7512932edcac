"""Where the project's own files and the shared corpus of real-world files are."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Real files written by other people; read in place, never copied into the project.
#: ``CISCOCFG_CORPUS`` names another place for it.
CORPUS = Path(os.environ.get("CISCOCFG_CORPUS") or PROJECT_ROOT.parent / "shared" / "corpus")
#: Set by ``.ci/run``: a test that cannot find the corpus fails instead of being skipped, since a
#: skipped test is not a passed one.
CORPUS_REQUIRED = os.environ.get("CISCOCFG_REQUIRE_CORPUS") == "1"
EXAMPLES = PROJECT_ROOT / "examples"
DATA = PROJECT_ROOT / "tests" / "data"


def no_corpus() -> NoReturn:
    """Skip the running test for want of the corpus, or fail it under
    ``CISCOCFG_REQUIRE_CORPUS=1``."""
    message = f"no corpus at {CORPUS}"
    if CORPUS_REQUIRED:
        pytest.fail(f"{message}, and CISCOCFG_REQUIRE_CORPUS=1 requires it", pytrace=False)
    pytest.skip(message)


def needs_corpus(*found: object) -> pytest.MarkDecorator:
    """Mark a test that reads what ``found`` holds from the corpus (lists of files, say): it is
    skipped, or fails, as :func:`no_corpus` says, when any of them is empty."""
    return pytest.mark.corpus(*found)


def corpus_files(kind: str) -> list[Path]:
    """The files of one corpus folder (``cnf``, ``xmlcfg``, ``seed`` ...), sorted by name.

    Returns an empty list when the corpus is not beside the project; use
    :func:`corpus_params` or :func:`needs_corpus` to turn that into one skipped (or, where the
    corpus is required, failed) test rather than none.
    """
    folder = CORPUS / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file())


def corpus_params(kind: str) -> list[object]:
    """``pytest.mark.parametrize`` values for a corpus folder, with readable ids."""
    files = corpus_files(kind)
    if not files:
        return [missing_corpus_param()]
    return [pytest.param(path, id=path.name) for path in files]


def missing_corpus_param(width: int = 1) -> object:
    """The one parameter (of ``width`` values) that stands for the files of a corpus that is
    not there: its test is skipped, or fails where the corpus is required."""
    return pytest.param(*(None,) * width, marks=needs_corpus([]), id="no-corpus")


def corpus_cases(values: Sequence[object], ids: list[str], width: int = 1) -> list[object]:
    """``pytest.mark.parametrize`` values read from the corpus (tuples of ``width`` values when
    it is more than one), with their ids; without the corpus, the one
    :func:`missing_corpus_param`."""
    if not values:
        return [missing_corpus_param(width)]
    return [
        pytest.param(*(value if isinstance(value, tuple) and width > 1 else (value,)), id=name)
        for value, name in zip(values, ids, strict=True)
    ]

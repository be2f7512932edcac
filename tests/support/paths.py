"""Where the project's own files and the shared corpus of real-world files are."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: Real files written by other people; read in place, never copied into the project.
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
EXAMPLES = PROJECT_ROOT / "examples"
DATA = PROJECT_ROOT / "tests" / "data"


def corpus_files(kind: str) -> list[Path]:
    """The files of one corpus folder (``cnf``, ``xmlcfg``, ``seed`` ...), sorted by name.

    Returns an empty list when the corpus is not beside the project; use
    :func:`corpus_params` to turn that into one skipped test rather than none.
    """
    folder = CORPUS / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file())


def corpus_params(kind: str) -> list[object]:
    """``pytest.mark.parametrize`` values for a corpus folder, with readable ids."""
    files = corpus_files(kind)
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no corpus at {CORPUS}"))]
    return [pytest.param(path, id=path.name) for path in files]

"""The one repair that is always safe: characters a web page or a word processor put in."""

from __future__ import annotations

from ciscocfg.cnf._document import Document
from ciscocfg.cnf._io import loads

__all__ = ["FIXES", "fix", "fix_text"]

#: Typographic quotes become ASCII quotes, no-break spaces become spaces; nothing else changes.
FIXES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})


def fix_text(text: str) -> str:
    """``text`` with typographic quotes and no-break spaces repaired, every other byte kept."""
    return text.translate(FIXES)


def fix(doc: Document) -> Document:
    """A new document with typographic quotes and no-break spaces repaired.

    Nothing else changes: spacing, comments, line endings and every other character stay as
    they are. Lines re-read after the repair, so ``“sipgate.co.uk”`` becomes a quoted value.
    """
    return loads(fix_text(doc.dumps()), strict=False, source=doc.source)

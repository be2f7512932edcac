"""The one repair that is always safe: characters a web page or a word processor put in."""

from __future__ import annotations

from ciscocfg._reads import PASTE_DAMAGE, repair, unreadable_text
from ciscocfg.cnf._document import Document
from ciscocfg.cnf._io import loads

__all__ = ["FIXES", "fix", "fix_text"]

#: Each pasted character and what replaces it (:data:`ciscocfg._reads.PASTE_DAMAGE`): typographic
#: quotes become ASCII quotes, no-break and other odd spaces become spaces, zero-width
#: characters and byte order marks go; nothing else changes.
FIXES = {char: damage.repair for char, damage in PASTE_DAMAGE.items()}


def fix_text(text: str) -> str:
    """``text`` with pasted characters repaired (a leading byte order mark removed too), every
    other character kept.

    Content that is not text at all (a binary, UTF-16) comes back as it is: what looks like a
    no-break space in it is no character, and a repair would only damage it.
    """
    if unreadable_text(text) is not None:
        return text
    return repair(text)


def fix(doc: Document) -> Document:
    """A new document with typographic quotes, no-break spaces, zero-width characters and the
    byte order mark repaired.

    Nothing else changes: spacing, comments, line endings and every other character stay as
    they are. Lines re-read after the repair, so ``“sipgate.co.uk”`` becomes a quoted value.
    """
    return loads(fix_text(doc.dumps()), strict=False, source=doc.source)

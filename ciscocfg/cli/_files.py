"""Which codec a file belongs to, by its name (shared by ``lint`` and ``fmt``)."""

from __future__ import annotations

import fnmatch
import os

__all__ = ["FORMATS", "format_of"]

#: File-name patterns (matched case-insensitively) and the format each one is. Formats other
#: than ``cnf`` are added here as their codecs arrive.
FORMATS: tuple[tuple[str, str], ...] = (("*.cnf", "cnf"),)


def format_of(path: str, forced: str | None = None) -> str | None:
    """The format of ``path`` (``"cnf"`` ...), ``forced`` if given, ``None`` if unknown."""
    if forced is not None:
        return forced
    name = os.path.basename(path).lower()
    for pattern, fmt in FORMATS:
        if fnmatch.fnmatchcase(name, pattern):
            return fmt
    return None

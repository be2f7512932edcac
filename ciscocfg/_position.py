"""Offsets to line and column numbers (standard library only)."""

from __future__ import annotations

import bisect

__all__ = ["LineIndex"]


class LineIndex:
    """Maps 0-based offsets in a text to 1-based (line, column) pairs.

    A line ends after ``\\n``, after ``\\r\\n`` and after a ``\\r`` not followed by ``\\n`` — the
    three endings the phones accept.
    """

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        i = 0
        n = len(text)
        while i < n:
            ch = text[i]
            if ch == "\n":
                starts.append(i + 1)
            elif ch == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                starts.append(i + 1)
            i += 1
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of ``offset``."""
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

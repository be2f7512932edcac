"""Text from a peer made safe to print on a terminal (standard library only).

A TFTP server's ERROR message is whatever the server chose to send: escape sequences that
recolour or retitle the terminal, carriage returns and newlines that forge lines of output,
bidirectional overrides that reorder what is read, and thousands of characters. Printed, it is
one line of at most a few hundred characters in which every such character is shown as an
escape, never obeyed.
"""

from __future__ import annotations

from typing import Final

__all__ = ["MESSAGE_LIMIT", "escape_for_terminal"]

#: Characters of escaped text kept by default; a TFTP error message is a few words.
MESSAGE_LIMIT: Final = 200

_NAMED: Final = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    if char.isprintable():
        return char
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        # A byte that was not UTF-8 (decoded with surrogateescape): shown as that byte.
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def escape_for_terminal(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` on one line with nothing a terminal would act on, cut to ``limit`` characters.

    Control characters (C0, DEL, C1: newlines and ESC included), format characters (such as
    bidirectional overrides), separators other than the space, unassigned code points and
    undecodable bytes become Python-style escapes (``\\n``, ``\\x1b``, ``\\u202e``), and a
    backslash is doubled, so that what is shown says unambiguously what was sent. Longer text
    is cut at an escape's edge and ends with ``... (N more characters)``.
    """
    if len(text) <= limit and text.isprintable() and "\\" not in text:
        return text
    pieces: list[str] = []
    used = 0
    for index, char in enumerate(text):
        piece = _escape(char)
        if used + len(piece) > limit:
            pieces.append(f"... ({len(text) - index} more characters)")
            break
        pieces.append(piece)
        used += len(piece)
    return "".join(pieces)

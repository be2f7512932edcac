"""The lines of a ``.cnf`` file as frozen nodes that keep every byte of their spelling.

A file is a sequence of physical lines, and each node owns exactly one line, terminator
included (``newline`` is ``""`` only on a last line without one). Rendering a node gives back
its text, so joining the nodes gives back the file.
"""

from __future__ import annotations

import attrs

__all__ = ["Blank", "Comment", "Entry", "InvalidLine", "Line"]


@attrs.frozen
class Entry:
    """A ``key: value ; remark`` assignment.

    ``value`` is what the phone reads: quotes removed, blanks around a bare value trimmed.
    """

    #: Blanks before the key (spaces and tabs).
    indent: str
    #: The key exactly as written (case and any stray characters kept).
    key: str
    #: Blanks between the key and ``:``.
    before_colon: str
    #: Blanks between ``:`` and the value.
    after_colon: str
    #: ``'"'`` for a quoted value, ``""`` for a bare one.
    quote: str
    #: The value without its quotes.
    value: str
    #: Blanks after the value, before ``;`` or the end of the line.
    after_value: str
    #: The text after ``;``, or ``None`` when the line has no ``;``.
    remark: str | None
    #: The line terminator: ``"\\n"``, ``"\\r\\n"``, ``"\\r"`` or ``""`` at the end of the file.
    newline: str

    def render(self) -> str:
        """The line as text, terminator included."""
        semi = "" if self.remark is None else ";" + self.remark
        return (
            f"{self.indent}{self.key}{self.before_colon}:{self.after_colon}"
            f"{self.quote}{self.value}{self.quote}{self.after_value}{semi}{self.newline}"
        )

    @property
    def value_column(self) -> int:
        """The 0-based column where the value (its opening quote, if any) starts."""
        return len(self.indent) + len(self.key) + len(self.before_colon) + 1 + len(self.after_colon)


@attrs.frozen
class Comment:
    """A whole-line comment: ``#`` after optional blanks."""

    indent: str
    #: The comment, ``#`` included.
    text: str
    newline: str

    def render(self) -> str:
        """The line as text, terminator included."""
        return self.indent + self.text + self.newline


@attrs.frozen
class Blank:
    """An empty line, or one holding only spaces and tabs."""

    blanks: str
    newline: str

    def render(self) -> str:
        """The line as text, terminator included."""
        return self.blanks + self.newline


@attrs.frozen
class InvalidLine:
    """A line that is not in the dialect, kept verbatim (only in tolerant mode)."""

    text: str
    newline: str

    def render(self) -> str:
        """The line as text, terminator included."""
        return self.text + self.newline


Line = Entry | Comment | Blank | InvalidLine

"""The parsed file: an ordered list of line nodes that reads like a mapping of settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, MutableMapping, Sequence

import attrs

from ciscocfg._errors import ValidationError
from ciscocfg.cnf._emit import render_value, style_for_new_entry
from ciscocfg.cnf._model import Entry, Line
from ciscocfg.cnf._parse import Row, key_pattern, node

__all__ = ["Document"]


class Document(MutableMapping[str, str]):
    """A ``.cnf`` file: every line kept as a node, read and edited like a mapping.

    ``doc[key]`` is the value the phone reads (quotes removed; ``""`` for an empty value).
    When a key occurs more than once the last line wins, as on the phone, and every line stays
    in the text. ``doc[key] = value`` rewrites only the line that wins, keeping its spacing,
    quoting and remark; a new key is appended in the document's prevailing style. ``del
    doc[key]`` removes every line of that key.
    """

    __slots__ = ("_lines", "_rows", "_text", "_values", "bom", "source")

    def __init__(self, lines: Sequence[Line] = (), *, bom: str = "", source: str | None = None):
        self._lines: list[Line] | None = list(lines)
        # A document read from text keeps the scanner's rows and builds its nodes on first use,
        # and keeps the text itself until the first edit: reading a file and writing it back
        # unchanged needs neither.
        self._rows: list[Row] | None = None
        self._text: str | None = None
        self._values: dict[str, str] | None = None
        #: ``"\ufeff"`` when the text started with a byte order mark, else ``""``.
        self.bom = bom
        #: The file name the document was read from, for messages; ``None`` if unknown.
        self.source = source

    @classmethod
    def _from_rows(cls, text: str, rows: list[Row], *, bom: str, source: str | None) -> Document:
        doc = cls(bom=bom, source=source)
        doc._lines = None
        doc._rows = rows
        doc._text = text
        return doc

    def _nodes(self) -> list[Line]:
        lines = self._lines
        if lines is None:
            assert self._rows is not None
            lines = self._lines = [node(row) for row in self._rows]
            self._rows = None
        return lines

    def _edited(self) -> list[Line]:
        """The node list, about to change: the kept text no longer applies."""
        self._text = None
        self._values = None
        return self._nodes()

    # -- the text -------------------------------------------------------------------------

    @property
    def lines(self) -> tuple[Line, ...]:
        """The line nodes in file order; line ``n`` of the file is ``lines[n - 1]``."""
        return tuple(self._nodes())

    def dumps(self) -> str:
        """The document as text: exactly the text that was parsed, apart from edits."""
        if self._text is not None:
            return self.bom + self._text
        return self.bom + "".join([line.render() for line in self._nodes()])

    def entries(self, key: str) -> list[tuple[int, Entry]]:
        """Every assignment of ``key`` as (1-based line number, node), in file order."""
        return [
            (number, line)
            for number, line in enumerate(self._nodes(), 1)
            if type(line) is Entry and line.key == key
        ]

    def replace_line(self, number: int, line: Line) -> None:
        """Put ``line`` in place of line ``number`` (1-based); every other line is untouched."""
        lines = self._edited()
        if not 1 <= number <= len(lines):
            raise IndexError(f"no line {number}")
        lines[number - 1] = line

    # -- mapping reads --------------------------------------------------------------------

    def _effective(self) -> dict[str, str]:
        values = self._values
        if values is None:
            if self._rows is not None:
                # Straight from the rows: key is row[2], a quoted value row[5], a bare one row[6].
                values = {r[2]: r[5][1:-1] if r[5] else r[6] for r in self._rows if r[2]}
            else:
                values = {line.key: line.value for line in self._nodes() if type(line) is Entry}
            self._values = values
        return values

    def __getitem__(self, key: str) -> str:
        return self._effective()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._effective()

    def __iter__(self) -> Iterator[str]:
        return iter(self._effective())

    def __len__(self) -> int:
        return len(self._effective())

    # -- edits ----------------------------------------------------------------------------

    def __setitem__(self, key: str, value: str) -> None:
        if not isinstance(value, str):
            raise ValidationError(f"value of {key!r} must be text, not {type(value).__name__}")
        found = self.entries(key)
        lines = self._edited()
        if found:
            number, entry = found[-1]
            quote, text = render_value(value, entry.quote)
            updated = attrs.evolve(entry, quote=quote, value=text)
            if not quote and not text and entry.after_value:
                # With no value the blanks after ':' and after the value are one run.
                updated = attrs.evolve(
                    updated, after_colon=entry.after_colon + entry.after_value, after_value=""
                )
            lines[number - 1] = updated
        else:
            if not key_pattern().match(key):
                raise ValidationError(f"{key!r} cannot be written as a key")
            self._append(lines, key, value)

    @staticmethod
    def _append(lines: list[Line], key: str, value: str) -> None:
        counts = Counter(line.newline for line in lines if line.newline)
        newline = counts.most_common(1)[0][0] if counts else "\n"
        entry = style_for_new_entry(key, value, lines, newline)
        if lines and not lines[-1].newline:
            # The last line had no terminator; it needs one now that a line follows.
            lines[-1] = attrs.evolve(lines[-1], newline=newline)
        lines.append(entry)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        lines = self._edited()
        lines[:] = [line for line in lines if not (type(line) is Entry and line.key == key)]

    # -- comparison -----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Document):
            return self.bom == other.bom and self._nodes() == other._nodes()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Document {self.source or '<string>'}: {len(self._nodes())} lines>"

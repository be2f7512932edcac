"""The parsed file: an ordered list of line nodes that reads like a mapping of settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, MutableMapping, Sequence

import attrs

from ciscocfg._errors import ValidationError
from ciscocfg.cnf._emit import render_value, style_for_new_entry
from ciscocfg.cnf._model import Entry, Line
from ciscocfg.cnf._parse import key_pattern

__all__ = ["Document"]


class Document(MutableMapping[str, str]):
    """A ``.cnf`` file: every line kept as a node, read and edited like a mapping.

    ``doc[key]`` is the value the phone reads (quotes removed; ``""`` for an empty value).
    When a key occurs more than once the last line wins, as on the phone, and every line stays
    in the text. ``doc[key] = value`` rewrites only the line that wins, keeping its spacing,
    quoting and remark; a new key is appended in the document's prevailing style. ``del
    doc[key]`` removes every line of that key.
    """

    __slots__ = ("_lines", "_values", "bom", "source")

    def __init__(self, lines: Sequence[Line] = (), *, bom: str = "", source: str | None = None):
        self._lines: list[Line] = list(lines)
        self._values: dict[str, str] | None = None
        #: ``"\\ufeff"`` when the text started with a byte order mark, else ``""``.
        self.bom = bom
        #: The file name the document was read from, for messages; ``None`` if unknown.
        self.source = source

    # -- the text -------------------------------------------------------------------------

    @property
    def lines(self) -> tuple[Line, ...]:
        """The line nodes in file order; line ``n`` of the file is ``lines[n - 1]``."""
        return tuple(self._lines)

    def dumps(self) -> str:
        """The document as text: exactly the text that was parsed, apart from edits."""
        return self.bom + "".join([line.render() for line in self._lines])

    def entries(self, key: str) -> list[tuple[int, Entry]]:
        """Every assignment of ``key`` as (1-based line number, node), in file order."""
        return [
            (number, line)
            for number, line in enumerate(self._lines, 1)
            if type(line) is Entry and line.key == key
        ]

    def replace_line(self, number: int, line: Line) -> None:
        """Put ``line`` in place of line ``number`` (1-based); every other line is untouched."""
        if not 1 <= number <= len(self._lines):
            raise IndexError(f"no line {number}")
        self._lines[number - 1] = line
        self._values = None

    # -- mapping reads --------------------------------------------------------------------

    def _effective(self) -> dict[str, str]:
        values = self._values
        if values is None:
            values = {line.key: line.value for line in self._lines if type(line) is Entry}
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
        if found:
            number, entry = found[-1]
            quote, text = render_value(value, entry.quote)
            self._lines[number - 1] = attrs.evolve(entry, quote=quote, value=text)
        else:
            if not key_pattern().match(key):
                raise ValidationError(f"{key!r} cannot be written as a key")
            self._append(key, value)
        self._values = None

    def _append(self, key: str, value: str) -> None:
        newline = self._prevailing_newline()
        if self._lines and not self._lines[-1].newline:
            # The last line had no terminator; it needs one now that a line follows.
            self._lines[-1] = attrs.evolve(self._lines[-1], newline=newline)
        self._lines.append(style_for_new_entry(key, value, self._lines, newline))

    def _prevailing_newline(self) -> str:
        counts = Counter(line.newline for line in self._lines if line.newline)
        return counts.most_common(1)[0][0] if counts else "\n"

    def __delitem__(self, key: str) -> None:
        kept = [line for line in self._lines if not (type(line) is Entry and line.key == key)]
        if len(kept) == len(self._lines):
            raise KeyError(key)
        self._lines = kept
        self._values = None

    # -- comparison -----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Document):
            return self.bom == other.bom and self._lines == other._lines
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Document {self.source or '<string>'}: {len(self._lines)} lines>"

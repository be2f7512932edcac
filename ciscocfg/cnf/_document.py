"""The parsed file: an ordered list of lines that reads like a mapping of settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, MutableMapping, Sequence

import attrs

from ciscocfg._errors import ArgumentTypeError, EmitError
from ciscocfg.cnf._emit import render_value, style_for_new_entry
from ciscocfg.cnf._model import Entry, Line
from ciscocfg.cnf._parse import KEY, Row, key_pattern, node, parse_lines, row_value

__all__ = ["Document"]


def _check_reads_back(lines: list[Line], first: int = 1) -> None:
    """Raise EmitError unless ``lines`` written out read back as the very same lines."""
    again = parse_lines("".join(line.render() for line in lines), strict=False, source=None)
    for number, (wanted, got) in enumerate(zip(lines, again, strict=False), first):
        if wanted != got:
            raise EmitError(f"line {number} does not read back as written: {wanted!r}")
    if len(again) != len(lines):
        raise EmitError("the lines do not read back as written (a missing line break?)")


def _text_of(item: Row | Line) -> str:
    # A row's groups hold every character of its line.
    return "".join(item) if isinstance(item, tuple) else item.render()


class Document(MutableMapping[str, str]):
    """A ``.cnf`` file: every line kept, read and edited like a mapping.

    ``doc[key]`` is the value the phone reads (quotes removed; ``""`` for an empty value).
    When a key occurs more than once the last line wins, as on the phone, and every line stays
    in the text. ``doc[key] = value`` rewrites only the line that wins, keeping its spacing,
    quoting and remark; a new key is appended in the document's prevailing style. ``del
    doc[key]`` removes every line of that key.
    """

    __slots__ = ("_items", "_text", "_values", "bom", "source")

    def __init__(self, lines: Sequence[Line] = (), *, bom: str = "", source: str | None = None):
        # Each line is a node, or, for a document read from text, the scanner's row until the
        # line is first needed as a node: most lines of most files are never edited, and a row
        # costs a fraction of a node. The text itself is kept until the first edit.
        self._items: list[Row | Line] = list(lines)
        if self._items:
            _check_reads_back(list(lines))
        self._text: str | None = None
        self._values: dict[str, str] | None = None
        #: ``"\\ufeff"`` when the text started with a byte order mark, else ``""``.
        self.bom = bom
        #: The file name the document was read from, for messages; ``None`` if unknown.
        self.source = source

    @classmethod
    def _from_rows(cls, text: str, rows: list[Row], *, bom: str, source: str | None) -> Document:
        doc = cls(bom=bom, source=source)
        doc._items = list(rows)
        doc._text = text
        return doc

    def _node(self, index: int) -> Line:
        item = self._items[index]
        if type(item) is tuple:
            item = self._items[index] = node(item)
        return item  # type: ignore[return-value]

    def _nodes(self) -> list[Line]:
        items = self._items
        for index, item in enumerate(items):
            if type(item) is tuple:
                items[index] = node(item)
        return items  # type: ignore[return-value]

    def _edited(self) -> None:
        """The lines are about to change: the kept text and values no longer apply."""
        self._text = None
        self._values = None

    def _indexes(self, key: str) -> list[int]:
        return [
            index
            for index, item in enumerate(self._items)
            if (item[KEY] if type(item) is tuple else getattr(item, "key", None)) == key
        ]

    # -- the text -------------------------------------------------------------------------

    @property
    def lines(self) -> tuple[Line, ...]:
        """The line nodes in file order; line ``n`` of the file is ``lines[n - 1]``."""
        return tuple(self._nodes())

    def dumps(self) -> str:
        """The document as text: exactly the text that was parsed, apart from edits."""
        if self._text is not None:
            return self.bom + self._text
        return self.bom + "".join([_text_of(item) for item in self._items])

    def entries(self, key: str) -> list[tuple[int, Entry]]:
        """Every assignment of ``key`` as (1-based line number, node), in file order."""
        found = []
        for index in self._indexes(key):
            line = self._node(index)
            assert type(line) is Entry
            found.append((index + 1, line))
        return found

    def replace_line(self, number: int, line: Line) -> None:
        """Put ``line`` in place of line ``number`` (1-based); every other line is untouched."""
        if not 1 <= number <= len(self._items):
            raise IndexError(f"no line {number}")
        # The new line, read back between its neighbours, must give the same three lines.
        around = [self._node(i) for i in range(number - 2, number + 1) if 0 <= i < len(self._items)]
        around[1 if number > 1 else 0] = line
        _check_reads_back(around, first=max(number - 1, 1))
        self._edited()
        self._items[number - 1] = line

    # -- mapping reads --------------------------------------------------------------------

    def _effective(self) -> dict[str, str]:
        values = self._values
        if values is None:
            values = {}
            for item in self._items:
                if type(item) is tuple:
                    if item[KEY]:
                        values[item[KEY]] = row_value(item)
                elif type(item) is Entry:
                    values[item.key] = item.value
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
            raise ArgumentTypeError(f"value of {key!r} must be text, not {type(value).__name__}")
        found = self._indexes(key)
        if not found:
            if not key_pattern().match(key):
                raise EmitError(f"{key!r} cannot be written as a key")
            self._append(key, value)
            return
        index = found[-1]
        entry = self._node(index)
        assert type(entry) is Entry
        quote, text = render_value(value, entry.quote)
        updated = attrs.evolve(entry, quote=quote, value=text)
        if not quote and not text and entry.after_value:
            # With no value the blanks after ':' and after the value are one run.
            updated = attrs.evolve(
                updated, after_colon=entry.after_colon + entry.after_value, after_value=""
            )
        self._edited()
        self._items[index] = updated

    def _append(self, key: str, value: str) -> None:
        lines = self._nodes()
        counts = Counter(line.newline for line in lines if line.newline)
        newline = counts.most_common(1)[0][0] if counts else "\n"
        entry = style_for_new_entry(key, value, lines, newline)
        self._edited()
        if lines and not lines[-1].newline:
            # The last line had no terminator; it needs one now that a line follows.
            lines[-1] = attrs.evolve(lines[-1], newline=newline)
        lines.append(entry)

    def __delitem__(self, key: str) -> None:
        doomed = set(self._indexes(key))
        if not doomed:
            raise KeyError(key)
        self._edited()
        self._items = [item for index, item in enumerate(self._items) if index not in doomed]

    # -- comparison -----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Document):
            return self.bom == other.bom and self._nodes() == other._nodes()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Document {self.source or '<string>'}: {len(self._items)} lines>"

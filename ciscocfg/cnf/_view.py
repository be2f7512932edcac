"""What the phone reads from a ``.cnf`` document: its settings, each key as the phone reads it.

A :class:`~ciscocfg.cnf.Document` is the text as written, made to be edited: its byte order mark
is kept apart from the first line. The phone has no such notion: it reads the mark as the first
three bytes of the first line, so the first key is another key to it. Characters pasted from a
web page (a no-break space, a zero-width space) are part of a key on both sides already, because
the grammar takes them so. And a file that is not text at all (a binary, UTF-16) gives the phone
no settings.

:func:`phone_view` is the one answer to "which settings does the phone get from this file":
``validate``, ``merge`` and the tree check all ask it, so that a key ``validate`` says the phone
misreads is never one the merged view finds, and the other way round.
"""

from __future__ import annotations

from typing import NamedTuple

from ciscocfg._placeholders import (
    find,
    has_alternatives,
    has_placeholder,
    makes_text,
    spans,
    without_placeholders,
)
from ciscocfg._reads import BOM, Unreadable, meant, unreadable_text
from ciscocfg.cnf._document import Document
from ciscocfg.cnf._model import Entry, InvalidLine
from ciscocfg.cnf._parse import INVALID, KEY, scan

__all__ = ["PhoneView", "Setting", "phone_view"]


class Setting(NamedTuple):
    """One ``key: value`` line as the phone reads it."""

    #: The 1-based line number in the file.
    line: int
    #: The key as the phone reads it: with the byte order mark before the first key, and any
    #: no-break space or other pasted character that is part of it.
    key: str
    #: The value as the phone reads it (quotes removed).
    value: str
    #: The line node, as written.
    entry: Entry
    #: True when the key is, or is part of, a template placeholder (``line{$line}_name``,
    #: ``{{py:n = 1}}``): which key the filled-in template gives is unknown.
    template: bool = False

    @property
    def meant(self) -> str | None:
        """The key a person meant, when the phone reads another one because of a pasted
        character or a byte order mark (``"line1_name"`` for ``"line1_name\\xa0"``); else
        ``None``."""
        intended = meant(self.key)
        return intended if intended != self.key and intended else None


class PhoneView:
    """The settings the phone gets from one ``.cnf`` file, in file order.

    A view of the document as it is when :func:`phone_view` is called; take a new one after
    editing the document. Settings are built when first asked for: :meth:`values` alone costs
    hardly more than reading the document's own values.
    """

    __slots__ = ("_doc", "_keys_unknown", "_settings", "_values", "source", "unreadable")

    def __init__(self, doc: Document, unreadable: Unreadable | None) -> None:
        self._doc = doc
        self._settings: tuple[Setting, ...] | None = () if unreadable is not None else None
        self._values: dict[str, str] | None = {} if unreadable is not None else None
        self._keys_unknown: bool | None = False if unreadable is not None else None
        #: The file name, for messages.
        self.source = doc.source
        #: Why the phone cannot read the file as text at all (then there are no settings).
        self.unreadable = unreadable

    @property
    def keys_unknown(self) -> bool:
        """True when the file is a template whose keys are not all known: a key, or a whole
        line, is a template placeholder (``line{$line}_name``, ``{foreach ...}``)."""
        if self._keys_unknown is None:
            if self._settings is not None:
                self._keys_unknown = any(s.template for s in self._settings) or any(
                    _may_make_keys(line.text)
                    for line in self._doc.lines
                    if type(line) is InvalidLine
                )
            else:
                self._keys_unknown = _keys_unknown(self._doc)
        return self._keys_unknown

    @property
    def settings(self) -> tuple[Setting, ...]:
        """Every ``key: value`` line as the phone reads it, in file order."""
        if self._settings is None:
            self._settings = tuple(_settings(self._doc))
        return self._settings

    def values(self) -> dict[str, str]:
        """Key to value, the last line of a key winning, as the phone stores them."""
        if self._values is None:
            if self._doc.bom and _first_is_entry(self._doc):
                self._values = {setting.key: setting.value for setting in self.settings}
            else:
                # Without a byte order mark before a key, the phone reads the keys as written.
                self._values = self._doc._effective()
        return dict(self._values)

    def misread(self) -> list[Setting]:
        """The settings whose key the phone reads as another key than the one meant."""
        return [setting for setting in self.settings if setting.meant is not None]

    def __repr__(self) -> str:
        return f"<PhoneView {self.source or '<string>'}>"


def phone_view(doc: Document) -> PhoneView:
    """What the phone reads from ``doc``: the one model every check asks."""
    return PhoneView(doc, unreadable_text(doc.dumps()))


def _first_is_entry(doc: Document) -> bool:
    items = doc._items
    if not items:
        return False
    first = items[0]
    return bool(first[KEY]) if type(first) is tuple else type(first) is Entry


def _settings(doc: Document) -> list[Setting]:
    settings: list[Setting] = []
    for number, line in enumerate(doc.lines, 1):
        if type(line) is Entry:
            key = line.key
            if number == 1 and doc.bom:
                # The mark is the first bytes of the first line: the key starts with it, and
                # blanks before the key are then inside it.
                key = BOM + line.indent + key
            template = _may_be_template(key) and _key_is_template(line)
            settings.append(Setting(number, key, line.value, line, template))
    return settings


def _keys_unknown(doc: Document) -> bool:
    """Whether a key, or a whole line, is a template placeholder (looked at on the scanner's
    rows where the lines are not nodes yet: most files have no placeholder at all)."""
    for index, item in enumerate(doc._items):
        if type(item) is tuple:
            if item[KEY]:
                if _may_be_template(item[KEY]):
                    entry = doc._node(index)
                    if type(entry) is Entry and _key_is_template(entry):
                        return True
            elif item[INVALID] and _may_make_keys(item[INVALID]):
                return True
        elif type(item) is Entry:
            if _may_be_template(item.key) and _key_is_template(item):
                return True
        elif type(item) is InvalidLine and _may_make_keys(item.text):
            return True
    return False


def _may_be_template(key: str) -> bool:
    # The characters every placeholder style starts with: most keys have none of them.
    return "{" in key or "$" in key or "#" in key or "%" in key or "[" in key


def _key_is_template(entry: Entry) -> bool:
    if "{" not in entry.key and not has_placeholder(entry.key):
        return False
    key_end = len(entry.indent) + len(entry.key)
    return any(start < key_end for start, _ in spans(entry.render()))


def _may_make_keys(text: str) -> bool:
    """Whether a line outside the dialect may give ``key: value`` lines once the template is
    filled in: a placeholder that stands for text on a line of its own (``{{ XX_fkeys }}``,
    ``{include ...}``), or template tags around a ``key: value`` line. A tag that only steers
    the template (``{if $x}``, ``{/foreach}``) makes no key."""
    found = find(text)
    if not found:
        return False
    rest = without_placeholders(text).strip(" \t")
    if rest:
        return not scan(rest)[0][INVALID] or has_alternatives(text)
    return any(makes_text(placeholder) for placeholder in found)

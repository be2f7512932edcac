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

import attrs

from ciscocfg._placeholders import find, has_placeholder, makes_text, spans, without_placeholders
from ciscocfg._reads import BOM, Unreadable, meant, unreadable_text
from ciscocfg.cnf._document import Document
from ciscocfg.cnf._model import Entry, InvalidLine
from ciscocfg.cnf._parse import INVALID, scan

__all__ = ["PhoneView", "Setting", "phone_view"]


@attrs.frozen
class Setting:
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


@attrs.frozen
class PhoneView:
    """The settings the phone gets from one ``.cnf`` file, in file order."""

    #: The file name, for messages.
    source: str | None
    #: Why the phone cannot read the file as text at all (then there are no settings).
    unreadable: Unreadable | None
    settings: tuple[Setting, ...]
    #: True when the file is a template whose keys are not all known: a key, or a whole line,
    #: is a template placeholder (``line{$line}_name``, ``{foreach ...}``).
    keys_unknown: bool = False

    def values(self) -> dict[str, str]:
        """Key to value, the last line of a key winning, as the phone stores them."""
        return {setting.key: setting.value for setting in self.settings}

    def misread(self) -> list[Setting]:
        """The settings whose key the phone reads as another key than the one meant."""
        return [setting for setting in self.settings if setting.meant is not None]


def phone_view(doc: Document) -> PhoneView:
    """What the phone reads from ``doc``: the one model every check asks."""
    problem = unreadable_text(doc.dumps())
    if problem is not None:
        return PhoneView(doc.source, problem, ())
    settings: list[Setting] = []
    keys_unknown = False
    for number, line in enumerate(doc.lines, 1):
        if type(line) is Entry:
            key = line.key
            if number == 1 and doc.bom:
                # The mark is the first bytes of the first line: the key starts with it, and
                # blanks before the key are then inside it.
                key = BOM + line.indent + key
            template = _key_is_template(line)
            keys_unknown = keys_unknown or template
            settings.append(Setting(number, key, line.value, line, template))
        elif type(line) is InvalidLine and not keys_unknown and _may_make_keys(line.text):
            keys_unknown = True
    return PhoneView(doc.source, None, tuple(settings), keys_unknown)


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
        return not scan(rest)[0][INVALID]
    return any(makes_text(placeholder) for placeholder in found)

"""Writing values and new lines in the dialect: one quoting policy, the document's style."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ciscocfg._errors import EmitError
from ciscocfg.cnf._model import Entry, Line

__all__ = ["bare_safe", "render_value", "style_for_new_entry"]


def _check(value: str) -> None:
    # No escape mechanism is known for the dialect, so these cannot be written at all.
    for char, name in (('"', "a double quote"), ("\r", "a line break"), ("\n", "a line break")):
        if char in value:
            raise EmitError(f"a .cnf value cannot hold {name}: {value!r}")


def bare_safe(value: str) -> bool:
    """True when ``value`` reads back unchanged without quotes.

    A bare value ends at ``;`` and loses blanks at either end.
    """
    return ";" not in value and value == value.strip(" \t")


def render_value(value: str, quote: str) -> tuple[str, str]:
    """The (quote, text) to write ``value`` with, keeping ``quote`` where it can.

    A bare value that would not read back unchanged is quoted; raises EmitError for a
    value the dialect cannot hold.
    """
    _check(value)
    if quote or bare_safe(value):
        return quote, value
    return '"', value


def style_for_new_entry(key: str, value: str, lines: Sequence[Line], newline: str) -> Entry:
    """A new ``key: value`` line in the spacing and quoting most lines of the document use."""
    _check(value)
    entries = [line for line in lines if type(line) is Entry]
    if entries:
        (before, after, quote), _ = Counter(
            (e.before_colon, e.after_colon, e.quote) for e in entries
        ).most_common(1)[0]
    else:
        before, after, quote = "", " ", '"'
    if not quote and (not value or not bare_safe(value)):
        quote = '"'
    return Entry("", key, before, after, quote, value, "", None, newline)

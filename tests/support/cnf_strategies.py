"""Hypothesis strategies for ``.cnf`` documents: line nodes, whole documents, rough text."""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from ciscocfg.cnf import PARAMETERS, Blank, Comment, Entry, Line
from ciscocfg.cnf._parse import terminal_patterns

__all__ = ["blanks", "documents", "lines", "noisy_text", "values"]

blanks = st.text(alphabet=" \t", max_size=4)
newlines = st.sampled_from(["\n", "\r\n", "\r"])
# Line content: anything but a line break (surrogates included: undecodable bytes are text too).
_content_chars = st.characters(exclude_characters="\r\n", exclude_categories=())
_interesting = st.sampled_from(list(' \t:;#"_\u00a0\u201c\u201d\u2018\u2019\ufeff*{}$'))
line_text = st.text(alphabet=st.one_of(_interesting, _content_chars), max_size=30)


def _regex(name: str) -> st.SearchStrategy[str]:
    return st.from_regex(terminal_patterns()[name], fullmatch=True).filter(
        lambda s: "\r" not in s and "\n" not in s
    )


keys = st.one_of(st.sampled_from(sorted(PARAMETERS)), _regex("KEY"))
values = st.text(
    alphabet=st.one_of(_interesting, _content_chars).filter(lambda c: c != '"'), max_size=20
)


@st.composite
def entries(draw: st.DrawFn, newline: st.SearchStrategy[str] = newlines) -> Entry:
    quote = draw(st.sampled_from(['"', ""]))
    value = draw(values) if quote else draw(st.one_of(st.just(""), _regex("BARE")))
    # Blanks after an empty bare value are the blanks after the colon: one run, one place.
    after_value = draw(blanks) if (quote or value) else ""
    return Entry(
        indent=draw(blanks),
        key=draw(keys),
        before_colon=draw(blanks),
        after_colon=draw(blanks),
        quote=quote,
        value=value,
        after_value=after_value,
        remark=draw(st.one_of(st.none(), line_text)),
        newline=draw(newline),
    )


@st.composite
def comments(draw: st.DrawFn, newline: st.SearchStrategy[str] = newlines) -> Comment:
    return Comment(draw(blanks), "#" + draw(line_text), draw(newline))


@st.composite
def blank_lines(draw: st.DrawFn, newline: st.SearchStrategy[str] = newlines) -> Blank:
    return Blank(draw(blanks), draw(newline))


def lines(newline: st.SearchStrategy[str] = newlines) -> st.SearchStrategy[Line]:
    """One line node of any kind."""
    return st.one_of(entries(newline), comments(newline), blank_lines(newline))


@st.composite
def documents(draw: st.DrawFn) -> list[Line]:
    """Line nodes whose rendering parses back to the very same nodes."""
    body: list[Line] = draw(st.lists(lines(), max_size=12))
    if draw(st.booleans()):
        last = draw(lines(st.just("")))
        if not (isinstance(last, Blank) and not last.blanks):
            body.append(last)
    # A CR followed by a line that starts with LF would read as one CRLF. From the end, so that
    # a line changed here is seen by the one before it (a blank "\r" made "\n" starts with LF).
    for i in reversed(range(len(body) - 1)):
        if body[i].newline == "\r" and body[i + 1].render().startswith("\n"):
            body[i] = attrs.evolve(body[i], newline="\n")
    return body


#: Text built from the dialect's own punctuation and line breaks, with anything in between.
noisy_text = st.text(
    alphabet=st.one_of(_interesting, st.sampled_from(["\r", "\n"]), _content_chars),
    max_size=120,
)

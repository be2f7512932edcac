"""Text to line nodes, with the dialect defined by ``grammars/cnf.lark``.

The grammar is the definition. Parsing a large file token by token through Lark costs some
fifty times what the job needs, so reading takes a fast path: one pass of a regular expression
assembled here from the grammar's own terminal definitions, in the order the grammar's rules
lay them out, giving one row of groups per physical line. A line the fast path does not accept
is handed to the Lark parser, which explains why it is not in the dialect (the message of a
:class:`~ciscocfg.ParseError`, or of a ``CNF001`` finding). Tests hold the two together: on
documents generated from the grammar and on arbitrary text they accept the same lines and
produce the same nodes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from ciscocfg._errors import ParseError
from ciscocfg._grammar import parser as _grammar_parser
from ciscocfg.cnf._model import Blank, Comment, Entry, InvalidLine, Line

__all__ = [
    "BARE",
    "BOM",
    "INVALID",
    "KEY",
    "QUOTED",
    "Row",
    "explain",
    "first_invalid",
    "grammar_parser",
    "key_pattern",
    "node",
    "parse_error",
    "parse_lines",
    "parse_with_grammar",
    "row_value",
    "scan",
    "terminal_patterns",
]

BOM = "\ufeff"
GRAMMAR = "cnf.lark"


def grammar_parser() -> Lark:
    """The LALR parser of ``grammars/cnf.lark`` (built once per process)."""
    return _grammar_parser(GRAMMAR)


@functools.cache
def terminal_patterns() -> dict[str, str]:
    """Each terminal of the grammar as a regular expression, by terminal name."""
    return {t.name: f"(?:{t.pattern.to_regexp()})" for t in grammar_parser().terminals}


@functools.cache
def key_pattern() -> re.Pattern[str]:
    """The grammar's ``KEY`` terminal, anchored at both ends."""
    return re.compile(terminal_patterns()["KEY"] + r"\Z")


@functools.cache
def _line_pattern() -> re.Pattern[str]:
    t = terminal_patterns()
    # body? NEWLINE | body, where body is BLANKS | BLANKS? COMMENT | BLANKS? assignment and
    # assignment is KEY BLANKS? COLON BLANKS? (value BLANKS?)? (SEMICOLON REMARK?)?
    assignment = (
        f"({t['KEY']})({t['BLANKS']})?({t['COLON']})({t['BLANKS']})?"
        f"(?:(?:({t['QUOTED']})|({t['BARE']}))({t['BLANKS']})?)?"
        f"(?:({t['SEMICOLON']})({t['REMARK']})?)?"
    )
    body = f"({t['BLANKS']})?(?:({t['COMMENT']})|{assignment})?"
    return re.compile(f"{body}(?:({t['NEWLINE']})|\\Z)")


# A physical line the fast path rejects, up to and including its terminator.
_ANY_LINE = r"([^\r\n]*)(\r\n|\r|\n|\Z)"


@functools.cache
def _scanner() -> re.Pattern[str]:
    # Each match is one non-empty physical line: a line of the dialect if the first branch
    # takes it, else the whole line as invalid text.
    return re.compile(f"(?=[\\s\\S])(?:{_line_pattern().pattern}|{_ANY_LINE})")


#: One row per physical line: the scanner's groups, which together hold every character of the
#: line (a group that took no part is ""): indent, comment, key, before_colon, colon,
#: after_colon, quoted, bare, after_value, semicolon, remark, newline, invalid, invalid_newline.
Row = tuple[str, str, str, str, str, str, str, str, str, str, str, str, str, str]
KEY, QUOTED, BARE, INVALID = 2, 6, 7, 12


def scan(text: str) -> list[Row]:
    """The rows of ``text`` (without a BOM): one regular-expression pass, no nodes built."""
    rows: list[Row] = _scanner().findall(text)
    return rows


def first_invalid(rows: list[Row]) -> int | None:
    """The index of the first row that is not in the dialect, or ``None``."""
    for index, row in enumerate(rows):
        if row[INVALID]:
            return index
    return None


def row_value(row: Row) -> str:
    """The value of an assignment row, as the phone reads it."""
    quoted = row[QUOTED]
    return quoted[1:-1] if quoted else row[BARE]


def node(row: Row) -> Line:
    """The line node of one row."""
    indent, comment, key, bc, _, ac, quoted, bare, av, semi, remark, nl, invalid, inl = row
    # Every group that decides the kind of line (key, comment, quoted value, semicolon,
    # invalid text) is non-empty whenever it takes part.
    if key:
        return Entry(
            indent,
            key,
            bc,
            ac,
            '"' if quoted else "",
            quoted[1:-1] if quoted else bare,
            av,
            remark if semi else None,
            nl,
        )
    if comment:
        return Comment(indent, comment, nl)
    if invalid:
        return InvalidLine(invalid, inl)
    return Blank(indent, nl)


def parse_error(
    rows: list[Row], index: int, *, source: str | None, base_offset: int = 0
) -> ParseError:
    """The :class:`ParseError` for row ``index`` (which must be invalid), cause attached."""
    row = rows[index]
    reason, column, cause = explain(row[INVALID] + row[INVALID + 1])
    start = sum(len("".join(r)) for r in rows[:index])
    err = ParseError(
        reason,
        line=index + 1,
        column=column + 1,
        offset=base_offset + start + column,
        source=source,
    )
    err.__cause__ = cause
    return err


def parse_lines(text: str, *, strict: bool, source: str | None) -> list[Line]:
    """Split ``text`` (without a BOM) into line nodes.

    Strict: the first line outside the dialect raises :class:`ParseError`. Tolerant: such
    lines become :class:`InvalidLine` nodes.
    """
    rows = scan(text)
    if strict:
        bad = first_invalid(rows)
        if bad is not None:
            raise parse_error(rows, bad, source=source)
    return [node(row) for row in rows]


def explain(line: str) -> tuple[str, int, UnexpectedInput | None]:
    """Why one physical line is not in the dialect: a message, the 0-based column, and the
    Lark exception it comes from.

    The Lark parser decides; its exception is translated into words a person understands.
    """
    try:
        grammar_parser().parse(line)
    except UnexpectedInput as exc:
        return (*_describe(exc, line), exc)
    # Unreachable while the fast path and the grammar agree; the tests hold them together.
    return "line not accepted", 0, None


def _describe(exc: UnexpectedInput, line: str) -> tuple[str, int]:
    content = line.rstrip("\r\n")
    expected: set[str]
    if isinstance(exc, UnexpectedToken):
        expected = set(exc.expected)
        token = exc.token
        if token.type == "$END":
            column, found = len(content), "the end of the file"
        else:
            column = (token.column or 1) - 1
            found = "the end of the line" if token.type == "NEWLINE" else repr(str(token)[:1])
    elif isinstance(exc, UnexpectedCharacters):
        expected = set(exc.allowed or ())
        column = exc.column - 1
        found = repr(content[column : column + 1]) if column < len(content) else "the end"
    else:  # pragma: no cover - LALR parsing of text raises only the two kinds above
        return str(exc).splitlines()[0], 0
    column = max(0, min(column, len(content)))
    if "COLON" in expected:
        indent = len(content) - len(content.lstrip(" \t"))
        key = re.match(terminal_patterns()["KEY"], content[indent:])
        name = key.group() if key else content[indent:column]
        return f"expected ':' after key {name!r}, found {found}", column
    if content[column : column + 1] == '"' and "QUOTED" in expected:
        return "unterminated quoted value: no closing '\"' on this line", column
    if "KEY" in expected:
        return f"expected a key, a '#' comment or a blank line, found {found}", column
    if "SEMICOLON" in expected and "QUOTED" not in expected:
        return f"expected ';' or the end of the line after the value, found {found}", column
    return f"unexpected {found}", column


def parse_with_grammar(text: str) -> list[Line]:
    """Parse a whole text (without a BOM) through Lark alone; raises Lark's exceptions.

    Slow, and kept for the tests that hold the fast path to the grammar.
    """
    tree = grammar_parser().parse(text)
    return [_line_from_tree(child) for child in tree.children if isinstance(child, Tree)]


def _tokens(tree: Tree[Token]) -> Iterator[Token]:
    for child in tree.children:
        if isinstance(child, Tree):
            yield from _tokens(child)
        else:
            yield child


def _line_from_tree(tree: Tree[Token]) -> Line:
    tokens = list(_tokens(tree))
    newline = tokens.pop().value if tokens and tokens[-1].type == "NEWLINE" else ""
    indent = ""
    if tokens and tokens[0].type == "BLANKS":
        indent = tokens.pop(0).value
    if not tokens:
        return Blank(indent, newline)
    if tokens[0].type == "COMMENT":
        return Comment(indent, tokens[0].value, newline)
    fields = {"before_colon": "", "after_colon": "", "after_value": ""}
    key = tokens[0].value
    quote, value, remark = "", "", None
    seen_colon = seen_value = False
    for token in tokens[1:]:
        kind = token.type
        if kind == "BLANKS":
            slot = "after_value" if seen_value else "after_colon" if seen_colon else "before_colon"
            fields[slot] = token.value
        elif kind == "COLON":
            seen_colon = True
        elif kind == "QUOTED":
            quote, value, seen_value = '"', token.value[1:-1], True
        elif kind == "BARE":
            value, seen_value = token.value, True
        elif kind == "SEMICOLON":
            remark = ""
        elif kind == "REMARK":
            remark = token.value
    return Entry(
        indent,
        key,
        fields["before_colon"],
        fields["after_colon"],
        quote,
        value,
        fields["after_value"],
        remark,
        newline,
    )

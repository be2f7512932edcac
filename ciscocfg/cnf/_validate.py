"""Lint a ``.cnf`` document the way the phone would read it; findings are data.

Severity follows the phone: ``error`` where it rejects a setting or the file (a value it cannot
parse, a line that is not ``key: value``, no usable line 1), ``warning`` where it ignores or
misreads something (an unknown key, a duplicate, a typographic quote taken literally), ``info``
for what it does not care about. The codes are stable; ``docs/formats/cnf.md`` lists them.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from typing import Literal

from ciscocfg import _codes, _placeholders, _reads
from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._phonefiles import classify, misnamed
from ciscocfg._placeholders import (
    has_alternatives,
    has_placeholder,
    without_placeholders,
)
from ciscocfg._reads import PASTE_DAMAGE, meant, unreadable_finding
from ciscocfg._text import encoded_size
from ciscocfg.cnf._document import Document
from ciscocfg.cnf._model import Comment, Entry, InvalidLine, Line
from ciscocfg.cnf._parse import INVALID, explain, scan
from ciscocfg.cnf._schema import (
    MAX_FILE_BYTES,
    PARAMETERS,
    UNSET,
    line_number,
    lines_for_model,
)
from ciscocfg.cnf._view import PhoneView, Setting, phone_view

__all__ = ["CODES", "Kind", "infer_kind", "line1_problem", "validate"]

#: Every code :func:`validate` can report, with what it means. The codes are stable.
CODES: dict[str, str] = {
    **{code: entry.meaning for code, entry in _codes.CODES.items() if code.startswith("CNF")},
    # Shared with every validator of a text file: content the phone cannot read, templates.
    **_reads.CODES,
    **_placeholders.CODES,
}

#: Which file of the chain a document is: ``"default"`` (SIPDefault.cnf), ``"phone"``
#: (SIP<MAC>.cnf), or ``"unknown"``.
Kind = Literal["default", "phone", "unknown"]

TYPOGRAPHIC_QUOTES = "".join(c for c, d in PASTE_DAMAGE.items() if d.kind == "quote")
NO_BREAK_SPACES = "".join(c for c, d in PASTE_DAMAGE.items() if d.kind == "no-break space")
NO_BREAK_SPACE = "\u00a0"
_LOOSE_LINE_KEY = re.compile(r"line\d+_", re.IGNORECASE)
_CANONICAL_BY_FOLDED = {name.lower(): name for name in PARAMETERS}
# Keys of line 1 stand for every line when a key for a line the model lacks is recognised.
_LINE_KEY_SHAPE = re.compile(r"(line|proxy)(\d+)_(.*)\Z")


def infer_kind(doc: Document) -> Kind:
    """Guess the file's role from its name, else from its keys.

    ``SIPDefault.cnf`` (any suffix) is the shared file; ``SIP<12 hex digits>.cnf``, or a file
    with ``lineN_*`` keys, is a phone's own file; anything else is unknown.
    """
    return _kind(doc, doc.source)


def _kind(doc: Document, source: str | None) -> Kind:
    if source is not None:
        name = os.path.basename(source)
        if name.lower().startswith("sipdefault"):
            return "default"
        match = classify(name) or misnamed(name)
        if match is not None and match.kind == "sip_cnf":
            return "phone"
    if any(_LOOSE_LINE_KEY.match(key) for key in doc):
        return "phone"
    return "unknown"


def line1_problem(values: Mapping[str, str]) -> str | None:
    """Why line 1 cannot register, or ``None`` when ``line1_name`` is usable."""
    name = values.get("line1_name")
    if name is None:
        return "line1_name is not set"
    if name.strip(" \t") in UNSET:
        return f"line1_name is {name!r}"
    return None


def validate(
    doc: Document,
    *,
    source: str | None = None,
    model: str | int | None = None,
    kind: Kind | None = None,
) -> list[Diagnostic]:
    """Every finding in ``doc``, in file order.

    ``source`` is the file name the findings carry (by default the name ``doc`` was read from);
    ``model`` (``"7940"``, ``"7960"`` ...) sets how many lines the phone has (default: six, as a
    7960). ``kind`` says whether this is ``SIPDefault.cnf`` (``"default"``) or a phone's
    ``SIP<MAC>.cnf`` (``"phone"``); by default it is inferred with :func:`infer_kind`. Only a
    phone's own file must provision line 1: in ``SIPDefault.cnf`` line 1 is normally absent.
    """
    name = source if source is not None else doc.source
    view = phone_view(doc)
    if view.unreadable is not None:
        # One finding: every line of a binary or UTF-16 file would be another one.
        return [unreadable_finding(view.unreadable, name)]
    return _Checker(doc, view, lines_for_model(model), kind or _kind(doc, name), name).run()


def _templated(text: str) -> bool:
    """True for a line that is template markup, that is a line of the dialect once its
    placeholders are filled in (``{if $x}``, ``{foreach ...}line{$n}_name: x``), or whose
    branches (``{if}a{else}b{/if}``) leave unknown what the filled-in line is."""
    if not has_placeholder(text):
        return False
    rest = without_placeholders(text)
    return not rest.strip(" \t") or not scan(rest)[0][INVALID] or has_alternatives(text)


def _first(text: str, chars: str, live: int) -> int | None:
    """The first of ``chars`` in ``text``, preferring one before ``live`` (where it matters)."""
    pattern = f"[{chars}]"
    found = re.search(pattern, text[:live]) or re.search(pattern, text)
    return None if found is None else found.start()


class _Checker:
    def __init__(
        self, doc: Document, view: PhoneView, lines: int, kind: Kind, source: str | None
    ) -> None:
        self.doc = doc
        self.view = view
        self.lines = lines
        self.kind = kind
        self.found = Findings(source)
        self.placeholders = self.found.placeholders

    def run(self) -> list[Diagnostic]:
        self.file_checks()
        first_seen: dict[str, int] = {}
        settings = iter(self.view.settings)
        for number, line in enumerate(self.doc.lines, 1):
            self.character_checks(number, line)
            if type(line) is InvalidLine:
                if _templated(line.text):
                    self.placeholders.add(number, line.text)
                    continue
                if has_placeholder(line.text):
                    # Explain what is left once the template's parts are out: that is wrong
                    # whatever the template puts in.
                    self.placeholders.add(number, line.text)
                    rest = without_placeholders(line.text)
                    reason, _, _ = explain(rest + line.newline)
                    self.found.add(
                        "CNF001",
                        "error",
                        f"not a 'key: value' line, whatever the template puts in: without its "
                        f"template parts it reads {rest.strip()!r}, and {reason}",
                        number,
                    )
                    continue
                reason, column, _ = explain(line.text + line.newline)
                self.found.add(
                    "CNF001", "error", f"not a 'key: value' line: {reason}", number, column + 1
                )
            elif type(line) is Entry:
                self.entry_checks(next(settings), first_seen)
        self.document_checks()
        return self.found.result()

    def file_checks(self) -> None:
        size = encoded_size(self.doc.dumps())
        if size > MAX_FILE_BYTES:
            self.found.add(
                "CNF002",
                "warning",
                f"file is {size} bytes; the phone reads at most {MAX_FILE_BYTES}",
            )
        if self.doc.bom:
            first = self.view.settings[0] if self.view.settings else None
            if first is not None and first.line == 1:
                self.found.add(
                    "CNF003",
                    "warning",
                    f"byte order mark: the phone reads it as part of the first line, so the key "
                    f"it reads is {first.key!r}, not {first.entry.key!r}, and the setting is "
                    "lost; 'ciscocfg fmt' removes the mark",
                    1,
                    1,
                )
            else:
                self.found.add(
                    "CNF003",
                    "info",
                    "byte order mark: the phone reads it as part of the first line, which then "
                    "is no comment or blank line; what it makes of it is unknown",
                    1,
                    1,
                )

    def character_checks(self, number: int, line: Line) -> None:
        text = line.render()
        if text.isascii():
            return
        # The phone ignores comments and remarks, so what is in them is only style.
        live = len(text)
        if type(line) is Comment:
            live = 0
        elif type(line) is Entry and line.remark is not None:
            live = len(text) - len(line.newline) - len(line.remark) - 1
        for code, what, chars in (
            (
                "CNF301",
                "typographic quote {char!r}: the phone takes it literally, not as a quote",
                TYPOGRAPHIC_QUOTES,
            ),
            (
                "CNF302",
                "{name}: the phone takes it as a character, not a blank",
                NO_BREAK_SPACES,
            ),
        ):
            at = _first(text, chars, live)
            if at is None:
                continue
            char = text[at]
            damage = PASTE_DAMAGE[char]
            self.found.add(
                code,
                "warning" if at < live else "info",
                what.format(char=char, name=damage.name),
                number,
                at + 1,
                suggestion=damage.repair,
            )
        other = next(
            (
                i
                for i, ch in enumerate(text[:live])
                if not ch.isascii() and ch not in TYPOGRAPHIC_QUOTES and ch not in NO_BREAK_SPACES
            ),
            None,
        )
        if other is not None:
            pasted = PASTE_DAMAGE.get(text[other])
            self.found.add(
                "CNF303",
                "warning",
                "character outside ASCII: the phone's files are ASCII, it may show garbage"
                if pasted is None
                else f"{pasted.name}, which the eye takes for a blank or for nothing: the phone "
                "takes it as a character; 'ciscocfg fmt' repairs it",
                number,
                other + 1,
            )

    def entry_checks(self, setting: Setting, first_seen: dict[str, int]) -> None:
        entry = setting.entry
        number = setting.line
        key_column = len(entry.indent) + 1
        value_column = entry.value_column + 1
        key = setting.key
        if setting.template:
            # Which key the template makes is unknown, so there is nothing to judge.
            self.placeholders.add(number, entry.render())
            return
        value = entry.value
        templated_value = bool(value) and not value.isalnum() and has_placeholder(value)
        if templated_value:
            self.placeholders.add(number, entry.value)
        if key in first_seen:
            self.found.add(
                "CNF103",
                "warning",
                f"{key!r} is also set on line {first_seen[key]}; the last one wins",
                number,
                key_column,
            )
        else:
            first_seen[key] = number
        param = PARAMETERS.get(key)
        if param is None:
            if key != entry.key and entry.key in PARAMETERS:
                pass  # only the byte order mark makes it another key: CNF003 says so
            else:
                self.unknown_key(number, key_column, entry.key)
        else:
            nth = line_number(key)
            if nth is not None and nth > self.lines:
                self.found.add(
                    "CNF104",
                    "warning",
                    f"{key!r} is for line {nth}, but the phone has {self.lines} lines; ignored",
                    number,
                    key_column,
                )
            elif entry.value not in UNSET and not templated_value:
                problem = param.type.problem(entry.value, self.lines)
                if problem is not None:
                    code, message = problem
                    self.found.add(code, "error", f"{key}: {message}", number, value_column)
        if entry.quote and ";" in entry.value:
            self.found.add(
                "CNF208",
                "warning",
                "';' inside quotes: whether the phone keeps it or starts a comment is unknown",
                number,
                value_column + 1 + entry.value.index(";"),
            )
        if (
            not entry.quote
            and entry.value
            and entry.remark
            and not entry.after_value
            and not entry.remark[0].isspace()
        ):
            self.found.add(
                "CNF207",
                "warning",
                f"';' ends the bare value: the phone reads {entry.value!r} and ignores "
                f"{entry.remark!r}; quote the value if ';' belongs to it",
                number,
                value_column + len(entry.value),
                suggestion=f'"{entry.value};{entry.remark}"',
            )

    def unknown_key(self, number: int, column: int, key: str) -> None:
        cleaned = meant(key)
        canonical = _CANONICAL_BY_FOLDED.get(cleaned.lower())
        if canonical is not None and cleaned == key:
            self.found.add(
                "CNF102",
                "warning",
                f"{key!r} differs in case from the key the phone knows",
                number,
                column,
                suggestion=canonical,
            )
            return
        shape = _LINE_KEY_SHAPE.match(key)
        if shape and f"{shape.group(1)}1_{shape.group(3)}" in PARAMETERS:
            self.found.add(
                "CNF104",
                "warning",
                f"{key!r} is for line {int(shape.group(2))}, but the phone has at most "
                f"{self.lines} lines; ignored",
                number,
                column,
            )
            return
        if canonical is None:
            close = difflib.get_close_matches(cleaned, PARAMETERS, n=1, cutoff=0.8)
            canonical = close[0] if close else None
        self.found.add(
            "CNF101",
            "warning",
            f"unknown key {key!r}: the phone ignores it",
            number,
            column,
            suggestion=canonical,
        )

    def document_checks(self) -> None:
        values = self.view.values()
        # In a template whose keys are placeholders, line 1 may well be among them: unknown.
        if self.kind == "phone" and not self.view.keys_unknown:
            problem = line1_problem(values)
            if problem is not None:
                near = [s.key for s in self.view.misread() if s.meant == "line1_name"]
                if near and "line1_name" not in values:
                    problem += (
                        f"; there is a key {near[-1]!r}, which the phone reads as another key"
                    )
                where = [s for s in self.view.settings if s.key == "line1_name"]
                self.found.add(
                    "CNF401",
                    "error",
                    f"no usable line 1 ({problem}): the phone shows "
                    "'No Valid Line Names Provisioned' and does not register",
                    where[-1].line if where else None,
                    where[-1].entry.value_column + 1 if where else None,
                )
        start, end = values.get("start_media_port", ""), values.get("end_media_port", "")
        if start.isdigit() and end.isdigit() and int(start) > int(end):
            last = [s for s in self.view.settings if s.key == "end_media_port"][-1]
            self.found.add(
                "CNF402",
                "error",
                f"end_media_port {end} is below start_media_port {start}: no RTP port is left",
                last.line,
                last.entry.value_column + 1,
            )

"""``RINGLIST.DAT``: the ring menu of 79x0 SIP phones.

One ring per line: the name shown on the phone, one or more tabs, the audio file name. Every
sample seen in the wild also has some of: CRLF or LF endings, several tabs, blanks after the file
name, an empty last line, no final newline. All of it is kept, so ``dumps(loads(text)) == text``;
:func:`validate` says which of it the phone may trip over.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import overload

import attrs

from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._errors import EmitError, ParseError
from ciscocfg._older import older_spelling
from ciscocfg._placeholders import has_placeholder, spans
from ciscocfg._reads import unreadable_finding, unreadable_text
from ciscocfg._text import PathOrFile, decode_bytes, encode_text, read_source, write_target

__all__ = [
    "MAX_NAME_LENGTH",
    "MAX_RINGS",
    "BlankLine",
    "InvalidLine",
    "Ring",
    "RingList",
    "dump",
    "dumps",
    "load",
    "loads",
    "validate",
]

#: Limits of the XML ring list (Cisco documents them there); used as conservative defaults.
MAX_RINGS = 50
MAX_NAME_LENGTH = 25

_LINE = re.compile(r"(?P<body>[^\r\n]*)(?P<nl>\r\n|\r|\n|(?![\s\S]))")


@attrs.frozen
class Ring:
    """One ring: ``display_name`` shown in the menu, ``filename`` fetched over TFTP.

    ``separator`` (the tabs between them), ``trailing`` (blanks after the file name) and
    ``newline`` are kept for the round trip.
    """

    display_name: str
    filename: str
    separator: str = "\t"
    trailing: str = ""
    newline: str = ""

    def text(self) -> str:
        """The line as written, line ending included."""
        return self.display_name + self.separator + self.filename + self.trailing + self.newline


@attrs.frozen
class BlankLine:
    """An empty (or blanks-only) line."""

    blanks: str = ""
    newline: str = ""

    def text(self) -> str:
        """The line as written."""
        return self.blanks + self.newline


@attrs.frozen
class InvalidLine:
    """A line with no separator, kept verbatim when reading with ``strict=False``."""

    raw: str
    newline: str = ""

    def text(self) -> str:
        """The line as written."""
        return self.raw + self.newline


Line = Ring | BlankLine | InvalidLine


@attrs.define
class RingList:
    """The parsed file: every line, in order; ``rings`` are the usable entries."""

    lines: list[Line] = attrs.field(factory=list)
    #: The file name it was read from, when known: what :func:`validate`'s findings carry.
    source: str | None = attrs.field(default=None, eq=False, kw_only=True)

    @property
    def rings(self) -> list[Ring]:
        """The ring entries, in menu order."""
        return [line for line in self.lines if isinstance(line, Ring)]

    def __iter__(self) -> Iterator[Ring]:
        return iter(self.rings)

    def __len__(self) -> int:
        return len(self.rings)

    @property
    def newline(self) -> str:
        """The file's line ending (the first one used; CRLF for a file without one)."""
        for line in self.lines:
            if line.newline:
                return line.newline
        return "\r\n"

    def dumps(self) -> str:
        """The file text, exactly as parsed (plus any appended rings)."""
        return "".join(line.text() for line in self.lines)

    def append(self, display_name: str, filename: str) -> Ring:
        """Add a ring after the last one, separated by one tab, with the file's line ending.

        Raises :class:`~ciscocfg.EmitError` for a name holding a tab or a line break.
        """
        for value in (display_name, filename):
            if re.search(r"[\t\r\n]", value) or not value.strip():
                raise EmitError(
                    f"a ring name cannot be empty or hold tabs or line breaks: {value!r}"
                )
        newline = self.newline
        ring = Ring(display_name, filename, newline=newline)
        # Give the line before the new ring an ending if the file did not end with one, and put
        # the ring before trailing blank lines so the file keeps its shape.
        index = len(self.lines)
        while index > 0 and isinstance(self.lines[index - 1], BlankLine):
            index -= 1
        if index > 0 and not self.lines[index - 1].newline:
            self.lines[index - 1] = attrs.evolve(self.lines[index - 1], newline=newline)
            if index == len(self.lines):
                ring = attrs.evolve(ring, newline="")
        self.lines.insert(index, ring)
        return ring


def _parse_line(body: str, newline: str) -> Line | None:
    if not body.strip(" \t"):
        return BlankLine(body, newline)
    if "\t" in body:
        name, _, after = body.partition("\t")
        sep_end = len(after) - len(after.lstrip(" \t"))
        separator = "\t" + after[:sep_end]
        rest = after[sep_end:]
    else:
        # No tab: the last run of spaces is the separator (the phone may not see it; see RL101).
        m = re.fullmatch(r"(?P<name>.*\S)(?P<sep> +)(?P<rest>\S.*)", body.rstrip(" "))
        if m is None:
            return None
        name, separator, rest = m["name"], m["sep"], m["rest"] + body[len(body.rstrip(" ")) :]
    filename = rest.rstrip(" \t")
    if not filename:
        return None
    return Ring(name, filename, separator, rest[len(filename) :], newline)


def loads(text: str, *, strict: bool = True, source: str | None = None) -> RingList:
    """Parse ``RINGLIST.DAT`` text.

    strict: a line with a single word (no tab or space between a name and a file, or nothing
    after the tab) raises
    :class:`~ciscocfg.ParseError`. Not strict: it is kept as an :class:`InvalidLine`.
    """
    lines: list[Line] = []
    pos = 0
    number = 0
    while pos < len(text):
        m = _LINE.match(text, pos)
        assert m is not None
        number += 1
        body, newline = m["body"], m["nl"]
        line = _parse_line(body, newline)
        if line is None:
            if strict:
                raise ParseError(
                    "expected a display name, a tab and a file name",
                    line=number,
                    column=len(body) + 1,
                    offset=m.end("body"),
                    source=source,
                )
            line = InvalidLine(body, newline)
        lines.append(line)
        pos = m.end()
    return RingList(lines, source=source)


def dumps(ringlist: RingList) -> str:
    """The file text of ``ringlist``."""
    return ringlist.dumps()


def load(source: PathOrFile, *, strict: bool = True) -> RingList:
    """Read ``RINGLIST.DAT`` from a path or binary file; any byte survives a :func:`dump`."""
    data, name = read_source(source)
    return loads(decode_bytes(data), strict=strict, source=name)


def dump(ringlist: RingList, target: PathOrFile) -> None:
    """Write ``ringlist`` to a path or binary file, byte for byte.

    A path is replaced whole or not at all (a temporary file renamed over it).
    """
    write_target(target, encode_text(ringlist.dumps()))


@overload
def validate(
    ringlist: RingList,
    *,
    source: str | None = None,
    root: str | os.PathLike[str] | None = None,
    check_audio: bool = True,
) -> list[Diagnostic]: ...


@overload
def validate(
    ringlist: RingList,
    root: str | os.PathLike[str] | None,
    /,
    *,
    source: str | None = None,
    check_audio: bool = True,
) -> list[Diagnostic]: ...  # the older spelling: root by position


@older_spelling(positional=("root",))
def validate(
    ringlist: RingList,
    *,
    source: str | None = None,
    root: str | os.PathLike[str] | None = None,
    check_audio: bool = True,
) -> list[Diagnostic]:
    """Check a ring list; with ``root`` (the TFTP root) also the ring files it names.

    ``source`` is the file name the findings carry (by default the name ``ringlist`` was read
    from). ``validate(ringlist, root)``, the root given
    by position, is the older spelling of ``validate(ringlist, root=root)`` and still works.

    Codes: ``RL100`` line without a separator; ``RL101`` spaces instead of a tab; ``RL102``
    display name too long; ``RL103`` file name too long; ``RL104`` too many rings; ``RL105``
    ring file missing from ``root``; ``RL106`` file name differs only in case from a file in
    ``root``; ``RL107`` blanks after the file name; ``RL108`` unusual extension; ``RL109``
    duplicate display name; ``RL110`` no rings at all; ``RL111`` the ring file fails the
    ``.raw`` audio checks (see :mod:`ciscocfg.ringtone`, with ``check_audio``); ``RL112``
    empty display name. Shared with the other validators: ``TXT001``–``TXT003`` a file that is
    not text (the only finding then), ``TPL001`` template placeholders, which are not judged.
    """
    source = source if source is not None else ringlist.source
    problem = unreadable_text(ringlist.dumps())
    if problem is not None:
        return [unreadable_finding(problem, source, "the phone shows no ring types")]
    found = Findings(source)
    folder = Path(root) if root is not None else None
    listing: dict[str, str] = {}
    if folder is not None and folder.is_dir():
        listing = {p.name: p.name for p in folder.iterdir() if p.is_file()}
    lowered = {name.lower(): name for name in listing}
    seen: dict[str, int] = {}
    count = 0
    for number, line in enumerate(ringlist.lines, start=1):
        if isinstance(line, InvalidLine):
            if has_placeholder(line.raw):
                found.placeholders.add(number, line.raw)  # template markup, such as {foreach ...}
            else:
                found.add("RL100", "error", "no tab between display name and file name", number, 1)
            continue
        if not isinstance(line, Ring):
            continue
        count += 1
        name_template = has_placeholder(line.display_name)
        file_template = has_placeholder(line.filename)
        name_end = len(line.display_name)
        across = any(start < name_end < end for start, end in spans(line.text()))
        if name_template or file_template or across:
            found.placeholders.add(number, line.text())
            if across:
                continue  # a placeholder across the separator: the whole line is template
        name_end = len(line.display_name) + 1
        file_col = name_end + len(line.separator)
        if "\t" not in line.separator:
            found.add(
                "RL101",
                "error",
                "spaces instead of a tab between display name and file name",
                number,
                name_end,
                suggestion=f"{line.display_name}\t{line.filename}",
            )
        if not line.display_name.strip():
            found.add(
                "RL112", "warning", "empty display name: the menu shows a blank entry", number, 1
            )
        if len(line.display_name) > MAX_NAME_LENGTH and not name_template:
            found.add(
                "RL102",
                "warning",
                f"display name longer than {MAX_NAME_LENGTH} characters may be cut",
                number,
                1,
            )
        if len(line.filename) > MAX_NAME_LENGTH and not file_template:
            found.add(
                "RL103",
                "warning",
                f"file name longer than {MAX_NAME_LENGTH} characters",
                number,
                file_col,
            )
        if line.trailing:
            found.add(
                "RL107",
                "info",
                "blanks after the file name",
                number,
                file_col + len(line.filename),
            )
        if not line.filename.lower().endswith((".raw", ".pcm")) and not file_template:
            found.add(
                "RL108",
                "warning",
                "ring files are headerless µ-law audio, usually named .raw or .pcm",
                number,
                file_col,
            )
        if line.display_name in seen and not name_template:
            found.add(
                "RL109",
                "warning",
                f"display name also used on line {seen[line.display_name]}",
                number,
                1,
            )
        seen.setdefault(line.display_name, number)
        if folder is not None and not file_template:
            _check_file(line, folder, listing, lowered, check_audio, number, file_col, found)
    if count > MAX_RINGS:
        found.add("RL104", "warning", f"{count} rings; phones list at most {MAX_RINGS}", 1, None)
    if count == 0 and not found.placeholders:
        found.add("RL110", "warning", "the ring list names no ring", 1, None)
    return found.result()


def _check_file(
    ring: Ring,
    folder: Path,
    listing: dict[str, str],
    lowered: dict[str, str],
    check_audio: bool,
    number: int,
    column: int,
    found: Findings,
) -> None:
    if ring.filename not in listing:
        actual = lowered.get(ring.filename.lower())
        if actual is not None:
            found.add(
                "RL106",
                "error",
                f"no file {ring.filename!r}, but {actual!r} exists: TFTP names are case sensitive",
                number,
                column,
                actual,
            )
        else:
            found.add("RL105", "error", f"ring file {ring.filename!r} is missing", number, column)
        return
    if check_audio:
        from ciscocfg import ringtone

        for diag in ringtone.validate((folder / ring.filename).read_bytes()):
            found.add(
                "RL111",
                diag.severity,
                f"{ring.filename}: {diag.code} {diag.message}",
                number,
                column,
            )

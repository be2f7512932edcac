"""Every kind of file the library reads: how to tell it, read it, check it and repair it.

One table, :data:`KINDS`, serves ``ciscocfg lint`` (one file at a time), ``ciscocfg fmt`` (the
repair of pasted characters) and the tree check of :mod:`ciscocfg.provision` (each file the
boot walk fetches), so that a file gets the same findings whichever way it is looked at.

>>> from ciscocfg import kinds
>>> kinds.kind_of("examples/tftproot/RINGLIST.DAT").name
'ringlist'
>>> kind, findings = kinds.lint_path("examples/tftproot/SIPDefault.cnf")
>>> kind.name, findings[1].code, findings[1].line
('sip-default', 'CNF201', 2)

A file's kind comes from its name (:func:`kind_of`; letter case ignored, and a phone's own file
misnamed in the usual ways still counts as one), else from its content (the root element of an
XML document, the shape of a text file). ``.raw`` ring audio is told by its name only.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable
from typing import Any

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError, ValidationError
from ciscocfg._phonefiles import classify, misnamed, naming_finding
from ciscocfg._reads import RepairRefused, repair, unreadable, unreadable_finding
from ciscocfg._text import decode_bytes, encode_text

__all__ = [
    "KINDS",
    "FileKind",
    "RepairRefused",
    "UnknownKind",
    "by_name",
    "kind_of",
    "lint_path",
    "sniff",
]


class UnknownKind(CiscoCfgError):
    """A file whose kind neither its name nor its content tells."""


#: ``(data, source, model)`` to findings, for content the phone can read as this kind.
_Check = Callable[[bytes, "str | None", "str | None"], list[Diagnostic]]


@attrs.frozen
class FileKind:
    """One kind of file: the names it goes by, and how the library checks and repairs it."""

    #: Short name, as ``ciscocfg lint --kind`` takes it (``"sip-default"`` ...).
    name: str
    #: The file names of this kind, as the documentation writes them.
    title: str
    #: ``fnmatch`` patterns of the names of this kind, matched without regard to case. The
    #: phone's own files (``SIP<MAC>.cnf``, ``SEP<MAC>.cnf.xml``) are told by
    #: :mod:`ciscocfg._phonefiles` and listed here for reading only.
    patterns: tuple[str, ...]
    #: True for files the phone reads as text (pasted characters can be repaired).
    text: bool
    #: True for XML documents (the XML reader judges their encoding).
    xml: bool
    #: What the phone does with a file of this kind it cannot read.
    unreadable: str
    _check: _Check = attrs.field(repr=False)
    _parse: Callable[[bytes, str | None], Any] = attrs.field(repr=False)

    def load(self, data: bytes, *, source: str | None = None) -> Any:
        """The codec's object for ``data`` (a ``cnf.Document``, a ``DialPlan`` ...); raises the
        codec's :class:`~ciscocfg.CiscoCfgError` for content it cannot read."""
        return self._parse(data, source)

    def lint(
        self, data: bytes, *, source: str | None = None, model: str | None = None
    ) -> list[Diagnostic]:
        """Every finding about ``data`` read as this kind (never raises on bad content).

        Content that is not text gets one ``TXT`` finding, content the codec cannot read one
        ``PRV090`` finding with its position; ``model`` (``"7940"``, ``"7961"`` ...) is the
        phone model for the kinds whose rules depend on it.
        """
        if self.text:
            problem = unreadable(data)
            # An XML file may declare UTF-16 itself: the XML reader judges its encoding.
            if problem is not None and not (self.xml and problem.code == "TXT003"):
                return [unreadable_finding(problem, source, self.unreadable)]
        try:
            return self._check(data, source, model)
        except CiscoCfgError as exc:
            return [unreadable_content(exc, source, self.unreadable)]

    def repair(self, data: bytes, *, source: str | None = None) -> bytes:
        """``data`` with pasted characters repaired (typographic quotes, no-break and
        zero-width spaces, a byte order mark), nothing else; the same bytes when there is none.

        Raises :class:`RepairRefused` for content no repair may touch: ring audio, a binary,
        UTF-16 text, an XML repair that would change more than the pasted characters.
        """
        if not self.text:
            raise RepairRefused(f"{self.title} is not text; there is nothing to repair")
        if self.xml:
            from ciscocfg._xml_repair import repair_xml

            return repair_xml(data, source=source)
        problem = unreadable(data)
        if problem is not None:
            # Bytes of a binary may look like a no-break space: repairing them would damage it.
            raise RepairRefused(f"{problem.message}; not repaired")
        return encode_text(repair(decode_bytes(data)))


def unreadable_content(exc: CiscoCfgError, source: str | None, consequence: str) -> Diagnostic:
    """The one finding (``PRV090``) for content the codec of its kind cannot read."""
    line = getattr(exc, "line", None)
    message = getattr(exc, "message", str(exc))
    return Diagnostic("PRV090", "error", f"{message}: {consequence}", line=line, source=source)


# -- the codecs, imported when a file of their kind is read ------------------------------------


def _cnf(role: str | None) -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        from ciscocfg import cnf

        return cnf.loads(decode_bytes(data), strict=False, source=source)

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import cnf

        kind: Any = role
        return cnf.validate(parse(data, source), model=model, kind=kind)

    return check, parse


def _sepxml() -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        from ciscocfg import sepxml

        return sepxml.loads(data, source=source)

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import sepxml

        return sepxml.validate(parse(data, source), model=model)

    return check, parse


def _dialplan() -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        from ciscocfg import dialplan

        return dialplan.loads(data, source=source)

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import dialplan

        return dialplan.validate(parse(data, source))

    return check, parse


def _ringlist() -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        from ciscocfg import ringlist

        return ringlist.loads(decode_bytes(data), strict=False, source=source)

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import ringlist

        # One file at a time: whether the ring files it names are there is the tree's matter.
        return ringlist.validate(parse(data, source), source=source, check_audio=False)

    return check, parse


def _ringxml() -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        from ciscocfg import ringxml

        return ringxml.loads(data, source=source)

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import ringxml

        return ringxml.validate(parse(data, source))

    return check, parse


def _os79xx() -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        from ciscocfg import os79xx

        return os79xx.loads(decode_bytes(data), strict=False, source=source)

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import os79xx

        return os79xx.validate(parse(data, source), source=source)

    return check, parse


def _ring() -> tuple[_Check, Callable[[bytes, str | None], Any]]:
    def parse(data: bytes, source: str | None) -> Any:
        return data

    def check(data: bytes, source: str | None, model: str | None) -> list[Diagnostic]:
        from ciscocfg import ringtone

        return ringtone.validate(data, source=source)

    return check, parse


def _kind(
    name: str,
    title: str,
    patterns: tuple[str, ...],
    codec: tuple[_Check, Callable[[bytes, str | None], Any]],
    unreadable: str,
    *,
    text: bool = True,
    xml: bool = False,
) -> FileKind:
    check, parse = codec
    return FileKind(name, title, patterns, text, xml, unreadable, check, parse)


_XML_UNREADABLE = "the phone cannot read this XML config"

#: Every kind, in the order names are matched (the most specific pattern first).
KINDS: tuple[FileKind, ...] = (
    _kind(
        "sip-default",
        "SIPDefault.cnf",
        ("SIPDefault.cnf",),
        _cnf("default"),
        "the phone gets no shared settings from it",
    ),
    _kind(
        "sip-phone",
        "SIP<MAC>.cnf",
        ("SIP<MAC>.cnf",),
        _cnf("phone"),
        "the phone gets no settings of its own from it",
    ),
    _kind(
        "cnf",
        "other .cnf files",
        ("*.cnf",),
        _cnf(None),
        "the phone gets no settings from it",
    ),
    _kind(
        "xml-default",
        "XMLDefault.cnf.xml",
        ("XMLDefault.cnf.xml",),
        _sepxml(),
        _XML_UNREADABLE,
        xml=True,
    ),
    _kind(
        "sep-xml",
        "SEP<MAC>.cnf.xml",
        ("SEP<MAC>.cnf.xml", "*.cnf.xml"),
        _sepxml(),
        _XML_UNREADABLE,
        xml=True,
    ),
    _kind(
        "ringlist-xml",
        "Ringlist.xml, DistinctiveRingList.xml",
        ("Ringlist.xml", "DistinctiveRingList.xml", "Ringlist-wb.xml"),
        _ringxml(),
        "the phone shows 'Ring List Unavailable'",
        xml=True,
    ),
    _kind(
        "dialplan",
        "dialplan.xml",
        ("*dialplan*.xml",),
        _dialplan(),
        "the phone ignores the whole dial plan",
        xml=True,
    ),
    _kind(
        "ringlist",
        "RINGLIST.DAT",
        ("RINGLIST.DAT",),
        _ringlist(),
        "the phone shows no ring types",
    ),
    _kind(
        "os79xx",
        "OS79XX.TXT",
        ("OS79XX.TXT",),
        _os79xx(),
        "old loaders cannot read it",
    ),
    _kind(
        "ring",
        ".raw ring audio",
        ("*.raw",),
        _ring(),
        "choosing that ring type fails",
        text=False,
    ),
)

_BY_NAME = {kind.name: kind for kind in KINDS}
# The kinds of the phone's own files, as the naming module calls them.
_PER_PHONE = {"sip_cnf": "sip-phone", "sep_xml": "sep-xml", "mgc_cnf": "cnf"}


def by_name(name: str) -> FileKind:
    """The kind called ``name`` (``"dialplan"`` ...); :class:`~ciscocfg.ValidationError` (a
    ``ValueError``) names the kinds there are."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValidationError(f"no file kind {name!r}; kinds: {', '.join(_BY_NAME)}") from None


def kind_of(path: str | os.PathLike[str], data: bytes | None = None) -> FileKind | None:
    """The kind of the file at ``path``: by its name, else by ``data`` (its content) when
    given; ``None`` when neither tells."""
    base = os.path.basename(os.fspath(path))
    phone = classify(base) or misnamed(base)
    if phone is not None and phone.kind in _PER_PHONE:
        return _BY_NAME[_PER_PHONE[phone.kind]]
    folded = base.casefold()
    for kind in KINDS:
        if any(fnmatch.fnmatchcase(folded, p.casefold()) for p in kind.patterns if "<" not in p):
            return kind
    return sniff(data) if data is not None else None


# -- by content --------------------------------------------------------------------------------

_HEAD = 8192
_PROLOG = re.compile(
    r"(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?[ \t\r\n]*>)", re.S
)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ROOTS = {
    "device": "sep-xml",
    "default": "xml-default",
    "dialtemplate": "dialplan",
    "ciscoipphoneringlist": "ringlist-xml",
}
_KEY_VALUE = re.compile(r"[ \t]*([A-Za-z_][\w]*)[ \t]*:")
_RING_LINE = re.compile(r"[^\t\r\n]*\S[ \t]+\S+\.raw[ \t]*", re.I)


def sniff(data: bytes) -> FileKind | None:
    """The kind ``data`` is by its content alone, or ``None``.

    An XML document by its root element (``device``, ``Default``, ``DIALTEMPLATE``,
    ``CiscoIPPhoneRingList``); a text file as ``RINGLIST.DAT`` when every line names a
    ``.raw`` file, as ``OS79XX.TXT`` when it is one image name, as a ``.cnf`` file when its
    lines are ``key: value`` settings the phone knows.
    """
    if unreadable(data) is not None:
        return None
    # Read as a person meant it: keys pasted with no-break spaces are still keys.
    text = repair(decode_bytes(data[:_HEAD]))
    if text.lstrip(" \t\r\n").startswith("<"):
        return _sniff_xml(text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    if all(_RING_LINE.fullmatch(line) for line in lines):
        return _BY_NAME["ringlist"]
    if len(lines) == 1 and _is_image_name(lines[0]):
        return _BY_NAME["os79xx"]
    # Comments, and the tags of a template ({if ...}, {foreach ...}) make no setting.
    settings = [line for line in lines if not line.startswith(("#", "{"))]
    keys = [m.group(1).lower() for m in map(_KEY_VALUE.match, settings) if m]
    if settings and len(keys) * 5 >= len(settings) * 4 and _known_keys(keys):
        return _BY_NAME["cnf"]
    return None


def _sniff_xml(text: str) -> FileKind | None:
    pos = 0
    while True:
        prolog = _PROLOG.match(text, pos)
        if prolog is None or prolog.end() == pos:
            break
        pos = prolog.end()
    root = _ROOT.match(text, pos)
    if root is None:
        return None
    kind = _ROOTS.get(root.group(1).rsplit(":", 1)[-1].lower())
    return _BY_NAME[kind] if kind is not None else None


def _is_image_name(line: str) -> bool:
    from ciscocfg import firmware

    try:
        firmware.parse(line)
    except CiscoCfgError:
        return False
    return True


def _known_keys(keys: list[str]) -> bool:
    from ciscocfg.cnf import PARAMETERS

    return any(key in PARAMETERS for key in keys)


# -- a file on disk ----------------------------------------------------------------------------


def lint_path(
    path: str | os.PathLike[str],
    *,
    kind: FileKind | str | None = None,
    model: str | None = None,
) -> tuple[FileKind, list[Diagnostic]]:
    """Read the file at ``path`` and return its kind and every finding about it.

    ``kind`` forces the kind (a :class:`FileKind` or its name); otherwise :func:`kind_of`
    decides, by name then content. A phone's own file under a name the phone never asks for
    (``SIP00:1B:D4:12:34:56.cnf``, ``SIP001BD4123456.cnf.txt``, ``sip001bd4123456.cnf``) gets a
    finding that names the file it should be (``PRV010``, ``PRV011``, ``PRV014``), unless that
    file is there beside it. Sources are ``path`` as given.
    Raises :class:`OSError` for a file that cannot be read and :class:`UnknownKind`.
    """
    shown = os.fspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    chosen = by_name(kind) if isinstance(kind, str) else kind
    if chosen is None:
        chosen = kind_of(path, data)
    if chosen is None:
        raise UnknownKind(
            f"{shown}: unknown file kind (neither its name nor its content says); "
            "name it with --kind"
        )
    findings = chosen.lint(data, source=shown, model=model)
    folder, base = os.path.split(shown)
    near = misnamed(base)
    if near is not None and near.canonical not in _names_in(folder):
        findings.insert(0, naming_finding(shown, near, os.path.join(folder, near.canonical)))
    return chosen, findings


def _names_in(folder: str) -> frozenset[str]:
    """The names in ``folder`` exactly as spelled (a file system that ignores case would say
    that ``SIP…`` exists when only ``sip…`` does)."""
    try:
        return frozenset(os.listdir(folder or "."))
    except OSError:
        return frozenset()

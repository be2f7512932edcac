"""``Ringlist.xml`` and ``DistinctiveRingList.xml``: the ring tones a 79x1 (or SCCP 79x0) offers.

The document is a ``CiscoIPPhoneRingList`` root with ``Ring`` children, each holding a
``DisplayName`` (the menu text) and a ``FileName`` (the ``.raw`` audio on the TFTP server).
:func:`loads` keeps the text as given; :meth:`XmlRingList.dumps` returns it unchanged until an
edit, and edits touch only the rings they change. (``RINGLIST.DAT``, the 79x0 SIP text list, is
:mod:`ciscocfg.ringlist`.)
"""

from __future__ import annotations

from typing import overload

import attrs

from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._older import older_spelling
from ciscocfg._placeholders import has_placeholder
from ciscocfg._text import PathOrFile, encode_text, read_source, write_target
from ciscocfg._xml import Element, XmlDocument, escape_text, parse

__all__ = [
    "FILE_NAMES",
    "MAX_NAME",
    "MAX_RINGS",
    "ROOT",
    "Ring",
    "RingList",
    "XmlRing",
    "XmlRingList",
    "dump",
    "dumps",
    "load",
    "loads",
    "validate",
]

ROOT = "CiscoIPPhoneRingList"
#: Most rings a list may hold.
MAX_RINGS = 50
#: Longest DisplayName and FileName.
MAX_NAME = 25
#: The names phones ask the TFTP server for (case matters on the server).
FILE_NAMES = ("Ringlist.xml", "RingList.xml", "DistinctiveRingList.xml", "Ringlist-wb.xml")
_AUDIO_EXTENSIONS = (".raw", ".rwb")


@attrs.frozen
class XmlRing:
    """One ``Ring``: ``display_name`` and ``filename`` (``None`` when the element is missing).

    ``line`` is the line of the file the element starts on.
    """

    display_name: str | None
    filename: str | None
    line: int = attrs.field(default=0, eq=False)


class XmlRingList(XmlDocument):
    """A ``Ringlist.xml`` or ``DistinctiveRingList.xml`` document (``RINGLIST.DAT``, the text
    list of the 79x0, is :class:`ciscocfg.ringlist.RingList`)."""

    __slots__ = ()

    def _ring_elements(self) -> list[Element]:
        return [e for e in self.root.children if e.name == "Ring"]

    @property
    def rings(self) -> list[XmlRing]:
        """The ``Ring`` entries in document order."""
        out = []
        for element in self._ring_elements():
            name = element.child("DisplayName")
            file = element.child("FileName")
            out.append(
                XmlRing(
                    display_name=name.text if name is not None else None,
                    filename=file.text if file is not None else None,
                    line=self._line(element),
                )
            )
        return out

    def append(self, display_name: str, filename: str) -> None:
        """Add a ring at the end, formatted like the rings already there."""
        rings = self._ring_elements()
        if rings:
            inner = self._xml._indent_of(rings[-1].children[0]) if rings[-1].children else ""
            outer = self._xml._indent_of(rings[-1])
        else:
            outer = self._xml._indent_unit()
            inner = outer * 2
        nl = self._xml.newline
        markup = (
            f"<Ring>{nl}{inner}<DisplayName>{escape_text(display_name)}</DisplayName>{nl}"
            f"{inner}<FileName>{escape_text(filename)}</FileName>{nl}{outer}</Ring>"
        )
        self._add_markup(self.root, markup)

    def set_ring(
        self, index: int, *, display_name: str | None = None, filename: str | None = None
    ) -> None:
        """Change the display name and/or file name of ring ``index``."""
        for name, value in (("DisplayName", display_name), ("FileName", filename)):
            if value is None:
                continue
            ring = self._ring_elements()[index]
            kid = ring.child(name)
            if kid is None:
                self._add_child(ring, name, escape_text(value))
            else:
                self._set_text(kid, value)

    def remove_ring(self, index: int) -> None:
        """Remove ring ``index`` (with its lines)."""
        self._remove_element(self._ring_elements()[index])

    def __repr__(self) -> str:
        return f"<XmlRingList {len(self.rings)} rings>"


#: The older names of :class:`XmlRing` and :class:`XmlRingList`.
Ring = XmlRing
RingList = XmlRingList


def loads(text: str | bytes, *, source: str | None = None) -> XmlRingList:
    """Read a ring list from its text or bytes (any well-formed root loads; see validate)."""
    return XmlRingList(parse(text, source=source))


def load(source: PathOrFile) -> XmlRingList:
    """Read a ring list from a path or a binary file."""
    data, name = read_source(source)
    return loads(data, source=name)


def dumps(rings: XmlRingList) -> str:
    """The ring list's text."""
    return rings.dumps()


def dump(rings: XmlRingList, target: PathOrFile) -> None:
    """Write the ring list's bytes to a path or a binary file.

    A path is replaced whole or not at all (a temporary file renamed over it).
    """
    write_target(target, encode_text(rings.dumps()))


@overload
def validate(rings: XmlRingList, *, source: str | None = None) -> list[Diagnostic]: ...


@overload
def validate(rings: XmlRingList, *, filename: str | None) -> list[Diagnostic]: ...  # older spelling


@older_spelling(renamed={"filename": "source"})
def validate(rings: XmlRingList, *, source: str | None = None) -> list[Diagnostic]:
    """Check a ring list (codes ``RXLnnn``).

    ``source`` is the file's name, as it is served (its base name is checked against the names
    the phones ask for) and as the findings carry it; by default the name the list was loaded
    from. ``filename=`` is the older spelling of ``source=`` and still works.
    """
    source = source if source is not None else rings.source
    found = Findings(source)
    filename = source.replace("\\", "/").rsplit("/", 1)[-1] if source is not None else None
    proper = _proper_filename(filename) if filename is not None else None
    if proper is not None:
        found.add(
            "RXL005",
            "error",
            f"the phone asks for {proper!r}; a TFTP server that matches names exactly does "
            f"not serve {filename!r}",
            suggestion=proper,
        )
    root = rings.root
    if root.name != ROOT:
        found.add(
            "RXL001",
            "error",
            f"root element <{root.name}> is not <{ROOT}>: the phone shows 'Ring List Unavailable'",
            rings._line(root),
            suggestion=ROOT if root.name.lower() == ROOT.lower() else None,
        )
        return found.result()
    for element in root.children:
        if element.name != "Ring":
            found.add("RXL008", "warning", f"<{element.name}> is not a <Ring> and is ignored")
    entries = rings.rings
    if len(entries) > MAX_RINGS:
        found.add(
            "RXL004",
            "error",
            f"{len(entries)} rings; the phone takes at most {MAX_RINGS}",
            entries[MAX_RINGS].line,
        )
    for ring in entries:
        for label, value in (("DisplayName", ring.display_name), ("FileName", ring.filename)):
            if value is None or not value.strip():
                found.add("RXL002", "error", f"<Ring> without a {label}", ring.line)
            elif found.placeholder(value, ring.line):
                continue  # filled in before a phone sees it
            elif len(value) > MAX_NAME:
                found.add(
                    "RXL003",
                    "warning",
                    f"{label} {value!r} has {len(value)} characters; the limit is {MAX_NAME}",
                    ring.line,
                )
        if (
            ring.filename
            and not ring.filename.lower().endswith(_AUDIO_EXTENSIONS)
            and not has_placeholder(ring.filename)
        ):
            found.add(
                "RXL006",
                "info",
                f"FileName {ring.filename!r}: Cisco documents raw audio files named .raw (.rwb)",
                ring.line,
            )
    return found.result()


def _proper_filename(name: str) -> str | None:
    """The spelling the phone asks for, when ``name`` differs from it only in case."""
    if name in FILE_NAMES:
        return None
    return next((proper for proper in FILE_NAMES if name.lower() == proper.lower()), None)

"""The file names a phone asks for, and the near misses people put on their TFTP roots.

Phones ask for per-phone files with the MAC in upper case and the prefix and extension exactly
as Cisco spells them (spec §1.4); TFTP servers on Unix are case sensitive, so ``sep…``,
``SIP001d…`` or ``.CNF`` is a file the phone never finds. Standard library only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "PER_PHONE_KINDS",
    "FileKind",
    "NameMatch",
    "canonical_name",
    "classify",
    "find_case_variant",
]

FileKind = Literal["sep_xml", "sip_cnf", "ctl", "itl", "mgc_cnf"]

#: How the phone spells each per-phone file, ``{mac}`` standing for the 12 upper-case digits.
PER_PHONE_KINDS: dict[FileKind, str] = {
    "ctl": "CTLSEP{mac}.tlv",
    "itl": "ITLSEP{mac}.tlv",
    "sep_xml": "SEP{mac}.cnf.xml",
    "sip_cnf": "SIP{mac}.cnf",
    "mgc_cnf": "MGC{mac}.cnf",
}

# Case-insensitive shapes of the per-phone names, most specific first (CTLSEP before SEP).
_SHAPES: tuple[tuple[FileKind, re.Pattern[str]], ...] = (
    ("ctl", re.compile(r"ctlsep([0-9a-f]{12})\.tlv", re.IGNORECASE)),
    ("itl", re.compile(r"itlsep([0-9a-f]{12})\.tlv", re.IGNORECASE)),
    ("sep_xml", re.compile(r"sep([0-9a-f]{12})\.cnf\.xml", re.IGNORECASE)),
    ("sip_cnf", re.compile(r"sip([0-9a-f]{12})\.cnf", re.IGNORECASE)),
    ("mgc_cnf", re.compile(r"mgc([0-9a-f]{12})\.cnf", re.IGNORECASE)),
)


def canonical_name(kind: FileKind, mac: str) -> str:
    """The name the phone requests for ``kind`` (``mac`` already normalized)."""
    return PER_PHONE_KINDS[kind].format(mac=mac)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A file name that is (or looks like) a per-phone file."""

    name: str
    kind: FileKind
    #: The MAC in the form the phone uses (upper case).
    mac: str
    #: The name the phone would ask for.
    canonical: str
    #: The twelve hex digits as written in ``name``.
    written_mac: str

    @property
    def exact(self) -> bool:
        """True when the phone would find this file under this name."""
        return self.name == self.canonical

    @property
    def mac_lower(self) -> bool:
        """True when the MAC is written with lower-case hex digits."""
        return self.written_mac != self.mac

    @property
    def spelling_wrong(self) -> bool:
        """True when the prefix or the extension is in the wrong letter case."""
        return self.name.replace(self.written_mac, self.mac, 1) != self.canonical


def classify(name: str) -> NameMatch | None:
    """``name`` as a per-phone file (exactly named or not), or None when it is not one."""
    for kind, shape in _SHAPES:
        m = shape.fullmatch(name)
        if m:
            mac = m.group(1).upper()
            return NameMatch(name, kind, mac, canonical_name(kind, mac), m.group(1))
    return None


def find_case_variant(wanted: str, names: Iterable[str]) -> str | None:
    """A name among ``names`` that differs from ``wanted`` only in letter case, if any."""
    folded = wanted.casefold()
    for name in names:
        if name != wanted and name.casefold() == folded:
            return name
    return None

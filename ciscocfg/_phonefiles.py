"""The names of a phone's own files, and the near misses people put on their TFTP roots.

The one place that knows how each per-phone file is spelled: the boot walk, the tree check,
``lint``, the generator, the migration and the inventory server all ask here.

Phones ask for per-phone files with the MAC in upper case and the prefix and extension exactly
as Cisco spells them (spec §1.4); TFTP servers on Unix are case sensitive, so ``sep…``,
``SIP001d…`` or ``.CNF`` is a file the phone never finds. People also write the MAC as it is
printed on the phone's label (``SIP00:1B:D4:12:34:56.cnf``) and save files with editors that add
an extension of their own (``SIP001BD4123456.cnf.txt``): :func:`misnamed` recognises those too,
so that every report can name the file the phone asks for. Standard library and
:class:`~ciscocfg.Diagnostic` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ciscocfg._diagnostic import Diagnostic

__all__ = [
    "PER_PHONE_KINDS",
    "PREFIXES",
    "NameMatch",
    "PhoneFileKind",
    "canonical_name",
    "classify",
    "find_case_variant",
    "misnamed",
    "naming_finding",
]

PhoneFileKind = Literal["sep_xml", "sip_cnf", "ctl", "itl", "mgc_cnf"]

#: How the phone spells each per-phone file, ``{mac}`` standing for the 12 upper-case digits.
PER_PHONE_KINDS: dict[PhoneFileKind, str] = {
    "ctl": "CTLSEP{mac}.tlv",
    "itl": "ITLSEP{mac}.tlv",
    "sep_xml": "SEP{mac}.cnf.xml",
    "sip_cnf": "SIP{mac}.cnf",
    "mgc_cnf": "MGC{mac}.cnf",
}

#: The prefixes of the per-phone names, longest first (``CTLSEP`` before ``SEP``).
PREFIXES: tuple[str, ...] = tuple(
    sorted({spelling.split("{mac}")[0] for spelling in PER_PHONE_KINDS.values()}, key=len)[::-1]
)


def _shape(kind: PhoneFileKind, mac: str, extension_tail: str = "") -> re.Pattern[str]:
    prefix, extension = PER_PHONE_KINDS[kind].split("{mac}")
    return re.compile(re.escape(prefix) + mac + re.escape(extension) + extension_tail, re.I)


def _most_specific_first(kinds: Iterable[PhoneFileKind]) -> list[PhoneFileKind]:
    # CTLSEP before SEP: a name that fits a longer prefix is of that kind.
    return sorted(kinds, key=lambda kind: -len(PER_PHONE_KINDS[kind].split("{mac}")[0]))


_ORDER = _most_specific_first(PER_PHONE_KINDS)
# The exact shapes, in any letter case.
_SHAPES = [(kind, _shape(kind, "([0-9a-f]{12})")) for kind in _ORDER]
# The shapes people write by mistake: the MAC with the separators of its label or of Cisco's
# dotted form (00:1B:D4:12:34:56, 001B.D412.3456, 00-1b-d4-12-34-56), and an extension an editor
# added (Notepad's .txt).
_MAC_LOOSE = r"([0-9a-f]{2}(?:[:.\- _]?[0-9a-f]{2}){5})"
_EDITOR_EXTENSION = r"(?:\.txt)?"
_LOOSE = [(kind, _shape(kind, _MAC_LOOSE, _EDITOR_EXTENSION)) for kind in _ORDER]
_NOT_HEX = re.compile(r"[^0-9a-fA-F]")


def canonical_name(kind: PhoneFileKind, mac: str) -> str:
    """The name the phone requests for ``kind`` (``mac`` already normalized)."""
    return PER_PHONE_KINDS[kind].format(mac=mac)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A file name that is (or looks like) a per-phone file."""

    name: str
    kind: PhoneFileKind
    #: The MAC in the form the phone uses (upper case).
    mac: str
    #: The name the phone would ask for.
    canonical: str
    #: The MAC as written in ``name`` (its separators included).
    written_mac: str

    @property
    def exact(self) -> bool:
        """True when the phone would find this file under this name."""
        return self.name == self.canonical

    @property
    def mac_lower(self) -> bool:
        """True when the MAC is written with lower-case hex digits."""
        return _NOT_HEX.sub("", self.written_mac) != self.mac

    @property
    def spelling_wrong(self) -> bool:
        """True when the prefix or the extension is in the wrong letter case."""
        return self.name.replace(self.written_mac, self.mac, 1) != self.canonical

    @property
    def loose(self) -> bool:
        """True when the name differs in more than letter case: separators in the MAC, or an
        extension added after the phone's."""
        return self.name.casefold() != self.canonical.casefold()


def classify(name: str) -> NameMatch | None:
    """``name`` as a per-phone file (exactly named, or in another letter case), or None."""
    for kind, shape in _SHAPES:
        m = shape.fullmatch(name)
        if m:
            mac = m.group(1).upper()
            return NameMatch(name, kind, mac, canonical_name(kind, mac), m.group(1))
    return None


def misnamed(name: str) -> NameMatch | None:
    """``name`` as a per-phone file the phone never finds under that name, or None.

    That is a name in another letter case (as :func:`classify` finds), or one with the MAC
    written with separators (``SIP00:1B:D4:12:34:56.cnf``) or an extension added after the
    phone's (``SIP001BD4123456.cnf.txt``). An exact name, and any other name (a backup such as
    ``SIP001BD4123456.cnf.bak``), is None.
    """
    found = classify(name)
    if found is not None:
        return None if found.exact else found
    for kind, shape in _LOOSE:
        m = shape.fullmatch(name)
        if m:
            mac = _NOT_HEX.sub("", m.group(1)).upper()
            return NameMatch(name, kind, mac, canonical_name(kind, mac), m.group(1))
    return None


def find_case_variant(wanted: str, names: Iterable[str]) -> str | None:
    """A name among ``names`` that differs from ``wanted`` only in letter case, if any."""
    folded = wanted.casefold()
    for name in names:
        if name != wanted and name.casefold() == folded:
            return name
    return None


def naming_finding(shown: str, match: NameMatch, wanted: str | None = None) -> Diagnostic:
    """The finding for a per-phone file the phone never gets under its name.

    ``shown`` is the file as the report names it (a path), ``wanted`` the name the phone asks
    for in the same place (default: the canonical name). ``PRV010`` when the MAC is in lower
    case, ``PRV011`` for another letter case of the prefix or extension, ``PRV014`` for
    separators in the MAC or an added extension.
    """
    target = wanted or match.canonical
    if match.loose:
        prefix, extension = PER_PHONE_KINDS[match.kind].split("{mac}")
        added = match.name[len(prefix) + len(match.written_mac) + len(extension) :]
        parts = []
        if _NOT_HEX.search(match.written_mac):
            parts.append(f"the MAC written {match.written_mac!r}, with separators")
        if added:
            parts.append(f"{added!r} added after {extension!r} (as an editor saves it)")
        return Diagnostic(
            "PRV014",
            "error",
            f"{shown} is named with {' and '.join(parts)}; the phone asks for {target}, so it "
            "never gets this file",
            source=shown,
            suggestion=target,
        )
    code = "PRV010" if match.mac_lower else "PRV011"
    case = (
        "the MAC in lower case"
        if match.mac_lower and not match.spelling_wrong
        else "the wrong letter case"
    )
    return Diagnostic(
        code,
        "error",
        f"{shown} is written with {case}; the phone asks for {target} and TFTP servers on Unix "
        "match names case-sensitively, so it never gets this file",
        source=shown,
        suggestion=target,
    )

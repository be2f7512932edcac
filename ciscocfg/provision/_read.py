"""What the boot walk needs to read out of the files it gets, through the library's codecs.

Everything here is tolerant: a file the codec cannot read yields "nothing named", and the
check reports the file's problems separately, with positions. Settings of a ``.cnf`` file are
the ones the phone reads (:func:`ciscocfg.cnf.phone_view`): a file that is not text gives none,
a key behind a byte order mark is another key. A name that is a template placeholder names no
file the phone could ask for.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ciscocfg import cnf
from ciscocfg._errors import CiscoCfgError
from ciscocfg._placeholders import has_placeholder
from ciscocfg._reads import unreadable
from ciscocfg._text import decode_bytes

__all__ = [
    "XmlRefs",
    "cfg_dir",
    "cnf_doc",
    "cnf_value",
    "cnf_view",
    "default_load",
    "keys_unknown",
    "loads_files",
    "merged_values",
    "named",
    "ring_files",
    "ring_xml_files",
    "xml_refs",
]

# Blanks and quote marks that a phone would not take as part of a directory name.
_NOT_A_DIR = " \t\u00a0\"'“”„‘’"


@functools.lru_cache(maxsize=64)
def cnf_view(data: bytes, source: str | None = None) -> cnf.PhoneView:
    """What the phone reads from a ``.cnf`` file's bytes (worked out once per content: a boot
    walk and its check read the same few files many times)."""
    return cnf.phone_view(cnf_doc(data, source))


def cnf_doc(data: bytes, source: str | None = None) -> cnf.Document:
    """A ``.cnf`` file read the way the phone reads it: lines it cannot read are kept aside."""
    return cnf.loads(decode_bytes(data), strict=False, source=source)


def cnf_value(data: bytes | None, key: str) -> str | None:
    """The value of ``key`` the phone reads from a ``.cnf`` file (last line wins), or None."""
    if data is None:
        return None
    return cnf_view(data).values().get(key)


def named(value: str | None) -> str | None:
    """The file name a setting gives (blanks and tabs trimmed, as the phone trims them), or
    None when it is empty or a template placeholder (which file it stands for is unknown)."""
    name = (value or "").strip(" \t")
    return name if name and not has_placeholder(name) else None


def merged_values(default: bytes | None, own: bytes | None) -> dict[str, str]:
    """``SIPDefault.cnf`` then ``SIP<MAC>.cnf``, later winning, as the phone stores them."""
    layers = [cnf_view(d).values() for d in (default, own) if d is not None]
    return cnf.merge(*layers)


def keys_unknown(*files: bytes | None) -> bool:
    """True when one of the ``.cnf`` files is a template whose keys are not all known."""
    return any(cnf_view(data).keys_unknown for data in files if data is not None)


def cfg_dir(default: bytes | None) -> str:
    """``tftp_cfg_dir`` of ``SIPDefault.cnf`` as a path prefix (``""`` or ``"dir/"``)."""
    value = (cnf_value(default, "tftp_cfg_dir") or "").strip(_NOT_A_DIR)
    if has_placeholder(value):
        return ""  # which folder a template names is unknown: the walk looks at the root
    value = value.replace("\\", "/")
    while value.startswith("./"):
        value = value[2:]
    value = value.strip("/")
    return f"{value}/" if value and value != "." else ""


@dataclass(frozen=True, slots=True)
class XmlRefs:
    """The files and protocol a ``SEP<MAC>.cnf.xml`` names."""

    protocol: str | None = None
    load: str | None = None
    dial_template: str | None = None
    softkeys: str | None = None


def xml_refs(data: bytes) -> XmlRefs:
    """Protocol, load and file names in a ``SEP<MAC>.cnf.xml`` (empty when unreadable)."""
    from ciscocfg import sepxml

    try:
        config = sepxml.loads(data)
    except CiscoCfgError:
        return XmlRefs()
    return XmlRefs(
        protocol=(config.protocol or "").strip() or None,
        load=(config.load_information or "").strip() or None,
        dial_template=(config.dial_template or "").strip() or None,
        softkeys=(config.get("sipProfile/softKeyFile") or "").strip() or None,
    )


def default_load(data: bytes, device_type: int) -> str | None:
    """The load ``XMLDefault.cnf.xml`` names for ``device_type``, or None."""
    from ciscocfg import sepxml

    try:
        config = sepxml.loads(data)
    except CiscoCfgError:
        return None
    for entry in config.default_loads:
        if entry.device_type == device_type and entry.load.strip():
            return entry.load.strip()
    return None


def loads_files(data: bytes) -> list[str]:
    """The files a ``.loads`` descriptor names (loader, application, components)."""
    from ciscocfg import firmware

    try:
        return [str(name) for name in firmware.parse_loads(data).files]
    except CiscoCfgError:
        return []


def ring_files(data: bytes) -> list[str]:
    """The audio files ``RINGLIST.DAT`` names, in order (none from a file that is not text)."""
    from ciscocfg import ringlist

    if unreadable(data) is not None:
        return []
    try:
        rings = ringlist.loads(decode_bytes(data), strict=False).rings
    except CiscoCfgError:
        return []
    return [ring.filename for ring in rings if named(ring.filename)]


def ring_xml_files(data: bytes) -> list[str]:
    """The audio files a ``Ringlist.xml`` names, in order."""
    from ciscocfg import ringxml

    try:
        rings = ringxml.loads(data).rings
    except CiscoCfgError:
        return []
    return [ring.filename for ring in rings if ring.filename and named(ring.filename)]

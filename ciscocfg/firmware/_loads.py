"""The signed ``.loads`` descriptor: which files a load needs.

Cisco does not document the container. What real files show (spec §7.4): eight magic bytes
``01 00 02 01 01 02 00 02``, a 16-bit big-endian header length, tag-length-value records
(signer and CA names; the last one, tag ``0x0E``, the file's own name, NUL-terminated), padding
up to the header length, then the payload: plain text naming the files of the load.

* 79x0: the loader ``.sbn``, the application ``.sb2`` and a ``LA_VERSION=…`` line.
* 79x1: ``#`` comment lines, then one component file per line.

Signatures are not verified. The record layout (one tag byte, a 16-bit big-endian length) is
our reading of the bytes: when the records do not walk cleanly the own name is left unknown
rather than failing, since the payload is what matters.
"""

from __future__ import annotations

import os
import re
import struct
from collections.abc import Iterable
from pathlib import Path

import attrs

from ciscocfg._errors import ParseError
from ciscocfg._text import PathOrFile, read_source
from ciscocfg.firmware._names import FirmwareImage, FirmwareNameError, parse

__all__ = ["MAGIC", "OWN_NAME_TAG", "LoadsManifest", "parse_loads", "read_loads"]

MAGIC = bytes([0x01, 0x00, 0x02, 0x01, 0x01, 0x02, 0x00, 0x02])
OWN_NAME_TAG = 0x0E
_FIXED = len(MAGIC) + 2
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")
_PROPERTY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)")


@attrs.frozen
class LoadsManifest:
    """What a ``.loads`` file says: its own name and the files of the load."""

    #: The file's own name from the signed header (``None`` if the records could not be read).
    own_name: str | None
    header_length: int
    #: The files the load needs, in order (for 79x0: loader ``.sbn``, application ``.sb2``).
    files: tuple[str, ...]
    #: ``KEY=VALUE`` lines such as ``LA_VERSION=PAS30830``.
    properties: tuple[tuple[str, str], ...] = ()
    #: ``#`` comment lines of the payload.
    comments: tuple[str, ...] = ()
    #: Header records as (tag, value).
    records: tuple[tuple[int, bytes], ...] = ()

    @property
    def images(self) -> tuple[FirmwareImage | None, ...]:
        """Each file decoded as a firmware name (``None`` for names that do not decode)."""
        return tuple(_decode_or_none(name) for name in self.files)

    def missing(self, available: str | os.PathLike[str] | Iterable[str]) -> list[str]:
        """The files of the load that ``available`` lacks.

        ``available`` is a TFTP root folder or the file names it holds. Names are compared
        exactly: TFTP servers on Unix are case sensitive.
        """
        if isinstance(available, (str, os.PathLike)):
            folder = Path(available)
            names = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
        else:
            names = set(available)
        return [name for name in self.files if name not in names]


def _decode_or_none(name: str) -> FirmwareImage | None:
    try:
        return parse(name)
    except FirmwareNameError:
        return None


def _records(header: bytes) -> tuple[tuple[tuple[int, bytes], ...], str | None]:
    records: list[tuple[int, bytes]] = []
    pos = _FIXED
    own: str | None = None
    while pos + 3 <= len(header):
        tag = header[pos]
        if tag == 0:
            break  # padding up to the header length
        (length,) = struct.unpack_from(">H", header, pos + 1)
        end = pos + 3 + length
        if end > len(header):
            return (), None
        value = header[pos + 3 : end]
        records.append((tag, value))
        if tag == OWN_NAME_TAG:
            own = value.split(b"\0", 1)[0].decode("ascii", "replace")
        pos = end
    return tuple(records), own


def parse_loads(data: bytes, *, source: str | None = None) -> LoadsManifest:
    """Read a ``.loads`` file's bytes; raises :class:`~ciscocfg.ParseError` when damaged."""
    if len(data) < _FIXED or data[: len(MAGIC)] != MAGIC:
        raise ParseError("not a signed Cisco file (wrong magic bytes)", offset=0, source=source)
    (header_length,) = struct.unpack_from(">H", data, len(MAGIC))
    if header_length < _FIXED or header_length > len(data):
        raise ParseError(
            f"header length {header_length} does not fit a file of {len(data)} bytes",
            offset=len(MAGIC),
            source=source,
        )
    records, own = _records(data[:header_length])
    payload = data[header_length:].rstrip(b"\0")
    try:
        text = payload.decode("ascii")
    except UnicodeDecodeError as err:
        raise ParseError(
            "the payload is not the text list of files a .loads file holds",
            offset=header_length + err.start,
            source=source,
        ) from None
    files: list[str] = []
    properties: list[tuple[str, str]] = []
    comments: list[str] = []
    offset = header_length
    for raw in text.splitlines(keepends=True):
        line = raw.strip()
        if not line:
            pass
        elif line.startswith("#"):
            comments.append(line)
        elif (m := _PROPERTY.fullmatch(line)) is not None:
            properties.append((m["key"], m["value"]))
        elif _FILE_NAME.fullmatch(line):
            files.append(line)
        else:
            raise ParseError(f"not a file name: {line!r}", offset=offset, source=source)
        offset += len(raw)
    if not files:
        raise ParseError("the .loads payload names no file", offset=header_length, source=source)
    return LoadsManifest(
        own, header_length, tuple(files), tuple(properties), tuple(comments), records
    )


def read_loads(source: PathOrFile) -> LoadsManifest:
    """Read a ``.loads`` file from a path or binary file."""
    data, name = read_source(source)
    return parse_loads(data, source=name)

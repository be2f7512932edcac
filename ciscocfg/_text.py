"""Bytes to text and back without losing a byte (standard library only).

Files on a TFTP root are whatever their authors' editors wrote: ASCII mostly, UTF-8 with or
without a BOM sometimes, Latin-1 now and then. Decoding as UTF-8 with ``surrogateescape`` maps
every byte that is not UTF-8 to a lone surrogate, and encoding the same way gives the original
bytes back, so ``load`` then ``dump`` is the identity on any file.
"""

from __future__ import annotations

import os
from typing import BinaryIO

__all__ = ["PathOrFile", "decode_bytes", "encode_text", "read_source", "write_target"]

PathOrFile = str | os.PathLike[str] | BinaryIO


def decode_bytes(data: bytes) -> str:
    """Decode file bytes losslessly (see the module docstring)."""
    return data.decode("utf-8", "surrogateescape")


def encode_text(text: str) -> bytes:
    """The inverse of :func:`decode_bytes`."""
    return text.encode("utf-8", "surrogateescape")


def read_source(source: PathOrFile) -> tuple[bytes, str | None]:
    """Read all bytes from a path or a binary file; also return a name for messages."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read(), os.fspath(source)
    name = getattr(source, "name", None)
    return source.read(), name if isinstance(name, str) else None


def write_target(target: PathOrFile, data: bytes) -> None:
    """Write bytes to a path or a binary file."""
    if isinstance(target, (str, os.PathLike)):
        with open(target, "wb") as handle:
            handle.write(data)
    else:
        target.write(data)

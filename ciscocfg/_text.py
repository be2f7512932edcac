"""Bytes to text and back without losing a byte (standard library only).

Files on a TFTP root are whatever their authors' editors wrote: ASCII mostly, UTF-8 with or
without a BOM sometimes, Latin-1 now and then. Decoding as UTF-8 with ``surrogateescape`` maps
every byte that is not UTF-8 to a lone surrogate, and encoding the same way gives the original
bytes back, so ``load`` then ``dump`` is the identity on any file.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from ciscocfg._errors import EmitError

__all__ = [
    "PathOrFile",
    "decode_bytes",
    "encode_text",
    "encoded_size",
    "read_source",
    "write_target",
]

PathOrFile = str | os.PathLike[str] | BinaryIO


def decode_bytes(data: bytes) -> str:
    """Decode file bytes losslessly (see the module docstring)."""
    return data.decode("utf-8", "surrogateescape")


def encode_text(text: str) -> bytes:
    """The inverse of :func:`decode_bytes`.

    Text that came from bytes always encodes back. Text built in Python can hold a lone
    surrogate that stands for no byte (``"\\ud800"``); no file can hold it, so that is an
    :class:`~ciscocfg.EmitError`.
    """
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as exc:
        raise EmitError(
            f"character {exc.object[exc.start]!r} at offset {exc.start} cannot be written to a "
            "file (a lone surrogate)"
        ) from exc


def encoded_size(text: str) -> int:
    """How many bytes :func:`encode_text` writes for ``text``, for any text (never raises).

    A lone surrogate that cannot be written is counted as the three bytes UTF-8 would give it.
    """
    try:
        return len(text.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return sum(
            1 if 0xDC80 <= ord(ch) <= 0xDCFF else len(ch.encode("utf-8", "surrogatepass"))
            for ch in text
        )


def read_source(source: PathOrFile) -> tuple[bytes, str | None]:
    """Read all bytes from a path or a binary file; also return a name for messages."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read(), os.fspath(source)
    name = getattr(source, "name", None)
    return source.read(), name if isinstance(name, str) else None


def write_target(target: PathOrFile, data: bytes) -> None:
    """Write bytes to a path or a binary file.

    A path is replaced whole or not at all: the bytes go to a temporary file beside it, on the
    disk, renamed over the old file (whose permissions the new one keeps). Naming the path is
    asking for it to be replaced; a path that is a symbolic link replaces the file the link
    names, as writing to it would. Raises :class:`~ciscocfg.WriteRefused` when the path is a
    folder or its folder does not exist, :class:`OSError` when the write fails (the old file is
    then as it was).
    """
    if isinstance(target, (str, os.PathLike)):
        from ciscocfg._writing import write_file

        write_file(target, data, force=True, in_place=True)
    else:
        target.write(data)

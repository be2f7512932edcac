"""Netascii translation (RFC 1350 §1, via the Telnet NVT rules of RFC 854), incrementally.

On the wire a line ends with CR LF and a bare carriage return is CR NUL. With a Unix-style local
text convention the sender maps LF -> CR LF and CR -> CR NUL, and the receiver maps back; the
mapping is lossless (a local CR LF travels as CR NUL CR LF).

Both translators give the same output however the input is cut into chunks. The decoder holds a
CR that ends a chunk until it sees the next byte, which is what a CR at the end of one DATA block
and its LF at the start of the next needs. The encoder needs no state: translate the stream
before the engine slices it into blocks, and the two bytes of an expansion simply land in
consecutive blocks.

Policy for what the specification leaves open: a CR followed by anything other than LF or NUL is
kept as a CR (the following byte is translated normally), and a CR that ends the whole transfer
is kept as a CR by :meth:`NetasciiDecoder.flush`.

Translation stays outside the engines: they move octets, the caller wraps its source or sink.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["NetasciiDecoder", "NetasciiEncoder", "encoded_size"]


class NetasciiEncoder:
    """Local text (LF line ends) -> netascii wire bytes."""

    __slots__ = ()

    def feed(self, chunk: bytes | bytearray | memoryview) -> bytes:
        """Translate one chunk; the result does not depend on how the stream was chunked."""
        # CR first, so that the CRs that LF expansion inserts are not doubled.
        return bytes(chunk).replace(b"\r", b"\r\0").replace(b"\n", b"\r\n")

    def flush(self) -> bytes:
        """Nothing is ever held back; returns ``b""`` for symmetry with the decoder."""
        return b""


class NetasciiDecoder:
    """Netascii wire bytes -> local text (LF line ends), holding a CR across chunks."""

    __slots__ = ("_held_cr",)

    def __init__(self) -> None:
        self._held_cr = False

    def feed(self, chunk: bytes | bytearray | memoryview) -> bytes:
        """Translate one chunk; a trailing CR waits for the next chunk (or :meth:`flush`)."""
        data = bytes(chunk)
        if self._held_cr:
            data = b"\r" + data
        # A CR is never the second byte of a pair, so a CR at the end always opens a pair.
        self._held_cr = data.endswith(b"\r")
        if self._held_cr:
            data = data[:-1]
        # Every CR LF in the input is a pair (CRs are never partners), and removing one cannot
        # create a new CR NUL, so two replaces equal a left-to-right scan.
        return data.replace(b"\r\n", b"\n").replace(b"\r\0", b"\r")

    def flush(self) -> bytes:
        """End of transfer: a held CR is kept as a plain CR."""
        if self._held_cr:
            self._held_cr = False
            return b"\r"
        return b""


def encoded_size(chunks: Iterable[bytes | bytearray | memoryview]) -> int:
    """Size on the wire of local text in netascii (each CR and LF grows by one byte).

    This is the value to offer as ``tsize`` for a netascii read.
    """
    total = 0
    for chunk in chunks:
        raw = bytes(chunk)
        total += len(raw) + raw.count(b"\r") + raw.count(b"\n")
    return total

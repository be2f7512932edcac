"""TFTP packets as immutable values, and their wire codec (RFC 1350, RFC 2347).

Decoding is liberal about values and strict about structure:

* any byte string except NUL round-trips as a filename or option value (text is decoded as UTF-8
  with ``surrogateescape``, so undecodable bytes survive ``decode`` -> ``encode``);
* modes ``netascii`` and ``octet`` are accepted in any mix of case and kept as spelled; ``mail``
  (obsolete, RFC 1123 §4.2.2.1) and unknown modes are refused;
* option names are case-insensitive ASCII; a duplicated name, a name without a value, a missing
  NUL or a non-ASCII name is a :class:`MalformedPacket`;
* an ERROR message may lack its final NUL (some embedded stacks send it so);
* a request is decoded up to ``max_request`` octets (default :data:`MAX_DECODED_REQUEST`) and
  encoded only up to the 512 octets RFC 2347 allows.

:func:`decode` raises only :class:`MalformedPacket` (carrying the byte offset where the datagram
goes wrong). A DATA payload is a :class:`memoryview` slice of the datagram, never a copy.

The transfer engines do not call :func:`decode` for DATA and ACK: they read the 4-byte header
with :data:`HEADER` directly, which is the hot path.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Final, TypeAlias

from ciscocfg._errors import ArgumentTypeError, MalformedPacket, ValidationError

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "HEADER",
    "MAX_DECODED_REQUEST",
    "MAX_REQUEST",
    "Ack",
    "Data",
    "Error",
    "ErrorCode",
    "MalformedPacket",
    "Mode",
    "Opcode",
    "OptionAck",
    "Packet",
    "ReadRequest",
    "WriteRequest",
    "ack_bytes",
    "decode",
    "encode",
    "parse_mode",
]

#: Both 16-bit big-endian fields that open DATA, ACK and ERROR (opcode, then block or code).
HEADER: Final = struct.Struct("!HH")
_unpack_header: Final = HEADER.unpack_from

#: RFC 2347: a request carrying options must fit in 512 octets; the encoder enforces it.
MAX_REQUEST: Final = 512
#: Default cap when decoding requests: liberal (some clients overstep 512), but bounded.
MAX_DECODED_REQUEST: Final = 4096
#: RFC 1350 block size, used until an OACK says otherwise.
DEFAULT_BLOCK_SIZE: Final = 512


class Opcode(IntEnum):
    """The six TFTP opcodes (RFC 1350 §5, RFC 2347)."""

    RRQ = 1
    WRQ = 2
    DATA = 3
    ACK = 4
    ERROR = 5
    OACK = 6


class ErrorCode(IntEnum):
    """The error codes RFC 1350 and RFC 2347 name; a decoder accepts any 16-bit code."""

    NOT_DEFINED = 0
    FILE_NOT_FOUND = 1
    ACCESS_VIOLATION = 2
    DISK_FULL = 3
    ILLEGAL_OPERATION = 4
    UNKNOWN_TID = 5
    FILE_EXISTS = 6
    NO_SUCH_USER = 7
    OPTION_REFUSED = 8


class Mode(str, Enum):
    """The two transfer modes this library speaks, in canonical (lower-case) spelling."""

    NETASCII = "netascii"
    OCTET = "octet"


_MODES: Final = frozenset({"netascii", "octet"})


def parse_mode(text: str) -> str:
    """Return the canonical spelling of a mode (``"netascii"`` or ``"octet"``).

    Raises :class:`MalformedPacket` for ``mail`` and for modes nobody agreed on.
    """
    lowered = text.lower()
    if lowered in _MODES:
        return lowered
    if lowered == "mail":
        raise MalformedPacket("mode 'mail' is obsolete and not supported (RFC 1123)")
    raise MalformedPacket(f"unknown transfer mode {text!r}")


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """RRQ: the client asks to read ``filename``.

    ``mode`` is kept as spelled on the wire; ``options`` keeps names and values as spelled, in
    order (names are compared case-insensitively, see :mod:`ciscocfg.tftp.options`).
    """

    filename: str
    mode: str = "octet"
    options: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def opcode(self) -> Opcode:
        """Always :attr:`Opcode.RRQ`."""
        return Opcode.RRQ


@dataclass(frozen=True, slots=True)
class WriteRequest:
    """WRQ: the client asks to write ``filename``; fields as in :class:`ReadRequest`."""

    filename: str
    mode: str = "octet"
    options: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def opcode(self) -> Opcode:
        """Always :attr:`Opcode.WRQ`."""
        return Opcode.WRQ


@dataclass(frozen=True, slots=True)
class Data:
    """DATA: one block. ``payload`` is a view into the decoded datagram (no copy)."""

    block: int
    payload: bytes | memoryview

    @property
    def opcode(self) -> Opcode:
        """Always :attr:`Opcode.DATA`."""
        return Opcode.DATA


@dataclass(frozen=True, slots=True)
class Ack:
    """ACK: acknowledges ``block`` (0 acknowledges a WRQ or an OACK)."""

    block: int

    @property
    def opcode(self) -> Opcode:
        """Always :attr:`Opcode.ACK`."""
        return Opcode.ACK


@dataclass(frozen=True, slots=True)
class Error:
    """ERROR: ends the transfer. ``code`` is any 16-bit number (see :class:`ErrorCode`)."""

    code: int
    message: str = ""

    @property
    def opcode(self) -> Opcode:
        """Always :attr:`Opcode.ERROR`."""
        return Opcode.ERROR


@dataclass(frozen=True, slots=True)
class OptionAck:
    """OACK: the options the server accepted, with the values it accepted (RFC 2347)."""

    options: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def opcode(self) -> Opcode:
        """Always :attr:`Opcode.OACK`."""
        return Opcode.OACK


#: Any decoded TFTP packet.
Packet: TypeAlias = ReadRequest | WriteRequest | Data | Ack | Error | OptionAck

# Construction without the frozen-dataclass __init__ (which goes through keyword binding and
# object.__setattr__): the slot descriptors are set directly. This is the decode hot path.
_new = object.__new__


def _slot_setter(cls: type, name: str) -> Callable[[object, object], None]:
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


_set_data_block = _slot_setter(Data, "block")
_set_data_payload = _slot_setter(Data, "payload")
_set_ack_block = _slot_setter(Ack, "block")


_ACKS: list[Ack | None] = [None] * 65536


def _cached_ack(block: int) -> Ack:
    # Ack values are immutable, so one instance per block number serves every decode.
    packet: Ack = _new(Ack)
    _set_ack_block(packet, block)
    _ACKS[block] = packet
    return packet


def _as_octets(view: memoryview) -> memoryview:
    try:
        return view.cast("B")
    except (TypeError, ValueError) as exc:
        raise MalformedPacket(f"unreadable datagram: {exc}", 0) from None


# --- decoding -----------------------------------------------------------------------------------


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _split_strings(body: bytes, base: int, what: str) -> list[bytes]:
    """Split NUL-terminated strings; ``base`` is the offset of ``body`` in the datagram."""
    if not body.endswith(b"\0"):
        raise MalformedPacket(f"{what} is not terminated by NUL", base + len(body))
    return body[:-1].split(b"\0")


def _decode_options(
    parts: list[bytes], start: int, offset: int, *, allow_empty: bool
) -> dict[str, str]:
    """Pairs ``parts[start:]`` as (name, value); ``offset`` is where ``parts[start]`` begins."""
    if (len(parts) - start) % 2:
        dangling = offset + sum(len(part) + 1 for part in parts[start:-1])
        raise MalformedPacket("option name without a value", dangling)
    options: dict[str, str] = {}
    seen: set[str] = set()
    position = offset
    for index in range(start, len(parts), 2):
        raw_name = parts[index]
        if not raw_name:
            raise MalformedPacket("empty option name", position)
        if not raw_name.isascii():
            raise MalformedPacket("option name is not ASCII", position)
        name = raw_name.decode("ascii")
        folded = name.lower()
        if folded in seen:
            raise MalformedPacket(f"option {name!r} given twice", position)
        seen.add(folded)
        options[name] = _text(parts[index + 1])
        position += len(raw_name) + len(parts[index + 1]) + 2
    if not options and not allow_empty:
        raise MalformedPacket("OACK without options", offset)
    return options


def _decode_request(view: bytes, opcode: int, max_request: int) -> ReadRequest | WriteRequest:
    if len(view) > max_request:
        raise MalformedPacket(f"request longer than {max_request} octets", max_request)
    parts = _split_strings(view[2:], 2, "request")
    if len(parts) < 2:
        raise MalformedPacket("request without a mode", len(view))
    filename, mode = parts[0], parts[1]
    mode_offset = 2 + len(filename) + 1
    try:
        parse_mode(mode.decode("ascii"))
    except UnicodeDecodeError:
        raise MalformedPacket("mode is not ASCII", mode_offset) from None
    except MalformedPacket as exc:
        raise MalformedPacket(exc.message, mode_offset) from None
    options = _decode_options(parts, 2, mode_offset + len(mode) + 1, allow_empty=True)
    cls = ReadRequest if opcode == Opcode.RRQ else WriteRequest
    return cls(_text(filename), mode.decode("ascii"), options)


def decode(
    datagram: bytes | bytearray | memoryview, *, max_request: int = MAX_DECODED_REQUEST
) -> Packet:
    """Decode one datagram into a packet.

    Raises :class:`MalformedPacket` (and nothing else) when the datagram is not a TFTP packet.
    A :class:`Data` payload is a :class:`memoryview` of ``datagram``: copy it if the buffer is
    reused.
    """
    try:
        opcode, number = _unpack_header(datagram)
    except (struct.error, TypeError):
        # Every packet is at least 4 bytes: opcode plus block/code, or opcode plus two NULs.
        size = len(datagram)
        raise MalformedPacket(f"datagram of {size} bytes is too short", size) from None
    if opcode == 3:
        packet: Data = _new(Data)
        _set_data_block(packet, number)
        if type(datagram) is memoryview:
            if datagram.format != "B" or datagram.ndim != 1:
                datagram = _as_octets(datagram)
            _set_data_payload(packet, datagram[4:])
        else:
            _set_data_payload(packet, memoryview(datagram)[4:])
        return packet
    if opcode == 4:
        # Trailing bytes after the block number are ignored: some stacks pad their ACKs.
        return _ACKS[number] or _cached_ack(number)
    if opcode == 5:
        raw = bytes(datagram)[4:]  # bytes() first: a memoryview may count in items, not octets
        end = raw.find(b"\0")
        # The final NUL is optional; anything after it (padding) is ignored.
        return Error(number, _text(raw if end < 0 else raw[:end]))
    if opcode in (1, 2, 6):
        raw = bytes(datagram)
        if opcode == 6:
            parts = _split_strings(raw[2:], 2, "OACK")
            return OptionAck(_decode_options(parts, 0, 2, allow_empty=False))
        return _decode_request(raw, opcode, max_request)
    raise MalformedPacket(f"unknown opcode {opcode}", 0)


# --- encoding -----------------------------------------------------------------------------------

_ACK_CACHE: list[bytes | None] = [None] * 65536


def ack_bytes(block: int) -> bytes:
    """The 4-byte ACK for a wire block number (cached: the receive loop sends these constantly)."""
    cached = _ACK_CACHE[block]
    if cached is None:
        cached = _ACK_CACHE[block] = HEADER.pack(4, block)
    return cached


def _string(text: str, what: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape")
    if b"\0" in raw:
        raise ValidationError(f"{what} contains NUL")
    return raw + b"\0"


def _option_parts(options: dict[str, str], parts: list[bytes]) -> list[bytes]:
    """Append the option names and values to ``parts`` (checked, not yet NUL-terminated)."""
    seen: set[str] = set()
    for name, value in options.items():
        if not name or not name.isascii():
            raise ValidationError(f"option name {name!r} is empty or not ASCII")
        folded = name.lower()
        if folded in seen:
            raise ValidationError(f"option {name!r} given twice")
        seen.add(folded)
        parts.append(name.encode("ascii"))
        parts.append(value.encode("utf-8", "surrogateescape"))
    return parts


def _strings(opcode: bytes, parts: list[bytes]) -> bytes:
    """``opcode`` then every part NUL-terminated; a NUL inside a part is refused."""
    body = b"\0".join(parts)
    if body.count(b"\0") != len(parts) - 1:
        raise ValidationError("a string contains NUL")
    return opcode + body + b"\0"


def encode(packet: Packet) -> bytes:
    """Encode a packet; strict: raises :class:`~ciscocfg.ValidationError` for what a peer should
    never see (:class:`~ciscocfg.ArgumentTypeError` for an object that is not a packet).

    Refused: NUL inside a string, an empty filename or option name, a block or error code outside
    0..65535, a mode other than netascii/octet, a request over 512 octets, an OACK without
    options.
    """
    if type(packet) is Data:
        block = packet.block
        # Checked inline: DATA is the hot path, and a helper call costs a tenth of the encode.
        if 0 <= block <= 0xFFFF:
            return HEADER.pack(3, block) + packet.payload
        raise ValidationError(f"block number {block} is outside 0..65535")
    if type(packet) is Ack:
        block = packet.block
        if 0 <= block <= 0xFFFF:
            return _ACK_CACHE[block] or ack_bytes(block)
        raise ValidationError(f"block number {block} is outside 0..65535")
    if type(packet) is Error:
        if not 0 <= packet.code <= 0xFFFF:
            raise ValidationError(f"error code {packet.code} is outside 0..65535")
        return HEADER.pack(5, packet.code) + _string(packet.message, "error message")
    if type(packet) is OptionAck:
        if not packet.options:
            raise ValidationError("an OACK must carry at least one option")
        return _strings(b"\x00\x06", _option_parts(packet.options, []))
    if isinstance(packet, ReadRequest | WriteRequest):
        if not packet.filename:
            raise ValidationError("empty filename")
        mode = packet.mode
        if mode.lower() not in _MODES:
            try:
                parse_mode(mode)
            except MalformedPacket as exc:
                raise ValidationError(exc.message) from None
        parts = [packet.filename.encode("utf-8", "surrogateescape"), mode.encode("ascii")]
        wire = _strings(
            b"\x00\x01" if isinstance(packet, ReadRequest) else b"\x00\x02",
            _option_parts(packet.options, parts),
        )
        if len(wire) > MAX_REQUEST:
            raise ValidationError(f"request of {len(wire)} octets exceeds {MAX_REQUEST} (RFC 2347)")
        return wire
    raise ArgumentTypeError(f"not a TFTP packet: {packet!r}")

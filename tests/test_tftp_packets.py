"""The TFTP packet codec: round trips, liberal decoding, strict encoding, RFC vectors."""

from __future__ import annotations

import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.tftp_strategies import packets

from ciscocfg.tftp import (
    Ack,
    Data,
    Error,
    ErrorCode,
    MalformedPacket,
    Opcode,
    OptionAck,
    Packet,
    ReadRequest,
    WriteRequest,
    decode,
    encode,
)
from ciscocfg.tftp.packets import MAX_REQUEST, ack_bytes, parse_mode


@given(packets)
def test_round_trip(packet: Packet) -> None:
    wire = encode(packet)
    assert decode(wire) == packet
    assert encode(decode(wire)) == wire
    assert decode(bytearray(wire)) == packet
    assert decode(memoryview(wire)) == packet


@given(st.binary(max_size=600))
def test_arbitrary_bytes_raise_only_malformed_packet(raw: bytes) -> None:
    offset = None
    try:
        packet = decode(raw)
    except MalformedPacket as exc:
        offset = exc.offset
    else:
        assert packet.opcode in set(Opcode)
    assert offset is None or 0 <= offset <= max(len(raw), 4096)


@given(st.sampled_from([1, 2, 6]), st.binary(max_size=100))
def test_structured_garbage_raises_only_malformed_packet(opcode: int, body: bytes) -> None:
    wire = bytes([0, opcode]) + body
    try:
        packet = decode(wire)
    except MalformedPacket as exc:
        assert exc.offset <= len(wire)  # noqa: PT017 - checked for every example, not raised
    else:
        assert packet.opcode == opcode


# RFC 1350 / RFC 2347 layouts, written out byte by byte.
VECTORS: list[tuple[bytes, Packet]] = [
    (b"\x00\x01foo\x00octet\x00", ReadRequest("foo", "octet")),
    (b"\x00\x02foo\x00netascii\x00", WriteRequest("foo", "netascii")),
    (b"\x00\x03\x00\x01abc", Data(1, b"abc")),
    (b"\x00\x03\x00\x02", Data(2, b"")),
    (b"\x00\x04\x00\x00", Ack(0)),
    (b"\x00\x04\xff\xff", Ack(65535)),
    (b"\x00\x05\x00\x01File not found\x00", Error(ErrorCode.FILE_NOT_FOUND, "File not found")),
    # RFC 2347's example request: "foobar" in octet mode with blksize 1432 ...
    (
        b"\x00\x01foobar\x00octet\x00blksize\x001432\x00",
        ReadRequest("foobar", "octet", {"blksize": "1432"}),
    ),
    # ... and the OACK that answers it.
    (b"\x00\x06blksize\x001432\x00", OptionAck({"blksize": "1432"})),
    # RFC 2090: an empty option value is legal.
    (
        b"\x00\x01f\x00octet\x00multicast\x00\x00tsize\x000\x00",
        ReadRequest("f", "octet", {"multicast": "", "tsize": "0"}),
    ),
]


@pytest.mark.parametrize(("wire", "packet"), VECTORS)
def test_rfc_vectors(wire: bytes, packet: Packet) -> None:
    assert decode(wire) == packet
    assert encode(packet) == wire


def test_data_payload_is_a_view_not_a_copy() -> None:
    buffer = bytearray(b"\x00\x03\x00\x07hello")
    packet = decode(buffer)
    assert isinstance(packet, Data)
    assert isinstance(packet.payload, memoryview)
    buffer[4] = ord("j")
    assert bytes(packet.payload) == b"jello"


def test_memoryview_of_other_format_is_read_as_octets() -> None:
    words = array.array("H", [0x0300, 0x0100])  # little-endian host: bytes 00 03 00 01
    view = memoryview(words)
    packet = decode(view)
    assert packet == Data(int.from_bytes(bytes(view)[2:4], "big"), b"")


def test_error_in_a_memoryview_of_words() -> None:
    wire = encode(Error(2, "denied!"))  # 12 octets: 6 native 16-bit words
    view = memoryview(wire).cast("H")
    assert decode(view) == Error(2, "denied!")
    assert decode(memoryview(encode(ReadRequest("ab"))).cast("B")) == ReadRequest("ab")


def test_case_insensitive_mode_kept_as_spelled() -> None:
    packet = decode(b"\x00\x01SEP001122334455.cnf.xml\x00OcTeT\x00")
    assert isinstance(packet, ReadRequest)
    assert packet.mode == "OcTeT"
    assert parse_mode(packet.mode) == "octet"


@pytest.mark.parametrize(
    ("wire", "offset", "message"),
    [
        (b"", 0, "too short"),
        (b"\x00", 1, "too short"),
        (b"\x00\x04\x00", 3, "too short"),
        (b"\x00\x07\x00\x00", 0, "unknown opcode 7"),
        (b"\x00\x00\x00\x00", 0, "unknown opcode 0"),
        (b"\x00\x01foo\x00octet", 11, "not terminated"),
        (b"\x00\x01foo\x00", 6, "without a mode"),
        (b"\x00\x01foo\x00mail\x00", 6, "obsolete"),
        (b"\x00\x01foo\x00MAIL\x00", 6, "obsolete"),
        (b"\x00\x01foo\x00binary\x00", 6, "unknown transfer mode"),
        (b"\x00\x01foo\x00octet\x00blksize\x00", 12, "without a value"),
        (b"\x00\x01foo\x00octet\x00blksize\x008\x00BLKSIZE\x009\x00", 22, "given twice"),
        (b"\x00\x01f\x00octet\x00bl\xe9\x001\x00", 10, "not ASCII"),
        (b"\x00\x01f\x00octet\x00\x001\x00", 10, "empty option name"),
        (b"\x00\x06ab", 4, "not terminated"),
        (b"\x00\x06\x00\x00", 2, "empty option name"),
        (b"\x00\x06tsize\x00", 2, "without a value"),
    ],
)
def test_malformed_with_offset(wire: bytes, offset: int, message: str) -> None:
    with pytest.raises(MalformedPacket, match=message) as info:
        decode(wire)
    assert info.value.offset == offset


def test_error_message_without_nul_and_bare_error() -> None:
    assert decode(b"\x00\x05\x00\x02denied") == Error(2, "denied")
    assert decode(b"\x00\x05\x00\x00") == Error(0, "")
    # Private error codes survive.
    assert decode(b"\x00\x05\x12\x34x\x00") == Error(0x1234, "x")


def test_padded_ack_is_accepted() -> None:
    assert decode(b"\x00\x04\x00\x05\x00\x00") == Ack(5)


def test_request_size_limits() -> None:
    big = ReadRequest("a" * 600, "octet")
    with pytest.raises(ValueError, match="512"):
        encode(big)
    wire = b"\x00\x01" + b"a" * 600 + b"\x00octet\x00"
    assert decode(wire) == big
    with pytest.raises(MalformedPacket, match="longer than 512"):
        decode(wire, max_request=MAX_REQUEST)
    exact = ReadRequest("a" * (MAX_REQUEST - 2 - 1 - 6), "octet")
    assert len(encode(exact)) == MAX_REQUEST


@pytest.mark.parametrize(
    "packet",
    [
        ReadRequest("", "octet"),
        ReadRequest("a\0b", "octet"),
        ReadRequest("a", "mail"),
        WriteRequest("a", "ebcdic"),
        ReadRequest("a", "octet", {"": "1"}),
        ReadRequest("a", "octet", {"blksize": "1", "BLKSIZE": "2"}),
        ReadRequest("a", "octet", {"blksizé": "1"}),
        OptionAck({}),
        Data(65536, b""),
        Ack(-1),
        Error(70000, "x"),
        Error(0, "a\0"),
    ],
)
def test_encode_is_strict(packet: Packet) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        encode(packet)


def test_encode_rejects_non_packets() -> None:
    with pytest.raises(TypeError):
        encode("ACK 1")  # type: ignore[arg-type]


def test_filename_bytes_survive() -> None:
    wire = b"\x00\x01caf\xc3\xa9/\xff\xfe.bin\x00octet\x00"
    packet = decode(wire)
    assert isinstance(packet, ReadRequest)
    assert packet.filename.startswith("café/")
    assert encode(packet) == wire


def test_ack_bytes_cache() -> None:
    assert ack_bytes(513) == b"\x00\x04\x02\x01"
    assert ack_bytes(513) is ack_bytes(513)
    assert decode(ack_bytes(9)) is decode(ack_bytes(9))


def test_packets_are_frozen() -> None:
    ack = Ack(1)
    with pytest.raises(AttributeError):
        ack.block = 2  # type: ignore[misc]
    assert Data(1, b"a") == Data(1, memoryview(b"a"))
    assert hash(ReadRequest("a")) == hash(ReadRequest("a", options={"x": "1"}))

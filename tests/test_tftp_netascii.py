"""Netascii translation, independent of how the stream is chunked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg.tftp import NetasciiDecoder, NetasciiEncoder, encoded_size

_text = st.binary(max_size=200).map(lambda raw: raw.translate(None, b"\x01\x02"))
_crlf_heavy = st.lists(st.sampled_from([b"\r", b"\n", b"\0", b"a", b"\r\n"]), max_size=60).map(
    b"".join
)


def _chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts})
    out, start = [], 0
    for point in points:
        out.append(data[start:point])
        start = point
    out.append(data[start:])
    return out


def _decode(chunks: list[bytes]) -> bytes:
    decoder = NetasciiDecoder()
    return b"".join(decoder.feed(c) for c in chunks) + decoder.flush()


def _encode(chunks: list[bytes]) -> bytes:
    encoder = NetasciiEncoder()
    return b"".join(encoder.feed(c) for c in chunks) + encoder.flush()


@given(st.one_of(_text, _crlf_heavy), st.lists(st.integers(0, 200), max_size=8))
def test_round_trip_any_chunking(local: bytes, cuts: list[int]) -> None:
    wire = _encode(_chunks(local, cuts))
    assert wire == NetasciiEncoder().feed(local)
    assert len(wire) == encoded_size(_chunks(local, cuts))
    assert _decode(_chunks(wire, cuts)) == local


@given(st.one_of(_text, _crlf_heavy), st.lists(st.integers(0, 200), max_size=8))
def test_decoder_output_independent_of_chunking(wire: bytes, cuts: list[int]) -> None:
    assert _decode(_chunks(wire, cuts)) == _decode([wire])


@given(_crlf_heavy)
def test_byte_at_a_time(wire: bytes) -> None:
    assert _decode([wire[i : i + 1] for i in range(len(wire))]) == _decode([wire])


@pytest.mark.parametrize(
    ("local", "wire"),
    [
        (b"a\nb", b"a\r\nb"),
        (b"a\rb", b"a\r\0b"),
        (b"a\r\nb", b"a\r\0\r\nb"),
        (b"\n\n", b"\r\n\r\n"),
    ],
)
def test_vectors(local: bytes, wire: bytes) -> None:
    assert NetasciiEncoder().feed(local) == wire
    assert _decode([wire]) == local


def test_cr_at_block_boundary() -> None:
    # Spec §1.6: with blksize 4, "abc CR | LF d" arrives as two blocks.
    decoder = NetasciiDecoder()
    assert decoder.feed(b"abc\r") == b"abc"
    assert decoder.feed(b"\nd") == b"\nd"
    assert decoder.feed(b"x\r") == b"x"
    assert decoder.feed(b"\0y") == b"\ry"
    assert decoder.flush() == b""


def test_dangling_and_stray_cr_policy() -> None:
    decoder = NetasciiDecoder()
    assert decoder.feed(b"a\rb") == b"a\rb"  # CR + other byte: kept
    assert decoder.feed(b"end\r") == b"end"
    assert decoder.flush() == b"\r"  # CR ending the transfer: kept
    assert NetasciiEncoder().flush() == b""

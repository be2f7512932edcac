"""``.raw`` ring audio: G.711 µ-law reference values, validation, WAV conversion."""

from __future__ import annotations

import io
import itertools
import math
import struct
import wave

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg import ParseError, ringtone
from ciscocfg.ringtone import from_wav, linear_to_ulaw, ulaw_to_linear

# G.711 µ-law decoding, codes 0x00-0x0F and 0x70-0x7F (16-bit scale); the positive codes mirror
# them (0x80 -> 32124, 0xFF -> 0).
FIRST_ROW = [-32124, -31100, -30076, -29052, -28028, -27004, -25980, -24956,
             -23932, -22908, -21884, -20860, -19836, -18812, -17788, -16764]  # fmt: skip
LAST_ROW = [-120, -112, -104, -96, -88, -80, -72, -64, -56, -48, -40, -32, -24, -16, -8, 0]


def test_decode_reference_rows() -> None:
    assert [ulaw_to_linear(c) for c in range(0x10)] == FIRST_ROW
    assert [ulaw_to_linear(c) for c in range(0x70, 0x80)] == LAST_ROW
    assert [ulaw_to_linear(c) for c in range(0x80, 0x90)] == [-v for v in FIRST_ROW]
    assert ulaw_to_linear(0xFF) == 0
    # Segment boundaries in the middle of the table.
    assert (ulaw_to_linear(0x3F), ulaw_to_linear(0x40), ulaw_to_linear(0x5F)) == (
        -1980,
        -1884,
        -396,
    )


@pytest.mark.parametrize(
    ("sample", "code"),
    [
        (0, 0xFF),
        (-1, 0x7F),
        (32767, 0x80),
        (-32768, 0x00),
        (32124, 0x80),
        (-32124, 0x00),
        (8, 0xFE),
        (-9, 0x7E),
        (1000, 0xCE),
        (-1000, 0x4E),
    ],
)
def test_encode_reference_pairs(sample: int, code: int) -> None:
    assert linear_to_ulaw(sample) == code


def test_encode_inverts_decode() -> None:
    for code in range(256):
        expected = 0xFF if code == 0x7F else code  # both zero codes encode back to 0xFF
        assert linear_to_ulaw(ulaw_to_linear(code)) == expected


@given(st.integers(-32768, 32767))
def test_encoding_is_the_nearest_level(sample: int) -> None:
    code = linear_to_ulaw(sample)
    decoded = ulaw_to_linear(code)
    # Same sign, and the quantisation error stays within half a step of that segment.
    step = 8 << ((~code >> 4) & 7)
    assert abs(decoded - sample) <= step
    assert (decoded >= 0) == (sample >= 0) or decoded == 0


@given(st.integers(-32767, 32766))
def test_encoding_is_monotonic(sample: int) -> None:
    assert ulaw_to_linear(linear_to_ulaw(sample)) <= ulaw_to_linear(linear_to_ulaw(sample + 1))


# --- validation --------------------------------------------------------------------------------


def _tone(n: int) -> bytes:
    body = bytes(linear_to_ulaw(round(8000 * math.sin(i / 5))) for i in range(n))
    return b"\xff" + body[1:-1] + b"\xff"


def test_valid_sizes() -> None:
    for n in (240, 8160, 16080):
        assert ringtone.validate(_tone(n)) == []


def test_sizes_out_of_bounds() -> None:
    assert [d.code for d in ringtone.validate(b"")] == ["RT100"]
    assert [d.code for d in ringtone.validate(_tone(120))] == ["RT101", "RT103"]
    assert [d.code for d in ringtone.validate(_tone(16320))] == ["RT102"]
    # CTU24.pcm is 12700 bytes: valid length, but not a multiple of 240.
    [diag] = ringtone.validate(_tone(12700), source="CTU24.pcm")
    assert (diag.code, diag.severity) == ("RT103", "warning")
    assert "12480 or 12720" in diag.message


def test_clicks_and_headers() -> None:
    loud = bytes([0x80]) + _tone(480)[1:-1] + bytes([0x00])
    assert [d.code for d in ringtone.validate(loud)] == ["RT104", "RT105"]
    assert "RT106" in {d.code for d in ringtone.validate(b"RIFF" + _tone(480)[4:])}
    assert [d.code for d in ringtone.validate(b"\xff" * 480)] == ["RT107"]


@given(st.binary(max_size=20000))
def test_validate_never_raises(data: bytes) -> None:
    for diag in ringtone.validate(data):
        assert diag.code.startswith("RT")


# --- WAV conversion ----------------------------------------------------------------------------


def _pcm_wav(rate: int, width: int, channels: int, seconds: float) -> bytes:
    frames = int(rate * seconds)
    limit = (1 << (8 * width - 1)) - 1
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        out = bytearray()
        for i in range(frames):
            value = round(0.5 * limit * math.sin(2 * math.pi * 440 * i / rate))
            for _ in range(channels):
                if width == 1:
                    out.append(value + 128)
                else:
                    out += value.to_bytes(width, "little", signed=True)
        w.writeframes(bytes(out))
    return buf.getvalue()


def _float_wav(rate: int, channels: int, seconds: float, *, extensible: bool = False) -> bytes:
    frames = int(rate * seconds)
    samples = [0.5 * math.sin(2 * math.pi * 440 * i / rate) for i in range(frames)]
    data = b"".join(struct.pack("<f", s) * channels for s in samples)
    block = 4 * channels
    if extensible:
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, channels, rate, rate * block, block, 32, 22, 32, 0)
        fmt += struct.pack("<H", 3) + bytes(14)
    else:
        fmt = struct.pack("<HHIIHH", 3, channels, rate, rate * block, block, 32)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt
    chunks += b"LIST" + struct.pack("<I", 3) + b"abc\x00"  # odd-sized chunk, padded
    chunks += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def _level(raw: bytes) -> float:
    values = [ulaw_to_linear(b) for b in raw]
    return math.sqrt(sum(v * v for v in values) / len(values))


@pytest.mark.parametrize(
    ("rate", "width", "channels", "seconds", "expected_size"),
    [
        (8000, 2, 1, 1.0, 8160),
        (44100, 2, 2, 3.0, 16080),
        (48000, 3, 1, 0.5, 4080),
        (22050, 1, 1, 1.0, 8160),
        (16000, 4, 2, 0.01, 240),
        (11025, 2, 1, 0.75, 6000),
    ],
)
def test_pcm_wav_converts_to_valid_audio(
    rate: int, width: int, channels: int, seconds: float, expected_size: int
) -> None:
    raw = from_wav(_pcm_wav(rate, width, channels, seconds))
    assert len(raw) == expected_size
    assert ringtone.validate(raw) == []
    # A half-scale sine has an RMS level near 0.35 of full scale; the conversion keeps it.
    if seconds >= 0.5:
        assert 0.25 * 32124 < _level(raw[:8000]) < 0.45 * 32124


@pytest.mark.parametrize("extensible", [False, True])
def test_float_wav_converts(extensible: bool) -> None:
    raw = from_wav(_float_wav(32000, 2, 1.0, extensible=extensible))
    assert len(raw) == 8160
    assert ringtone.validate(raw) == []


def test_resampling_keeps_the_pitch() -> None:
    raw = from_wav(_pcm_wav(44100, 2, 1, 1.0))
    values = [ulaw_to_linear(b) for b in raw[1000:5000]]
    crossings = sum(1 for a, b in itertools.pairwise(values) if a < 0 <= b)
    # 4000 samples at 8 kHz are half a second: a 440 Hz tone crosses upwards 220 times.
    assert 215 <= crossings <= 225


def test_ulaw_and_alaw_wav() -> None:
    body = bytes(linear_to_ulaw(round(6000 * math.sin(i / 3))) for i in range(4000))
    fmt = struct.pack("<HHIIHH", 7, 1, 8000, 8000, 1, 8)
    chunks = b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 0) + body
    wav = b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks
    raw = from_wav(wav)
    assert len(raw) == 4080
    # Same rate and coding: the samples pass through (0x7F and 0xFF are both zero).
    assert [ulaw_to_linear(b) for b in raw[100:3900]] == [ulaw_to_linear(b) for b in body[100:3900]]
    alaw = wav.replace(struct.pack("<HH", 7, 1), struct.pack("<HH", 6, 1), 1)
    assert ringtone.validate(from_wav(alaw)) == []


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"RIFF\x00\x00\x00\x00WAVE",
        b"RIFF\x00\x00\x00\x00WAVEdata\x00\x00\x00\x00",
        b"not a wave file at all",
        b"RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00" + bytes(16) + b"data\x04\x00\x00\x00abcd",
    ],
)
def test_bad_wav_raises_parse_error(bad: bytes) -> None:
    with pytest.raises(ParseError):
        from_wav(bad)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_raise_only_parse_error(data: bytes) -> None:
    wav = b"RIFF" + struct.pack("<I", len(data) + 4) + b"WAVE" + data
    for candidate in (data, wav):
        error: ParseError | None = None
        try:
            raw = from_wav(candidate)
        except ParseError as err:
            error = err
        if error is None:
            assert ringtone.validate(raw) == [] or all(
                d.code in {"RT107"} for d in ringtone.validate(raw)
            )

"""``.raw`` ring audio: check it, and make it from a WAV file (standard library only).

Cisco's rules for a ring file: headerless 8 kHz, 8-bit µ-law, mono; at least 240 and at most
16080 samples (about two seconds), a multiple of 240; starting and ending at a zero crossing.
One sample is one byte, so the rules are rules on the file size.

:func:`from_wav` reads any common WAV (8/16/24/32-bit integer PCM, 32/64-bit float, µ-law,
A-law; any channel count and rate) with its own RIFF reader — ``audioop`` is gone from recent
Pythons and ``wave`` reads integer PCM only — mixes down to mono, resamples to 8 kHz (an averaging
low-pass when the source rate is higher, linear interpolation when it is lower), fades the ends
in and out, trims or pads to the rules and encodes G.711 µ-law.
"""

from __future__ import annotations

import array
import math
import struct
import sys

from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._errors import ParseError

__all__ = [
    "BLOCK",
    "MAX_SAMPLES",
    "MIN_SAMPLES",
    "RATE",
    "convert",
    "from_wav",
    "linear_to_ulaw",
    "ulaw_to_linear",
    "validate",
    "wav_seconds",
]

RATE = 8000
BLOCK = 240
MIN_SAMPLES = 240
MAX_SAMPLES = 16080
#: Samples faded in and out at each end (10 ms) so the file starts and ends at silence.
FADE = 80

_BIAS = 33  # the G.711 µ-law bias in the 14-bit domain (132 in 16-bit samples)


def linear_to_ulaw(sample: int) -> int:
    """Encode one signed 16-bit sample as a G.711 µ-law byte (ITU-T G.191 reference method)."""
    # Negative values use the one's complement, as the reference encoder does, so that -1
    # (like 0) encodes to a code for silence.
    magnitude = ((~sample) >> 2) if sample < 0 else (sample >> 2)
    magnitude = min(magnitude + _BIAS, 0x1FFF)
    segment = (magnitude >> 6).bit_length() + 1
    low = 0x0F - ((magnitude >> segment) & 0x0F)
    code = ((8 - segment) << 4) | low
    return code | 0x80 if sample >= 0 else code


def ulaw_to_linear(code: int) -> int:
    """Decode one G.711 µ-law byte to a signed 16-bit sample (0xFF and 0x7F are both 0)."""
    inverted = ~code & 0xFF
    exponent = (inverted >> 4) & 0x07
    mantissa = inverted & 0x0F
    step = 4 << (exponent + 1)
    magnitude = (0x80 << exponent) + step * mantissa + step // 2 - 4 * _BIAS
    return -magnitude if code < 0x80 else magnitude


def _alaw_to_linear(code: int) -> int:
    value = (code ^ 0x55) & 0x7F
    exponent = value >> 4
    mantissa = value & 0x0F
    if exponent > 0:
        mantissa += 16
    mantissa = (mantissa << 4) + 8
    if exponent > 1:
        mantissa <<= exponent - 1
    return mantissa if code > 127 else -mantissa


_ULAW_TABLE = [ulaw_to_linear(c) for c in range(256)]
_ALAW_TABLE = [_alaw_to_linear(c) for c in range(256)]


def _near_silence(code: int) -> bool:
    # The lowest µ-law segment: |sample| <= 120 of 32124.
    return (code & 0x70) == 0x70


def validate(data: bytes, *, source: str | None = None) -> list[Diagnostic]:
    """Check ``.raw`` ring audio against Cisco's rules; ``source`` is the file name the findings
    carry.

    Codes: ``RT100`` empty; ``RT101`` shorter than 240 samples; ``RT102`` longer than 16080
    samples; ``RT103`` size not a multiple of 240; ``RT104`` does not start near silence;
    ``RT105`` does not end near silence; ``RT106`` a file header (WAV, AU) where raw samples
    belong; ``RT107`` the whole file is silence.
    """
    found = Findings(source)
    size = len(data)
    if size == 0:
        found.add("RT100", "error", "empty ring file")
        return found.items
    if data[:4] in (b"RIFF", b"RIFX", b"RF64", b".snd"):
        found.add(
            "RT106",
            "error",
            "the file has an audio header (WAV/AU); the phone plays raw µ-law samples "
            "only: convert it with 'ciscocfg ringtone'",
        )
    if size < MIN_SAMPLES:
        found.add("RT101", "error", f"{size} bytes: fewer than {MIN_SAMPLES} samples")
    elif size > MAX_SAMPLES:
        found.add(
            "RT102",
            "error",
            f"{size} bytes: more than {MAX_SAMPLES} samples ({MAX_SAMPLES / RATE:.2f} s)",
        )
    if size % BLOCK:
        lower, upper = size // BLOCK * BLOCK, (size // BLOCK + 1) * BLOCK
        found.add(
            "RT103",
            "warning",
            f"{size} bytes is not a multiple of {BLOCK} (nearest: {lower} or {upper})",
        )
    if not _near_silence(data[0]):
        found.add(
            "RT104",
            "warning",
            f"starts at sample {ulaw_to_linear(data[0])}, not near silence (a click)",
        )
    if not _near_silence(data[-1]):
        found.add(
            "RT105",
            "warning",
            f"ends at sample {ulaw_to_linear(data[-1])}, not near silence (a click)",
        )
    if all(_near_silence(b) for b in data):
        found.add("RT107", "info", "the ring is silent")
    return found.items  # in the order the checks run: the file has no lines


# --- WAV reading ---------------------------------------------------------------------------------

_PCM, _FLOAT, _ALAW, _ULAW, _EXTENSIBLE = 1, 3, 6, 7, 0xFFFE


def _chunks(data: bytes) -> dict[bytes, tuple[int, int]]:
    """Chunk id -> (start, end) of its body; the first chunk of each id wins."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ParseError("not a WAV file (no RIFF/WAVE header)", offset=0)
    found: dict[bytes, tuple[int, int]] = {}
    pos = 12
    while pos + 8 <= len(data):
        cid = data[pos : pos + 4]
        (size,) = struct.unpack_from("<I", data, pos + 4)
        start = pos + 8
        # Streaming writers leave 0 or 0xFFFFFFFF in the data size: take the rest of the file.
        end = len(data) if (cid == b"data" and size in (0, 0xFFFFFFFF)) else start + size
        end = min(end, len(data))
        found.setdefault(cid, (start, end))
        pos = start + size + (size & 1)
    return found


def _samples(data: bytes, limit_frames: int) -> tuple[list[float], int]:
    """Mono samples in [-1, 1] (at most ``limit_frames``) and the sample rate."""
    chunks = _chunks(data)
    if b"fmt " not in chunks:
        raise ParseError("WAV file without a 'fmt ' chunk", offset=12)
    if b"data" not in chunks:
        raise ParseError("WAV file without a 'data' chunk", offset=12)
    fstart, fend = chunks[b"fmt "]
    if fend - fstart < 16:
        raise ParseError("'fmt ' chunk too short", offset=fstart)
    tag, channels, rate, _, block_align, bits = struct.unpack_from("<HHIIHH", data, fstart)
    if tag == _EXTENSIBLE:
        if fend - fstart < 26:
            raise ParseError("extensible 'fmt ' chunk too short", offset=fstart)
        (tag,) = struct.unpack_from("<H", data, fstart + 24)
    if channels == 0 or rate == 0 or block_align == 0 or block_align % channels:
        raise ParseError(
            f"unusable format: {channels} channels, {rate} Hz, block of {block_align} bytes",
            offset=fstart,
        )
    width = block_align // channels
    dstart, dend = chunks[b"data"]
    frames = min((dend - dstart) // block_align, limit_frames)
    body = data[dstart : dstart + frames * block_align]
    count = frames * channels
    values: list[float]
    if tag == _PCM and width == 1:
        values = [(b - 128) / 128.0 for b in body]
    elif tag == _PCM and width == 2:
        values = [v / 32768.0 for v in _typed("h", body)]
    elif tag == _PCM and width == 3:
        values = [
            int.from_bytes(body[i : i + 3], "little", signed=True) / 8388608.0
            for i in range(0, count * 3, 3)
        ]
    elif tag == _PCM and width == 4:
        values = [v / 2147483648.0 for v in _typed("i", body)]
    elif tag == _FLOAT and width in (4, 8):
        values = [
            0.0 if math.isnan(v) else max(-1.0, min(1.0, v))
            for v in _typed("f" if width == 4 else "d", body)
        ]
    elif tag == _ULAW and width == 1:
        values = [_ULAW_TABLE[b] / 32768.0 for b in body]
    elif tag == _ALAW and width == 1:
        values = [_ALAW_TABLE[b] / 32768.0 for b in body]
    else:
        raise ParseError(
            f"unsupported WAV encoding: format tag {tag:#x}, {bits} bits in {width} bytes",
            offset=fstart,
        )
    if channels == 1:
        return values, rate
    mono = [sum(values[i : i + channels]) / channels for i in range(0, len(values), channels)]
    return mono, rate


def _typed(code: str, body: bytes) -> array.array[int] | array.array[float]:
    values: array.array[int] | array.array[float] = array.array(code)
    values.frombytes(body[: len(body) - len(body) % values.itemsize])
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _resample(samples: list[float], rate: int) -> list[float]:
    if rate == RATE or not samples:
        return list(samples)
    ratio = rate / RATE
    count = int(len(samples) / ratio)
    n = len(samples)
    if ratio > 1:
        # Average the source samples around each output instant: a box low-pass as wide as
        # one output sample, enough to keep most aliasing out of a two-second ring.
        prefix = [0.0]
        total = 0.0
        for s in samples:
            total += s
            prefix.append(total)
        half = ratio / 2
        out = []
        for k in range(count):
            centre = k * ratio
            lo = max(0, round(centre - half))
            hi = min(n, max(lo + 1, round(centre + half)))
            out.append((prefix[hi] - prefix[lo]) / (hi - lo))
        return out
    out = []
    for k in range(count):
        x = k * ratio
        i = int(x)
        frac = x - i
        nxt = samples[i + 1] if i + 1 < n else samples[i]
        out.append(samples[i] * (1 - frac) + nxt * frac)
    return out


def from_wav(data: bytes, *, source: str | None = None) -> bytes:
    """Convert a WAV file to ``.raw`` ring audio that passes :func:`validate`.

    Longer input is cut at 16080 samples; the length is padded with silence to a multiple of
    240 (at least 240); both ends are faded so the file starts and ends at silence. Raises
    :class:`~ciscocfg.ParseError` (naming ``source``) for data that is not a WAV file this
    reader understands. :func:`convert` also says what was cut.
    """
    try:
        return _from_wav(data)
    except ParseError as exc:
        if source is None or exc.source is not None:
            raise
        raise ParseError(exc.message, offset=exc.offset, source=source) from None


def convert(data: bytes, *, source: str | None = None) -> tuple[bytes, list[Diagnostic]]:
    """:func:`from_wav`, and what the conversion did that a person should know: ``RT201``
    (information) when the sound was longer than the phone plays and was cut."""
    raw = from_wav(data, source=source)
    notes: list[Diagnostic] = []
    seconds = wav_seconds(data)
    if seconds is not None and seconds * RATE > MAX_SAMPLES + 0.5:
        notes.append(
            Diagnostic(
                "RT201",
                "info",
                f"the sound lasts {seconds:.2f} s; a ring plays at most {MAX_SAMPLES} samples "
                f"({MAX_SAMPLES / RATE:.2f} s): cut after {MAX_SAMPLES / RATE:.2f} s",
                source=source,
            )
        )
    return raw, notes


def wav_seconds(data: bytes) -> float | None:
    """How long the sound of a WAV file lasts, by its header; ``None`` when it does not say."""
    try:
        chunks = _chunks(data)
    except ParseError:
        return None
    if b"fmt " not in chunks or b"data" not in chunks:
        return None
    fstart, fend = chunks[b"fmt "]
    if fend - fstart < 16:
        return None
    header: tuple[int, ...] = struct.unpack_from("<HHIIHH", data, fstart)
    rate, block_align = header[2], header[4]
    if not rate or not block_align:
        return None
    dstart, dend = chunks[b"data"]
    return (dend - dstart) // block_align / rate


def _from_wav(data: bytes) -> bytes:
    # Read only what two seconds of output need (plus one source sample for interpolation).
    probe_rate = _rate_hint(data)
    limit = math.ceil((MAX_SAMPLES + 1) * probe_rate / RATE) + 2
    samples, rate = _samples(data, limit)
    mono = _resample(samples, rate)[:MAX_SAMPLES]
    length = len(mono)
    fade = min(FADE, length // 2)
    for i in range(fade):
        gain = i / fade
        mono[i] *= gain
        mono[length - 1 - i] *= gain
    target = max(MIN_SAMPLES, -(-length // BLOCK) * BLOCK)
    mono.extend([0.0] * (target - length))
    return bytes(linear_to_ulaw(max(-32768, min(32767, round(s * 32767)))) for s in mono)


def _rate_hint(data: bytes) -> int:
    chunks = _chunks(data)
    start, end = chunks.get(b"fmt ", (0, 0))
    if end - start >= 8:
        (rate,) = struct.unpack_from("<I", data, start + 4)
        return max(1, int(rate))
    return RATE

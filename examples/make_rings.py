"""Write the two ring tones of the example tree: ``tftproot/LowBell.raw`` and ``tftproot/Chirp.raw``.

A 79x0 phone plays ``.raw`` ring files as they are: no header, 8000 samples a second, one byte
per sample, G.711 µ-law, mono. Cisco asks for 240 to 16080 samples, a multiple of 240, starting
and ending at a zero crossing; so each tone here is built from 30 ms blocks (240 samples),
fades in and out, and is framed by a block of silence (µ-law 0xFF is the zero sample).

Standard library only; the output is the same on every run::

    python3 examples/make_rings.py
"""

from __future__ import annotations

import math
from pathlib import Path

RATE = 8000  # samples per second
BLOCK = 240  # samples; ring files are a whole number of these
SILENCE = 0xFF  # µ-law code of the zero sample
FADE = 80  # samples (10 ms) of fade in and fade out, so that no burst starts with a click

_BIAS = 0x84  # G.711 µ-law bias added before the segment search
_CLIP = 32635  # largest magnitude that survives the bias without overflow


def mulaw(sample: int) -> int:
    """Encode one signed 16-bit linear sample as a G.711 µ-law byte."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), _CLIP) + _BIAS
    exponent = magnitude.bit_length() - 8  # segment 0 holds magnitudes below 256
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def burst(frequencies: tuple[float, ...], blocks: int, level: float = 0.5) -> bytes:
    """``blocks`` × 30 ms of the sum of ``frequencies``, faded in and out."""
    count = blocks * BLOCK
    out = bytearray()
    for n in range(count):
        envelope = min(1.0, n / FADE, (count - 1 - n) / FADE)
        value = sum(math.sin(2 * math.pi * f * n / RATE) for f in frequencies) / len(frequencies)
        out.append(mulaw(round(value * envelope * level * 32767)))
    return bytes(out)


def pause(blocks: int) -> bytes:
    return bytes([SILENCE]) * (blocks * BLOCK)


def low_bell() -> bytes:
    """A two-tone bell (440 Hz + 480 Hz): 0.9 s of tone, twice, with a 0.3 s gap. 1.98 s."""
    tone = burst((440.0, 480.0), 30)
    return pause(1) + tone + pause(3) + tone + pause(2)


def chirp() -> bytes:
    """Three short 1400 Hz chirps of 0.12 s, 0.09 s apart. 0.72 s."""
    beep = burst((1400.0,), 4)
    return pause(1) + beep + pause(3) + beep + pause(3) + beep + pause(5)


RINGS = {"LowBell.raw": low_bell, "Chirp.raw": chirp}


def main() -> None:
    root = Path(__file__).resolve().parent / "tftproot"
    for name, make in RINGS.items():
        data = make()
        assert len(data) % BLOCK == 0 and BLOCK <= len(data) <= 16080, (name, len(data))
        (root / name).write_bytes(data)
        print(f"{root / name}: {len(data)} bytes, {len(data) / RATE:.2f} s")


if __name__ == "__main__":
    main()

"""Block numbers: absolute counters inside, 16-bit numbers on the wire.

RFC 1350 numbers blocks with 16 bits and says nothing about what follows block 65535. Most
implementations wrap to 0; tftp-hpa and others wrap to 1 when the (non-standard) ``rollover``
option asks for it. The engines keep unbounded absolute block numbers and convert at the edge:

* :data:`WRAP_TO_ZERO` (default): the wire number is the absolute number modulo 65536;
* :data:`WRAP_TO_ONE`: after 65535 comes 1; 0 only ever means "the request" (ACK 0).

:func:`from_wire` picks the absolute number closest to a reference (the expected block or the
window base). That is unambiguous while the distance stays under half the number space, which
is why a running window is capped at :data:`MAX_RUNNING_WINDOW` blocks.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MAX_RUNNING_WINDOW",
    "WRAP_TO_ONE",
    "WRAP_TO_ZERO",
    "from_wire",
    "to_wire",
]

#: ``rollover`` value: block 65536 goes on the wire as 0.
WRAP_TO_ZERO: Final = 0
#: ``rollover`` value: block 65536 goes on the wire as 1 (0 is skipped).
WRAP_TO_ONE: Final = 1
#: Largest window the engines run, whatever was negotiated: keeps wire numbers unambiguous.
MAX_RUNNING_WINDOW: Final = 32767

_HALF_ZERO: Final = 32768
_HALF_ONE: Final = 32767


def to_wire(absolute: int, rollover: int = WRAP_TO_ZERO) -> int:
    """The 16-bit wire number of an absolute block number (``absolute >= 0``)."""
    if rollover == WRAP_TO_ZERO or absolute == 0:
        return absolute & 0xFFFF
    return (absolute - 1) % 0xFFFF + 1


def from_wire(wire: int, near: int, rollover: int = WRAP_TO_ZERO) -> int:
    """The absolute block number closest to ``near`` that goes on the wire as ``wire``.

    Exact while the true block is within 32767 of ``near``. With :data:`WRAP_TO_ONE` a wire 0
    can only be the absolute block 0, so it maps to 0 near the start and to -1 ("no such
    block") anywhere else.
    """
    if rollover == WRAP_TO_ZERO:
        return near + ((wire - near + _HALF_ZERO) & 0xFFFF) - _HALF_ZERO
    if wire == 0:
        return 0 if near <= _HALF_ONE else -1
    # Blocks 1, 2, ... map onto 0..65534 with period 65535.
    base = near - 1 if near > 0 else 0
    return base + 1 + (wire - 1 - base + _HALF_ONE) % 0xFFFF - _HALF_ONE

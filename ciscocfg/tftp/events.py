"""What the engines tell the application: immutable events, drained with ``events()``.

Protocol outcomes are events, never exceptions: an ERROR from the peer, a timeout or a peer that
breaks the protocol all end in :class:`TransferFailed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

from ciscocfg.tftp.options import Negotiated

__all__ = [
    "DataReceived",
    "Event",
    "NeedData",
    "OptionsNegotiated",
    "Progress",
    "TransferComplete",
    "TransferFailed",
    "TransferStats",
]

#: A transport address as the socket layer gives it: ``(host, port[, flowinfo, scope_id])``.
Address: TypeAlias = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class TransferStats:
    """A snapshot of one transfer, for logs and metrics.

    ``bytes`` counts payload octets acknowledged (sending side) or received in order (receiving
    side); ``started``/``finished`` are the ``now`` values the caller passed.
    """

    filename: str
    peer: Address | None
    bytes: int
    blocks: int
    retransmits: int
    started: float
    finished: float | None
    options: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def duration(self) -> float | None:
        """Seconds from start to end, ``None`` while the transfer runs."""
        return None if self.finished is None else self.finished - self.started


@dataclass(frozen=True, slots=True)
class NeedData:
    """A sending engine wants up to ``max_bytes`` more octets: answer with ``supply``.

    Any amount is fine (the engine slices blocks); ``supply_eof`` marks the end of the source.
    The engine never asks for more than its window can hold, so a slow source throttles the
    transfer by itself.
    """

    max_bytes: int


@dataclass(frozen=True, slots=True)
class DataReceived:
    """In-order payload at byte ``offset``; ``final`` marks the last block of the transfer.

    ``payload`` may be a view into the datagram the caller passed: copy it if that buffer is
    reused.
    """

    offset: int
    payload: bytes | memoryview
    final: bool


@dataclass(frozen=True, slots=True)
class OptionsNegotiated:
    """Options are settled: ``options_sent`` is the OACK sent (server) or received (client),
    empty when the transfer runs with RFC 1350 defaults."""

    negotiated: Negotiated
    options_sent: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def options(self) -> dict[str, str]:
        """Alias of ``options_sent``."""
        return self.options_sent


@dataclass(frozen=True, slots=True)
class Progress:
    """Octets moved so far, and the total when known (tsize); at most once per window."""

    bytes: int
    total: int | None


@dataclass(frozen=True, slots=True)
class TransferComplete:
    """Every octet was delivered (receiving side) or acknowledged (sending side)."""

    stats: TransferStats


@dataclass(frozen=True, slots=True)
class TransferFailed:
    """The transfer ended without completing.

    ``code``/``message`` are the ERROR received (``by_peer=True``) or sent/implied (``False``);
    ``reason`` is one of ``"error"`` (the peer sent ERROR), ``"timeout"``, ``"protocol"`` (the
    peer broke the protocol), ``"negotiation"`` (options refused), ``"rejected"`` (the server
    application refused the request) or ``"aborted"`` (local abort).
    """

    code: int
    message: str
    by_peer: bool
    reason: str


#: Any event an engine hands to the application.
Event: TypeAlias = (
    NeedData | DataReceived | OptionsNegotiated | Progress | TransferComplete | TransferFailed
)

"""Option negotiation (RFC 2347, 2348, 2349, 7440, plus ``rollover``) as pure functions.

The server side is :func:`negotiate`: from the options a request carried and a
:class:`ServerPolicy`, it returns what goes into the OACK (never an option the client did not ask
for, values spelled as the client spelled the names) and the :class:`Negotiated` values both
sides then run with. The client side is :func:`accept_oack`: it checks an OACK against what was
asked and raises :class:`OptionsRejected` (ERROR 8) for anything RFC 2347 forbids.

Option names are case-insensitive; invalid values of a known option make the server ignore that
option (one of the three legal ways RFC 2347 allows), unknown options are simply left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from ciscocfg._errors import RemoteProtocolError, ValidationError
from ciscocfg.tftp.blocks import MAX_RUNNING_WINDOW, WRAP_TO_ONE, WRAP_TO_ZERO
from ciscocfg.tftp.packets import DEFAULT_BLOCK_SIZE, ErrorCode

__all__ = [
    "BLKSIZE_MAX",
    "BLKSIZE_MIN",
    "DEFAULT_MAX_STALL",
    "DEFAULT_TIMEOUT",
    "MAX_RUNNING_WINDOW",
    "TIMEOUT_MAX",
    "TIMEOUT_MIN",
    "WINDOWSIZE_MAX",
    "WINDOWSIZE_MIN",
    "Negotiated",
    "OptionsRejected",
    "RequestedOptions",
    "RetryPolicy",
    "ServerPolicy",
    "accept_oack",
    "negotiate",
    "parse_options",
    "window_bytes",
]

#: RFC 2348: block sizes from 8 to 65464 octets (65464 + 4 + 8 + 20 + ... fits an IPv4 datagram).
BLKSIZE_MIN: Final = 8
BLKSIZE_MAX: Final = 65464
#: RFC 2349: timeout in whole seconds, 1 to 255, echoed unchanged.
TIMEOUT_MIN: Final = 1
TIMEOUT_MAX: Final = 255
#: RFC 7440: window of 1 to 65535 blocks (the engines run at most MAX_RUNNING_WINDOW).
WINDOWSIZE_MIN: Final = 1
WINDOWSIZE_MAX: Final = 65535
#: Retransmission timeout before any option says otherwise (seconds).
DEFAULT_TIMEOUT: Final = 1.0
#: How long a server engine waits for a peer that makes no progress before it gives up
#: (seconds), whatever timeout the peer asked for: see :class:`ServerPolicy`.
DEFAULT_MAX_STALL: Final = 30.0

_KNOWN: Final = frozenset({"blksize", "timeout", "tsize", "windowsize", "rollover"})


class OptionsRejected(RemoteProtocolError):
    """Options that end the transfer; ``error_code`` is 8 (RFC 2347) or 3 (tsize too large)."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retransmission timing shared by all engines (RFC 1123 §4.2.3.2: adaptive, bounded).

    The first retransmission waits the negotiated timeout; each further one doubles the wait, up
    to ``max_backoff`` times the timeout. After ``max_retries`` unanswered retransmissions the
    transfer fails. ``dally`` is how long, in multiples of the timeout, the side that sent the
    final ACK stays to answer a repeated final DATA.
    """

    max_retries: int = 5
    max_backoff: float = 8.0
    dally: float = 2.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or self.max_backoff < 1 or self.dally < 0:
            raise ValidationError("max_retries >= 0, max_backoff >= 1 and dally >= 0 are required")


@dataclass(frozen=True, slots=True)
class ServerPolicy:
    """What a server agrees to; every engine created for one request takes one.

    ``max_blksize``/``max_windowsize`` clamp what clients ask for (downward only, as the RFCs
    require). ``max_upload_size`` refuses a WRQ whose ``tsize`` is larger with ERROR 3.

    ``max_stall`` bounds how long a transfer waits for a peer that has stopped answering: once
    that many seconds have passed without progress it fails, whatever ``timeout`` the peer
    asked for (its retransmission interval is capped at the same value). The default,
    :data:`DEFAULT_MAX_STALL`, is about what the default retry schedule takes anyway (31 s at a
    1 s timeout); ``None`` leaves it to ``retry`` alone, where a peer asking ``timeout 255``
    holds its transfer for more than two hours.
    """

    max_blksize: int = BLKSIZE_MAX
    max_windowsize: int = 64
    allow_tsize: bool = True
    allow_timeout: bool = True
    allow_windowsize: bool = True
    allow_rollover: bool = True
    max_upload_size: int | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_stall: float | None = DEFAULT_MAX_STALL

    def __post_init__(self) -> None:
        if not BLKSIZE_MIN <= self.max_blksize <= BLKSIZE_MAX:
            raise ValidationError(f"max_blksize must be within {BLKSIZE_MIN}..{BLKSIZE_MAX}")
        if not WINDOWSIZE_MIN <= self.max_windowsize <= WINDOWSIZE_MAX:
            raise ValidationError(
                f"max_windowsize must be within {WINDOWSIZE_MIN}..{WINDOWSIZE_MAX}"
            )
        if self.max_stall is not None and not self.max_stall >= TIMEOUT_MIN:
            raise ValidationError(f"max_stall must be at least {TIMEOUT_MIN} second (or None)")


@dataclass(frozen=True, slots=True)
class Negotiated:
    """The values a transfer runs with (RFC 1350 defaults unless options changed them).

    ``windowsize`` is the negotiated value; the engines run at most ``MAX_RUNNING_WINDOW``.
    ``rollover`` is ``WRAP_TO_ZERO`` (0) or ``WRAP_TO_ONE`` (1).
    """

    blksize: int = DEFAULT_BLOCK_SIZE
    timeout: float = DEFAULT_TIMEOUT
    tsize: int | None = None
    windowsize: int = 1
    rollover: int = WRAP_TO_ZERO

    @property
    def running_window(self) -> int:
        """The window the engines actually run (at most 32767, see :mod:`.blocks`)."""
        return min(self.windowsize, MAX_RUNNING_WINDOW)


@dataclass(frozen=True, slots=True)
class RequestedOptions:
    """The options of a request, by lower-case name; ``None`` where absent or unusable.

    ``spelling`` maps each lower-case name to the client's spelling (echoed in the OACK);
    ``extra`` holds options this library does not know, as sent.
    """

    blksize: int | None = None
    timeout: int | None = None
    tsize: int | None = None
    windowsize: int | None = None
    rollover: int | None = None
    timeout_text: str | None = None
    spelling: dict[str, str] = field(default_factory=dict, hash=False)
    extra: dict[str, str] = field(default_factory=dict, hash=False)


#: Shared by every request without options (read only, like every RequestedOptions).
_NOTHING_REQUESTED = RequestedOptions()


def _integer(text: str) -> int | None:
    """A decimal integer as options carry it, or ``None`` (no sign, no spaces, no decimals)."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 20:
        return None
    return int(text)


def _within(value: int | None, low: int, high: int) -> int | None:
    return value if value is not None and low <= value <= high else None


def parse_options(options: Mapping[str, str]) -> RequestedOptions:
    """Read the options of a request, case-insensitively; bad values count as not requested."""
    if not options:
        return _NOTHING_REQUESTED  # a plain RFC 1350 request, what a 79xx loader sends
    spelling: dict[str, str] = {}
    extra: dict[str, str] = {}
    values: dict[str, str] = {}
    for name, value in options.items():
        folded = name.lower()
        if folded in _KNOWN:
            spelling[folded] = name
            values[folded] = value
        else:
            extra[name] = value
    timeout = _within(_integer(values.get("timeout", "")), TIMEOUT_MIN, TIMEOUT_MAX)
    return RequestedOptions(
        blksize=_within(_integer(values.get("blksize", "")), BLKSIZE_MIN, BLKSIZE_MAX),
        timeout=timeout,
        tsize=_integer(values.get("tsize", "")),
        windowsize=_within(_integer(values.get("windowsize", "")), WINDOWSIZE_MIN, WINDOWSIZE_MAX),
        rollover=_within(_integer(values.get("rollover", "")), WRAP_TO_ZERO, WRAP_TO_ONE),
        timeout_text=values["timeout"] if timeout is not None else None,
        spelling=spelling,
        extra=extra,
    )


def negotiate(
    requested: RequestedOptions,
    policy: ServerPolicy,
    *,
    is_read: bool,
    transfer_size: int | None = None,
    max_window_bytes: int | None = None,
) -> tuple[dict[str, str], Negotiated]:
    """Server side: the OACK options (empty: send no OACK) and the values to run with.

    ``transfer_size`` is the size offered as ``tsize`` on a read (for netascii, the encoded
    size; ``None`` leaves tsize out). On a write, a ``tsize`` above ``policy.max_upload_size``
    raises :class:`OptionsRejected` with error code 3.

    ``max_window_bytes`` (reads only) is what the sender may hold for one window, the blocks it
    keeps until they are acknowledged: a larger ``windowsize`` × ``blksize`` is granted smaller,
    the window first, then the block (RFC 2347 lets the server answer any smaller value), but
    never below one block of 512 octets (or the smaller block asked for), what a request
    without options gets anyway. A file known to be smaller than the window needs no shrinking.
    """
    oack: dict[str, str] = {}
    blksize, timeout, windowsize, rollover = DEFAULT_BLOCK_SIZE, DEFAULT_TIMEOUT, 1, WRAP_TO_ZERO
    tsize: int | None = None
    name = requested.spelling.get
    if requested.blksize is not None:
        blksize = min(requested.blksize, policy.max_blksize)
        oack[name("blksize", "blksize")] = str(blksize)
    if requested.timeout is not None and policy.allow_timeout:
        timeout = float(requested.timeout)
        # RFC 2349: the server may only accept the value as sent, so echo the client's text.
        oack[name("timeout", "timeout")] = requested.timeout_text or str(requested.timeout)
    if requested.tsize is not None and policy.allow_tsize:
        if is_read:
            if transfer_size is not None:
                tsize = transfer_size
                oack[name("tsize", "tsize")] = str(transfer_size)
        else:
            limit = policy.max_upload_size
            if limit is not None and requested.tsize > limit:
                raise OptionsRejected(
                    f"file of {requested.tsize} bytes exceeds the limit of {limit}",
                    ErrorCode.DISK_FULL,
                )
            tsize = requested.tsize
            oack[name("tsize", "tsize")] = str(requested.tsize)
    if requested.windowsize is not None and policy.allow_windowsize:
        windowsize = min(requested.windowsize, policy.max_windowsize)
        oack[name("windowsize", "windowsize")] = str(windowsize)
    if requested.rollover is not None and policy.allow_rollover:
        rollover = requested.rollover
        oack[name("rollover", "rollover")] = str(rollover)
    if is_read and max_window_bytes is not None:
        held = window_bytes(blksize, windowsize, transfer_size)
        if held > max_window_bytes:
            windowsize, blksize = _shrink(blksize, windowsize, max_window_bytes)
            if requested.windowsize is not None and policy.allow_windowsize:
                oack[name("windowsize", "windowsize")] = str(windowsize)
            if requested.blksize is not None:
                oack[name("blksize", "blksize")] = str(blksize)
    return oack, Negotiated(blksize, timeout, tsize, windowsize, rollover)


def window_bytes(blksize: int, windowsize: int, size: int | None = None) -> int:
    """The octets a sender holds for one window: ``windowsize`` blocks, or the whole file of
    ``size`` octets (plus its final block) when that is less."""
    held = min(windowsize, MAX_RUNNING_WINDOW) * blksize
    if size is not None and size + blksize < held:
        return size + blksize
    return held


def _shrink(blksize: int, windowsize: int, budget: int) -> tuple[int, int]:
    """A window and block within ``budget`` octets: fewer blocks first, then smaller ones."""
    windowsize = max(1, min(windowsize, budget // blksize))
    if windowsize == 1 and blksize > budget:
        floor = min(blksize, DEFAULT_BLOCK_SIZE)
        blksize = max(floor, budget)
    return windowsize, blksize


def accept_oack(requested: Mapping[str, str], oack: Mapping[str, str]) -> Negotiated:
    """Client side: check an OACK against the options sent and return the values to run with.

    Raises :class:`OptionsRejected` (ERROR 8) for an option that was not asked for, a blksize or
    windowsize larger than asked (or out of range), a changed timeout, a tsize that is not a
    number, or a rollover other than 0/1.
    """
    asked = {name.lower(): value for name, value in requested.items()}
    blksize, timeout, windowsize, rollover = DEFAULT_BLOCK_SIZE, DEFAULT_TIMEOUT, 1, WRAP_TO_ZERO
    tsize: int | None = None
    for name, value in oack.items():
        folded = name.lower()
        if folded not in asked:
            raise OptionsRejected(f"OACK carries option {name!r}, which was not requested", 8)
        number = _integer(value)
        mine = _integer(asked[folded])
        if folded == "blksize":
            if number is None or not BLKSIZE_MIN <= number <= BLKSIZE_MAX:
                raise OptionsRejected(f"invalid blksize {value!r} in OACK", 8)
            if mine is not None and number > mine:
                raise OptionsRejected(f"OACK blksize {number} is larger than asked ({mine})", 8)
            blksize = number
        elif folded == "timeout":
            if number is None or number != mine:
                raise OptionsRejected(f"OACK timeout {value!r} differs from {asked[folded]!r}", 8)
            timeout = float(number)
        elif folded == "tsize":
            if number is None:
                raise OptionsRejected(f"OACK tsize {value!r} is not a number", 8)
            tsize = number
        elif folded == "windowsize":
            if number is None or not WINDOWSIZE_MIN <= number <= WINDOWSIZE_MAX:
                raise OptionsRejected(f"invalid windowsize {value!r} in OACK", 8)
            if mine is not None and number > mine:
                raise OptionsRejected(f"OACK windowsize {number} is larger than asked", 8)
            windowsize = number
        elif folded == "rollover":
            if number is None or number not in (WRAP_TO_ZERO, WRAP_TO_ONE):
                raise OptionsRejected(f"invalid rollover {value!r} in OACK", 8)
            rollover = number
        # Any other option was asked for by the caller and acknowledged: nothing to run with.
    return Negotiated(blksize, timeout, tsize, windowsize, rollover)

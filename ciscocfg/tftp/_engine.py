"""The machinery the four transfer engines share.

Rules every engine follows (RFC 1350, RFC 1123 §4.2, RFC 2347, RFC 7440):

* No I/O, no clock: datagrams come in through ``receive_datagram(data, source, now)``, go out
  through an outbox the caller drains (``datagrams_to_send``), time is whatever ``now`` says and
  the single timer is exposed with ``get_timer``/``handle_timer``.
* Transfer IDs: once the peer is locked, a datagram from any other source gets ERROR 5 and
  changes nothing (RFC 1350 §4). An ERROR is never answered, not even a stranger's, so two
  confused hosts cannot ping-pong ERRORs. Runts (under 4 bytes) are dropped.
* Sorcerer's Apprentice (RFC 1123 §4.2.3.1), carried over to windows: DATA is only ever sent
  for the first time in answer to an ACK, never again. An ACK inside the window slides it (the
  blocks it newly allows go out), a duplicate ACK is ignored, and only the timer resends the
  blocks in flight. So, whatever ACKs a peer sends, the DATA a sender puts on the wire is
  exactly the distinct blocks it sent plus the blocks in flight at each timeout (at most one
  window per timeout); a peer that ACKs every block of a window gets each block once. RFC 7440
  lets the sender restart the window right after a gap is reported; that answer is what a peer
  could repeat for a window per ACK, so the gap is left to the timer, as in tftp-hpa.
* Retransmission only on timeout, with exponential back-off capped at ``max_backoff`` times the
  negotiated timeout, and at most ``max_retries`` in a row before giving up. A server engine
  also gives up once ``max_stall`` seconds have passed without progress, however long the
  timeout the peer asked for (its retransmission interval is never longer than that either).
* Block numbers are absolute inside (see :mod:`.blocks`); windows run at most 32767 blocks.
* The side that sends the final ACK dallies (answers a repeated final DATA) before it is done.
* The peer breaking the protocol never raises: an ERROR is queued and ``TransferFailed`` is
  emitted. Only the caller's own mistakes raise :class:`LocalProtocolError`.

State changes go through the tables of :mod:`._machine`.
"""

from __future__ import annotations

from collections import deque
from struct import error as struct_error
from typing import Final

from ciscocfg._errors import LocalProtocolError
from ciscocfg.tftp._machine import TERMINAL, EngineRole, Input, State, advance
from ciscocfg.tftp.blocks import WRAP_TO_ONE, WRAP_TO_ZERO, from_wire, to_wire
from ciscocfg.tftp.events import (
    Address,
    DataReceived,
    Event,
    NeedData,
    Progress,
    TransferComplete,
    TransferFailed,
    TransferStats,
)
from ciscocfg.tftp.options import DEFAULT_TIMEOUT, Negotiated, RetryPolicy
from ciscocfg.tftp.packets import _ACK_CACHE as _ACKS
from ciscocfg.tftp.packets import (
    HEADER,
    Error,
    ErrorCode,
    _new,
    _slot_setter,
    ack_bytes,
    decode,
    encode,
)

__all__ = ["Receiver", "Sender", "Transfer"]

_unpack: Final = HEADER.unpack_from
_pack: Final = HEADER.pack


def _error_bytes(code: int, message: str) -> bytes:
    return encode(Error(code & 0xFFFF, message.replace("\0", " ")))


#: Progress events are spaced at least this many bytes apart (or one window, if larger).
_PROGRESS_STEP: Final = 65536

_EMPTY: Final = memoryview(b"")
#: "No upload limit", as a number so that the per-block check is one comparison.
_NO_LIMIT: Final = 1 << 62
#: "No stall limit", as a time so that the timer's check is one comparison.
_FOREVER: Final = float("inf")

_set_offset = _slot_setter(DataReceived, "offset")
_set_payload = _slot_setter(DataReceived, "payload")
_set_final = _slot_setter(DataReceived, "final")

#: TransferFailed.reason -> the table input that ends the transfer.
_FAILURE_INPUTS: Final = {
    "error": Input.PEER_ERROR,
    "timeout": Input.GIVE_UP,
    "aborted": Input.ABORT,
    "rejected": Input.REJECT,
}

_UNKNOWN_TID: Final = _error_bytes(ErrorCode.UNKNOWN_TID, "Unknown transfer ID")


class Transfer:
    """State, outbox, events, timer and statistics of one transfer (not used directly)."""

    _role: EngineRole

    def __init__(
        self,
        filename: str,
        peer: Address | None,
        now: float,
        state: State,
        retry: RetryPolicy,
        timeout: float = DEFAULT_TIMEOUT,
        max_stall: float | None = None,
    ) -> None:
        self._filename = filename
        self._peer = peer
        self._state = state
        self._retry = retry
        self._outbox: list[tuple[bytes, Address]] = []
        self._events: list[Event] = []
        self._negotiated = Negotiated(timeout=timeout)
        # The running values of the negotiated options (RFC 1350 defaults until settled).
        self._blksize = 512
        self._window = 1
        self._rollover = WRAP_TO_ZERO
        self._timeout = timeout
        self._total: int | None = None
        self._options: dict[str, str] = {}
        self._deadline: float | None = None
        self._retries = 0
        # Seconds without progress after which the transfer fails (see handle_timer), and the
        # time that happens once the peer has gone quiet (infinity while it progresses).
        self._max_stall = max_stall
        self._give_up_at = _FOREVER
        self._interval = timeout
        self._started = self._now = now
        self._finished: float | None = None
        self._retransmits = 0
        self._completed = False
        self._done = False
        # The opcode that goes straight to the hot handler (ACK while sending, DATA while
        # receiving); -1 when every datagram goes through _on_datagram.
        self._hot = -1
        self._last_progress = 0
        self._hot_handler = self._on_hot
        self._start_half()

    def _start_half(self) -> None:
        """Set up the state of the sending or the receiving half (see Sender and Receiver)."""
        raise NotImplementedError

    # --- the surface every engine shares ------------------------------------------------------

    def receive_datagram(
        self, data: bytes | bytearray | memoryview, source: Address, now: float
    ) -> None:
        """Feed one datagram received from ``source`` at time ``now``."""
        peer = self._peer
        if source != peer:
            if peer is None:
                self._before_lock(data, source, now)
                return
            if source[0] != peer[0] or source[1] != peer[1]:
                self._from_stranger(data, source)
                return
        if self._done:
            return
        try:
            opcode, number = _unpack(data)
        except struct_error:
            return  # a runt (under 4 bytes): dropped
        self._now = now
        if opcode == self._hot:
            self._hot_handler(number, data, now)
        else:
            self._on_datagram(opcode, number, data, now)

    def datagrams_to_send(self) -> list[tuple[bytes, Address]]:
        """Drain the outbox: ``(payload, destination)`` pairs in sending order."""
        out = self._outbox
        if out:
            self._outbox = []
        return out

    def events(self) -> list[Event]:
        """Drain the application events, oldest first."""
        out = self._events
        if out:
            self._events = []
        return out

    def get_timer(self) -> float | None:
        """The absolute time at which :meth:`handle_timer` must be called, or ``None``."""
        return self._deadline

    def handle_timer(self, now: float) -> None:
        """Fire the timer (a call before the deadline does nothing)."""
        deadline = self._deadline
        if deadline is None or now < deadline:
            return
        self._now = now
        if self._state is State.DALLYING:
            self._deadline = None
            self._set_state(Input.DALLY_END)
            return
        if self._retries == 0 and self._max_stall is not None:
            # The first expiry since the last progress, which armed this deadline one interval
            # (the timeout) before it.
            self._give_up_at = deadline - self._interval + self._max_stall
        if self._retries >= self._retry.max_retries or now >= self._give_up_at:
            # Tell a locked peer why we stop; a server that never answered gets nothing.
            self._fail(
                ErrorCode.NOT_DEFINED,
                "Transfer timed out",
                now,
                reason="timeout",
                send=self._peer is not None,
            )
            return
        self._retries += 1
        self._interval = min(self._interval * 2.0, self._timeout * self._retry.max_backoff)
        # Never wait past the stall limit: the expiry there gives up.
        self._deadline = min(now + self._interval, self._give_up_at)
        self._retransmit(now)

    def abort(
        self,
        code: int = ErrorCode.NOT_DEFINED,
        message: str = "Transfer aborted",
        now: float | None = None,
    ) -> None:
        """Abort locally: queue one ERROR to the peer and fail. Does nothing once done.

        ``now`` (optional) timestamps the end in :attr:`stats`; by default the last time the
        engine was given.
        """
        if self._done:
            return
        self._fail(code, message, self._now if now is None else now, reason="aborted", send=True)

    @property
    def done(self) -> bool:
        """Completed (dally included) or failed: nothing more will happen."""
        return self._done

    @property
    def failed(self) -> bool:
        """The transfer ended without completing."""
        return self._state is State.FAILED

    @property
    def completed(self) -> bool:
        """All data moved (``TransferComplete`` was emitted), perhaps still dallying."""
        return self._completed

    @property
    def state(self) -> State:
        """The current state (see :mod:`ciscocfg.tftp._machine`)."""
        return self._state

    @property
    def peer(self) -> Address | None:
        """The locked peer address (``None`` for a client before the first answer)."""
        return self._peer

    @property
    def negotiated(self) -> Negotiated:
        """The values the transfer runs with (defaults until options are settled)."""
        return self._negotiated

    @property
    def stats(self) -> TransferStats:
        """A snapshot of the transfer's counters."""
        return TransferStats(
            filename=self._filename,
            peer=self._peer,
            bytes=self._byte_count(),
            blocks=self._block_count(),
            retransmits=self._retransmits,
            started=self._started,
            finished=self._finished,
            options=dict(self._options),
        )

    # --- shared by the engines ------------------------------------------------------------------

    def _byte_count(self) -> int:
        """Payload octets moved so far (acknowledged, or received in order)."""
        raise NotImplementedError

    def _block_count(self) -> int:
        """Blocks moved so far."""
        raise NotImplementedError

    def _on_datagram(
        self, opcode: int, number: int, data: bytes | bytearray | memoryview, now: float
    ) -> None:
        raise NotImplementedError

    def _on_hot(self, number: int, data: bytes | bytearray | memoryview, now: float) -> None:
        """ACK while sending, DATA while receiving: the per-packet path."""
        raise NotImplementedError

    def _retransmit(self, now: float) -> None:
        raise NotImplementedError

    def _before_lock(
        self, data: bytes | bytearray | memoryview, source: Address, now: float
    ) -> None:
        """A datagram while no peer is locked (clients before the first answer)."""
        self._from_stranger(data, source)

    def _from_stranger(self, data: bytes | bytearray | memoryview, source: Address) -> None:
        # RFC 1350 §4: answer with ERROR 5 and carry on. ERRORs and runts get no answer.
        if len(data) >= 4 and (data[0] != 0 or data[1] != 5):
            self._outbox.append((_UNKNOWN_TID, source))

    def _adopt(self, negotiated: Negotiated) -> None:
        """Run with the settled options from now on."""
        self._negotiated = negotiated
        self._blksize = negotiated.blksize
        self._window = negotiated.running_window
        self._rollover = negotiated.rollover
        timeout = negotiated.timeout
        stall = self._max_stall
        if stall is not None and timeout > stall:
            # A peer asking ``timeout 255`` does not make a server wait that long for it.
            timeout = stall
        self._interval = self._timeout = timeout

    def _set_state(self, event: Input) -> None:
        state = self._state = advance(self._role, self._state, event)
        self._done = state in TERMINAL
        if state is State.SENDING:
            self._hot = 4
        elif state is State.RECEIVING or state is State.DALLYING:
            self._hot = 3
        else:
            self._hot = -1
        # A bound method kept on the instance saves one call level per datagram.
        self._hot_handler = self._on_hot
        self._in_order_ok = state is State.RECEIVING

    def _send(self, packet: bytes) -> None:
        peer = self._peer
        assert peer is not None
        self._outbox.append((packet, peer))

    def _arm(self, now: float) -> None:
        self._deadline = now + self._interval

    def _progressed(self) -> None:
        self._retries = 0
        self._interval = self._timeout

    def _maybe_progress(self, total: int | None, window_bytes: int) -> None:
        """Progress at most once per window, and no more often than every 64 KiB."""
        moved = self._byte_count()
        if moved - self._last_progress >= (
            window_bytes if window_bytes > _PROGRESS_STEP else _PROGRESS_STEP
        ):
            self._last_progress = moved
            self._events.append(Progress(moved, total))

    def _fail(
        self,
        code: int,
        message: str,
        now: float,
        *,
        reason: str,
        send: bool,
        by_peer: bool = False,
        to: Address | None = None,
    ) -> None:
        """End the transfer; ``send`` queues our ERROR (never done in answer to an ERROR)."""
        if send:
            target = to or self._peer or self._fallback_destination()
            if target is not None:
                self._outbox.append((_error_bytes(code, message), target))
        self._set_state(_FAILURE_INPUTS.get(reason, Input.PROTOCOL_ERROR))
        self._deadline = None
        self._finished = now
        self._events.append(TransferFailed(code, message, by_peer, reason))

    def _fallback_destination(self) -> Address | None:
        return None

    def _protocol_error(self, message: str, now: float) -> None:
        self._fail(ErrorCode.ILLEGAL_OPERATION, message, now, reason="protocol", send=True)

    def _peer_error(self, data: bytes | bytearray | memoryview, now: float) -> None:
        packet = decode(data)  # an ERROR with its 4-byte header always decodes
        assert isinstance(packet, Error)
        if self._state is State.DALLYING:
            # The data is complete; an ERROR now only cuts the courtesy wait short.
            self._deadline = None
            self._set_state(Input.DALLY_END)
            return
        self._fail(packet.code, packet.message, now, reason="error", send=False, by_peer=True)

    def _complete(self, now: float) -> None:
        self._completed = True
        self._finished = now
        self._events.append(TransferComplete(self.stats))


class Sender(Transfer):
    """The DATA-sending half (ServerRead, ClientWrite): windows, supply, ACK handling."""

    def _start_half(self) -> None:
        self._base = 1  # first block not yet acknowledged
        self._next = 1  # next block to send for the first time
        self._inflight: deque[bytes] = deque()  # DATA packets base .. next-1
        self._view = _EMPTY  # supplied octets not yet sent, from _position on
        self._position = 0
        self._eof = False
        self._final: int | None = None
        self._final_size = 0
        self._asked = False
        self._may_send = False

    def supply(self, data: bytes | bytearray | memoryview, now: float) -> None:
        """Give the engine more octets to send (any amount; it slices the blocks).

        Once the transfer is over (the peer may have failed it while the data was being read)
        this does nothing, so an asynchronous source needs no extra check.
        """
        if self._done:
            return
        if self._eof:
            raise LocalProtocolError("supply() after supply_eof()")
        self._now = now
        if not data:
            return
        # One copy at most: bytes are kept as they are (the engine slices views of them).
        chunk = data if type(data) is bytes else bytes(data)
        if self._position < len(self._view):
            chunk = bytes(self._view[self._position :]) + chunk
        self._view = memoryview(chunk)
        self._position = 0
        self._asked = False
        if self._may_send:
            self._fill(now)

    def supply_eof(self, now: float) -> None:
        """The source is exhausted: what was supplied is the whole file (no-op once over)."""
        if self._done:
            return
        if self._eof:
            raise LocalProtocolError("supply_eof() called twice")
        self._eof = True
        self._asked = False
        self._now = now
        # A NeedData queued by a supply() just before is moot now; drop it if still undrained.
        if any(type(event) is NeedData for event in self._events):
            self._events = [event for event in self._events if type(event) is not NeedData]
        if self._may_send:
            self._fill(now)

    def _start_sending(self, negotiated: Negotiated, now: float) -> None:
        self._adopt(negotiated)
        if negotiated.tsize is not None:
            self._total = negotiated.tsize
        self._may_send = True
        self._fill(now)

    def _request_data(self) -> None:
        """Emit NeedData for what the window can hold, once until the caller answers."""
        if self._asked or self._eof or self._final is not None:
            return
        room = (self._base + self._window - self._next) * self._blksize
        want = room - (len(self._view) - self._position)
        if want > 0:
            self._asked = True
            self._events.append(NeedData(want))

    def _fill(self, now: float) -> None:
        """Send new blocks while the window has room and data is at hand."""
        if self._final is not None:
            return
        next_block = self._next
        limit = self._base + self._window
        blksize = self._blksize
        eof = self._eof
        view = self._view
        position = self._position
        available = len(view) - position
        if next_block < limit and (available >= blksize or eof):
            rollover = self._rollover
            remember = self._inflight.append
            send = self._outbox.append
            peer = self._peer
            assert peer is not None
            while next_block < limit:
                if available >= blksize:
                    size = blksize
                elif eof:
                    size = available
                else:
                    break
                wire = (
                    next_block & 0xFFFF
                    if rollover == WRAP_TO_ZERO
                    else to_wire(next_block, rollover)
                )
                end = position + size
                packet = _pack(3, wire) + view[position:end]
                position = end
                available -= size
                remember(packet)
                send((packet, peer))
                next_block += 1
                if size < blksize:
                    self._final = next_block - 1
                    self._final_size = size
                    break
            self._next = next_block
            if available:
                self._position = position
            else:
                self._view = _EMPTY
                self._position = 0
            if self._deadline is None:
                self._deadline = now + self._interval
        if not self._asked and not eof and self._final is None:
            # Ask for what the window can still hold beyond the data at hand (never more).
            want = (self._base + self._window - next_block) * blksize - available
            if want > 0:
                self._asked = True
                self._events.append(NeedData(want))

    def _on_ack(self, number: int, data: bytes | bytearray | memoryview, now: float) -> None:
        base = self._base
        rollover = self._rollover
        if rollover == 0:
            block = base + ((number - base + 32768) & 0xFFFF) - 32768
        else:
            block = from_wire(number, base, rollover)
        if block < base:
            # A duplicate ACK (block == base - 1) or an older one: nothing to do (RFC 1123,
            # Sorcerer's Apprentice; spec §1.13 item 6). The timer resends what is in flight.
            return
        if block >= self._next:
            return  # never sent: ignore
        inflight = self._inflight
        if block == base:
            inflight.popleft()
        else:
            for _ in range(block - base + 1):
                inflight.popleft()
        self._base = block + 1
        if self._retries:  # the back-off only grows with retries: reset both together
            self._retries = 0
            self._interval = self._timeout
        if block == self._final:
            self._deadline = None
            self._set_state(Input.LAST_ACKED)
            self._complete(now)
            return
        if block * self._blksize - self._last_progress >= _PROGRESS_STEP:
            self._maybe_progress(self._total, self._window * self._blksize)
        # Part of a window acknowledged: it slides, and only the blocks it newly allows go out
        # (resending the rest would answer each ACK with up to a window: an amplifier). The
        # blocks still in flight keep the timer running from this progress on.
        self._deadline = now + self._interval if inflight else None
        self._fill(now)

    def _byte_count(self) -> int:
        acked = self._base - 1
        if self._final is not None and acked == self._final:
            return (acked - 1) * self._blksize + self._final_size
        return acked * self._blksize

    def _block_count(self) -> int:
        return self._base - 1

    _on_hot = _on_ack

    def _resend_window(self) -> None:
        peer = self._peer
        assert peer is not None
        self._outbox.extend((packet, peer) for packet in self._inflight)
        self._retransmits += len(self._inflight)

    def _retransmit_data(self) -> None:
        if self._inflight:
            self._resend_window()
        else:
            # Waiting on the application for data: nothing to resend, keep the timer quiet.
            self._deadline = None


class Receiver(Transfer):
    """The DATA-receiving half (ServerWrite, ClientRead): ordering, ACKs, dallying."""

    #: What the size limit's ERROR 3 calls the transfer.
    _limited = "upload"

    def _start_half(self) -> None:
        self._expected = 1
        self._since_ack = 0
        self._offset = 0
        self._gap_acked_at = 0  # the expected block when a gap was last reported
        self._in_order_ok = self._state is State.RECEIVING  # the next block takes the fast path
        self._follow_wrap = True  # follow a peer that wraps to 1 without saying so
        self._limit: int = _NO_LIMIT
        self._hold_final = False  # the final ACK waits until the file is stored

    def _start_receiving(self, negotiated: Negotiated) -> None:
        self._adopt(negotiated)
        self._total = negotiated.tsize
        # A negotiated rollover is binding; without one, follow what the peer does.
        self._follow_wrap = "rollover" not in {name.lower() for name in self._options}

    def _ack(self, block: int) -> None:
        rollover = self._rollover
        wire = block & 0xFFFF if rollover == WRAP_TO_ZERO else to_wire(block, rollover)
        self._send(ack_bytes(wire))

    def _on_data(self, number: int, data: bytes | bytearray | memoryview, now: float) -> None:
        expected = self._expected
        rollover = self._rollover
        if rollover == 0:
            block = expected + ((number - expected + 32768) & 0xFFFF) - 32768
        else:
            block = from_wire(number, expected, rollover)
        if block != expected or not self._in_order_ok:
            self._on_other_data(block, number, data, now)
            return
        payload = (data if type(data) is memoryview else memoryview(data))[4:]
        size = len(payload)
        blksize = self._blksize
        offset = self._offset
        if size != blksize or offset + size > self._limit:
            self._on_last_or_bad_data(expected, payload, now)
            return
        # The per-block path: a full block, in order, while receiving.
        event = _new(DataReceived)
        _set_offset(event, offset)
        _set_payload(event, payload)
        _set_final(event, False)
        self._events.append(event)
        offset += size
        self._offset = offset
        self._expected = expected + 1
        since = self._since_ack + 1
        if since >= self._window:
            self._since_ack = 0
            wire = expected & 0xFFFF if rollover == 0 else to_wire(expected, rollover)
            self._outbox.append((_ACKS[wire] or ack_bytes(wire), self._peer))  # type: ignore[arg-type]
            if self._retries:  # the back-off only grows with retries: reset both together
                self._retries = 0
                self._interval = self._timeout
            if offset - self._last_progress >= _PROGRESS_STEP:
                self._maybe_progress(self._total, self._window * blksize)
        else:
            self._since_ack = since
        self._deadline = now + self._interval

    def _on_other_data(
        self, block: int, number: int, data: bytes | bytearray | memoryview, now: float
    ) -> None:
        """DATA that is not simply the next block while receiving."""
        expected = self._expected
        if (
            block != expected
            and self._rollover == WRAP_TO_ZERO
            and number == 1
            and expected & 0xFFFF == 0
            and self._follow_wrap
        ):
            # The peer went 65535 -> 1: it wraps to 1 (spec §1.13 item 1); follow it.
            self._rollover = WRAP_TO_ONE
            block = expected
        if self._state is State.DALLYING:
            if block == expected - 1:
                self._ack(block)  # our final ACK was lost: say it again
            return
        if block == expected:
            if self._state is not State.RECEIVING:
                # First DATA before RECEIVING: it confirms the OACK (or answers the request).
                self._confirmed()
            self._on_data(number, data, now)  # the in-order path now takes it
            return
        if block == expected - 1 and block > 0:
            # The sender timed out on our lost ACK and resent: re-ACK (RFC 1350 §2). Older
            # duplicates of a window get no answer, so a resent window costs one ACK.
            self._ack(block)
        elif block > expected and self._gap_acked_at != expected:
            # RFC 7440: on a gap, ACK the last block received in order, once per gap.
            self._gap_acked_at = expected
            self._since_ack = 0
            self._ack(expected - 1)

    def _on_last_or_bad_data(self, block: int, payload: memoryview, now: float) -> None:
        """An in-order block that is short (the last one), too long or over the size limit."""
        size = len(payload)
        blksize = self._blksize
        if size > blksize:
            self._protocol_error(f"DATA of {size} octets exceeds blksize {blksize}", now)
            return
        limit = self._limit
        if self._offset + size > limit:
            self._fail(
                ErrorCode.DISK_FULL,
                f"{self._limited} exceeds the limit of {limit} bytes",
                now,
                reason="protocol",
                send=True,
            )
            return
        final = size < blksize
        self._events.append(DataReceived(self._offset, payload, final))
        self._offset += size
        self._expected = block + 1
        if final:
            self._in_order_ok = False
            if self._hold_final:
                # The application stores the file first, then calls stored(): no ACK, no timer.
                self._set_state(Input.FINAL_DATA_TO_STORE)
                self._deadline = None
                return
            self._ack(block)
            self._set_state(Input.FINAL_DATA)
            self._complete(now)
            self._deadline = now + self._retry.dally * self._timeout
            return
        since = self._since_ack + 1
        if since >= self._window:
            self._since_ack = 0
            self._ack(block)
            self._progressed()
            self._maybe_progress(self._total, self._window * blksize)
        else:
            self._since_ack = since
        self._deadline = now + self._interval

    def _byte_count(self) -> int:
        return self._offset

    def _block_count(self) -> int:
        return self._expected - 1

    _on_hot = _on_data

    def _confirmed(self) -> None:
        """First DATA in a pre-receiving state: the engines move to RECEIVING."""
        self._set_state(Input.CONFIRMED)

    def _retransmit_ack(self) -> None:
        self._retransmits += 1
        self._since_ack = 0
        self._ack(self._expected - 1)

"""Server-side engines: one per request decoded on port 69, each on its own socket (its TID).

The embedding server decodes a request (:class:`RequestTracker` helps on port 69), creates a
:class:`ServerRead` or :class:`ServerWrite` for it with the client's address, and answers with
``accept`` or ``reject``. From then on it feeds the datagrams its transfer socket receives,
sends what the engine queues, fires the timer and reacts to the events.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from ciscocfg._errors import LocalProtocolError, MalformedPacket
from ciscocfg.tftp._engine import Receiver, Sender, Transfer
from ciscocfg.tftp._machine import EngineRole, Input, State
from ciscocfg.tftp.events import Address, OptionsNegotiated
from ciscocfg.tftp.options import (
    OptionsRejected,
    ServerPolicy,
    negotiate,
    parse_options,
)
from ciscocfg.tftp.packets import (
    MAX_DECODED_REQUEST,
    Error,
    ErrorCode,
    OptionAck,
    ReadRequest,
    WriteRequest,
    ack_bytes,
    decode,
    encode,
    parse_mode,
)

__all__ = ["RequestTracker", "ServerRead", "ServerWrite"]

_DEFAULT_POLICY = ServerPolicy()


def _check_mode(mode: str) -> str:
    try:
        return parse_mode(mode)
    except MalformedPacket as exc:
        raise LocalProtocolError(f"cannot serve this request: {exc.message}") from None


_R = TypeVar("_R", ReadRequest, WriteRequest)


class _Server(Transfer, Generic[_R]):
    """What both server engines share: taking the request, answering it once (accept or
    reject)."""

    def __init__(
        self,
        request: _R,
        peer: Address,
        now: float,
        *,
        policy: ServerPolicy = _DEFAULT_POLICY,
    ) -> None:
        self.mode = _check_mode(request.mode)
        self.request: _R = request
        self._policy = policy
        self._requested = parse_options(request.options)
        super().__init__(
            request.filename, peer, now, State.PENDING, policy.retry, max_stall=policy.max_stall
        )

    def _check_pending(self, call: str) -> None:
        if self._state is not State.PENDING:
            raise LocalProtocolError(f"{call}() on a transfer that is {self._state.value}")

    @property
    def answered(self) -> bool:
        """The client has answered since its request: an ACK or a DATA block took the transfer
        forward. A request from a forged address, or from a client that went away, never is."""
        raise NotImplementedError

    def reject(self, code: int, message: str) -> None:
        """Refuse the request with an ERROR (e.g. 1 file not found, 2 access violation, 6 file
        exists)."""
        self._check_pending("reject")
        self._fail(code, message, self._now, reason="rejected", send=True)


class ServerRead(_Server[ReadRequest], Sender):
    """Serve one RRQ: send the file in DATA windows.

    Made with the decoded request, the client's address, the time and, optionally, the
    server's ``policy``. After ``accept`` the engine asks for data with ``NeedData`` events;
    answer with :meth:`supply` and finally :meth:`supply_eof`.
    """

    _role = EngineRole.SERVER_READ
    #: The OACK sent, kept to send again (empty until one is).
    _oack = b""

    def accept(
        self, now: float, size: int | None = None, *, max_window_bytes: int | None = None
    ) -> None:
        """Serve the file. ``size`` (for netascii, the encoded size) enables tsize in the OACK.

        Sends the OACK (then waits for ACK 0) or, without accepted options, DATA 1 as soon as
        data is supplied. ``max_window_bytes`` caps what one window holds (a server's memory
        budget; see :func:`~ciscocfg.tftp.negotiate`): a larger ``windowsize`` or ``blksize``
        is granted smaller.
        """
        self._check_pending("accept")
        self._now = now
        if size is not None and size < 0:
            raise LocalProtocolError("size must not be negative")
        oack, negotiated = negotiate(
            self._requested,
            self._policy,
            is_read=True,
            transfer_size=size,
            max_window_bytes=max_window_bytes,
        )
        self._options = oack
        self._adopt(negotiated)
        self._total = size
        if oack:
            self._set_state(Input.ACCEPT_WITH_OACK)
            self._oack = encode(OptionAck(oack))
            self._send(self._oack)
            self._arm(now)
            self._events.append(OptionsNegotiated(negotiated, dict(oack)))
            # Data can be prepared while the client confirms the OACK.
            self._request_data()
        else:
            self._set_state(Input.ACCEPT)
            self._events.append(OptionsNegotiated(negotiated, {}))
            self._start_sending(negotiated, now)

    @property
    def answered(self) -> bool:
        state = self._state
        if self._base > 1:
            return True  # a block was acknowledged
        # ACK 0 confirmed the OACK.
        return bool(self._oack) and state is not State.NEGOTIATING and state is not State.PENDING

    def _on_datagram(
        self, opcode: int, number: int, data: bytes | bytearray | memoryview, now: float
    ) -> None:
        if opcode == 4:
            state = self._state
            if state is State.SENDING:
                self._on_ack(number, data, now)
            elif state is State.NEGOTIATING and number == 0:
                self._set_state(Input.CONFIRMED)
                self._deadline = None
                self._progressed()
                self._start_sending(self._negotiated, now)
            # Any other ACK before sending starts is stale: ignore it.
        elif opcode == 5:
            self._peer_error(data, now)
        elif opcode == 1 or opcode == 2:
            pass  # the client repeated its request: this transfer already answers it
        elif self._state is not State.PENDING:
            self._protocol_error(f"unexpected opcode {opcode} from the client", now)

    def _retransmit(self, now: float) -> None:
        if self._state is State.NEGOTIATING:
            self._retransmits += 1
            self._send(self._oack)
        else:
            self._retransmit_data()


class ServerWrite(_Server[WriteRequest], Receiver):
    """Receive one WRQ: data arrives as ``DataReceived`` events and is acknowledged for you.

    Made like :class:`ServerRead`, with a write request. With ``accept(now, store_first=True)``
    the final block is not acknowledged at once: the engine waits (state ``STORING``, no timer)
    until the application has stored the file and calls :meth:`stored`, or refuses it with
    ``abort`` (ERROR 3 disk full, 6 file exists ...). A client is then never told that a file
    it sent is there when it is not.
    """

    _role = EngineRole.SERVER_WRITE
    #: The OACK or ACK 0 that answered the request, kept to send again.
    _first = b""

    def _start_half(self) -> None:
        super()._start_half()
        if self._policy.max_upload_size is not None:
            self._limit = self._policy.max_upload_size

    def accept(self, now: float, *, store_first: bool = False) -> None:
        """Take the upload: sends the OACK or ACK 0.

        A ``tsize`` over ``policy.max_upload_size`` is refused with ERROR 3 instead (the
        transfer fails; a ``TransferFailed`` event says so). ``store_first`` holds the final
        ACK until :meth:`stored` is called (see the class).
        """
        self._check_pending("accept")
        self._now = now
        self._hold_final = store_first
        try:
            oack, negotiated = negotiate(self._requested, self._policy, is_read=False)
        except OptionsRejected as exc:
            self._fail(exc.error_code, exc.message, now, reason="negotiation", send=True)
            return
        self._options = oack
        self._start_receiving(negotiated)
        if oack:
            self._set_state(Input.ACCEPT_WITH_OACK)
            self._first = encode(OptionAck(oack))
        else:
            self._set_state(Input.ACCEPT)
            self._first = ack_bytes(0)
        self._events.append(OptionsNegotiated(negotiated, dict(oack)))
        self._send(self._first)
        self._arm(now)

    @property
    def answered(self) -> bool:
        return self._expected > 1  # DATA 1 came

    def stored(self, now: float) -> None:
        """The uploaded file is stored: send the final ACK, complete and dally."""
        if self._state is not State.STORING:
            raise LocalProtocolError(f"stored() on a transfer that is {self._state.value}")
        self._now = now
        self._ack(self._expected - 1)
        self._set_state(Input.STORED)
        self._complete(now)
        self._deadline = now + self._retry.dally * self._timeout

    def _on_datagram(
        self, opcode: int, number: int, data: bytes | bytearray | memoryview, now: float
    ) -> None:
        if opcode == 3:
            state = self._state
            if state is not State.PENDING and state is not State.STORING:
                # While storing, a repeated final DATA waits for the ACK that storing ends with.
                self._on_data(number, data, now)
        elif opcode == 5:
            self._peer_error(data, now)
        elif opcode == 1 or opcode == 2:
            pass  # the client repeated its request: this transfer already answers it
        elif self._state is not State.PENDING and self._state is not State.DALLYING:
            self._protocol_error(f"unexpected opcode {opcode} from the client", now)

    def _retransmit(self, now: float) -> None:
        if self._expected == 1:
            self._retransmits += 1
            self._send(self._first)  # OACK or ACK 0 not confirmed yet
        else:
            self._retransmit_ack()


class RequestTracker:
    """Port-69 bookkeeping: decode requests and drop repeats from clients already being served.

    Cisco phones resend a request from the same port while the first transfer runs (spec
    §1.13 item 6); a repeated request must not start a second transfer. Call :meth:`finished`
    when a transfer's engine is done. Datagrams that are not requests get ERROR 4, malformed
    ones ERROR 4 with the reason, both queued in the same outbox style as the engines.
    """

    def __init__(self, *, max_request: int = MAX_DECODED_REQUEST) -> None:
        self._max_request = max_request
        self._live: set[tuple[object, object]] = set()
        self._outbox: list[tuple[bytes, Address]] = []

    def receive_datagram(
        self, data: bytes | bytearray | memoryview, source: Address
    ) -> ReadRequest | WriteRequest | None:
        """A new request to serve, or ``None`` (duplicate, junk or not a request)."""
        if len(data) < 4:
            return None  # runt: dropped
        key = (source[0], source[1])
        try:
            packet = decode(data, max_request=self._max_request)
        except MalformedPacket as exc:
            self._outbox.append((_error(ErrorCode.ILLEGAL_OPERATION, exc.message), source))
            return None
        if not isinstance(packet, ReadRequest | WriteRequest):
            if packet.opcode != 5:  # an ERROR is never answered
                reply = _error(ErrorCode.ILLEGAL_OPERATION, "only requests are served here")
                self._outbox.append((reply, source))
            return None
        if key in self._live:
            return None
        self._live.add(key)
        return packet

    def finished(self, source: Address) -> None:
        """The transfer for ``source`` is over: a new request from it starts a new one."""
        self._live.discard((source[0], source[1]))

    def active(self, source: Address) -> bool:
        """Whether a transfer for ``source`` is running."""
        return (source[0], source[1]) in self._live

    def datagrams_to_send(self) -> list[tuple[bytes, Address]]:
        """Drain the ERRORs queued for junk sent to port 69."""
        out, self._outbox = self._outbox, []
        return out


def _error(code: int, message: str) -> bytes:
    return encode(Error(code, message))

"""Client-side engines: the request goes to the server's port, the transfer to its new TID.

The engine queues the request at construction and resends it on timeout. The first answer from
the server's host fixes the peer (RFC 1350 §4: the server replies from a fresh port); anything
from another source afterwards gets ERROR 5. An OACK is checked against the options asked for
and refused with ERROR 8 when RFC 2347 says so (an option not asked for, a larger blksize ...).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from ciscocfg._errors import LocalProtocolError, MalformedPacket
from ciscocfg.tftp._engine import Receiver, Sender, Transfer
from ciscocfg.tftp._machine import EngineRole, Input, State
from ciscocfg.tftp.events import Address, OptionsNegotiated
from ciscocfg.tftp.options import (
    DEFAULT_TIMEOUT,
    TIMEOUT_MAX,
    TIMEOUT_MIN,
    Negotiated,
    OptionsRejected,
    RetryPolicy,
    accept_oack,
)
from ciscocfg.tftp.packets import (
    HEADER,
    ErrorCode,
    OptionAck,
    ReadRequest,
    WriteRequest,
    ack_bytes,
    decode,
    encode,
    parse_mode,
)

__all__ = ["ClientRead", "ClientWrite"]

_DEFAULT_RETRY = RetryPolicy()


def _request_timeout(options: Mapping[str, str]) -> float:
    """Retransmit the request at the timeout we ask for (RFC 2349), else the default."""
    for name, value in options.items():
        if (
            name.lower() == "timeout"
            and value.isascii()
            and value.isdigit()
            and TIMEOUT_MIN <= int(value) <= TIMEOUT_MAX
        ):
            return float(value)
    return DEFAULT_TIMEOUT


def _same_host(a: object, b: object) -> bool:
    if a == b:
        return True
    try:
        return ipaddress.ip_address(str(a)) == ipaddress.ip_address(str(b))
    except ValueError:
        # A host name (not an address) was given: the resolver's answer cannot be checked here.
        return True


def _build_request(
    cls: type[ReadRequest] | type[WriteRequest],
    filename: str,
    mode: str,
    options: dict[str, str],
) -> bytes:
    try:
        parse_mode(mode)
        return encode(cls(filename, mode, options))
    except (MalformedPacket, ValueError) as exc:
        raise LocalProtocolError(f"cannot send this request: {exc}") from None


class _Client(Transfer):
    """What both clients share: the request, its retransmission, locking on the answer."""

    _server: Address
    _request: bytes
    _asked_options: Mapping[str, str]
    #: The request the client sends.
    _packet: type[ReadRequest] | type[WriteRequest]

    def _send_request(
        self,
        filename: str,
        now: float,
        server: Address,
        mode: str,
        options: dict[str, str],
        retry: RetryPolicy,
    ) -> None:
        """Start the transfer: the request is queued for ``server``, and resent on timeout at
        the timeout it asks for."""
        request = _build_request(self._packet, filename, mode, options)
        self.mode = parse_mode(mode)
        Transfer.__init__(
            self, filename, None, now, State.REQUESTING, retry, _request_timeout(options)
        )
        self._server = server
        self._request = request
        self._asked_options = options
        self._outbox.append((request, server))
        self._arm(now)

    def _fallback_destination(self) -> Address | None:
        return self._server

    def _lock(self, source: Address, data: bytes | bytearray | memoryview, now: float) -> bool:
        """Lock on ``source`` if it may be the server; ``False`` if the datagram was handled."""
        if self._done:
            return False
        if not _same_host(source[0], self._server[0]):
            self._from_stranger(data, source)
            return False
        if len(data) < 4 or self._state is not State.REQUESTING:
            return False
        self._peer = source
        return True

    def _oack(
        self, data: bytes | bytearray | memoryview, now: float
    ) -> tuple[Negotiated, dict[str, str]] | None:
        try:
            packet = decode(data)
        except MalformedPacket as exc:
            self._protocol_error(f"malformed OACK: {exc.message}", now)
            return None
        assert isinstance(packet, OptionAck)
        try:
            negotiated = accept_oack(self._asked_options, packet.options)
        except OptionsRejected as exc:
            self._fail(exc.error_code, exc.message, now, reason="negotiation", send=True)
            return None
        self._options = dict(packet.options)
        return negotiated, self._options

    def _resend_request(self) -> None:
        self._retransmits += 1
        self._outbox.append((self._request, self._server))


class ClientRead(_Client, Receiver):
    """Read ``filename`` from ``server``: data arrives as ``DataReceived`` events.

    ``max_size`` (octets as they come over the wire; ``None``: no limit) bounds the download:
    an OACK ``tsize`` above it is answered with ERROR 3 instead of ACK 0, and so is the first
    DATA that would take the transfer past it. Either way the transfer fails (reason
    ``"negotiation"`` or ``"protocol"``) and no octet beyond the limit is handed on.
    """

    _role = EngineRole.CLIENT_READ
    _packet = ReadRequest
    _limited = "download"

    def __init__(
        self,
        filename: str,
        now: float,
        *,
        server: Address,
        mode: str = "octet",
        options: Mapping[str, str] | None = None,
        retry: RetryPolicy = _DEFAULT_RETRY,
        max_size: int | None = None,
    ) -> None:
        if max_size is not None and max_size < 0:
            raise LocalProtocolError("max_size must not be negative")
        self._send_request(filename, now, server, mode, dict(options or {}), retry)
        if max_size is not None:
            self._limit = max_size

    def _before_lock(
        self, data: bytes | bytearray | memoryview, source: Address, now: float
    ) -> None:
        if not self._lock(source, data, now):
            return
        opcode, number = HEADER.unpack_from(data)
        if opcode == 3:
            if number != 1:
                self._protocol_error(f"first DATA is block {number}, not 1", now)
                return
            negotiated = Negotiated()  # options ignored: RFC 1350 defaults
            self._start_receiving(negotiated)
            self._events.append(OptionsNegotiated(negotiated, {}))
            self._progressed()
            self._on_data(number, data, now)
        elif opcode == 6:
            result = self._oack(data, now)
            if result is None:
                return
            negotiated, oack = result
            if negotiated.tsize is not None and negotiated.tsize > self._limit:
                # Refused before the first block: ERROR 3 in place of ACK 0.
                self._fail(
                    ErrorCode.DISK_FULL,
                    f"file of {negotiated.tsize} bytes exceeds the limit of {self._limit}",
                    now,
                    reason="negotiation",
                    send=True,
                )
                return
            self._start_receiving(negotiated)
            self._set_state(Input.OACK_RECEIVED)
            self._events.append(OptionsNegotiated(negotiated, dict(oack)))
            self._progressed()
            self._send(ack_bytes(0))  # RFC 2347: a read client confirms the OACK with ACK 0
            self._arm(now)
        elif opcode == 5:
            self._peer_error(data, now)
        else:
            self._protocol_error(f"unexpected opcode {opcode} in answer to a read request", now)

    def _on_datagram(
        self, opcode: int, number: int, data: bytes | bytearray | memoryview, now: float
    ) -> None:
        if opcode == 3:
            self._on_data(number, data, now)
        elif opcode == 5:
            self._peer_error(data, now)
        elif opcode == 6:
            if self._expected == 1:
                self._send(ack_bytes(0))  # our ACK 0 was lost: the server repeats its OACK
        elif self._state is not State.DALLYING:
            self._protocol_error(f"unexpected opcode {opcode} from the server", now)

    def _retransmit(self, now: float) -> None:
        if self._state is State.REQUESTING:
            self._resend_request()
        else:
            self._retransmit_ack()


class ClientWrite(_Client, Sender):
    """Write ``filename`` to ``server``: answer ``NeedData`` with ``supply``/``supply_eof``.

    ``size``, when known, is offered as ``tsize`` (unless ``options`` already has one).
    """

    _role = EngineRole.CLIENT_WRITE
    _packet = WriteRequest

    def __init__(
        self,
        filename: str,
        now: float,
        *,
        server: Address,
        mode: str = "octet",
        options: Mapping[str, str] | None = None,
        size: int | None = None,
        retry: RetryPolicy = _DEFAULT_RETRY,
    ) -> None:
        asked = dict(options or {})
        if size is not None:
            if size < 0:
                raise LocalProtocolError("size must not be negative")
            if not any(name.lower() == "tsize" for name in asked):
                asked["tsize"] = str(size)
        self._send_request(filename, now, server, mode, asked, retry)
        self._total = size

    def _before_lock(
        self, data: bytes | bytearray | memoryview, source: Address, now: float
    ) -> None:
        if not self._lock(source, data, now):
            return
        opcode, number = HEADER.unpack_from(data)
        if opcode == 4 and number == 0:
            negotiated = Negotiated()  # options ignored: RFC 1350 defaults
            self._set_state(Input.CONFIRMED)
            self._events.append(OptionsNegotiated(negotiated, {}))
        elif opcode == 6:
            result = self._oack(data, now)
            if result is None:
                return
            negotiated, oack = result
            self._set_state(Input.OACK_RECEIVED)
            self._events.append(OptionsNegotiated(negotiated, dict(oack)))
        elif opcode == 5:
            self._peer_error(data, now)
            return
        else:
            self._protocol_error(f"unexpected answer (opcode {opcode}) to a write request", now)
            return
        self._deadline = None
        self._progressed()
        # RFC 2347: a write client confirms an OACK by starting with DATA 1.
        self._start_sending(negotiated, now)

    def _on_datagram(
        self, opcode: int, number: int, data: bytes | bytearray | memoryview, now: float
    ) -> None:
        if opcode == 4:
            self._on_ack(number, data, now)
        elif opcode == 5:
            self._peer_error(data, now)
        elif opcode != 6:  # a repeated OACK is ignored: our timeout resends DATA 1
            self._protocol_error(f"unexpected opcode {opcode} from the server", now)

    def _retransmit(self, now: float) -> None:
        if self._state is State.REQUESTING:
            self._resend_request()
        else:
            self._retransmit_data()

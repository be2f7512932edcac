"""A hostile TFTP server on loopback, built with the library's own codec, for the client's
regression tests: it announces sizes it does not mean, streams without end through the
block-number wrap, answers with error texts made to attack a terminal, or stalls.

Every behaviour is bounded: the server stops when the client sends an ERROR, when the test
leaves the ``with`` block, or after ``deadline`` seconds, whichever comes first.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ciscocfg.tftp import (
    Ack,
    Data,
    Error,
    MalformedPacket,
    OptionAck,
    Packet,
    ReadRequest,
    decode,
    encode,
)

__all__ = [
    "HostileServer",
    "announce_size",
    "hostile_server",
    "refuse_with",
    "serve_anything",
    "stall_after_first_block",
    "stream_forever",
]


@dataclass
class HostileServer:
    """What the test sees: where the server listens and what the client sent it."""

    host: str
    port: int
    #: Every packet the client sent, request included, in order.
    received: list[Packet] = field(default_factory=list)
    #: DATA blocks sent, counted as absolute block numbers (past any wrap).
    blocks_sent: int = 0
    #: Set when the client sent an ERROR (the transfer is over for both sides).
    client_error: threading.Event = field(default_factory=threading.Event)
    #: Set once the client acknowledged a block with data in it.
    data_acked: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def errors(self) -> list[Error]:
        """The ERRORs the client sent."""
        return [p for p in self.received if isinstance(p, Error)]

    @property
    def acks(self) -> list[int]:
        """The block numbers the client acknowledged, as on the wire."""
        return [p.block for p in self.received if isinstance(p, Ack)]


class _Link:
    """The server's side of one transfer: a fresh socket (a new TID), as RFC 1350 wants."""

    def __init__(self, state: HostileServer, client: tuple[str, int], end: float) -> None:
        self.state = state
        self.client = client
        self.end = end
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((state.host, 0))

    def send(self, packet: Packet) -> None:
        if isinstance(packet, Data):
            self.state.blocks_sent += 1
        self.sock.sendto(encode(packet), self.client)

    def send_raw(self, datagram: bytes) -> None:
        self.sock.sendto(datagram, self.client)

    def over(self) -> bool:
        state = self.state
        return state.stop.is_set() or state.client_error.is_set() or time.monotonic() > self.end

    def receive(self, timeout: float) -> Packet | None:
        """The client's next packet, or ``None`` after ``timeout`` (or once it is all over)."""
        self.sock.settimeout(timeout)
        while not self.over():
            try:
                data, source = self.sock.recvfrom(65536)
            except TimeoutError:
                return None
            if source != self.client:
                continue
            try:
                packet = decode(data)
            except MalformedPacket:
                continue
            self.state.received.append(packet)
            if isinstance(packet, Error):
                self.state.client_error.set()
                return None
            return packet
        return None


Behaviour = Callable[[_Link, ReadRequest], None]


@contextlib.contextmanager
def hostile_server(behaviour: Behaviour, *, deadline: float = 60.0) -> Iterator[HostileServer]:
    """Listen on a free loopback port; each read request is answered by ``behaviour``."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.1)
    state = HostileServer("127.0.0.1", listener.getsockname()[1])
    end = time.monotonic() + deadline

    def serve() -> None:
        while not state.stop.is_set() and time.monotonic() < end:
            try:
                data, client = listener.recvfrom(65536)
            except TimeoutError:
                continue
            except OSError:
                return
            with contextlib.suppress(MalformedPacket):
                request = decode(data)
                if isinstance(request, ReadRequest):
                    state.received.append(request)
                    link = _Link(state, client, end)
                    try:
                        behaviour(link, request)
                    finally:
                        link.sock.close()

    thread = threading.Thread(target=serve, name="hostile-tftp", daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stop.set()
        thread.join(10)
        listener.close()


def serve_anything(data: bytes) -> Behaviour:
    """Serve ``data`` under whatever name is asked for (``..`` included), lock-step, ignoring
    options."""

    def behaviour(link: _Link, request: ReadRequest) -> None:
        block = 1
        while True:
            chunk = data[(block - 1) * 512 : block * 512]
            link.send(Data(block & 0xFFFF, chunk))
            reply = link.receive(2.0)
            if reply is None:
                if link.over():
                    return
                continue  # resend
            if isinstance(reply, Ack) and reply.block == block & 0xFFFF:
                if len(chunk) < 512:
                    return
                block += 1

    return behaviour


def refuse_with(code: int, message: bytes) -> Behaviour:
    """Answer with ERROR ``code`` carrying ``message`` byte for byte."""

    def behaviour(link: _Link, request: ReadRequest) -> None:
        link.send(Error(code, message.decode("utf-8", "surrogateescape")))

    return behaviour


def announce_size(size: int) -> Behaviour:
    """OACK a ``tsize`` of ``size`` (however large) and, if the client says go with ACK 0,
    send full blocks until stopped."""

    def behaviour(link: _Link, request: ReadRequest) -> None:
        link.send(OptionAck({"tsize": str(size)}))
        reply = link.receive(5.0)
        if isinstance(reply, Ack) and reply.block == 0:
            _send_blocks(link, 512, 1, 0)

    return behaviour


def stream_forever(*, wrap_to: int = 0) -> Behaviour:
    """Send full blocks and never the short one that would end the file, past the 65535th
    block number to ``wrap_to``; honours the blksize and windowsize asked for."""

    def behaviour(link: _Link, request: ReadRequest) -> None:
        asked = {name.lower(): value for name, value in request.options.items()}
        blksize = int(asked.get("blksize", "512"))
        window = int(asked.get("windowsize", "1"))
        granted = {k: v for k, v in request.options.items() if k.lower() in _STREAM_OPTIONS}
        if granted:
            link.send(OptionAck(granted))
            reply = link.receive(5.0)
            if not (isinstance(reply, Ack) and reply.block == 0):
                return
        _send_blocks(link, blksize, window, wrap_to)

    return behaviour


_STREAM_OPTIONS = frozenset({"blksize", "windowsize"})


def _wire(block: int, wrap_to: int) -> int:
    return block & 0xFFFF if wrap_to == 0 else (block - 1) % 65535 + 1


def _send_blocks(link: _Link, blksize: int, window: int, wrap_to: int) -> None:
    """Windows of full blocks, each sent when the one before is acknowledged, forever."""
    payload = bytes(blksize)
    headers: dict[int, bytes] = {}
    acked = 0
    while not link.over():
        for block in range(acked + 1, acked + window + 1):
            wire = _wire(block, wrap_to)
            header = headers.get(wire)
            if header is None:
                header = headers[wire] = encode(Data(wire, b""))
            link.send_raw(header + payload)
        link.state.blocks_sent = max(link.state.blocks_sent, acked + window)
        reply = link.receive(2.0)
        if isinstance(reply, Ack):
            # The acknowledged block, as an absolute number, among those just sent.
            for block in range(acked + window, acked, -1):
                if _wire(block, wrap_to) == reply.block:
                    acked = block
                    break


def stall_after_first_block(link: _Link, request: ReadRequest) -> None:
    """Send one full block, then say nothing more while the client waits (until stopped)."""
    link.send(Data(1, bytes(512)))
    while not link.over():
        reply = link.receive(0.2)
        if isinstance(reply, Ack) and reply.block == 1:
            link.state.data_acked.set()

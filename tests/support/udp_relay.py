"""A lossy loopback UDP relay for fault tests: drops, duplicates and reorders datagrams.

The relay sits between a client and a TFTP server. The client sends its request to the relay's
front port; for every client the relay opens a back socket towards the server, learns the
server's transfer port from the first reply and forwards both ways. Each datagram is dropped,
duplicated or held back (and sent after the next one) at the given rates, from a seeded random
generator, so a failing run can be replayed.

It runs in a thread with plain blocking sockets, so it works beside an asyncio server and
beside subprocess clients alike.
"""

from __future__ import annotations

import random
import selectors
import socket
import threading
from dataclasses import dataclass
from types import TracebackType

__all__ = ["Faults", "UdpRelay"]

Address = tuple[str, int]


@dataclass(frozen=True)
class Faults:
    """Rates in [0, 1] applied to each datagram, both ways."""

    drop: float = 0.0
    duplicate: float = 0.0
    reorder: float = 0.0
    seed: int = 0


@dataclass
class _Flow:
    client: Address
    back: socket.socket
    server: Address
    held_to_server: bytes | None = None
    held_to_client: bytes | None = None


@dataclass
class RelayCounters:
    forwarded: int = 0
    dropped: int = 0
    duplicated: int = 0
    reordered: int = 0
    flows: int = 0


class UdpRelay:
    """``with UdpRelay(server_port, Faults(...)) as relay:`` then talk to ``relay.port``."""

    def __init__(self, server_port: int, faults: Faults, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self.server_port = server_port
        self.faults = faults
        self.counters = RelayCounters()
        self._random = random.Random(faults.seed)
        self._front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._front.bind((host, 0))
        self.port: int = self._front.getsockname()[1]
        self._flows: dict[Address, _Flow] = {}
        self._by_back: dict[socket.socket, _Flow] = {}
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._front, selectors.EVENT_READ)
        self._stop_r, self._stop_w = socket.socketpair()
        self._selector.register(self._stop_r, selectors.EVENT_READ)
        self._thread = threading.Thread(target=self._run, name="udp-relay", daemon=True)

    def __enter__(self) -> UdpRelay:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop_w.send(b"x")
        self._thread.join(5)
        for flow in self._flows.values():
            flow.back.close()
        for sock in (self._front, self._stop_r, self._stop_w):
            sock.close()
        self._selector.close()

    def _send(self, sock: socket.socket, data: bytes, to: Address, flow: _Flow, up: bool) -> None:
        """Forward one datagram through the fault model."""
        faults = self.faults
        roll = self._random.random
        if roll() < faults.drop:
            self.counters.dropped += 1
            return
        held_attr = "held_to_server" if up else "held_to_client"
        if getattr(flow, held_attr) is None and roll() < faults.reorder:
            setattr(flow, held_attr, data)
            self.counters.reordered += 1
            return
        copies = 2 if roll() < faults.duplicate else 1
        self.counters.duplicated += copies - 1
        for _ in range(copies):
            self._transmit(sock, data, to)
        held = getattr(flow, held_attr)
        if held is not None:
            setattr(flow, held_attr, None)
            self._transmit(sock, held, to)

    def _transmit(self, sock: socket.socket, data: bytes, to: Address) -> None:
        try:
            sock.sendto(data, to)
            self.counters.forwarded += 1
        except OSError:
            self.counters.dropped += 1

    def _run(self) -> None:
        while True:
            for key, _ in self._selector.select(0.05):
                sock = key.fileobj
                if sock is self._stop_r:
                    return
                assert isinstance(sock, socket.socket)
                try:
                    data, source = sock.recvfrom(65536)
                except OSError:
                    continue
                if sock is self._front:
                    flow = self._flows.get(source)
                    if flow is None:
                        back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        back.bind((self.host, 0))
                        flow = _Flow(source, back, (self.host, self.server_port))
                        self._flows[source] = flow
                        self._by_back[back] = flow
                        self._selector.register(back, selectors.EVENT_READ)
                        self.counters.flows += 1
                    self._send(flow.back, data, flow.server, flow, up=True)
                else:
                    flow = self._by_back[sock]
                    # The server answers from a fresh transfer port: follow it.
                    flow.server = (source[0], source[1])
                    self._send(self._front, data, flow.client, flow, up=False)

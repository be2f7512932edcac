"""An in-memory network on a virtual clock, for tests and benchmarks of the engines.

:class:`Conversation` joins one client engine to the server engine its request creates, the way
an embedding server would (a :class:`~ciscocfg.tftp.server.RequestTracker` on port 69, a fresh
server TID per transfer), and plays the application on both sides: it answers ``NeedData`` from
the bytes to send and collects ``DataReceived``. Datagrams wait in :attr:`Conversation.in_flight`
until a test delivers, drops, duplicates or reorders them; time only moves when a test fires
the timers. :func:`run_lossless` is the fast path the benchmarks use.

Standard library only, and no randomness inside: pass ``chance`` (a callable returning floats in
``[0, 1)``, e.g. ``random.Random(seed).random``) to :meth:`Conversation.run` for a lossy link.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ciscocfg._errors import ValidationError
from ciscocfg.tftp._engine import Sender, Transfer
from ciscocfg.tftp.client import ClientRead, ClientWrite
from ciscocfg.tftp.events import Address, DataReceived, NeedData, Progress, TransferFailed
from ciscocfg.tftp.options import RetryPolicy, ServerPolicy
from ciscocfg.tftp.packets import ReadRequest, WriteRequest
from ciscocfg.tftp.server import RequestTracker, ServerRead, ServerWrite

__all__ = [
    "CLIENT",
    "SERVER",
    "SERVER_TID",
    "Conversation",
    "Datagram",
    "run_lossless",
]

#: Addresses used on the in-memory network.
CLIENT: Address = ("192.0.2.10", 50000)
SERVER: Address = ("192.0.2.1", 69)
SERVER_TID: Address = ("192.0.2.1", 40000)


@dataclass(frozen=True, slots=True)
class Datagram:
    """One datagram on the wire."""

    data: bytes
    source: Address
    destination: Address


@dataclass
class _Side:
    engine: Transfer | None = None
    received: bytearray = field(default_factory=bytearray)
    failure: TransferFailed | None = None
    completed: bool = False
    offsets_ok: bool = True


class Conversation:
    """A client and a server engine joined by an in-memory link (see the module docstring).

    ``direction`` is ``"read"`` (client downloads ``data``) or ``"write"`` (client uploads it).
    ``supply_chunk`` is how many bytes the sending application hands over per ``NeedData``
    (``None``: as many as asked).
    """

    def __init__(
        self,
        data: bytes,
        *,
        direction: str = "read",
        options: Mapping[str, str] | None = None,
        policy: ServerPolicy | None = None,
        retry: RetryPolicy | None = None,
        supply_chunk: int | None = None,
        offer_size: bool = True,
        filename: str = "SEP001122334455.cnf.xml",
    ) -> None:
        if direction not in ("read", "write"):
            raise ValidationError("direction is 'read' or 'write'")
        self.data = data
        self.direction = direction
        self.now = 0.0
        self.policy = policy or ServerPolicy(retry=retry or RetryPolicy())
        self.supply_chunk = supply_chunk
        self.offer_size = offer_size
        self.in_flight: list[Datagram] = []
        self.tracker = RequestTracker()
        self.client = _Side()
        self.server = _Side()
        #: DATA datagrams sent by each side, per step that caused them (delivery or timer).
        self.data_per_step: list[int] = []
        self.steps = 0
        #: Largest number of DATA sent in answer to ACKs that acknowledged nothing new, between
        #: two ACKs that did: 0 in lock-step (RFC 1123's Sorcerer's Apprentice fix), at most one
        #: window with windows.
        self.worst_stale_ack_burst = 0
        self._stale_burst = 0
        self._positions: dict[int, int] = {}
        #: Progress events seen, by ``id()`` of the engine that emitted them.
        self.progress: dict[int, list[Progress]] = {}
        client: Transfer
        if direction == "read":
            client = ClientRead(
                filename, self.now, server=SERVER, options=options, retry=retry or RetryPolicy()
            )
        else:
            client = ClientWrite(
                filename,
                self.now,
                server=SERVER,
                options=options,
                size=len(data) if offer_size else None,
                retry=retry or RetryPolicy(),
            )
        self.client.engine = client
        self._collect()

    # --- observing ----------------------------------------------------------------------------

    @property
    def client_engine(self) -> Transfer:
        """The client's engine."""
        assert self.client.engine is not None
        return self.client.engine

    @property
    def server_engine(self) -> Transfer | None:
        """The server's engine, once the request got through."""
        return self.server.engine

    @property
    def receiver(self) -> _Side:
        """The side that receives the data."""
        return self.client if self.direction == "read" else self.server

    @property
    def sender(self) -> _Side:
        """The side that sends the data."""
        return self.server if self.direction == "read" else self.client

    @property
    def finished(self) -> bool:
        """Both engines done (a server that never saw the request counts as done)."""
        server = self.server.engine
        return self.client_engine.done and (server is None or server.done)

    def timers(self) -> list[float]:
        """Pending deadlines of both engines."""
        engines = [self.client.engine, self.server.engine]
        return [t for e in engines if e is not None and (t := e.get_timer()) is not None]

    # --- acting -------------------------------------------------------------------------------

    def deliver(self, index: int = 0) -> None:
        """Hand the datagram at ``index`` of :attr:`in_flight` to its destination."""
        datagram = self.in_flight.pop(index)
        sender = self.sender.engine
        is_ack = datagram.data[:2] == b"\x00\x04" and sender is not None
        before = (sender.stats.blocks, sender.state) if sender is not None and is_ack else None
        self._step(lambda: self._hand(datagram))
        if sender is not None and is_ack and datagram.destination != SERVER:
            if (sender.stats.blocks, sender.state) == before:
                self._stale_burst += self.data_per_step[-1]
                self.worst_stale_ack_burst = max(self.worst_stale_ack_burst, self._stale_burst)
            else:
                self._stale_burst = 0

    def drop(self, index: int = 0) -> None:
        """Lose the datagram at ``index``."""
        del self.in_flight[index]

    def duplicate(self, index: int = 0) -> None:
        """Put a copy of the datagram at ``index`` at the end of the queue."""
        self.in_flight.append(self.in_flight[index])

    def inject(self, data: bytes, source: Address, destination: Address) -> None:
        """Deliver a datagram from anywhere (a stranger, a repeated request ...) right now."""
        self._step(lambda: self._hand(Datagram(data, source, destination)))

    def fire_timers(self) -> bool:
        """Advance the clock to the earliest deadline and fire it; ``False`` if none is set."""
        pending = self.timers()
        if not pending:
            return False
        self.now = max(self.now, min(pending))
        for side in (self.client, self.server):
            engine = side.engine
            if engine is not None:
                deadline = engine.get_timer()
                if deadline is not None and deadline <= self.now:
                    self._step(functools.partial(engine.handle_timer, self.now))
        return True

    def advance(self, seconds: float) -> None:
        """Let time pass without firing anything."""
        self.now += seconds

    def run(
        self,
        chance: Callable[[], float] | None = None,
        *,
        loss: float = 0.0,
        duplicate: float = 0.0,
        reorder: float = 0.0,
        max_steps: int = 1_000_000,
    ) -> None:
        """Run until both sides are done, losing/duplicating/reordering with the given odds."""
        for _ in range(max_steps):
            if self.finished and not self.in_flight:
                return
            if self.in_flight:
                index = 0
                if chance is not None:
                    if reorder and len(self.in_flight) > 1 and chance() < reorder:
                        index = int(chance() * len(self.in_flight))
                    if duplicate and chance() < duplicate:
                        self.duplicate(index)
                    if loss and chance() < loss:
                        self.drop(index)
                        continue
                self.deliver(index)
            elif not self.fire_timers():
                return
        raise RuntimeError("conversation did not settle")

    def settle(self, max_steps: int = 1_000_000) -> None:
        """Deliver everything without loss and fire timers until both sides are done."""
        self.run(max_steps=max_steps)

    # --- plumbing -----------------------------------------------------------------------------

    def _step(self, action: Callable[[], None]) -> None:
        self.steps += 1
        action()
        self._collect(count=True)

    def _hand(self, datagram: Datagram) -> None:
        destination = datagram.destination
        if destination == SERVER:
            request = self.tracker.receive_datagram(datagram.data, datagram.source)
            if request is not None and self.server.engine is None:
                self._start_server(request, datagram.source)
            return
        if destination == SERVER_TID:
            engine = self.server.engine
        elif destination == CLIENT:
            engine = self.client.engine
        else:
            return  # to a stranger: nobody listens
        if engine is not None:
            engine.receive_datagram(datagram.data, datagram.source, self.now)

    def _start_server(self, request: ReadRequest | WriteRequest, source: Address) -> None:
        if isinstance(request, ReadRequest):
            reader = ServerRead(request, source, self.now, policy=self.policy)
            self.server.engine = reader
            reader.accept(self.now, size=len(self.data) if self.offer_size else None)
        else:
            writer = ServerWrite(request, source, self.now, policy=self.policy)
            self.server.engine = writer
            writer.accept(self.now)

    def _collect(self, *, count: bool = False) -> None:
        sent = 0
        progress = True
        while progress:
            progress = False
            for side, address in ((self.client, CLIENT), (self.server, SERVER_TID)):
                engine = side.engine
                if engine is None:
                    continue
                for event in engine.events():
                    progress = True
                    self._react(side, engine, event)
                for data, destination in engine.datagrams_to_send():
                    progress = True
                    if data[:2] == b"\x00\x03":
                        sent += 1
                    self.in_flight.append(Datagram(data, address, destination))
            for data, destination in self.tracker.datagrams_to_send():
                self.in_flight.append(Datagram(data, SERVER, destination))
        if count:
            self.data_per_step.append(sent)

    def _react(self, side: _Side, engine: Transfer, event: object) -> None:
        if isinstance(event, NeedData):
            assert isinstance(engine, Sender)
            position = self._positions.get(id(engine), 0)
            if position > len(self.data):
                return  # end of data already given
            size = event.max_bytes if self.supply_chunk is None else self.supply_chunk
            chunk = self.data[position : position + size]
            self._positions[id(engine)] = position + len(chunk)
            if chunk:
                engine.supply(chunk, self.now)
            if position + len(chunk) >= len(self.data):
                self._positions[id(engine)] = len(self.data) + 1
                engine.supply_eof(self.now)
        elif isinstance(event, DataReceived):
            if event.offset != len(side.received):
                side.offsets_ok = False
            side.received += event.payload
        elif isinstance(event, Progress):
            self.progress.setdefault(id(engine), []).append(event)
        elif isinstance(event, TransferFailed):
            side.failure = event
        elif type(event).__name__ == "TransferComplete":
            side.completed = True


def run_lossless(
    data: bytes,
    *,
    direction: str = "read",
    options: Mapping[str, str] | None = None,
    policy: ServerPolicy | None = None,
) -> tuple[int, bytes]:
    """Transfer ``data`` over a perfect link as fast as the engines go.

    Returns the number of DATA blocks exchanged and the bytes received. The application side
    supplies the whole payload at once, as a generated file would be.
    """
    now = 0.0
    if direction == "read":
        client: ClientRead | ClientWrite = ClientRead(
            "bench.bin", now, server=SERVER, options=options
        )
    else:
        client = ClientWrite("bench.bin", now, server=SERVER, options=options, size=len(data))
    # Payloads are views into the datagrams: an embedding copies them into its sink (a file),
    # and so does this loop, which lets every datagram be freed as soon as it is handled.
    sink = io.BytesIO()
    ((request, _),) = client.datagrams_to_send()
    tracker = RequestTracker()
    packet = tracker.receive_datagram(request, CLIENT)
    server: ServerRead | ServerWrite
    if isinstance(packet, ReadRequest):
        server = ServerRead(packet, CLIENT, now, policy=policy or ServerPolicy())
        server.accept(now, size=len(data))
    else:
        assert packet is not None
        server = ServerWrite(packet, CLIENT, now, policy=policy or ServerPolicy())
        server.accept(now)
    sender: ServerRead | ClientWrite
    if isinstance(server, ServerRead):
        sender = server
    else:
        assert isinstance(client, ClientWrite)
        sender = client
    sender.supply(data, now)
    sender.supply_eof(now)
    append = sink.write
    client_receive, server_receive = client.receive_datagram, server.receive_datagram
    client_out, server_out = client.datagrams_to_send, server.datagrams_to_send
    receiver = client if direction == "read" else server
    other = server if direction == "read" else client
    receiver_events, other_events = receiver.events, other.events
    while True:
        # One pass is what an embedding does per datagram: feed, drain the outbox, read events.
        to_client = server_out()
        for payload, _ in to_client:
            client_receive(payload, SERVER_TID, now)
        to_server = client_out()
        for payload, _ in to_server:
            server_receive(payload, CLIENT, now)
        for event in receiver_events():
            if type(event) is DataReceived:
                append(event.payload)
        other_events()
        if not to_client and not to_server:
            # Quiet: only the dally timer can be left; let it run out.
            deadlines = [t for t in (client.get_timer(), server.get_timer()) if t is not None]
            if not deadlines or (client.done and server.done):
                break
            now = max(deadlines)
            client.handle_timer(now)
            server.handle_timer(now)
    blocks = (client if direction == "read" else server).stats.blocks
    return blocks, sink.getvalue()

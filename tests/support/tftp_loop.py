"""A small blocking driver for the sans-IO engines: sockets, ``select`` and a monotonic clock.

This is the loop ``docs/formats/tftp.md`` describes, used by the interoperability tests against
real TFTP programs on loopback: :class:`LoopbackServer` serves (and stores) files from a dict in
a thread, :func:`fetch` and :func:`store` are one-shot clients.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Mapping

from ciscocfg.tftp import (
    ClientRead,
    ClientWrite,
    DataReceived,
    ErrorCode,
    NeedData,
    NetasciiDecoder,
    NetasciiEncoder,
    ReadRequest,
    RequestTracker,
    RetryPolicy,
    ServerPolicy,
    ServerRead,
    ServerWrite,
    TransferFailed,
)

__all__ = ["LoopbackServer", "fetch", "store"]

#: Clients in tests dally briefly: the final ACK is re-sent for 0.2 s, not 2 s.
SHORT_DALLY = RetryPolicy(dally=0.2)

Engine = ServerRead | ServerWrite | ClientRead | ClientWrite


def _flush(engine: Engine | RequestTracker, sock: socket.socket) -> None:
    for payload, destination in engine.datagrams_to_send():
        sock.sendto(payload, destination)


class LoopbackServer(threading.Thread):
    """Serve ``files`` on 127.0.0.1 (port chosen by the system unless given); uploads land in
    ``files`` too. Stop with :meth:`stop`."""

    def __init__(
        self,
        files: dict[str, bytes],
        *,
        port: int = 0,
        policy: ServerPolicy | None = None,
        writable: bool = True,
    ) -> None:
        super().__init__(daemon=True)
        self.files = files
        self.policy = policy or ServerPolicy()
        self.writable = writable
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.listener.bind(("127.0.0.1", port))
        self.port: int = self.listener.getsockname()[1]
        self.failures: list[TransferFailed] = []
        self.completed: list[str] = []
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)
        self.listener.close()

    def run(self) -> None:
        tracker = RequestTracker()
        transfers: dict[socket.socket, tuple[Engine, bytearray]] = {}
        while not self._stop_event.is_set():
            now = time.monotonic()
            timers = [t for e, _ in transfers.values() if (t := e.get_timer()) is not None]
            wait = min([0.05, *[max(0.0, t - now) for t in timers]])
            readable, _, _ = select.select([self.listener, *transfers], [], [], wait)
            now = time.monotonic()
            for sock in readable:
                data, source = sock.recvfrom(65536)
                if sock is self.listener:
                    request = tracker.receive_datagram(data, source)
                    _flush(tracker, sock)
                    if request is not None:
                        transfer_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                        transfer_socket.bind(("127.0.0.1", 0))  # the new TID
                        transfers[transfer_socket] = (
                            self._start(request, source, now),
                            bytearray(),
                        )
                else:
                    transfers[sock][0].receive_datagram(data, source, now)
            for sock, (engine, sink) in list(transfers.items()):
                timer = engine.get_timer()
                if timer is not None and now >= timer:
                    engine.handle_timer(now)
                self._react(engine, sink, now)
                _flush(engine, sock)
                if engine.done:
                    tracker.finished(engine.peer or ("", 0))
                    sock.close()
                    del transfers[sock]
        for sock in transfers:  # stopped mid-transfer (a dally, say): close what is left
            sock.close()

    def _start(self, request: object, source: tuple[str, int], now: float) -> Engine:
        if isinstance(request, ReadRequest):
            reader = ServerRead(request, source, now, policy=self.policy)
            content = self.files.get(request.filename.lstrip("/"))
            if content is not None and reader.mode == "netascii":
                # Translation stays outside the engine: the source is wrapped.
                content = NetasciiEncoder().feed(content)
            if content is None:
                reader.reject(ErrorCode.FILE_NOT_FOUND, "File not found")
            else:
                reader.accept(now, size=len(content))
                reader.supply(content, now)  # a generated file is supplied in one go
                reader.supply_eof(now)
            return reader
        assert not isinstance(request, ReadRequest)
        writer = ServerWrite(request, source, now, policy=self.policy)  # type: ignore[arg-type]
        if self.writable:
            writer.accept(now)
        else:
            writer.reject(ErrorCode.ACCESS_VIOLATION, "read-only server")
        return writer

    def _react(self, engine: Engine, sink: bytearray, now: float) -> None:
        for event in engine.events():
            if isinstance(event, DataReceived):
                sink += event.payload
            elif isinstance(event, TransferFailed):
                self.failures.append(event)
            elif type(event).__name__ == "TransferComplete":
                name = engine.stats.filename
                self.completed.append(name)
                if isinstance(engine, ServerWrite):
                    data = bytes(sink)
                    if engine.mode == "netascii":
                        decoder = NetasciiDecoder()
                        data = decoder.feed(data) + decoder.flush()
                    self.files[name.lstrip("/")] = data


def _client_loop(engine: ClientRead | ClientWrite, sock: socket.socket, data: bytes) -> bytes:
    received = bytearray()
    decoder = NetasciiDecoder() if engine.mode == "netascii" else None
    position = 0
    while not engine.done:
        _flush(engine, sock)
        timer = engine.get_timer()
        wait = 5.0 if timer is None else max(0.0, timer - time.monotonic())
        readable, _, _ = select.select([sock], [], [], wait)
        now = time.monotonic()
        if readable:
            payload, source = sock.recvfrom(65536)
            engine.receive_datagram(payload, source, now)
        elif timer is not None:
            engine.handle_timer(now)
        for event in engine.events():
            if isinstance(event, DataReceived):
                received += event.payload if decoder is None else decoder.feed(event.payload)
            elif isinstance(event, NeedData):
                assert isinstance(engine, ClientWrite)
                chunk = data[position : position + event.max_bytes]
                position += len(chunk)
                engine.supply(chunk, now)
                if position >= len(data):
                    engine.supply_eof(now)
            elif isinstance(event, TransferFailed):
                raise OSError(f"transfer failed: {event}")
        _flush(engine, sock)
    if decoder is not None:
        received += decoder.flush()
    return bytes(received)


def fetch(
    port: int, filename: str, options: Mapping[str, str] | None = None, mode: str = "octet"
) -> bytes:
    """Download ``filename`` from 127.0.0.1:``port`` (netascii translated back to LF)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        engine = ClientRead(
            filename,
            time.monotonic(),
            server=("127.0.0.1", port),
            mode=mode,
            options=options,
            retry=SHORT_DALLY,
        )
        return _client_loop(engine, sock, b"")


def store(port: int, filename: str, data: bytes, options: Mapping[str, str] | None = None) -> None:
    """Upload ``data`` as ``filename`` to 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        engine = ClientWrite(
            filename,
            time.monotonic(),
            server=("127.0.0.1", port),
            options=options,
            size=len(data),
            retry=SHORT_DALLY,
        )
        _client_loop(engine, sock, data)

"""Drive one sans-IO transfer engine over one non-blocking UDP socket on an asyncio loop.

The hot path, per readable event: receive every datagram that is waiting (up to a batch) into
one reused buffer, feed each to the engine and hand its events to the owner at once (a DATA
payload is a view into that buffer and is consumed before the next receive), then send the whole
outbox, then move the timer only if the engine's deadline changed. Nothing here logs per packet.

A sending engine (a download served, an upload made) expects one ACK per window, so its batch is
one datagram: looking again would only cost a receive that fails. Anything more that is waiting
keeps the socket readable and is read on the loop's next turn. Once options are agreed, the pump
sizes its socket's buffers for the window before the owner sees the event.

Retransmission deadlines are watched by :class:`Deadlines`, which a server shares between all
its pumps: one loop timer for all of them rather than one each (see there). Where the system
has epoll, a server's transfer sockets are watched by :class:`Readers`: one epoll of its own,
which the loop watches as a single reader (see there).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import select
import socket
from collections import deque
from collections.abc import Callable
from typing import Protocol

from ciscocfg._errors import ValidationError
from ciscocfg.tftp import Address, ClientWrite, Event, OptionsNegotiated, ServerRead

__all__ = ["Deadlines", "Engine", "Pump", "Readers", "make_socket", "size_buffers"]

#: The engines that send DATA and so receive one ACK per window.
_SENDERS = (ServerRead, ClientWrite)

#: Largest UDP payload; DATA at blksize 65464 is 65468 bytes.
_BUFFER_SIZE = 65536
#: Datagrams handled per readable event before giving other transfers a turn.
_BATCH = 64
_ONE = range(1)
_MANY = range(_BATCH)
#: Ready sockets dispatched per wake-up of a Readers; any more stay ready for the next turn.
_DISPATCH_BATCH = 256
#: Socket buffers never grow past this (what tftp-hpa 6.0 caps them at).
_MAX_SOCKET_BUFFER = 4 * 1024 * 1024


class Engine(Protocol):
    """The surface the four engines of :mod:`ciscocfg.tftp` share."""

    def receive_datagram(
        self, data: bytes | bytearray | memoryview, source: Address, now: float
    ) -> None: ...

    def datagrams_to_send(self) -> list[tuple[bytes, Address]]: ...

    def events(self) -> list[Event]: ...

    def get_timer(self) -> float | None: ...

    def handle_timer(self, now: float) -> None: ...

    def abort(self, code: int = ..., message: str = ...) -> None: ...

    @property
    def done(self) -> bool: ...


#: Where the system can, the socket is made non-blocking as it is created (one call less).
_NONBLOCK_TYPE = socket.SOCK_DGRAM | getattr(socket, "SOCK_NONBLOCK", 0)
#: The buffer sizes a new UDP socket gets, per option, read once (see size_buffers).
_default_buffers: dict[int, int] = {}
#: The largest size both of those already give (0 until both are known).
_room_by_default = 0


def make_socket(family: int, host: str) -> socket.socket:
    """A non-blocking UDP socket on ``host``, port chosen by the kernel (a fresh TID)."""
    sock = socket.socket(family, _NONBLOCK_TYPE)
    try:
        if family == socket.AF_INET6 and host in ("::", ""):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind((host, 0))
        if sock.getblocking():  # not already made non-blocking by SOCK_NONBLOCK
            sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def size_buffers(sock: socket.socket, blksize: int, windowsize: int) -> None:
    """Make room for about two windows in each direction (the kernel may cap it lower).

    Most transfers (lock-step, small blocks) fit in what every new socket gets; the default is
    read from the first socket, so that those transfers make no system call here at all.
    """
    global _room_by_default
    wanted = min(_MAX_SOCKET_BUFFER, 2 * windowsize * (blksize + 4) + 65536)
    if wanted <= _room_by_default:
        return
    for option in (socket.SO_RCVBUF, socket.SO_SNDBUF):
        with contextlib.suppress(OSError):
            default = _default_buffers.get(option)
            if default is None:
                default = _default_buffers[option] = sock.getsockopt(socket.SOL_SOCKET, option)
            if default < wanted:
                sock.setsockopt(socket.SOL_SOCKET, option, wanted)
    if len(_default_buffers) == 2:
        _room_by_default = min(_default_buffers.values())


class Readers:
    """Watches many sockets for input through one epoll of its own, which the loop watches as
    one reader.

    A loop dispatches each readable socket through its own machinery (a selector key, a handle,
    a context switch), and registering a socket with it builds those objects: for a transfer of
    a few lock-step blocks that was a fifth of the work. Here a socket is registered with one
    system call and dispatched with one dictionary lookup. Where there is no epoll, or with
    ``epoll=False`` (a pump alone, as a client's, has nothing to share), it uses the loop's own
    ``add_reader``.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, *, epoll: bool = True) -> None:
        self.loop = loop
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._epoll = select.epoll() if epoll and hasattr(select, "epoll") else None
        if self._epoll is not None:
            loop.add_reader(self._epoll.fileno(), self._dispatch)

    def add(self, fd: int, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever ``fd`` has input waiting."""
        if self._epoll is None:
            self.loop.add_reader(fd, callback)
        else:
            self._epoll.register(fd, select.EPOLLIN)
        self._callbacks[fd] = callback

    def remove(self, fd: int) -> None:
        """Stop watching ``fd`` (before it is closed)."""
        if self._callbacks.pop(fd, None) is None:
            return
        if self._epoll is None:
            self.loop.remove_reader(fd)
        else:
            self._epoll.unregister(fd)

    def close(self) -> None:
        """Stop watching everything (the sockets themselves are their owners' to close)."""
        epoll, self._epoll = self._epoll, None
        if epoll is not None:
            self.loop.remove_reader(epoll.fileno())
            epoll.close()
        else:
            for fd in self._callbacks:
                self.loop.remove_reader(fd)
        self._callbacks.clear()

    def dispatch(self) -> None:
        """Call back every socket with input waiting now (the loop does this on its own; a
        caller that must know what is already answered can ask for it at once)."""
        self._dispatch()

    def _dispatch(self) -> None:
        epoll = self._epoll
        if epoll is None:
            return
        callbacks = self._callbacks
        for fd, _mask in epoll.poll(0, _DISPATCH_BATCH):
            # A callback may close another socket: its descriptor is then gone from the map,
            # or (reused at once) belongs to a new socket that finds nothing to read yet.
            callback = callbacks.get(fd)
            if callback is None:
                continue
            try:
                callback()
            except Exception as exc:  # as the loop would: report it and serve the others
                self.loop.call_exception_handler(
                    {"message": "Exception in a TFTP transfer callback", "exception": exc}
                )


class Deadlines:
    """One loop timer for the retransmission deadlines of many pumps.

    A lock-step download of a small file ends long before its first timeout, so a timer armed
    and cancelled for each transfer is work that never fires; on asyncio's timer heap it cost
    about 10 µs a request, some 5-8 % of such a transfer's handling. Pumps with a deadline wait
    in one set instead, and a single loop timer stays at the earliest deadline any of them had
    when it was set. Deadlines only move later as ACKs arrive, so when the timer fires it fires
    the pumps that are really due, then moves to the next earliest deadline.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.waiting: set[Pump] = set()
        #: When the loop timer fires (infinity when none is set).
        self.at = math.inf
        self._handle: asyncio.TimerHandle | None = None

    def want(self, pump: Pump, deadline: float) -> None:
        """``pump``'s engine has ``deadline``: make sure the timer fires no later."""
        pump._waiting = True
        self.waiting.add(pump)
        if deadline < self.at:
            self._arm(deadline)

    def drop(self, pump: Pump) -> None:
        """``pump`` is closed: it has no deadline any more."""
        pump._waiting = False
        self.waiting.discard(pump)
        if not self.waiting and self._handle is not None:
            self._handle.cancel()
            self._handle = None
            self.at = math.inf

    def _fire(self) -> None:
        # call_at may run a callback a little before its time (clock resolution): whatever is
        # due by the time this call was set for counts as due now.
        due_by = max(self.loop.time(), self.at)
        self._handle = None
        self.at = math.inf
        earliest = math.inf
        for pump in list(self.waiting):
            deadline = pump.engine.get_timer()
            if deadline is None:
                pump._waiting = False
                self.waiting.discard(pump)
            elif deadline <= due_by:
                pump._expire(deadline)  # may set a new deadline, through want()
            elif deadline < earliest:
                earliest = deadline
        if earliest < self.at:
            self._arm(earliest)

    def _arm(self, deadline: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self.at = deadline
        self._handle = self.loop.call_at(deadline, self._fire)


class Pump:
    """Moves datagrams between ``sock`` and ``engine`` until the engine is done.

    ``on_event`` is called for every event, synchronously, while any DATA payload view is still
    valid; it may call back into the engine (``supply`` ...). When the engine is done (dally
    included) the socket is closed, then ``on_close`` is called and ``finished`` resolves.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        sock: socket.socket,
        engine: Engine,
        on_event: Callable[[Event], None],
        *,
        buffer: bytearray | None = None,
        on_close: Callable[[], None] | None = None,
        deadlines: Deadlines | None = None,
        readers: Readers | None = None,
    ) -> None:
        self.loop = loop
        self.sock = sock
        self.engine = engine
        self.on_event = on_event
        self.on_close = on_close
        # Made when first awaited: a server that only needs ``on_close`` never pays for it.
        self._finished: asyncio.Future[None] | None = None
        # Pumps of one loop may share a buffer (see the module's notes); it must hold the
        # largest datagram, or a long one would be cut short.
        if buffer is None:
            buffer = bytearray(_BUFFER_SIZE)
        elif len(buffer) < _BUFFER_SIZE:
            raise ValidationError(f"a receive buffer needs {_BUFFER_SIZE} bytes")
        self._buffer = buffer
        self._view = memoryview(buffer)
        self._batch = _ONE if isinstance(engine, _SENDERS) else _MANY
        self._deadlines = deadlines if deadlines is not None else Deadlines(loop)
        self._waiting = False  # in the deadlines' set
        self._closed = False
        self._backlog: deque[tuple[bytes, Address]] | None = None
        self._readers = readers if readers is not None else Readers(loop, epoll=False)
        self._readers.add(sock.fileno(), self._readable)

    @property
    def finished(self) -> asyncio.Future[None]:
        """Resolves once the engine is done and the socket is closed."""
        if self._finished is None:
            self._finished = self.loop.create_future()
            if self._closed:
                self._finished.set_result(None)
        return self._finished

    @property
    def closed(self) -> bool:
        """The socket is closed: nothing more goes in or out."""
        return self._closed

    def _readable(self) -> None:
        engine = self.engine
        receive = self.sock.recvfrom_into
        buffer = self._buffer
        view = self._view
        now = self.loop.time()
        for _ in self._batch:
            if self._closed:  # done by the last datagram, or closed by another callback
                return
            try:
                size, source = receive(buffer)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                # An ICMP error surfacing on the socket; the engine's timer covers the loss.
                return
            engine.receive_datagram(view[:size], source, now)
            # Answer at once (lock-step peers wait for it), before looking for more input.
            self.flush()

    def drain(self) -> None:
        """Handle every datagram already waiting, however many (not just one batch)."""
        receive = self.sock.recvfrom_into
        while not self._closed:
            try:
                size, source = receive(self._buffer)
            except OSError:  # nothing waiting (BlockingIOError), or an ICMP error
                return
            self.engine.receive_datagram(self._view[:size], source, self.loop.time())
            self.flush()

    def flush(self) -> None:
        """Send what the engine queued, deliver its events, re-arm its timer; close when done."""
        if self._closed:
            return
        engine = self.engine
        while True:
            out = engine.datagrams_to_send()
            if out:
                if self._backlog:
                    self._backlog.extend(out)
                else:
                    self._send_all(out)
            events = engine.events()
            if not events:
                break  # nothing was handled, so nothing new can have been queued
            for event in events:
                if type(event) is OptionsNegotiated:
                    negotiated = event.negotiated
                    size_buffers(self.sock, negotiated.blksize, negotiated.running_window)
                self.on_event(event)
        if engine.done:
            self.close()
            return
        # The deadline moves with every ACK in lock-step; only a first deadline, or one
        # earlier than the shared timer is set for, needs telling (see Deadlines).
        deadline = engine.get_timer()
        if deadline is not None and (not self._waiting or deadline < self._deadlines.at):
            self._deadlines.want(self, deadline)

    def _send_all(self, out: list[tuple[bytes, Address]]) -> None:
        send = self.sock.sendto
        index = 0
        try:
            for index, (payload, destination) in enumerate(out):  # noqa: B007
                send(payload, destination)
        except (BlockingIOError, InterruptedError):
            # The send buffer is full (a large window on a slow receiver): keep the rest in
            # order and send it when the socket is writable again, rather than lose it.
            self._backlog = deque(out[index:])
            self.loop.add_writer(self.sock.fileno(), self._writable)
        except OSError:
            pass  # an ICMP error: the rest is as good as lost, the engine's timer resends

    def _writable(self) -> None:
        backlog = self._backlog
        if backlog is None:
            return
        send = self.sock.sendto
        try:
            while backlog:
                payload, destination = backlog[0]
                send(payload, destination)
                backlog.popleft()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            backlog.clear()
        self._backlog = None
        self.loop.remove_writer(self.sock.fileno())

    def _expire(self, deadline: float) -> None:
        """The engine's deadline has come (called by the deadlines)."""
        # The engine takes a call before its deadline for a spurious one: never give it less.
        self.engine.handle_timer(max(self.loop.time(), deadline))
        self.flush()

    def close(self) -> None:
        """Stop watching the socket and close it (the engine is left as it is)."""
        if self._closed:
            return
        self._closed = True
        if self._waiting:
            self._deadlines.drop(self)
        self._readers.remove(self.sock.fileno())
        if self._backlog is not None:
            # Whatever is left (the final ERROR of an abort ...) gets one blocking-free try.
            self._writable()
            if self._backlog is not None:
                self._backlog = None
                self.loop.remove_writer(self.sock.fileno())
        self.sock.close()
        if self._finished is not None and not self._finished.done():
            self._finished.set_result(None)
        if self.on_close is not None:
            self.on_close()

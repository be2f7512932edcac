"""An asyncio TFTP server around the sans-IO engines: a directory, a handler, or both."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import inspect
import logging
import math
import os
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeAlias

import attrs

from ciscocfg._errors import LocalProtocolError, ValidationError
from ciscocfg.aio._paths import EXHAUSTED_ERRNOS, PathRejected, ServedTree, refusal
from ciscocfg.aio._pump import Deadlines, Pump, Readers, make_socket
from ciscocfg.aio._records import TransferRecord, format_peer
from ciscocfg.aio._sources import (
    AtomicFile,
    Content,
    DataSource,
    RawFile,
    Sink,
    UploadSink,
    content_size,
)
from ciscocfg.tftp import (
    DataReceived,
    ErrorCode,
    Event,
    NeedData,
    Progress,
    ReadRequest,
    RequestTracker,
    ServerPolicy,
    ServerRead,
    ServerWrite,
    TransferComplete,
    TransferFailed,
    WriteRequest,
    encode,
)
from ciscocfg.tftp import Error as ErrorPacket
from ciscocfg.tftp.options import DEFAULT_MAX_STALL, window_bytes

__all__ = [
    "DEFAULT_MAX_PER_CLIENT",
    "DEFAULT_MAX_STALL",
    "DEFAULT_MAX_UPLOAD",
    "DEFAULT_SHUTDOWN_GRACE",
    "DEFAULT_WINDOW_BUDGET",
    "ReadHandler",
    "TftpServer",
    "TransferRequest",
    "WriteHandler",
]

logger = logging.getLogger("ciscocfg.aio.server")

#: Uploads larger than this are refused (ERROR 3) unless the server is told otherwise.
DEFAULT_MAX_UPLOAD = 64 * 1024 * 1024
#: Transfers one client address may hold at once: a phone fetches one file at a time, and this
#: leaves room for a site of phones behind one NAT address while one host cannot take the rest.
DEFAULT_MAX_PER_CLIENT = 64
#: Octets of DATA windows all downloads together may hold (the blocks kept until acknowledged):
#: past it, windows and blocks are granted smaller. 32 windows of 64 x 16 KiB, or 8 of the
#: largest (64 x 65464). Freed windows stay with the allocator for a while: under churn the
#: process holds about twice the budget.
DEFAULT_WINDOW_BUDGET = 32 * 1024 * 1024
#: Seconds that transfers in flight get to finish once the server is told to stop.
DEFAULT_SHUTDOWN_GRACE = 3.0

#: Errors that mean "out of descriptors or memory for now": the request gets "Server busy".
_EXHAUSTED = EXHAUSTED_ERRNOS | {errno.ENOSPC}


class _Throttled:
    """A warning logged at most once per ``interval`` seconds, with a count of the rest.

    A server out of descriptors fails every request the same way; one line a second says so
    without filling the log (or the disk it is on) with thousands.
    """

    def __init__(self, message: str, interval: float = 1.0) -> None:
        self.message = message
        self.interval = interval
        self._next = -math.inf
        self._suppressed = 0

    def warn(self, now: float, detail: object) -> None:
        if now < self._next:
            self._suppressed += 1
            return
        more = f" ({self._suppressed} more since the last report)" if self._suppressed else ""
        logger.warning("%s: %s%s", self.message, detail, more)
        self._suppressed = 0
        self._next = now + self.interval


@attrs.frozen
class TransferRequest:
    """A request as a handler sees it: ``operation`` is ``"read"`` or ``"write"``."""

    operation: str
    filename: str
    mode: str
    peer: tuple[Any, ...]
    options: dict[str, str] = attrs.field(factory=dict, eq=False)


#: ``handler(request)`` returns the file's content (bytes, an open binary file, an async
#: iterator of chunks), or ``None`` for "not found" (then the root directory, if any, is asked);
#: it may be a coroutine function. Raising :class:`PathRejected` or :class:`PermissionError`
#: answers ERROR 2, :class:`FileNotFoundError` ERROR 1.
ReadHandler: TypeAlias = Callable[[TransferRequest], "Content | Awaitable[Content | None] | None"]
#: ``upload_handler(request)`` returns where the upload goes: an :class:`UploadSink` (its
#: ``finish(ok)`` decides what to keep) or a writable binary file (closed at the end), or
#: ``None`` to refuse (ERROR 2). It may be a coroutine function.
WriteHandler: TypeAlias = Callable[
    [TransferRequest], "UploadSink | IO[bytes] | Awaitable[UploadSink | IO[bytes] | None] | None"
]


def _log_level(ok: bool, reason: str | None) -> int:
    """A transfer's log line is a warning when it failed, unless we refused it on purpose."""
    return logging.INFO if ok or reason == "rejected" else logging.WARNING


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


def _listen_socket(host: str | None, port: int) -> socket.socket:
    """The request socket: dual-stack ``::`` when ``host`` is ``None`` (IPv4 if no IPv6)."""
    if host is None or host == "::":
        try:
            sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        except OSError:
            if host == "::":
                raise
            host, family = "0.0.0.0", socket.AF_INET
        else:
            try:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
                sock.bind(("::", port))
                sock.setblocking(False)
            except BaseException:
                sock.close()
                raise
            return sock
    else:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM, flags=socket.AI_PASSIVE)
        family = infos[0][0]
        host = str(infos[0][4][0])
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.bind((host, port))
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


class TftpServer:
    """A TFTP server: serves ``root`` and/or asks ``handler`` for each requested name.

    Read-only unless ``allow_write`` (uploads into ``root``) or ``upload_handler`` is given.
    Each transfer gets its own socket (a fresh TID). Names are resolved inside ``root`` only
    (see :func:`ciscocfg.aio.resolve`); refused names get ERROR 2 and a logged warning, missing
    files ERROR 1. ``root`` is opened when the server starts, and every name is opened by a walk
    from that descriptor, one component at a time, so that no link swapped in meanwhile can
    lead out of it.

    ``host=None`` listens on every address, IPv6 and IPv4 (dual-stack) where the system allows
    it. ``on_transfer`` is called with a :class:`TransferRecord` when each transfer ends; the
    same record is logged as one line on the ``ciscocfg.aio.server`` logger (``extra`` key
    ``tftp_transfer``).

    Use as ``async with TftpServer(...) as server: await server.serve_forever()``, or call
    :meth:`start` and :meth:`close` yourself.

    Limits against floods and stalled peers (see ``docs/howto/serve.md``): ``max_transfers``
    at once, ``max_per_client`` of them from one address (more get ERROR 0 "Server busy").
    When every slot is taken, a request from an address under its limit takes the slot of the
    oldest transfer whose client never answered (a forged or vanished requester), so a flood
    of one-packet requests does not lock the phones out. ``window_budget`` octets of DATA
    windows for all downloads together (past it, windows and blocks are granted smaller), and
    ``policy.max_stall`` seconds (30 by default) before a silent peer's transfer is given up.
    On :meth:`close`, transfers get ``shutdown_grace`` seconds to finish, then are aborted.
    A request that finds the server out of descriptors gets "Server busy", not an internal
    error, and the condition is logged at most once a second.
    """

    def __init__(
        self,
        root: str | os.PathLike[str] | None = None,
        *,
        handler: ReadHandler | None = None,
        host: str | None = None,
        port: int = 69,
        allow_write: bool = False,
        upload_handler: WriteHandler | None = None,
        overwrite: bool = False,
        max_upload_size: int | None = DEFAULT_MAX_UPLOAD,
        max_transfers: int = 512,
        max_per_client: int = DEFAULT_MAX_PER_CLIENT,
        window_budget: int = DEFAULT_WINDOW_BUDGET,
        shutdown_grace: float = DEFAULT_SHUTDOWN_GRACE,
        policy: ServerPolicy | None = None,
        case_insensitive: bool = True,
        on_transfer: Callable[[TransferRecord], object] | None = None,
    ) -> None:
        if root is None and handler is None:
            raise ValidationError("a TftpServer needs a root directory, a handler, or both")
        if allow_write and root is None:
            raise ValidationError("allow_write needs a root directory to write into")
        self.root = None if root is None else Path(root)
        self._tree: ServedTree | None = None
        self._local_host = ""
        self.handler = handler
        self.host = host
        self.allow_write = allow_write
        self.upload_handler = upload_handler
        self.overwrite = overwrite
        if max_transfers < 1 or max_per_client < 1:
            raise ValidationError("max_transfers and max_per_client must be at least 1")
        if window_budget < 0 or not shutdown_grace >= 0:
            raise ValidationError("window_budget and shutdown_grace must not be negative")
        self.max_transfers = max_transfers
        self.max_per_client = max_per_client
        self.window_budget = window_budget
        self.shutdown_grace = shutdown_grace
        self.case_insensitive = case_insensitive
        self.on_transfer = on_transfer
        base = policy or ServerPolicy()
        if policy is None or max_upload_size != DEFAULT_MAX_UPLOAD:
            base = dataclasses.replace(base, max_upload_size=max_upload_size)
        self.policy = base
        self._port = port
        self._sock: socket.socket | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tracker = RequestTracker()
        self._live: dict[tuple[Any, Any], _Transfer] = {}
        # Transfers per client address, and those not yet known to be answered, oldest first
        # (the candidates for giving up a slot when the server is full; see _make_room).
        self._per_client: dict[Any, int] = {}
        self._unanswered: dict[tuple[Any, Any], _Transfer] = {}
        # Uploads stored and acknowledged, only waiting in case the final ACK was lost: the
        # first slots to give up, without a word, when the server is full.
        self._dallying: dict[tuple[Any, Any], _Transfer] = {}
        #: Octets of DATA windows the running downloads may hold (see window_budget).
        self.window_bytes_held = 0
        self._busy_log = _Throttled("refusing requests, out of descriptors")
        self._full_log = _Throttled("refusing requests, too many transfers")
        self._buffer = bytearray(65536)
        self._closing = False
        self._closed: asyncio.Event | None = None
        self._drained: asyncio.Future[None] | None = None
        self._deadlines: Deadlines | None = None
        self._readers: Readers | None = None
        # Whether a request must go through a coroutine (a handler may wait on a database);
        # without one the root alone answers, at once, and no task is made per transfer.
        cls = type(self)
        self._read_waits = handler is not None or cls.open_read is not TftpServer.open_read
        self._write_waits = (
            upload_handler is not None or cls.open_write is not TftpServer.open_write
        )

    # --- life cycle -----------------------------------------------------------------------

    @property
    def address(self) -> tuple[Any, ...]:
        """The bound ``(host, port, ...)`` of the request socket (after :meth:`start`)."""
        if self._sock is None:
            raise ValidationError("the server is not started")
        address: tuple[Any, ...] = self._sock.getsockname()
        return address

    @property
    def port(self) -> int:
        """The bound port (useful with ``port=0``)."""
        return int(self.address[1])

    @property
    def active_transfers(self) -> int:
        """Transfers in flight."""
        return len(self._live)

    async def start(self) -> None:
        """Bind the request socket and start answering."""
        if self._sock is not None:
            return
        self._loop = asyncio.get_running_loop()
        if self.root is not None and self._tree is None:
            # Held open for the server's life; a root that is not there yet is tried again when
            # a request comes.
            with contextlib.suppress(OSError):
                self._tree = ServedTree(self.root, case_insensitive=self.case_insensitive)
        self._closed = asyncio.Event()
        self._deadlines = Deadlines(self._loop)
        self._readers = Readers(self._loop)
        sock = _listen_socket(self.host, self._port)
        # Room for bursts of requests (a fleet of phones booting at once).
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        self._sock = sock
        self._loop.add_reader(sock.fileno(), self._on_request)
        host, port = sock.getsockname()[:2]
        self._local_host = host
        logger.info("serving TFTP on %s", format_peer((host, port)))

    async def serve_forever(self) -> None:
        """Start if needed, then run until :meth:`close` is called."""
        await self.start()
        assert self._closed is not None
        await self._closed.wait()

    async def close(self, *, abort: bool = False, grace: float | None = None) -> None:
        """Stop taking requests, then let transfers in flight finish (or ``abort`` them).

        Transfers still running after ``grace`` seconds (default: ``shutdown_grace``) are
        aborted; aborted transfers get ERROR 0 "Server shutting down". Returns once every
        transfer socket is closed.
        """
        if self._sock is None or self._loop is None:
            return
        loop = self._loop
        if not self._closing:
            self._closing = True
            loop.remove_reader(self._sock.fileno())
            self._sock.close()
        for transfer in list(self._live.values()):
            if transfer.task is None and transfer.engine.completed:
                transfer.pump.close()  # only dallying: the data is delivered, nothing to wait for
        give_up = loop.time() + (self.shutdown_grace if grace is None else max(0.0, grace))
        while self._live:
            left = give_up - loop.time()
            if abort or left <= 0:
                await self._abort_all()
                continue
            drained = self._drained = loop.create_future()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(drained), left)
        if self._readers is not None:
            self._readers.close()
        if self._tree is not None:
            self._tree.close()
            self._tree = None
        assert self._closed is not None
        self._closed.set()

    async def _abort_all(self) -> None:
        """Abort every transfer still running, and wait for the handlers being asked."""
        waiting = []
        for transfer in list(self._live.values()):
            if transfer.task is not None:  # still asking a handler
                transfer.task.cancel()
                waiting.append(transfer.task)
            else:
                transfer.engine.abort(ErrorCode.NOT_DEFINED, "Server shutting down")
                transfer.pump.flush()
                if not transfer.pump.closed:  # waiting on its own source: nothing more to say
                    transfer.pump.close()
        if waiting:
            await asyncio.gather(*waiting, return_exceptions=True)
        else:
            await asyncio.sleep(0)  # let closed pumps' callbacks run

    async def __aenter__(self) -> TftpServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close(abort=exc_type is not None)

    # --- port 69 ---------------------------------------------------------------------------

    def _on_request(self) -> None:
        sock = self._sock
        assert sock is not None
        tracker = self._tracker
        live = self._live
        buffer = self._buffer
        view = memoryview(buffer)
        for _ in range(64):
            try:
                size, source = sock.recvfrom_into(buffer)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                break
            data: bytes | memoryview = view[:size]
            transfer = live.get((source[0], source[1]))
            if transfer is not None:
                # A request from a client we are still serving is a repeat, unless that
                # transfer's last datagram is waiting unread: a client that got its file may
                # ask for the next one from the same port at once (and the kernel may give
                # a new socket the port of a closed one). Let that transfer read first.
                data = bytes(data)  # the transfer reads into the same buffer
                transfer.catch_up()
            request = tracker.receive_datagram(data, source)
            if request is not None:
                self._begin(request, source)
        for payload, destination in tracker.datagrams_to_send():
            with contextlib.suppress(OSError):
                sock.sendto(payload, destination)

    def _refuse_from_port69(self, source: tuple[Any, ...], code: int, message: str) -> None:
        assert self._sock is not None
        with contextlib.suppress(OSError):
            self._sock.sendto(encode(ErrorPacket(code, message)), source)
        self._tracker.finished(source)

    def _begin(self, request: ReadRequest | WriteRequest, source: tuple[Any, ...]) -> None:
        loop = self._loop
        assert loop is not None
        assert self._sock is not None
        host = source[0]
        now = loop.time()
        held = self._per_client.get(host, 0)
        if held >= self.max_per_client or len(self._live) >= self.max_transfers:
            # Read what the transfers have waiting before counting them: in one batch of
            # requests, a client on a fast link can be sent its file, answer, and ask again
            # several times, and the answers (final ACKs that end transfers) are still unread.
            if self._readers is not None:
                self._readers.dispatch()
            held = self._per_client.get(host, 0)
        if held >= self.max_per_client:
            self._full_log.warn(now, f"{format_peer(source)} holds {held} transfers already")
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        if len(self._live) >= self.max_transfers and not self._make_room():
            self._full_log.warn(now, f"{self.max_transfers} transfers running")
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        try:
            engine: ServerRead | ServerWrite = (
                ServerRead(request, source, now, policy=self.policy)
                if isinstance(request, ReadRequest)
                else ServerWrite(request, source, now, policy=self.policy)
            )
        except LocalProtocolError as exc:
            self._refuse_from_port69(source, ErrorCode.ILLEGAL_OPERATION, str(exc))
            return
        try:
            sock = make_socket(self._sock.family, self._local_host)
        except OSError as exc:
            self._busy_log.warn(now, f"cannot open a transfer socket: {exc.strerror or exc}")
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        try:
            transfer = _Transfer(self, engine, request, source, sock)
        except OSError as exc:  # the socket could not be watched
            sock.close()
            self._busy_log.warn(now, f"cannot watch a transfer socket: {exc.strerror or exc}")
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        key = (host, source[1])
        self._live[key] = transfer
        self._unanswered[key] = transfer
        # (Counted again: making room may have ended a transfer of this same address.)
        self._per_client[host] = self._per_client.get(host, 0) + 1
        transfer.start()

    def _end(self, source: tuple[Any, ...]) -> None:
        host = source[0]
        key = (host, source[1])
        if self._live.pop(key, None) is not None:
            self._unanswered.pop(key, None)
            self._dallying.pop(key, None)
            held = self._per_client.pop(host, 1) - 1
            if held > 0:
                self._per_client[host] = held
        self._tracker.finished(source)
        if not self._live and self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    def _make_room(self) -> bool:
        """Free a slot: that of an upload only dallying, or else that of the oldest transfer
        whose client never answered, if there is one.

        A transfer's client answers within a round trip; one that has not (by the time every
        slot is taken) asked from a forged address or went away. Giving its slot to a new
        request keeps a flood of one-packet requests from locking everyone out. Transfers
        found answered are dropped from the candidates as they are met, so that over time each
        is looked at about once.
        """
        for dallying in self._dallying.values():
            if dallying.task is None:
                dallying.pump.close()  # ends the transfer (see _end); its client has its ACK
                return True
        unanswered = self._unanswered
        seen = []
        victim = None
        for key, transfer in unanswered.items():
            if transfer.engine.answered:
                seen.append(key)
            elif transfer.task is None:  # not while a handler is being asked
                victim = transfer
                seen.append(key)
                break
        for key in seen:
            del unanswered[key]
        if victim is None:
            return False
        victim.engine.abort(ErrorCode.NOT_DEFINED, "Server busy")
        victim.pump.flush()
        victim.pump.close()  # closes the socket and ends the transfer (see _end)
        return True

    # --- resolving names -------------------------------------------------------------------

    async def open_read(self, request: TransferRequest) -> Content:
        """The content for a read request (handler first, then the root directory).

        Raises :class:`FileNotFoundError`, :class:`PathRejected` or :class:`PermissionError`.
        """
        if self.handler is not None:
            content = await _maybe_await(self.handler(request))
            if content is not None:
                return content  # type: ignore[no-any-return]
        return self._open_in_root(request.filename)[0]

    async def open_write(self, request: TransferRequest) -> UploadSink | IO[bytes]:
        """Where an upload goes (upload handler first, then ``root`` if writes are allowed).

        Raises :class:`PermissionError` when writing is not enabled, :class:`PathRejected`,
        :class:`FileNotFoundError` (no such directory) or :class:`FileExistsError`.
        """
        if self.upload_handler is not None:
            target = await _maybe_await(self.upload_handler(request))
            if target is not None:
                return target  # type: ignore[no-any-return]
        return self._create_in_root(request.filename)

    def _served_tree(self, filename: str) -> ServedTree:
        """The root, opened once (as a chroot would) and walked down from for every name."""
        tree = self._tree
        if tree is None:
            if self.root is None:
                raise FileNotFoundError(filename)
            try:
                tree = ServedTree(self.root, case_insensitive=self.case_insensitive)
            except OSError as exc:
                raise refusal(filename, exc) from None
            self._tree = tree
        return tree

    def _open_in_root(self, filename: str) -> tuple[RawFile, int]:
        """A regular file of the root, open for reading, and its size."""
        fd, size = self._served_tree(filename).open(filename)
        return RawFile(fd), size

    def _create_in_root(self, filename: str) -> AtomicFile:
        """A new file of the root for an upload: walked to as a read is, and created, named and
        removed in the folder the walk opened, so that a folder on the way swapped for a link
        while the upload runs cannot send it out of the root."""
        if not self.allow_write or self.root is None:
            raise PermissionError("writing is not enabled on this server")
        try:
            folder, path = self._served_tree(filename).open_upload(filename)
        except IsADirectoryError:
            # A folder is there: something exists under that name, and is never replaced.
            raise FileExistsError(errno.EEXIST, "a folder of that name exists", filename) from None
        return AtomicFile(Path(path), overwrite=self.overwrite, dir_fd=folder)

    # --- bookkeeping -----------------------------------------------------------------------

    def report(self, record: TransferRecord) -> None:
        """Log one line for the transfer and call ``on_transfer``."""
        level = _log_level(record.ok, record.reason)
        if logger.isEnabledFor(level):
            logger.log(level, "%s", record.log_line(), extra={"tftp_transfer": record})
        if self.on_transfer is not None:
            try:
                self.on_transfer(record)
            except Exception:
                logger.exception("on_transfer hook failed")


class _Transfer:
    """One transfer's glue: resolves the name, feeds or drains the engine, reports the end.

    It is driven by callbacks from its pump. Only a request that goes to a handler runs a task,
    while the handler is asked; the root directory answers at once.
    """

    def __init__(
        self,
        server: TftpServer,
        engine: ServerRead | ServerWrite,
        request: ReadRequest | WriteRequest,
        source: tuple[Any, ...],
        sock: socket.socket,
    ) -> None:
        self.server = server
        self.engine = engine
        self.wire_request = request
        self.source = source
        self.netascii = engine.mode == "netascii"
        self.operation = "read" if isinstance(request, ReadRequest) else "write"
        self._request: TransferRequest | None = None
        self.data: DataSource | None = None
        self.sink: Sink | None = None
        self.failure: TransferFailed | None = None
        self.completed = False
        self.reported = False
        self.task: asyncio.Task[None] | None = None
        self.window_held = 0  # octets of the server's window budget this download holds
        assert server._loop is not None
        # One receive buffer for every transfer: the loop runs one callback at a time, and a
        # payload is consumed before the next datagram is read.
        self.pump = Pump(
            server._loop,
            sock,
            engine,
            self.on_event,
            buffer=server._buffer,
            on_close=self.on_close,
            deadlines=server._deadlines,
            readers=server._readers,
        )

    @property
    def request(self) -> TransferRequest:
        """The request as handlers and logs see it (made only when one does)."""
        if self._request is None:
            wire = self.wire_request
            self._request = TransferRequest(
                self.operation, wire.filename, self.engine.mode, self.source, dict(wire.options)
            )
        return self._request

    # --- answering the request ---------------------------------------------------------------

    def start(self) -> None:
        server = self.server
        reading = self.operation == "read"
        if server._read_waits if reading else server._write_waits:
            name = f"tftp {format_peer(self.source)}"
            self.task = self.pump.loop.create_task(self._ask(), name=name)
            return
        try:
            if reading:
                content, size = server._open_in_root(self.wire_request.filename)
            else:
                target = server._create_in_root(self.wire_request.filename)
        except Exception as exc:
            self._refuse_for(exc)
        else:
            if reading:
                self._accept_read(content, size)
            else:
                self._accept_write(target)
        self.pump.flush()

    async def _ask(self) -> None:
        server = self.server
        try:
            try:
                if self.operation == "read":
                    content = await server.open_read(self.request)
                else:
                    target = await server.open_write(self.request)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._refuse_for(exc)
            else:
                if self.operation == "read":
                    self._accept_read(content, None)
                else:
                    self._accept_write(target)
            self.pump.flush()
        except asyncio.CancelledError:
            self.engine.abort(ErrorCode.NOT_DEFINED, "Server shutting down")
            self.pump.flush()
            raise
        finally:
            self.task = None

    def _refuse_for(self, exc: Exception) -> None:
        """Answer a request that cannot be served with the ERROR its cause calls for."""
        if isinstance(exc, PathRejected):
            logger.warning(
                "refused %s of %r from %s: %s",
                self.operation,
                self.wire_request.filename,
                format_peer(self.source),
                exc.reason,
            )
            self._refuse(ErrorCode.ACCESS_VIOLATION, "Access violation")
        elif isinstance(exc, FileExistsError):
            self._refuse(ErrorCode.FILE_EXISTS, "File already exists")
        elif isinstance(exc, FileNotFoundError | NotADirectoryError | IsADirectoryError):
            self._refuse(ErrorCode.FILE_NOT_FOUND, "File not found")
        elif isinstance(exc, PermissionError):
            self._refuse(ErrorCode.ACCESS_VIOLATION, "Access violation")
        elif isinstance(exc, OSError) and exc.errno in _EXHAUSTED:
            # Out of descriptors (or memory) for now: busy, as with no socket, and it passes.
            self.server._busy_log.warn(self.pump.loop.time(), exc.strerror or exc)
            self._refuse(ErrorCode.NOT_DEFINED, "Server busy")
        else:
            logger.error(
                "handler failed for %r",
                self.wire_request.filename,
                exc_info=(type(exc), exc, exc.__traceback__),
            )
            self._refuse(ErrorCode.NOT_DEFINED, "Internal error")

    def _refuse(self, code: int, message: str) -> None:
        if not self.engine.done:
            self.engine.reject(code, message)

    def _accept_read(self, content: Content, size: int | None) -> None:
        engine = self.engine
        assert isinstance(engine, ServerRead)
        loop = self.pump.loop
        try:
            data = DataSource(
                engine, content, netascii=self.netascii, clock=loop.time, wake=self._wake
            )
        except TypeError:
            logger.exception("handler returned unusable content for %r", self.request.filename)
            self._refuse(ErrorCode.NOT_DEFINED, "Internal error")
            return
        if self.pump.closed:  # aborted while the handler ran
            data.close()
            return
        self.data = data
        if data.whole is not None:
            size = len(data.whole)
        elif size is None or self.netascii:
            # As with tftp-hpa, a file's netascii size is not announced (only known by reading).
            size = content_size(content, self.netascii)
        server = self.server
        engine.accept(
            loop.time(), size, max_window_bytes=server.window_budget - server.window_bytes_held
        )
        negotiated = engine.negotiated
        self.window_held = window_bytes(negotiated.blksize, negotiated.windowsize, size)
        server.window_bytes_held += self.window_held

    def _accept_write(self, target: UploadSink | IO[bytes]) -> None:
        engine = self.engine
        assert isinstance(engine, ServerWrite)
        sink = Sink(target, netascii=self.netascii)
        if self.pump.closed:  # aborted while the handler ran
            sink.finish(False)
            return
        self.sink = sink
        # The final ACK waits until the file is stored (see on_event): a client is never told
        # an upload is there when it is not.
        engine.accept(self.pump.loop.time(), store_first=True)

    def _wake(self) -> None:
        self.pump.flush()

    # --- while it runs -----------------------------------------------------------------------

    def catch_up(self) -> None:
        """Before a request from the same client is judged a repeat: read what is waiting, and
        end a transfer that is only dallying (its client has moved on)."""
        if self.task is not None:
            return
        self.pump.drain()
        if self.engine.completed:
            self.pump.close()

    def on_event(self, event: Event) -> None:
        kind = type(event)
        if kind is Progress:
            return  # the most frequent event (every window); the record has the totals
        if kind is DataReceived:
            assert isinstance(event, DataReceived)
            assert self.sink is not None
            try:
                self.sink.write(event.payload, event.final)
            except OSError as exc:
                self._finish_sink(False)  # nothing left behind by the time the client hears
                self.engine.abort(ErrorCode.DISK_FULL, f"Cannot store the file: {exc.strerror}")
                return
            if event.final:
                self._store()
        elif kind is NeedData:
            assert isinstance(event, NeedData)
            assert self.data is not None
            try:
                self.data.need(event.max_bytes)
            except OSError as exc:
                self.engine.abort(ErrorCode.NOT_DEFINED, f"Cannot read the file: {exc.strerror}")
        elif kind is TransferFailed:
            assert isinstance(event, TransferFailed)
            if not self.completed:
                self.failure = event
                self._report()
        elif kind is TransferComplete:
            self.completed = True
            # Commit an upload and report as soon as the last block is in, not after the
            # dally (a wait that only answers a repeated final DATA).
            self._finish_sink(True)
            self._report()
            if self.server._closing:
                # Shutting down: skip the dally, once the final ACK has gone out.
                self.pump.loop.call_soon(self.pump.close)
            elif self.operation == "write":
                # Only an upload dallies; a download's pump closes as soon as it is done.
                self.server._dallying[(self.source[0], self.source[1])] = self

    def _store(self) -> None:
        """The last block is in: store the upload, then let the final ACK go (or an ERROR)."""
        engine = self.engine
        assert isinstance(engine, ServerWrite)
        sink, self.sink = self.sink, None
        assert sink is not None
        try:
            sink.finish(True)
        except FileExistsError:
            # Another upload of the same new name was stored first.
            engine.abort(ErrorCode.FILE_EXISTS, "File already exists")
        except OSError as exc:
            logger.error("cannot store upload %r: %s", self.wire_request.filename, exc)
            engine.abort(ErrorCode.DISK_FULL, f"Cannot store the file: {exc.strerror or exc}")
        except Exception:
            logger.exception("upload handler failed to store %r", self.wire_request.filename)
            engine.abort(ErrorCode.NOT_DEFINED, "Internal error")
        else:
            engine.stored(self.pump.loop.time())

    # --- the end -----------------------------------------------------------------------------

    def on_close(self) -> None:
        """The pump closed the socket: release the content and report, once."""
        if self.data is not None:
            self.data.close()
            self.data = None
        server = self.server
        server.window_bytes_held -= self.window_held
        self.window_held = 0
        self._finish_sink(self.completed and self.failure is None)
        server._end(self.source)
        self._report()

    def _report(self) -> None:
        if self.reported:
            return
        self.reported = True
        server = self.server
        failure = self.failure
        if server.on_transfer is None and not logger.isEnabledFor(
            _log_level(failure is None, None if failure is None else failure.reason)
        ):
            return  # nobody would see the record (``serve -q`` and a clean transfer)
        record = TransferRecord.build(
            self.operation,
            self.engine.mode,
            self.engine.stats,
            failure,
            now=self.pump.loop.time(),
            peer=self.source,
        )
        server.report(record)

    def _finish_sink(self, ok: bool) -> None:
        sink, self.sink = self.sink, None
        if sink is not None:
            try:
                sink.finish(ok)
            except OSError as exc:
                logger.error("cannot store upload %r: %s", self.wire_request.filename, exc)

"""An asyncio TFTP server around the sans-IO engines: a directory, a handler, or both."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import inspect
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, TypeAlias

import attrs

from ciscocfg._errors import LocalProtocolError
from ciscocfg.aio._paths import PathRejected, ServedTree, refusal, resolve_in
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

__all__ = [
    "DEFAULT_MAX_UPLOAD",
    "ReadHandler",
    "TftpServer",
    "TransferRequest",
    "WriteHandler",
]

logger = logging.getLogger("ciscocfg.aio.server")

#: Uploads larger than this are refused (ERROR 3) unless the server is told otherwise.
DEFAULT_MAX_UPLOAD = 64 * 1024 * 1024


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
        policy: ServerPolicy | None = None,
        case_insensitive: bool = True,
        on_transfer: Callable[[TransferRecord], object] | None = None,
    ) -> None:
        if root is None and handler is None:
            raise ValueError("a TftpServer needs a root directory, a handler, or both")
        if allow_write and root is None:
            raise ValueError("allow_write needs a root directory to write into")
        self.root = None if root is None else Path(root)
        self._root_real: str | None = None
        self._tree: ServedTree | None = None
        self._local_host = ""
        self.handler = handler
        self.host = host
        self.allow_write = allow_write
        self.upload_handler = upload_handler
        self.overwrite = overwrite
        self.max_transfers = max_transfers
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
            raise RuntimeError("the server is not started")
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

    async def close(self, *, abort: bool = False) -> None:
        """Stop taking requests, then let transfers in flight finish (or ``abort`` them).

        Aborted transfers get ERROR 0 "Server shutting down". Returns once every transfer
        socket is closed.
        """
        if self._sock is None or self._loop is None:
            return
        if not self._closing:
            self._closing = True
            self._loop.remove_reader(self._sock.fileno())
            self._sock.close()
        waiting = []
        for transfer in list(self._live.values()):
            if transfer.task is not None:  # still asking a handler
                if abort:
                    transfer.task.cancel()
                waiting.append(transfer.task)
            elif transfer.engine.completed:
                transfer.pump.close()  # only dallying: the data is delivered, nothing to wait for
            elif abort:
                transfer.engine.abort(ErrorCode.NOT_DEFINED, "Server shutting down")
                transfer.pump.flush()
        if waiting:
            await asyncio.gather(*waiting, return_exceptions=True)
        while self._live:
            self._drained = self._loop.create_future()
            await self._drained
        if self._readers is not None:
            self._readers.close()
        if self._tree is not None:
            self._tree.close()
            self._tree = None
        assert self._closed is not None
        self._closed.set()

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
        if len(self._live) >= self.max_transfers:
            logger.warning("refused request from %s: too many transfers", format_peer(source))
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        now = loop.time()
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
            logger.error("cannot open a transfer socket: %s", exc)
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        try:
            transfer = _Transfer(self, engine, request, source, sock)
        except OSError as exc:  # the socket could not be watched
            sock.close()
            logger.error("cannot watch a transfer socket: %s", exc)
            self._refuse_from_port69(source, ErrorCode.NOT_DEFINED, "Server busy")
            return
        self._live[(source[0], source[1])] = transfer
        transfer.start()

    def _end(self, source: tuple[Any, ...]) -> None:
        self._live.pop((source[0], source[1]), None)
        self._tracker.finished(source)
        if not self._live and self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    # --- resolving names -------------------------------------------------------------------

    def _real_root(self) -> str:
        """The root's real path, taken once (as a chroot would): not again for every request."""
        if self._root_real is None:
            assert self.root is not None
            self._root_real = os.path.realpath(self.root)
        return self._root_real

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
        if not self.allow_write or self.root is None:
            raise PermissionError("writing is not enabled on this server")
        path = resolve_in(
            self._real_root(), filename, case_insensitive=self.case_insensitive, upload=True
        )
        return AtomicFile(Path(path), overwrite=self.overwrite)

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
        engine.accept(loop.time(), size)

    def _accept_write(self, target: UploadSink | IO[bytes]) -> None:
        engine = self.engine
        assert isinstance(engine, ServerWrite)
        sink = Sink(target, netascii=self.netascii)
        if self.pump.closed:  # aborted while the handler ran
            sink.finish(False)
            return
        self.sink = sink
        engine.accept(self.pump.loop.time())

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
                self.engine.abort(ErrorCode.DISK_FULL, f"Cannot store the file: {exc.strerror}")
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

    # --- the end -----------------------------------------------------------------------------

    def on_close(self) -> None:
        """The pump closed the socket: release the content and report, once."""
        if self.data is not None:
            self.data.close()
            self.data = None
        self._finish_sink(self.completed and self.failure is None)
        self.server._end(self.source)
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

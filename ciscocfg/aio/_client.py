"""asyncio TFTP client functions: :func:`download` and :func:`upload`."""

from __future__ import annotations

import asyncio
import errno
import io
import os
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from ciscocfg.aio._pump import Pump, make_socket
from ciscocfg.aio._records import TransferError, TransferRecord
from ciscocfg.aio._sources import AtomicFile, DataSource, content_size
from ciscocfg.tftp import (
    ClientRead,
    ClientWrite,
    DataReceived,
    Event,
    NeedData,
    NetasciiDecoder,
    Progress,
    RetryPolicy,
    TransferComplete,
    TransferFailed,
)

__all__ = ["DEFAULT_MAX_DOWNLOAD", "DEFAULT_RETRY", "Download", "download", "upload"]

#: The largest download taken unless told otherwise: what a server can send in 512-byte blocks
#: before the block number wraps (a 79xx firmware file is a few MB). A server that streams on
#: is stopped there with ERROR 3.
DEFAULT_MAX_DOWNLOAD = 32 * 1024 * 1024

#: Clients do not linger after the final ACK (as curl and tftp-hpa's client): a lost final ACK
#: costs the server a few retransmissions, never the client its file.
DEFAULT_RETRY = RetryPolicy(dally=0.0)

ProgressCallback = Callable[[int, "int | None"], object]


@attrs.frozen
class Download:
    """A finished download: ``data`` (``None`` when written to a target) and its record."""

    data: bytes | None
    record: TransferRecord


def _options(
    blksize: int | None,
    windowsize: int | None,
    timeout: int | None,
    tsize: str | None,
    extra: Mapping[str, str] | None,
) -> dict[str, str]:
    options: dict[str, str] = {}
    if blksize is not None:
        options["blksize"] = str(blksize)
    if windowsize is not None:
        options["windowsize"] = str(windowsize)
    if timeout is not None:
        options["timeout"] = str(timeout)
    if tsize is not None:
        options["tsize"] = tsize
    if extra:
        options.update(extra)
    return options


async def _server_address(host: str, port: int) -> tuple[int, tuple[Any, ...]]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
    if not infos:
        raise OSError(f"cannot resolve {host!r}")
    family, _, _, _, address = infos[0]
    return family, tuple(address)


class _Run:
    """Collects what a client engine reports."""

    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress
        self.failure: TransferFailed | None = None
        self.pump: Pump | None = None
        self.on_data: Callable[[DataReceived], None] | None = None
        self.on_need: Callable[[int], None] | None = None

    def on_event(self, event: Event) -> None:
        kind = type(event)
        if kind is DataReceived:
            assert isinstance(event, DataReceived)
            assert self.on_data is not None
            self.on_data(event)
        elif kind is NeedData:
            assert isinstance(event, NeedData)
            assert self.on_need is not None
            self.on_need(event.max_bytes)
        elif kind is Progress:
            if self.progress is not None:
                assert isinstance(event, Progress)
                self.progress(event.bytes, event.total)
        elif kind is TransferFailed:
            assert isinstance(event, TransferFailed)
            self.failure = event
        elif kind is TransferComplete:
            assert isinstance(event, TransferComplete)
            if self.progress is not None:
                self.progress(event.stats.bytes, event.stats.bytes)


async def _drive(
    engine: ClientRead | ClientWrite,
    sock: socket.socket,
    run: _Run,
    operation: str,
    mode: str,
) -> TransferRecord:
    loop = asyncio.get_running_loop()
    pump = Pump(loop, sock, engine, run.on_event)
    run.pump = pump
    try:
        pump.flush()
        await pump.finished
    except asyncio.CancelledError:
        engine.abort(0, "Transfer cancelled")
        pump.flush()
        pump.close()
        raise
    record = TransferRecord.build(operation, mode, engine.stats, run.failure, now=loop.time())
    if not record.ok:
        raise TransferError(record)
    return record


async def download(
    host: str,
    filename: str,
    target: str | os.PathLike[str] | IO[bytes] | None = None,
    *,
    port: int = 69,
    blksize: int | None = None,
    windowsize: int | None = None,
    timeout: int | None = None,
    tsize: bool = True,
    mode: str = "octet",
    options: Mapping[str, str] | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    on_progress: ProgressCallback | None = None,
    max_size: int | None = DEFAULT_MAX_DOWNLOAD,
    overwrite: bool = False,
) -> Download:
    """Read ``filename`` from the TFTP server at ``host``.

    Without ``target`` the bytes come back in :attr:`Download.data`; with a binary file they
    are written to it. A path is written as a temporary file beside it, with the permissions
    ``open`` would give (the umask applies), and renamed into place only once the transfer
    completed: a failed or cancelled download leaves nothing behind. An existing file (or a
    symbolic link) is replaced only with ``overwrite``, and then a link is replaced, never
    written through; otherwise :class:`FileExistsError` is raised before anything is sent.
    ``blksize``/``windowsize``/``timeout`` are asked for as options (RFC 2348, 7440, 2349);
    ``tsize`` asks the file size (given to ``on_progress(bytes, total)``). ``mode="netascii"``
    translates line ends to the local convention (LF). ``max_size`` (octets on the wire;
    ``None``: no limit) refuses a larger announced size before any data and stops a server
    that sends more with ERROR 3. Raises :class:`TransferError` when the server refuses or the
    transfer fails, :class:`OSError` for socket and file errors.
    """
    if isinstance(target, str | os.PathLike):
        path = Path(target)
        if path.is_dir() and not path.is_symlink():
            # Found now, not when the complete file cannot be renamed over it.
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    # tftp-hpa and dnsmasq refuse tsize in netascii (the wire size is not the file size).
    ask_tsize = tsize and mode.lower() != "netascii"
    asked = _options(blksize, windowsize, timeout, "0" if ask_tsize else None, options)
    request = _Request(host, filename, target, port, mode, retry, on_progress, max_size, overwrite)
    try:
        return await _download(request, asked)
    except TransferError as exc:
        if not (asked and _options_refused(exc)):
            raise
    # RFC 2347: a server that chokes on options may serve the plain request.
    return await _download(request, {})


def _options_refused(exc: TransferError) -> bool:
    """An ERROR from the server before any data, of a kind a plain request may avoid."""
    return exc.by_peer and exc.code == 8 and exc.record.bytes == 0


@attrs.frozen
class _Request:
    """What one download asks for, whatever options it carries."""

    host: str
    filename: str
    target: str | os.PathLike[str] | IO[bytes] | None
    port: int
    mode: str
    retry: RetryPolicy
    on_progress: ProgressCallback | None
    max_size: int | None
    overwrite: bool


async def _download(request: _Request, asked: dict[str, str]) -> Download:
    target = request.target
    sink: IO[bytes] | AtomicFile
    if target is None:
        sink = io.BytesIO()
    elif isinstance(target, str | os.PathLike):
        # Opened first, so that a directory that is not there fails before anything is sent.
        sink = AtomicFile(Path(target), overwrite=request.overwrite, mode=0o666)
    else:
        sink = target
    ok = False
    try:
        family, server = await _server_address(request.host, request.port)
        loop = asyncio.get_running_loop()
        sock = make_socket(family, "::" if family == socket.AF_INET6 else "0.0.0.0")
        try:
            engine = ClientRead(
                request.filename,
                loop.time(),
                server=server,
                mode=request.mode,
                options=asked,
                retry=request.retry,
                max_size=request.max_size,
            )
        except BaseException:
            sock.close()
            raise
        decoder = NetasciiDecoder() if engine.mode == "netascii" else None
        run = _Run(request.on_progress)
        write = sink.write

        def on_data(event: DataReceived) -> None:
            if decoder is None:
                write(event.payload)
            else:
                data = decoder.feed(event.payload)
                if event.final:
                    data += decoder.flush()
                write(data)

        run.on_data = on_data
        record = await _drive(engine, sock, run, "read", engine.mode)
        ok = True
    finally:
        if isinstance(sink, AtomicFile):
            sink.finish(ok)
    data = sink.getvalue() if target is None and isinstance(sink, io.BytesIO) else None
    return Download(data, record)


async def upload(
    host: str,
    filename: str,
    source: bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes],
    *,
    port: int = 69,
    blksize: int | None = None,
    windowsize: int | None = None,
    timeout: int | None = None,
    tsize: bool = True,
    mode: str = "octet",
    options: Mapping[str, str] | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    on_progress: ProgressCallback | None = None,
) -> TransferRecord:
    """Write ``source`` (bytes, a path or a binary file) as ``filename`` on the server.

    Options as for :func:`download`; with ``tsize`` the size is announced when it is known
    (the server may refuse it with ERROR 3). Raises :class:`TransferError` on failure.
    """
    family, server = await _server_address(host, port)
    loop = asyncio.get_running_loop()
    netascii = mode.lower() == "netascii"
    opened: IO[bytes] | None = None
    content: object
    if isinstance(source, str | os.PathLike):
        opened = open(source, "rb")  # noqa: SIM115 - closed below
        content = opened
    else:
        content = source
    try:
        size = content_size(content, netascii) if tsize else None
        sock = make_socket(family, "::" if family == socket.AF_INET6 else "0.0.0.0")
        asked = _options(blksize, windowsize, timeout, None, options)
        try:
            engine = ClientWrite(
                filename,
                loop.time(),
                server=server,
                mode=mode,
                options=asked,
                size=size,
                retry=retry,
            )
        except BaseException:
            sock.close()
            raise
        run = _Run(on_progress)
        feeder = DataSource(
            engine,
            content,
            netascii=netascii,
            clock=loop.time,
            wake=lambda: run.pump.flush() if run.pump is not None else None,
            owns_file=False,
        )
        run.on_need = feeder.need
        try:
            return await _drive(engine, sock, run, "write", engine.mode)
        finally:
            feeder.close()
    finally:
        if opened is not None:
            opened.close()

"""asyncio edge of the TFTP engine: sockets, clocks, files and handlers around ``ciscocfg.tftp``.

This package is the only part of ciscocfg that imports :mod:`asyncio`; the protocol itself lives
in the I/O-free :mod:`ciscocfg.tftp`.

* :class:`TftpServer` serves a directory and/or content that a handler builds for each
  requested name (``SEP<MAC>.cnf.xml`` from a database ...), uploads only when enabled.
* :func:`download` and :func:`upload` are the client side.
* :func:`resolve` is the path policy the server applies to every requested name.
* :func:`run` and :func:`new_event_loop` give a loop that polls briefly before it sleeps
  (:class:`BusyPollSelector`), which roughly halves a lock-step round trip on fast links.

See ``docs/howto/serve.md``.
"""

from __future__ import annotations

from ciscocfg.aio._client import DEFAULT_MAX_DOWNLOAD, DEFAULT_RETRY, Download, download, upload
from ciscocfg.aio._loop import DEFAULT_BUSY_POLL, BusyPollSelector, new_event_loop, run
from ciscocfg.aio._paths import PathRejected, resolve, resolve_upload
from ciscocfg.aio._records import TransferError, TransferRecord
from ciscocfg.aio._server import (
    DEFAULT_MAX_PER_CLIENT,
    DEFAULT_MAX_STALL,
    DEFAULT_MAX_UPLOAD,
    DEFAULT_SHUTDOWN_GRACE,
    DEFAULT_WINDOW_BUDGET,
    ReadHandler,
    TftpServer,
    TransferRequest,
    WriteHandler,
)
from ciscocfg.aio._sources import AtomicFile, BinaryReader, Content, UploadSink

__all__ = [
    "DEFAULT_BUSY_POLL",
    "DEFAULT_MAX_DOWNLOAD",
    "DEFAULT_MAX_PER_CLIENT",
    "DEFAULT_MAX_STALL",
    "DEFAULT_MAX_UPLOAD",
    "DEFAULT_RETRY",
    "DEFAULT_SHUTDOWN_GRACE",
    "DEFAULT_WINDOW_BUDGET",
    "AtomicFile",
    "BinaryReader",
    "BusyPollSelector",
    "Content",
    "Download",
    "PathRejected",
    "ReadHandler",
    "TftpServer",
    "TransferError",
    "TransferRecord",
    "TransferRequest",
    "UploadSink",
    "WriteHandler",
    "download",
    "new_event_loop",
    "resolve",
    "resolve_upload",
    "run",
    "upload",
]

"""Feeding a sending engine (``NeedData`` -> ``supply``) from bytes, files and async iterators,
and draining a receiving engine into files; netascii translation wraps either side."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import io
import os
import secrets
import stat
from collections.abc import AsyncIterable, AsyncIterator, Callable
from pathlib import Path
from typing import IO, Protocol, TypeAlias, runtime_checkable

from ciscocfg._errors import ArgumentTypeError
from ciscocfg._writing import link_into_place, named_error, sync_folder
from ciscocfg.tftp import NetasciiDecoder, NetasciiEncoder, encoded_size

__all__ = [
    "AtomicFile",
    "BinaryReader",
    "Content",
    "DataSource",
    "RawFile",
    "Sink",
    "UploadSink",
    "content_size",
]

#: What a read handler may return: the whole file, an open binary file, or an async iterator
#: of chunks (``None``, elsewhere, means "not found").
Content: TypeAlias = (
    "bytes | bytearray | memoryview | IO[bytes] | BinaryReader | AsyncIterable[bytes]"
)


#: Bytes read from a file per supply (the engine keeps what its window cannot take yet), and
#: the most read in one piece: a window larger than that is read in pieces of this size, so that
#: no transfer allocates megabytes at once (memory a busy allocator would keep).
_READ_AHEAD = 64 * 1024
#: What is read for a client that has not answered yet (it may never: a forged request).
_FIRST_READ = 4096


@runtime_checkable
class UploadSink(Protocol):
    """Where an upload goes. ``finish(ok)`` is called once: keep the data only when ``ok``."""

    def write(self, data: bytes | memoryview, /) -> object: ...

    def finish(self, ok: bool, /) -> None: ...


class SupplyTarget(Protocol):
    """The sending half of an engine (``ServerRead`` or ``ClientWrite``)."""

    def supply(self, data: bytes | bytearray | memoryview, now: float) -> None: ...

    def supply_eof(self, now: float) -> None: ...

    def abort(self, code: int = ..., message: str = ...) -> None: ...

    @property
    def done(self) -> bool: ...


def content_size(content: object, netascii: bool) -> int | None:
    """The size to announce as ``tsize``, when it can be known without reading everything.

    For netascii only in-memory content has a known wire size (as with tftp-hpa, a file's
    translated size is not announced).
    """
    if isinstance(content, bytes | bytearray | memoryview):
        return encoded_size([content]) if netascii else len(content)
    if netascii:
        return None
    fileno = getattr(content, "fileno", None)
    if fileno is not None:
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            info = os.fstat(fileno())
            if stat.S_ISREG(info.st_mode):
                position = content.tell() if hasattr(content, "tell") else 0
                return max(0, info.st_size - position)
    if isinstance(content, io.BytesIO):
        return len(content.getbuffer()) - content.tell()
    return None


class BinaryReader(Protocol):
    """What a file served as content needs: ``read`` (an empty result is the end) and ``close``
    (an open binary file is one)."""

    def read(self, size: int = ..., /) -> bytes: ...

    def close(self) -> None: ...


class RawFile:
    """A file served from the root, read with plain ``os.read``.

    A buffered file costs three system calls more to set up (two ``fstat`` and an ``ioctl``)
    and one more read at the end, per request. Nothing is lost without the buffer: a short
    read is not the end here, only an empty one is (see :meth:`DataSource.need`).
    """

    __slots__ = ("_fd",)

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def fileno(self) -> int:
        return self._fd

    def read(self, size: int = 65536, /) -> bytes:
        return os.read(self._fd, size)

    def close(self) -> None:
        fd, self._fd = self._fd, -1
        if fd >= 0:
            os.close(fd)

    def __del__(self) -> None:
        self.close()  # not left open when an error got between opening and serving


class DataSource:
    """Answers an engine's ``NeedData`` from one piece of content."""

    def __init__(
        self,
        engine: SupplyTarget,
        content: object,
        *,
        netascii: bool,
        clock: Callable[[], float],
        wake: Callable[[], None],
        owns_file: bool = True,
    ) -> None:
        self.engine = engine
        self._owns_file = owns_file
        self._clock = clock
        self._wake = wake
        self._encoder = NetasciiEncoder() if netascii else None
        self._task: asyncio.Task[None] | None = None
        self._whole: bytes | None = None
        self._file: IO[bytes] | None = None
        self._iterator: AsyncIterator[bytes] | None = None
        if isinstance(content, bytes | bytearray | memoryview):
            whole = content if type(content) is bytes else bytes(content)
            self._whole = whole if self._encoder is None else self._encoder.feed(whole)
        elif hasattr(content, "read"):
            self._file = content  # type: ignore[assignment]
        elif hasattr(content, "__aiter__"):
            self._iterator = content.__aiter__()
        else:
            raise ArgumentTypeError(f"cannot serve content of type {type(content).__name__}")

    @property
    def whole(self) -> bytes | None:
        """The complete (translated) content when it is in memory."""
        return self._whole

    def need(self, max_bytes: int) -> None:
        """Answer one ``NeedData``; called from inside the pump (no flush needed)."""
        engine = self.engine
        now = self._clock()
        if self._whole is not None:
            # Generated or in-memory content goes in one piece; the engine slices it.
            engine.supply(self._whole, now)
            self._whole = None
            engine.supply_eof(now)
        elif self._file is not None:
            # Read ahead: one read (and one supply) per 64 KiB rather than per block. Only an
            # empty read is the end: a raw file or a network file system may return less than
            # asked for in the middle of a file.
            ahead = _READ_AHEAD if getattr(engine, "answered", True) else _FIRST_READ
            want = min(max(max_bytes, ahead), _READ_AHEAD)
            encoder = self._encoder
            while True:
                chunk = self._file.read(want)
                if not chunk:
                    if encoder is not None:
                        tail = encoder.flush()
                        if tail:
                            engine.supply(tail, now)
                    engine.supply_eof(now)
                    return
                data = chunk if encoder is None else encoder.feed(chunk)
                if data:  # netascii may hold back a lone CR until it sees what follows
                    engine.supply(data, now)
                    return
        elif self._iterator is not None and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._pull(max_bytes))

    async def _pull(self, max_bytes: int) -> None:
        assert self._iterator is not None
        engine = self.engine
        try:
            got = 0
            ended = False
            while got < max_bytes:
                try:
                    chunk = await anext(self._iterator)
                except StopAsyncIteration:
                    ended = True
                    break
                if engine.done:
                    return
                if chunk:
                    data = chunk if self._encoder is None else self._encoder.feed(chunk)
                    engine.supply(data, self._clock())
                    got += len(chunk)
            if engine.done:
                return
            if ended:
                if self._encoder is not None:
                    tail = self._encoder.flush()
                    if tail:
                        engine.supply(tail, self._clock())
                engine.supply_eof(self._clock())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the embedding program's iterator failed
            engine.abort(0, f"Cannot read the file: {type(exc).__name__}")
        finally:
            self._task = None
            self._wake()

    def close(self) -> None:
        """Release the content (close a file, stop an iterator)."""
        if self._task is not None:
            self._task.cancel()
        if self._file is not None and self._owns_file:
            with contextlib.suppress(Exception):
                self._file.close()
        aclose = getattr(self._iterator, "aclose", None)
        if aclose is not None:
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().create_task(aclose())


class Sink:
    """Writes received payloads to a file or an :class:`UploadSink`, translating netascii."""

    def __init__(self, target: object, *, netascii: bool) -> None:
        self._decoder = NetasciiDecoder() if netascii else None
        self._target = target
        write = getattr(target, "write", None)
        if write is None:
            raise ArgumentTypeError(f"cannot write uploads to {type(target).__name__}")
        self._write: Callable[[bytes | memoryview], object] = write

    def write(self, payload: bytes | memoryview, final: bool) -> None:
        """Store one in-order payload (a view that is only valid during this call)."""
        decoder = self._decoder
        if decoder is None:
            if payload:
                self._write(payload)
        else:
            data = decoder.feed(payload)
            if final:
                data += decoder.flush()
            if data:
                self._write(data)

    def finish(self, ok: bool) -> None:
        """Commit (``ok``) or discard what was written."""
        target = self._target
        if isinstance(target, UploadSink):
            target.finish(ok)
        else:
            close = getattr(target, "close", None)
            if close is not None:
                close()


class AtomicFile:
    """A file written beside its target and stored in place on success.

    Storing (``finish(True)``) flushes the file to the disk (``fsync``), then links it to its
    name (renames it, with ``overwrite``) and syncs the folder, so that a server acknowledges
    only a file that is really there; when any of that fails (a full disk, the name taken
    meanwhile by another upload: :class:`FileExistsError`) it raises, having removed the
    temporary file. A failed or aborted write leaves nothing behind, and until the rename the
    old file (if any) is whole. With ``overwrite`` false an existing file, or a symbolic link,
    is never replaced (checked when opening, and by the link itself); with it, a link is
    replaced by the file, never written through; a folder is never replaced
    (:class:`IsADirectoryError`). ``mode`` ``None`` keeps the temporary file private (0600); a
    number creates it with those permission bits less the process umask (``0o666`` gives what
    ``open`` would).

    The folder is opened once, and the temporary file is created, named and removed in that
    open folder, never by a path: once open, no link swapped in on the way to it can send the
    file elsewhere. ``dir_fd`` gives that folder already open (the ``AtomicFile`` then owns the
    descriptor and closes it); ``path`` is then the file's path for messages, and its last
    component its name in the folder.
    """

    def __init__(
        self,
        path: Path,
        *,
        overwrite: bool,
        mode: int | None = None,
        dir_fd: int | None = None,
    ) -> None:
        self.path = path
        self.overwrite = overwrite
        self._name = path.name
        self._file: IO[bytes] | None = None
        self._temp: str | None = None
        if dir_fd is None:
            try:
                dir_fd = os.open(path.parent, _FOLDER_FLAGS)
            except (NotADirectoryError, FileNotFoundError) as exc:
                raise FileNotFoundError(
                    errno.ENOENT, "No such directory", str(path.parent)
                ) from exc
        self._dir: int | None = dir_fd
        try:
            try:
                info = os.stat(self._name, dir_fd=dir_fd, follow_symlinks=False)
            except FileNotFoundError:
                pass
            else:
                if not overwrite:
                    raise FileExistsError(errno.EEXIST, "File exists", str(path))
                if stat.S_ISDIR(info.st_mode):
                    raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
            # Kept short enough that the temporary name fits wherever the target's name does.
            fd, self._temp = _create_beside(dir_fd, f".{self._name[:64]}.", mode)
            self._file = os.fdopen(fd, "wb")
        except BaseException:
            self._close_folder()
            raise

    def write(self, data: bytes | memoryview, /) -> int:
        """Append bytes to the temporary file."""
        assert self._file is not None, "written after finish"
        return self._file.write(data)

    def finish(self, ok: bool, /) -> None:
        """Store the file in place when ``ok`` (raises :class:`OSError` if that fails);
        otherwise remove the temporary file."""
        if not ok:
            self._discard()
            return
        file, temp, folder = self._file, self._temp, self._dir
        assert file is not None, "finished twice"
        assert temp is not None
        assert folder is not None
        try:
            file.flush()  # a full disk shows here, if not on an earlier write
            os.fsync(file.fileno())
            file.close()
            if self.overwrite:
                os.replace(temp, self._name, src_dir_fd=folder, dst_dir_fd=folder)
            else:
                # Never replaces: FileExistsError if the name was taken meanwhile.
                link_into_place(temp, self._name, dir_fd=folder)
            self._temp = None
            sync_folder(".", dir_fd=folder)
        except OSError as exc:
            self._discard()
            raise named_error(exc, self.path) from exc
        except BaseException:
            self._discard()
            raise
        self._file = None
        self._close_folder()

    def _discard(self) -> None:
        # Closing flushes what is buffered, which fails on a full disk: remove the file anyway.
        file, self._file = self._file, None
        if file is not None:
            with contextlib.suppress(OSError):
                file.close()
        temp, self._temp = self._temp, None
        if temp is not None and self._dir is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=self._dir)
        self._close_folder()

    def _close_folder(self) -> None:
        folder, self._dir = self._dir, None
        if folder is not None:
            os.close(folder)

    def __del__(self) -> None:
        # Never finished (an error between opening and use): leave nothing behind.
        if getattr(self, "_dir", None) is not None:
            self._discard()


#: The folder a file is stored in, opened to create, name and remove entries in it (a link to
#: it, given by the caller, is followed: it is the folder the caller named).
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)


def _create_beside(folder: int, prefix: str, mode: int | None) -> tuple[int, str]:
    """Create a new, unique ``prefix…part`` file in the open ``folder``; the kernel applies the
    umask to ``mode`` (``None``: 0600, private, as ``mkstemp`` makes it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        name = f"{prefix}{secrets.token_hex(6)}.part"
        try:
            return os.open(name, flags, 0o600 if mode is None else mode, dir_fd=folder), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", prefix)

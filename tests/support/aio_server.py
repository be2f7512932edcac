"""Our own TFTP server on a loop in a background thread, so that tests can run blocking client
programs (subprocesses) against it and still look at what it recorded."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ciscocfg.aio import TftpServer, TransferError, TransferRecord, download

__all__ = ["BackgroundServer", "background_server", "download_outcomes"]


def download_outcomes(root: Path, names: list[str], timeout: float = 30) -> list[int | bytes]:
    """Download each of ``names`` in turn from a server of ``root``: the bytes, or the code of
    the ERROR the server answered."""

    async def outcome(port: int, name: str) -> int | bytes:
        try:
            got = await download("127.0.0.1", name, port=port)
        except TransferError as exc:
            return exc.code
        assert got.data is not None
        return got.data

    async def main() -> list[int | bytes]:
        async with TftpServer(root, host="127.0.0.1", port=0) as server:
            return [await outcome(server.port, name) for name in names]

    return asyncio.run(asyncio.wait_for(main(), timeout))


@dataclass
class BackgroundServer:
    """A running :class:`TftpServer`; ``records`` fills as transfers end."""

    server: TftpServer
    loop: asyncio.AbstractEventLoop
    host: str
    port: int
    records: list[TransferRecord] = field(default_factory=list)

    def record_for(self, filename: str, timeout: float = 10.0) -> TransferRecord:
        """The latest record of ``filename``, waiting for the server to finish with it (a
        client may exit before the server has seen the final ACK)."""
        end = time.monotonic() + timeout
        while True:
            for record in reversed(self.records):
                if record.filename == filename:
                    return record
            if time.monotonic() > end:
                raise AssertionError(f"no transfer of {filename!r} was recorded")
            time.sleep(0.005)

    def call(self, coroutine: Any, timeout: float = 60.0) -> Any:
        """Run a coroutine on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)


@contextlib.contextmanager
def background_server(
    *args: Any, host: str = "127.0.0.1", abort: bool = True, **kwargs: Any
) -> Iterator[BackgroundServer]:
    """Start ``TftpServer(*args, host=host, port=0, **kwargs)`` in a thread; stop it after."""
    loop = asyncio.new_event_loop()
    records: list[TransferRecord] = []
    started = threading.Event()
    box: dict[str, Any] = {}

    async def main() -> None:
        try:
            server = TftpServer(*args, host=host, port=0, on_transfer=records.append, **kwargs)
            await server.start()
            box["server"] = server
        except BaseException as exc:
            box["error"] = exc
            raise
        finally:
            started.set()
        await server.serve_forever()

    def run() -> None:
        asyncio.set_event_loop(loop)
        with contextlib.suppress(BaseException):
            loop.run_until_complete(main())
        loop.close()

    thread = threading.Thread(target=run, name="tftp-server", daemon=True)
    thread.start()
    started.wait(10)
    if "error" in box:
        thread.join(5)
        raise box["error"]
    server: TftpServer = box["server"]
    running = BackgroundServer(server, loop, host, server.port, records)
    try:
        yield running
    finally:
        asyncio.run_coroutine_threadsafe(server.close(abort=abort), loop).result(30)
        thread.join(30)

"""Our server and client together, in one loop: handlers, limits, shutdown, IPv6, faults and
hostile input (the relay and flood tests also run real client programs beside)."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import logging
import os
import random
import socket
import struct
import threading
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from support.aio_server import background_server, download_outcomes
from support.tftp_peers import client_get
from support.udp_relay import Faults, UdpRelay

from ciscocfg.aio import (
    BinaryReader,
    Download,
    TftpServer,
    TransferError,
    TransferRecord,
    TransferRequest,
    download,
    upload,
)
from ciscocfg.aio._pump import Readers
from ciscocfg.tftp import (
    Ack,
    Data,
    Error,
    ReadRequest,
    RetryPolicy,
    ServerPolicy,
    WriteRequest,
    encode,
)

MAC = "0011BB73AD61"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


async def _serve(server: TftpServer) -> int:
    await server.start()
    return server.port


def test_handler_builds_files_on_the_fly(tmp_path: Path) -> None:
    (tmp_path / "SIPDefault.cnf").write_bytes(b"image_version: P0S3-08-12-00\n")
    seen: list[TransferRequest] = []

    def handler(request: TransferRequest) -> bytes | None:
        seen.append(request)
        name = request.filename.upper()
        if name.startswith("SEP") and name.endswith(".CNF.XML"):
            return f"<device><mac>{name[3:15]}</mac></device>".encode()
        return None  # everything else comes from the directory

    async def main() -> tuple[bytes | None, bytes | None]:
        async with TftpServer(tmp_path, handler=handler, host="127.0.0.1", port=0) as server:
            generated = await download("127.0.0.1", f"SEP{MAC}.cnf.xml", port=server.port)
            from_disk = await download("127.0.0.1", "sipdefault.cnf", port=server.port)
            with pytest.raises(TransferError) as caught:
                await download("127.0.0.1", f"CTLSEP{MAC}.tlv", port=server.port)
            assert caught.value.code == 1
            return generated.data, from_disk.data

    generated, from_disk = _run(main())
    assert generated == f"<device><mac>{MAC}</mac></device>".encode()
    assert from_disk == b"image_version: P0S3-08-12-00\n"
    assert [r.filename for r in seen] == [f"SEP{MAC}.cnf.xml", "sipdefault.cnf", f"CTLSEP{MAC}.tlv"]
    assert seen[0].operation == "read"
    assert seen[0].peer[0] == "127.0.0.1"


def test_async_handler_and_async_iterator_content() -> None:
    chunks = [os.urandom(1000) for _ in range(50)]

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            await asyncio.sleep(0)
            yield chunk

    async def handler(request: TransferRequest) -> AsyncIterator[bytes] | io.BytesIO:
        await asyncio.sleep(0.01)  # a database lookup
        if request.filename == "stream":
            return stream()
        return io.BytesIO(b"file-like " * 300)

    async def main() -> tuple[bytes | None, bytes | None, TransferRecord]:
        async with TftpServer(handler=handler, host="127.0.0.1", port=0) as server:
            streamed = await download("127.0.0.1", "stream", port=server.port, windowsize=4)
            filelike = await download("127.0.0.1", "other", port=server.port, blksize=1428)
            return streamed.data, filelike.data, filelike.record

    streamed, filelike, record = _run(main())
    assert streamed == b"".join(chunks)
    assert filelike == b"file-like " * 300
    assert record.options["tsize"] == str(3000)


def test_failing_handler_answers_error_0(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: TransferRequest) -> bytes:
        raise RuntimeError("database is down")

    async def main() -> TransferError:
        async with TftpServer(handler=handler, host="127.0.0.1", port=0) as server:
            with pytest.raises(TransferError) as caught:
                await download("127.0.0.1", "x", port=server.port)
            return caught.value

    with caplog.at_level(logging.ERROR, logger="ciscocfg.aio.server"):
        error = _run(main())
    assert isinstance(error, TransferError)
    assert error.code == 0
    assert "database is down" in caplog.text


def test_upload_handler_and_size_limit(tmp_path: Path) -> None:
    stored: dict[str, bytes] = {}

    class Memory(io.BytesIO):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name_ = name

        def finish(self, ok: bool) -> None:
            if ok:
                stored[self.name_] = self.getvalue()

    def upload_handler(request: TransferRequest) -> Memory:
        return Memory(request.filename)

    async def main() -> list[TransferError]:
        errors = []
        async with TftpServer(
            tmp_path,
            upload_handler=upload_handler,
            max_upload_size=10_000,
            host="127.0.0.1",
            port=0,
        ) as server:
            await upload("127.0.0.1", "log.txt", b"booted\n" * 100, port=server.port)
            # Announced too big: ERROR 3 at once.
            with pytest.raises(TransferError) as announced:
                await upload("127.0.0.1", "big1", b"x" * 20_000, port=server.port)
            errors.append(announced.value)
            # Not announced: cut off when it passes the limit.
            with pytest.raises(TransferError) as streamed:
                await upload("127.0.0.1", "big2", b"x" * 20_000, port=server.port, tsize=False)
            errors.append(streamed.value)
        return errors

    errors = _run(main())
    assert isinstance(errors, list)
    assert stored == {"log.txt": b"booted\n" * 100}
    assert [e.code for e in errors] == [3, 3]


def test_uploads_into_the_root_never_overwrite_by_default(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_bytes(b"original")

    async def main() -> int:
        async with TftpServer(tmp_path, allow_write=True, host="127.0.0.1", port=0) as server:
            await upload("127.0.0.1", "new.txt", b"fresh", port=server.port, blksize=8)
            with pytest.raises(TransferError) as caught:
                await upload("127.0.0.1", "keep.txt", b"evil", port=server.port)
            with pytest.raises(TransferError) as outside:
                await upload("127.0.0.1", "../escape.txt", b"evil", port=server.port)
            assert outside.value.code == 2
            return caught.value.code

    assert _run(main()) == 6
    assert (tmp_path / "keep.txt").read_bytes() == b"original"
    assert (tmp_path / "new.txt").read_bytes() == b"fresh"
    assert not (tmp_path.parent / "escape.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt", "new.txt"]


@pytest.mark.parametrize("overwrite", [False, True])
def test_a_folder_is_never_replaced_by_an_upload(tmp_path: Path, overwrite: bool) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "to-sub").symlink_to("sub")

    async def main() -> list[int]:
        codes = []
        async with TftpServer(
            tmp_path, allow_write=True, overwrite=overwrite, host="127.0.0.1", port=0
        ) as server:
            for name in ("sub", "to-sub"):
                with pytest.raises(TransferError) as caught:
                    await upload("127.0.0.1", name, b"file", port=server.port)
                codes.append(caught.value.code)
        return codes

    assert _run(main()) == [6, 6]
    assert (tmp_path / "sub").is_dir()
    assert list((tmp_path / "sub").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub", "to-sub"]


def test_netascii_round_trip(tmp_path: Path) -> None:
    text = b"a\nb\r\nc\rd" + b"\n" * 600 + b"\r"
    (tmp_path / "t.txt").write_bytes(text)

    async def main() -> tuple[bytes | None, bytes]:
        async with TftpServer(tmp_path, allow_write=True, host="127.0.0.1", port=0) as server:
            got = await download("127.0.0.1", "t.txt", port=server.port, mode="netascii")
            await upload("127.0.0.1", "u.txt", text, port=server.port, mode="netascii")
        return got.data, (tmp_path / "u.txt").read_bytes()

    assert _run(main()) == (text, text)


def test_ipv6_loopback(tmp_path: Path) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    data = os.urandom(100_000)
    (tmp_path / "v6.bin").write_bytes(data)

    async def main() -> tuple[bytes | None, str]:
        async with TftpServer(tmp_path, host="::1", port=0) as server:
            got = await download("::1", "v6.bin", port=server.port, blksize=1428)
        return got.data, str(got.record.peer[0] if got.record.peer else "")

    try:
        got, peer = _run(main())
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback here: {exc}")
    assert got == data
    assert peer == "::1"


def test_dual_stack_serves_ipv4_and_ipv6(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"both")

    async def main() -> list[bytes | None]:
        async with TftpServer(tmp_path, host=None, port=0) as server:
            if server.address[0] != "::":
                pytest.skip("no IPv6 on this system")
            v4 = await download("127.0.0.1", "f", port=server.port)
            v6 = await download("::1", "f", port=server.port)
        return [v4.data, v6.data]

    assert _run(main()) == [b"both", b"both"]


def test_limit_on_concurrent_transfers(tmp_path: Path) -> None:
    release = asyncio.Event()

    async def slow(request: TransferRequest) -> bytes:
        await release.wait()
        return b"late"

    async def main() -> tuple[int, bytes | None]:
        async with TftpServer(handler=slow, max_transfers=1, host="127.0.0.1", port=0) as server:
            first = asyncio.create_task(download("127.0.0.1", "a", port=server.port))
            while server.active_transfers < 1:
                await asyncio.sleep(0.001)
            with pytest.raises(TransferError) as busy:
                await download("127.0.0.1", "b", port=server.port)
            release.set()
            return busy.value.code, (await first).data

    assert _run(main()) == (0, b"late")


def test_uploads_only_dallying_give_up_their_slot(tmp_path: Path) -> None:
    # A stored upload waits a while in case its final ACK was lost; a full server ends that
    # wait for a new request instead of answering "Server busy" (seen as phones' uploads of
    # logs, one after another, filling every slot).
    async def main() -> list[int]:
        async with TftpServer(
            tmp_path, allow_write=True, max_transfers=2, host="127.0.0.1", port=0
        ) as server:
            running = []
            for n in range(8):
                await upload("127.0.0.1", f"log{n}", b"line %d\n" % n, port=server.port)
                running.append(server.active_transfers)
            return running

    running = _run(main())
    assert max(running) <= 2, running
    assert running[-1] >= 1, running  # the last one still dallies
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"log{n}" for n in range(8)]


def test_close_lets_transfers_finish_or_aborts_them(tmp_path: Path) -> None:
    data = os.urandom(300_000)
    (tmp_path / "f").write_bytes(data)
    records: list[TransferRecord] = []

    async def main(abort: bool) -> bytes | TransferError | None:
        server = TftpServer(tmp_path, host="127.0.0.1", port=0, on_transfer=records.append)
        await server.start()
        started = asyncio.Event()

        def progress(done: int, total: int | None) -> None:
            started.set()

        task = asyncio.create_task(
            download("127.0.0.1", "f", port=server.port, on_progress=progress)
        )
        await started.wait()
        await server.close(abort=abort)
        # Closed: new requests get no answer.
        assert server.active_transfers == 0
        try:
            return (await task).data
        except TransferError as exc:
            return exc

    assert _run(main(abort=False)) == data
    assert records[-1].ok
    aborted = _run(main(abort=True))
    assert isinstance(aborted, TransferError)
    assert aborted.message == "Server shutting down"
    assert records[-1].reason == "aborted"


def test_one_log_line_per_transfer(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "f").write_bytes(os.urandom(200_000))

    async def main() -> None:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0) as server:
            await download("127.0.0.1", "f", port=server.port)
            with pytest.raises(TransferError):
                await download("127.0.0.1", "missing", port=server.port)

    with caplog.at_level(logging.DEBUG, logger="ciscocfg.aio.server"):
        _run(main())
    lines = [r for r in caplog.records if r.name == "ciscocfg.aio.server"]
    transfer_lines = [r for r in lines if hasattr(r, "tftp_transfer")]
    assert len(transfer_lines) == 2
    assert "RRQ from 127.0.0.1:" in transfer_lines[0].getMessage()
    assert "sent 200000 bytes in 391 blocks" in transfer_lines[0].getMessage()
    assert "error 1" in transfer_lines[1].getMessage()
    assert len(lines) <= 4  # plus "serving" and nothing per packet


def _abort_after_first_block(port: int, name: str) -> None:
    """A client that asks for ``name``, takes DATA 1 and gives up with an ERROR."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(5)
        sock.sendto(encode(ReadRequest(name, "octet", {})), ("127.0.0.1", port))
        _data, transfer = sock.recvfrom(1024)
        sock.sendto(encode(Error(0, "gave up")), transfer)


def test_quiet_logging_keeps_failures_and_drops_clean_transfers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "f").write_bytes(os.urandom(5000))
    records: list[TransferRecord] = []

    async def main(on_transfer: Any) -> None:
        loop = asyncio.get_running_loop()
        server = TftpServer(tmp_path, host="127.0.0.1", port=0, on_transfer=on_transfer)
        async with server:
            await download("127.0.0.1", "f", port=server.port)
            await loop.run_in_executor(None, _abort_after_first_block, server.port, "f")
            while server.active_transfers:
                await asyncio.sleep(0.01)

    with caplog.at_level(logging.WARNING, logger="ciscocfg.aio.server"):
        _run(main(None))
    lines = [r for r in caplog.records if hasattr(r, "tftp_transfer")]
    assert [r.levelno for r in lines] == [logging.WARNING]
    assert "failed" in lines[0].getMessage()
    assert "gave up" in lines[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ciscocfg.aio.server"):
        _run(main(records.append))
    # A hook still gets every record, the clean one too, whatever the log level.
    assert [record.ok for record in records] == [True, False]


TRAVERSALS = [
    "../secret.txt",
    "sub/../../secret.txt",
    "/../secret.txt",
    "..\\secret.txt",
    "C:\\secret.txt",
    "//secret.txt",
    "/etc/passwd",
    "CON",
    "nul.txt",
    "COM1",
    "x" * 300,
    "link-out",
    "sub/" + "a" * 256,
]


def test_traversal_attempts_get_error_2(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (tmp_path / "secret.txt").write_bytes(b"secret")
    (root / "link-out").symlink_to(tmp_path / "secret.txt")
    names = [*TRAVERSALS, str(tmp_path / "secret.txt")]

    async def main() -> list[int]:
        codes = []
        async with TftpServer(root, allow_write=True, host="127.0.0.1", port=0) as server:
            for name in names:
                with pytest.raises(TransferError) as caught:
                    await download("127.0.0.1", name, port=server.port)
                codes.append(caught.value.code)
                with pytest.raises(TransferError) as up:
                    await upload("127.0.0.1", name, b"evil", port=server.port)
                codes.append(up.value.code)
        return codes

    with caplog.at_level(logging.WARNING, logger="ciscocfg.aio.server"):
        codes = _run(main())
    assert codes == [2] * (2 * len(names))
    assert caplog.text.count("refused") >= 2 * len(names)
    assert (tmp_path / "secret.txt").read_bytes() == b"secret"


def test_nul_in_a_request_name_is_refused(tmp_path: Path) -> None:
    # A NUL ends the name on the wire; a name with NUL is malformed before any path check.
    (tmp_path / "a").write_bytes(b"x")
    with background_server(tmp_path) as served, socket.socket() as _:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(5)
        with sock:
            sock.sendto(b"\0\x01a\0b\0octet\0", (served.host, served.port))
            reply, _source = sock.recvfrom(1024)
    opcode, code = struct.unpack("!HH", reply[:4])
    assert opcode == 5
    assert code in (2, 4)


async def _download_or_none(
    port: int, blksize: int, windowsize: int, retry: RetryPolicy
) -> bytes | None:
    try:
        got = await download(
            "127.0.0.1", "f.bin", port=port, blksize=blksize, windowsize=windowsize, timeout=1,
            retry=retry,
        )  # fmt: skip
    except TransferError:
        return None
    return got.data


@pytest.mark.parametrize("seed", [1, 2])
def test_lossy_relay_transfers_are_exact_or_fail_cleanly(tmp_path: Path, seed: int) -> None:
    # Small: every lost datagram in lock-step costs a whole timeout (1 s, the RFC minimum).
    data = random.Random(seed).randbytes(40_000)
    (tmp_path / "f.bin").write_bytes(data)
    faults = Faults(drop=0.02, duplicate=0.03, reorder=0.03, seed=seed)
    retry = RetryPolicy(max_retries=8, dally=0.0)
    policy = ServerPolicy(retry=RetryPolicy(max_retries=8))

    async def main() -> tuple[list[bytes | None], list[TransferRecord], bytes | None]:
        records: list[TransferRecord] = []
        async with TftpServer(
            tmp_path, host="127.0.0.1", port=0, policy=policy, on_transfer=records.append,
            allow_write=True, overwrite=True,
        ) as server:  # fmt: skip
            with UdpRelay(server.port, faults) as relay:
                results = [
                    await _download_or_none(relay.port, blksize, windowsize, retry)
                    for blksize, windowsize in [(512, 1), (1428, 8), (1024, 4)]
                ]
                with contextlib.suppress(TransferError):
                    await upload(
                        "127.0.0.1", "up.bin", data, port=relay.port, blksize=1428,
                        windowsize=4, timeout=1, retry=retry,
                    )  # fmt: skip
                assert relay.counters.dropped + relay.counters.reordered > 0
            # The server still serves directly afterwards.
            direct = await download("127.0.0.1", "f.bin", port=server.port)
        return results, records, direct.data

    results, records, direct = _run(main())
    assert records  # every transfer was reported, complete or not
    for got in results:
        assert got is None or got == data
    assert sum(got is not None for got in results) >= 2
    assert direct == data
    uploaded = tmp_path / "up.bin"
    assert not uploaded.exists() or uploaded.read_bytes() == data
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_real_client_through_the_relay(tmp_path: Path) -> None:
    data = os.urandom(100_000)
    (tmp_path / "f.bin").write_bytes(data)
    faults = Faults(drop=0.01, duplicate=0.02, reorder=0.02, seed=11)
    with background_server(tmp_path) as served, UdpRelay(served.port, faults) as relay:
        got = client_get("atftp", "127.0.0.1", relay.port, "f.bin", tmp_path, blksize=1428)
    assert _digest(got) == _digest(data)


def _flood(port: int, stop: threading.Event, seed: int) -> int:
    rng = random.Random(seed)
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        while not stop.is_set():
            kind = rng.randrange(6)
            if kind == 0:
                payload = rng.randbytes(rng.randrange(0, 600))
            elif kind == 1:
                payload = b"\0\x01" + rng.randbytes(rng.randrange(0, 50))  # RRQ without NULs
            elif kind == 2:
                payload = b"\0\x01x\0mail\0"  # obsolete mode
            elif kind == 3:
                payload = b"\0\x02" + b"a" * 5000 + b"\0octet\0"  # over-long WRQ
            elif kind == 4:
                payload = b"\0\x04\0\x01"  # ACK to port 69
            else:
                payload = b"\0\x01f.bin\0octet\0blksize\0" + b"9" * 30 + b"\0"
            with contextlib.suppress(OSError):
                sock.sendto(payload, ("127.0.0.1", port))
            sent += 1
            if sent % 64 == 0:
                # Drain replies so that our own receive buffer does not fill.
                sock.setblocking(False)
                try:
                    while True:
                        sock.recv(65536)
                except OSError:
                    pass
                sock.setblocking(True)
    return sent


@pytest.mark.parametrize("client", ["curl", "tftp-hpa"])
def test_flood_of_garbage_does_not_stop_a_real_client(tmp_path: Path, client: str) -> None:
    data = os.urandom(512 * 1024)
    (tmp_path / "f.bin").write_bytes(data)
    with background_server(tmp_path) as served:
        stop = threading.Event()
        counts: list[int] = []
        flooder = threading.Thread(
            target=lambda: counts.append(_flood(served.port, stop, 5)), daemon=True
        )
        flooder.start()
        try:
            got = client_get(client, served.host, served.port, "f.bin", tmp_path)
        finally:
            stop.set()
            flooder.join(10)
        assert _digest(got) == _digest(data)
        assert counts[0] > 100
        # And it still answers normally afterwards.
        assert client_get("busybox", served.host, served.port, "f.bin", tmp_path) == data


def test_folders_fifos_and_looping_links_are_answered_at_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "pipe")  # opening it for reading would wait for a writer
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "ok.cnf").write_bytes(b"image: P0S3-08-2-00\n")
    names = ["sub", "pipe", "loop", "ok.cnf"]
    assert download_outcomes(tmp_path, names, 20) == [1, 2, 1, b"image: P0S3-08-2-00\n"]


class _Trickle(io.RawIOBase):
    """A raw file that hands out at most ``step`` bytes per read, as a pipe or a network file
    system may, whatever the size asked for."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = data
        self._step = step
        self._at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self._step, len(self._data) - self._at)
        buffer[:size] = self._data[self._at : self._at + size]
        self._at += size
        return size


@pytest.mark.parametrize("step", [1, 511, 700, 4096])
@pytest.mark.parametrize("mode", ["octet", "netascii"])
def test_short_reads_are_not_the_end_of_a_file(step: int, mode: str) -> None:
    # CRs and LFs fall on every kind of read boundary; 3 000 bytes span several blocks.
    data = (b"a\rb\r\nc\n" * 430)[:3000]

    async def main() -> bytes | None:
        def handler(request: TransferRequest) -> Any:
            return _Trickle(data, step)

        async with TftpServer(handler=handler, host="127.0.0.1", port=0) as server:
            got = await download("127.0.0.1", "trickle.bin", port=server.port, mode=mode)
        return got.data

    # netascii goes out as CR NUL and CR LF and comes back as it was (LF is the local line end).
    assert _run(asyncio.wait_for(main(), 30)) == data


def _rrq(name: str) -> bytes:
    return encode(ReadRequest(name, "octet", {}))


async def _receive(sock: socket.socket) -> tuple[bytes, tuple[Any, ...]]:
    """One datagram, waited for in a thread (``sock`` blocks, with a timeout)."""
    return await asyncio.to_thread(sock.recvfrom, 65536)


def test_a_repeated_request_does_not_start_a_second_transfer(tmp_path: Path) -> None:
    # A phone resends its request from the same port when the first answer is slow.
    (tmp_path / "f").write_bytes(b"a" * 700)

    async def main() -> list[tuple[bytes, tuple[Any, ...]]]:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0) as server:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(0.5)
                for _ in range(3):
                    sock.sendto(_rrq("f"), ("127.0.0.1", server.port))
                got = [await _receive(sock)]
                with contextlib.suppress(TimeoutError):
                    got.append(await _receive(sock))  # a second DATA 1 would come at once
                assert server.active_transfers == 1
                tid = got[0][1]
                sock.sendto(encode(Ack(1)), tid)
                got.append(await _receive(sock))
                sock.sendto(encode(Ack(2)), tid)
                return got

    got = _run(asyncio.wait_for(main(), 20))
    assert [packet[:4] for packet, _tid in got] == [encode(Data(1, b"")), encode(Data(2, b""))]
    assert got[1][0][4:] == b"a" * 188


def test_a_client_may_ask_again_from_the_same_port_at_once(tmp_path: Path) -> None:
    # A client that got its file (and the kernel, reusing a closed socket's port) may send the
    # next request from the same port before the server has read the final ACK. The final ACK
    # and the next request are both waiting when the server's loop next runs.
    (tmp_path / "a").write_bytes(b"first")
    (tmp_path / "b").write_bytes(b"second")

    async def main() -> bytes:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0) as server:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(2)
                sock.sendto(_rrq("a"), ("127.0.0.1", server.port))
                first, tid = await _receive(sock)
                assert first == encode(Data(1, b"first"))
                sock.sendto(encode(Ack(1)), tid)
                sock.sendto(_rrq("b"), ("127.0.0.1", server.port))
                second, new_tid = await _receive(sock)
                assert new_tid != tid
                sock.sendto(encode(Ack(1)), new_tid)
                return second

    assert _run(asyncio.wait_for(main(), 20)) == encode(Data(1, b"second"))


def test_a_request_after_an_upload_does_not_wait_for_the_dally(tmp_path: Path) -> None:
    # After the final ACK of an upload the server stays to answer a repeated final DATA (the
    # dally, 2 s here). A request from the same port means the client has moved on.
    (tmp_path / "b").write_bytes(b"second")

    async def main() -> bytes:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0, allow_write=True) as server:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(0.5)
                sock.sendto(encode(WriteRequest("up", "octet", {})), ("127.0.0.1", server.port))
                ack, tid = await _receive(sock)
                assert ack == encode(Ack(0))
                sock.sendto(encode(Data(1, b"uploaded")), tid)
                assert (await _receive(sock))[0] == encode(Ack(1))
                sock.sendto(_rrq("b"), ("127.0.0.1", server.port))
                data, new_tid = await _receive(sock)
                sock.sendto(encode(Ack(1)), new_tid)
                return data

    assert _run(asyncio.wait_for(main(), 20)) == encode(Data(1, b"second"))
    assert (tmp_path / "up").read_bytes() == b"uploaded"


def test_a_subclass_may_answer_reads_and_writes_itself(tmp_path: Path) -> None:
    stored: dict[str, bytes] = {}

    class Memory(io.BytesIO):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

        def close(self) -> None:
            stored[self.name] = self.getvalue()
            super().close()

    class Generated(TftpServer):
        async def open_read(self, request: TransferRequest) -> bytes:
            await asyncio.sleep(0)
            return f"made for {request.filename}\n".encode()

        async def open_write(self, request: TransferRequest) -> io.BytesIO:
            return Memory(request.filename)

    async def main() -> bytes | None:
        async with Generated(tmp_path, host="127.0.0.1", port=0) as server:
            await upload("127.0.0.1", "log.txt", b"uploaded", port=server.port)
            return (await download("127.0.0.1", "SIP0011BB73AD61.cnf", port=server.port)).data

    assert _run(asyncio.wait_for(main(), 20)) == b"made for SIP0011BB73AD61.cnf\n"
    assert stored == {"log.txt": b"uploaded"}


async def _data_or_none(port: int, name: str) -> bytes | None:
    try:
        return (await download("127.0.0.1", name, port=port)).data
    except TransferError:
        return None


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
@pytest.mark.parametrize("with_epoll", [True, False])
def test_no_descriptor_is_left_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_epoll: bool
) -> None:
    # Files and sockets of served, refused and failed transfers are all closed again, whether
    # the transfer sockets are watched through an epoll of the server's or by the loop.
    if not with_epoll:
        monkeypatch.delattr("select.epoll", raising=False)
    (tmp_path / "f").write_bytes(os.urandom(5000))
    (tmp_path / "sub").mkdir()
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "out").symlink_to(tmp_path.parent)
    names = ["f", "F", "/f", "sub", "pipe", "out", "missing", "../f"] * 5

    async def main() -> tuple[int, int, list[bytes | None]]:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0) as server:
            before = len(os.listdir("/proc/self/fd"))
            got = [await _data_or_none(server.port, name) for name in names]
            while server.active_transfers:
                await asyncio.sleep(0.01)
            return before, len(os.listdir("/proc/self/fd")), got

    before, after, got = _run(asyncio.wait_for(main(), 60))
    assert after == before
    served = (tmp_path / "f").read_bytes()
    assert got == [served, served, served, None, None, None, None, None] * 5


def test_a_socket_that_cannot_be_watched_gets_server_busy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Registering the transfer socket fails once (a full epoll, say): the client hears why, the
    # socket is closed, and the next request from the same port is served.
    (tmp_path / "f").write_bytes(b"content")
    real_add = Readers.add
    failures = [OSError(28, "No space left on device")]

    def add_once_failing(self: Readers, fd: int, callback: Any) -> None:
        if failures:
            raise failures.pop()
        real_add(self, fd, callback)

    monkeypatch.setattr(Readers, "add", add_once_failing)

    async def main() -> tuple[bytes, bytes]:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0) as server:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(2)
                sock.sendto(_rrq("f"), ("127.0.0.1", server.port))
                refused, _port69 = await _receive(sock)
                sock.sendto(_rrq("f"), ("127.0.0.1", server.port))
                data, tid = await _receive(sock)
                sock.sendto(encode(Ack(1)), tid)
                return refused, data

    refused, data = _run(asyncio.wait_for(main(), 20))
    assert refused == encode(Error(0, "Server busy"))
    assert data == encode(Data(1, b"content"))


def test_any_reader_may_be_served() -> None:
    # Not a file at all: only read() and close(), short reads, and an empty read at the end.
    data = os.urandom(3000)

    class Chunks:
        def __init__(self) -> None:
            self.at = 0
            self.closed = False

        def read(self, size: int = -1, /) -> bytes:
            chunk = data[self.at : self.at + min(size, 100)]
            self.at += len(chunk)
            return chunk

        def close(self) -> None:
            self.closed = True

    readers: list[Chunks] = []

    def handler(request: TransferRequest) -> BinaryReader:
        readers.append(Chunks())
        return readers[-1]

    async def main() -> Download:
        async with TftpServer(handler=handler, host="127.0.0.1", port=0) as server:
            return await download("127.0.0.1", "gen.bin", port=server.port)

    got = _run(asyncio.wait_for(main(), 20))
    assert got.data == data
    assert "tsize" not in got.record.options
    assert [reader.closed for reader in readers] == [True]


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({}, "needs a root directory, a handler, or both"),
        ({"handler": lambda _: None, "allow_write": True}, "allow_write needs a root directory"),
        ({"handler": lambda _: None, "max_transfers": 0}, "must be at least 1"),
        ({"handler": lambda _: None, "max_per_client": 0}, "must be at least 1"),
        ({"handler": lambda _: None, "window_budget": -1}, "must not be negative"),
        ({"handler": lambda _: None, "shutdown_grace": float("nan")}, "must not be negative"),
    ],
)
def test_a_server_that_cannot_work_is_refused(options: dict[str, Any], says: str) -> None:
    with pytest.raises(ValueError, match=says):
        TftpServer(**options)


def test_content_a_handler_cannot_serve_is_an_internal_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A handler bug: the client hears "Internal error" at once, the log says what came back,
    # and the server goes on serving.
    def handler(request: TransferRequest) -> Any:
        return 42 if request.filename == "broken" else b"fine"

    async def main() -> tuple[int, bytes | None]:
        async with TftpServer(handler=handler, host="127.0.0.1", port=0) as server:
            with pytest.raises(TransferError) as caught:
                await download("127.0.0.1", "broken", port=server.port)
            fine = await download("127.0.0.1", "fine", port=server.port)
            return caught.value.code, fine.data

    with caplog.at_level(logging.ERROR, logger="ciscocfg.aio.server"):
        code, fine = _run(main())
    assert (code, fine) == (0, b"fine")
    assert any("unusable content for 'broken'" in r.getMessage() for r in caplog.records)


def test_a_failing_transfer_hook_is_logged_and_serving_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "f").write_bytes(b"data")

    def hook(record: TransferRecord) -> None:
        raise RuntimeError("the database is down")

    async def main() -> list[bytes | None]:
        async with TftpServer(tmp_path, host="127.0.0.1", port=0, on_transfer=hook) as server:
            return [(await download("127.0.0.1", "f", port=server.port)).data for _ in range(2)]

    with caplog.at_level(logging.ERROR, logger="ciscocfg.aio.server"):
        assert _run(main()) == [b"data", b"data"]
    assert [r.getMessage() for r in caplog.records].count("on_transfer hook failed") == 2

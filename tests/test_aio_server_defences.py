"""The server against floods, stalled peers, full disks and exhausted descriptors: each attack
as it was shown against the server, on loopback, bounded in time, with the limits as shipped
unless a test says otherwise."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import select
import shutil
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.aio_server import background_server
from support.hostile import (
    LOOPBACK,
    flood_address,
    lockstep_get,
    open_fds,
    raise_nofile,
    rss_bytes,
    serve_process,
    silent_requests,
    write_request,
)

from ciscocfg.aio import TftpServer, TransferRecord
from ciscocfg.tftp import Ack, Data, Error, OptionAck, ReadRequest, decode, encode

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc")

CONFIG = b"<device><deviceProtocol>SIP</deviceProtocol></device>\n" * 40


@pytest.fixture(autouse=True)
def _enough_descriptors() -> None:
    raise_nofile(4096)


@contextlib.contextmanager
def _closing(sockets: list[socket.socket]) -> Iterator[list[socket.socket]]:
    try:
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def _timed_get(port: int, name: str, bind: str = LOOPBACK) -> tuple[bytes, float]:
    start = time.monotonic()
    data = lockstep_get(port, name, bind=bind, timeout=5.0)
    return data, time.monotonic() - start


# --- 2. nobody locked out ---------------------------------------------------------------------


@pytest.mark.parametrize("spread", ["one-address", "600-addresses"])
def test_a_flood_of_silent_requests_does_not_lock_a_phone_out(tmp_path: Path, spread: str) -> None:
    # 600 one-packet RRQs asking timeout 255, never answered, held every slot for hours; with
    # them spread over many (forged) addresses no per-address limit can help, so a new request
    # takes the slot of the oldest one never answered.
    (tmp_path / "SEP0011BB73AD61.cnf.xml").write_bytes(CONFIG)
    addresses = ["127.0.0.2" if spread == "one-address" else flood_address(i) for i in range(600)]
    with background_server(tmp_path) as served:
        flood = silent_requests(served.port, addresses, "SEP0011BB73AD61.cnf.xml",
                                {"timeout": "255"})  # fmt: skip
        with _closing(flood):
            deadline = time.monotonic() + 10
            while (
                served.server.active_transfers < min(64 if spread == "one-address" else 512, 600)
                and time.monotonic() < deadline
            ):
                time.sleep(0.01)  # fmt: skip
            during, took = _timed_get(served.port, "SEP0011BB73AD61.cnf.xml")
            assert during == CONFIG
            assert took < 5.0
            time.sleep(1.0)  # the flood is over; its transfers are still waiting for answers
            after, took_after = _timed_get(served.port, "SEP0011BB73AD61.cnf.xml")
            assert after == CONFIG
            assert took_after < 5.0
            if spread == "one-address":
                # One address holds no more than its share.
                assert served.server.active_transfers <= served.server.max_per_client + 1


_SMALL = b'image_version: "P0S3-08-12-00"\n'  # one block


def _ask_at_once_after_each_file(
    port: int, name: str, clients: int, seconds: float
) -> Counter[str]:
    """``clients`` clients of one address, each asking for ``name`` again (from a fresh port)
    the moment it has the file and has acknowledged it: what they heard, by kind."""
    heard: Counter[str] = Counter()
    poller = select.epoll()
    socks: dict[int, socket.socket] = {}

    def ask() -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK)
        socks[sock.fileno()] = sock
        poller.register(sock.fileno(), select.EPOLLIN)
        sock.sendto(encode(ReadRequest(name, "octet")), (LOOPBACK, port))

    def end(sock: socket.socket) -> None:
        poller.unregister(sock.fileno())
        del socks[sock.fileno()]
        sock.close()

    deadline = time.monotonic() + seconds
    for _ in range(clients):
        ask()
    while socks and time.monotonic() < deadline + 5:
        ready = poller.poll(0.5)
        if not ready:
            heard["silence"] += len(socks)
            break
        for fd, _mask in ready:
            sock = socks[fd]
            packet, peer = sock.recvfrom(65536)
            if packet[:2] == b"\x00\x03":
                sock.sendto(b"\x00\x04" + packet[2:4], peer)
                heard["file" if packet[4:] == _SMALL else "wrong bytes"] += 1
            else:
                heard[f"error {int.from_bytes(packet[2:4], 'big')}"] += 1
            end(sock)
            if time.monotonic() < deadline:
                ask()
    for sock in list(socks.values()):
        end(sock)
    poller.close()
    return heard


def test_clients_asking_again_at_once_are_not_counted_twice(tmp_path: Path) -> None:
    # Sixteen clients of one address, each asking again the moment it has its file: in one
    # batch of requests a client could be sent its file, answer and ask again several times
    # while its answers sat unread, and the server counted the finished transfers against the
    # address's 64 and answered "Server busy" (93,028 times in one benchmark run).
    (tmp_path / "SIPDefault.cnf").write_bytes(_SMALL)
    with background_server(tmp_path) as served:
        heard = _ask_at_once_after_each_file(served.port, "SIPDefault.cnf", 16, 2.0)
    assert set(heard) == {"file"}, heard
    assert heard["file"] > 100, heard


def test_a_silent_transfer_gives_up_its_slot_after_max_stall(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(CONFIG)
    records: list[TransferRecord] = []

    async def main() -> float:
        loop = asyncio.get_running_loop()
        server = TftpServer(tmp_path, host=LOOPBACK, port=0, on_transfer=records.append)
        server.policy = server.policy.__class__(max_stall=2.0)
        async with server:
            flood = silent_requests(server.port, ["127.0.0.2"], "f", {"timeout": "255"})
            with _closing(flood):
                start = loop.time()
                while not records:
                    await asyncio.sleep(0.05)
                    assert loop.time() - start < 10, "the silent transfer was never given up"
                return loop.time() - start

    held = asyncio.run(main())
    assert 1.5 < held < 4.0
    assert records[0].reason == "timeout"


def test_sigterm_ends_serve_within_seconds_under_a_flood(tmp_path: Path) -> None:
    # SIGTERM left the process holding 1,033 descriptors for 23 minutes, waiting for
    # transfers whose clients would never answer.
    (tmp_path / "f").write_bytes(CONFIG)
    addresses = [flood_address(i) for i in range(300)]
    with (
        serve_process(tmp_path) as served,
        _closing(silent_requests(served.port, addresses, "f", {"timeout": "255"})),
    ):
        deadline = time.monotonic() + 10
        while open_fds(served.pid) < 300 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert open_fds(served.pid) >= 300  # a socket and a file per transfer
        took = served.terminate(timeout=15)
    assert served.process.returncode == 0
    assert took < 3.0 + 2.0  # the grace, and some slack for a loaded machine


def test_close_releases_every_descriptor_within_the_grace(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(CONFIG)

    async def main() -> tuple[int, int, int, float]:
        loop = asyncio.get_running_loop()
        before = len(os.listdir("/proc/self/fd"))
        server = TftpServer(tmp_path, host=LOOPBACK, port=0, shutdown_grace=1.0)
        await server.start()
        flood = silent_requests(
            server.port, [flood_address(i) for i in range(50)], "f", {"timeout": "255"}
        )
        with _closing(flood):
            while server.active_transfers < 50:
                await asyncio.sleep(0.01)
            during = len(os.listdir("/proc/self/fd"))
            start = loop.time()
            await server.close()
            took = loop.time() - start
            after = len(os.listdir("/proc/self/fd"))
        return before, during, after - len(flood), took

    before, during, after, took = asyncio.run(asyncio.wait_for(main(), 30))
    assert during >= before + 2 * 50
    assert after == before
    assert took < 1.0 + 1.0


# --- 3. bounded memory ------------------------------------------------------------------------


def _stall_big_window(port: int, bind: str, name: str) -> socket.socket:
    """Ask for the largest window, confirm the OACK, then never ACK a block."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind, 0))
    sock.settimeout(5)
    options = {"blksize": "65464", "windowsize": "64"}
    sock.sendto(encode(ReadRequest(name, "octet", options)), (LOOPBACK, port))
    answer, tid = sock.recvfrom(65536)
    assert isinstance(decode(answer), OptionAck)
    sock.sendto(encode(Ack(0)), tid)
    return sock


@pytest.mark.slow
def test_stalled_big_windows_stay_within_the_memory_budget(tmp_path: Path) -> None:
    # 512 stalled transfers asking blksize 65464, windowsize 64 took the server from 25 MB to
    # 2.3 GB: each held a window of 4 MiB.
    (tmp_path / "firmware.bin").write_bytes(os.urandom(8 * 1024 * 1024))
    with serve_process(tmp_path, "--max-transfers", "1024") as served:
        idle = rss_bytes(served.pid)
        stalled = [
            _stall_big_window(served.port, flood_address(i // 8), "firmware.bin")
            for i in range(512)
        ]
        with _closing(stalled):
            time.sleep(0.5)  # let every window go out
            held = rss_bytes(served.pid)
            print(f"resident: {idle / 2**20:.0f} MiB idle, {held / 2**20:.0f} MiB stalled")
            # And a phone is still served beside them.
            assert len(lockstep_get(served.port, "firmware.bin", timeout=60)) == 8 * 1024 * 1024
    assert held < 150 * 1024 * 1024, f"{held / 2**20:.0f} MiB resident (idle: {idle / 2**20:.0f})"


def test_the_window_budget_grants_smaller_windows_once_spent(tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(8 * 1024 * 1024))  # more than a window
    budget = 4 * 65464 * 64  # four full windows

    async def main() -> list[OptionAck | Any]:
        server = TftpServer(tmp_path, host=LOOPBACK, port=0, window_budget=budget)
        async with server:
            socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(6)]
            with _closing(socks):
                answers = []
                for sock in socks:
                    sock.settimeout(5)
                    options = {"blksize": "65464", "windowsize": "64"}
                    sock.sendto(
                        encode(ReadRequest("big.bin", "octet", options)), (LOOPBACK, server.port)
                    )
                    answer, _tid = await asyncio.to_thread(sock.recvfrom, 65536)
                    answers.append(decode(answer))
                assert server.window_bytes_held <= budget + 2 * 512  # two at the floor
                return answers

    answers = asyncio.run(asyncio.wait_for(main(), 30))
    granted = [(a.options["blksize"], a.options["windowsize"]) for a in answers]
    assert granted[:4] == [("65464", "64")] * 4
    assert granted[4:] == [("512", "1")] * 2


# --- 4. an acknowledged upload is stored ------------------------------------------------------


def _upload_final(sock: socket.socket, tid: Any, payload: bytes) -> object:
    sock.sendto(encode(Data(1, payload)), tid)
    return decode(sock.recvfrom(65536)[0])


def test_two_uploads_of_one_new_name_are_never_both_acknowledged(tmp_path: Path) -> None:
    # Both got the final ACK and only one file was kept ("cannot store upload ... File exists"
    # logged after the ACK had gone out).
    with (
        background_server(tmp_path, allow_write=True) as served,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as first,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as second,
    ):
        first.settimeout(5)
        second.settimeout(5)
        ack_first, tid_first = write_request(first, served.port, "phone.log")
        ack_second, tid_second = write_request(second, served.port, "phone.log")
        assert ack_first == ack_second == Ack(0)
        answers = [
            _upload_final(first, tid_first, b"first"),
            _upload_final(second, tid_second, b"second"),
        ]
    assert answers == [Ack(1), Error(6, "File already exists")]
    assert (tmp_path / "phone.log").read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["phone.log"]


def test_a_failed_store_is_answered_with_error_3_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("ciscocfg.aio._sources.os.fsync", full_disk)
    with (
        background_server(tmp_path, allow_write=True) as served,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
    ):
        sock.settimeout(5)
        ack, tid = write_request(sock, served.port, "phone.log")
        assert ack == Ack(0)
        answer = _upload_final(sock, tid, b"ok")
    assert isinstance(answer, Error)
    assert answer.code == 3
    assert list(tmp_path.iterdir()) == []


@contextlib.contextmanager
def _tiny_filesystem(where: Path) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
        capture_output=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.skipif(shutil.which("mount") is None, reason="needs mount")
def test_on_a_full_filesystem_nothing_is_acknowledged_and_nothing_is_left(tmp_path: Path) -> None:
    # On a full disk a 2-byte upload was acknowledged and never created.
    with _tiny_filesystem(tmp_path / "full") as root:
        fd = os.open(root / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * 4096)
        finally:
            os.close(fd)
        with serve_process(root, "--allow-write") as served:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(5)
                ack, tid = write_request(sock, served.port, "phone.log")
                assert ack == Ack(0)
                small = _upload_final(sock, tid, b"ok")
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(5)
                ack, tid = write_request(sock, served.port, "big.log")
                answer: object = ack
                block = 0
                while isinstance(answer, Ack) and block < 400:
                    block += 1
                    sock.sendto(encode(Data(block, b"x" * 512)), tid)
                    answer = decode(sock.recvfrom(65536)[0])
        assert isinstance(small, Error)
        assert small.code == 3
        assert isinstance(answer, Error)
        assert answer.code == 3
        assert sorted(p.name for p in root.iterdir()) == ["filler"]


# --- 6. no amplification ----------------------------------------------------------------------


def test_a_client_that_acks_every_block_gets_each_block_once(tmp_path: Path) -> None:
    # With windowsize 64 a 196-block file went out as 6,402 DATA packets (32.7 times).
    data = os.urandom(195 * 512 + 100)
    (tmp_path / "f.bin").write_bytes(data)
    with background_server(tmp_path) as served:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            options = {"windowsize": "64"}
            sock.sendto(encode(ReadRequest("f.bin", "octet", options)), (LOOPBACK, served.port))
            answer, tid = sock.recvfrom(65536)
            assert isinstance(decode(answer), OptionAck)
            sock.sendto(encode(Ack(0)), tid)
            received = bytearray()
            packets = 0
            last_block = 0
            while True:
                packet = decode(sock.recvfrom(65536)[0])
                assert isinstance(packet, Data)
                packets += 1
                sock.sendto(encode(Ack(packet.block)), tid)  # every block, as it comes
                if packet.block == last_block + 1:
                    last_block = packet.block
                    received += packet.payload
                    if len(packet.payload) < 512:
                        break
            sock.settimeout(0.3)
            with contextlib.suppress(TimeoutError):
                while True:  # anything still coming
                    sock.recvfrom(65536)
                    packets += 1
        record = served.record_for("f.bin")
    assert bytes(received) == data
    assert packets <= 196 + record.retransmits
    assert record.retransmits <= 64  # at most one timeout on a loaded machine


# --- 7. out of descriptors is "busy" ----------------------------------------------------------


def _first_answer(sock: socket.socket) -> object:
    """The first answer to a request; a transfer that started is ended by us at once (an
    ERROR from the client), so that it gives its descriptors back."""
    try:
        packet, tid = sock.recvfrom(65536)
    except TimeoutError:
        return None
    answer = decode(packet)
    if isinstance(answer, Data):
        sock.sendto(encode(Error(0, "enough")), tid)
    return answer


def test_out_of_descriptors_is_server_busy_and_passes(tmp_path: Path) -> None:
    # With ulimit -n 40, 60 requests got 45 "Internal error" replies and 46 tracebacks.
    (tmp_path / "f").write_bytes(CONFIG)
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "f").write_bytes(CONFIG)
    with serve_process(tmp_path, nofile=40, quiet=False) as served:
        socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(60)]
        with _closing(socks):
            start = time.monotonic()
            for index, sock in enumerate(socks):
                sock.settimeout(3)
                # Every other name is in a folder: opening it takes descriptors of its own.
                name = "f" if index % 2 else "sub/deeper/f"
                sock.sendto(encode(ReadRequest(name, "octet", {})), (LOOPBACK, served.port))
            answers = [_first_answer(sock) for sock in socks]
            elapsed = time.monotonic() - start
        # Once the first transfers give their descriptors back, phones are served again.
        time.sleep(0.5)
        later = [lockstep_get(served.port, "f", timeout=10) for _ in range(20)]
        log = served.log_text()
    served_now = [a for a in answers if isinstance(a, Data)]
    errors = [a for a in answers if isinstance(a, Error)]
    assert served_now, "nothing was served"
    assert errors, "the limit was never reached: the test proves nothing"
    assert all(e == Error(0, "Server busy") for e in errors), errors
    assert len(served_now) + len(errors) == 60
    assert later == [CONFIG] * 20
    assert "Traceback" not in log
    assert "Internal error" not in log
    lines = [line for line in log.splitlines() if "Too many open files" in line]
    assert 1 <= len(lines) <= elapsed + 2, lines

"""Soak: every kind of abuse at once, beside phones that must still be served.

``ciscocfg serve`` runs in a process of its own for about 12 seconds while threads send it
floods of silent requests, stalled large windows, garbage, packets from strangers to running
transfers, clients that vanish mid-transfer, readers that ACK every block of a window and
uploads racing for one name. Meanwhile phones fetch their config in lock-step, each of which
must arrive whole within 5 s. Afterwards the server holds no more memory than it may, gives its
descriptors back once the stall limit has passed, left no partial upload behind, and stops on
SIGTERM at once. Loopback only.
"""

from __future__ import annotations

import contextlib
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
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

from ciscocfg.tftp import Ack, Data, Error, OptionAck, ReadRequest, decode, encode

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="reads /proc"),
]

SECONDS = 12.0
CONFIG = os.urandom(5000)
# Each kind of misbehaving client has an address of its own (the phones are on 127.0.0.1): a
# host that keeps transfers hanging is held to its own share, not its neighbours'.
VANISHING = "127.0.0.3"
ACKS_EVERY_BLOCK = "127.0.0.4"
STRANGERS_VICTIM = "127.0.0.5"
STRANGER = "127.0.0.6"


def _bound(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, 0))
    return sock


class _Soak:
    def __init__(self, port: int) -> None:
        self.port = port
        self.stop = threading.Event()
        self.failures: list[str] = []
        self.phone_times: list[float] = []
        self.counts: dict[str, int] = {}
        self.rounds = 0
        self._lock = threading.Lock()

    def count(self, what: str) -> None:
        with self._lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def fail(self, what: str) -> None:
        with self._lock:
            self.failures.append(what)

    def run(self, name: str, body: Callable[[random.Random], None], seed: int) -> threading.Thread:
        rng = random.Random(seed)

        def once() -> None:
            try:
                body(rng)
            except Exception as exc:  # recorded, and the soak goes on
                self.fail(f"{name}: {type(exc).__name__}: {exc}")
                time.sleep(0.05)

        def loop() -> None:
            while not self.stop.is_set():
                once()

        thread = threading.Thread(target=loop, name=name, daemon=True)
        thread.start()
        return thread

    # --- the legitimate ---------------------------------------------------------------------

    def phone(self, rng: random.Random) -> None:
        start = time.monotonic()
        data = lockstep_get(self.port, "SEP0011BB73AD61.cnf.xml", timeout=5.0)
        took = time.monotonic() - start
        if data != CONFIG:
            self.fail("phone: wrong content")
        with self._lock:
            self.phone_times.append(took)
        time.sleep(rng.uniform(0, 0.05))

    # --- the hostile ------------------------------------------------------------------------

    def flood(self, rng: random.Random) -> None:
        addresses = [flood_address(rng.randrange(2000)) for _ in range(20)]
        socks = silent_requests(self.port, addresses, "firmware.bin", {"timeout": "255"})
        for sock in socks:
            sock.close()
        self.count("flood")
        time.sleep(0.1)

    def stalled_window(self, rng: random.Random) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((flood_address(rng.randrange(16)), 0))
            sock.settimeout(2)
            options = {"blksize": "65464", "windowsize": "64"}
            sock.sendto(encode(ReadRequest("firmware.bin", "octet", options)),
                        (LOOPBACK, self.port))  # fmt: skip
            with contextlib.suppress(TimeoutError):
                answer, tid = sock.recvfrom(65536)
                if isinstance(decode(answer), OptionAck):
                    sock.sendto(encode(Ack(0)), tid)
                    time.sleep(0.5)  # takes the window, never acknowledges it
        self.count("stalled")

    def garbage(self, rng: random.Random) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for _ in range(20):
                kind = rng.randrange(4)
                if kind == 0:
                    payload = rng.randbytes(rng.randrange(0, 600))
                elif kind == 1:
                    payload = b"\0\x01" + rng.randbytes(rng.randrange(0, 40))
                elif kind == 2:
                    payload = b"\0\x04\0\x01"
                else:
                    payload = b"\0\x05\0\0oops\0"
                sock.sendto(payload, (LOOPBACK, self.port))
        self.count("garbage")
        time.sleep(0.05)

    def stranger(self, rng: random.Random) -> None:
        # A transfer runs; someone else sends its port ACKs and junk; the client still gets
        # exactly its file.
        with (
            _bound(STRANGERS_VICTIM) as sock,
            _bound(STRANGER) as other,
        ):
            sock.settimeout(5)
            other.settimeout(5)
            sock.sendto(encode(ReadRequest("SEP0011BB73AD61.cnf.xml", "octet", {})),
                        (LOOPBACK, self.port))  # fmt: skip
            received = bytearray()
            block = 1
            while True:
                packet, tid = sock.recvfrom(65536)
                answer = decode(packet)
                if not isinstance(answer, Data):
                    raise AssertionError(f"stranger's victim got {answer!r}")
                other.sendto(encode(Ack(answer.block + rng.randrange(3))), tid)
                reply = decode(other.recvfrom(65536)[0])
                if reply != Error(5, "Unknown transfer ID"):
                    raise AssertionError(f"stranger got {reply!r}")
                if answer.block == block:
                    received += answer.payload
                    block += 1
                sock.sendto(encode(Ack(answer.block)), tid)
                if len(answer.payload) < 512:
                    break
            if bytes(received) != CONFIG:
                self.fail("stranger's victim: wrong content")
        self.count("stranger")

    def vanishing(self, rng: random.Random) -> None:
        with _bound(VANISHING) as sock:
            sock.settimeout(5)
            sock.sendto(encode(ReadRequest("firmware.bin", "octet", {"blksize": "1428"})),
                        (LOOPBACK, self.port))  # fmt: skip
            sock.recvfrom(65536)  # the OACK, and gone
        self.count("vanished")
        time.sleep(0.05)

    def acks_every_block(self, rng: random.Random) -> None:
        with _bound(ACKS_EVERY_BLOCK) as sock:
            sock.settimeout(5)
            sock.sendto(encode(ReadRequest("SEP0011BB73AD61.cnf.xml", "octet",
                                           {"windowsize": "16", "blksize": "64"})),
                        (LOOPBACK, self.port))  # fmt: skip
            answer, tid = sock.recvfrom(65536)
            if not isinstance(decode(answer), OptionAck):
                raise AssertionError(f"no OACK: {decode(answer)!r}")
            sock.sendto(encode(Ack(0)), tid)
            packets = 0
            received = bytearray()
            while True:
                data = decode(sock.recvfrom(65536)[0])
                assert isinstance(data, Data)
                packets += 1
                sock.sendto(encode(Ack(data.block)), tid)
                if data.block == len(received) // 64 + 1:
                    received += data.payload
                    if len(data.payload) < 64:
                        break
            blocks = len(CONFIG) // 64 + 1
            if bytes(received) != CONFIG:
                self.fail("ack-every-block: wrong content")
            if packets > blocks + 16:  # one timeout's window at most, on a loaded machine
                self.fail(f"ack-every-block: {packets} DATA for {blocks} blocks")
        self.count("acks every block")

    def racing_uploads(self, rng: random.Random) -> None:
        name = f"log-{rng.randrange(1 << 30)}.txt"
        # A fresh address each time: a port the kernel hands out again would otherwise reach
        # a transfer of an earlier round still waiting (the same client port is the same
        # transfer to a TFTP server).
        self.rounds += 1
        address = f"127.0.7.{1 + self.rounds % 250}"
        with _bound(address) as one, _bound(address) as two:
            one.settimeout(5)
            two.settimeout(5)
            first, tid_one = write_request(one, self.port, name)
            second, tid_two = write_request(two, self.port, name)
            if first != Ack(0) or second != Ack(0):
                return  # busy: fine under this load
            one.sendto(encode(Data(1, b"one")), tid_one)
            two.sendto(encode(Data(1, b"two")), tid_two)
            answers = {_answer_to_data(one), _answer_to_data(two)}
            if answers != {Ack(1), Error(6, "File already exists")}:
                self.fail(f"racing uploads: {answers!r}")
        self.count("races")


def _answer_to_data(sock: socket.socket) -> object:
    """The answer to DATA 1, past an ACK 0 the server resent while the load delayed it."""
    while True:
        answer = decode(sock.recvfrom(65536)[0])
        if answer != Ack(0):
            return answer


def test_soak(tmp_path: Path) -> None:
    raise_nofile(8192)
    root = tmp_path / "root"
    root.mkdir()
    (root / "SEP0011BB73AD61.cnf.xml").write_bytes(CONFIG)
    (root / "firmware.bin").write_bytes(os.urandom(6 * 1024 * 1024))
    with serve_process(
        root,
        "--allow-write",
        "--max-stall",
        "3",
        "--shutdown-grace",
        "2",
        "--window-budget",
        "16M",
        quiet=True,
    ) as served:
        idle_fds = open_fds(served.pid)
        soak = _Soak(served.port)
        workers = [soak.run("phone", soak.phone, seed) for seed in range(4)]
        hostile: list[tuple[str, Callable[[random.Random], None]]] = [
            ("flood", soak.flood),
            ("stalled", soak.stalled_window),
            ("stalled", soak.stalled_window),
            ("garbage", soak.garbage),
            ("stranger", soak.stranger),
            ("vanishing", soak.vanishing),
            ("acks every block", soak.acks_every_block),
            ("racing uploads", soak.racing_uploads),
        ]
        workers += [soak.run(name, body, 100 + i) for i, (name, body) in enumerate(hostile)]
        peak = 0
        end = time.monotonic() + SECONDS
        while time.monotonic() < end:
            peak = max(peak, rss_bytes(served.pid))
            time.sleep(0.2)
        soak.stop.set()
        for worker in workers:
            worker.join(15)
        # Every transfer left behind ends within the stall limit (3 s) and gives back its
        # descriptors.
        deadline = time.monotonic() + 10
        while open_fds(served.pid) > idle_fds and time.monotonic() < deadline:
            time.sleep(0.2)
        settled_fds = open_fds(served.pid)
        took = served.terminate(timeout=10)
        log = served.log_text()
    assert not soak.failures, soak.failures[:10]
    assert len(soak.phone_times) >= 20, soak.counts
    assert max(soak.phone_times) < 5.0
    for kind in ("flood", "stalled", "garbage", "stranger", "vanished", "acks every block",
                 "races"):  # fmt: skip
        assert soak.counts.get(kind, 0) > 0, (kind, soak.counts)
    print(f"peak resident: {peak / 2**20:.0f} MiB")
    assert peak < 150 * 1024 * 1024
    assert settled_fds <= idle_fds
    assert took < 2.0 + 2.0
    assert served.process.returncode == 0
    assert "Traceback" not in log
    assert not [p for p in root.iterdir() if p.name.endswith(".part")]

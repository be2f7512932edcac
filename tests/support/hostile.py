"""Raw-socket clients for the server's defence tests: a phone that fetches a file in lock-step,
and the hostile kinds (silent requesters, stalled windows, ACK-every-block readers), plus
``ciscocfg serve`` in a process of its own whose memory and descriptors can be read in /proc.

Loopback only. Each "address" of a flood is one of 127.0.0.0/8, which all lead to lo on Linux.
"""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ciscocfg.tftp import Ack, Data, Error, ReadRequest, WriteRequest, decode, encode
from support.tftp_peers import free_udp_port, wait_for_tftp

__all__ = [
    "ServeProcess",
    "flood_address",
    "lockstep_get",
    "open_fds",
    "rss_bytes",
    "serve_process",
    "silent_requests",
]

LOOPBACK = "127.0.0.1"


def flood_address(index: int) -> str:
    """The ``index``-th loopback address of a flood (127.0.1.1, 127.0.1.2, ...)."""
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def _udp(bind: str = LOOPBACK) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((bind, 0))
    return sock


def lockstep_get(
    port: int,
    name: str,
    *,
    bind: str = LOOPBACK,
    timeout: float = 5.0,
    host: str = LOOPBACK,
    retry: float = 1.0,
) -> bytes:
    """Fetch ``name`` as a phone does: an RRQ without options, one ACK per block, the last
    packet sent again after ``retry`` seconds of silence. Raises ``RuntimeError`` with the
    server's ERROR, or ``TimeoutError`` after ``timeout`` seconds in all."""
    end = time.monotonic() + timeout
    with _udp(bind) as sock:
        last: tuple[bytes, tuple[str, int]] = (
            encode(ReadRequest(name, "octet", {})),
            (host, port),
        )
        sock.sendto(*last)
        data = bytearray()
        expected = 1
        tid = None
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{name}: no answer in {timeout} s")
            sock.settimeout(min(left, retry))
            try:
                packet, source = sock.recvfrom(65536)
            except TimeoutError:
                sock.sendto(*last)
                continue
            if tid is None:
                tid = source
            elif source != tid:
                continue
            answer = decode(packet)
            if isinstance(answer, Error):
                raise RuntimeError(f"ERROR {answer.code}: {answer.message}")
            if not isinstance(answer, Data):
                continue
            last = (encode(Ack(answer.block)), tid)
            sock.sendto(*last)
            if answer.block != expected & 0xFFFF:
                continue
            expected += 1
            data += answer.payload
            if len(answer.payload) < 512:
                return bytes(data)


def silent_requests(
    port: int, addresses: list[str], name: str, options: dict[str, str]
) -> list[socket.socket]:
    """One RRQ from each address (a socket of its own each), never answered; the sockets are
    returned open so that no two requests share a port."""
    sockets = []
    request = encode(ReadRequest(name, "octet", options))
    for address in addresses:
        sock = _udp(address)
        sock.setblocking(False)
        sock.sendto(request, (LOOPBACK, port))
        sockets.append(sock)
    return sockets


def write_request(sock: socket.socket, port: int, name: str) -> tuple[object, tuple[str, int]]:
    """Send a WRQ and return the first answer and where it came from."""
    sock.sendto(encode(WriteRequest(name, "octet", {})), (LOOPBACK, port))
    packet, source = sock.recvfrom(65536)
    return decode(packet), source


def rss_bytes(pid: int) -> int:
    """Resident memory of process ``pid``."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def open_fds(pid: int) -> int:
    """Descriptors process ``pid`` holds."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def raise_nofile(minimum: int) -> None:
    """Let this process hold ``minimum`` descriptors, if the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < minimum:
        want = minimum if hard == resource.RLIM_INFINITY else min(minimum, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


@dataclass
class ServeProcess:
    """``ciscocfg serve`` running on ``port``; ``log`` collects its standard error."""

    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def terminate(self, timeout: float) -> float:
        """SIGTERM, and the seconds it took the process to exit (raises if it did not)."""
        start = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout)
        return time.monotonic() - start


@contextlib.contextmanager
def serve_process(
    root: Path, *args: str, nofile: int | None = None, quiet: bool = True
) -> Iterator[ServeProcess]:
    """``python -m ciscocfg serve ROOT`` on a free loopback port (``nofile``: its descriptor
    limit)."""
    port = free_udp_port()
    argv = [sys.executable, "-m", "ciscocfg", "serve", str(root), "--port", str(port), *args]
    if quiet:
        argv.append("-q")

    def limit() -> None:
        if nofile is not None:
            hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))

    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
            preexec_fn=limit,
        )  # fmt: skip
        try:
            wait_for_tftp(LOOPBACK, port)
            yield ServeProcess(process, port, log)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(10)

"""Races on the served tree: while a client asks for a name again and again, another process
swaps the file, or a folder on its path, for a symbolic link that leads out of the root. Not
one byte from outside the root may be sent, and every refusal must be a clean ERROR 1 or 2
(never ERROR 0 "Internal error", never a traceback in the log).

Each race runs for a bounded time on loopback. The swapping runs in a process of its own, on a
CPU the server is kept off, so that it really runs beside the server rather than taking turns
with it; so placed, the server as it was before these tests leaked the outside file in every
race, a hundred times and more in each.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.aio_server import background_server

#: How long each race runs (seconds): long enough for thousands of requests.
RACE_SECONDS = 3.0

INSIDE = b"served from inside the root\n"
OUTSIDE = b"SECRET: this file lies outside the served root\n"

# The swapper, run with ``python -c SWAPPER PLACE LINK_TARGET SECONDS [CPU]``: it makes a link to
# LINK_TARGET beside PLACE (a file or a folder) and exchanges the two names over and over. On
# Linux the exchange is one atomic ``renameat2(RENAME_EXCHANGE)``, so PLACE is never missing and
# flips between the real thing and the link as fast as the kernel allows; elsewhere it is a
# sequence of renames.
SWAPPER = r"""
import ctypes, os, sys, time
place, target, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
if len(sys.argv) > 4:
    os.sched_setaffinity(0, {int(sys.argv[4])})
other = place + ".swap"
os.symlink(target, other)
libc = ctypes.CDLL(None, use_errno=True)
exchange = getattr(libc, "renameat2", None)
AT_FDCWD, RENAME_EXCHANGE = -100, 2
a, b = os.fsencode(place), os.fsencode(other)
if exchange is not None and exchange(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) != 0:
    exchange = None
parked = place + ".parked"
print("ready", flush=True)
deadline = time.monotonic() + seconds
swaps = 0
while time.monotonic() < deadline:
    for _ in range(100):
        if exchange is not None:
            exchange(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
        else:
            os.rename(place, parked)
            os.rename(other, place)
            os.rename(place, other)
            os.rename(parked, place)
    swaps += 100
print(swaps, flush=True)
"""


@dataclass
class Outcomes:
    """What the client got: payloads of DATA, and the codes of ERRORs."""

    payloads: Counter[bytes] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    silent: int = 0

    @property
    def requests(self) -> int:
        return sum(self.payloads.values()) + sum(self.errors.values()) + self.silent


def _ask_repeatedly(port: int, name: str, until: float) -> Outcomes:
    """Request ``name`` (one block or an ERROR) from fresh ports until ``until``."""
    outcomes = Outcomes()
    request = b"\x00\x01" + name.encode() + b"\x00octet\x00"
    while time.monotonic() < until:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(2.0)
            sock.sendto(request, ("127.0.0.1", port))
            try:
                packet, peer = sock.recvfrom(65536)
            except TimeoutError:
                outcomes.silent += 1
                continue
            opcode = int.from_bytes(packet[:2], "big")
            if opcode == 3:
                outcomes.payloads[packet[4:]] += 1
                sock.sendto(b"\x00\x04" + packet[2:4], peer)  # the only block: the end
            elif opcode == 5:
                outcomes.errors[int.from_bytes(packet[2:4], "big")] += 1
    return outcomes


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """``base/root`` is served; ``base/secret.txt`` and ``base/outdir/`` lie outside it."""
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.txt").write_bytes(OUTSIDE)
    (tmp_path / "outdir").mkdir()
    (tmp_path / "outdir" / "inner.txt").write_bytes(OUTSIDE)
    return tmp_path


@contextlib.contextmanager
def _cpus_apart() -> Iterator[list[str]]:
    """Keep this process (the server) off one CPU and give that CPU to the swapper, so that the
    two really run at once even on a busy machine; the extra swapper argument names it."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        yield []
        return
    os.sched_setaffinity(0, cpus[:-1])
    try:
        yield [str(cpus[-1])]
    finally:
        os.sched_setaffinity(0, cpus)


def _race(base: Path, name: str, swapper_args: list[str], caplog: pytest.LogCaptureFixture) -> None:
    root = base / "root"
    with (
        _cpus_apart() as swapper_cpu,
        caplog.at_level(logging.INFO),
        # One client asks as fast as it can, from fresh ports; the per-client limit is not
        # what is under test, so it is lifted.
        background_server(root, max_per_client=100_000) as served,
    ):
        argv = [sys.executable, "-c", SWAPPER, *swapper_args, str(RACE_SECONDS), *swapper_cpu]
        with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) as swapper:
            assert swapper.stdout is not None
            assert swapper.stdout.readline().strip() == "ready"
            outcomes = _ask_repeatedly(served.port, name, time.monotonic() + RACE_SECONDS)
            swaps = int(swapper.stdout.read().split()[-1])
        assert swapper.returncode == 0
    leaked = {payload: n for payload, n in outcomes.payloads.items() if payload != INSIDE}
    assert not leaked, f"served from outside the root: {leaked} ({outcomes})"
    assert set(outcomes.errors) <= {1, 2}, outcomes
    problems = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not problems, [r.getMessage() for r in problems]
    assert "Internal error" not in caplog.text
    # The race really ran: the file was both served and refused while it was being swapped.
    assert swaps > 100
    assert outcomes.payloads[INSIDE] > 0, outcomes
    assert sum(outcomes.errors.values()) > 0, outcomes


def test_file_swapped_for_a_link_out(base: Path, caplog: pytest.LogCaptureFixture) -> None:
    (base / "root" / "sub").mkdir()
    place = base / "root" / "sub" / "f.txt"
    place.write_bytes(INSIDE)
    _race(base, "sub/f.txt", [str(place), "../../secret.txt"], caplog)


def test_top_level_file_swapped_for_a_link_out(
    base: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A name straight inside the root: the most common request, once served by a shortcut.
    place = base / "root" / "f.txt"
    place.write_bytes(INSIDE)
    _race(base, "f.txt", [str(place), str(base / "secret.txt")], caplog)


def test_folder_on_the_path_swapped_for_a_link_out(
    base: Path, caplog: pytest.LogCaptureFixture
) -> None:
    place = base / "root" / "d"
    place.mkdir()
    (place / "inner.txt").write_bytes(INSIDE)
    _race(base, "d/inner.txt", [str(place), str(base / "outdir")], caplog)


# --- uploads --------------------------------------------------------------------------------

UPLOAD = b"uploaded into the root\n"


@dataclass
class UploadOutcomes:
    """What the uploading client heard: the final ACKs (stored) and the codes of ERRORs."""

    stored: list[str] = field(default_factory=list)
    errors: Counter[int] = field(default_factory=Counter)
    silent: int = 0


def _upload_repeatedly(port: int, folder: str, until: float) -> UploadOutcomes:
    """Upload one-block files ``folder/u0``, ``folder/u1`` ... from fresh ports until ``until``."""
    outcomes = UploadOutcomes()
    count = 0
    while time.monotonic() < until:
        name = f"{folder}/u{count}"
        count += 1
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(2.0)
            sock.sendto(b"\x00\x02" + name.encode() + b"\x00octet\x00", ("127.0.0.1", port))
            try:
                packet, peer = sock.recvfrom(65536)
                if packet[:4] == b"\x00\x04\x00\x00":
                    sock.sendto(b"\x00\x03\x00\x01" + UPLOAD, peer)
                    packet, peer = sock.recvfrom(65536)
            except TimeoutError:
                outcomes.silent += 1
                continue
            if packet[:4] == b"\x00\x04\x00\x01":
                outcomes.stored.append(name)
            elif packet[:2] == b"\x00\x05":
                outcomes.errors[int.from_bytes(packet[2:4], "big")] += 1
    return outcomes


def test_upload_folder_swapped_for_a_link_out(base: Path, caplog: pytest.LogCaptureFixture) -> None:
    # The folder an upload goes into flips between itself and a link out of the root while
    # uploads run: the walk may find the real folder, and the file is then created and named
    # in it, never in whatever the path names a moment later.
    root = base / "root"
    place = root / "up"
    place.mkdir()
    outside = base / "outdir"
    before = sorted(p.name for p in outside.iterdir())
    with (
        _cpus_apart() as swapper_cpu,
        caplog.at_level(logging.INFO),
        background_server(root, max_per_client=100_000, allow_write=True) as served,
    ):
        argv = [
            sys.executable, "-c", SWAPPER, str(place), str(outside), str(RACE_SECONDS),
            *swapper_cpu,
        ]  # fmt: skip
        with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True) as swapper:
            assert swapper.stdout is not None
            assert swapper.stdout.readline().strip() == "ready"
            outcomes = _upload_repeatedly(served.port, "up", time.monotonic() + RACE_SECONDS)
            swaps = int(swapper.stdout.read().split()[-1])
        assert swapper.returncode == 0
    assert sorted(p.name for p in outside.iterdir()) == before, "written outside the root"
    # Every acknowledged upload is inside the root (in the folder, under either of its names),
    # whole; nothing else was left behind (no temporary file).
    # The swapper stops with the folder under either name, and the link under the other.
    (real,) = [p for p in (place, root / "up.swap") if not p.is_symlink()]
    inside = {p.name: p.read_bytes() for p in real.iterdir()}
    assert {Path(n).name for n in outcomes.stored} == set(inside)
    assert set(inside.values()) <= {UPLOAD}
    assert set(outcomes.errors) <= {1, 2}, outcomes
    problems = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not problems, [r.getMessage() for r in problems]
    assert swaps > 100
    assert outcomes.stored, outcomes
    assert outcomes.errors[2] > 0, outcomes

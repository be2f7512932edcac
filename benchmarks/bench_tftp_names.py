"""Requests per second for names that are not there, before and after the folder index.

A phone hunts through names (``CTLSEP<MAC>.tlv``, ``SEP<MAC>.cnf.xml``, ``XMLDefault.cnf.xml``,
spelled in the case it likes) and most of them are not there, or not as spelled. Before the
index, every such request listed and sorted the whole folder; with 50,000 files that is a few
requests a second, and a stream of them starves every other request. Now each folder is listed
once and again only when it changes.

Both servers run as ``ciscocfg serve`` in a process of their own on one CPU, the load on the
other: "before" is the code of a git revision (by default the last one before the index; it
is exported from the repository into a temporary folder), "after" is this checkout. Each serves
the same root of N files (``SEP<MAC>.cnf.xml``, 200 bytes each), dated an hour back like a
tree nobody is changing, and is asked, by 16 clients at once, for:

* ``exact``: existing names as spelled (the plain case, for comparison);
* ``other case``: existing names in lower case (found by the case-insensitive look-up);
* ``missing``: names that are not there (answered ERROR 1).

    python benchmarks/bench_tftp_names.py [--files 50 50000] [--seconds 3] [--repeats 3]
        [--baseline REV]

Prints a Markdown table of answers per second (median of the repeats), before and after, with
the ratio. The figures in ``docs/benchmarks-tftp-servers.md`` come from this script.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import select
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT / "tests"))

from support.tftp_peers import free_udp_port, wait_for_tftp  # noqa: E402

HOST = "127.0.0.1"
CLIENTS = 16
TIMEOUT = 5.0  # seconds a client waits for an answer before it counts a failure
KINDS = ("exact", "other case", "missing")


def default_baseline() -> str:
    """The revision before the folder index: the parent of the commit that removed the old
    opener (``open_in``)."""
    found = subprocess.run(
        ["git", "log", "--format=%H", "-1", "-S", "def open_in(", "--", "ciscocfg/aio/_paths.py"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not found:
        raise SystemExit("cannot find the revision before the index; give --baseline")
    return f"{found}^"


def export(revision: str, into: Path) -> Path:
    """The package and grammars of ``revision``, written under ``into``."""
    archive = into / "source.tar"
    with archive.open("wb") as out:
        subprocess.run(
            ["git", "archive", revision, "ciscocfg", "grammars"],
            cwd=PROJECT,
            stdout=out,
            check=True,
        )
    source = into / "source"
    with tarfile.open(archive) as tar:
        tar.extractall(source, filter="data")
    return source


def make_root(path: Path, files: int) -> list[str]:
    """A root of ``files`` configuration files, dated an hour back; their names."""
    path.mkdir()
    body = b"<device><deviceProtocol>SIP</deviceProtocol></device>\n".ljust(200, b" ")
    names = [f"SEP{index:012X}.cnf.xml" for index in range(files)]
    for name in names:
        (path / name).write_bytes(body)
    past = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(past, past))
    return names


@contextlib.contextmanager
def serving(source: Path, root: Path, cpus: set[int] | None) -> Iterator[int]:
    """``ciscocfg serve`` from the package in ``source`` (run from there, so that it is the
    package imported), on ``cpus``."""
    port = free_udp_port()
    argv = [sys.executable, "-m", "ciscocfg", "serve", str(root), "--port", str(port), "-q"]
    argv += ["--max-transfers", "2048", "--busy-poll", "0"]
    env = dict(os.environ, PYTHONPATH=str(source))
    process = subprocess.Popen(
        argv, cwd=source, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
    )
    try:
        if cpus is not None:
            os.sched_setaffinity(process.pid, cpus)
        wait_for_tftp(HOST, port)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Client:
    __slots__ = ("expect", "sent_at", "sock")

    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.expect: bytes | None = None  # the file's bytes, or None for ERROR 1
        self.sent_at = 0.0


def load(port: int, requests: list[tuple[str, bytes | None]], seconds: float) -> tuple[float, int]:
    """Ask for ``requests`` (name, expected bytes or None for "not found") round and round,
    from ``CLIENTS`` fresh sockets at a time, for ``seconds``: right answers per second, and the
    number of wrong answers and timeouts."""
    poller = select.epoll()
    clients: dict[int, _Client] = {}
    right = wrong = 0
    turn = 0

    def ask(client: _Client, now: float) -> None:
        nonlocal turn
        name, expect = requests[turn % len(requests)]
        turn += 1
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK)
        client.sock, client.expect, client.sent_at = sock, expect, now
        clients[sock.fileno()] = client
        poller.register(sock.fileno(), select.EPOLLIN)
        sock.sendto(b"\x00\x01" + name.encode() + b"\x00octet\x00", (HOST, port))

    def end(client: _Client) -> None:
        assert client.sock is not None
        del clients[client.sock.fileno()]
        poller.unregister(client.sock.fileno())
        client.sock.close()

    begin = time.monotonic()
    deadline = begin + seconds
    for _ in range(CLIENTS):
        ask(_Client(), begin)
    last = begin
    while clients:
        for fd, _mask in poller.poll(0.05):
            client = clients[fd]
            assert client.sock is not None
            try:
                packet, peer = client.sock.recvfrom(65536)
            except BlockingIOError:
                continue
            if packet[:2] == b"\x00\x03":
                client.sock.sendto(b"\x00\x04" + packet[2:4], peer)
                ok = packet[4:] == client.expect
            else:
                ok = client.expect is None and packet[:4] == b"\x00\x05\x00\x01"
            right += ok
            wrong += not ok
            end(client)
            last = time.monotonic()
            if last < deadline:
                ask(client, last)
        now = time.monotonic()
        for client in [c for c in clients.values() if now - c.sent_at > TIMEOUT]:
            wrong += 1
            end(client)
            if now < deadline:
                ask(client, now)
    poller.close()
    return right / (last - begin), wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, nargs="+", default=[50, 50_000])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", help="git revision of the 'before' server")
    args = parser.parse_args()
    baseline = subprocess.run(
        ["git", "rev-parse", "--short", args.baseline or default_baseline()],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    server_cpus = set(cpus[1:]) if len(cpus) > 1 else None
    if server_cpus is not None:
        os.sched_setaffinity(0, {cpus[0]})  # the load on a CPU of its own
    rates: dict[tuple[int, str, str], list[float]] = {}
    failures = {"before": 0, "after": 0}
    with tempfile.TemporaryDirectory(prefix="bench-names-") as tmp:
        base = Path(tmp)
        sources = {"before": export(baseline, base), "after": PROJECT}
        for files in args.files:
            root = base / f"root-{files}"
            names = make_root(root, files)
            body = (root / names[0]).read_bytes()
            picks = names[:: max(1, len(names) // 500)]
            asks: dict[str, list[tuple[str, bytes | None]]] = {
                "exact": [(name, body) for name in picks],
                "other case": [(name.lower(), body) for name in picks],
                "missing": [(f"CTLSEP{index:012X}.tlv", None) for index in range(1000)],
            }
            for _ in range(args.repeats):
                for contender, source in sources.items():  # interleaved: drift hits both alike
                    with serving(source, root, server_cpus) as port:
                        for kind in KINDS:
                            load(port, asks[kind][:CLIENTS], 0.2)  # warm up (and list once)
                            rate, wrong = load(port, asks[kind], args.seconds)
                            rates.setdefault((files, kind, contender), []).append(rate)
                            failures[contender] += wrong
    print(f"Answers per second, {CLIENTS} clients at once, median of {args.repeats} runs of "
          f"{args.seconds:g} s; before = {baseline}")  # fmt: skip
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print()
    print("| files in the folder | names asked | before | after | after / before |")
    print("|---:|---|---:|---:|---:|")
    for files in args.files:
        for kind in KINDS:
            before = statistics.median(rates[(files, kind, "before")])
            after = statistics.median(rates[(files, kind, "after")])
            print(f"| {files:,} | {kind} | {before:,.0f} | {after:,.0f} | {after / before:.2f}× |")
    print()
    print(
        f"wrong answers and timeouts ({TIMEOUT:g} s without an answer): before "
        f"{failures['before']}, after {failures['after']}"
    )


if __name__ == "__main__":
    main()

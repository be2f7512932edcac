"""Requests per second of ``ciscocfg serve --inventory`` against the same files on disk.

An inventory of phones (half 7940s, half 7961s) is written as a CSV file, an SQLite database
and a PostgreSQL database (a throwaway cluster on loopback), and its files as a TFTP root.
Four servers, each ``ciscocfg serve`` in a process of its own: the root (files on disk, the
baseline), and ``--inventory`` on each backend, which makes every file on request. The load
is ``tftp_fleet_load.py``: 64 concurrent clients asking for the phones' own files in turn
(``SIP<MAC>.cnf``, ``SEP<MAC>.cnf.xml``), each checked byte for byte, for 4 s. Every server
is started afresh for each repeat, so nearly every request is the first for its phone (more
phones than one run asks for): the generator's work is measured, not a cache. The load
generator runs on one CPU, the servers (and PostgreSQL) on the other.

    python benchmarks/bench_inventory.py [--phones 10000] [--repeats 3] [--seconds 4]

The figures in ``docs/benchmarks-inventory.md`` come from this script.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from support.inventories import CsvFile, PostgresDatabase, SqliteFile  # noqa: E402
from support.postgres import postgres_cluster  # noqa: E402
from support.tftp_peers import RunningServer, _running, free_udp_port  # noqa: E402

from benchmarks.bench_tftp_servers import (  # noqa: E402
    LOAD_GENERATOR,
    _exit_on_sigterm,
    _processes,
    pin_tree,
    process_tree_cpu_seconds,
)
from ciscocfg.generate import file_names, read_inventory, render_file  # noqa: E402

BASELINE = "files on disk"
CLIENTS = 64


def rows(count: int) -> list[dict[str, str]]:
    """``count`` phones, half 7940s and half 7961s, each with its own line."""
    return [
        {
            "mac": f"001BD4{n:06X}",
            "model": "7940" if n % 2 else "7961",
            "proxy": "pbx.example.net",
            "label": f"Desk {n}",
            "line1_user": str(10000 + n),
            "line1_password": f"pw-{n:06d}-x",
            "line1_display_name": f"Desk {n}",
        }
        for n in range(count)
    ]


@contextlib.contextmanager
def ours(port_label: str, *args: str) -> Iterator[RunningServer]:
    port = free_udp_port()
    argv = [sys.executable, "-m", "ciscocfg", "serve", *args, "--port", str(port), "-q"]
    # Without polling: a server that waits for its database would spin on the CPU it shares
    # with PostgreSQL; the same for all four.
    argv += ["--max-transfers", "2048", "--busy-poll", "0"]
    with _running(port_label, argv, "127.0.0.1", port, Path(".")) as server:
        yield server


def load(
    server: RunningServer, listing: Path, tree: Path, seconds: float, cpu: int
) -> tuple[float, int]:
    """Requests per second of the load generator against ``server``, and failed downloads
    (a second without an answer, or an ERROR)."""

    def on_its_cpu() -> None:
        os.sched_setaffinity(0, {cpu})

    argv = [sys.executable, str(LOAD_GENERATOR), server.host, str(server.port)]
    argv += [f"@{listing}", str(tree), str(CLIENTS), str(seconds)]
    done = subprocess.run(argv, capture_output=True, timeout=300, check=True,
                          preexec_fn=on_its_cpu)  # fmt: skip
    rate, failures = done.stdout.split()
    return float(rate), int(failures)


def main() -> None:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    load_cpu, server_cpus = cpus[0], set(cpus[1:]) or {cpus[0]}
    phones = rows(args.phones)
    with tempfile.TemporaryDirectory() as tmp, postgres_cluster() as postgres_url:
        folder = Path(tmp)
        tree = folder / "tftproot"
        tree.mkdir()
        names: list[str] = []
        for spec in read_inventory(_csv_text(phones)):
            for name in file_names(spec):
                data = render_file(spec, name)
                assert data is not None
                (tree / name).write_bytes(data)
            names.append(file_names(spec)[0])
        listing = folder / "names.txt"
        listing.write_text("\n".join(names) + "\n", encoding="ascii")
        csv_file = CsvFile(folder / "phones.csv")
        sqlite_file = SqliteFile(folder / "phones.db")
        database = PostgresDatabase(postgres_url)
        for inventory in (csv_file, sqlite_file, database):
            inventory.write(phones)
        contenders: dict[str, list[str]] = {
            BASELINE: [str(tree)],
            "inventory: CSV": ["--inventory", csv_file.url],
            "inventory: SQLite": ["--inventory", sqlite_file.url],
            "inventory: PostgreSQL": ["--inventory", postgres_url],
        }
        # PostgreSQL's processes work for the server: they share its CPU.
        for pid, (parent, _) in _processes().items():
            if parent == 1 and "postgres" in _command(pid):
                pin_tree(pid, server_cpus)
        rates: dict[str, list[float]] = {name: [] for name in contenders}
        costs: dict[str, list[float]] = {name: [] for name in contenders}
        failed: dict[str, int] = dict.fromkeys(contenders, 0)
        print(
            f"# Inventory-backed server against files on disk ({platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')})"
        )
        print()
        print(
            f"{args.phones:,} phones (half 7940, half 7961); {CLIENTS} clients asking for the "
            f"phones' own files in turn for {args.seconds:g} s, every server started afresh for "
            f"each of {args.repeats} repeats; the load on CPU {load_cpu}, the servers (and "
            "PostgreSQL) on the other; server CPU is the server process's own time per request."
        )
        print()
        for _ in range(args.repeats):
            for name, extra in contenders.items():
                with ours(name, *extra) as server:
                    assert server.process is not None
                    pin_tree(server.process.pid, server_cpus)
                    before = process_tree_cpu_seconds(server.process.pid)
                    rate, failures = load(server, listing, tree, args.seconds, load_cpu)
                    spent = process_tree_cpu_seconds(server.process.pid) - before
                rates[name].append(rate)
                failed[name] += failures
                costs[name].append(spent / max(1.0, rate * args.seconds) * 1e6)
        base = statistics.median(rates[BASELINE])
        print("| server | requests/s | server CPU per request (µs) | time ratio to disk | failed |")
        print("|---|---:|---:|---:|---:|")
        for name in contenders:
            rate = statistics.median(rates[name])
            cost = statistics.median(costs[name])
            print(
                f"| {name} | {rate:,.0f} | {cost:,.0f} | {base / rate:.2f}× | {failed[name]} |",
                flush=True,
            )


def _csv_text(phones: list[dict[str, str]]) -> str:
    columns = list(phones[0])
    return (
        ",".join(columns)
        + "\n"
        + "".join(",".join(phone[c] for c in columns) + "\n" for phone in phones)
    )


def _command(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as file:
            return file.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


if __name__ == "__main__":
    main()

"""Loopback throughput of TFTP servers with the same real clients, side by side in one run.

Every server serves the same 64 MiB file; curl and atftp download it at block sizes 512, 1428
and 8192 and, where the client can ask (atftp), with windows of 8 and 16 blocks. The table gives
median MB/s (10^6 bytes) and the time ratio to tftpd-hpa. A second part counts requests per
second for a 4 KiB file fetched by many concurrent clients (a fleet of phones booting at once),
from ``tftp_fleet_load.py``: a load generator that costs less per request than the servers it
measures, on a CPU of its own.

Servers: ours (``ciscocfg serve``, its own process, as it starts by default and with
``--busy-poll 0``), tftpd-hpa, dnsmasq (in a private network namespace, as its TFTP port is
fixed), atftpd, and the servers of the ``tftp`` and ``tftpy`` packages. Everything runs on
127.0.0.1. Beside the speed, the CPU time the whole machine spent on each download (client,
server and kernel, from ``/proc/stat``) shows what busy polling costs.

    python benchmarks/bench_tftp_servers.py [--repeats 3] [--quick] [--fleet-only]
        [--setting CLIENT,BLKSIZE,WINDOW ...] [--baseline REV] [--only NAME ...]

``--baseline REV`` adds ``ciscocfg serve`` as it was at git revision REV (exported from the
repository into a temporary folder) beside the current one, so that a change is measured
against its parent in the same run; ``--only`` keeps the named servers (``ciscocfg``,
``ciscocfg@REV``, ``dnsmasq`` ...).

The figures in ``docs/benchmarks-tftp-servers.md`` come from this script.
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
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script: make the project (``benchmarks._harness``) and the peer harness importable.
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

from support.tftp_peers import (  # noqa: E402
    RunningServer,
    _running,
    atftpd_server,
    dnsmasq_server,
    free_udp_port,
    python_server,
    tftpd_hpa_server,
)

from benchmarks._harness import Case, compare  # noqa: E402

BIG = 64 * 1024 * 1024
SMALL = 4096
BASELINE = "tftpd-hpa"


@contextlib.contextmanager
def ours(root: Path, *extra: str, source: Path | None = None) -> Iterator[RunningServer]:
    """``ciscocfg serve`` in a process of its own, like the other servers (from the package
    in ``source`` when given: an older revision's tree)."""
    port = free_udp_port()
    argv = [sys.executable, "-m", "ciscocfg", "serve", str(root), "--port", str(port), "-q"]
    argv += ["--max-transfers", "2048", *extra]
    if source is not None:
        # Run from that tree: ``-m`` puts the working directory first on the path.
        argv = ["env", "-C", str(source), f"PYTHONPATH={source}", *argv]
    with _running("ciscocfg", argv, "127.0.0.1", port, root) as server:
        yield server


def export_revision(revision: str, into: Path) -> Path:
    """The package as it was at ``revision``, exported from this repository into ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", revision, "ciscocfg"],
        capture_output=True, check=True,
    )  # fmt: skip
    into.mkdir()
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


def client_argv(
    client: str, server: RunningServer, name: str, blksize: int, windowsize: int | None
) -> list[str]:
    """A download of ``name`` to /dev/null."""
    host, port = server.host, str(server.port)
    if client == "curl":
        argv = ["curl", "-s", "-S", "-o", "/dev/null", "--tftp-blksize", str(blksize)]
        argv.append(f"tftp://{host}:{port}/{name}")
    else:
        argv = ["atftp", "-g", "-r", name, "-l", "/dev/null", "--option", f"blksize {blksize}"]
        if windowsize:
            argv += ["--option", f"windowsize {windowsize}"]
        argv += [host, port]
    return [*server.prefix, *argv]


def busy_cpu_seconds() -> float:
    """CPU time the machine has spent working, all CPUs together (not idle, not stolen by the
    hypervisor for other guests)."""
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def runner(argv: list[str], cpu: list[float]) -> Callable[[], None]:
    """Runs ``argv`` once per call, and appends the machine's CPU time for it to ``cpu``."""

    def run() -> None:
        before = busy_cpu_seconds()
        done = subprocess.run(argv, capture_output=True, timeout=600, check=False)
        cpu.append(busy_cpu_seconds() - before)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)}: {done.stderr.decode(errors='replace')}")

    return run


LOAD_GENERATOR = HERE / "tftp_fleet_load.py"


def _processes() -> dict[int, tuple[int, int]]:
    """Every process: its parent and its CPU ticks, with those of the children it reaped."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        table[int(entry)] = (int(fields[1]), sum(int(value) for value in fields[11:15]))
    return table


def _tree(pid: int, table: dict[int, tuple[int, int]]) -> list[int]:
    """``pid`` and every process below it."""
    tree = []
    for process in table:
        ancestor = process
        while ancestor not in (pid, 0, 1) and ancestor in table:
            ancestor = table[ancestor][0]
        if ancestor == pid:
            tree.append(process)
    return tree


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and every process below it, with the children they have reaped
    (tftpd-hpa forks a process per request; dnsmasq runs under a shell in its namespace)."""
    table = _processes()
    ticks = sum(table[process][1] for process in _tree(pid, table))
    return ticks / os.sysconf("SC_CLK_TCK")


def pin_tree(pid: int, cpus: set[int]) -> None:
    """Keep ``pid`` and every process below it (and what they fork later) on ``cpus``."""
    for process in _tree(pid, _processes()):
        with contextlib.suppress(OSError):
            os.sched_setaffinity(process, cpus)


def requests_per_second(
    server: RunningServer, clients: int, seconds: float, load_cpus: set[int] | None
) -> tuple[float, int]:
    """Many phones fetching ``small.bin`` at once, from the lean load generator."""
    argv = [*server.prefix, sys.executable, str(LOAD_GENERATOR), server.host, str(server.port)]
    argv += ["small.bin", str(server.root / "small.bin"), str(clients), str(seconds)]

    def on_its_cpu() -> None:
        if load_cpus:
            os.sched_setaffinity(0, load_cpus)

    done = subprocess.run(argv, capture_output=True, timeout=120, check=True, preexec_fn=on_its_cpu)
    rate, failures = done.stdout.split()
    return float(rate), int(failures)


def download_tables(
    servers: dict[str, RunningServer], settings: list[tuple[str, int, int | None]], repeats: int
) -> None:
    """The 64 MiB downloads: MB/s with ratios, then the machine's CPU time per download."""
    print(
        f"64 MiB download, median of {repeats}; MB/s = 10^6 bytes per second; "
        f"ratio = time / {BASELINE}'s time (below 1 is faster)."
    )
    print()
    header = "| client | blksize | window | " + " | ".join(servers) + " |"
    rule = "|---|---:|---:|" + "---:|" * len(servers)
    print(header)
    print(rule)
    cpu_rows: list[str] = []
    for client, blksize, windowsize in settings:
        cpu: dict[str, list[float]] = {name: [] for name in servers}
        cases = [
            Case(
                name,
                runner(client_argv(client, server, "big.bin", blksize, windowsize), cpu[name]),
                units=BIG,
            )
            for name, server in servers.items()
        ]
        results = compare(cases, baseline=BASELINE, repeats=repeats, min_time=0.0)
        cells = [f"{r.units_per_second / 1e6:,.1f} ({r.ratio_to_baseline:.2f}×)" for r in results]
        setting = f"| {client} | {blksize} | {windowsize or 1} | "
        print(setting + " | ".join(cells) + " |", flush=True)
        cpu_cells = [f"{statistics.median(cpu[name]):.2f}" for name in servers]
        cpu_rows.append(setting + " | ".join(cpu_cells) + " |")
    print()
    print(
        "CPU seconds the machine spent per download (client, server and kernel, all CPUs; median):"
    )
    print()
    print(header)
    print(rule)
    for row in cpu_rows:
        print(row)
    print()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds the ExitStack: every server is stopped


def _setting(text: str) -> tuple[str, int, int | None]:
    client, blksize, window = text.split(",")
    return client, int(blksize), int(window) if int(window) > 1 else None


def main() -> None:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="fewer settings, for a smoke run")
    parser.add_argument(
        "--fleet-only", action="store_true", help="only the requests-per-second part"
    )
    parser.add_argument(
        "--setting",
        action="append",
        metavar="CLIENT,BLKSIZE,WINDOW",
        help="only these downloads (repeatable), e.g. atftp,8192,8; no requests-per-second part",
    )
    parser.add_argument(
        "--baseline", metavar="REV", help="also run ciscocfg serve as it was at git revision REV"
    )
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="only these servers (repeatable)"
    )
    args = parser.parse_args()

    settings: list[tuple[str, int, int | None]] = [
        ("curl", 512, None),
        ("curl", 1428, None),
        ("curl", 8192, None),
        ("atftp", 512, None),
        ("atftp", 1428, None),
        ("atftp", 8192, None),
        ("atftp", 1428, 8),
        ("atftp", 1428, 16),
        ("atftp", 8192, 8),
    ]
    if args.quick:
        settings = [("curl", 1428, None), ("atftp", 1428, 16)]
    if args.fleet_only:
        settings = []
    if args.setting:
        settings = [_setting(text) for text in args.setting]

    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        root = Path(tmp) / "root"
        root.mkdir()
        root.chmod(0o755)
        (root / "big.bin").write_bytes(os.urandom(BIG))
        (root / "small.bin").write_bytes(os.urandom(SMALL))
        for path in root.iterdir():
            path.chmod(0o644)
        starters: dict[str, Callable[[], contextlib.AbstractContextManager[RunningServer]]] = {
            "ciscocfg": lambda: ours(root),
        }
        if args.baseline:
            old = export_revision(args.baseline, Path(tmp) / "baseline")
            starters[f"ciscocfg@{args.baseline}"] = lambda: ours(root, source=old)
        starters.update({
            "ciscocfg, no poll": lambda: ours(root, "--busy-poll", "0"),
            "tftpd-hpa": lambda: tftpd_hpa_server(root),
            "dnsmasq": lambda: dnsmasq_server(root),
            "atftpd": lambda: atftpd_server(root),
            "tftp (py)": lambda: python_server("tftp", root),
            "tftpy": lambda: python_server("tftpy", root),
        })  # fmt: skip
        if args.only:
            starters = {name: start for name, start in starters.items() if name in args.only}
        servers = {name: stack.enter_context(start()) for name, start in starters.items()}
        if BASELINE not in servers and settings:
            parser.error(f"the download tables need {BASELINE} among the servers")
        print(
            f"# TFTP servers on loopback ({platform.python_implementation()} "
            f"{platform.python_version()}, {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d')})"
        )
        print()
        if settings:
            download_tables(servers, settings, args.repeats)
        if args.setting:
            return
        fleet_repeats = max(args.repeats, 5)
        # The load generator on one CPU, each server on the others: the figure is then what
        # the server does with its CPU, not how the scheduler shares two of them.
        cpus = sorted(os.sched_getaffinity(0))
        load_cpus = {cpus[0]} if len(cpus) > 1 else None
        for server in servers.values():
            if load_cpus is not None and server.process is not None:
                pin_tree(server.process.pid, set(cpus[1:]))
        placement = (
            f"the generator on CPU {cpus[0]}, each server on the other CPUs"
            if load_cpus is not None
            else "all on one CPU"
        )
        print(
            "4 KiB file, 64 concurrent clients (benchmarks/tftp_fleet_load.py: raw sockets, one "
            f"process, blksize 512, no options; {placement}), 5 s per server, median of "
            f"{fleet_repeats}; server CPU is the server's processes' own time per request:"
        )
        print()
        rates: dict[str, list[float]] = {name: [] for name in servers}
        costs: dict[str, list[float]] = {name: [] for name in servers}
        failed: dict[str, int] = dict.fromkeys(servers, 0)
        for _ in range(fleet_repeats):
            for name, server in servers.items():
                assert server.process is not None
                before = process_tree_cpu_seconds(server.process.pid)
                rate, failures = requests_per_second(server, 64, 5.0, load_cpus)
                spent = process_tree_cpu_seconds(server.process.pid) - before
                rates[name].append(rate)
                costs[name].append(spent / max(1.0, rate * 5.0) * 1e6)
                failed[name] += failures
        print("| server | requests/s | server CPU per request (µs) | failed |")
        print("|---|---:|---:|---:|")
        for name in servers:
            rate = statistics.median(rates[name])
            cost = statistics.median(costs[name])
            print(f"| {name} | {rate:,.0f} | {cost:,.0f} | {failed[name]} |", flush=True)


if __name__ == "__main__":
    main()

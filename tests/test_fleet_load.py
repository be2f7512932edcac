"""benchmarks/tftp_fleet_load.py: the fleet benchmark's load generator counts only downloads
that arrived whole and right, against our own server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.aio_server import background_server

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "tftp_fleet_load.py"


def _load(port: int, name: str, expected: Path, clients: int = 8) -> tuple[float, int]:
    argv = [sys.executable, str(GENERATOR), "127.0.0.1", str(port), name, str(expected)]
    done = subprocess.run([*argv, str(clients), "0.5"], capture_output=True, timeout=60, check=True)
    rate, failed = done.stdout.split()
    return float(rate), int(failed)


def test_counts_whole_downloads(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "small.bin").write_bytes(os.urandom(4096))
    with background_server(root) as served:
        rate, failed = _load(served.port, "small.bin", root / "small.bin")
        records = list(served.records)
    assert failed == 0
    assert rate > 0
    # Downloads under way at the end are finished, not abandoned.
    assert records
    assert all(record.ok for record in records)


def test_counts_wrong_content_and_errors_as_failures(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "small.bin").write_bytes(b"x" * 1000)
    other = tmp_path / "other.bin"
    other.write_bytes(b"y" * 1000)
    with background_server(root) as served:
        rate_wrong, failed_wrong = _load(served.port, "small.bin", other, clients=2)
        _rate_missing, failed_missing = _load(served.port, "missing.bin", other, clients=2)
    assert failed_wrong > 0
    assert rate_wrong == 0
    assert failed_missing > 0

"""The live check against real TFTP servers on loopback: dnsmasq and tftpd-hpa.

A missing server program skips these tests, or fails them under ``CISCOCFG_REQUIRE_PEERS=1``.
dnsmasq cannot leave port 69, so it runs in a network namespace of its own and the check runs
there too, as the command line a user would type.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.tftp_peers import dnsmasq_server, tftpd_hpa_server
from support.trees import BREAKERS, MAC, build_tree

import ciscocfg
from ciscocfg.provision import check, check_tftp_async

pytestmark = pytest.mark.peers


def _planted(root: Path) -> set[tuple[str, str | None]]:
    BREAKERS["no line 1"][0](root)
    BREAKERS["file of the load absent"][0](root)
    BREAKERS["ring file absent"][0](root)
    return {(d.code, d.source) for d in check(root)}


def test_tftpd_hpa(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    expected = _planted(root)
    with tftpd_hpa_server(root) as server:
        report = asyncio.run(check_tftp_async(server.host, server.port, mac=MAC))
    assert {(d.code, d.source) for d in report.diagnostics} == expected
    got = {r.name: r for r in report.phones[0].requests}
    assert got["SIPDefault.cnf"].size == (root / "SIPDefault.cnf").stat().st_size
    assert not got[f"SEP{MAC}.cnf.xml"].found
    assert got[f"SEP{MAC}.cnf.xml"].error is None  # "file not found", so the hunt goes on


def test_tftpd_hpa_correct_tree(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    with tftpd_hpa_server(root) as server:
        report = asyncio.run(check_tftp_async(server.host, server.port, mac=MAC))
    assert report.diagnostics == []


def test_dnsmasq_through_the_command_line(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    expected = _planted(root)
    # The package under test (the wheel in CI, the checkout otherwise), not whatever "-m" finds.
    env = dict(os.environ, PYTHONPATH=str(Path(ciscocfg.__file__).resolve().parent.parent))
    with dnsmasq_server(root) as server:
        command = [
            *server.prefix,
            sys.executable,
            "-m",
            "ciscocfg",
            "check",
            f"tftp://{server.host}:{server.port}",
            "--mac",
            MAC,
            "--format",
            "json",
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path
        )
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    found = {(d["code"], d["source"]) for d in data["shared"]} | {
        (d["code"], d["source"]) for p in data["phones"] for d in p["diagnostics"]
    }
    assert found == expected

"""The peer harness itself: each client program against tftpd-hpa, dnsmasq, atftpd, and the
lossy relay. If these fail, the interop tests of our own server and client prove nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from support.tftp_peers import (
    CLIENTS,
    atftpd_server,
    client_get,
    client_put,
    dnsmasq_server,
    python_server,
    tftpd_hpa_server,
)
from support.udp_relay import Faults, UdpRelay

pytestmark = pytest.mark.peers

PAYLOAD = os.urandom(5 * 1024 + 13)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    served = tmp_path / "root"
    served.mkdir()
    served.chmod(0o777)
    (served / "file.bin").write_bytes(PAYLOAD)
    (served / "file.bin").chmod(0o644)
    return served


@pytest.mark.parametrize("client", CLIENTS)
def test_client_downloads_from_tftpd_hpa(client: str, root: Path, tmp_path: Path) -> None:
    with tftpd_hpa_server(root) as server:
        got = client_get(client, server.host, server.port, "file.bin", tmp_path, blksize=1428)
    assert hashlib.sha256(got).digest() == hashlib.sha256(PAYLOAD).digest()


def test_uploads_reach_tftpd_hpa_and_atftpd(root: Path, tmp_path: Path) -> None:
    with tftpd_hpa_server(root, allow_create=True) as server:
        client_put("curl", server.host, server.port, "up-hpa.bin", PAYLOAD, tmp_path)
    with atftpd_server(root) as server:
        client_put("atftp", server.host, server.port, "up-atftpd.bin", PAYLOAD, tmp_path)
    assert (root / "up-hpa.bin").read_bytes() == PAYLOAD
    assert (root / "up-atftpd.bin").read_bytes() == PAYLOAD


def test_dnsmasq_serves_in_its_namespace(root: Path, tmp_path: Path) -> None:
    with dnsmasq_server(root) as server:
        got = client_get(
            "curl", server.host, server.port, "file.bin", tmp_path, prefix=server.prefix
        )
    assert got == PAYLOAD


def test_tftpy_server_serves(root: Path, tmp_path: Path) -> None:
    # (The ``tftp`` package's server is a benchmark peer only: it is in the bench extra.)
    with python_server("tftpy", root) as server:
        got = client_get("curl", server.host, server.port, "file.bin", tmp_path)
    assert got == PAYLOAD


def test_relay_damages_traffic_but_tftpd_hpa_recovers(root: Path, tmp_path: Path) -> None:
    faults = Faults(drop=0.05, duplicate=0.05, reorder=0.05, seed=7)
    with tftpd_hpa_server(root) as server, UdpRelay(server.port, faults) as relay:
        got = client_get("atftp", "127.0.0.1", relay.port, "file.bin", tmp_path)
    assert got == PAYLOAD
    assert relay.counters.forwarded > 0
    assert relay.counters.dropped + relay.counters.duplicated + relay.counters.reordered > 0

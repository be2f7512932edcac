"""Our TFTP client against real servers on loopback: tftpd-hpa, atftpd and dnsmasq."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.tftp_peers import (
    RunningServer,
    atftpd_server,
    dnsmasq_server,
    tftpd_hpa_server,
)

from ciscocfg.aio import TransferError, download, upload

pytestmark = pytest.mark.peers

SIZES = [0, 511, 512, 513, 1428, 3 * 1428, 2 * 1024 * 1024 + 5]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("peer-root")
    root.chmod(0o777)
    for size in SIZES:
        path = root / f"f{size}.bin"
        path.write_bytes(random.Random(size).randbytes(size))
        path.chmod(0o644)
    return root


@pytest.fixture(scope="module")
def hpa(tree: Path) -> Iterator[RunningServer]:
    with tftpd_hpa_server(tree, allow_create=True) as server:
        yield server


@pytest.fixture(scope="module")
def atftpd(tree: Path) -> Iterator[RunningServer]:
    with atftpd_server(tree) as server:
        yield server


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("blksize", "windowsize"), [(None, None), (1428, None), (8192, None)])
def test_download_from_tftpd_hpa(
    hpa: RunningServer, tree: Path, size: int, blksize: int | None, windowsize: int | None
) -> None:
    result = asyncio.run(
        download(hpa.host, f"f{size}.bin", port=hpa.port, blksize=blksize, windowsize=windowsize)
    )
    assert result.data is not None
    assert _digest(result.data) == _digest((tree / f"f{size}.bin").read_bytes())
    if blksize is not None:
        assert result.record.options["blksize"] == str(blksize)
        assert result.record.options["tsize"] == str(size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("blksize", "windowsize"), [(None, None), (1428, 8), (8192, 4)])
def test_download_from_atftpd(
    atftpd: RunningServer, tree: Path, size: int, blksize: int | None, windowsize: int | None
) -> None:
    result = asyncio.run(
        download(
            atftpd.host, f"f{size}.bin", port=atftpd.port, blksize=blksize, windowsize=windowsize
        )
    )
    assert result.data is not None
    assert _digest(result.data) == _digest((tree / f"f{size}.bin").read_bytes())
    if windowsize is not None:
        assert result.record.options["windowsize"] == str(windowsize)


@pytest.mark.parametrize("size", [0, 512, 513, 300_001])
@pytest.mark.parametrize("server_name", ["hpa", "atftpd"])
def test_upload(request: pytest.FixtureRequest, tree: Path, server_name: str, size: int) -> None:
    server: RunningServer = request.getfixturevalue(server_name)
    data = os.urandom(size)
    name = f"up-{server_name}-{size}.bin"
    if server_name == "hpa":
        # tftpd-hpa's -c creates files; it still wants the name to be new.
        (tree / name).unlink(missing_ok=True)
    record = asyncio.run(upload(server.host, name, data, port=server.port, blksize=1428))
    assert record.ok
    assert _digest((tree / name).read_bytes()) == _digest(data)


def test_missing_file_is_error_1(hpa: RunningServer, atftpd: RunningServer) -> None:
    for server in (hpa, atftpd):
        with pytest.raises(TransferError) as caught:
            asyncio.run(download(server.host, "no-such-file", port=server.port))
        assert caught.value.code == 1
        assert caught.value.by_peer


def test_netascii_download_from_tftpd_hpa(tmp_path: Path) -> None:
    text = b"one\ntwo\r\nbare\rcr\n" + b"y" * 500 + b"\r\nlast\r"
    root = tmp_path / "root"
    root.mkdir()
    (root / "t.txt").write_bytes(text)
    with tftpd_hpa_server(root) as server:
        result = asyncio.run(download(server.host, "t.txt", port=server.port, mode="netascii"))
    assert result.data == text


def _cli(prefix: list[str], *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    return subprocess.run(
        [*prefix, sys.executable, "-m", "ciscocfg", *args],
        capture_output=True,
        timeout=120,
        check=False,
        env=env,
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("blksize", [None, 1428])
def test_download_from_dnsmasq(
    dnsmasq: RunningServer, tree: Path, tmp_path: Path, size: int, blksize: int | None
) -> None:
    # dnsmasq only listens on port 69, in its own network namespace: our client runs there too,
    # through the command line.
    out = tmp_path / "out.bin"
    args = ["get", dnsmasq.host, f"f{size}.bin", "--port", "69", "-o", str(out), "-q"]
    if blksize:
        args += ["--blksize", str(blksize)]
    done = _cli(dnsmasq.prefix, *args)
    assert done.returncode == 0, done.stderr.decode()
    assert _digest(out.read_bytes()) == _digest((tree / f"f{size}.bin").read_bytes())


def test_dnsmasq_refuses_uploads(dnsmasq: RunningServer, tmp_path: Path) -> None:
    local = tmp_path / "x.bin"
    local.write_bytes(b"data")
    done = _cli(dnsmasq.prefix, "put", dnsmasq.host, str(local), "--port", "69", "-q")
    assert done.returncode == 2  # a refused transfer: status 2, as for every command
    assert b"error 4" in done.stderr or b"error 2" in done.stderr


@pytest.fixture(scope="module")
def dnsmasq(tree: Path) -> Iterator[RunningServer]:
    with dnsmasq_server(tree) as server:
        yield server

"""The engines against real TFTP programs, on loopback only.

A small blocking loop (``support.tftp_loop``) drives our server engines for curl, tftp-hpa,
busybox and atftp clients, and our client engines against tftpd-hpa and atftpd servers.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.tftp_loop import LoopbackServer, fetch, store

from ciscocfg.tftp import RetryPolicy, ServerPolicy

pytestmark = pytest.mark.peers

# Sizes that matter: empty, exact multiples of 512 (final empty DATA), a few blocks, larger.
SIZES = [0, 1024, 4000, 70_001]
CONTENT = {f"f{size}.bin": random.Random(size).randbytes(size) for size in SIZES}
# A netascii-free text file, as a phone would fetch.
CONTENT["SEP001122334455.cnf.xml"] = (
    b"<device>\n  <deviceProtocol>SIP</deviceProtocol>\n</device>\n"
)
# Netascii edge cases (spec §1.6): a CR LF split by the first block boundary (511/512), a bare
# CR, a CR that ends a block, and plain line ends.
TEXT = b"a" * 511 + b"\nline two\rbare\n" + b"b" * 484 + b"\r" + b"\nend\n"
CONTENT["text.txt"] = TEXT
# 65543 blocks at blksize 8: the block number wraps past 65535.
CONTENT["wrap.bin"] = random.Random(8).randbytes(8 * 65542 + 3)
QUICK = RetryPolicy(dally=0.2)


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CISCOCFG_REQUIRE_PEERS"):
            pytest.fail(f"missing peer: {tool}")
        pytest.skip(f"{tool} is not installed")
    return path


def _run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(args, cwd=cwd, capture_output=True, timeout=30, check=False)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    running = LoopbackServer(dict(CONTENT), policy=ServerPolicy(retry=QUICK))
    running.start()
    try:
        yield running
    finally:
        running.stop()


def _as_root(option: str) -> list[str]:
    """Run as root when root: the servers would drop to nobody, who cannot read pytest's
    private temporary directory. As another user they keep running as that user."""
    return [option, "root"] if os.geteuid() == 0 else []


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# curl 7.88 fails on any empty file ("getpeername() failed"), from tftpd-hpa as well.
@pytest.mark.parametrize("name", sorted(set(CONTENT) - {"f0.bin"}))
@pytest.mark.parametrize("blksize", [None, 1428])
def test_curl_downloads(
    server: LoopbackServer, tmp_path: Path, name: str, blksize: int | None
) -> None:
    curl = _need("curl")
    out = tmp_path / "out"
    args = [curl, "-s", "-S", "-o", str(out), f"tftp://127.0.0.1:{server.port}/{name}"]
    if blksize:
        args[1:1] = ["--tftp-blksize", str(blksize)]
    result = _run(args)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT[name]


def test_curl_past_the_block_wrap(server: LoopbackServer, tmp_path: Path) -> None:
    curl = _need("curl")
    out = tmp_path / "out"
    url = f"tftp://127.0.0.1:{server.port}/wrap.bin"
    result = _run([curl, "-s", "-S", "--tftp-blksize", "8", "-o", str(out), url])
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT["wrap.bin"]


def test_atftp_windowed_past_the_block_wrap(server: LoopbackServer, tmp_path: Path) -> None:
    atftp = _need("atftp")
    out = tmp_path / "out"
    result = _run(
        [
            atftp,
            "--option",
            "blksize 8",
            "--option",
            "windowsize 16",
            "-g",
            "-r",
            "wrap.bin",
            "-l",
            str(out),
            "127.0.0.1",
            str(server.port),
        ]
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT["wrap.bin"]


def test_curl_uploads(server: LoopbackServer, tmp_path: Path) -> None:
    curl = _need("curl")
    source = tmp_path / "up.bin"
    source.write_bytes(CONTENT["f70001.bin"])
    result = _run([curl, "-s", "-S", "-T", str(source), f"tftp://127.0.0.1:{server.port}/up.bin"])
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 5
    while "up.bin" not in server.files and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.files["up.bin"] == CONTENT["f70001.bin"]


def test_curl_missing_file(server: LoopbackServer, tmp_path: Path) -> None:
    curl = _need("curl")
    result = _run([curl, "-s", "-o", str(tmp_path / "x"), f"tftp://127.0.0.1:{server.port}/nope"])
    assert result.returncode != 0


@pytest.mark.parametrize("name", ["f0.bin", "f1024.bin", "f70001.bin"])
def test_tftp_hpa_client(server: LoopbackServer, tmp_path: Path, name: str) -> None:
    tftp = _need("tftp")
    out = tmp_path / "out"
    result = _run(
        [tftp, "-m", "binary", "127.0.0.1", str(server.port), "-c", "get", name, str(out)]
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT[name]


def test_tftp_hpa_client_in_netascii(server: LoopbackServer, tmp_path: Path) -> None:
    tftp = _need("tftp")
    out = tmp_path / "out"
    result = _run(
        [tftp, "-m", "netascii", "127.0.0.1", str(server.port), "-c", "get", "text.txt", str(out)]
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == TEXT
    up = tmp_path / "up.txt"
    up.write_bytes(TEXT)
    result = _run(
        [tftp, "-m", "netascii", "127.0.0.1", str(server.port), "-c", "put", str(up), "up.txt"]
    )
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 5
    while "up.txt" not in server.files and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.files["up.txt"] == TEXT


def test_our_netascii_client_against_our_server(server: LoopbackServer) -> None:
    assert fetch(server.port, "text.txt", mode="netascii") == TEXT


@pytest.mark.parametrize("name", ["f1024.bin", "f70001.bin"])
def test_busybox_client(server: LoopbackServer, tmp_path: Path, name: str) -> None:
    busybox = _need("busybox")
    out = tmp_path / "out"
    result = _run(
        [
            busybox,
            "tftp",
            "-b",
            "1024",
            "-g",
            "-r",
            name,
            "-l",
            str(out),
            "127.0.0.1",
            str(server.port),
        ]
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT[name]


@pytest.mark.parametrize("window", [1, 8])
def test_atftp_client_with_windowsize(server: LoopbackServer, tmp_path: Path, window: int) -> None:
    atftp = _need("atftp")
    out = tmp_path / "out"
    result = _run(
        [
            atftp,
            "--option",
            "blksize 512",
            "--option",
            f"windowsize {window}",
            "--option",
            "tsize 0",
            "-g",
            "-r",
            "f70001.bin",
            "-l",
            str(out),
            "127.0.0.1",
            str(server.port),
        ]
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT["f70001.bin"]


def test_our_client_against_our_server(server: LoopbackServer) -> None:
    options = {"blksize": "1428", "windowsize": "16", "tsize": "0"}
    assert fetch(server.port, "f70001.bin", options) == CONTENT["f70001.bin"]
    store(server.port, "back.bin", CONTENT["f4000.bin"], {"blksize": "1024"})
    assert fetch(server.port, "back.bin") == CONTENT["f4000.bin"]


@pytest.fixture
def tftpd_hpa(tmp_path: Path) -> Iterator[int]:
    binary = _need("in.tftpd")
    for name, content in CONTENT.items():
        (tmp_path / name).write_bytes(content)
    port = _free_port()
    process = subprocess.Popen(
        [binary, "-L", "-a", f"127.0.0.1:{port}", "-s", str(tmp_path), "-c", "-p", *_as_root("-u")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(5)


@pytest.mark.parametrize("options", [None, {"blksize": "1428", "tsize": "0", "timeout": "2"}])
def test_our_client_against_tftpd_hpa(tftpd_hpa: int, options: dict[str, str] | None) -> None:
    for name in ("f0.bin", "f1024.bin", "f70001.bin"):
        assert fetch(tftpd_hpa, name, options) == CONTENT[name]
    # tftpd-hpa translates text files in netascii mode; we translate back.
    assert fetch(tftpd_hpa, "text.txt", mode="netascii") == TEXT


def test_our_client_past_the_wrap_against_tftpd_hpa(tftpd_hpa: int) -> None:
    assert fetch(tftpd_hpa, "wrap.bin", {"blksize": "8"}) == CONTENT["wrap.bin"]


@pytest.fixture
def atftpd(tmp_path: Path) -> Iterator[int]:
    binary = os.environ.get("CISCOCFG_ATFTPD", "/opt/atftpd/usr/sbin/atftpd")
    if not Path(binary).exists():
        _need("atftpd")
    for name, content in CONTENT.items():
        (tmp_path / name).write_bytes(content)
    port = _free_port()
    process = subprocess.Popen(
        [
            binary,
            "--daemon",
            "--no-fork",
            "--logfile",
            "/dev/null",
            *_as_root("--user"),
            *_as_root("--group"),
            "--port",
            str(port),
            "--bind-address",
            "127.0.0.1",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(5)


@pytest.mark.parametrize("options", [None, {"blksize": "1024", "windowsize": "8", "tsize": "0"}])
def test_our_client_against_atftpd(atftpd: int, options: dict[str, str] | None) -> None:
    for name in ("f1024.bin", "f70001.bin"):
        assert fetch(atftpd, name, options) == CONTENT[name]

"""The engines against real TFTP programs, on loopback only.

A small blocking loop (``support.tftp_loop``) drives our server engines for curl, tftp-hpa,
busybox and atftp clients, and our client engines against tftpd-hpa and atftpd servers.
"""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.tftp_loop import LoopbackServer, fetch, store
from support.tftp_peers import atftpd_server, peer_binary, tftpd_hpa_server

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


def _write_content(root: Path) -> None:
    for name, content in CONTENT.items():
        (root / name).write_bytes(content)


# curl 7.88 fails on any empty file ("getpeername() failed"), from tftpd-hpa as well.
@pytest.mark.parametrize("name", sorted(set(CONTENT) - {"f0.bin"}))
@pytest.mark.parametrize("blksize", [None, 1428])
def test_curl_downloads(
    server: LoopbackServer, tmp_path: Path, name: str, blksize: int | None
) -> None:
    curl = peer_binary("curl")
    out = tmp_path / "out"
    args = [curl, "-s", "-S", "-o", str(out), f"tftp://127.0.0.1:{server.port}/{name}"]
    if blksize:
        args[1:1] = ["--tftp-blksize", str(blksize)]
    result = _run(args)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT[name]


def test_curl_past_the_block_wrap(server: LoopbackServer, tmp_path: Path) -> None:
    curl = peer_binary("curl")
    out = tmp_path / "out"
    url = f"tftp://127.0.0.1:{server.port}/wrap.bin"
    result = _run([curl, "-s", "-S", "--tftp-blksize", "8", "-o", str(out), url])
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT["wrap.bin"]


def test_atftp_windowed_past_the_block_wrap(server: LoopbackServer, tmp_path: Path) -> None:
    atftp = peer_binary("atftp")
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
    curl = peer_binary("curl")
    source = tmp_path / "up.bin"
    source.write_bytes(CONTENT["f70001.bin"])
    result = _run([curl, "-s", "-S", "-T", str(source), f"tftp://127.0.0.1:{server.port}/up.bin"])
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 5
    while "up.bin" not in server.files and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.files["up.bin"] == CONTENT["f70001.bin"]


def test_curl_missing_file(server: LoopbackServer, tmp_path: Path) -> None:
    curl = peer_binary("curl")
    result = _run([curl, "-s", "-o", str(tmp_path / "x"), f"tftp://127.0.0.1:{server.port}/nope"])
    assert result.returncode != 0


@pytest.mark.parametrize("name", ["f0.bin", "f1024.bin", "f70001.bin"])
def test_tftp_hpa_client(server: LoopbackServer, tmp_path: Path, name: str) -> None:
    tftp = peer_binary("tftp")
    out = tmp_path / "out"
    result = _run(
        [tftp, "-m", "binary", "127.0.0.1", str(server.port), "-c", "get", name, str(out)]
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == CONTENT[name]


def test_tftp_hpa_client_in_netascii(server: LoopbackServer, tmp_path: Path) -> None:
    tftp = peer_binary("tftp")
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
    busybox = peer_binary("busybox")
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
    atftp = peer_binary("atftp")
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
    _write_content(tmp_path)
    with tftpd_hpa_server(tmp_path, allow_create=True) as running:
        yield running.port


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
    _write_content(tmp_path)
    with atftpd_server(tmp_path) as running:
        yield running.port


@pytest.mark.parametrize("options", [None, {"blksize": "1024", "windowsize": "8", "tsize": "0"}])
def test_our_client_against_atftpd(atftpd: int, options: dict[str, str] | None) -> None:
    for name in ("f1024.bin", "f70001.bin"):
        assert fetch(atftpd, name, options) == CONTENT[name]

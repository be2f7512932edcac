"""Our TFTP server against real client programs, on loopback: every download checked by hash."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.aio_server import BackgroundServer, background_server
from support.tftp_peers import CLIENTS, client_get, client_put, tftpd_hpa_server

pytestmark = pytest.mark.peers

#: Sizes around the block boundaries at the default block size of 512.
SIZES = [0, 511, 512, 513, 1024, 3 * 1024 * 1024 + 7]
#: Clients that can ask for a block size.
BLKSIZE_CLIENTS = ["curl", "atftp", "busybox", "tftpy"]


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _content(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served")
    for size in SIZES:
        (root / f"f{size}.bin").write_bytes(_content(size, size))
    for size in (1427, 1428, 3 * 1428, 2 * 8192):
        (root / f"f{size}.bin").write_bytes(_content(size, size))
    return root


@pytest.fixture(scope="module")
def served(tree: Path) -> Iterator[BackgroundServer]:
    with background_server(tree) as server:
        yield server


CURL_EMPTY = pytest.mark.xfail(
    raises=AssertionError,
    reason="curl 7.88 fails every 0-byte TFTP download (error 71, getpeername), from tftpd-hpa too",
)


@pytest.mark.parametrize(
    ("client", "size"),
    [
        pytest.param(client, size, marks=CURL_EMPTY if (client, size) == ("curl", 0) else ())
        for client in CLIENTS
        for size in SIZES
    ],
)
def test_client_downloads_sizes(
    client: str, size: int, served: BackgroundServer, tree: Path, tmp_path: Path
) -> None:
    got = client_get(client, served.host, served.port, f"f{size}.bin", tmp_path)
    assert len(got) == size
    assert _digest(got) == _digest((tree / f"f{size}.bin").read_bytes())


@pytest.mark.parametrize("size", [1427, 1428, 3 * 1428])
@pytest.mark.parametrize("client", BLKSIZE_CLIENTS)
def test_client_downloads_with_blksize(
    client: str, size: int, served: BackgroundServer, tree: Path, tmp_path: Path
) -> None:
    got = client_get(client, served.host, served.port, f"f{size}.bin", tmp_path, blksize=1428)
    assert _digest(got) == _digest((tree / f"f{size}.bin").read_bytes())
    record = served.record_for(f"f{size}.bin")
    assert record.ok
    assert record.options.get("blksize") == "1428"
    assert record.blocks == size // 1428 + 1


# Not 8192 x 16: a 128 KiB burst overflows atftp's own 208 KiB receive buffer (an 8 KiB
# datagram takes 16 KiB of it) and atftp recovers only on timeouts, from atftpd as from us.
@pytest.mark.parametrize(("blksize", "windowsize"), [(1428, 8), (1428, 16), (8192, 8), (512, 4)])
def test_atftp_windowsize(
    blksize: int, windowsize: int, served: BackgroundServer, tree: Path, tmp_path: Path
) -> None:
    name = f"f{3 * 1024 * 1024 + 7}.bin"
    got = client_get(
        "atftp", served.host, served.port, name, tmp_path, blksize=blksize, windowsize=windowsize
    )
    assert _digest(got) == _digest((tree / name).read_bytes())
    record = served.record_for(name)
    assert record.options.get("windowsize") == str(windowsize)


def test_rollover_past_65535_blocks(tmp_path: Path) -> None:
    # 65536 full blocks and a short one: block numbers wrap from 65535 to 0 on the wire.
    # atftp follows the wrap (its quadrant unwrap); a window keeps the run short.
    size = 65536 * 512 + 100
    root = tmp_path / "root"
    root.mkdir()
    data = os.urandom(size)
    (root / "big.bin").write_bytes(data)
    with background_server(root) as served:
        got = client_get(
            "atftp", served.host, served.port, "big.bin", tmp_path, blksize=512, windowsize=16
        )
        assert _digest(got) == _digest(data)
        assert served.record_for("big.bin").blocks == 65537


NETASCII_TEXT = (
    b"line one\nline two\r\nbare\rcr\n"
    + b"x" * 480
    + b"\r\n"  # a CR LF pair split over the first block boundary
    + b"end with cr\r"
    + b"\0nul inside\n" * 40
    + b"last line without newline\r"
)


@pytest.mark.parametrize("client", ["tftp-hpa", "curl", "atftp"])
def test_netascii_like_tftpd_hpa(client: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "text.txt").write_bytes(NETASCII_TEXT)
    with background_server(root) as ours:
        from_ours = client_get(client, ours.host, ours.port, "text.txt", tmp_path, mode="netascii")
    with tftpd_hpa_server(root) as hpa:
        from_hpa = client_get(client, hpa.host, hpa.port, "text.txt", tmp_path, mode="netascii")
    assert _digest(from_ours) == _digest(from_hpa)


@pytest.mark.parametrize("client", ["curl", "tftp-hpa", "atftp", "busybox", "tftpy"])
def test_uploads_from_clients(client: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    data = os.urandom(200_000 + 13)
    with background_server(root, allow_write=True) as served:
        client_put(client, served.host, served.port, f"up-{client}.bin", data, tmp_path)
        assert served.record_for(f"up-{client}.bin").ok
    assert _digest((root / f"up-{client}.bin").read_bytes()) == _digest(data)
    assert [p.name for p in root.iterdir()] == [f"up-{client}.bin"]


def test_uploads_are_refused_unless_enabled(served: BackgroundServer, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="exited with"):
        client_put("curl", served.host, served.port, "new.bin", b"data", tmp_path)
    assert served.record_for("new.bin").error_code == 2
    assert not (Path(served.server.root or "") / "new.bin").exists()

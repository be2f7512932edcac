"""The client against a server that means harm: sizes it does not mean, streams without end
through the block-number wrap, error texts made to attack a terminal. Loopback only; every
server here is bounded (see ``support.hostile_tftp``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.hostile_tftp import announce_size, hostile_server, refuse_with, stream_forever

from ciscocfg.aio import DEFAULT_MAX_DOWNLOAD, TransferError, download
from ciscocfg.cli import main
from ciscocfg.tftp import Ack, Error, ReadRequest


def _left_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_an_announced_size_over_the_limit_is_refused_before_any_data(tmp_path: Path) -> None:
    with hostile_server(announce_size(10**12)) as server:
        with pytest.raises(TransferError) as caught:
            asyncio.run(download(server.host, "huge.bin", tmp_path / "huge.bin", port=server.port))
        assert server.client_error.wait(5)
    error = caught.value
    assert (error.code, error.by_peer, error.reason) == (3, False, "negotiation")
    assert error.record.bytes == 0
    # ERROR 3 in place of ACK 0: the server never had the client's leave to send a block.
    limit = DEFAULT_MAX_DOWNLOAD
    assert server.received[1:] == [Error(3, f"file of {10**12} bytes exceeds the limit of {limit}")]
    assert server.blocks_sent == 0
    assert _left_in(tmp_path) == []


def test_an_announced_size_at_the_limit_is_taken(tmp_path: Path) -> None:
    # The same server, announcing exactly the limit, gets ACK 0 (and then sends too much).
    with hostile_server(announce_size(4096)) as server:
        with pytest.raises(TransferError) as caught:
            asyncio.run(download(server.host, "f", port=server.port, max_size=4096))
        assert server.client_error.wait(5)
    assert server.acks[0] == 0
    assert caught.value.reason == "protocol"
    assert caught.value.record.bytes == 4096


@pytest.mark.parametrize("target", ["memory", "file"])
def test_a_stream_past_the_limit_is_stopped_with_error_3(tmp_path: Path, target: str) -> None:
    limit = 100_000
    out = tmp_path / "stream.bin" if target == "file" else None
    with hostile_server(stream_forever()) as server:
        with pytest.raises(TransferError) as caught:
            asyncio.run(download(server.host, "stream.bin", out, port=server.port, max_size=limit))
        assert server.client_error.wait(5)
    error = caught.value
    assert (error.code, error.by_peer, error.reason) == (3, False, "protocol")
    assert error.record.bytes == limit // 512 * 512
    assert server.errors == [Error(3, f"download exceeds the limit of {limit} bytes")]
    # Lock-step: the server got no further than the block that went over.
    assert server.blocks_sent == limit // 512 + 1
    assert _left_in(tmp_path) == []


@pytest.mark.parametrize("wrap_to", [0, 1])
def test_a_stream_through_the_block_number_wrap_is_stopped_by_the_cli(
    tmp_path: Path, wrap_to: int, capsys: pytest.CaptureFixture[str]
) -> None:
    # 8-byte blocks in windows of 64: the block number wraps after 512 KiB, and a server that
    # wraps (to 0 or to 1) is followed; only the size limit ends the stream.
    out = tmp_path / "endless.bin"
    argv = ["get", "127.0.0.1", "endless.bin", "-o", str(out), "-q"]
    argv += ["--blksize", "8", "--windowsize", "64", "--max-size", "600K"]
    with hostile_server(stream_forever(wrap_to=wrap_to)) as server:
        assert main([*argv, "--port", str(server.port)]) == 2
        assert server.client_error.wait(5)
    assert server.blocks_sent > 65536
    assert server.blocks_sent <= 600 * 1024 // 8 + 64
    assert server.errors == [Error(3, "download exceeds the limit of 614400 bytes")]
    assert "client error 3: download exceeds the limit of 614400 bytes" in capsys.readouterr().err
    assert _left_in(tmp_path) == []


def test_the_cli_refuses_an_announced_size_over_max_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "big.bin"
    with hostile_server(announce_size(2048)) as server:
        argv = ["get", "127.0.0.1", "big.bin", "-o", str(out), "--max-size", "1K"]
        assert main([*argv, "--port", str(server.port)]) == 2
        assert server.client_error.wait(5)
    assert server.received[1:] == [Error(3, "file of 2048 bytes exceeds the limit of 1024")]
    assert "exceeds the limit of 1024" in capsys.readouterr().err
    assert _left_in(tmp_path) == []


#: An error text made to attack a terminal: set the window title, clear the screen, forge a
#: line of output after a carriage return, reverse the text that follows, ring the bell, and
#: go on for 3,000 characters; a byte that is not UTF-8 at the end.
HOSTILE_TEXT = (
    b"\x1b]0;pwned\x07\x1b[2J\x1b[1;31mFile not found\r\nciscocfg get: saved 0 bytes\n"
    + "\u202etxt.exe".encode()
    + b"A" * 3000
    + b"\x9b\xff"
)


def test_a_server_error_text_is_printed_escaped_on_one_line_and_cut(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with hostile_server(refuse_with(1, HOSTILE_TEXT)) as server:
        argv = ["get", "127.0.0.1", "x", "-o", str(tmp_path / "x"), "--port", str(server.port)]
        assert main(argv) == 2  # a file the command cannot get: status 2, as for every command
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.endswith("\n")
    line = err[:-1]
    assert line.isprintable()
    assert len(line) < 400
    assert line.startswith("ciscocfg get: x: error: server error 1: ")
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[1;31mFile not found\\r\\nciscocfg get: saved" in line
    assert "\\u202etxt.exe" in line
    assert line.endswith(" more characters)")
    assert _left_in(tmp_path) == []


def test_the_library_keeps_the_text_as_sent_and_shows_it_escaped() -> None:
    with (
        hostile_server(refuse_with(0, HOSTILE_TEXT)) as server,
        pytest.raises(TransferError) as caught,
    ):
        asyncio.run(download(server.host, "x", port=server.port))
    error = caught.value
    assert error.message == HOSTILE_TEXT.decode("utf-8", "surrogateescape")
    shown = str(error)
    assert shown.isprintable()
    assert len(shown) < 400
    assert isinstance(server.received[0], ReadRequest)
    assert not [p for p in server.received if isinstance(p, Ack | Error)]

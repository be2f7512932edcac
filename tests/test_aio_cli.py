"""``ciscocfg serve``, ``get`` and ``put`` as a user runs them."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.tftp_peers import free_udp_port, wait_for_tftp

from ciscocfg.cli import main
from ciscocfg.cli._progress import ProgressBar
from ciscocfg.cli.cmd_serve import parse_size


def _serve(root: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    argv = [sys.executable, "-m", "ciscocfg", "serve", str(root), "--port", str(port), *extra]
    return subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env)


def test_serve_get_put_and_stop_on_ctrl_c(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    data = os.urandom(300_000)
    (root / "SEP0011BB73AD61.cnf.xml").write_bytes(data)
    port = free_udp_port()
    server = _serve(root, port, "--allow-write", "--max-upload", "1M", "--busy-poll", "200")
    try:
        wait_for_tftp("127.0.0.1", port)
        out = tmp_path / "got.xml"
        args = ["--port", str(port), "--blksize", "1428", "--windowsize", "8"]
        assert main(["get", "127.0.0.1", "sep0011bb73ad61.cnf.xml", "-o", str(out), *args]) == 0
        assert out.read_bytes() == data
        assert main(["put", "127.0.0.1", str(out), "-r", "upload.bin", *args]) == 0
        assert (root / "upload.bin").read_bytes() == data
        too_big = tmp_path / "big.bin"
        too_big.write_bytes(b"x" * (2 * 1024 * 1024))
        # A transfer the server refuses is input the command cannot read or write: status 2.
        assert main(["put", "127.0.0.1", str(too_big), "--port", str(port), "-q"]) == 2
        assert main(["get", "127.0.0.1", "../etc/passwd", "--port", str(port), "-q"]) == 2
    finally:
        server.send_signal(signal.SIGINT)
        status = server.wait(10)
    assert server.stderr is not None
    log = server.stderr.read().decode()
    server.stderr.close()
    assert status == 0
    assert "RRQ from 127.0.0.1:" in log
    assert "filename sep0011bb73ad61.cnf.xml" in log
    assert "options blksize=1428" in log
    assert "WRQ from" in log
    assert "error 3" in log
    assert "parent directory reference" in log
    assert "Traceback" not in log


def test_serve_stops_on_sigterm_with_a_transfer_in_flight(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"x" * 1000)
    port = free_udp_port()
    server = _serve(tmp_path, port)
    try:
        wait_for_tftp("127.0.0.1", port)
        # A client that asks and then goes silent keeps a transfer in flight.
        import socket

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(b"\0\x01f\0octet\0", ("127.0.0.1", port))
            sock.settimeout(5)
            sock.recvfrom(1024)
            server.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            server.send_signal(signal.SIGTERM)  # second signal: abort what is in flight
            status = server.wait(10)
            # Until the abort the server may resend DATA 1; the last word is its ERROR.
            replies = []
            sock.settimeout(0.5)
            with contextlib.suppress(TimeoutError):
                while True:
                    replies.append(sock.recvfrom(1024)[0])
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        assert server.stderr is not None
        server.stderr.close()
    assert status == 0
    assert replies
    assert replies[-1] == b"\0\x05\0\0Server shutting down\0"


def test_get_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_udp_port()
    server = _serve(tmp_path, port, "-q", "--busy-poll", "0")
    try:
        wait_for_tftp("127.0.0.1", port)
        out = tmp_path / "nothing"
        assert main(["get", "127.0.0.1", "nothing", "--port", str(port), "-o", str(out)]) == 2
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(10)
        assert server.stderr is not None
        server.stderr.close()
    assert "error 1: File not found" in capsys.readouterr().err
    assert not out.exists()


def test_serve_refuses_a_missing_root(tmp_path: Path) -> None:
    assert main(["serve", str(tmp_path / "absent")]) == 2


@pytest.mark.parametrize("value", ["-1", "nan"])
def test_serve_refuses_a_negative_busy_poll(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", str(tmp_path), "--busy-poll", value]) == 2
    assert "--busy-poll must be >= 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "size"),
    [("0", 0), ("512", 512), ("512K", 524288), ("64M", 67108864), ("1GiB", 1 << 30)],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_with_a_size() -> None:
    terminal = _Terminal()
    bar = ProgressBar("SEP.cnf.xml", terminal)
    bar(0, None)
    assert terminal.getvalue() == ""
    bar(1000, 1000)
    bar.finish()
    assert "100% 1000/1000 bytes" in terminal.getvalue()
    assert terminal.getvalue().endswith("\n")
    pipe = io.StringIO()
    quiet = ProgressBar("x", pipe)
    quiet(10, 10)
    quiet.finish()
    assert pipe.getvalue() == ""


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--max-transfers", "0"], "--max-transfers and --max-per-client must be at least 1"),
        (["--max-per-client", "0"], "--max-transfers and --max-per-client must be at least 1"),
        (["--shutdown-grace", "-1"], "--shutdown-grace must be >= 0"),
        (["--max-blksize", "4"], "max_blksize must be within 8..65464"),
        (["--max-windowsize", "0"], "max_windowsize must be within 1..65535"),
        (["--max-stall", "0"], "max_stall must be at least 1 second"),
        (["--firmware", "P0S3-08-12-00"], "--firmware, --timezone, --ntp and --dialplan go with"),
    ],
)
def test_serve_refuses_settings_it_cannot_serve_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], says: str
) -> None:
    assert main(["serve", str(tmp_path), *options]) == 2
    assert says in capsys.readouterr().err


def test_serve_needs_a_root_or_an_inventory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve"]) == 2
    assert "give ROOT, --inventory URL, or both" in capsys.readouterr().err
    assert main(["serve", "--inventory", "phones.csv", "--allow-write"]) == 2
    assert "--allow-write needs ROOT" in capsys.readouterr().err


def test_serve_says_why_an_inventory_cannot_be_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inventory = tmp_path / "phones.csv"
    inventory.write_text("mac,model,proxy,line1_user,line1_password\n")
    plan = tmp_path / "absent-dialplan.xml"
    assert main(["serve", "--inventory", str(inventory), "--dialplan", str(plan)]) == 2
    assert "absent-dialplan.xml" in capsys.readouterr().err
    assert main(["serve", "--inventory", str(tmp_path / "nowhere.csv")]) == 2
    assert "nowhere.csv" in capsys.readouterr().err

"""``ciscocfg get`` and the files it writes: permissions, replacing, directories, names that
are no file name, interruptions, and arguments checked before anything is sent."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.aio_server import BackgroundServer, background_server
from support.hostile_tftp import hostile_server, serve_anything, stall_after_first_block

from ciscocfg.aio import DEFAULT_MAX_DOWNLOAD
from ciscocfg.cli import main
from ciscocfg.cli.cmd_get import local_name
from ciscocfg.cli.cmd_serve import parse_size
from ciscocfg.tftp import Error

CONFIG = b"<device><loadInformation>SIP41.9-4-2SR3-1S</loadInformation></device>\n" * 20
TONES = b"tones" * 300


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    root = tmp_path_factory.mktemp("root")
    (root / "SEP0011BB73AD61.cnf.xml").write_bytes(CONFIG)
    (root / "US").mkdir()
    (root / "US" / "7960-tones.xml").write_bytes(TONES)
    with background_server(root) as running:
        yield running


def _get(server: BackgroundServer | int, *args: str) -> int:
    port = server if isinstance(server, int) else server.port
    return main(["get", "127.0.0.1", *args, "--port", str(port), "-q"])


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_the_file_gets_the_permissions_the_umask_gives(
    server: BackgroundServer, tmp_path: Path, umask: int
) -> None:
    out = tmp_path / "phone.xml"
    old = os.umask(umask)
    try:
        assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(out)) == 0
    finally:
        os.umask(old)
    assert out.read_bytes() == CONFIG
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


def test_an_existing_file_is_replaced_only_with_force(
    server: BackgroundServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "phone.xml"
    out.write_bytes(b"mine")
    before = len(server.records)
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(out)) == 2
    assert "exists; not replaced (use --force)" in capsys.readouterr().err
    assert out.read_bytes() == b"mine"
    assert len(server.records) == before  # refused before anything was sent
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(out), "--force") == 0
    assert out.read_bytes() == CONFIG
    assert _files(tmp_path) == ["phone.xml"]


def test_a_link_is_never_written_through(server: BackgroundServer, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim"
    victim.write_bytes(b"precious")
    here = tmp_path / "here"
    here.mkdir()
    (here / "SEP0011BB73AD61.cnf.xml").symlink_to(victim)
    (here / "dangling").symlink_to(elsewhere / "nothing")
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(here)) == 2
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(here / "dangling")) == 2
    assert not (elsewhere / "nothing").exists()
    # With --force the link itself is replaced by the file; what it pointed to is untouched.
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(here), "--force") == 0
    saved = here / "SEP0011BB73AD61.cnf.xml"
    assert not saved.is_symlink()
    assert saved.read_bytes() == CONFIG
    assert victim.read_bytes() == b"precious"


@pytest.mark.parametrize("slash", ["", "/"])
def test_output_into_a_directory(server: BackgroundServer, tmp_path: Path, slash: str) -> None:
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", f"{tmp_path}{slash}") == 0
    assert _get(server, "US/7960-tones.xml", "-o", f"{tmp_path}{slash}") == 0
    assert (tmp_path / "SEP0011BB73AD61.cnf.xml").read_bytes() == CONFIG
    assert (tmp_path / "7960-tones.xml").read_bytes() == TONES
    assert _files(tmp_path) == ["7960-tones.xml", "SEP0011BB73AD61.cnf.xml"]


def test_default_output_is_the_base_name_here(
    server: BackgroundServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _get(server, "/US/7960-tones.xml") == 0
    assert _files(tmp_path) == ["7960-tones.xml"]


@pytest.mark.parametrize("name", ["..", "a/..", ".", "dir/", "..\\..", ""])
def test_a_name_that_is_no_file_name_fails_before_anything_is_sent(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    # This server serves anything under any name, ``..`` included.
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with hostile_server(serve_anything(b"payload")) as server:
        assert _get(server.port, name) == 2
        assert _get(server.port, name, "-o", str(work)) == 2
    assert "name the local file with -o" in capsys.readouterr().err
    assert server.received == []
    assert _files(work) == []
    assert _files(tmp_path) == ["work"]


def test_local_names() -> None:
    assert local_name("SEP0011BB73AD61.cnf.xml") == "SEP0011BB73AD61.cnf.xml"
    assert local_name("/7960-font.xml") == "7960-font.xml"
    assert local_name("US/7960-tones.xml") == "7960-tones.xml"
    assert local_name("C:\\TFTP\\SIP0011BB73AD61.cnf") == "SIP0011BB73AD61.cnf"
    assert local_name("...") == "..."
    for name in ["..", ".", "", "a/..", "a/", "a\\", "../..", "x\0y"]:
        assert local_name(name) is None


def test_an_empty_output_name_is_a_usage_error(server: BackgroundServer) -> None:
    before = len(server.records)
    assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", "") == 2
    assert len(server.records) == before


@pytest.mark.parametrize("where", ["missing/dir/x", "missing/dir/", "file/x"])
def test_a_missing_directory_fails_before_anything_is_sent(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_bytes(b"")
    with hostile_server(serve_anything(b"payload")) as server:
        assert _get(server.port, "x", "-o", str(tmp_path / where)) == 2
    assert "no such directory" in capsys.readouterr().err
    assert server.received == []
    assert _files(tmp_path) == ["file"]


def test_a_directory_is_not_replaced(server: BackgroundServer, tmp_path: Path) -> None:
    (tmp_path / "SEP0011BB73AD61.cnf.xml").mkdir()
    for force in ([], ["--force"]):
        assert _get(server, "SEP0011BB73AD61.cnf.xml", "-o", str(tmp_path), *force) == 2
    assert (tmp_path / "SEP0011BB73AD61.cnf.xml").is_dir()
    assert _files(tmp_path) == ["SEP0011BB73AD61.cnf.xml"]


def test_a_failed_download_leaves_the_old_file_whole(
    server: BackgroundServer, tmp_path: Path
) -> None:
    out = tmp_path / "phone.xml"
    out.write_bytes(b"mine")
    assert _get(server, "missing.xml", "-o", str(out), "--force") == 2
    assert out.read_bytes() == b"mine"
    assert _files(tmp_path) == ["phone.xml"]


_SHARED_BAD = [
    ["--port", "70000"],
    ["--port", "0"],
    ["--port", "-1"],
    ["--port", "tftp"],
    ["--blksize", "7"],
    ["--blksize", "65465"],
    ["--windowsize", "0"],
    ["--windowsize", "65536"],
    ["--timeout", "0"],
    ["--timeout", "256"],
]


@pytest.mark.parametrize(
    ("command", "option"),
    [(command, option) for command in ("get", "put") for option in _SHARED_BAD]
    + [("get", ["--max-size", "-5"]), ("get", ["--max-size", "lots"])],
)
def test_bad_numbers_are_usage_errors_at_once(
    tmp_path: Path, command: str, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "f"
    source.write_bytes(b"")
    with pytest.raises(SystemExit) as exit_:
        main([command, "127.0.0.1", str(source), *option])
    assert exit_.value.code == 2
    assert f"argument {option[0]}" in capsys.readouterr().err


def test_the_default_limit_is_the_library_default() -> None:
    from ciscocfg.cli.cmd_get import _DEFAULT_MAX_SIZE

    assert parse_size(_DEFAULT_MAX_SIZE) == DEFAULT_MAX_DOWNLOAD


def _cli(*args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    argv = [sys.executable, "-m", "ciscocfg", *args]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_download_leaves_nothing_behind(
    tmp_path: Path, signum: signal.Signals
) -> None:
    out = tmp_path / "slow.bin"
    with hostile_server(stall_after_first_block) as server:
        client = _cli("get", "127.0.0.1", "slow.bin", "--port", str(server.port), "-o", str(out))
        try:
            # The first block is written to the temporary file; the server then stalls.
            assert server.data_acked.wait(30)
            assert [name for name in _files(tmp_path) if name.endswith(".part")]
            client.send_signal(signum)
            _, stderr = client.communicate(timeout=30)
        finally:
            if client.poll() is None:
                client.kill()
                client.communicate()
        assert server.client_error.wait(5)
    assert client.returncode == 128 + signum
    assert f"{signum.name}: download abandoned, nothing written" in stderr.decode()
    assert b"Traceback" not in stderr
    assert _files(tmp_path) == []
    # The server was told, rather than left to time out.
    assert server.errors == [Error(0, "Transfer cancelled")]

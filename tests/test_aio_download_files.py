"""``download`` into a path: a temporary file beside it, renamed into place once complete, with
the permissions the umask gives; never replacing a file or following a link unless told."""

from __future__ import annotations

import asyncio
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.aio_server import BackgroundServer, background_server

from ciscocfg.aio import AtomicFile, download

DATA = bytes(range(256)) * 9


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    root = tmp_path_factory.mktemp("root")
    (root / "f.bin").write_bytes(DATA)
    with background_server(root) as running:
        yield running


def _fetch(server: BackgroundServer, target: Path, *, overwrite: bool = False) -> None:
    asyncio.run(download(server.host, "f.bin", target, port=server.port, overwrite=overwrite))


def test_an_existing_file_is_kept_unless_overwrite(
    server: BackgroundServer, tmp_path: Path
) -> None:
    out = tmp_path / "f.bin"
    out.write_bytes(b"mine")
    before = len(server.records)
    with pytest.raises(FileExistsError):
        _fetch(server, out)
    assert len(server.records) == before  # refused before the request went out
    assert out.read_bytes() == b"mine"
    _fetch(server, out, overwrite=True)
    assert out.read_bytes() == DATA
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.bin"]


def test_a_link_is_replaced_not_followed(server: BackgroundServer, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    link = tmp_path / "link"
    link.symlink_to(victim)
    with pytest.raises(FileExistsError):
        _fetch(server, link)
    _fetch(server, link, overwrite=True)
    assert not link.is_symlink()
    assert link.read_bytes() == DATA
    assert victim.read_bytes() == b"precious"


def test_a_directory_is_refused_up_front(server: BackgroundServer, tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        _fetch(server, tmp_path, overwrite=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_the_umask_applies(server: BackgroundServer, tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        _fetch(server, tmp_path / "f.bin")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "f.bin").stat().st_mode) == 0o666 & ~umask


def test_without_hard_links_the_file_is_renamed_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FAT and some network file systems answer link() with EPERM.
    def no_links(source: object, target: object, **where: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "new"
    written = AtomicFile(target, overwrite=False, mode=0o644)
    written.write(b"data")
    written.finish(True)
    assert target.read_bytes() == b"data"
    # Something that appeared meanwhile is still not replaced.
    late = AtomicFile(tmp_path / "late", overwrite=False, mode=0o644)
    (tmp_path / "late").write_bytes(b"first")
    late.write(b"second")
    with pytest.raises(FileExistsError):
        late.finish(True)
    assert (tmp_path / "late").read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["late", "new"]


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "t"
    written = AtomicFile(target, overwrite=True, mode=0o644)
    target.mkdir()
    (target / "inside").write_bytes(b"")  # a directory that is not empty cannot be replaced
    written.write(b"data")
    with pytest.raises(OSError, match=r"Directory not empty|Is a directory"):
        written.finish(True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t"]


def test_an_open_folder_given_is_where_the_file_goes(tmp_path: Path) -> None:
    # The file is created and named in the folder given open, whatever its path names by the
    # time it is stored; the descriptor is the AtomicFile's to close.
    folder = tmp_path / "up"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    written = AtomicFile(folder / "new.bin", overwrite=False, mode=0o644, dir_fd=fd)
    folder.rename(tmp_path / "moved")
    folder.symlink_to(elsewhere)
    written.write(b"data")
    written.finish(True)
    assert (tmp_path / "moved" / "new.bin").read_bytes() == b"data"
    assert list(elsewhere.iterdir()) == []
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(fd)


def test_a_file_never_stored_leaves_nothing_behind(tmp_path: Path) -> None:
    written = AtomicFile(tmp_path / "new.bin", overwrite=False, mode=0o644)
    written.write(b"data")
    del written
    assert list(tmp_path.iterdir()) == []

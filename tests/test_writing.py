"""The rules every writing command follows: no file replaced unasked, no input written onto, no
link followed out of the destination, all or nothing, and the old file whole after a failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciscocfg import CiscoCfgError
from ciscocfg._writing import (
    WriteRefused,
    check_writable,
    link_into_place,
    sync_folder,
    write_file,
    write_files,
)


def test_a_new_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "a.cnf"
    assert write_file(target, b"x: 1\n") == target
    assert target.read_bytes() == b"x: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.cnf"]  # no temporary file left


def test_an_existing_file_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "a.cnf"
    target.write_bytes(b"old")
    with pytest.raises(WriteRefused, match=r"exists; not replaced \(use --force\)"):
        write_file(target, b"new")
    assert target.read_bytes() == b"old"


def test_force_replaces_and_keeps_the_old_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.cnf"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_file(target, b"new", force=True)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.cnf"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_its_mode_from_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_file(tmp_path / "a", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o666 & ~umask


def test_an_input_is_never_written_onto_even_forced(tmp_path: Path) -> None:
    source = tmp_path / "ring.wav"
    source.write_bytes(b"RIFF")
    for spelling in (source, tmp_path / "." / "ring.wav"):
        with pytest.raises(WriteRefused, match="inputs"):
            write_file(spelling, b"raw", force=True, inputs=[source])
    assert source.read_bytes() == b"RIFF"


def test_an_input_reached_through_a_link_is_an_input(tmp_path: Path) -> None:
    source = tmp_path / "src.cnf"
    source.write_bytes(b"keep")
    (tmp_path / "alias.cnf").symlink_to(source)
    with pytest.raises(WriteRefused, match="inputs"):
        write_file(tmp_path / "alias.cnf", b"x", force=True, inputs=[source])
    assert source.read_bytes() == b"keep"


def test_in_place_rewrites_an_input_atomically(tmp_path: Path) -> None:
    source = tmp_path / "a.cnf"
    source.write_bytes(b"old")
    write_file(source, b"new", inputs=[source], in_place=True)
    assert source.read_bytes() == b"new"


def test_a_dangling_link_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "report.txt").symlink_to(outside / "report.txt")
    outside.mkdir()
    with pytest.raises(WriteRefused, match="exists; not replaced"):
        write_file(dest / "report.txt", b"x", within=dest)
    # Forced, the link itself is replaced by the file; nothing appears outside.
    write_file(dest / "report.txt", b"x", within=dest, force=True)
    assert not (dest / "report.txt").is_symlink()
    assert (dest / "report.txt").read_bytes() == b"x"
    assert list(outside.iterdir()) == []


def test_a_folder_link_out_of_the_destination_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "sub").symlink_to(outside)
    with pytest.raises(WriteRefused, match="leads out of"):
        write_file(dest / "sub" / "a.cnf", b"x", within=dest, force=True)
    with pytest.raises(WriteRefused, match="leads out of"):
        write_files({dest / "sub" / "deeper" / "a.cnf": b"x"}, within=dest, make_folders=True)
    assert list(outside.iterdir()) == []


def test_a_name_outside_the_destination_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(WriteRefused, match="outside the destination"):
        write_file(dest / ".." / "escaped", b"x", within=dest)
    assert not (tmp_path / "escaped").exists()


def test_a_folder_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(WriteRefused, match="is a directory"):
        write_file(tmp_path / "d", b"x", force=True)


def test_a_missing_folder_is_refused_unless_asked_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused, match="no such directory"):
        write_file(tmp_path / "missing" / "a", b"x")
    write_files({tmp_path / "missing" / "a": b"x"}, make_folders=True)
    assert (tmp_path / "missing" / "a").read_bytes() == b"x"


def test_the_same_target_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused, match="twice"):
        write_files({str(tmp_path / "a"): b"1", f"{tmp_path}/./a": b"2"})
    assert not (tmp_path / "a").exists()


def test_all_or_nothing_when_one_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "b").write_bytes(b"old b")
    with pytest.raises(WriteRefused):
        write_files({tmp_path / "a": b"new a", tmp_path / "b": b"new b"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]
    assert (tmp_path / "b").read_bytes() == b"old b"


def test_replace_lets_one_named_file_be_rewritten_and_no_other(tmp_path: Path) -> None:
    (tmp_path / "selector").write_bytes(b"old selector")
    (tmp_path / "image").write_bytes(b"old image")
    # The named file alone may go; the other existing one stops the whole write.
    with pytest.raises(WriteRefused, match="exists; not replaced"):
        write_files(
            {tmp_path / "selector": b"new selector", tmp_path / "image": b"new image"},
            replace=[tmp_path / "selector"],
        )
    assert (tmp_path / "selector").read_bytes() == b"old selector"
    write_files(
        {tmp_path / "selector": b"new selector", tmp_path / "new": b"n"},
        replace=[tmp_path / "selector"],
    )
    assert (tmp_path / "selector").read_bytes() == b"new selector"
    assert (tmp_path / "image").read_bytes() == b"old image"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["image", "new", "selector"]


def test_replace_never_lets_a_file_appear_since_the_check_be_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ciscocfg._writing as writing

    real_stage = writing._stage

    def racing_stage(path: Path, data: bytes) -> Path:
        if path.name == "b":  # another process creates b after the check
            (tmp_path / "b").write_bytes(b"theirs")
        return real_stage(path, data)

    (tmp_path / "a").write_bytes(b"old a")
    monkeypatch.setattr(writing, "_stage", racing_stage)
    with pytest.raises(FileExistsError):
        write_files({tmp_path / "a": b"new a", tmp_path / "b": b"new b"}, replace=[tmp_path / "a"])
    assert (tmp_path / "b").read_bytes() == b"theirs"
    assert (tmp_path / "a").read_bytes() == b"old a"


def test_replace_does_not_open_a_link_out_of_the_destination(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "away").symlink_to(outside)
    with pytest.raises(WriteRefused, match="leads out of"):
        write_files({root / "away" / "x": b"x"}, within=root, replace=[root / "away" / "x"])
    assert list(outside.iterdir()) == []


def test_a_failure_while_placing_puts_back_what_was_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in "abc":
        (tmp_path / name).write_bytes(b"old " + name.encode())
    real_replace = os.replace

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name == "c":  # the third file fails: a disk error
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="Input/output"):
        write_files(
            {tmp_path / "a": b"new a", tmp_path / "b": b"new b", tmp_path / "c": b"new c"},
            force=True,
        )
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        "a": b"old a",
        "b": b"old b",
        "c": b"old c",
    }


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a"
    target.write_bytes(b"old")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError, match="No space") as caught:
        write_file(target, b"new", force=True)
    assert caught.value.filename == str(target)  # the file the user named, not a temporary one
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a"]


def test_folders_made_for_a_failed_write_are_removed(tmp_path: Path) -> None:
    (tmp_path / "taken").write_bytes(b"x")
    with pytest.raises(WriteRefused):
        write_files(
            {tmp_path / "new" / "deep" / "a": b"1", tmp_path / "taken": b"2"}, make_folders=True
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_refusals_are_library_errors_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x")
    with pytest.raises(CiscoCfgError) as caught:
        check_writable(tmp_path / "a")
    assert str(tmp_path / "a") in str(caught.value)


_NAMES = st.sampled_from(["a", "b", "c", "d"])


@settings(max_examples=60, deadline=None)
@given(
    existing=st.dictionaries(_NAMES, st.binary(max_size=8), max_size=4),
    wanted=st.dictionaries(_NAMES, st.binary(max_size=8), min_size=1, max_size=4),
    force=st.booleans(),
    fail_at=st.none() | st.integers(0, 3),
)
def test_every_write_is_all_or_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    existing: dict[str, bytes],
    wanted: dict[str, bytes],
    force: bool,
    fail_at: int | None,
) -> None:
    root = tmp_path_factory.mktemp("tree")
    for name, data in existing.items():
        (root / name).write_bytes(data)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    real_link, real_replace = os.link, os.replace
    count = [0]
    failed: list[object] = []

    def counted(real: object) -> object:
        def call(src: object, dst: object, **kwargs: object) -> None:
            if Path(str(dst)).suffix != ".old":  # placing a file, not keeping an old one
                if count[0] == fail_at and not failed:
                    failed.append(dst)  # one failure: putting things back works again
                    raise OSError(5, "Input/output error")
                count[0] += 1
            real(src, dst, **kwargs)  # type: ignore[operator]

        return call

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "link", counted(real_link))
        patch.setattr(os, "replace", counted(real_replace))
        try:
            write_files({root / n: d for n, d in wanted.items()}, force=force)
        except (WriteRefused, OSError):
            after = {p.name: p.read_bytes() for p in root.iterdir()}
            assert after == before
            return
    after = {p.name: p.read_bytes() for p in root.iterdir()}
    assert after == {**before, **wanted}
    assert force or not set(existing) & set(wanted)


def test_several_refusals_are_counted_in_one_message(tmp_path: Path) -> None:
    for name in "abc":
        (tmp_path / name).write_bytes(b"old")
    with pytest.raises(WriteRefused) as caught:
        write_files({tmp_path / n: b"new" for n in "abcd"})
    assert caught.value.path == str(tmp_path / "a")
    assert (caught.value.reason, caught.value.more) == ("exists; not replaced (use --force)", 2)
    assert str(caught.value).endswith("exists; not replaced (use --force); 2 more refused too")
    assert not (tmp_path / "d").exists()


def test_a_file_where_a_folder_should_be_is_no_folder(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"x")
    for make_folders in (False, True):
        with pytest.raises(WriteRefused, match="no such directory"):
            write_files({tmp_path / "file" / "deeper" / "a": b"x"}, make_folders=make_folders)
    assert (tmp_path / "file").read_bytes() == b"x"


def test_in_place_rewrites_the_file_a_link_names(tmp_path: Path) -> None:
    # Rewriting a file in place rewrites the file the user's link stands for: the link stays.
    real = tmp_path / "shared" / "SIPDefault.cnf"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "SIPDefault.cnf"
    link.symlink_to(real)
    assert write_file(link, b"new", inputs=[link], in_place=True) == real
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["SIPDefault.cnf"]


def test_in_place_within_a_destination_does_not_follow_a_link_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.cnf").write_bytes(b"keep")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "a.cnf").symlink_to(outside / "a.cnf")
    with pytest.raises(WriteRefused, match="leads out of"):
        write_file(dest / "a.cnf", b"x", in_place=True, within=dest)
    assert (outside / "a.cnf").read_bytes() == b"keep"


def test_write_refused_is_a_public_library_error_that_pickles(tmp_path: Path) -> None:
    import pickle

    import ciscocfg

    error = ciscocfg.WriteRefused(tmp_path / "a", "exists; not replaced (use --force)")
    many = ciscocfg.WriteRefused.first_of([error, ciscocfg.WriteRefused("b", "x", 3)])
    assert (many.path, many.reason, many.more) == (error.path, error.reason, 4)
    assert pickle.loads(pickle.dumps(many)).more == 4
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, ciscocfg.WriteRefused)
    assert isinstance(copy, CiscoCfgError)
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))
    assert str(error) == f"{tmp_path / 'a'}: exists; not replaced (use --force)"


def test_link_into_place_in_an_open_folder_never_follows_the_path(tmp_path: Path) -> None:
    # Named relative to the folder's descriptor, the file lands in that folder even after its
    # path has been given to a link that leads elsewhere.
    folder = tmp_path / "up"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.close(os.open("temp", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=fd))
        folder.rename(tmp_path / "moved")
        folder.symlink_to(elsewhere)
        link_into_place("temp", "name", dir_fd=fd)
        os.close(os.open("again", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
        with pytest.raises(FileExistsError):
            link_into_place("again", "name", dir_fd=fd)
        sync_folder(".", dir_fd=fd)
    finally:
        os.close(fd)
    assert sorted(p.name for p in (tmp_path / "moved").iterdir()) == ["again", "name"]
    assert list(elsewhere.iterdir()) == []

"""Path safety of the TFTP server: every name maps inside the root or is refused, the walk
agrees with a plain real-path reference, and case-insensitive look-ups use the folder index."""

from __future__ import annotations

import asyncio
import errno
import os
import shutil
import stat
import string
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.aio_server import download_outcomes

from ciscocfg.aio import TftpServer, TransferError, _paths, download
from ciscocfg.aio._paths import (
    MAX_LINKS,
    PathRejected,
    ServedTree,
    _components,
    resolve,
    resolve_upload,
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``base/root`` is served; ``base/secret.txt`` must never be reachable."""
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "SEP0011BB73AD61.cnf.xml").write_bytes(b"<device/>")
    (root / "sub" / "file.txt").write_bytes(b"inside")
    (root / "US").mkdir()
    (root / "US" / "7960-tones.xml").write_bytes(b"tones")
    (tmp_path / "secret.txt").write_bytes(b"secret")
    (root / "out-link").symlink_to(tmp_path / "secret.txt")
    (root / "out-dir").symlink_to(tmp_path)
    (root / "in-link").symlink_to(root / "sub" / "file.txt")
    return root


TRAVERSALS = [
    "../secret.txt",
    "sub/../../secret.txt",
    "/../secret.txt",
    "sub/..",
    "..",
    "//etc/passwd",
    "..\\secret.txt",
    "sub\\..\\..\\secret.txt",
    "C:\\Windows\\win.ini",
    "C:/Windows/win.ini",
    "\\\\server\\share\\x",
    "file\0.txt",
    "CON",
    "nul",
    "NUL.txt",
    "com1",
    "LPT9.log",
    "sub/aux.cnf",
    "name.",
    "name ",
    "x" * 256,
    "a/" * 600,
    "out-link",
    "out-dir/secret.txt",
    "bell\x07",
    "sub/file.txt/",
    "sub/",
    "sub/.",
    "/",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_traversal_is_refused(tree: Path, name: str) -> None:
    with pytest.raises(PathRejected):
        resolve(tree, name)
    with pytest.raises(PathRejected):
        resolve_upload(tree, name)


def test_absolute_path_of_a_file_outside_is_refused(tree: Path) -> None:
    # A leading slash is rooted at the served tree (phones ask for `/7960-font.xml`), but the
    # server's own absolute path of a file names a folder the tree does not have: refused.
    secret = str(tree.parent / "secret.txt")
    with pytest.raises(PathRejected):
        resolve(tree, secret)
    with pytest.raises(PathRejected):
        resolve(tree, "/etc/passwd")
    with pytest.raises(PathRejected):
        resolve_upload(tree, "/etc/cron.d/job")


def test_absolute_top_level_name_is_rooted(tree: Path) -> None:
    # A missing top-level file asked for with a slash is "not found", so a phone hunts on.
    with pytest.raises(FileNotFoundError):
        resolve(tree, "/7960-font.xml")
    assert resolve(tree, "/sub/file.txt") == Path(os.path.realpath(tree)) / "sub" / "file.txt"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SEP0011BB73AD61.cnf.xml", "SEP0011BB73AD61.cnf.xml"),
        ("sep0011bb73ad61.cnf.xml", "SEP0011BB73AD61.cnf.xml"),
        ("/SEP0011BB73AD61.cnf.xml", "SEP0011BB73AD61.cnf.xml"),
        ("US/7960-tones.xml", "US/7960-tones.xml"),
        ("us/7960-TONES.xml", "US/7960-tones.xml"),
        ("./sub/file.txt", "sub/file.txt"),
        # The walk follows links inside the root itself, so the path it gives has none left.
        ("in-link", "sub/file.txt"),
    ],
)
def test_names_inside_resolve(tree: Path, name: str, expected: str) -> None:
    assert resolve(tree, name) == Path(os.path.realpath(tree)) / expected


def test_case_sensitive_lookup_when_asked(tree: Path) -> None:
    with pytest.raises(FileNotFoundError):
        resolve(tree, "sep0011bb73ad61.cnf.xml", case_insensitive=False)


def test_missing_file_is_not_found(tree: Path) -> None:
    with pytest.raises(FileNotFoundError):
        resolve(tree, "SIPDefault.cnf")
    with pytest.raises(FileNotFoundError):
        resolve_upload(tree, "nodir/new.bin")


def test_upload_target_may_be_new(tree: Path) -> None:
    assert resolve_upload(tree, "sub/new.bin") == Path(os.path.realpath(tree)) / "sub/new.bin"


def test_dangling_link_out_is_refused_for_upload(tree: Path) -> None:
    (tree / "dangling").symlink_to(tree.parent / "created-outside")
    with pytest.raises(PathRejected):
        resolve_upload(tree, "dangling")


@given(name=st.text(min_size=1, max_size=80))
def test_any_name_stays_inside_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    base = tmp_path_factory.getbasetemp() / "prop"
    root = base / "root"
    (root / "a").mkdir(parents=True, exist_ok=True)
    (root / "a" / "f").write_bytes(b"x")
    try:
        path = resolve(root, name)
    except (PathRejected, FileNotFoundError):
        return
    real_root = os.path.realpath(root)
    assert os.path.realpath(path).startswith(real_root + os.sep)


def _linked_tree(base: Path) -> Path:
    """Links inside links: some stay in, some lead out, some go out and straight back in, one
    loops; the root is a link too (``root-link``), and ``other-alias`` is a second link to it."""
    base = Path(os.path.realpath(base))
    real = base / "real-root"
    if real.exists():
        return base / "root-link"
    (real / "sub").mkdir(parents=True)
    (real / "sub" / "file.txt").write_bytes(b"inside")
    (base / "secret.txt").write_bytes(b"secret")
    (real / "alias").symlink_to("sub")  # relative, stays inside
    (real / "sub" / "escape").symlink_to("../../secret.txt")  # relative, leads out
    (real / "sub" / "up").symlink_to("..")  # the root itself: inside
    (real / "sub" / "over").symlink_to("../..")  # the root's parent: outside
    (real / "sub" / "dot").symlink_to(".")
    (real / "sub" / "back").symlink_to("../../real-root/sub")  # out by name, straight back in
    (real / "sub" / "back-alias").symlink_to("../../root-link/sub")  # back in by the given path
    (real / "loop").symlink_to("loop")
    (real / "in-file").symlink_to("sub/file.txt")  # a file link straight inside the root
    (real / "out-file").symlink_to("../secret.txt")
    (real / "abs-in").symlink_to(real / "sub")  # absolute, by the root's real path
    (real / "abs-alias").symlink_to(base / "root-link" / "sub")  # absolute, by the given path
    (real / "abs-out").symlink_to(base / "secret.txt")
    (real / "abs-up").symlink_to(f"{real}/sub/..")  # absolute, and back up to the root
    (real / "via-alias").symlink_to(base / "other-alias" / "sub")  # another way in: refused
    (real / "slash").symlink_to("sub/file.txt/")  # a file named as a folder: not there
    (real / "dir-slash").symlink_to("sub/")
    (real / "dangling").symlink_to("sub/nothing")
    (real / "badcase").symlink_to("SUB")  # a link's target is taken as spelled
    (real / "Dup.txt").write_bytes(b"upper")  # two names that differ only in case
    (real / "dup.txt").write_bytes(b"lower")
    os.mkfifo(real / "sub" / "pipe")
    (base / "root-link").symlink_to(real)
    (base / "other-alias").symlink_to(real)
    return base / "root-link"


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("alias/file.txt", "sub/file.txt"),
        ("ALIAS/FILE.TXT", "sub/file.txt"),
        ("sub/up/sub/file.txt", "sub/file.txt"),
        ("alias/escape", PathRejected),
        ("sub/escape", PathRejected),
        ("alias/over/secret.txt", PathRejected),
        ("sub/up/alias/escape", PathRejected),
        ("loop/x", FileNotFoundError),
        ("sub/back/file.txt", "sub/file.txt"),
        ("sub/back-alias/file.txt", "sub/file.txt"),
        ("abs-in/file.txt", "sub/file.txt"),
        ("abs-alias/file.txt", "sub/file.txt"),
        ("abs-up/sub/file.txt", "sub/file.txt"),
        ("sub/dot/dot/file.txt", "sub/file.txt"),
        ("dir-slash/file.txt", "sub/file.txt"),
        ("abs-out", PathRejected),
        ("via-alias/file.txt", PathRejected),
        ("slash", FileNotFoundError),
        ("dangling", FileNotFoundError),
        ("badcase/file.txt", FileNotFoundError),
    ],
)
def test_links_inside_links(tmp_path: Path, name: str, outcome: object) -> None:
    root = _linked_tree(tmp_path)
    if isinstance(outcome, str):
        resolved = resolve(root, name)
        assert resolved.read_bytes() == b"inside"
        assert os.path.realpath(resolved) == os.path.realpath(root / outcome)
    else:
        assert isinstance(outcome, type)
        with pytest.raises((PathRejected, FileNotFoundError)) as caught:
            resolve(root, name)
        assert isinstance(caught.value, outcome)


COMPONENTS = [
    "sub",
    "SUB",
    "ſub",  # U+017F LATIN SMALL LETTER LONG S: not an `s` to a look-up ignoring case
    "alias",
    "ALIAS",
    "escape",
    "up",
    "over",
    "dot",
    "back",
    "back-alias",
    "loop",
    "file.txt",
    "FILE.txt",
    "secret.txt",
    "in-file",
    "IN-FILE",
    "out-file",
    "abs-in",
    "abs-alias",
    "abs-out",
    "abs-up",
    "via-alias",
    "slash",
    "dir-slash",
    "dangling",
    "badcase",
    "Dup.txt",
    "dup.txt",
    "DUP.TXT",
    "pipe",
]


@given(
    parts=st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=6),
    leading_slash=st.booleans(),
    upload=st.booleans(),
)
def test_any_walk_through_links_stays_inside_or_fails_cleanly(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], leading_slash: bool, upload: bool
) -> None:
    root = _linked_tree(tmp_path_factory.getbasetemp() / "links")
    name = "/" * leading_slash + "/".join(parts)
    try:
        path = (resolve_upload if upload else resolve)(root, name)
    except (PathRejected, FileNotFoundError):
        return
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    assert real == real_root or real.startswith(real_root + os.sep)


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c in string.ascii_uppercase else c for c in text)


def _reference_open(root: Path, name: str, case_insensitive: bool) -> tuple[str, object]:
    """The obvious way, safe on a tree that nobody changes meanwhile: find each component (as
    spelled, else the first of the folder's names equal to it but for ASCII case), check that
    its real path is inside the root's, and let the kernel open the name in the end. This is
    what the walk must agree with, except where it refuses."""
    real_root = os.path.realpath(root)
    try:
        parts = _components(name)  # the lexical policy is shared, and tested on its own above
    except PathRejected:
        return "rejected", None
    current = real_root
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        candidate = os.path.join(current, part)
        if case_insensitive and not os.path.lexists(candidate):
            try:
                entries = sorted(os.listdir(current))
            except OSError:
                entries = []
            matches = [e for e in entries if _ascii_lower(e) == _ascii_lower(part)]
            if matches:
                candidate = os.path.join(current, matches[0])
        real = os.path.realpath(candidate)
        if real != real_root and not real.startswith(real_root + os.sep):
            return "rejected", None
        if not last and not os.path.isdir(candidate):
            return ("rejected" if index == 0 and name.startswith("/") else "missing"), None
        current = candidate
    try:
        fd = os.open(current, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return "missing", None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    if stat.S_ISDIR(info.st_mode):
        return "missing", None
    if not stat.S_ISREG(info.st_mode):
        return "rejected", None
    return "opened", (info.st_dev, info.st_ino)


def _walk_open(tree: ServedTree, name: str) -> tuple[str, object]:
    try:
        fd, size = tree.open(name)
    except PathRejected:
        return "rejected", None
    except FileNotFoundError:
        return "missing", None
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    assert size == info.st_size
    return "opened", (info.st_dev, info.st_ino)


@given(
    parts=st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4),
    leading_slash=st.booleans(),
    case_insensitive=st.booleans(),
)
def test_the_walk_opens_what_the_reference_opens_or_refuses(
    tmp_path_factory: pytest.TempPathFactory,
    parts: list[str],
    leading_slash: bool,
    case_insensitive: bool,
) -> None:
    # On a tree nobody changes, the descriptor walk and the real-path reference agree on every
    # name: the same file, or the same "not found" / "refused". The one difference allowed is
    # the walk's refusal of a link that comes back into the root through a link outside it
    # (`via-alias`), which it cannot follow without leaving the root.
    root = _linked_tree(tmp_path_factory.getbasetemp() / "links")
    name = "/" * leading_slash + "/".join(parts)
    expected = _reference_open(root, name, case_insensitive)
    with ServedTree(root, case_insensitive=case_insensitive) as tree:
        got = _walk_open(tree, name)
    if got != expected:
        assert "via-alias" in parts, (name, got, expected)
        assert got == ("rejected", None), (name, got, expected)


@given(
    parts=st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4),
    leading_slash=st.booleans(),
)
def test_opening_and_locating_take_the_same_walk(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], leading_slash: bool
) -> None:
    # One walk, two ends: where `open` opens a file, `locate` (and so `resolve`) names that
    # file; where `locate` fails, `open` fails the same way.
    root = _linked_tree(tmp_path_factory.getbasetemp() / "links")
    name = "/" * leading_slash + "/".join(parts)
    with ServedTree(root) as tree:
        try:
            path = tree.locate(name)
        except (PathRejected, FileNotFoundError) as exc:
            with pytest.raises(type(exc)):
                os.close(tree.open(name)[0])
            return
        opened = _walk_open(tree, name)
    if opened[0] == "opened":
        info = os.stat(path, follow_symlinks=False)
        assert opened[1] == (info.st_dev, info.st_ino)
    else:  # a folder or a FIFO: there, but not a file to serve
        assert not os.path.isfile(path)


def test_what_the_walk_refuses_and_the_reference_would_open(tmp_path: Path) -> None:
    # The documented narrowing, shown: the target names the root through a link outside it.
    root = _linked_tree(tmp_path)
    assert _reference_open(root, "via-alias/file.txt", True)[0] == "opened"
    with ServedTree(root) as tree, pytest.raises(PathRejected, match="leads out"):
        tree.open("via-alias/file.txt")


def test_a_chain_of_links_is_followed_up_to_the_limit(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_bytes(b"end")
    (tmp_path / "l0").symlink_to("file.txt")
    for index in range(1, MAX_LINKS + 1):
        (tmp_path / f"l{index}").symlink_to(f"l{index - 1}")
    with ServedTree(tmp_path) as tree:
        fd, size = tree.open(f"l{MAX_LINKS - 1}")  # MAX_LINKS links
        os.close(fd)
        assert size == 3
        with pytest.raises(FileNotFoundError):
            tree.open(f"l{MAX_LINKS}")  # one more: taken for a loop


# --- failures of the system, not of the name -------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        (errno.EIO, PathRejected),
        (errno.EINVAL, PathRejected),
        (errno.ENXIO, PathRejected),
        (errno.EMFILE, OSError),  # passed on: the server answers "Server busy"
        (errno.EACCES, PermissionError),
        (errno.EPERM, PermissionError),
        (errno.ENAMETOOLONG, FileNotFoundError),
        (errno.ENOTDIR, FileNotFoundError),
    ],
)
def test_any_failure_of_the_walk_is_not_found_denied_or_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, answer: type[Exception]
) -> None:
    # Whatever the system answers on the way down (a race, a broken disk), the server hears
    # one of the three answers it turns into ERROR 1 or 2; running out of descriptors is
    # passed on as it is, for the server to answer "Server busy".
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f").write_bytes(b"x")
    real_open = os.open

    def failing_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if path in ("sub", "f"):
            raise OSError(code, os.strerror(code), path)
        return real_open(path, flags, *args, **kwargs)

    with ServedTree(tmp_path) as tree:
        monkeypatch.setattr(os, "open", failing_open)
        for name in ("sub/f", "f"):
            with pytest.raises(answer):
                tree.open(name)


# --- the case-insensitive index --------------------------------------------------------------


@pytest.mark.parametrize(
    ("on_disk", "asked"),
    [
        ("SIPDefault.cnf", "ſipdefault.cnf"),  # U+017F LATIN SMALL LETTER LONG S
        ("SIPDefault.cnf", "SIPDefault.cnf".replace("S", "\N{FULLWIDTH LATIN CAPITAL LETTER S}")),
        ("kernel.bin", "\N{KELVIN SIGN}ernel.bin"),  # U+212A folds to `k` in Unicode
        ("file.txt", "\N{LATIN SMALL LIGATURE FI}le.txt"),  # U+FB01 folds to `fi`
        ("strasse.txt", "straße.txt"),  # `ß` folds to `ss`
        ("istanbul.txt", "\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}stanbul.txt"),
        ("Ünïcödé.txt", "ünïcödé.txt"),  # non-ASCII letters must match exactly, case and all
    ],
)
def test_only_ascii_letters_are_matched_ignoring_case(
    tmp_path: Path, on_disk: str, asked: str
) -> None:
    (tmp_path / on_disk).write_bytes(b"x")
    with ServedTree(tmp_path) as tree:
        with pytest.raises(FileNotFoundError):
            tree.open(asked)
        with pytest.raises(FileNotFoundError):
            tree.open(f"/{asked}")
        os.close(tree.open(on_disk.upper() if on_disk.isascii() else on_disk)[0])


def test_case_collisions_take_the_first_name_in_sorted_order(tmp_path: Path) -> None:
    for spelled in ("sep.cnf", "SEP.cnf", "Sep.cnf"):
        (tmp_path / spelled).write_bytes(spelled.encode())
    with ServedTree(tmp_path) as tree:
        fd, _size = tree.open("sEp.CNF")
        assert os.read(fd, 100) == b"SEP.cnf"
        os.close(fd)
        fd, _size = tree.open("sep.cnf")  # as spelled, when it is there
        assert os.read(fd, 100) == b"sep.cnf"
        os.close(fd)


def _age(folder: Path) -> None:
    """Date a folder's last change an hour back, as if nobody had touched it since."""
    past = time.time_ns() - 3600 * 10**9
    os.utime(folder, ns=(past, past))


def test_a_name_added_is_found_on_the_next_request(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "A.cnf").write_bytes(b"a")
    _age(tmp_path / "sub")
    with ServedTree(tmp_path) as tree:
        with pytest.raises(FileNotFoundError):
            tree.open("SUB/b.cnf")
        listed = tree.listings
        (tmp_path / "sub" / "B.cnf").write_bytes(b"b")
        fd, _size = tree.open("SUB/b.cnf")
        os.close(fd)
        assert tree.listings > listed
        (tmp_path / "sub" / "B.cnf").unlink()
        with pytest.raises(FileNotFoundError):
            tree.open("SUB/b.cnf")


def test_a_listing_is_taken_again_while_the_folders_clock_may_hide_a_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file system whose clock ticks coarsely leaves a folder's times unchanged by an entry
    # made within the same tick. Here the folder's times never change at all: while its last
    # change is recent a miss lists it again; once it is old, the listing is trusted.
    (tmp_path / "A.cnf").write_bytes(b"a")
    frozen = {"mtime": time.time_ns()}

    def state(folder: int) -> tuple[tuple[int, int], tuple[int, ...], int]:
        info = os.fstat(folder)
        return (info.st_dev, info.st_ino), (frozen["mtime"],), frozen["mtime"]

    monkeypatch.setattr(_paths, "_folder_state", state)
    with ServedTree(tmp_path) as tree:
        os.close(tree.open("a.cnf")[0])
        (tmp_path / "B.cnf").write_bytes(b"b")
        time.sleep(0.01)  # past nine times the cost of listing a folder of two names
        os.close(tree.open("b.cnf")[0])
        assert tree.listings == 2
        frozen["mtime"] -= 3600 * 10**9
        os.close(tree.open("a.cnf")[0])  # the first miss since: listed again, now trusted
        (tmp_path / "C.cnf").write_bytes(b"c")
        for _ in range(10):
            with pytest.raises(FileNotFoundError):
                tree.open("c.cnf")  # unseen: the folder says it did not change
        assert tree.listings == 3


@pytest.fixture
def roomy_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder for tens of thousands of entries: in memory where the system has a tmpfs at
    /dev/shm (what is counted is listings, not disk work, and a busy disk makes 50,000 files
    slow to create), else under ``tmp_path``."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="ciscocfg-test-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_missing_names_in_a_folder_of_50000_do_not_list_it_again(roomy_dir: Path) -> None:
    # A miss, or a name spelled in another case, once listed and sorted the whole folder: with
    # 50,000 files a few hundred such requests a second starved every other request. Now the
    # folder is listed once, and again only when it changes.
    root = roomy_dir / "root"
    root.mkdir()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for index in range(50_000):
        os.close(os.open(root / f"SEP{index:012X}.cnf.xml", flags))
    _age(root)
    with ServedTree(root) as tree:
        for index in range(0, 50_000, 25):  # 2,000 names in the wrong case, all there
            fd, _size = tree.open(f"sep{index:012x}.CNF.XML")
            os.close(fd)
        for index in range(50_000, 52_000):  # 2,000 that are not
            with pytest.raises(FileNotFoundError):
                tree.open(f"sep{index:012x}.cnf.xml")
            with pytest.raises(FileNotFoundError):
                tree.open(f"/SEP{index:012X}.cnf.xml")
        assert tree.listings == 1
        (root / "XMLDefault.cnf.xml").write_bytes(b"<Default/>")
        fd, _size = tree.open("xmldefault.cnf.xml")
        os.close(fd)
        assert tree.listings == 2


def test_the_root_is_held_open(tmp_path: Path) -> None:
    # Like a chroot: the tree served is the one there at the start, even if its path is given
    # to another folder afterwards.
    root = tmp_path / "root"
    root.mkdir()
    (root / "f").write_bytes(b"first")
    with ServedTree(root) as tree:
        root.rename(tmp_path / "moved")
        root.mkdir()
        (root / "f").write_bytes(b"second")
        fd, _size = tree.open("f")
        assert os.read(fd, 100) == b"first"
        os.close(fd)
    assert tree.closed


# --- the same, through the server ------------------------------------------------------------


def test_server_matches_ascii_case_only_and_refuses_folder_names(tmp_path: Path) -> None:
    (tmp_path / "SIPDefault.cnf").write_bytes(b"defaults")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_bytes(b"inner")
    names = ["sipdefault.cnf", "ſipdefault.cnf", "sub/inner.txt/", "SUB/INNER.TXT", "sub/"]
    assert download_outcomes(tmp_path, names) == [b"defaults", 1, 2, b"inner", 2]


def test_server_finds_a_file_added_while_it_runs(tmp_path: Path) -> None:
    (tmp_path / "XMLDefault.cnf.xml").write_bytes(b"<Default/>")

    async def main() -> list[int | bytes]:
        got: list[int | bytes] = []
        async with TftpServer(tmp_path, host="127.0.0.1", port=0) as server:
            for step in range(2):
                try:
                    got.append(
                        (
                            await download("127.0.0.1", "sep0011bb73ad61.cnf.xml", port=server.port)
                        ).data
                        or b""
                    )
                except TransferError as exc:
                    got.append(exc.code)
                if step == 0:
                    (tmp_path / "SEP0011BB73AD61.cnf.xml").write_bytes(b"<device/>")
        return got

    assert asyncio.run(asyncio.wait_for(main(), 30)) == [1, b"<device/>"]


@given(
    parts=st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4),
    leading_slash=st.booleans(),
)
def test_an_upload_opens_the_folder_of_the_path_it_locates(
    tmp_path_factory: pytest.TempPathFactory, parts: list[str], leading_slash: bool
) -> None:
    # One walk again: `open_upload` opens the folder of the path `locate(upload=True)` names,
    # and fails where it fails; a name that comes to a folder is no file to upload.
    root = _linked_tree(tmp_path_factory.getbasetemp() / "links")
    name = "/" * leading_slash + "/".join(parts)
    with ServedTree(root) as tree:
        try:
            path = tree.locate(name, upload=True)
        except (PathRejected, FileNotFoundError, PermissionError) as exc:
            with pytest.raises(type(exc)):
                os.close(tree.open_upload(name)[0])
            return
        if os.path.isdir(path) and not os.path.islink(path):
            with pytest.raises((IsADirectoryError, FileExistsError)):
                os.close(tree.open_upload(name)[0])
            return
        folder, located = tree.open_upload(name)
        try:
            info = os.fstat(folder)
        finally:
            os.close(folder)
    assert located == path
    real_root = os.path.realpath(root)
    assert located.startswith(real_root + os.sep)
    parent = os.stat(os.path.dirname(located))
    assert (info.st_dev, info.st_ino) == (parent.st_dev, parent.st_ino)


def test_an_upload_to_a_folder_is_refused(tree: Path) -> None:
    with ServedTree(tree) as served:
        with pytest.raises(IsADirectoryError):
            served.open_upload("sub")
        folder, path = served.open_upload("sub/new.bin")
        os.close(folder)
    assert path == os.path.join(os.path.realpath(tree), "sub", "new.bin")

"""Path safety of the TFTP server: every name maps inside the root or is refused."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg.aio._paths import PathRejected, open_in, resolve, resolve_upload


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
        ("in-link", "in-link"),
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
    """Links inside links: some stay in, some lead out, one loops; the root is a link too."""
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
    (real / "loop").symlink_to("loop")
    (real / "in-file").symlink_to("sub/file.txt")  # a file link straight inside the root
    (real / "out-file").symlink_to("../secret.txt")
    (base / "root-link").symlink_to(real)
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
    "alias",
    "escape",
    "up",
    "over",
    "loop",
    "file.txt",
    "FILE.txt",
    "secret.txt",
    "in-file",
    "IN-FILE",
    "out-file",
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


def _outcome_of_opening(open_file: Any) -> tuple[str, object]:
    """What opening gives: the file's identity, or the kind of error (and its errno)."""
    try:
        fd = open_file()
    except (PathRejected, FileNotFoundError) as exc:
        return "refused", type(exc)
    except OSError as exc:
        return "error", exc.errno
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    return "opened", (info.st_dev, info.st_ino)


@given(
    parts=st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4),
    leading_slash=st.booleans(),
    case_insensitive=st.booleans(),
)
def test_opening_a_served_file_agrees_with_resolving_it(
    tmp_path_factory: pytest.TempPathFactory,
    parts: list[str],
    leading_slash: bool,
    case_insensitive: bool,
) -> None:
    # The server opens a name straight inside the root without a walk (O_NOFOLLOW); whatever
    # the name, it must open the same file as resolving it and opening that would, or fail
    # the same way.
    root = _linked_tree(tmp_path_factory.getbasetemp() / "links")
    real_root = os.path.realpath(root)
    name = "/" * leading_slash + "/".join(parts)
    expected = _outcome_of_opening(
        lambda: os.open(resolve(root, name, case_insensitive=case_insensitive), os.O_RDONLY)
    )
    got = _outcome_of_opening(
        lambda: open_in(real_root, name, case_insensitive=case_insensitive)[0]
    )
    assert got == expected

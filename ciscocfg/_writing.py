"""Writing files so that no command ever loses one (standard library only).

Every command that writes goes through :func:`write_files`:

* an existing file is replaced only when the caller says so (``force``);
* a file the command read (``inputs``) is never written onto, forced or not, unless the
  command's job is to rewrite it in place (``in_place``);
* nothing is written through a symbolic link that leads out of the destination (``within``);
  a link in the way is replaced by the file when forced, never followed (a command that
  rewrites a file in place, or a library ``dump`` to a path, rewrites the file a link names);
* each file is written beside its target under a temporary name, flushed to the disk and
  renamed into place, so an interrupted or failed write leaves the old file whole;
* a set of files is written all or nothing: every target is checked before the first byte is
  written, and a failure while placing them puts back what was there before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from ciscocfg._errors import WriteRefused

__all__ = [
    "WriteRefused",
    "check_files",
    "check_writable",
    "link_into_place",
    "named_error",
    "sync_folder",
    "write_file",
    "write_files",
]

PathLike = str | os.PathLike[str]
#: The targets of :func:`write_files`: names of any one kind (``str``, :class:`~pathlib.Path` ...).
Target = TypeVar("Target", bound=PathLike)


class _Inputs:
    """The files a command read, known by identity (device and inode, links followed), or by
    real path for one that is not there."""

    def __init__(self, paths: Iterable[PathLike]) -> None:
        self.ids: set[tuple[int, int]] = set()
        self.names: set[str] = set()
        for path in paths:
            identity = _identity(path)
            if identity is None:
                self.names.add(os.path.realpath(path))
            else:
                self.ids.add(identity)

    def holds(self, path: Path) -> bool:
        """Whether ``path`` is (or leads to) one of the files."""
        if not self.ids and not self.names:
            return False
        identity = _identity(path)
        if identity is None:
            return os.path.realpath(path) in self.names
        return identity in self.ids


def _identity(path: PathLike) -> tuple[int, int] | None:
    """The device and inode of the file ``path`` leads to, or ``None`` if there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


#: Why a file is not replaced without ``force`` (the words every command uses).
EXISTS = "exists; not replaced (use --force)"


def check_writable(
    target: PathLike,
    *,
    force: bool = False,
    inputs: Iterable[PathLike] | _Inputs = (),
    within: PathLike | None = None,
    in_place: bool = False,
    make_folders: bool = False,
) -> Path:
    """Raise :class:`WriteRefused` unless ``target`` may be written by these rules; returns it
    as an absolute :class:`~pathlib.Path` (its folder's links resolved, its own name kept; with
    ``in_place``, the file a link names). Without ``make_folders`` its folder must exist."""
    given = Path(target)
    if given.name in ("", ".", ".."):
        raise WriteRefused(given, "not a file name")
    if in_place:
        path = Path(os.path.realpath(given))
        folder = path.parent
    else:
        folder = Path(os.path.realpath(given.parent if str(given.parent) else "."))
        path = folder / given.name
    existing = _existing_ancestor(folder)
    if not existing.is_dir() or (existing != folder and not make_folders):
        raise WriteRefused(given, "no such directory")
    if within is not None:
        root = os.path.realpath(within)
        lexical = os.path.abspath(given)
        if not _inside(lexical, os.path.abspath(within)) and not _inside(lexical, root):
            raise WriteRefused(given, f"outside the destination {os.fspath(within)}")
        if not _inside(str(folder), root) or (in_place and not _inside(str(path), root)):
            raise WriteRefused(given, f"a symbolic link on the way leads out of {within}")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(given, "is a directory")
    sources = inputs if isinstance(inputs, _Inputs) else _Inputs(inputs)
    if not in_place and sources.holds(path):
        raise WriteRefused(given, "is one of the command's inputs; write elsewhere")
    if info is not None and not force and not in_place:
        raise WriteRefused(given, EXISTS)
    return path


def _existing_ancestor(folder: Path) -> Path:
    """``folder``, or the nearest folder above it that exists (or its nearest existing entry,
    which may be a file)."""
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def write_file(
    target: PathLike,
    data: bytes,
    *,
    force: bool = False,
    inputs: Iterable[PathLike] = (),
    within: PathLike | None = None,
    in_place: bool = False,
) -> Path:
    """Write one file by the rules of this module; returns where it went."""
    return write_files(
        {target: data}, force=force, inputs=inputs, within=within, in_place=in_place
    )[0]


def check_files(
    targets: Iterable[PathLike],
    *,
    force: bool = False,
    inputs: Iterable[PathLike] = (),
    within: PathLike | None = None,
    in_place: bool = False,
    make_folders: bool = False,
    replace: Iterable[PathLike] = (),
) -> list[Path]:
    """Check every target by :func:`check_writable` (and that none is named twice); returns
    them as that gives them. When any is refused, :class:`WriteRefused` names the first and
    says how many more were. ``replace`` names targets that may be replaced without ``force``.
    """
    sources = _Inputs(inputs)  # known once, not once per target
    replaceable = {_where(name) for name in replace}
    paths: list[Path] = []
    refused: list[WriteRefused] = []
    seen: set[Path] = set()
    for name in targets:
        # A missing folder's real path is worked out from the part that exists, links and all.
        try:
            path = check_writable(
                name,
                force=force or _where(name) in replaceable,
                inputs=sources,
                within=within,
                in_place=in_place,
                make_folders=make_folders,
            )
            if path in seen:
                raise WriteRefused(name, "named twice")
        except WriteRefused as exc:
            refused.append(exc)
            continue
        seen.add(path)
        paths.append(path)
    if refused:
        raise WriteRefused.first_of(refused)
    return paths


def write_files(
    files: Mapping[Target, bytes],
    *,
    force: bool = False,
    inputs: Iterable[PathLike] = (),
    within: PathLike | None = None,
    in_place: bool = False,
    make_folders: bool = False,
    replace: Iterable[PathLike] = (),
) -> list[Path]:
    """Write every file or none, by the rules of this module; returns where they went.

    Every target is checked first (:func:`check_files`); when any is refused, nothing is
    written. ``make_folders`` creates missing folders (inside ``within`` when given); folders
    created for a write that then fails are removed again. ``replace`` names the targets the
    command's job is to rewrite even without ``force`` (the selector file a staged upgrade moves
    on); every other rule still holds for them, and any other existing target still needs
    ``force``.
    """
    replace = list(replace)
    paths = check_files(
        files,
        force=force,
        inputs=inputs,
        within=within,
        in_place=in_place,
        make_folders=make_folders,
        replace=replace,
    )
    targets = list(zip(paths, files.values(), strict=True))
    made: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for path, _ in targets:
            made.extend(_make_folders(path.parent))
        for path, data in targets:
            staged.append((path, _stage(path, data)))
        replaceable = {_where(name) for name in replace}
        _place_all(staged, replace=force or in_place, replaceable=replaceable)
    except BaseException:
        for _, temp in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return [path for path, _ in targets]


def _make_folders(folder: Path) -> list[Path]:
    missing: list[Path] = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir()
    return list(reversed(missing))


def _temporary_name(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name[:64]}.{secrets.token_hex(6)}.{kind}")


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` beside ``path`` under a new name, on the disk; the mode is the replaced
    file's, or what a new file gets from the umask."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = 0o666
    try:
        fd, temp = _create_temporary(path, mode)
    except OSError as exc:
        raise named_error(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != 0o666:
            os.chmod(temp, mode)  # the umask applies only to new files
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise named_error(exc, path) from exc
        raise
    return temp


def _create_temporary(path: Path, mode: int) -> tuple[int, Path]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = _temporary_name(path, "part")
        try:
            return os.open(temp, flags, mode), temp
        except FileExistsError:
            continue
    # 100 collisions of 48 random bits
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def _where(target: PathLike) -> Path:
    """``target`` with its folder's links resolved and its own name kept (as checked)."""
    given = Path(target)
    return Path(os.path.realpath(given.parent if str(given.parent) else ".")) / given.name


def _place_all(
    staged: list[tuple[Path, Path]], *, replace: bool, replaceable: set[Path] | None = None
) -> None:
    """Rename every staged file into place; on a failure, put back what was there.

    An existing file is replaced only when ``replace`` holds or it is one of ``replaceable``;
    any other file that appeared since the check makes the whole write fail."""
    # (target, the old file kept under another name, whether there was an old file)
    placed: list[tuple[Path, Path | None, bool]] = []
    others = replaceable or set()
    current: Path | None = None
    try:
        for path, temp in staged:
            current = path
            if (replace or path in others) and os.path.lexists(path):
                backup: Path | None = _temporary_name(path, "old")
                try:
                    os.link(path, backup, follow_symlinks=False)  # type: ignore[arg-type]
                except OSError:  # no hard links here: the old file cannot be kept
                    backup = None
                try:
                    os.replace(temp, path)
                except BaseException:
                    if backup is not None:  # the old file is still in place
                        with contextlib.suppress(OSError):
                            backup.unlink()
                    raise
                placed.append((path, backup, True))
            else:
                link_into_place(temp, path)
                placed.append((path, None, False))
    except BaseException as exc:
        for path, backup, existed in reversed(placed):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                elif not existed:
                    path.unlink()
        if isinstance(exc, OSError) and current is not None:
            raise named_error(exc, current) from exc
        raise
    for folder in {path.parent for path, _ in staged}:
        sync_folder(folder)
    for _, backup, _existed in placed:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


def named_error(exc: OSError, path: PathLike) -> OSError:
    """``exc`` naming the file it is about, as the user knows it: ``fsync`` and the like name
    no file, and a failure on a temporary file names that, where the target is meant."""
    given = exc.filename
    if given is not None and not os.path.basename(os.fsdecode(given)).startswith("."):
        return exc
    return OSError(exc.errno, exc.strerror or str(exc), os.fspath(path))


#: What ``link`` answers on a file system without hard links (FAT, some network file systems).
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}
)


def link_into_place(temp: PathLike, path: PathLike, *, dir_fd: int | None = None) -> None:
    """Give the file ``temp`` the name ``path`` unless something has that name already:
    ``link`` fails rather than replace, where ``rename`` would replace. ``temp`` is gone after.

    With ``dir_fd`` both names are entries of that open folder, so no link on the way to it
    is ever followed.
    """
    try:
        os.link(temp, path, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: rename after a last look (only a file that appears between the
        # two could be replaced).
        try:
            os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            pass
        else:
            raise FileExistsError(errno.EEXIST, "File exists", os.fspath(path)) from None
        os.rename(temp, path, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    else:
        os.unlink(temp, dir_fd=dir_fd)


def sync_folder(folder: PathLike, *, dir_fd: int | None = None) -> None:
    """Make the new names of ``folder`` durable (best effort: not every system can sync a
    folder). With ``dir_fd``, ``folder`` is taken relative to that open folder (``"."``: the
    folder itself, whatever it was opened for)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0), dir_fd=dir_fd)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

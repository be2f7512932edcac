"""Writing files so that no command ever loses one (standard library only).

Every command that writes goes through :func:`write_files`:

* an existing file is replaced only when the caller says so (``force``);
* a file the command read (``inputs``) is never written onto, forced or not, unless the
  command's job is to rewrite it in place (``in_place``);
* nothing is written through a symbolic link that leads out of the destination (``within``);
  a link in the way is replaced by the file when forced, never followed;
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

from ciscocfg._errors import CiscoCfgError

__all__ = [
    "WriteRefused",
    "check_writable",
    "link_into_place",
    "sync_folder",
    "write_file",
    "write_files",
]

PathLike = str | os.PathLike[str]


class WriteRefused(CiscoCfgError):
    """A write that would lose a file: replace one without ``force``, land on one of the
    command's inputs, or go through a link out of the destination. ``path`` is the target."""

    def __init__(self, path: PathLike, reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_writable(
    target: PathLike,
    *,
    force: bool = False,
    inputs: Iterable[PathLike] = (),
    within: PathLike | None = None,
    in_place: bool = False,
) -> Path:
    """Raise :class:`WriteRefused` unless ``target`` may be written by these rules; returns it
    as an absolute :class:`~pathlib.Path` (its folder's links resolved, its own name kept)."""
    given = Path(target)
    if given.name in ("", ".", ".."):
        raise WriteRefused(given, "not a file name")
    folder = Path(os.path.realpath(given.parent if str(given.parent) else "."))
    path = folder / given.name
    if within is not None:
        root = os.path.realpath(within)
        lexical = os.path.abspath(given)
        if not _inside(lexical, os.path.abspath(within)) and not _inside(lexical, root):
            raise WriteRefused(given, f"outside the destination {os.fspath(within)}")
        if not _inside(str(folder), root):
            raise WriteRefused(given, f"a symbolic link on the way leads out of {within}")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(given, "is a directory")
    for source in inputs:
        if _same_file(path, Path(source)) and not in_place:
            raise WriteRefused(given, "is one of the command's inputs; write elsewhere")
    if info is not None and not force and not in_place:
        raise WriteRefused(given, "already exists; use --force to replace it")
    return path


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


def write_files(
    files: Mapping[PathLike, bytes],
    *,
    force: bool = False,
    inputs: Iterable[PathLike] = (),
    within: PathLike | None = None,
    in_place: bool = False,
    make_folders: bool = False,
    replace: Iterable[PathLike] = (),
) -> list[Path]:
    """Write every file or none, by the rules of this module; returns where they went.

    ``make_folders`` creates missing folders (inside ``within`` when given); folders created
    for a write that then fails are removed again. ``replace`` names the targets the command's
    job is to rewrite even without ``force`` (the selector file a staged upgrade moves on); every
    other rule still holds for them, and any other existing target still needs ``force``.
    """
    sources = list(inputs)
    replaceable = {_where(name) for name in replace}
    targets: list[tuple[Path, bytes]] = []
    seen: set[Path] = set()
    for name, data in files.items():
        parent = Path(name).parent
        if not make_folders and not parent.is_dir():
            raise WriteRefused(name, f"no folder {os.fspath(parent)!r} to write into")
        # A missing folder's real path is worked out from the part that exists, links and all.
        path = check_writable(
            name,
            force=force or _where(name) in replaceable,
            inputs=sources,
            within=within,
            in_place=in_place,
        )
        if path in seen:
            raise WriteRefused(name, "named twice")
        seen.add(path)
        targets.append((path, data))
    made: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        for path, _ in targets:
            made.extend(_make_folders(path.parent))
        for path, data in targets:
            staged.append((path, _stage(path, data)))
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


def _where(target: PathLike) -> Path:
    """``target`` with its folder's links resolved and its own name kept (as checked)."""
    given = Path(target)
    return Path(os.path.realpath(given.parent if str(given.parent) else ".")) / given.name


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
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = _temporary_name(path, "part")
        try:
            fd = os.open(temp, flags, mode)
        except FileExistsError:
            continue
        break
    else:  # pragma: no cover - 100 collisions of 48 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode != 0o666:
            os.chmod(temp, mode)  # the umask applies only to new files
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def _place_all(
    staged: list[tuple[Path, Path]], *, replace: bool, replaceable: set[Path] | None = None
) -> None:
    """Rename every staged file into place; on a failure, put back what was there.

    An existing file is replaced only when ``replace`` holds or it is one of ``replaceable``;
    any other file that appeared since the check makes the whole write fail."""
    # (target, the old file kept under another name, whether there was an old file)
    placed: list[tuple[Path, Path | None, bool]] = []
    others = replaceable or set()
    try:
        for path, temp in staged:
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
    except BaseException:
        for path, backup, existed in reversed(placed):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                elif not existed:
                    path.unlink()
        raise
    for folder in {path.parent for path, _ in staged}:
        sync_folder(folder)
    for _, backup, _existed in placed:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


#: What ``link`` answers on a file system without hard links (FAT, some network file systems).
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}
)


def link_into_place(temp: Path, path: Path) -> None:
    """Give the file ``temp`` the name ``path`` unless something has that name already:
    ``link`` fails rather than replace, where ``rename`` would replace. ``temp`` is gone after.
    """
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: rename after a last look (only a file that appears between the
        # two could be replaced).
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.rename(temp, path)
    else:
        temp.unlink()


def sync_folder(folder: Path) -> None:
    """Make the new names durable (best effort: not every system can sync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

"""Mapping a requested TFTP file name onto a directory without ever leaving it.

A TFTP client names a file with arbitrary bytes. :func:`resolve` turns that name into a path
inside a root directory, or raises :class:`PathRejected` (answered with ERROR 2, access
violation). Everything that could reach outside the root or that means something special on
another system is refused outright rather than "cleaned up", because a cleaned-up name is a name
the client did not ask for.

Policy (see ``docs/howto/serve.md``):

* one leading ``/`` is ignored: Cisco phones ask for ``/7960-font.xml``, and the served tree is
  the root the phone sees, as with tftpd-hpa's ``--secure`` and dnsmasq; but an absolute name
  whose first directory is not in the tree (``/etc/passwd``, the server's own path of a file) is
  a request for a path outside the root and is refused; a name that repeats the slash (``//x``),
  Windows drive and UNC forms (``C:\\x``, ``C:/x``) and backslashes are refused too;
* ``..`` anywhere, NUL and other control characters, Windows device names (``CON``, ``NUL``,
  ``COM1`` ... with or without an extension), names ending in a dot or a space, and over-long
  names are refused;
* symbolic links are followed only while they stay inside the root (checked on the real path);
* with ``case_insensitive`` (the default) a name that does not exist as spelled is looked up
  component by component ignoring case, because phones spell the MAC in upper or lower case.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
from pathlib import Path

__all__ = ["MAX_COMPONENT_BYTES", "MAX_NAME_BYTES", "PathRejected", "resolve", "resolve_upload"]

#: Longest file-name component accepted, in UTF-8 bytes (what common file systems allow).
MAX_COMPONENT_BYTES = 255
#: Longest whole name accepted, in UTF-8 bytes; a TFTP request is at most 512 octets anyway.
MAX_NAME_BYTES = 1024

_DEVICE = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PathRejected(Exception):
    """A requested name that is refused; ``reason`` says why (for the log, not the client)."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name!r}: {reason}")


# A fleet of phones asks for the same few names over and over; the lexical check depends on the
# name alone, so its result is kept (refused names raise, and are not kept).
@functools.lru_cache(maxsize=1024)
def _components(name: str) -> tuple[str, ...]:
    """Check ``name`` lexically and split it into its components."""
    if not name:
        raise PathRejected(name, "empty name")
    if len(name.encode("utf-8", "surrogateescape")) > MAX_NAME_BYTES:
        raise PathRejected(name, "name too long")
    if _CONTROL.search(name):
        raise PathRejected(name, "control character in name")
    if "\\" in name:
        raise PathRejected(name, "backslash in name")
    if _DRIVE.match(name):
        raise PathRejected(name, "Windows drive path")
    if name.startswith("//"):
        raise PathRejected(name, "absolute path")
    parts = [p for p in name.removeprefix("/").split("/") if p not in ("", ".")]
    if not parts:
        raise PathRejected(name, "names a directory")
    for part in parts:
        if part == "..":
            raise PathRejected(name, "parent directory reference")
        if len(part.encode("utf-8", "surrogateescape")) > MAX_COMPONENT_BYTES:
            raise PathRejected(name, "name component too long")
        if _DEVICE.match(part):
            raise PathRejected(name, "Windows device name")
        if part.endswith((".", " ")):
            raise PathRejected(name, "name ends with a dot or a space")
    return tuple(parts)


def _inside(root_real: str, path: str) -> bool:
    real = os.path.realpath(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except (OSError, ValueError):
        return None


def _find_ignoring_case(folder: str, part: str) -> str | None:
    """The entry of ``folder`` spelled like ``part`` ignoring case (first in sorted order)."""
    wanted = part.casefold()
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return None
    for entry in entries:
        if entry.casefold() == wanted:
            return entry
    return None


def _absolute(name: str) -> bool:
    return name.startswith("/")


def _walk(
    root_real: str,
    parts: tuple[str, ...],
    case_insensitive: bool,
    *,
    last_may_miss: bool,
    absolute: bool = False,
) -> str:
    """Follow ``parts`` down from ``root_real`` (a real path), one ``lstat`` per component.

    Only a symbolic link needs its real path checked: ``..`` and ``.`` are refused before, so an
    entry that is not a link lies in the real directory of its parent, which is inside the root.
    """
    current = root_real
    last = len(parts) - 1
    for index, part in enumerate(parts):
        candidate = os.path.join(current, part)
        info = _lstat(candidate)
        if info is None and case_insensitive:
            found = _find_ignoring_case(current, part)
            if found is not None:
                candidate = os.path.join(current, found)
                info = _lstat(candidate)
        is_last = index == last
        if absolute and index == 0 and not is_last and not _is_dir(candidate, info):
            # `/etc/passwd` or `/srv/other/secret`: the client means the server's file system,
            # not a folder of the tree, so this is an access violation, not a missing file.
            raise PathRejected("/" + "/".join(parts), "absolute path outside the root")
        if info is not None:
            if stat.S_ISLNK(info.st_mode) and not _inside(root_real, candidate):
                raise PathRejected("/".join(parts), "symbolic link leads out of the root")
        elif not (is_last and last_may_miss):
            raise FileNotFoundError(candidate)
        current = candidate
    return current


def _is_dir(path: str, info: os.stat_result | None) -> bool:
    if info is None:
        return False
    if stat.S_ISLNK(info.st_mode):
        return os.path.isdir(path)
    return stat.S_ISDIR(info.st_mode)


def resolve_in(root_real: str, name: str, *, case_insensitive: bool, upload: bool) -> str:
    """:func:`resolve` (or :func:`resolve_upload`) below a root given by its real path, for a
    server that takes the real path of its root once rather than for every request."""
    parts = _components(name)
    return _walk(root_real, parts, case_insensitive, last_may_miss=upload, absolute=_absolute(name))


#: Flags for opening a served file: non-blocking, so that a FIFO cannot stall the loop before it
#: is turned away (reads of a regular file never block anyway).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
#: Where the system has it, a name straight inside the root is opened without following a final
#: symbolic link: a plain file then needs no ``lstat`` of its own.
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TAKE_THE_WALK = frozenset({errno.ELOOP, errno.EMLINK, errno.ENOENT})


def open_in(root_real: str, name: str, *, case_insensitive: bool) -> tuple[int, str]:
    """Open the file ``name`` asks for inside the root (given by its real path) for reading.

    Returns the descriptor and the path. Raises as :func:`resolve` does, and
    :class:`OSError` from opening. What was opened may be a directory or a device: the caller
    checks its ``fstat``.
    """
    parts = _components(name)
    if len(parts) == 1 and _O_NOFOLLOW:
        # Most names are a file straight inside the root. Opened with O_NOFOLLOW, a symbolic
        # link fails (ELOOP; EMLINK on the BSDs) rather than being followed unchecked, and
        # takes the long way below, as does a name spelled in another case (ENOENT).
        path = os.path.join(root_real, parts[0])
        try:
            return os.open(path, _READ_FLAGS | _O_NOFOLLOW), path
        except OSError as exc:
            if exc.errno not in _TAKE_THE_WALK:
                raise
    path = resolve_in(root_real, name, case_insensitive=case_insensitive, upload=False)
    return os.open(path, _READ_FLAGS), path


def resolve(root: str | os.PathLike[str], name: str, *, case_insensitive: bool = True) -> Path:
    """The existing path inside ``root`` that ``name`` asks for.

    Raises :class:`PathRejected` for a name that is refused by policy and
    :class:`FileNotFoundError` when the name is acceptable but nothing is there.
    """
    real = os.path.realpath(root)
    return Path(resolve_in(real, name, case_insensitive=case_insensitive, upload=False))


def resolve_upload(
    root: str | os.PathLike[str], name: str, *, case_insensitive: bool = True
) -> Path:
    """The path inside ``root`` an upload of ``name`` writes to (it need not exist yet).

    The directory it goes into must exist; no directory is created for a client. Raises
    :class:`PathRejected` or :class:`FileNotFoundError` like :func:`resolve`.
    """
    real = os.path.realpath(root)
    return Path(resolve_in(real, name, case_insensitive=case_insensitive, upload=True))

"""Mapping a requested TFTP file name onto a directory without ever leaving it.

A TFTP client names a file with arbitrary bytes. The name is first judged on its own: everything
that could reach outside the root or that means something special on another system is refused
outright (:class:`PathRejected`, answered with ERROR 2, access violation) rather than "cleaned
up", because a cleaned-up name is a name the client did not ask for.

Then it is walked (:class:`ServedTree`): the root directory is opened once, and every name is
opened one component at a time from that descriptor, each step with ``openat(dir_fd, component,
O_NOFOLLOW)``. The kernel never resolves more than one component on its own and never follows a
symbolic link, so what the walk checks is what it opens: there is no moment between a check and
an open in which a file or a folder on the path can be swapped for a link that leads elsewhere.

Policy (see ``docs/howto/serve.md``):

* one leading ``/`` is ignored: Cisco phones ask for ``/7960-font.xml``, and the served tree is
  the root the phone sees, as with tftpd-hpa's ``--secure`` and dnsmasq; but an absolute name
  whose first directory is not in the tree (``/etc/passwd``, the server's own path of a file) is
  a request for a path outside the root and is refused; a name that repeats the slash (``//x``),
  Windows drive and UNC forms (``C:\\x``, ``C:/x``) and backslashes are refused too;
* ``..`` anywhere, NUL and other control characters, Windows device names (``CON``, ``NUL``,
  ``COM1`` ... with or without an extension), names ending in a dot or a space, names ending in a
  slash (a folder), and over-long names are refused;
* symbolic links are followed while they stay inside the root, by the walk itself: it reads the
  link and walks its target from the link's folder (``..`` in a target goes back up the folders
  the walk came down); an absolute target must name the root by its own path (real, or as the
  server was given it). A link that leads out of the root is refused, even one that would come
  back in; more than :data:`MAX_LINKS` links in one name is a loop (not found);
* with ``case_insensitive`` (the default) a component that does not exist as spelled is looked
  up ignoring the case of the ASCII letters, because phones spell the MAC in upper or lower
  case. Other letters must match exactly (``ſ``, U+017F, is not an ``s``). Each folder's names
  are kept in an index by their lower-case spelling, listed again only when the folder changes,
  so a name that is not there costs a look-up, not a listing of the folder.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import string
import time
import weakref
from collections import OrderedDict
from pathlib import Path
from types import TracebackType

from ciscocfg._errors import CiscoCfgError

__all__ = [
    "MAX_COMPONENT_BYTES",
    "MAX_LINKS",
    "MAX_NAME_BYTES",
    "PathRejected",
    "ServedTree",
    "resolve",
    "resolve_upload",
]

#: Longest file-name component accepted, in UTF-8 bytes (what common file systems allow).
MAX_COMPONENT_BYTES = 255
#: Longest whole name accepted, in UTF-8 bytes; a TFTP request is at most 512 octets anyway.
MAX_NAME_BYTES = 1024
#: Most symbolic links followed for one name (as Linux allows); more is taken for a loop.
MAX_LINKS = 40

_DEVICE = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PathRejected(CiscoCfgError):
    """A requested name that is refused; ``reason`` says why (for the log, not the client).

    A :class:`~ciscocfg.CiscoCfgError` like every error about bad input: here a name a TFTP client
    asked for. A read handler raises it to answer ERROR 2 (access violation).
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"{name!r}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.name, self.reason))


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
    raw = name.removeprefix("/").split("/")
    if raw[-1] in ("", "."):
        # `sub/file.txt/` asks for a folder (the system would say "not a directory" if
        # file.txt is a file); only files are served.
        raise PathRejected(name, "names a directory")
    parts = [p for p in raw if p not in ("", ".")]
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


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
#: A folder opened to be listed.
_LIST_FLAGS = os.O_RDONLY | _DIRECTORY | _CLOEXEC
#: The root (the path given may be a link), and a folder on the way down. Where the system has
#: ``O_PATH`` such a descriptor is only a place to walk on from, which needs the permission to
#: search the folder, not to read it (as a path walk does).
_ROOT_FLAGS = (getattr(os, "O_PATH", 0) or os.O_RDONLY) | _DIRECTORY | _CLOEXEC
_DIR_FLAGS = _ROOT_FLAGS | _NOFOLLOW
#: The file served: non-blocking, so that a FIFO cannot stall the loop before ``fstat`` turns it
#: away (reads of a regular file never block anyway), and never made our controlling terminal.
_FILE_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | _NOFOLLOW | _CLOEXEC
)
#: What opening a symbolic link with ``O_NOFOLLOW`` fails with: ELOOP (Linux, macOS), EMLINK
#: (the BSDs), ENOTDIR (with ``O_DIRECTORY``). Only then is the entry read as a link.
_LINK_ERRNOS = frozenset({errno.ELOOP, errno.EMLINK, errno.ENOTDIR})
#: Failures that mean "nothing to serve there" (ERROR 1) rather than "refused" (ERROR 2).
_NOT_FOUND_ERRNOS = frozenset(
    {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ELOOP, errno.ENAMETOOLONG}
)
_DENIED_ERRNOS = frozenset({errno.EACCES, errno.EPERM})
#: Out of descriptors or memory: not the name's fault, so passed on for the server to answer
#: "Server busy" and for the next request to succeed once the pressure is gone.
EXHAUSTED_ERRNOS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})

#: Whether this system can walk from a descriptor (POSIX ``openat`` and friends).
WALK_SUPPORTED = bool(
    _NOFOLLOW
    and _DIRECTORY
    and os.open in os.supports_dir_fd
    and os.stat in os.supports_dir_fd
    and os.readlink in os.supports_dir_fd
    and os.listdir in os.supports_fd
)

#: Case folding for look-ups: the 26 ASCII letters only.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

#: A listing taken less than this after the folder's last change may miss an entry made in the
#: same tick of the file system's clock (which leaves the folder's times as they were): such a
#: listing is taken again on a miss, at most once per nine times its own cost. Two seconds
#: covers the coarsest clock in use (FAT); on most file systems a tick is a few milliseconds.
_RACY_NS = 2_000_000_000
#: How much the folder indexes keep, at most: folders, and names over all folders.
_MAX_FOLDERS = 1024
_MAX_INDEXED_NAMES = 2_000_000

_OPEN, _LOCATE, _UPLOAD, _CREATE = range(4)


def refusal(name: str, exc: OSError | ValueError) -> Exception:
    """What a failure to walk to ``name`` answers: not found, permission denied, or refused;
    a lack of descriptors or memory is passed on as it is."""
    if isinstance(exc, ValueError):  # a name the file system cannot spell
        return PathRejected(name, f"unusable name: {exc}")
    if exc.errno in _NOT_FOUND_ERRNOS:
        return FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), name)
    if exc.errno in _DENIED_ERRNOS:
        return PermissionError(exc.errno, os.strerror(exc.errno), name)
    if exc.errno in EXHAUSTED_ERRNOS:
        return exc
    return PathRejected(name, f"cannot open: {exc.strerror or exc}")


def _split(path: str) -> list[str]:
    """The components of an absolute path, as written."""
    return [p for p in path.split("/") if p and p != "."]


def _link_components(target: str) -> list[str]:
    """The steps a link's target takes; a target ending in ``/`` (or ``/.``) must be a folder,
    which a final ``.`` step says (it makes the component before it a folder on the way)."""
    if not target:
        raise FileNotFoundError(errno.ENOENT, "empty symbolic link")
    steps = _split(target)
    if target == "." or target.endswith(("/", "/.")):
        steps.append(".")
    return steps


def _read_link(folder: int, entry: str) -> str | None:
    """The target of the link ``entry`` of ``folder``, or ``None`` if it is not (or no longer)
    a link."""
    try:
        return os.readlink(entry, dir_fd=folder)
    except OSError:
        return None


def _folder_state(folder: int) -> tuple[tuple[int, int], tuple[int, ...], int]:
    """A folder's identity, what changes when an entry is added or removed (modification and
    change times, size, link count), and its modification time in nanoseconds."""
    info = os.fstat(folder)
    signature = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_nlink)
    return (info.st_dev, info.st_ino), signature, info.st_mtime_ns


class _Listing:
    """The names of one folder by their ASCII-lower-case spelling, and when to list it again."""

    __slots__ = ("names", "recheck_at", "signature")

    def __init__(
        self, signature: tuple[int, ...], names: dict[str, str], recheck_at: int | None
    ) -> None:
        #: The folder's modification and change times, size and link count when it was listed.
        self.signature = signature
        self.names = names
        #: For a listing that may have missed an entry (see ``_RACY_NS``): the monotonic time
        #: after which a miss lists the folder again.
        self.recheck_at = recheck_at


class ServedTree:
    """A root directory, opened once, and a safe way down to the names below it.

    :meth:`open` opens the regular file a requested name comes to; :meth:`open_upload` opens the
    folder an upload of a name is stored in; :meth:`locate` gives the path a name comes to (for
    :func:`resolve`). All take the same walk from the root's descriptor (see the module's
    documentation). The descriptor stays open until :meth:`close`
    (or until the object is collected): like a chroot, the tree served is the one that was
    there at the start, even if its path is later given to another folder.

    ``listings`` counts the folder listings the case-insensitive look-ups have taken.
    """

    def __init__(self, root: str | os.PathLike[str], *, case_insensitive: bool = True) -> None:
        if not WALK_SUPPORTED:
            raise OSError(errno.ENOSYS, "serving a directory needs openat() and O_NOFOLLOW")
        given = os.fspath(root)
        #: The root's real path (no links), as the paths :meth:`locate` gives begin.
        self.path = os.path.realpath(given)
        self.case_insensitive = case_insensitive
        self.listings = 0
        self._steps = _split(self.path)
        # How an absolute link target may name the root: its real path, or the path given.
        self._forms = [self._steps]
        alias = _split(os.path.abspath(given))
        if alias != self._steps:
            self._forms.append(alias)
        self._index: OrderedDict[tuple[int, int], _Listing] = OrderedDict()
        self._indexed_names = 0
        fd = os.open(given, _ROOT_FLAGS)
        self._fd = fd
        self._release = weakref.finalize(self, os.close, fd)

    # --- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the root's descriptor (once)."""
        self._release()

    @property
    def closed(self) -> bool:
        return not self._release.alive

    def __enter__(self) -> ServedTree:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- what the server asks --------------------------------------------------------------

    def open(self, name: str) -> tuple[int, int]:
        """Open the regular file ``name`` asks for; its descriptor (the caller closes it) and
        size.

        Raises :class:`PathRejected` (refused by policy, or not a regular file),
        :class:`FileNotFoundError` (nothing there, a folder, a loop of links) or
        :class:`PermissionError`; no other error.
        """
        try:
            fd = self._walk(name, _OPEN)
            assert isinstance(fd, int)
            try:
                info = os.fstat(fd)
            except OSError:
                os.close(fd)
                raise
        except (OSError, ValueError) as exc:
            raise refusal(name, exc) from None
        if stat.S_ISREG(info.st_mode):
            return fd, info.st_size
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileNotFoundError(errno.ENOENT, "a folder, not a file", name)
        raise PathRejected(name, "not a regular file")

    def locate(self, name: str, *, upload: bool = False) -> str:
        """The path inside the root ``name`` comes to, links followed.

        Without ``upload`` something must be there; with it, only the folder it would go into
        (no folder is created for a client). Raises as :meth:`open` does.
        """
        try:
            path = self._walk(name, _UPLOAD if upload else _LOCATE)
        except (OSError, ValueError) as exc:
            raise refusal(name, exc) from None
        assert isinstance(path, str)
        return path

    def open_upload(self, name: str) -> tuple[int, str]:
        """The folder an upload of ``name`` is stored in, open (the caller closes the
        descriptor), and the path of the file it comes to, whose last component is its name in
        that folder (it need not exist; a link inside the root is followed to the name it
        gives). The file is to be created and named relative to the descriptor, never by the
        path: a folder on the way swapped for a link afterwards changes nothing.

        No folder is created for a client. Raises as :meth:`open` does, and
        :class:`IsADirectoryError` when the name comes to a folder (never replaced by a file).
        """
        try:
            found = self._walk(name, _CREATE)
        except (OSError, ValueError) as exc:
            if isinstance(exc, IsADirectoryError):
                raise
            raise refusal(name, exc) from None
        assert isinstance(found, tuple)
        return found

    # --- the walk --------------------------------------------------------------------------

    def _walk(self, name: str, mode: int) -> int | str | tuple[int, str]:
        """Walk ``name`` down from the root: an open descriptor (``_OPEN``), a path, or the open
        folder the last component is in and the path (``_CREATE``)."""
        parts = _components(name)
        count = len(parts)
        pending = list(reversed(parts))  # the steps still to take, the next one last
        requested_left = count  # how many of the bottom entries of ``pending`` the client sent
        # `/etc/passwd`: an absolute name whose first component is not a folder of the tree
        # means the server's file system, not the tree: refused, not "not found".
        guard_first = count > 1 and name.startswith("/")
        stack: list[int] = []  # descriptors of the folders below the root, deepest last
        names: list[str] = []  # and their names
        outside: list[str] | None = None  # where a link took the walk, while out of the root
        links = 0
        try:
            while pending:
                requested = len(pending) == requested_left
                if requested:
                    requested_left -= 1
                    if requested_left < count - 1:
                        guard_first = False  # the first component was a folder
                part = pending.pop()
                if outside is not None:
                    outside = self._step_outside(name, outside, part)
                    continue
                if part == "..":  # only ever from a link's target
                    if stack:
                        os.close(stack.pop())
                        names.pop()
                    elif self._steps:
                        outside = self._steps[:-1]
                    continue
                if part == ".":
                    continue
                here = stack[-1] if stack else self._fd
                if pending:
                    fd, target, part = self._open_entry(here, part, _DIR_FLAGS, requested)
                    if target is None:
                        stack.append(fd)
                        names.append(part)
                        continue
                elif mode == _OPEN:
                    fd, target, part = self._open_entry(here, part, _FILE_FLAGS, requested)
                    if target is None:
                        return fd
                else:
                    target, part = self._stat_entry(here, part, requested, mode != _LOCATE)
                    if target is None:
                        path = os.path.join(self.path, *names, part)
                        if mode == _CREATE:
                            return self._keep_folder(stack, part), path
                        return path
                links += 1
                if links > MAX_LINKS:
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), name)
                steps = _link_components(target)
                if target.startswith("/"):
                    while stack:
                        os.close(stack.pop())
                    names.clear()
                    outside = None if [] in self._forms else []  # unless the root is `/`
                pending.extend(reversed(steps))
            # The walk ended on a folder (a link to `.`, to `..`, to the root's own path).
            if outside is not None:
                raise PathRejected(name, "symbolic link leads out of the root")
            if mode in (_OPEN, _CREATE):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
            return os.path.join(self.path, *names)
        except (OSError, ValueError):
            if guard_first:
                raise PathRejected(name, "absolute path outside the root") from None
            raise
        finally:
            for fd in stack:
                os.close(fd)

    def _keep_folder(self, stack: list[int], entry: str) -> int:
        """The folder the walk is in, for the caller to keep (taken off ``stack``, which the
        walk closes), once ``entry`` of it is known to be no folder."""
        here = stack[-1] if stack else self._fd
        try:
            info = os.stat(entry, dir_fd=here, follow_symlinks=False)
        except FileNotFoundError:
            pass
        else:
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), entry)
        return stack.pop() if stack else os.dup(self._fd)

    def _step_outside(self, name: str, outside: list[str], part: str) -> list[str] | None:
        """One step of a link's target outside the root, taken by name only: it may only go
        back towards the root's own path. ``None`` once it is back at the root."""
        if part == "..":
            if outside:
                outside.pop()
            return outside
        if part == ".":
            return outside
        outside.append(part)
        depth = len(outside)
        for form in self._forms:
            if form[:depth] == outside:
                return None if depth == len(form) else outside
        raise PathRejected(name, "symbolic link leads out of the root")

    def _open_entry(
        self, folder: int, entry: str, flags: int, requested: bool
    ) -> tuple[int, str | None, str]:
        """Open ``entry`` of ``folder`` with ``flags`` (which hold O_NOFOLLOW): a descriptor,
        or a link's target; and the entry's name as spelled in the folder."""
        try:
            return os.open(entry, flags, dir_fd=folder), None, entry
        except OSError as exc:
            failure = exc
        if failure.errno == errno.ENOENT and requested and self.case_insensitive:
            spelled = self._find(folder, entry)
            if spelled is not None and spelled != entry:
                entry = spelled
                try:
                    return os.open(entry, flags, dir_fd=folder), None, entry
                except OSError as exc:
                    failure = exc
        if failure.errno in _LINK_ERRNOS:
            target = _read_link(folder, entry)
            if target is not None:
                return -1, target, entry
        raise failure

    def _stat_entry(
        self, folder: int, entry: str, requested: bool, may_miss: bool
    ) -> tuple[str | None, str]:
        """Look at the last component without opening it: ``(link target or None, name)``."""
        try:
            info = os.stat(entry, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            spelled = None
            if requested and self.case_insensitive:
                spelled = self._find(folder, entry)
            if spelled is None or spelled == entry:
                if may_miss:
                    return None, entry
                raise
            entry = spelled
            info = os.stat(entry, dir_fd=folder, follow_symlinks=False)
        if stat.S_ISLNK(info.st_mode):
            target = _read_link(folder, entry)
            if target is None:
                raise FileNotFoundError(errno.ENOENT, "a link that went away", entry)
            return target, entry
        return None, entry

    # --- the case-insensitive index ----------------------------------------------------------

    def _find(self, folder: int, entry: str) -> str | None:
        """The name of ``folder`` spelled like ``entry`` but for the case of ASCII letters (the
        first in sorted order if several are), or ``None``."""
        key, signature, mtime_ns = _folder_state(folder)
        listing = self._index.get(key)
        if (
            listing is None
            or listing.signature != signature
            or (listing.recheck_at is not None and time.monotonic_ns() >= listing.recheck_at)
        ):
            listing = self._list(folder, key, signature, mtime_ns)
            if listing is None:
                return None
        else:
            self._index.move_to_end(key)
        return listing.names.get(entry.translate(_ASCII_LOWER))

    def _list(
        self, folder: int, key: tuple[int, int], signature: tuple[int, ...], mtime_ns: int
    ) -> _Listing | None:
        started = time.time_ns()
        clock = time.monotonic_ns()
        try:
            fd = os.open(".", _LIST_FLAGS, dir_fd=folder)
            try:
                entries = os.listdir(fd)
            finally:
                os.close(fd)
        except OSError:
            return None  # a folder we may search but not read: no look-up ignoring case
        self.listings += 1
        names: dict[str, str] = {}
        for spelled in entries:
            folded = spelled.translate(_ASCII_LOWER)
            if spelled < names.setdefault(folded, spelled):
                names[folded] = spelled
        done = time.monotonic_ns()
        recheck_at = done + 9 * (done - clock) if started - mtime_ns < _RACY_NS else None
        listing = _Listing(signature, names, recheck_at)
        replaced = self._index.pop(key, None)
        if replaced is not None:
            self._indexed_names -= len(replaced.names)
        self._index[key] = listing
        self._indexed_names += len(names)
        while len(self._index) > 1 and (
            len(self._index) > _MAX_FOLDERS or self._indexed_names > _MAX_INDEXED_NAMES
        ):
            _key, evicted = self._index.popitem(last=False)
            self._indexed_names -= len(evicted.names)
        return listing


def resolve_in(root: str, name: str, *, case_insensitive: bool, upload: bool) -> str:
    """:func:`resolve` (or :func:`resolve_upload`) as a string, for one look-up."""
    with ServedTree(root, case_insensitive=case_insensitive) as tree:
        return tree.locate(name, upload=upload)


def resolve(root: str | os.PathLike[str], name: str, *, case_insensitive: bool = True) -> Path:
    """The existing path inside ``root`` that ``name`` asks for, links inside the root followed.

    Raises :class:`PathRejected` for a name that is refused by policy and
    :class:`FileNotFoundError` when the name is acceptable but nothing is there. A path is only
    a name, and what it names may change before it is opened: the server itself never opens a
    file by its path, it opens each step of the walk from the one before.
    """
    return Path(resolve_in(os.fspath(root), name, case_insensitive=case_insensitive, upload=False))


def resolve_upload(
    root: str | os.PathLike[str], name: str, *, case_insensitive: bool = True
) -> Path:
    """The path inside ``root`` an upload of ``name`` writes to (it need not exist yet).

    The directory it goes into must exist; no directory is created for a client. Raises
    :class:`PathRejected` or :class:`FileNotFoundError` like :func:`resolve`.
    """
    return Path(resolve_in(os.fspath(root), name, case_insensitive=case_insensitive, upload=True))

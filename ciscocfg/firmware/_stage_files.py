"""The files of a step: where they are among the unpacked bundles and in the TFTP root, which
ones a step needs (by the rules :func:`~ciscocfg.firmware.reach` follows), and the
``OS79XX.TXT`` that goes with them."""

from __future__ import annotations

import os
from pathlib import Path

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError, ValidationError
from ciscocfg.firmware._loads import parse_loads
from ciscocfg.firmware._names import FirmwareImage, FirmwareNameError, Role, parse
from ciscocfg.firmware._reach import _same, _ships_loads, _signs
from ciscocfg.firmware._stage_model import FileStatus, StagedFile
from ciscocfg.firmware._upgrade import (
    OS79XX,
    UpgradeStep,
    _release,
    boots_by_loads,
)

__all__ = ["Bundles", "Needs", "Root", "collect", "selector_file"]


# --- where the files are --------------------------------------------------------------------


class Bundles:
    """Every file under the folder of unpacked bundles, by name (sub-folders included)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.exact: dict[str, list[Path]] = {}
        self.folded: dict[str, list[Path]] = {}
        for dirpath, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = Path(dirpath) / name
                self.exact.setdefault(name, []).append(path)
                self.folded.setdefault(name.casefold(), []).append(path)

    def find(self, name: str) -> list[Path]:
        """The files named ``name``; failing that, those named so in another letter case (the
        phone asks for the exact name, which is the name the copy gets)."""
        return self.exact.get(name) or self.folded.get(name.casefold(), [])

    def same_release(self, image: FirmwareImage, extension: str) -> list[str]:
        """Names of files of the bundles that are ``image`` spelled another way."""
        found = []
        for name in self.exact:
            if not name.endswith(extension) or name == image.name + extension:
                continue
            try:
                other = parse(name)
            except FirmwareNameError:
                continue
            if _same(other, image):
                found.append(name)
        return sorted(found)


class Root:
    """The TFTP root's files, read as the phone would get them (exact names, no folders up)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[str, bytes | None] = {}

    def get(self, name: str) -> bytes | None:
        """The bytes of ``name`` (``None``: no such file, or one that cannot be read)."""
        if name not in self._cache:
            path = self.folder / name
            data: bytes | None = None
            if ".." not in Path(name).parts and path.is_file():
                try:
                    data = path.read_bytes()
                except OSError:
                    data = None
            self._cache[name] = data
        return self._cache[name]

    def names(self, folder: str = "") -> list[str]:
        """The names of the files at the top of the root, or in its sub-folder ``folder``
        (``"dir/"``), as the phone asks for them."""
        if ".." in Path(folder).parts:
            return []  # what a phone asks for never leaves the root
        try:
            return sorted(folder + p.name for p in (self.folder / folder).iterdir() if p.is_file())
        except OSError:
            return []


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{path}: cannot be read ({exc.strerror})") from None


def _locate(name: str, why: str, bundles: Bundles, root: Root, *, force: bool) -> StagedFile:
    found = bundles.find(name)
    here = root.get(name)
    if not found:
        if here is not None:
            return StagedFile(name, "in-root", why)
        return StagedFile(name, "missing", why)
    contents: dict[bytes, Path] = {}
    for path in found:
        contents.setdefault(_read(path), path)
    where = tuple(str(path) for path in found)
    if len(contents) > 1:
        return StagedFile(name, "ambiguous", why, candidates=where)
    data, path = next(iter(contents.items()))
    origin = str(path)
    if here is None:
        return StagedFile(name, "new", why, origin, data=data)
    if here == data:
        return StagedFile(name, "same", why, origin, data=data)
    return StagedFile(name, "replace" if force else "differs", why, origin, data=data)


# --- what the step needs --------------------------------------------------------------------


def _package_parts(loads: StagedFile, root: Root) -> tuple[tuple[str, ...], Diagnostic | None]:
    """The files a ``.loads`` of the bundles (or of the root) names."""
    data = loads.data if loads.data is not None else root.get(loads.name)
    if data is None or loads.status == "ambiguous":
        return (), None
    try:
        return parse_loads(data, source=loads.name).files, None
    except CiscoCfgError as exc:
        where = loads.source or loads.name
        return (), Diagnostic(
            "STG031",
            "error",
            f"{where} is not a .loads descriptor a phone can read "
            f"({getattr(exc, 'message', exc)}): which files the load needs is not known",
            source=loads.name,
        )


def _loader_of(image: FirmwareImage, parts: tuple[str, ...]) -> FirmwareImage:
    """The image an old loader should fetch for a ``.loads`` package: the universal application
    loader the package names, or the image itself where it names none (SCCP packages carry a
    loader of the application's own name)."""
    for part in parts:
        try:
            named = parse(part)
        except FirmwareNameError:
            continue
        if named.role is Role.LOADER:
            return parse(named.name)
    if not parts and "-" in image.name:
        # The package is not at hand: SIP and MGCP packages carry the hyphenated loader.
        loader = parse("P003" + image.name[4:])
        if loader.role is Role.LOADER:
            return loader
    return image


class Needs:
    """The files of the staged steps, in the order the phone asks for them."""

    def __init__(self, bundles: Bundles, root: Root, *, force: bool) -> None:
        self.bundles = bundles
        self.root = root
        self.force = force
        self.files: dict[str, StagedFile] = {}
        self.findings: list[Diagnostic] = []
        #: The parts each staged ``.loads`` names.
        self.parts: dict[str, tuple[str, ...]] = {}

    def add(self, name: str, why: str) -> StagedFile:
        if name not in self.files:
            self.files[name] = _locate(name, why, self.bundles, self.root, force=self.force)
        return self.files[name]

    def one_file(self, image: FirmwareImage, running: FirmwareImage, why: str) -> None:
        """An image a loader older than the universal one fetches as one file."""
        extension = ".sbn" if _signs(running) else ".bin"
        form = "signed" if _signs(running) else "unsigned"
        self.add(
            image.name + extension,
            f"{why}; {_release(running)} fetches it as the {form} {extension} file",
        )

    def package(self, image: FirmwareImage, why: str) -> tuple[str, ...]:
        """``<image>.loads`` and every file it names."""
        loads = self.add(f"{image.name}.loads", why)
        parts, problem = _package_parts(loads, self.root)
        if problem is not None:
            self.findings.append(problem)
        for part in parts:
            self.add(part, f"named by {loads.name}")
        self.parts[loads.name] = parts
        return parts


def collect(
    running: FirmwareImage, steps: tuple[UpgradeStep, ...], needs: Needs
) -> FirmwareImage | None:
    """Add the files of ``steps`` to ``needs``; returns the image OS79XX.TXT should name (for a
    79x0), or ``None``."""
    selector: FirmwareImage | None = None
    before = running
    for number, step in enumerate(steps):
        image = step.image
        if step.named_in == (OS79XX,):
            if number == 0:
                selector = image
            what = (
                "the universal application loader"
                if image.role is Role.LOADER
                else f"the {_release(image)} application"
            )
            needs.one_file(image, before, f"{what} OS79XX.TXT names")
            if image.role is Role.APPLICATION and _ships_loads(image):
                # The loader of a .loads-era image goes on to fetch its package.
                needs.package(image, f"the package of {image}")
        elif _ships_loads(image) or (image.family == "7940/7960" and boots_by_loads(before)):
            # The universal loader asks for <image>.loads whatever the image's era.
            parts = needs.package(image, f"the package of {image}, named by the configuration")
            if number == 0 and image.family == "7940/7960":
                selector = _loader_of(image, parts) if _ships_loads(image) else image
        elif image.family == "7940/7960":
            needs.one_file(image, before, f"{image}, named by image_version")
            if number == 0:
                selector = image
        else:
            needs.findings.append(
                Diagnostic(
                    "STG031",
                    "error",
                    f"which files a phone fetches for {image} is not known: no rules are known "
                    f"for the {image.family}",
                )
            )
        before = image
    return selector


# --- OS79XX.TXT -----------------------------------------------------------------------------


def _taken(named: FirmwareImage | None, running: FirmwareImage) -> bool:
    """Does an OS79XX.TXT naming ``named`` hold the step that brought the phone to
    ``running`` (the running image itself, or its universal loader)?"""
    if named is None:
        return False
    if _same(named, running):
        return True
    return (
        named.role is Role.LOADER
        and named.family == running.family
        and named.version == running.version
    )


def selector_file(
    selector: FirmwareImage, running: FirmwareImage, root: Root, *, force: bool
) -> StagedFile:
    """``OS79XX.TXT`` naming ``selector``: new (with CRLF, as Cisco's samples end), the same, or
    the existing file with only its first line changed, which needs ``force`` unless it names
    the step already taken (the running image or its universal loader)."""
    from ciscocfg import os79xx
    from ciscocfg._text import decode_bytes, encode_text

    why = f"names {selector} for a loader older than the universal one"
    existing = root.get(OS79XX)
    if existing is None:
        return StagedFile(OS79XX, "new", why, data=f"{selector.name}\r\n".encode("ascii"))
    doc = os79xx.loads(decode_bytes(existing), strict=False)
    previous = doc.text or None
    if doc.text == selector.name and not doc.leading and not doc.trailing:
        return StagedFile(OS79XX, "same", why, previous=previous, data=existing)
    # Only the first line changes: its blanks go, the line ending and any later lines stay.
    data = encode_text(doc.with_image(selector).dumps())
    if _taken(doc.image, running):
        status: FileStatus = "update"
    else:
        status = "replace" if force else "differs"
    return StagedFile(OS79XX, status, why, previous=previous, data=data)

"""``OS79XX.TXT``: the one-line protocol selector read by pre-universal-loader 79x0 images.

The file holds one image name without extension. An old loader compares the first four
characters with the image it runs and, when they differ, fetches the named image — which is how
a phone is flipped between SCCP (``P003…``), SIP (``P0S3…``) and MGCP (``P0M3…``). Whatever is
around the name (a trailing blank, the line ending, further lines) is kept so that
``dumps(loads(text)) == text``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import attrs

from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._placeholders import has_placeholder
from ciscocfg._reads import unreadable_finding, unreadable_text
from ciscocfg._text import PathOrFile, decode_bytes, encode_text, read_source, write_target
from ciscocfg.firmware import (
    EXTENSIONS,
    FirmwareImage,
    FirmwareNameError,
    ImageRole,
    boots_by_loads,
    parse,
)

__all__ = ["OsImage", "dump", "dumps", "load", "loads", "validate"]

_FIRST_LINE = re.compile(
    r"(?P<lead>[ \t]*)(?P<name>[^\r\n]*?)(?P<trail>[ \t]*)(?P<nl>\r\n|\r|\n|(?![\s\S]))"
)


@attrs.frozen
class OsImage:
    """The parsed file: the image name and every byte around it.

    ``image`` is the decoded name, or ``None`` when the file was read with ``strict=False`` and
    the name is not a Cisco image name (a template placeholder, a typo); :func:`validate` then
    says what is wrong.
    """

    #: The name as written, without surrounding blanks.
    text: str
    image: FirmwareImage | None
    #: Blanks before the name.
    leading: str = ""
    #: Blanks after the name (they make some loaders ask for a file that does not exist).
    trailing: str = ""
    #: The line ending after the name (``""`` when the file does not end with one).
    newline: str = ""
    #: Anything after the first line; loaders read only the first line.
    rest: str = ""
    #: The file name it was read from, when known: what :func:`validate`'s findings carry.
    source: str | None = attrs.field(default=None, eq=False)

    def dumps(self) -> str:
        """The file text, exactly as parsed (after edits made with :meth:`with_image`)."""
        return self.leading + self.text + self.trailing + self.newline + self.rest

    def with_image(self, name: str | FirmwareImage) -> OsImage:
        """A copy naming another image; line ending and extra lines kept, blanks dropped."""
        image = name if isinstance(name, FirmwareImage) else parse(name)
        return attrs.evolve(self, text=str(image), image=image, leading="", trailing="")


def loads(text: str, *, strict: bool = True, source: str | None = None) -> OsImage:
    """Parse ``OS79XX.TXT`` text.

    strict: a first line that is not a Cisco image name (blanks around it allowed) raises
    :class:`~ciscocfg.firmware.FirmwareNameError`, with the corrected name as its suggestion
    where one is known. Not strict: the text is kept and ``image`` is ``None``.
    """
    m = _FIRST_LINE.match(text)
    assert m is not None  # every part of the pattern may be empty
    name = m["name"]
    image: FirmwareImage | None
    try:
        image = parse(name, source=source)
    except FirmwareNameError as err:
        if strict:
            column = len(m["lead"]) + (err.column or 1)
            raise FirmwareNameError(
                err.message.split("; did you mean")[0],
                suggestion=err.suggestion,
                column=column,
                source=source,
            ) from None
        image = None
    return OsImage(
        text=name,
        image=image,
        leading=m["lead"],
        trailing=m["trail"],
        newline=m["nl"],
        rest=text[m.end() :],
        source=source,
    )


def dumps(doc: OsImage) -> str:
    """The file text of ``doc``."""
    return doc.dumps()


def load(source: PathOrFile, *, strict: bool = True) -> OsImage:
    """Read ``OS79XX.TXT`` from a path or binary file; any byte survives a :func:`dump`."""
    data, name = read_source(source)
    return loads(decode_bytes(data), strict=strict, source=name)


def dump(doc: OsImage, target: PathOrFile) -> None:
    """Write ``doc`` to a path or binary file, byte for byte.

    A path is replaced whole or not at all (a temporary file renamed over it).
    """
    write_target(target, encode_text(doc.dumps()))


def _stem(filename: str) -> str:
    lowered = filename.lower()
    for ext in EXTENSIONS:
        if lowered.endswith(ext):
            return filename[: -len(ext)]
    return filename


def _available_names(available: Iterable[str] | None, root: PathOrFile | None) -> set[str] | None:
    if available is None and root is None:
        return None
    names = set(available or ())
    if root is not None and isinstance(root, (str, os.PathLike)):
        folder = Path(root)
        if folder.is_dir():
            names.update(p.name for p in folder.iterdir() if p.is_file())
    return {_stem(n) for n in names}


def validate(
    doc: OsImage,
    *,
    source: str | None = None,
    available: Iterable[str] | None = None,
    root: str | os.PathLike[str] | None = None,
) -> list[Diagnostic]:
    """Check ``OS79XX.TXT`` the way an old loader reads it.

    ``source`` is the file name the findings carry (by default the name ``doc`` was read from).
    ``available`` (file names, extensions allowed) or ``root`` (a TFTP root folder) say which
    images the server offers; without them only the file itself is checked. Codes:

    ``OS100`` no image name; ``OS101`` not a Cisco image name; ``OS102`` the letter O for a zero;
    ``OS103`` blanks around the name; ``OS104`` an extension; ``OS105`` not a 79x0 image;
    ``OS106`` the server offers the image only under another protocol letter; ``OS107`` the
    server does not offer the image; ``OS108`` lines after the first are ignored; ``OS109`` a
    ``.loads``-era application where the universal loader belongs (the 7940 story's fix).
    Shared with the other validators: ``TXT001``–``TXT003`` a file that is not text (the only
    finding then), ``TPL001`` a template placeholder where the name belongs (not judged).
    """
    source = source if source is not None else doc.source
    problem = unreadable_text(doc.dumps())
    if problem is not None:
        return [unreadable_finding(problem, source, "old loaders cannot read it")]
    found = Findings(source)

    text = doc.text
    if not text:
        found.add(
            "OS100", "error", "OS79XX.TXT names no image; the loader has nothing to fetch", 1, 1
        )
        return found.result()
    name_column = len(doc.leading) + 1
    image = doc.image
    templated = image is None and has_placeholder(text)
    if templated:
        found.placeholder(text, 1)
    elif image is None:
        try:
            parse(text)
        except FirmwareNameError as err:
            if err.suggestion is not None and "letter O" in err.message:
                found.add(
                    "OS102",
                    "error",
                    "the letter O where a zero belongs: the loader asks for a file that does "
                    "not exist",
                    1,
                    name_column + (err.column or 1) - 1,
                    suggestion=err.suggestion,
                )
            else:
                found.add(
                    "OS101",
                    "error",
                    f"{text!r} is not a Cisco image name",
                    1,
                    name_column,
                    suggestion=err.suggestion,
                )
    if doc.leading or doc.trailing:
        found.add(
            "OS103",
            "warning",
            "blanks around the image name: some loaders then ask for a file that does not "
            "exist (CSCdv19260)",
            1,
            len(doc.leading) + len(text) + 1 if doc.trailing else 1,
            suggestion=text,
        )
    if image is not None and image.extension is not None:
        found.add(
            "OS104",
            "error",
            f"the name carries the extension {image.extension!r}; the loader adds its own",
            1,
            name_column + len(image.name),
            suggestion=image.name,
        )
    if image is not None and image.family != "7940/7960":
        found.add(
            "OS105",
            "error",
            f"{image.name} is a {image.family} image; OS79XX.TXT is read only by 7940/7960 loaders",
            1,
            name_column,
        )
    if (
        image is not None
        and image.scheme == "79x0"
        and image.role is ImageRole.APPLICATION
        and boots_by_loads(image)
    ):
        loader = "P003" + image.name[4:]
        found.add(
            "OS109",
            "warning",
            f"{image.name} is a .loads-era application: loaders that read OS79XX.TXT cannot "
            f"fetch it (and a SIP loader sees the same first four characters and does "
            f"nothing); name the universal application loader {loader} here (what made a "
            "7940 move from SIP 6.3 to 8.2 in one report)",
            1,
            name_column,
            suggestion=loader,
        )
    offered = _available_names(available, root)
    if image is not None and offered is not None and image.name not in offered:
        twins = sorted(
            n
            for n in offered
            if len(n) == len(image.name)
            and n[:2] == image.name[:2]
            and n[3:] == image.name[3:]
            and n[2] != image.name[2]
        )
        if twins:
            found.add(
                "OS106",
                "error",
                f"the server offers {', '.join(twins)} but not {image.name}: the protocol "
                "letter (third character) does not match",
                1,
                name_column + 2,
                suggestion=twins[0],
            )
        else:
            found.add(
                "OS107",
                "error",
                f"the server offers no file for {image.name}",
                1,
                name_column,
            )
    if doc.rest.strip():
        found.add(
            "OS108",
            "info",
            "lines after the first are ignored by the loader",
            2,
            None,
        )
    return found.result()

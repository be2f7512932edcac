"""What a phone actually reads from a file: its bytes, not what an editor shows.

The phones read their text files byte by byte, as ASCII. Three kinds of damage make that differ
from what a person sees on screen:

- content that is not text at all: an executable, an image, a compressed archive, or text saved
  as UTF-16 or UTF-32, where every other byte is NUL. The phone finds nothing usable in it;
  :func:`unreadable` says which kind it is, so that a check says so once instead of reporting
  every line of garbage;
- characters pasted from web pages and word processors that look like blanks or quotes but are
  other bytes: no-break spaces, typographic quotes, zero-width spaces, a byte order mark. The
  phone takes each as a character like any other, so ``line1_name`` with a no-break space
  after it is another key. :data:`PASTE_DAMAGE` lists them with their repair, and
  :func:`meant` gives back the text a person meant;
- a byte order mark at the start of the file, which the phone reads as part of the first line.

Every check asks this module (through :mod:`ciscocfg.cnf`'s ``phone_view`` for the keys of a
``.cnf`` file), and ``ciscocfg fmt`` repairs exactly what :data:`PASTE_DAMAGE` lists. Standard
library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ciscocfg import _codes
from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError

__all__ = [
    "BOM",
    "CODES",
    "PASTE_DAMAGE",
    "Damage",
    "RepairRefused",
    "Unreadable",
    "meant",
    "repair",
    "unreadable",
    "unreadable_finding",
    "unreadable_text",
]

BOM = "\ufeff"

#: Codes shared by every validator that reads a text file (``.cnf``, ``RINGLIST.DAT``,
#: ``OS79XX.TXT``) and by the tree check, for content the phone cannot read as text.
CODES: dict[str, str] = {
    code: entry.meaning for code, entry in _codes.CODES.items() if code.startswith("TXT")
}

# How much of the start of a file decides its kind; enough for every magic number and for the
# byte pattern of UTF-16/32 text.
_HEAD = 4096


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why the phone cannot read a file as text: a code of :data:`CODES` and plain words."""

    code: str
    #: What the content is, e.g. ``"an ELF executable"`` or ``"UTF-16 text (little-endian)"``.
    what: str
    #: What the phone does with it and what to do, e.g. ``"save it as ASCII"``.
    advice: str

    @property
    def message(self) -> str:
        """One sentence for a finding."""
        return f"{self.what}: {self.advice}"


_COMPRESSED: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"PK\x03\x04", "a zip archive (a .docx or .odt document is one too)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"PK\x07\x08", "a zip archive"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x1f\x9d", "compress (.Z) data"),
    (b"\x04\x22\x4d\x18", "lz4-compressed data"),
)

_NOT_TEXT: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "an ELF executable"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office document"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (b"RIFF", "a RIFF (WAV or AVI) file"),
)

_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

_MAGIC_FIRST_BYTES = frozenset(magic[0] for magic, _ in (*_COMPRESSED, *_NOT_TEXT, *_WIDE_BOMS))

# Control bytes that occur in text files: tab, line feed, vertical tab, form feed, carriage
# return, escape, and the DOS end-of-file mark.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1b\x1a")
_CONTROLS = frozenset(range(0x20)) - _TEXT_CONTROLS | {0x7F}
_ALL_BUT_CONTROLS = bytes(byte for byte in range(256) if byte not in _CONTROLS)


def unreadable(data: bytes) -> Unreadable | None:
    """Why the phone cannot read ``data`` as a text file, or ``None`` when it is text.

    Compressed archives and known binary formats are recognised by their magic numbers,
    UTF-16/32 text by its byte order mark or by its pattern of NUL bytes, anything else with NUL
    bytes or mostly control bytes as binary. Text in any 8-bit encoding (ASCII, UTF-8, Latin-1)
    is text: what the phone makes of each byte is for the format's own checks.
    """
    if not data:
        return None
    if data[0] not in _MAGIC_FIRST_BYTES and b"\x00" not in data:
        return _mostly_controls(data)  # the common case: no magic number, no NUL byte
    for magic, what in _COMPRESSED:
        if data.startswith(magic) and (magic != b"BZh" or _is_bzip2(data)):
            return Unreadable(
                "TXT002",
                what,
                "the phone does not decompress what it fetches; store the file uncompressed, "
                "as plain text",
            )
    wide = _wide_text(data)
    if wide is not None:
        return wide
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            return Unreadable("TXT001", what, _NOT_TEXT_ADVICE)
    nul = data.find(b"\x00")
    if nul >= 0:
        return Unreadable(
            "TXT001", f"binary content (a NUL byte at offset {nul})", _NOT_TEXT_ADVICE
        )
    return _mostly_controls(data)


def _mostly_controls(data: bytes) -> Unreadable | None:
    head = data[:_HEAD]
    controls = len(head.translate(None, _ALL_BUT_CONTROLS))
    # A stray control byte or two is a typo in a text file; a tenth of them is no text.
    if controls * 10 > len(head) and controls >= 4:
        return Unreadable(
            "TXT001",
            f"binary content ({controls} control bytes in the first {len(head)})",
            _NOT_TEXT_ADVICE,
        )
    return None


_NOT_TEXT_ADVICE = "not a text file, the phone reads nothing usable from it"


def _is_bzip2(data: bytes) -> bool:
    # "BZh", a block size digit, then the magic of a block or of the end of the stream.
    return (
        len(data) >= 10
        and data[3:4] in {b"1", b"2", b"3", b"4", b"5", b"6", b"7", b"8", b"9"}
        and data[4:10] in {b"1AY&SY", b"\x17\x72\x45\x38\x50\x90"}
    )


def _wide_text(data: bytes) -> Unreadable | None:
    """UTF-16 or UTF-32 text, by its byte order mark or by where its NUL bytes fall."""
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return _wide(encoding, "with a byte order mark")
    if b"\x00" not in data[:_HEAD]:
        return None
    head = data[: _HEAD - _HEAD % 4]
    for encoding, unit, zero_at, text_at in (
        ("utf-32-le", 4, (2, 3), 0),
        ("utf-32-be", 4, (0, 1), 3),
        ("utf-16-le", 2, (1,), 0),
        ("utf-16-be", 2, (0,), 1),
    ):
        if _wide_pattern(head, unit, zero_at, text_at) and _decodes_as_text(head, encoding, unit):
            return _wide(encoding, "without a byte order mark")
    return None


def _wide_pattern(head: bytes, unit: int, zero_at: tuple[int, ...], text_at: int) -> bool:
    """Most code units have NUL bytes where the text of mostly ASCII has them, and the byte
    that carries an ASCII character is hardly ever NUL."""
    units = len(head) // unit
    if units < 2:
        return False
    high_zero = sum(1 for k in range(units) if all(head[k * unit + i] == 0 for i in zero_at))
    low_zero = sum(1 for k in range(units) if head[k * unit + text_at] == 0)
    return high_zero * 10 >= units * 7 and low_zero * 20 <= units


def _decodes_as_text(head: bytes, encoding: str, unit: int) -> bool:
    # The head may cut a surrogate pair in two: drop up to one unit from its end.
    for cut in (len(head), len(head) - unit):
        try:
            text = head[: cut - cut % unit].decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\t\n\r\x0b\x0c" for ch in text)
    return False


def _wide(encoding: str, how: str) -> Unreadable:
    width, order = encoding[4:6], encoding[-2:]
    endian = "little-endian" if order == "le" else "big-endian"
    return Unreadable(
        "TXT003",
        f"UTF-{width} text ({endian}, {how})",
        "the phone reads bytes, and here every character comes with NUL bytes; save it as ASCII",
    )


def unreadable_text(text: str) -> Unreadable | None:
    """:func:`unreadable` for text decoded with :func:`ciscocfg._text.decode_bytes`.

    The bytes come back exactly (undecodable bytes were kept as lone surrogates). A lone
    surrogate that stands for no byte (text built in Python) is counted as UTF-8 would write it.
    """
    # A NUL anywhere decides, and its offset is part of the message: then the whole text.
    sample = text if "\x00" in text else text[:_HEAD]
    try:
        data = sample.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = sample.encode("utf-8", "surrogatepass")
    return unreadable(data)


def unreadable_finding(
    found: Unreadable, source: str | None, consequence: str | None = None
) -> Diagnostic:
    """The one finding for a file the phone cannot read (``consequence``: what then happens)."""
    message = found.message if consequence is None else f"{found.message}; {consequence}"
    return Diagnostic(found.code, "error", message, source=source)


@dataclass(frozen=True, slots=True)
class Damage:
    """A character pasted in from a web page or a word processor, and its repair."""

    #: What it is, e.g. ``"no-break space (U+00A0)"``.
    name: str
    #: What ``ciscocfg fmt`` puts in its place (``""``: it is removed).
    repair: str
    #: ``"quote"``, ``"no-break space"`` or ``"invisible"`` (a space or mark the eye does not
    #: tell from a blank, or does not see at all).
    kind: str


def _damage(name: str, code_point: int, repair: str, kind: str) -> tuple[str, Damage]:
    return chr(code_point), Damage(f"{name} (U+{code_point:04X})", repair, kind)


#: Characters that look like a blank or an ASCII quote, or like nothing, and that the phone
#: takes as characters of their own; each with the repair ``fmt`` makes.
PASTE_DAMAGE: dict[str, Damage] = dict(
    [
        _damage("left double quotation mark", 0x201C, '"', "quote"),
        _damage("right double quotation mark", 0x201D, '"', "quote"),
        _damage("double low-9 quotation mark", 0x201E, '"', "quote"),
        _damage("left single quotation mark", 0x2018, "'", "quote"),
        _damage("right single quotation mark", 0x2019, "'", "quote"),
        _damage("single low-9 quotation mark", 0x201A, "'", "quote"),
        _damage("no-break space", 0x00A0, " ", "no-break space"),
        _damage("narrow no-break space", 0x202F, " ", "no-break space"),
        _damage("figure space", 0x2007, " ", "no-break space"),
        *(
            _damage(name, cp, " ", "invisible")
            for name, cp in (
                ("en quad", 0x2000),
                ("em quad", 0x2001),
                ("en space", 0x2002),
                ("em space", 0x2003),
                ("three-per-em space", 0x2004),
                ("four-per-em space", 0x2005),
                ("six-per-em space", 0x2006),
                ("punctuation space", 0x2008),
                ("thin space", 0x2009),
                ("hair space", 0x200A),
                ("medium mathematical space", 0x205F),
                ("ideographic space", 0x3000),
            )
        ),
        _damage("zero-width space", 0x200B, "", "invisible"),
        _damage("word joiner", 0x2060, "", "invisible"),
        _damage("soft hyphen", 0x00AD, "", "invisible"),
        _damage("byte order mark (zero-width no-break space)", 0xFEFF, "", "invisible"),
    ]
)

_REPAIRS = str.maketrans({char: damage.repair for char, damage in PASTE_DAMAGE.items()})


class RepairRefused(CiscoCfgError):
    """Content that a repair must not touch: not text, in an encoding the phones cannot read,
    or a repair that would change more than the pasted characters."""


def repair(text: str) -> str:
    """``text`` with every character of :data:`PASTE_DAMAGE` repaired, every other kept.

    A byte order mark is removed wherever it is, at the start of the file too.
    """
    return text.translate(_REPAIRS)


def meant(text: str) -> str:
    """What a person meant by ``text`` (a key, a name): paste damage repaired, blanks trimmed."""
    return repair(text).strip(" \t")

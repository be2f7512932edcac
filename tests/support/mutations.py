"""Byte-level mutations of real documents: the inputs of the differential and robustness tests.

Random text is almost never XML (or a .cnf file, or a .loads container), so a loader fed only
random input is barely exercised past its first check. These strategies start from real files
of the shared corpus (and from files built the way real ones are) and damage them the ways
files get damaged: bytes inserted, deleted, flipped or spliced in from another file, markup
tokens dropped in, the encoding declaration swapped, the whole file re-encoded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hypothesis import strategies as st

from support.paths import corpus_files

#: Corpus folders whose files are XML.
XML_KINDS = ("xmlcfg", "dialplan", "ipphone-xml", "ringlist")

#: Small pieces of markup and encoding trouble, dropped in anywhere.
TOKENS = [
    b"<",
    b">",
    b"/>",
    b"</",
    b"&",
    b"&amp;",
    b"&lt;",
    b"&#13;",
    b"&#x9;",
    b"&#10;",
    b"&#233;",
    b"&#x20AC;",
    b"&#0;",
    b"&#xD800;",
    b"&nbsp;",
    b"\r",
    b"\r\n",
    b"\n",
    b"\t",
    b" ",
    b'"',
    b"'",
    b"=",
    b":",
    b"x:",
    b' xmlns:x="urn:x"',
    b' xmlns=""',
    b' a="1"',
    b" a='\t\r\n'",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?pi data?>",
    b"<!DOCTYPE a>",
    b'<!DOCTYPE a SYSTEM "a.dtd">',
    b'<!ENTITY e "x">',
    b"\x00",
    b"\x01",
    b"\x7f",
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\xc3\xa9",
    b"\xe9",
    b"\x85",
    b"\xc2\x85",
    b"\xc2\xa0",
    b"\xe1\x9a\x80",  # U+1680: white space to Python, a name character to XML
    b"\xe2\x80\xa8",
    b"\xed\xa0\x80",  # an encoded surrogate: not UTF-8
    b"\xef\xbb\xbf",
    b"\xef\xbf\xbe",
    b"+ADw-",
    b"<\xff:a/>",
]

#: What can stand in text and attribute values, or nearly: line ends, tabs, references,
#: bytes of other encodings.
CONTENT = [
    b"\r",
    b"\r\n",
    b"\n",
    b"\t",
    b"\r\r\n",
    b" ",
    b"&#13;",
    b"&#xD;&#xA;",
    b"&#9;",
    b"&#10;",
    b"&#233;",
    b"&#x1F600;",
    b"&amp;",
    b"&quot;",
    b"&apos;",
    b"&gt;",
    b">",
    b"\xc3\xa9",
    b"\xe9",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xe1\x9a\x80",
    b"]]",
    b"]]>",
    b"'",
    b'"',
]
_CONTENT_START = re.compile(rb">|=\s*[\"']")

#: Names put into a swapped encoding declaration.
DECLARED = [
    "UTF-8",
    "utf-8",
    "UTF8",
    "ISO-8859-1",
    "iso-latin-1",
    "US-ASCII",
    "ascii",
    "latin1",
    "ISO_8859-1",
    "windows-1252",
    "cp1252",
    "ISO-8859-2",
    "ISO-8859-15",
    "UTF-7",
    "UTF-16",
    "UTF-16LE",
    "UCS-4",
    "EBCDIC-US",
    "IBM037",
    "Shift_JIS",
    "EUC-JP",
    "KOI8-R",
    "",
    "x-unknown",
]

#: Python codecs a whole document may be re-encoded in (with or without a matching declaration).
TRANSCODINGS = [
    "utf-8",
    "utf-8-sig",
    "latin-1",
    "ascii",
    "cp1252",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "cp037",
    "utf-7",
]

_DECLARATION = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*\?>")


def corpus_documents(kinds: Sequence[str]) -> list[bytes]:
    """The bytes of every corpus file of those kinds (empty without the corpus)."""
    return [path.read_bytes() for kind in kinds for path in corpus_files(kind)]


def xml_documents() -> list[bytes]:
    """The corpus files that are XML (``ringlist/`` also holds RINGLIST.DAT files)."""
    found = corpus_documents(XML_KINDS)
    return [data for data in found if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")]


def declare(data: bytes, encoding: str, *, bom: bool = False) -> bytes:
    """``data`` with its XML declaration (if any) replaced by one naming ``encoding``."""
    body = _DECLARATION.sub(b"", data, count=1)
    head = b'<?xml version="1.0" encoding="%s"?>' % encoding.encode("ascii")
    return (b"\xef\xbb\xbf" if bom else b"") + head + body


def transcode(data: bytes, codec: str) -> bytes:
    """``data`` read as UTF-8 (bad bytes as U+FFFD) and written in ``codec``."""
    text = data.decode("utf-8", "replace")
    return text.encode(codec, "xmlcharrefreplace" if codec in ("ascii", "latin-1") else "replace")


@st.composite
def mutated(draw: st.DrawFn, documents: Sequence[bytes], max_steps: int = 3) -> bytes:
    """One of ``documents`` damaged by one to ``max_steps`` mutations.

    Mutations land inside the document rather than at its ends (where anything but white space
    is merely "text outside the root element"), so that many mutants are still documents and
    are read all the way through.
    """
    data = bytearray(draw(st.sampled_from(list(documents))))
    # Positions come from a Random that Hypothesis seeds: its own integers lean to the small
    # end, which would put most mutations into the first line.
    where = draw(st.randoms(use_true_random=False))
    for _ in range(draw(st.integers(1, max_steps))):
        op = draw(
            st.sampled_from(
                [
                    "insert",
                    "delete",
                    "flip",
                    "splice",
                    "token",
                    "content",
                    "content",
                    "declare",
                    "transcode",
                ]
            )
        )
        at = where.randint(1, max(1, len(data) - 2))
        if op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif op == "delete":
            del data[at : at + draw(st.sampled_from([1, 1, 2, 3, 8, 16]))]
        elif op == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "splice":
            other = draw(st.sampled_from(list(documents)))
            start = where.randint(0, len(other))
            data[at:at] = other[start : start + draw(st.integers(1, 64))]
        elif op == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif op == "content":
            starts = [m.end() for m in _CONTENT_START.finditer(data)]
            if starts:
                at = starts[where.randrange(len(starts))]
                data[at:at] = draw(st.sampled_from(CONTENT))
        elif op == "declare":
            data = bytearray(
                declare(bytes(data), draw(st.sampled_from(DECLARED)), bom=draw(st.booleans()))
            )
        elif op == "transcode":
            codec = draw(st.sampled_from(TRANSCODINGS))
            if draw(st.booleans()):
                data = bytearray(declare(bytes(data), codec.upper().replace("-SIG", "")))
            data = bytearray(transcode(bytes(data), codec))
    return bytes(data)

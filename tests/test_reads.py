"""What the phone reads of a file's bytes: text or not, and the characters pasted into it."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ciscocfg._reads import PASTE_DAMAGE, meant, repair, unreadable, unreadable_text
from ciscocfg._text import decode_bytes

# Formats' magic numbers, and UTF-16's byte order marks read as Latin-1 (an empty UTF-16 file).
_MAGIC_STARTS = (
    "BZh",
    "%PDF-",
    "GIF8",
    "RIFF",
    "{\\rtf",
    "PK",
    "7z",
    "\u00fe\u00ff",
    "\u00ff\u00fe",
)
_text_chars = st.characters(
    blacklist_categories=("Cc", "Cs", "Co", "Cn"), blacklist_characters="\ufeff"
)
texts = st.text(alphabet=st.one_of(_text_chars, st.sampled_from("\t\r\n")), min_size=1)
ascii_texts = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\t\r\n"),
    min_size=2,
)


@given(st.binary())
def test_any_bytes_are_judged_without_error_and_the_same_as_their_text(data: bytes) -> None:
    found = unreadable(data)
    assert unreadable_text(decode_bytes(data)) == found
    if found is not None:
        assert found.code in {"TXT001", "TXT002", "TXT003"}
        assert found.message.startswith(found.what)


_latin1_texts = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0xA0, max_codepoint=0xFF),
        st.sampled_from("\t\r\n"),
    ),
    min_size=1,
)


@given(
    st.one_of(
        st.tuples(texts, st.just("utf-8")),
        st.tuples(_latin1_texts, st.sampled_from(["latin-1", "cp1252"])),
    )
)
def test_text_in_an_8_bit_encoding_is_text(case: tuple[str, str]) -> None:
    text, encoding = case
    assume(not text.startswith(_MAGIC_STARTS))
    assert unreadable(text.encode(encoding)) is None


@given(texts, st.sampled_from(["utf-16", "utf-32"]))
def test_wide_text_with_a_byte_order_mark(text: str, encoding: str) -> None:
    found = unreadable(text.encode(encoding))
    assert found is not None
    assert found.code == "TXT003"
    assert f"UTF-{encoding[4:]} text" in found.message
    assert "save it as ASCII" in found.message


@given(ascii_texts, st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_wide_text_without_a_byte_order_mark(text: str, encoding: str) -> None:
    found = unreadable(text.encode(encoding))
    assert found is not None
    assert found.code == "TXT003"
    endian = "little-endian" if encoding.endswith("le") else "big-endian"
    assert f"UTF-{encoding[4:6]} text ({endian}, without a byte order mark)" in found.message


def _zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("SIPDefault.cnf", data)
    return out.getvalue()


@given(st.binary(), st.sampled_from([gzip.compress, bz2.compress, lzma.compress, _zip]))
def test_compressed_content(data: bytes, compress: object) -> None:
    found = unreadable(compress(data))  # type: ignore[operator]
    assert found is not None
    assert found.code == "TXT002"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + bytes(200), "an ELF executable"),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "a PNG image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"{\\rtf1\\ansi proxy1_address: 10.0.0.5\\par}", "an RTF document"),
        (b"line1_name: 201\n\x00\x00\x00\x00", "a NUL byte at offset 16"),
        (bytes(range(1, 32)) * 4, "control bytes"),
    ],
)
def test_not_text(data: bytes, what: str) -> None:
    found = unreadable(data)
    assert found is not None
    assert found.code == "TXT001"
    assert what in found.message


def test_text_with_a_few_odd_bytes_is_text() -> None:
    assert unreadable(b"") is None
    assert unreadable(b"line1_name: 201\r\n\x1a") is None  # a DOS end-of-file mark
    assert unreadable(b"\xef\xbb\xbfline1_name: 201\n") is None  # a UTF-8 BOM: text, misread
    assert unreadable(b"BZh is not bzip2 without its block magic\n") is None


@given(st.text())
def test_repair_leaves_no_pasted_character_and_touches_nothing_else(text: str) -> None:
    fixed = repair(text)
    assert not set(fixed) & set(PASTE_DAMAGE)
    assert fixed == "".join(PASTE_DAMAGE[c].repair if c in PASTE_DAMAGE else c for c in text)


def test_meant() -> None:
    assert meant("\ufeffline1_name") == "line1_name"
    assert meant("line1_name\u00a0") == "line1_name"
    assert meant("\u200bproxy1_\u00adaddress") == "proxy1_address"
    assert meant("\u201cx\u201d") == '"x"'
    assert meant("proxy1_adress") == "proxy1_adress"

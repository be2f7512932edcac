"""OS79XX.TXT: byte-exact round trip, strict and tolerant reading, validation codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import corpus_params

from ciscocfg import ParseError, os79xx
from ciscocfg.firmware import FirmwareNameError, Protocol, Role


@pytest.mark.parametrize("path", corpus_params("os79xx"))
def test_corpus_round_trip(path: Path) -> None:
    data = path.read_bytes()
    doc = os79xx.load(path, strict=False)
    out = io.BytesIO()
    os79xx.dump(doc, out)
    assert out.getvalue() == data


def test_real_file_decodes() -> None:
    doc = os79xx.loads("P0S3-8-12-00\r\n")
    assert doc.image is not None
    assert doc.image.protocol is Protocol.SIP
    assert doc.image.version == (8, 12, 0)
    assert doc.newline == "\r\n"
    assert doc.dumps() == "P0S3-8-12-00\r\n"
    # Naming a .loads-era SIP application here is what failed in the 7940 story.
    [diag] = os79xx.validate(doc)
    assert (diag.code, diag.severity, diag.suggestion) == ("OS109", "warning", "P003-8-12-00")
    assert os79xx.validate(doc.with_image("P003-8-12-00")) == []
    assert os79xx.validate(os79xx.loads("P0S3-06-3-00")) == []


def test_trailing_blank_kept_and_flagged() -> None:
    # The dbaldree sample: a space and a bare CR after the name.
    doc = os79xx.loads("P0S3-8-12-00 \r")
    assert (doc.text, doc.trailing, doc.newline) == ("P0S3-8-12-00", " ", "\r")
    assert os79xx.dumps(doc) == "P0S3-8-12-00 \r"
    diag = next(d for d in os79xx.validate(doc) if d.code == "OS103")
    assert (diag.code, diag.severity, diag.column) == ("OS103", "warning", 13)
    assert diag.suggestion == "P0S3-8-12-00"


def test_template_placeholder_is_tolerated_only_when_asked() -> None:
    with pytest.raises(ParseError):
        os79xx.loads("{$image_name}")
    doc = os79xx.loads("{$image_name}", strict=False)
    assert doc.image is None
    # Which image the template names is unknown: one info, not "not an image name".
    assert [(d.code, d.severity) for d in os79xx.validate(doc)] == [("TPL001", "info")]


def test_letter_o() -> None:
    with pytest.raises(FirmwareNameError) as info:
        os79xx.loads("POS3-08-2-00\n")
    assert info.value.suggestion == "P0S3-08-2-00"
    assert (info.value.line, info.value.column) == (1, 2)
    doc = os79xx.loads("POS3-08-2-00\n", strict=False)
    diag = os79xx.validate(doc, source="OS79XX.TXT")[0]
    assert (diag.code, diag.severity, diag.column) == ("OS102", "error", 2)
    assert diag.suggestion == "P0S3-08-2-00"
    assert str(diag).startswith("OS79XX.TXT:1:2: error OS102")


def test_extension_and_foreign_family() -> None:
    codes = [d.code for d in os79xx.validate(os79xx.loads("P0S3-8-12-00.sb2\n"))]
    assert sorted(codes) == ["OS104", "OS109"]
    assert [d.code for d in os79xx.validate(os79xx.loads("SIP41.9-4-2SR3-1S"))] == ["OS105"]
    assert [d.code for d in os79xx.validate(os79xx.loads("", strict=False))] == ["OS100"]


def test_the_story_flip_to_the_loader() -> None:
    """The tree offers the loader P003-08-2-00 and the SIP package; OS79XX.TXT names the app."""
    tree = ["P003-08-2-00.bin", "P003-08-2-00.sbn", "P0S3-08-2-00.loads", "P0S3-08-2-00.sb2"]
    before = os79xx.loads("P0S3-08-2-00\r\n")
    assert [d.code for d in os79xx.validate(before, available=tree)] == ["OS109"]
    after = before.with_image("P003-08-2-00")
    assert after.dumps() == "P003-08-2-00\r\n"
    assert after.image is not None
    assert after.image.role is Role.LOADER
    # Only the SCCP-lettered twin is offered: the protocol letter does not match.
    only_loader = ["P003-08-2-00.bin"]
    [diag, _] = sorted(os79xx.validate(before, available=only_loader), key=lambda d: d.code)
    assert (diag.code, diag.suggestion, diag.column) == ("OS106", "P003-08-2-00", 3)
    [missing] = os79xx.validate(after, available=["P0S3-8-12-00.loads"])
    assert missing.code == "OS107"


def test_root_folder(tmp_path: Path) -> None:
    (tmp_path / "P003-08-2-00.bin").write_bytes(b"x")
    (tmp_path / "OS79XX.TXT").write_bytes(b"P003-08-2-00\r\n")
    doc = os79xx.load(tmp_path / "OS79XX.TXT")
    assert os79xx.validate(doc, root=tmp_path) == []
    assert [d.code for d in os79xx.validate(doc.with_image("P003-8-12-00"), root=tmp_path)] == [
        "OS107"
    ]


def test_extra_lines_are_kept_and_reported() -> None:
    text = "P003-8-12-00\nP0S3-8-12-00\n"
    doc = os79xx.loads(text)
    assert doc.dumps() == text
    [diag] = os79xx.validate(doc)
    assert (diag.code, diag.line) == ("OS108", 2)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_tolerant_round_trip_of_anything(text: str) -> None:
    doc = os79xx.loads(text, strict=False)
    assert doc.dumps() == text
    for diag in os79xx.validate(doc):
        assert diag.code.startswith(("OS", "TXT", "TPL"))


@given(st.binary(max_size=40))
def test_bytes_round_trip(data: bytes) -> None:
    doc = os79xx.load(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    os79xx.dump(doc, out)
    assert out.getvalue() == data


@given(st.text(max_size=30))
def test_strict_raises_only_parse_error(text: str) -> None:
    error: ParseError | None = None
    try:
        doc = os79xx.loads(text)
    except ParseError as err:
        error = err
    if error is None:
        assert doc.image is not None
        assert doc.dumps() == text


def test_content_that_is_not_text_is_one_finding() -> None:
    for data, code in (
        (b"\x1f\x8b\x08\x00" + bytes(30), "TXT002"),
        ("P0S3-08-12-00\r\n".encode("utf-16-le"), "TXT003"),
    ):
        doc = os79xx.load(io.BytesIO(data), strict=False)
        found = os79xx.validate(doc, source="OS79XX.TXT")
        assert [(d.code, d.severity) for d in found] == [(code, "error")]

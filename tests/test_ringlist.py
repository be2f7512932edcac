"""RINGLIST.DAT: byte-exact round trip, tolerant reading, validation against a TFTP root."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import corpus_cases, corpus_files

from ciscocfg import ParseError, ValidationError, ringlist
from ciscocfg.ringlist import BlankLine, InvalidLine, Ring

DAT_FILES = [p for p in corpus_files("ringlist") if p.name.upper().endswith(".DAT")]


@pytest.mark.parametrize("path", corpus_cases(DAT_FILES, [p.name for p in DAT_FILES]))
def test_corpus_round_trip(path: Path) -> None:
    data = path.read_bytes()
    doc = ringlist.load(path)
    out = io.BytesIO()
    ringlist.dump(doc, out)
    assert out.getvalue() == data
    assert len(doc.rings) >= 1


def test_provisioner_sample_fields() -> None:
    text = "Piano 1\t\tPiano1.raw \nOhno\t\tOhno.raw \nPiano 2\t\tPiano2.raw"
    doc = ringlist.loads(text)
    assert [(r.display_name, r.filename) for r in doc.rings] == [
        ("Piano 1", "Piano1.raw"),
        ("Ohno", "Ohno.raw"),
        ("Piano 2", "Piano2.raw"),
    ]
    first = doc.rings[0]
    assert (first.separator, first.trailing, first.newline) == ("\t\t", " ", "\n")
    assert doc.rings[-1].newline == ""
    assert doc.dumps() == text
    assert [d.code for d in ringlist.validate(doc)] == ["RL107", "RL107"]


def test_crlf_and_final_blank_line() -> None:
    text = "CTU24raw\tCTU24raw.raw\r\n\r\n"
    doc = ringlist.loads(text)
    assert doc.lines == [Ring("CTU24raw", "CTU24raw.raw", newline="\r\n"), BlankLine("", "\r\n")]
    assert doc.newline == "\r\n"
    assert ringlist.dumps(doc) == text


def test_spaces_instead_of_tab() -> None:
    doc = ringlist.loads("Old Phone  OldPhone.raw\n")
    [ring] = doc.rings
    assert (ring.display_name, ring.separator, ring.filename) == ("Old Phone", "  ", "OldPhone.raw")
    [diag] = ringlist.validate(doc)
    assert (diag.code, diag.severity, diag.line, diag.column) == ("RL101", "error", 1, 10)
    assert diag.suggestion == "Old Phone\tOldPhone.raw"


def test_single_word_line() -> None:
    with pytest.raises(ParseError) as info:
        ringlist.loads("Chirp\tChirp.raw\nBroken\n", source="RINGLIST.DAT")
    assert (info.value.line, info.value.source) == (2, "RINGLIST.DAT")
    doc = ringlist.loads("Chirp\tChirp.raw\nBroken\n", strict=False)
    assert doc.lines[1] == InvalidLine("Broken", "\n")
    assert [d.code for d in ringlist.validate(doc)] == ["RL100"]


def test_limits_and_names() -> None:
    long_name = "A display name that is far too long"
    text = "".join(f"Ring {i}\tring{i}.raw\n" for i in range(51))
    text += f"{long_name}\tan_audio_file_name_too_long.raw\nRing 0\tother.wav\n"
    codes = [d.code for d in ringlist.validate(ringlist.loads(text))]
    assert codes.count("RL102") == 1
    assert codes.count("RL103") == 1
    assert codes.count("RL108") == 1
    assert codes.count("RL109") == 1
    assert codes.count("RL104") == 1
    assert [d.code for d in ringlist.validate(ringlist.loads(""))] == ["RL110"]
    assert [d.code for d in ringlist.validate(ringlist.loads("\tBell.raw\n"))] == ["RL112"]
    with pytest.raises(ParseError):
        ringlist.loads("Bell\t \n")


def test_files_in_a_tree(tmp_path: Path) -> None:
    good = b"\xff" + bytes([0x90]) * 478 + b"\xff"
    (tmp_path / "Chirp.raw").write_bytes(good)
    (tmp_path / "piano1.raw").write_bytes(good)
    (tmp_path / "Click.raw").write_bytes(bytes([0x80]) * 250)
    doc = ringlist.loads("Chirp\tChirp.raw\nPiano\tPiano1.raw\nGone\tGone.raw\nClick\tClick.raw\n")
    found = ringlist.validate(doc, tmp_path)
    by_line = {(d.line, d.code) for d in found}
    assert (2, "RL106") in by_line
    assert (3, "RL105") in by_line
    assert not any(line == 1 for line, _ in by_line)
    audio = [d for d in found if d.code == "RL111"]
    assert {d.message.split()[1] for d in audio} == {"RT103", "RT104", "RT105"}
    assert next(d for d in found if d.code == "RL106").suggestion == "piano1.raw"
    assert not any(d.code == "RL111" for d in ringlist.validate(doc, tmp_path, check_audio=False))


def test_append_keeps_the_file_shape() -> None:
    doc = ringlist.loads("Chirp\tChirp.raw\r\n\r\n")
    doc.append("Piano 1", "Piano1.raw")
    assert doc.dumps() == "Chirp\tChirp.raw\r\nPiano 1\tPiano1.raw\r\n\r\n"
    doc = ringlist.loads("Chirp\tChirp.raw")
    doc.append("Bell", "Bell.raw")
    assert doc.dumps() == "Chirp\tChirp.raw\r\nBell\tBell.raw"
    assert len(doc) == 2
    assert [r.filename for r in doc] == ["Chirp.raw", "Bell.raw"]
    with pytest.raises(ValidationError):
        doc.append("Tab\there", "x.raw")


_field = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\t\r\n"), min_size=1, max_size=12
).filter(lambda s: s.strip(" ") == s and s != "")
_ring_line = st.builds(
    lambda n, sep, f, trail, nl: f"{n}{sep}{f}{trail}{nl}",
    _field,
    st.sampled_from(["\t", "\t\t", "\t ", "\t\t\t"]),
    _field,
    st.sampled_from(["", " ", "  ", "\t"]),
    st.sampled_from(["\r\n", "\n", "\r"]),
)


@given(st.lists(st.one_of(_ring_line, st.sampled_from(["\r\n", "\n", " \n"])), max_size=8))
def test_generated_lists_round_trip(lines: list[str]) -> None:
    text = "".join(lines)
    doc = ringlist.loads(text)
    assert doc.dumps() == text
    assert all("\t" not in r.filename for r in doc.rings)


@given(st.text(max_size=60))
def test_anything_round_trips_when_tolerant(text: str) -> None:
    doc = ringlist.loads(text, strict=False)
    assert doc.dumps() == text
    for diag in ringlist.validate(doc):
        assert diag.code.startswith(("RL", "TXT", "TPL"))


@given(st.text(max_size=60))
def test_strict_raises_only_parse_error(text: str) -> None:
    error: ParseError | None = None
    try:
        doc = ringlist.loads(text)
    except ParseError as err:
        error = err
    if error is None:
        assert doc.dumps() == text
    else:
        assert error.line is not None


@given(st.binary(max_size=60))
def test_bytes_round_trip(data: bytes) -> None:
    out = io.BytesIO()
    ringlist.dump(ringlist.load(io.BytesIO(data), strict=False), out)
    assert out.getvalue() == data


def test_content_that_is_not_text_is_one_finding() -> None:
    for data, code in (
        (b"\x7fELF\x02\x01\x01\x00" + b"Chirp Chirp.wav\n" * 100, "TXT001"),
        ("Chirp\tChirp.raw\r\n".encode("utf-16"), "TXT003"),
    ):
        found = ringlist.validate(ringlist.load(io.BytesIO(data), strict=False), source="R.DAT")
        assert [(d.code, d.severity, d.source) for d in found] == [(code, "error", "R.DAT")]
        assert "no ring types" in found[0].message


def test_template_lines_are_one_info() -> None:
    text = (
        "{foreach $rings as $ring}\r\n"
        "{$ring.name}\t{$ring.file}\r\n"
        "{/foreach}\r\n"
        "Chirp\t{{ chirp_file }}\r\n"
        "Old Phone\tOldPhone.wav\r\n"
    )
    found = ringlist.validate(ringlist.loads(text, strict=False))
    assert [(d.code, d.line) for d in found] == [("TPL001", 1), ("RL108", 5)]

"""Ringlist.xml / DistinctiveRingList.xml: corpus round trips, edits and validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import corpus_cases, corpus_files, needs_corpus

from ciscocfg import ParseError, ringxml

# The XML files of the ring-list corpus (RINGLIST.DAT belongs to ciscocfg.ringlist) with the
# findings each must get when served under its own name.
CORPUS_EXPECTATIONS: dict[str, tuple[int, set[str]]] = {
    "akidinatophat__CiscoIPPhoneRingtones__DistinctiveRingList.xml": (7, set()),
    "csptechnologies__ciscoprovsionerweb__Ringlist-wb.xml": (18, set()),
    "dannymcc__Cisco-7906G-SIP__ringlist.xml": (24, {"RXL005"}),
    # Named like a ring list but holds a <tones> document.
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__DISTINCTIVERINGLIST.XML": (
        0,
        {"RXL001", "RXL005"},
    ),
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__RINGLIST.XML": (
        7,
        {"RXL005", "RXL006"},
    ),
    "nikscave__freepbx_configs__ringlist.xml": (1, {"RXL005"}),
}

XML_FILES = [p for p in corpus_files("ringlist") if p.suffix.lower() == ".xml"]


@needs_corpus(XML_FILES)
def test_every_xml_file_is_listed() -> None:
    assert {p.name for p in XML_FILES} == set(CORPUS_EXPECTATIONS)


@pytest.mark.parametrize("path", corpus_cases(XML_FILES, [p.name for p in XML_FILES]))
def test_corpus_file(path: Path) -> None:
    count, codes = CORPUS_EXPECTATIONS[path.name]
    data = path.read_bytes()
    rings = ringxml.loads(data, source=str(path))
    assert rings.dumps().encode("utf-8", "surrogateescape") == data
    assert len(rings.rings) == count
    served_as = path.name.rsplit("__", 1)[-1]
    assert {d.code for d in ringxml.validate(rings, filename=served_as)} == codes


TEXT = "<CiscoIPPhoneRingList>\r\n\t<Ring>\r\n\t\t<DisplayName>Chirp</DisplayName>\r\n\t\t<FileName>Chirp1.raw</FileName>\r\n\t</Ring>\r\n</CiscoIPPhoneRingList>"  # noqa: E501


def test_read_and_edit() -> None:
    rings = ringxml.loads(TEXT)
    assert rings.rings == [ringxml.Ring("Chirp", "Chirp1.raw")]
    rings.append("Piano & Co", "Piano1.raw")
    assert rings.dumps() == TEXT.replace(
        "\t</Ring>\r\n",
        "\t</Ring>\r\n\t<Ring>\r\n\t\t<DisplayName>Piano &amp; Co</DisplayName>\r\n"
        "\t\t<FileName>Piano1.raw</FileName>\r\n\t</Ring>\r\n",
    )
    rings.set_ring(0, display_name="Chirp 1")
    assert [r.display_name for r in rings.rings] == ["Chirp 1", "Piano & Co"]
    rings.remove_ring(0)
    assert rings.rings == [ringxml.Ring("Piano & Co", "Piano1.raw")]
    assert ringxml.loads(rings.dumps()).rings == rings.rings


def test_append_to_an_empty_list() -> None:
    rings = ringxml.loads("<CiscoIPPhoneRingList/>")
    rings.append("A", "a.raw")
    assert rings.rings == [ringxml.Ring("A", "a.raw")]
    assert ringxml.validate(rings) == []


def _codes(text: str, filename: str | None = None) -> list[str]:
    return [d.code for d in ringxml.validate(ringxml.loads(text), filename=filename)]


def test_codes() -> None:
    assert _codes("<RingList/>") == ["RXL001"]
    assert _codes(
        "<CiscoIPPhoneRingList><Ring><FileName>a.raw</FileName></Ring></CiscoIPPhoneRingList>"
    ) == ["RXL002"]
    long = "x" * 26
    assert _codes(
        f"<CiscoIPPhoneRingList><Ring><DisplayName>{long}</DisplayName><FileName>a.raw</FileName></Ring></CiscoIPPhoneRingList>"
    ) == ["RXL003"]
    many = "<Ring><DisplayName>a</DisplayName><FileName>a.raw</FileName></Ring>" * 51
    assert _codes(f"<CiscoIPPhoneRingList>{many}</CiscoIPPhoneRingList>") == ["RXL004"]
    assert _codes(TEXT, filename="ringlist.xml") == ["RXL005"]
    assert _codes(TEXT, filename="Ringlist.xml") == []
    assert _codes(TEXT, filename="DistinctiveRingList.xml") == []
    assert _codes(TEXT.replace(".raw", ".wav")) == ["RXL006"]
    assert _codes("<CiscoIPPhoneRingList><Tone/></CiscoIPPhoneRingList>") == ["RXL008"]
    [diag] = ringxml.validate(ringxml.loads("<ciscoipphoneringlist/>"))
    assert diag.suggestion == "CiscoIPPhoneRingList"


def test_file_name_taken_from_the_source(tmp_path: Path) -> None:
    path = tmp_path / "RINGLIST.XML"
    path.write_text(TEXT)
    [diag] = ringxml.validate(ringxml.load(path))
    assert (diag.code, diag.suggestion) == ("RXL005", "Ringlist.xml")
    out = tmp_path / "Ringlist.xml"
    ringxml.dump(ringxml.load(path), out)
    assert out.read_bytes() == path.read_bytes()
    assert ringxml.dumps(ringxml.load(out)) == TEXT


NAMES = st.text(alphabet=st.sampled_from(list("abcXYZ 019&<>é")), max_size=30)


@given(st.lists(st.tuples(NAMES, NAMES), max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_generated_lists_round_trip(entries: list[tuple[str, str]], nl: str) -> None:
    rings = ringxml.loads(f"<CiscoIPPhoneRingList>{nl}</CiscoIPPhoneRingList>{nl}")
    for name, file in entries:
        rings.append(name, file)
    text = rings.dumps()
    again = ringxml.loads(text)
    assert again.dumps() == text
    assert [(r.display_name, r.filename) for r in again.rings] == entries
    assert text.count("\n") == text.count(nl)
    too_long = any(len(a) > 25 or len(b) > 25 for a, b in entries)
    assert ("RXL003" in [d.code for d in ringxml.validate(again)]) == too_long


@given(st.binary(max_size=80))
def test_arbitrary_bytes_raise_only_parse_error(data: bytes) -> None:
    try:
        rings = ringxml.loads(data)
    except ParseError:
        return
    assert rings.dumps().encode("utf-8", "surrogateescape") == data

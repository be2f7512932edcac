"""The bundled example tree (examples/tftproot): the 7940 story's files, kept as they were."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest
from lxml import etree
from support.paths import CORPUS, EXAMPLES, no_corpus
from support.scripts import load_script

TREE = EXAMPLES / "tftproot"
MAC = "0012D9A1B2C3"
RING_FILES = ("LowBell.raw", "Chirp.raw")


def _make_rings() -> dict[str, Callable[[], bytes]]:
    """The ring generators of examples/make_rings.py (a script, not part of the package)."""
    return cast("dict[str, Callable[[], bytes]]", load_script("examples/make_rings.py").RINGS)


def _ringlist_entries() -> list[tuple[str, str]]:
    """(display name, file name) per line of RINGLIST.DAT: name, one or more tabs, file."""
    lines = (TREE / "RINGLIST.DAT").read_bytes().decode("ascii").splitlines()
    entries = []
    for line in lines:
        name, _, rest = line.partition("\t")
        entries.append((name, rest.lstrip("\t")))
    return entries


def test_tree_holds_the_files_the_phone_asks_for() -> None:
    names = {p.name for p in TREE.iterdir()}
    expected = {"OS79XX.TXT", "SIPDefault.cnf", f"SIP{MAC}.cnf", "RINGLIST.DAT", "dialplan.xml"}
    assert expected <= names
    # A SEP<MAC>.cnf.xml would make the 7940 boot SCCP instead of reading SIP<MAC>.cnf.
    assert not any(name.startswith("SEP") for name in names)
    # Firmware images are proprietary: the tree names one but ships none.
    assert not any(name.endswith((".loads", ".sb2", ".sbn", ".bin")) for name in names)


@pytest.mark.parametrize(
    ("ours", "seed"),
    [("SIPDefault.cnf", "SIPDefault.cnf"), (f"SIP{MAC}.cnf", "SIPmacaddress.cnf")],
)
def test_configs_are_the_story_files_byte_for_byte(ours: str, seed: str) -> None:
    if not (CORPUS / "seed" / seed).is_file():
        no_corpus()
    assert (TREE / ours).read_bytes() == (CORPUS / "seed" / seed).read_bytes()


@pytest.mark.parametrize("name", ["SIPDefault.cnf", f"SIP{MAC}.cnf"])
def test_configs_keep_the_story_problems(name: str) -> None:
    text = (TREE / name).read_text(encoding="utf-8")
    assert "\u00a0" in text  # no-break spaces
    assert "\u201c" in text  # typographic opening quote
    assert "\u201d" in text  # typographic closing quote
    assert "image_version:\u00a0P0S3-08-2-00" in text


def test_os79xx_names_the_image_of_both_configs() -> None:
    assert (TREE / "OS79XX.TXT").read_bytes() == b"P0S3-08-2-00\r\n"


def test_ringlist_names_existing_ring_files() -> None:
    entries = _ringlist_entries()
    assert entries == [("Low Bell", "LowBell.raw"), ("Chirp", "Chirp.raw")]
    for _, filename in entries:
        assert (TREE / filename).is_file()


@pytest.mark.parametrize("name", RING_FILES)
def test_ring_files_follow_cisco_rules(name: str) -> None:
    data = (TREE / name).read_bytes()
    # 8 kHz µ-law: 240..16080 samples (one byte each), a multiple of 240.
    assert 240 <= len(data) <= 16080
    assert len(data) % 240 == 0
    # Starts and ends at the zero sample (µ-law 0xFF), with sound in between.
    assert data[:240] == b"\xff" * 240
    assert data[-240:] == b"\xff" * 240
    assert len(set(data)) > 16


@pytest.mark.parametrize("name", RING_FILES)
def test_ring_files_are_what_the_script_generates(name: str) -> None:
    assert _make_rings()[name]() == (TREE / name).read_bytes()


def test_dialplan_is_a_small_well_formed_template() -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring((TREE / "dialplan.xml").read_bytes(), parser)
    assert root.tag == "DIALTEMPLATE"
    matches = [t.get("MATCH") for t in root.iter("TEMPLATE")]
    assert matches == ["999", "112", "911", "0..........", "00*", ".......", "*"]
    assert all(t.get("Timeout", "").isdigit() for t in root.iter("TEMPLATE"))


def test_dialplan_decisions() -> None:
    dialplan = pytest.importorskip("ciscocfg.dialplan")
    plan = dialplan.loads((TREE / "dialplan.xml").read_bytes())
    emergency = plan.match("911")
    assert (emergency.action, emergency.timeout) == ("dial", 0)
    local = plan.match("5551234")
    assert (local.action, local.timeout) == ("dial", 3)
    assert plan.match("0").action == "wait"


def test_ring_files_pass_the_ring_checker() -> None:
    ringtone = pytest.importorskip("ciscocfg.ringtone")
    for name in RING_FILES:
        assert ringtone.validate((TREE / name).read_bytes()) == [], name


def test_ringlist_parses() -> None:
    ringlist = pytest.importorskip("ciscocfg.ringlist")
    data = (TREE / "RINGLIST.DAT").read_bytes().decode("ascii")
    parsed = ringlist.loads(data)
    assert [(r.display_name, r.filename) for r in parsed.rings] == _ringlist_entries()
    assert parsed.dumps() == data


def test_os79xx_parses() -> None:
    os79xx = pytest.importorskip("ciscocfg.os79xx")
    data = (TREE / "OS79XX.TXT").read_bytes().decode("ascii")
    assert str(os79xx.loads(data).image) == "P0S3-08-2-00"

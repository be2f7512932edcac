"""MAC spelling and per-phone file names (spec §1.4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg._phonefiles import PER_PHONE_KINDS, misnamed, naming_finding
from ciscocfg._phones import normalize_mac, phone_model
from ciscocfg.provision import canonical_name, classify, find_case_variant


@pytest.mark.parametrize(
    "text",
    ["00:1d:a2:19:af:a7", "001D.A219.AFA7", "00-1D-A2-19-AF-A7", "001da219afa7", "SEP001DA219AFA7"],
)
def test_normalize_mac(text: str) -> None:
    assert normalize_mac(text) == "001DA219AFA7"


@pytest.mark.parametrize("text", ["", "001DA219AFA", "001DA219AFAG", "macaddress"])
def test_normalize_mac_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a MAC"):
        normalize_mac(text)


@given(st.from_regex(r"[0-9a-fA-F]{12}", fullmatch=True))
def test_names_classify_back(mac: str) -> None:
    upper = mac.upper()
    for kind in ("ctl", "itl", "sep_xml", "sip_cnf", "mgc_cnf"):
        name = canonical_name(kind, upper)
        match = classify(name)
        assert match is not None
        assert (match.kind, match.mac, match.exact) == (kind, upper, True)


@pytest.mark.parametrize(
    ("name", "kind", "lower", "spelling"),
    [
        ("SIP001da219afa7.cnf", "sip_cnf", True, False),
        ("SIP001DA219AFA7.CNF", "sip_cnf", False, True),
        ("sep001DA219AFA7.cnf.xml", "sep_xml", False, True),
        ("ctlsep001da219afa7.tlv", "ctl", True, True),
    ],
)
def test_misnamed_files(name: str, kind: str, lower: bool, spelling: bool) -> None:
    match = classify(name)
    assert match is not None
    assert (match.kind, match.exact, match.mac_lower, match.spelling_wrong) == (
        kind,
        False,
        lower,
        spelling,
    )
    assert match.mac == "001DA219AFA7"


def test_not_per_phone_names() -> None:
    assert classify("SIPDefault.cnf") is None
    assert classify("SIP001DA219AFA7.cnf.bak") is None


def test_case_variant() -> None:
    assert find_case_variant("RINGLIST.DAT", ["ringlist.dat", "x"]) == "ringlist.dat"
    assert find_case_variant("RINGLIST.DAT", ["RINGLIST.DAT"]) is None


@pytest.mark.parametrize(("text", "name"), [("CP-7961G", "7961"), ("7941G-GE", "7941G-GE")])
def test_phone_model_lookup(text: str, name: str) -> None:
    assert phone_model(text).name == name


def test_phone_model_unknown() -> None:
    with pytest.raises(ValueError, match="known models"):
        phone_model("7999")


@pytest.mark.parametrize(
    ("name", "canonical", "code"),
    [
        ("SIP00:1B:D4:12:34:56.cnf", "SIP001BD4123456.cnf", "PRV014"),
        ("SIP001BD4123456.cnf.txt", "SIP001BD4123456.cnf", "PRV014"),
        ("SEP001B.D412.3456.cnf.xml", "SEP001BD4123456.cnf.xml", "PRV014"),
        ("sep00-1b-d4-12-34-56.cnf.xml.txt", "SEP001BD4123456.cnf.xml", "PRV014"),
        ("SIP001bd4123456.cnf", "SIP001BD4123456.cnf", "PRV010"),
        ("SIP001BD4123456.CNF", "SIP001BD4123456.cnf", "PRV011"),
    ],
)
def test_misnamed_names_get_the_name_the_phone_asks_for(
    name: str, canonical: str, code: str
) -> None:
    match = misnamed(name)
    assert match is not None
    assert match.canonical == canonical
    assert match.mac == "001BD4123456"
    finding = naming_finding(name, match)
    assert (finding.code, finding.severity, finding.source) == (code, "error", name)
    assert finding.suggestion == canonical
    assert f"did you mean {canonical!r}?" in str(finding)


@pytest.mark.parametrize(
    "name",
    ["SIP001BD4123456.cnf", "SIP001BD4123456.cnf.bak", "SIPDefault.cnf", "SIP001BD412345.cnf.txt"],
)
def test_names_that_are_not_near_misses(name: str) -> None:
    assert misnamed(name) is None


@given(st.from_regex(r"[0-9A-F]{12}", fullmatch=True), st.sampled_from([":", "-", ".", ""]))
def test_a_mac_written_as_on_the_label_is_recognised(mac: str, separator: str) -> None:
    label = separator.join(mac[i : i + 2] for i in range(0, 12, 2))
    match = misnamed(f"SIP{label}.cnf.txt")
    assert match is not None
    assert match.canonical == f"SIP{mac}.cnf"


def test_every_per_phone_spelling_is_known_to_the_mac_reader() -> None:
    # normalize_mac strips the prefixes the naming table knows: one source for both.
    for kind in PER_PHONE_KINDS:
        assert normalize_mac(canonical_name(kind, "001BD4123456")[:-4].split(".")[0]) == (
            "001BD4123456"
        )

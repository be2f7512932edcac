"""The tree check: nothing in a correct tree, each planted problem found where it is."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.paths import CORPUS, no_corpus
from support.trees import BREAKERS, IMAGE, MAC, build_tree

from ciscocfg import ParseError, sepxml
from ciscocfg._phones import MODELS
from ciscocfg.provision import (
    NO_LINE_MESSAGE,
    BootTrace,
    check,
    check_tree,
    run_walk,
    walk_79x0,
)


def test_correct_tree_has_no_findings(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    assert check(root) == []
    report = check_tree(root)
    assert [p.mac for p in report.phones] == [MAC]
    missing = [r.name for r in report.phones[0].requests if not r.found]
    assert missing == [f"CTLSEP{MAC}.tlv", f"SEP{MAC}.cnf.xml"]


@pytest.mark.parametrize("problem", sorted(BREAKERS))
def test_planted_problem_is_found(tmp_path: Path, problem: str) -> None:
    breaker, code, source = BREAKERS[problem]
    root = build_tree(tmp_path / "tftp")
    breaker(root)
    found = check(root)
    assert (code, source) in {(d.code, d.source) for d in found}, "\n".join(map(str, found))


def test_stray_sep_is_an_error_that_names_the_protocol(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["stray SEP<MAC>.cnf.xml"][0](root)
    (flip,) = [d for d in check(root) if d.code == "PRV020"]
    assert flip.severity == "error"
    assert "SCCP" in flip.message
    assert "P00308010200" in flip.message


def test_sip_stub_sep_is_not_a_flip(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SEP{MAC}.cnf.xml").write_text(
        f"<device>\n  <deviceProtocol>SIP</deviceProtocol>\n"
        f"  <loadInformation>{IMAGE}</loadInformation>\n</device>\n"
    )
    codes = {d.code for d in check(root)}
    assert "PRV020" not in codes
    assert "PRV021" in codes


def test_no_line_one_shows_the_phone_message_with_the_line(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["line 1 key with a no-break space"][0](root)
    (finding,) = [d for d in check(root) if d.code == "PRV040"]
    assert NO_LINE_MESSAGE in finding.message
    assert "no-break space" in finding.message or "another key" in finding.message


def test_upgrade_jump_names_the_way(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["upgrade jump"][0](root)
    (finding,) = [d for d in check(root) if d.code == "PRV038"]
    assert finding.line == 2  # image_version in SIPDefault.cnf
    assert "Load ID Incorrect" in finding.message
    assert "P0S3-06-3-00" in finding.message


def test_running_image_is_checked(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    assert check(root, running="P0S3-08-11-00") == []
    codes = [d.code for d in check(root, running="P00303020214")]
    assert codes == ["PRV038"]


def test_findings_carry_file_and_line(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["typographic quotes"][0](root)
    quoted = [d for d in check(root) if d.code == "CNF301"]
    assert quoted
    assert {(d.source, d.line) for d in quoted} == {(f"SIP{MAC}.cnf", 6)}


def test_shared_file_findings_are_reported_once(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    other = "0012D9A1B2C4"
    shutil.copy(root / f"SIP{MAC}.cnf", root / f"SIP{other}.cnf")
    BREAKERS["ring audio too short"][0](root)
    report = check_tree(root)
    assert [p.mac for p in report.phones] == [MAC, other]
    assert [d.code for d in report.diagnostics] == ["RT103", "RT105"]
    assert [d.code for d in report.shared] == ["RT103", "RT105"]
    assert all(p.diagnostics == () for p in report.phones)


def test_mac_given_without_files(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    found = check(root, mac="00:12:d9:a1:b2:ff")
    # The phone's file is missing; the tree's own phone is what the MAC most likely meant.
    assert [(d.code, d.source, d.suggestion) for d in found] == [
        ("PRV002", ".", MAC),
        ("PRV012", "SIP0012D9A1B2FF.cnf", None),
    ]


def test_empty_tree(tmp_path: Path) -> None:
    (tmp_path / "tftp").mkdir()
    assert [d.code for d in check(tmp_path / "tftp")] == ["PRV001"]


def test_a_root_that_is_not_a_folder_is_refused_not_read_as_an_empty_tree(tmp_path: Path) -> None:
    # A mistyped root must not come back as "no phone is provisioned" (PRV001).
    with pytest.raises(FileNotFoundError) as missing:
        check(tmp_path / "tfpt")
    assert missing.value.filename == str(tmp_path / "tfpt")
    (tmp_path / "OS79XX.TXT").write_bytes(b"P0S3-08-2-00\r\n")
    with pytest.raises(NotADirectoryError):
        check_tree(tmp_path / "OS79XX.TXT")


def test_79x1_tree(tmp_path: Path) -> None:
    root = tmp_path / "tftp"
    root.mkdir()
    (root / "SEP001DA219AFA7.cnf.xml").write_text(
        "<device>\n  <deviceProtocol>SIP</deviceProtocol>\n  <sipProfile>\n"
        '    <sipLines>\n      <line button="1">\n        <featureID>9</featureID>\n'
        "        <proxy>pbx</proxy>\n        <port>5060</port>\n        <name>2001</name>\n"
        "      </line>\n    </sipLines>\n    <dialTemplate>dialplan.xml</dialTemplate>\n"
        "  </sipProfile>\n  <loadInformation>SIP41.9-4-2SR3-1S</loadInformation>\n</device>\n"
    )
    report = check_tree(root)
    assert [(p.mac, p.family) for p in report.phones] == [("001DA219AFA7", "79x1")]
    names = [r.name for r in report.phones[0].requests]
    assert names[:3] == [
        "CTLSEP001DA219AFA7.tlv",
        "ITLSEP001DA219AFA7.tlv",
        "SEP001DA219AFA7.cnf.xml",
    ]
    codes = {(d.code, d.source) for d in report.diagnostics}
    assert ("PRV033", "SIP41.9-4-2SR3-1S.loads") in codes
    assert ("PRV050", "dialplan.xml") in codes


def test_walk_follows_the_logged_order(tmp_path: Path) -> None:
    """The request order of the 7940 story's TFTP log (seed/tftpd-boot.log)."""
    files = {
        "SIPmacaddress.cnf": b"image_version: P0S3-08-2-00\nline1_name: 1\n",
        "SIPDefault.cnf": b"dial_template: dialplan\n",
        "P0S3-08-2-00.loads": None,
        "RINGLIST.DAT": b"",
        "dialplan.xml": b"<DIALTEMPLATE/>",
    }

    def fetch(name: str) -> tuple[bytes | None, str | None]:
        return files.get(name), None

    trace = run_walk(BootTrace("macaddress", "79x0"), walk_79x0("macaddress"), fetch)
    asked = [f.request.name for f in trace.fetches]
    assert asked == [
        "OS79XX.TXT",
        "CTLSEPmacaddress.tlv",
        "SEPmacaddress.cnf.xml",
        "SIPmacaddress.cnf",
        "P0S3-08-2-00.loads",
        "SIPDefault.cnf",
        "SIPmacaddress.cnf",
        "RINGLIST.DAT",
        "dialplan.xml",
    ]


def test_seed_story_tree(tmp_path: Path) -> None:
    seed = CORPUS / "seed"
    if not seed.is_dir():
        no_corpus()
    root = tmp_path / "tftp"
    root.mkdir()
    shutil.copy(seed / "SIPDefault.cnf", root / "SIPDefault.cnf")
    shutil.copy(seed / "SIPmacaddress.cnf", root / "SIP0012D9A1B2C3.cnf")
    report = check_tree(root)
    codes = {d.code for d in report.diagnostics}
    # Curly quotes and no-break spaces, so line 1 is unusable: the story's W362.
    assert {"CNF301", "CNF302", "PRV040"} <= codes
    assert report.has_errors


_SEVERE: list[tuple[str, Callable[[Path], None]]] = [
    (name, breaker) for name, (breaker, _, _) in sorted(BREAKERS.items())
]


@pytest.mark.parametrize(("name", "breaker"), _SEVERE, ids=[n for n, _ in _SEVERE])
def test_report_json_is_plain_data(
    tmp_path: Path, name: str, breaker: Callable[[Path], None]
) -> None:
    import json

    root = build_tree(tmp_path / "tftp")
    breaker(root)
    data = check_tree(root).to_json()
    again = json.loads(json.dumps(data))
    assert again["root"] == str(root)
    assert len(again["phones"]) >= 1
    flat = again["shared"] + [d for p in again["phones"] for d in p["diagnostics"]]
    assert flat, name


def test_running_must_be_an_image(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    with pytest.raises(ParseError):
        check(root, running="POS3-08-12-00")


def test_model_table_agrees_with_sepxml() -> None:
    for model in MODELS.values():
        assert sepxml.DEVICE_TYPES[model.device_type] == model.name


_FILES = st.sampled_from(
    [
        "OS79XX.TXT",
        "SIPDefault.cnf",
        f"SIP{MAC}.cnf",
        f"SEP{MAC}.cnf.xml",
        f"{IMAGE}.loads",
        "dialplan.xml",
        "RINGLIST.DAT",
        "Chirp.raw",
    ]
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_FILES, data=st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_file_content_gives_findings_not_exceptions(
    tmp_path_factory: pytest.TempPathFactory, name: str, data: bytes
) -> None:
    root = build_tree(tmp_path_factory.mktemp("tree") / "tftp")
    (root / name).write_bytes(data)
    report = check_tree(root)
    assert [p.mac for p in report.phones] == [MAC]
    assert all(d.code and d.message for d in report.diagnostics)


def test_model_sets_the_line_count(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    with (root / f"SIP{MAC}.cnf").open("a") as handle:
        handle.write('line3_name: "2003"\n')
    assert check(root, model="7960") == []
    found = check(root, model="7940")
    assert found
    assert {(d.source, d.line) for d in found} == {(f"SIP{MAC}.cnf", 8)}


def test_79x1_without_its_file_reads_xmldefault_for_its_model(tmp_path: Path) -> None:
    root = tmp_path / "tftp"
    root.mkdir()
    (root / "XMLDefault.cnf.xml").write_text(
        "<Default>\n"
        '  <loadInformation30018 model="Cisco 7961">SIP41.9-4-2SR3-1S</loadInformation30018>\n'
        '  <loadInformation115 model="Cisco 7941">SIP41.8-5-4S</loadInformation115>\n'
        "</Default>\n"
    )
    report = check_tree(root, mac="001DA219AFA7", model="7961")
    names = [r.name for r in report.phones[0].requests]
    assert names == [
        "CTLSEP001DA219AFA7.tlv",
        "ITLSEP001DA219AFA7.tlv",
        "SEP001DA219AFA7.cnf.xml",
        "XMLDefault.cnf.xml",
        "SIP41.9-4-2SR3-1S.loads",
    ]
    codes = {d.code for d in report.diagnostics}
    assert {"PRV081", "PRV033"} <= codes


def test_79x1_ring_list_name_is_case_sensitive(tmp_path: Path) -> None:
    root = tmp_path / "tftp"
    root.mkdir()
    mac = "001DA219AFA7"
    (root / f"SEP{mac}.cnf.xml").write_text(
        "<device>\n  <deviceProtocol>SIP</deviceProtocol>\n  <sipProfile><sipLines>"
        '<line button="1"><featureID>9</featureID><proxy>pbx</proxy><port>5060</port>'
        "<name>2001</name></line></sipLines></sipProfile>\n</device>\n"
    )
    (root / "ringlist.xml").write_text(
        "<CiscoIPPhoneRingList><Ring><DisplayName>Chirp</DisplayName>"
        "<FileName>Chirp.raw</FileName></Ring></CiscoIPPhoneRingList>\n"
    )
    found = [(d.code, d.severity, d.source) for d in check(root)]
    assert ("PRV011", "warning", "ringlist.xml") in found
    (root / "ringlist.xml").rename(root / "Ringlist.xml")
    again = [(d.code, d.source) for d in check(root)]
    assert ("PRV061", "Chirp.raw") in again


def test_phone_file_in_a_folder_the_phone_does_not_read(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / "phones").mkdir()
    (root / f"SIP{MAC}.cnf").rename(root / "phones" / f"SIP{MAC}.cnf")
    (finding,) = [d for d in check(root) if d.code == "PRV012"]
    assert finding.source == f"SIP{MAC}.cnf"
    assert f"phones/SIP{MAC}.cnf" in finding.message
    assert "tftp_cfg_dir" in finding.message
    with (root / "SIPDefault.cnf").open("a") as handle:
        handle.write("tftp_cfg_dir: ./phones/\n")
    assert "PRV012" not in {d.code for d in check(root)}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            "<deviceProtocol>SIP</deviceProtocol><loadInformation>SIP41.8-5-4S</loadInformation>",
            "not a 79x0 SIP image",
        ),
        ("<deviceProtocol>SIP</deviceProtocol>", "names no load"),
        ("<loadInformation>P00308010200</loadInformation>", "SCCP, as none is named"),
    ],
)
def test_other_stray_seps(tmp_path: Path, body: str, words: str) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SEP{MAC}.cnf.xml").write_text(f"<device>{body}</device>\n")
    (flip,) = [d for d in check(root) if d.code == "PRV020"]
    assert words in flip.message


@pytest.mark.parametrize("problem", ["MAC written as on the label", ".txt added by an editor"])
def test_a_misnamed_phone_file_is_one_finding_with_the_right_name(
    tmp_path: Path, problem: str
) -> None:
    breaker, _, source = BREAKERS[problem]
    root = build_tree(tmp_path / "tftp")
    breaker(root)
    report = check_tree(root)
    assert [p.mac for p in report.phones] == [MAC]  # still the phone it was meant for
    about_name = [d for d in report.diagnostics if d.code in {"PRV012", "PRV014"}]
    assert [(d.code, d.source, d.suggestion) for d in about_name] == [
        ("PRV014", source, f"SIP{MAC}.cnf")
    ]


def test_a_name_too_long_for_any_file_is_a_file_not_there(tmp_path: Path) -> None:
    # A damaged RINGLIST.DAT can name a ring file longer than any file system allows.
    root = build_tree(tmp_path / "tftp")
    (root / "RINGLIST.DAT").write_text("Long\t" + "x" * 5000 + ".raw\r\n")
    found = check(root)
    assert ("PRV061", "x" * 5000 + ".raw") in {(d.code, d.source) for d in found}

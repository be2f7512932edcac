"""The tree check reads each file as the phone does: content that is not text is said once,
a byte order mark makes the first key another, templates are not judged."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from support.trees import IMAGE, MAC, SIP_DEFAULT, SIP_PHONE, build_tree

from ciscocfg.provision import check, check_tree

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56) + b"line1_name: x\nring\tfile.raw\n" * 200

# Every text file of the tree, and what the phone does without it.
TEXT_FILES = [f"SIP{MAC}.cnf", "SIPDefault.cnf", "OS79XX.TXT", "RINGLIST.DAT", "dialplan.xml"]


def _utf16(root: Path, name: str) -> bytes:
    return (root / name).read_text().encode("utf-16")


def _gzip(root: Path, name: str) -> bytes:
    return gzip.compress((root / name).read_bytes())


@pytest.mark.parametrize("name", TEXT_FILES)
@pytest.mark.parametrize(
    ("content", "code"),
    [(lambda root, name: ELF, "TXT001"), (_gzip, "TXT002"), (_utf16, "TXT003")],
    ids=["elf", "gzip", "utf-16"],
)
def test_content_that_is_not_text_is_said_once(
    tmp_path: Path, name: str, content: object, code: str
) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / name).write_bytes(content(root, name))  # type: ignore[operator]
    found = check(root)
    about = [d for d in found if d.source == name]
    if name == "dialplan.xml" and code == "TXT003":
        # An XML file may declare an encoding of its own: the XML reader judges it.
        assert code not in {d.code for d in found}
        return
    assert [d.code for d in about if d.code.startswith("TXT")] == [code]
    assert about[0].severity == "error"
    # One finding for the file, plus no more than what its absence means to the boot.
    assert len(about) <= 2, about
    assert {d.code for d in about} <= {code, "PRV040"}
    # A binary ring list names no ring files to ask for.
    assert not [d for d in found if d.code == "PRV061"]


def test_a_binary_phone_file_says_why_line_1_is_missing(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SIP{MAC}.cnf").write_bytes(ELF)
    (prv040,) = [d for d in check(root) if d.code == "PRV040"]
    assert "an ELF executable" in prv040.message


def test_binary_sep_xml_is_said_once(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SEP{MAC}.cnf.xml").write_bytes(ELF)
    about = [d for d in check(root) if d.source == f"SEP{MAC}.cnf.xml"]
    assert [d.code for d in about if d.code != "PRV020"] == ["TXT001"]


def test_a_byte_order_mark_before_line_1(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SIP{MAC}.cnf").write_bytes(
        b"\xef\xbb\xbf" + SIP_PHONE.replace('phone_label: "Desk 7"\n', "").encode()
    )
    found = check(root)
    codes = {(d.code, d.source) for d in found}
    assert ("CNF003", f"SIP{MAC}.cnf") in codes
    assert ("PRV040", f"SIP{MAC}.cnf") in codes
    report = check_tree(root)
    assert ("line1_name", "(not set)") in report.phones[0].outcome


def test_a_79x0_stub_sep_names_a_79x1_load_but_needs_no_sip_line(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SEP{MAC}.cnf.xml").write_text(
        "<device><deviceProtocol>SIP</deviceProtocol>"
        "<loadInformation>SIP41.8-5-4S</loadInformation></device>\n"
    )
    codes = {d.code for d in check(root)}
    assert "PRV020" in codes
    assert "XML102" not in codes


def test_a_tree_of_templates_is_not_judged_where_it_is_unknown(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / "SIPDefault.cnf").write_text(
        SIP_DEFAULT.replace(f"image_version: {IMAGE}", "image_version: {$image_name}").replace(
            "dial_template: dialplan", 'dial_template: "{{ dialplan }}"'
        )
        + "tftp_cfg_dir: ###CFG_DIR###\n"
    )
    (root / f"SIP{MAC}.cnf").write_text(
        "{foreach $lines as $row}\n"
        'line{$row.line}_name: "{$row.user}"\n'
        "{/foreach}\n"
        'proxy1_address: "%PROXY%"\n'
    )
    (root / "RINGLIST.DAT").write_text("{foreach $rings as $ring}\n{$ring.name}\t{$ring.file}\n")
    (root / "OS79XX.TXT").write_text("{$loader}")
    found = check(root)
    # Nothing the template leaves open is an error: no image, dial plan, ring or line 1 missing.
    assert [d for d in found if d.severity == "error"] == []
    templates = {d.source for d in found if d.code == "TPL001"}
    assert templates == {"SIPDefault.cnf", f"SIP{MAC}.cnf", "RINGLIST.DAT", "OS79XX.TXT"}
    phone = check_tree(root).phones[0]
    asked = [r.name for r in phone.requests]
    assert not [name for name in asked if "{" in name or "#" in name]
    assert ("line1_name", "(unknown: a template)") in phone.outcome

"""Real files from the shared corpus: byte-exact round trips and values read key by key."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from support.paths import CORPUS, corpus_files, corpus_params, no_corpus

import ciscocfg
from ciscocfg import cnf

# Each corpus file, decided by reading it: a real configuration a phone was given ("real"),
# or a provisioning template with placeholders ("template"); and whether strict parsing takes
# it (templates with {if}/{foreach} lines or Polycom-style lines do not).
KINDS: dict[str, tuple[str, bool]] = {
    "IssabelFoundation__endpointconfig2__setup__usr__share__issabel__endpoint-classes__tpl__"
    "Cisco_local_SIP.tpl": ("template", False),
    "dpxdan__flux-pbx__resources__templates__provision__cisco__7940__SIP{$mac}.cnf": (
        "template",
        False,
    ),
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__SIPDefault.cnf": (
        "template",
        True,
    ),
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__SIP{$mac}.cnf": (
        "template",
        False,
    ),
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__7960__SIP{$mac}.cnf": (
        "template",
        False,
    ),
    "iungopbx__iungopbx-master__resources__templates__provision__cisco__7940__SIP{$mac}.cnf": (
        "template",
        False,
    ),
    "julianhead__CiscoPhones__SEPBASE": ("real", True),
    # Placeholders such as '#EXTENSION' stand in value position: a template, yet in the dialect.
    "julianhead__CiscoPhones__SEPOLD": ("template", True),
    "julianhead__CiscoPhones__SIP0015F92EC692.cnf": ("real", True),
    "julianhead__CiscoPhones__SIPDefault.cnf": ("real", True),
    "julianhead__CiscoPhones__SIPDefault.cnf2": ("real", True),
    "nikscave__freepbx_configs__SIP00124330BFB3.cnf": ("real", True),
    "nikscave__freepbx_configs__SIP0012D9122138.cnf": ("real", True),
    "nikscave__freepbx_configs__SIPDefault.cnf": ("real", True),
    "provisioner__Provisioner__endpoint__cisco__sip79xx__SIP$mac.cnf": ("template", False),
    "provisioner__Provisioner__endpoint__cisco__sip79xx__SIPDefault.cnf": ("template", True),
    # The 7940 story's files as published: real, with typographic quotes and no-break spaces.
    "SIPDefault.cnf": ("real", True),
    "SIPmacaddress.cnf": ("real", True),
}


def _seed_cnf() -> list[Path]:
    return [p for p in corpus_files("seed") if p.suffix == ".cnf"]


ALL_FILES = corpus_params("cnf") + [pytest.param(p, id=f"seed/{p.name}") for p in _seed_cnf()]


def test_every_corpus_file_has_a_decision() -> None:
    names = {p.name for p in corpus_files("cnf")} | {p.name for p in _seed_cnf()}
    if not names:
        no_corpus()
    assert names == set(KINDS)


@pytest.mark.parametrize("path", ALL_FILES)
def test_tolerant_round_trip_is_byte_exact(path: Path) -> None:
    data = path.read_bytes()
    doc = cnf.load(path, strict=False)
    out = io.BytesIO()
    cnf.dump(doc, out)
    assert out.getvalue() == data
    assert doc.source == str(path)
    # The nodes alone give the text back too, not only the text kept from reading.
    text = data.decode("utf-8", "surrogateescape")
    assert doc.bom + "".join(line.render() for line in doc.lines) == text


@pytest.mark.parametrize("path", ALL_FILES)
def test_strict_reading_follows_the_decision(path: Path) -> None:
    kind, strict_ok = KINDS[path.name]
    data = path.read_bytes()
    if kind == "real":
        assert strict_ok
    if strict_ok:
        doc = cnf.load(io.BytesIO(data))
        assert not any(isinstance(line, cnf.InvalidLine) for line in doc.lines)
        out = io.BytesIO()
        cnf.dump(doc, out)
        assert out.getvalue() == data
    else:
        with pytest.raises(ciscocfg.ParseError) as info:
            cnf.load(path)
        assert info.value.source == str(path)
        assert info.value.line is not None


def _corpus(name: str, folder: str = "cnf") -> Path:
    path = CORPUS / folder / name
    if not path.is_file():
        no_corpus()
    return path


def test_values_nikscave_phone_file() -> None:
    doc = cnf.load(_corpus("nikscave__freepbx_configs__SIP00124330BFB3.cnf"))
    assert dict(doc) == {
        "line1_name": "2112",
        "line1_shortname": "2112",
        "line1_displayname": "2112",
        "line1_authname": "2112",
        "line1_password": "1234abc",
        "line2_name": "",
        "line2_authname": "UNPROVISIONED",
        "line2_shortname": "",
        "line2_password": "UNPROVISIONED",
        "line2_displayname": "",
        "phone_label": "Niks Cave ",
        "telnet_level": "2",
        "phone_prompt": "niks_cave",
        "phone_password": "12341234",
    }
    assert {line.newline for line in doc.lines} == {"\r\n"}


def test_values_julianhead_default_file_with_aligned_remarks() -> None:
    doc = cnf.load(_corpus("julianhead__CiscoPhones__SIPDefault.cnf2"))
    assert doc["proxy1_address"] == "172.16.230.245"
    assert doc["proxy2_address"] == ""
    assert doc["messages_uri"] == "*97"
    assert doc["dial_template"] == "dialplan"
    assert doc["date_format"] == "D/M/Y"
    assert doc["logo_url"] == "http://172.16.230.245/cisco/logo.bmp"
    assert len(doc) == 18
    last = doc.lines[-1]
    assert last.newline == ""
    (_, entry) = doc.entries("time_zone")[0]
    assert entry.remark == " assuming you're in CST"


def test_values_julianhead_phone_file() -> None:
    doc = cnf.load(_corpus("julianhead__CiscoPhones__SEPBASE"))
    assert doc["line1_name"] == "1002"
    assert doc["line1_authname"] == "1002"
    assert doc["line1_displayname"] == "Main Office"
    assert doc["line2_shortname"] == "1003 phone label "
    assert doc["line2_displayname"] == "Kitchen"
    assert doc["phone_label"] == "PHONE LABEL "
    assert doc["user_info"] == "none"
    assert doc["proxy1_address"] == "172.16.230.245"


def test_values_seed_phone_file_keys_carry_no_break_spaces() -> None:
    doc = cnf.load(_corpus("SIPmacaddress.cnf", "seed"))
    assert "line1_name" not in doc
    assert doc["line1_name\u00a0"] == "\u00a0\u201csipgateid\u201d\u00a0"
    assert doc["image_version"] == "\u00a0P0S3-08-2-00"
    fixed = cnf.fix(doc)
    assert fixed["line1_name"] == "sipgateid"
    assert fixed["proxy1_address"] == "sipgate.co.uk"
    assert fixed["phone_label"] == "markwilson.it "
    assert fixed["line2_authname"] == "UNPROVISIONED"
    assert fixed["image_version"] == "P0S3-08-2-00"


def test_values_template_parses_in_tolerant_mode() -> None:
    doc = cnf.load(
        _corpus(
            "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__SIP{$mac}.cnf"
        ),
        strict=False,
    )
    assert doc["phone_label"] == "{$label}"
    assert doc["timer_register_expires"] == "80"  # line 52 wins over line 9 ("300")
    assert [n for n, _ in doc.entries("timer_register_expires")] == [9, 52]
    invalid = [line for line in doc.lines if isinstance(line, cnf.InvalidLine)]
    assert invalid[0].text == "{if isset($cisco_time_zone)}"

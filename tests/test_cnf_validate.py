"""Every diagnostic code, each triggered by a concrete document, and what stays silent."""

from __future__ import annotations

import pytest
from support.cnf_cases import CASES, LINE1, PHONE
from support.paths import CORPUS, no_corpus

from ciscocfg import Diagnostic, cnf
from ciscocfg._text import decode_bytes


def findings(text: str, source: str | None = PHONE, **kwargs: object) -> list[Diagnostic]:
    return cnf.validate(cnf.loads(text, strict=False, source=source), **kwargs)  # type: ignore[arg-type]


def only(text: str, code: str, source: str = PHONE, **kwargs: object) -> Diagnostic:
    found = [d for d in findings(text, source, **kwargs) if d.code == code]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("code", "text", "severity", "line", "column", "suggestion"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_code(
    code: str, text: str, severity: str, line: int, column: int, suggestion: str | None
) -> None:
    found = only(text, code)
    assert (found.severity, found.line, found.column) == (severity, line, column)
    assert found.suggestion == suggestion
    assert found.source == PHONE
    assert found.message


def test_file_over_8_kib() -> None:
    filler = "# " + "x" * 78 + "\n"
    found = only(LINE1 + filler * 103, "CNF002")
    assert found.severity == "warning"
    assert found.line is None
    assert not [d for d in findings(LINE1 + filler * 100) if d.code == "CNF002"]


def test_model_decides_how_many_lines() -> None:
    text = LINE1 + "line3_name: 103\nauto_answer: 7\n"
    assert not [d.code for d in findings(text, model="7960")]
    codes = [d.code for d in findings(text, model="7940")]
    assert codes == ["CNF104", "CNF202"]
    assert [d.code for d in findings(text)] == []  # six lines unless told


def test_line_1_check_depends_on_the_kind_of_file() -> None:
    text = "proxy1_address: 10.0.0.5\n"
    assert not findings(text, source="SIPDefault.cnf")
    assert not findings(text, source="somewhere/else.txt")
    assert [d.code for d in findings(text, source="SIP0012D9122138.cnf")] == ["CNF401"]
    assert [d.code for d in findings(text, source=None, kind="phone")] == ["CNF401"]
    assert not findings("line1_name: \n", source="SIPDefault.cnf")
    assert [d.code for d in findings("line2_name: 2\n", source=None)] == ["CNF401"]


def test_unset_values_are_accepted_for_every_type() -> None:
    text = LINE1 + 'proxy1_port: ""\nnat_enable: UNPROVISIONED\nsntp_mode:\n'
    assert findings(text) == []


def test_keywords_match_case_insensitively() -> None:
    assert findings(LINE1 + "network_media_type: auto\npreferred_codec: G711ULAW\n") == []


def test_characters_in_comments_and_remarks_are_only_style() -> None:
    found = findings(LINE1 + "# \u201cquoted\u201d\u00a0note\nproxy1_port: 5060 ; \u00a0x \u2013\n")
    assert {(d.code, d.severity) for d in found} == {("CNF301", "info"), ("CNF302", "info")}


def test_seed_phone_file_explains_the_missing_line_names() -> None:
    path = CORPUS / "seed" / "SIPmacaddress.cnf"
    if not path.is_file():
        no_corpus()
    doc = cnf.load(path)
    found = cnf.validate(doc, model="7940")
    (line1,) = [d for d in found if d.code == "CNF401"]
    assert "line1_name\\xa0" in line1.message
    unknown = {d.suggestion for d in found if d.code == "CNF101"}
    assert {"line1_name", "proxy1_address", "proxy1_port"} <= unknown
    assert {d.code for d in found} >= {"CNF301", "CNF302"}
    # After the repair the phone file has nothing left to say.
    assert [d for d in cnf.validate(cnf.fix(doc), model="7940") if d.severity != "info"] == []


def test_real_corpus_configs_are_clean() -> None:
    names = [
        "julianhead__CiscoPhones__SIP0015F92EC692.cnf",
        "nikscave__freepbx_configs__SIPDefault.cnf",
        "nikscave__freepbx_configs__SIP0012D9122138.cnf",
    ]
    for name in names:
        path = CORPUS / "cnf" / name
        if not path.is_file():
            no_corpus()
        assert cnf.validate(cnf.load(path)) == [], name


def test_byte_order_mark_makes_the_first_key_another_one() -> None:
    # The phone reads the mark as the first bytes of line 1: 'line1_name' is lost, as with a
    # no-break space in the same place.
    for damage, code in (("\ufeff", "CNF003"), ("\u00a0", "CNF101"), ("\u200b", "CNF101")):
        found = findings(damage + LINE1 + "proxy1_port: 5060\n")
        codes = {d.code for d in found}
        assert {code, "CNF401"} <= codes, (damage, found)
        (line1,) = [d for d in found if d.code == "CNF401"]
        assert repr(damage + "line1_name")[1:-1] in line1.message
        assert cnf.merge(cnf.loads(damage + LINE1, strict=False)) == {damage + "line1_name": "100"}
    # The mark alone explains line 1: no unknown-key finding on top of it.
    assert "CNF101" not in {d.code for d in findings("\ufeff" + LINE1)}
    assert findings("\ufeffproxy1_port: 5060\n" + LINE1) == [
        d for d in findings("\ufeffproxy1_port: 5060\n" + LINE1) if d.code == "CNF003"
    ]


def test_unreadable_content_is_one_finding() -> None:
    elf = b"\x7fELF\x02\x01\x01" + bytes(64) + b"proxy1_port: x\nline9_name: y\n" * 300
    found = findings(decode_bytes(elf))
    assert [(d.code, d.severity) for d in found] == [("TXT001", "error")]
    assert "ELF executable" in found[0].message
    notepad = "line1_name: 201\r\nproxy1_address: 10.0.0.5\r\n".encode("utf-16")
    (utf16,) = findings(decode_bytes(notepad))
    assert utf16.code == "TXT003"
    assert "UTF-16 text" in utf16.message
    assert "save it as ASCII" in utf16.message
    (utf16be,) = findings(decode_bytes("line1_name: 201\n".encode("utf-16-be")))
    assert "big-endian, without a byte order mark" in utf16be.message
    (utf32,) = findings(decode_bytes("line1_name: 201\n".encode("utf-32")))
    assert utf32.code == "TXT003"
    assert "UTF-32" in utf32.message
    # Nor does the phone get any setting from it.
    assert cnf.merge(cnf.loads(decode_bytes(notepad), strict=False)) == {}
    # Latin-1 is text to the phone: the byte is reported where it is, nothing more.
    latin1 = decode_bytes(LINE1.encode() + "line1_displayname: J\u00f6rg\n".encode("latin-1"))
    assert [d.code for d in findings(latin1)] == ["CNF303"]


@pytest.mark.parametrize(
    "placeholder",
    ["###DOMAIN_NAME###", "{$server.ip.1}", "{{ sip_proxy_ip }}", "{proxy}", "$PROXY", "%PROXY%"],
)
def test_placeholders_are_one_info_not_an_address_error(placeholder: str) -> None:
    text = (
        LINE1 + f'proxy1_address: "{placeholder}"\nproxy1_port: {placeholder}\n'
        f"sntp_mode: {placeholder}\nphone_prompt: {placeholder}{placeholder}{placeholder}\n"
    )
    found = findings(text)
    assert [(d.code, d.severity, d.line) for d in found] == [("TPL001", "info", 2)]
    assert placeholder in found[0].message
    assert "4 lines" in found[0].message


def test_template_lines_and_templated_keys() -> None:
    text = (
        "{if isset($x)}\n"
        "{foreach $lines as $row}\n"
        'line{$row.line}_name: "{$row.name}"\n'
        "{/foreach}\n"
        "{{py:n = 1}}\n"
        "reg.{$n}.displayName={$name}\n"
        '{if isset($nat)}nat_enable: "{$nat}"{else}1{/if}\n'
    )
    found = findings(text)
    # The Polycom-style line stays wrong whatever the template puts in it; which branch of the
    # {if} is kept is unknown; the keys the template makes are unknown, so line 1 may well be
    # among them.
    assert sorted((d.code, d.line) for d in found) == [("CNF001", 6), ("TPL001", 1)]
    (polycom,) = [d for d in found if d.code == "CNF001"]
    assert "'reg..displayName='" in polycom.message
    # A tag that only steers the template makes no key: line 1 is known to be missing.
    assert {d.code for d in findings("{if $x}\nproxy1_port: 5060\n{/if}\n")} == {
        "TPL001",
        "CNF401",
    }


def test_findings_come_in_file_order() -> None:
    found = findings("nat_enable: 5\nline1_name: 1\nproxy1_port: x\n")
    assert [d.line for d in found] == sorted(d.line or 0 for d in found)

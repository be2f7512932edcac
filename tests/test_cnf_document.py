"""The document as a mapping: reads, edits that touch only their line, merge and fix."""

from __future__ import annotations

import pytest

import ciscocfg
from ciscocfg import cnf

TEXT = (
    "# phone\r\n"
    "proxy1_address : 10.0.0.5\t; pbx\r\n"
    'line1_name:"100"\r\n'
    'proxy_register: "0" ;\r\n'
    "proxy_register: 1\r\n"
    "\r\n"
)


def test_mapping_reads() -> None:
    doc = cnf.loads(TEXT)
    assert doc["proxy1_address"] == "10.0.0.5"
    assert doc["proxy_register"] == "1"  # duplicates: the last one wins
    assert "line1_name" in doc
    assert "line2_name" not in doc
    assert doc.get("line2_name") is None
    assert doc.get("line2_name", "x") == "x"
    assert list(doc.keys()) == ["proxy1_address", "line1_name", "proxy_register"]
    assert len(doc) == 3
    with pytest.raises(KeyError):
        doc["line2_name"]


def test_set_keeps_spacing_quote_and_remark() -> None:
    doc = cnf.loads(TEXT)
    doc["proxy1_address"] = "sip.example.net"
    doc["line1_name"] = "200"
    assert doc.dumps() == TEXT.replace("10.0.0.5", "sip.example.net").replace('"100"', '"200"')


def test_set_rewrites_only_the_winning_duplicate() -> None:
    doc = cnf.loads(TEXT)
    doc["proxy_register"] = "0"
    assert doc.dumps() == TEXT.replace("proxy_register: 1", "proxy_register: 0")
    assert doc["proxy_register"] == "0"


def test_bare_value_that_needs_quotes_gets_them() -> None:
    doc = cnf.loads("line1_password: abc ; secret\n")
    doc["line1_password"] = "a;b"
    assert doc.dumps() == 'line1_password: "a;b" ; secret\n'
    doc["line1_password"] = " padded "
    assert doc["line1_password"] == " padded "


@pytest.mark.parametrize("value", ['say "hi"', "two\nlines", "cr\r"])
def test_values_the_dialect_cannot_hold(value: str) -> None:
    doc = cnf.loads("phone_label: x\n")
    with pytest.raises(ciscocfg.ValidationError):
        doc["phone_label"] = value
    with pytest.raises(ciscocfg.ValidationError):
        doc["new_key"] = value
    assert doc.dumps() == "phone_label: x\n"


@pytest.mark.parametrize("key", ["", "two words", "a:b", "#x", 'q"'])
def test_keys_the_dialect_cannot_hold(key: str) -> None:
    doc = cnf.loads("")
    with pytest.raises(ciscocfg.ValidationError):
        doc[key] = "1"


def test_new_key_in_prevailing_style_and_newline() -> None:
    doc = cnf.loads('a : "1"\r\nb : "2"\r\nc: 3\r\n')
    doc["proxy1_port"] = "5060"
    assert doc.dumps().endswith('c: 3\r\nproxy1_port : "5060"\r\n')
    bare = cnf.loads("a: 1\nb: 2\n")
    bare["c"] = "3"
    bare["d"] = ""
    assert bare.dumps() == 'a: 1\nb: 2\nc: 3\nd: ""\n'


def test_new_key_after_a_last_line_without_newline() -> None:
    doc = cnf.loads("a: 1\r\nb: 2")
    doc["c"] = "3"
    assert doc.dumps() == "a: 1\r\nb: 2\r\nc: 3\r\n"
    empty = cnf.loads("")
    empty["line1_name"] = "100"
    assert empty.dumps() == 'line1_name: "100"\n'


def test_delete_removes_every_line_of_the_key() -> None:
    doc = cnf.loads(TEXT)
    del doc["proxy_register"]
    assert "proxy_register" not in doc
    assert doc.dumps() == '# phone\r\nproxy1_address : 10.0.0.5\t; pbx\r\nline1_name:"100"\r\n\r\n'
    with pytest.raises(KeyError):
        del doc["proxy_register"]


def test_replace_line_and_equality() -> None:
    doc = cnf.loads(TEXT)
    other = cnf.loads(TEXT)
    assert doc == other
    doc.replace_line(1, cnf.Comment("", "# desk phone", "\r\n"))
    assert doc != other
    assert doc.dumps().startswith("# desk phone\r\n")
    with pytest.raises(IndexError):
        doc.replace_line(99, cnf.Blank("", "\n"))


def test_merge_layers_later_wins() -> None:
    flash = {"proxy1_address": "old.example", "line1_name": "100", "nat_enable": "1"}
    default = cnf.loads("proxy1_address: pbx.example\nnat_enable: 0\n", source="SIPDefault.cnf")
    phone = cnf.loads('line1_name: "200"\nnat_enable: ""\n', source="SIP000000000001.cnf")
    assert cnf.merge(flash, default, phone) == {
        "proxy1_address": "pbx.example",
        "line1_name": "200",
        "nat_enable": "",
    }
    assert cnf.merge() == {}


def test_check_merged_finds_line_1_across_layers() -> None:
    default = cnf.loads("line1_name: 100\n", source="SIPDefault.cnf")
    phone = cnf.loads("line1_password: x\n", source="SIP000000000001.cnf")
    assert cnf.check_merged(default, phone) == []
    cleared = cnf.loads("line1_name: UNPROVISIONED\n")
    (finding,) = cnf.check_merged(default, cleared, source="tftproot")
    assert (finding.code, finding.severity, finding.source) == ("CNF401", "error", "tftproot")


def test_fix_repairs_quotes_and_no_break_spaces_only() -> None:
    text = "phone_label\u00a0:\u00a0\u201cDesk\u2019s\u201d\u00a0; \u2018x\u2019\r\n# caf\u00e9\n"
    doc = cnf.loads(text, source="SIP0011.cnf")
    fixed = cnf.fix(doc)
    assert fixed.dumps() == "phone_label : \"Desk's\" ; 'x'\r\n# caf\u00e9\n"
    assert fixed["phone_label"] == "Desk's"
    assert fixed.source == "SIP0011.cnf"
    assert doc.dumps() == text  # the original is untouched
    assert cnf.fix_text("plain: text\n") == "plain: text\n"


@pytest.mark.parametrize(
    "line",
    [
        cnf.Entry("", "two words", "", " ", "", "x", "", None, "\n"),
        cnf.Entry("", "k", "", " ", '"', 'say "hi"', "", None, "\n"),
        cnf.Entry("", "k", "", " ", "", " padded", "", None, "\n"),
        cnf.Comment("", "no hash", "\n"),
        cnf.Blank("", ""),
        cnf.InvalidLine("a: 1", "\n"),
    ],
)
def test_hand_built_lines_must_read_back(line: cnf.Line) -> None:
    doc = cnf.loads("a: 1\nb: 2\n")
    with pytest.raises(ciscocfg.ValidationError):
        doc.replace_line(1, line)
    assert doc.dumps() == "a: 1\nb: 2\n"
    with pytest.raises(ciscocfg.ValidationError):
        cnf.Document([line, cnf.Blank("", "\n")])


def test_document_built_from_nodes() -> None:
    doc = cnf.Document(
        [cnf.Comment("", "# built", "\n"), cnf.Entry("", "k", "", " ", "", "v", "", None, "")],
        source="SIPDefault.cnf",
    )
    assert doc.dumps() == "# built\nk: v"
    assert doc["k"] == "v"

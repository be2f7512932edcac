"""Reading the dialect: the line shapes of the format notes, errors, and grammar agreement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark.exceptions import UnexpectedInput
from support.cnf_strategies import documents, noisy_text

import ciscocfg
from ciscocfg import cnf
from ciscocfg._position import LineIndex
from ciscocfg.cnf import Blank, Comment, Entry, InvalidLine
from ciscocfg.cnf._parse import grammar_parser, parse_lines, parse_with_grammar

# (input line, key, value, remark) — remark None: the line has no ';'. Every shape occurs in a
# working file; the table is the one of the format notes, section 2.1.
SHAPES = [
    ('proxy1_port:"5062"', "proxy1_port", "5062", None),
    ('messages_uri : ""', "messages_uri", "", None),
    ("cnf_join_enable : 1\t\t; note", "cnf_join_enable", "1", " note"),
    ('line2_displayname: "Lab";', "line2_displayname", "Lab", ""),
    ('image_version: "P0S3-08-12-00";', "image_version", "P0S3-08-12-00", ""),
    ("image_version: P0S3-8-12-00", "image_version", "P0S3-8-12-00", None),
    ("line1_name: 5551234*17", "line1_name", "5551234*17", None),
    ("messages_uri: *98", "messages_uri", "*98", None),
    ("proxy1_address: 10.0.0.5 ; pbx", "proxy1_address", "10.0.0.5", " pbx"),
    ('phone_label: "Desk 7 " ; x', "phone_label", "Desk 7 ", " x"),
    ('end_media_port:  "20000"', "end_media_port", "20000", None),
    ("language: ", "language", "", None),
    ('dst_start_day: ""', "dst_start_day", "", None),
    # Beyond the table: '#' after a value is data, ';' inside quotes is data.
    ("line1_name: #EXTENSION", "line1_name", "#EXTENSION", None),
    ('line1_password: "a;b" ; c', "line1_password", "a;b", " c"),
]


@pytest.mark.parametrize(("text", "key", "value", "remark"), SHAPES)
@pytest.mark.parametrize("newline", ["", "\n", "\r\n", "\r"])
def test_line_shapes(text: str, key: str, value: str, remark: str | None, newline: str) -> None:
    doc = cnf.loads(text + newline)
    (entry,) = doc.lines
    assert isinstance(entry, Entry)
    assert (entry.key, entry.value, entry.remark, entry.newline) == (key, value, remark, newline)
    assert doc[key] == value
    assert doc.dumps() == text + newline


def test_quoted_and_bare_read_the_same() -> None:
    doc = cnf.loads('proxy1_port: "5062"\nproxy2_port: 5062\nlanguage:\nlanguage2: ""\n')
    assert doc["proxy1_port"] == doc["proxy2_port"] == "5062"
    assert doc["language"] == doc["language2"] == ""


@pytest.mark.parametrize("text", [" \t", "", "   \n"])
def test_blank_lines(text: str) -> None:
    doc = cnf.loads(text)
    assert all(isinstance(line, Blank) for line in doc.lines)
    assert len(doc) == 0
    assert doc.dumps() == text


def test_comment_only_at_line_start() -> None:
    doc = cnf.loads("  # proxy1_address: 1.2.3.4\nmessages_uri: #97 ; voicemail\n")
    comment, entry = doc.lines
    assert comment == Comment("  ", "# proxy1_address: 1.2.3.4", "\n")
    assert "proxy1_address" not in doc
    assert isinstance(entry, Entry)
    assert entry.value == "#97"


def test_mixed_line_endings_and_no_final_newline() -> None:
    text = "a: 1\r\nb: 2\rc: 3\nd: 4"
    doc = cnf.loads(text)
    assert [line.newline for line in doc.lines] == ["\r\n", "\r", "\n", ""]
    assert dict(doc) == {"a": "1", "b": "2", "c": "3", "d": "4"}


def test_bom_is_kept_apart_from_the_first_key() -> None:
    doc = cnf.loads("\ufeffimage_version: P0S3-08-12-00\n")
    assert doc.bom == "\ufeff"
    assert doc["image_version"] == "P0S3-08-12-00"
    assert doc.dumps() == "\ufeffimage_version: P0S3-08-12-00\n"


def test_no_break_space_is_data_not_a_blank() -> None:
    doc = cnf.loads("date_format\u00a0:\u00a0D/M/Y\n")
    assert list(doc) == ["date_format\u00a0"]
    assert doc["date_format\u00a0"] == "\u00a0D/M/Y"


# -- errors -----------------------------------------------------------------------------------

ERRORS = [
    ("proxy1_address 10.0.0.5\n", 1, 16, "expected ':' after key 'proxy1_address'"),
    ('a: 1\nline1_name: "abc\n', 2, 13, "unterminated quoted value"),
    ('a: 1\n\nreg.1.displayName="x"\n', 3, 19, "expected ':' after key 'reg.1.displayName='"),
    ("  : value\n", 1, 3, "expected a key, a '#' comment or a blank line"),
    ('phone_label: "x" y\n', 1, 18, "expected ';' or the end of the line after the value"),
    ("a: 1\r\nproxy1_address", 2, 15, "expected ':' after key 'proxy1_address'"),
    ("{if isset($x)}\n", 1, 5, "expected ':' after key '{if'"),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), ERRORS)
def test_parse_error_positions(text: str, line: int, column: int, message: str) -> None:
    with pytest.raises(ciscocfg.ParseError) as info:
        cnf.loads(text, source="SIPDefault.cnf")
    err = info.value
    assert (err.source, err.line, err.column) == ("SIPDefault.cnf", line, column)
    assert err.message.startswith(message)
    assert str(err).startswith(f"SIPDefault.cnf:{line}:{column}: {message}")
    assert "\n" not in str(err)
    assert err.offset is not None
    assert LineIndex(text).position(err.offset) == (line, column)


def test_parse_error_after_a_bom() -> None:
    with pytest.raises(ciscocfg.ParseError) as info:
        cnf.loads("\ufeffoops\n")
    assert (info.value.line, info.value.column, info.value.offset) == (1, 5, 5)


def test_parse_error_keeps_the_lark_exception_as_its_cause() -> None:
    with pytest.raises(ciscocfg.ParseError) as info:
        cnf.loads("a: 1\noops\n")
    assert isinstance(info.value.__cause__, UnexpectedInput)


def test_tolerant_keeps_invalid_lines() -> None:
    text = '{if $x}\nreg.1.displayName="a"\nproxy1_port: 5060\n1'
    doc = cnf.loads(text, strict=False)
    assert [type(line) for line in doc.lines] == [InvalidLine, InvalidLine, Entry, InvalidLine]
    assert doc.lines[0] == InvalidLine("{if $x}", "\n")
    assert dict(doc) == {"proxy1_port": "5060"}
    assert doc.dumps() == text


# -- the grammar and the fast path agree ------------------------------------------------------


@given(from_lark(grammar_parser()))
def test_grammar_generated_documents_round_trip(text: str) -> None:
    doc = cnf.loads(text)
    assert doc.dumps() == text
    assert list(doc.lines) == parse_with_grammar(text)


@given(documents())
def test_model_documents_parse_alike_both_ways(model: list[cnf.Line]) -> None:
    text = "".join(line.render() for line in model)
    assert parse_with_grammar(text) == model
    assert parse_lines(text, strict=True, source=None) == model


@given(noisy_text)
def test_fast_path_accepts_exactly_what_the_grammar_accepts(text: str) -> None:
    text = text.removeprefix("\ufeff")
    try:
        expected = parse_with_grammar(text)
    except UnexpectedInput:
        with pytest.raises(ciscocfg.ParseError):
            parse_lines(text, strict=True, source=None)
    else:
        assert parse_lines(text, strict=True, source=None) == expected


@given(st.text(max_size=60))
def test_every_line_is_valid_or_explained(text: str) -> None:
    for line in parse_lines(text, strict=False, source=None):
        if isinstance(line, InvalidLine):
            with pytest.raises(ciscocfg.ParseError):
                parse_lines(line.render(), strict=True, source=None)

"""Lossless bytes <-> text, and what happens to text no file can hold."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg import CiscoCfgError, EmitError, ParseError, cnf, dialplan
from ciscocfg._text import decode_bytes, encode_text, encoded_size


@given(st.binary())
def test_any_bytes_survive(data: bytes) -> None:
    assert encode_text(decode_bytes(data)) == data
    assert encoded_size(decode_bytes(data)) == len(data)


@given(st.text())
def test_size_of_any_text_never_raises(text: str) -> None:
    try:
        assert encoded_size(text) == len(encode_text(text))
    except EmitError:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def test_lone_surrogate_is_our_error_not_unicode_error() -> None:
    doc = cnf.loads("phone_label: \ud800\n", strict=False)
    assert [d.code for d in cnf.validate(doc) if d.code == "CNF002"] == []
    with pytest.raises(EmitError, match="lone surrogate"):
        cnf.dump(doc, io.BytesIO())
    assert issubclass(EmitError, CiscoCfgError)


def test_xml_text_with_a_lone_surrogate_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="cannot be encoded"):
        dialplan.loads('<DIALTEMPLATE><TEMPLATE MATCH="\ud800" Timeout="0"/></DIALTEMPLATE>')

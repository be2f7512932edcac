"""Lossless bytes <-> text, and what happens to text no file can hold."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg import CiscoCfgError, EmitError, ParseError, WriteRefused, cnf, dialplan
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


def test_dump_to_a_path_replaces_the_file_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "SIPDefault.cnf"
    target.write_bytes(b"proxy_register: 0\n")
    target.chmod(0o640)
    doc = cnf.loads("proxy_register: 1\n")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", no_space)
        with pytest.raises(OSError, match="No space"):
            cnf.dump(doc, target)
    assert target.read_bytes() == b"proxy_register: 0\n"
    assert [p.name for p in tmp_path.iterdir()] == ["SIPDefault.cnf"]
    cnf.dump(doc, target)  # asked for by name: an existing file is replaced
    assert target.read_bytes() == b"proxy_register: 1\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["SIPDefault.cnf"]


def test_dump_through_a_link_rewrites_the_file_it_names(tmp_path: Path) -> None:
    shared = tmp_path / "shared.xml"
    shared.write_bytes(b"<DIALTEMPLATE/>\n")
    (tmp_path / "dialplan.xml").symlink_to(shared)
    plan = dialplan.loads(
        '<DIALTEMPLATE>\n  <TEMPLATE MATCH="911" Timeout="0"/>\n</DIALTEMPLATE>\n'
    )
    dialplan.dump(plan, tmp_path / "dialplan.xml")
    assert (tmp_path / "dialplan.xml").is_symlink()
    assert shared.read_bytes() == plan.dumps().encode()


def test_dump_refuses_a_folder_and_a_missing_folder(tmp_path: Path) -> None:
    doc = cnf.loads("a: 1\n")
    for where in (tmp_path, tmp_path / "missing" / "a.cnf"):
        with pytest.raises(WriteRefused):
            cnf.dump(doc, where)
    assert list(tmp_path.iterdir()) == []


def test_dump_to_a_file_object_writes_to_it() -> None:
    out = io.BytesIO()
    cnf.dump(cnf.loads("a: 1\n"), out)
    assert out.getvalue() == b"a: 1\n"

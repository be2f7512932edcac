"""A file the library cannot read is one clear finding or one error line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.mutations import corpus_documents, mutated
from support.trees import IMAGE, MAC, build_tree

from ciscocfg import ParseError, sepxml
from ciscocfg._xml import parse
from ciscocfg.cli import main
from ciscocfg.provision import check_tree

#: A name whose first byte is not UTF-8: once a UnicodeEncodeError from deep inside the reader.
BROKEN = b"<\xff:a/>"
OTHER_MAC = "001122334455"


def test_check_reports_an_unreadable_file_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / f"SEP{OTHER_MAC}.cnf.xml").write_bytes(BROKEN)
    (root / "dialplan.xml").write_bytes(b"<DIALTEMPLATE> " + BROKEN + b"</DIALTEMPLATE>")
    assert main(["check", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    out = captured.out
    assert "2 phone(s)" in out
    assert f"SEP{OTHER_MAC}.cnf.xml:1: error PRV090: byte 0xFF is not UTF-8" in out
    assert "dialplan.xml:1: error PRV090: byte 0xFF is not UTF-8" in out
    # The other phone is walked to the end of its boot, its files all read.
    phone = out.split(f"Phone {MAC}")[1].split("Files every phone reads")[0]
    assert "Chirp.raw                found" in phone
    assert "ends up with: protocol 'SIP'" in phone


def test_check_json_lists_the_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build_tree(tmp_path / "tftp")
    (root / "dialplan.xml").write_bytes(BROKEN)
    assert main(["check", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    found = [(d["code"], d["source"], d["line"]) for d in data["shared"]]
    assert ("PRV090", "dialplan.xml", 1) in found


@pytest.mark.parametrize(
    "content",
    [BROKEN, b'<?xml version="1.0" encoding="UTF-7"?><DIALTEMPLATE/>', b"<DIALTEMPLATE>"],
    ids=["not-utf8", "utf-7", "not-closed"],
)
def test_dialplan_command_prints_one_line_for_an_unreadable_plan(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "dialplan.xml"
    path.write_bytes(content)
    run = subprocess.run(
        [sys.executable, "-m", "ciscocfg", "dialplan", str(path), "911"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"ciscocfg: {path}:1:")
    assert "Traceback" not in run.stderr


def test_dialplan_command_on_a_missing_file_is_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ciscocfg", "dialplan", str(tmp_path / "absent.xml"), "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert len(run.stderr.splitlines()) == 1
    assert "absent.xml" in run.stderr


# -- a damaged file anywhere in a tree -------------------------------------------------------------

SEP_XML = sepxml.new_sip(
    name="3001", password="s3cret", proxy="192.0.2.10", display_name="Lobby", phone_label="Lobby"
).dumps()
#: What each file of the tree is mutated from: itself, and real files of its kind.
KINDS = {
    "SIPDefault.cnf": ("cnf", "seed"),
    f"SIP{MAC}.cnf": ("cnf", "seed"),
    "dialplan.xml": ("dialplan",),
    f"SEP{OTHER_MAC}.cnf.xml": ("xmlcfg",),
    "RINGLIST.DAT": ("ringlist",),
    "OS79XX.TXT": ("os79xx",),
}
NOT_READ_AS_XML = {"SIPDefault.cnf", f"SIP{MAC}.cnf", "RINGLIST.DAT", "OS79XX.TXT"}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_check_reads_every_phone_whatever_one_file_holds(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build_tree(Path(tmp) / "tftp")
        (root / f"SEP{OTHER_MAC}.cnf.xml").write_text(SEP_XML)
        name = data.draw(st.sampled_from([*sorted(KINDS), f"{IMAGE}.loads", "Chirp.raw"]))
        path = root / name
        seeds = [path.read_bytes(), *corpus_documents(KINDS.get(name, ()))]
        damaged = data.draw(mutated(seeds), label="damaged")
        path.write_bytes(damaged)
        report = check_tree(root)  # raises nothing
        assert {phone.mac for phone in report.phones} == {MAC, OTHER_MAC}
        if name not in NOT_READ_AS_XML and name in KINDS:
            try:
                parse(damaged)
            except ParseError:
                # PRV090 names where the XML reader stopped; content that is no text at all (a
                # NUL byte, a gzip header) is the one TXT finding instead.
                unread = {"PRV090", "TXT001", "TXT002", "TXT003"}
                sources = {d.source for d in report.diagnostics if d.code in unread}
                assert name in sources

"""``ciscocfg check``: grouped human output, JSON for tools, exit status by severity."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import pytest
from support.trees import BREAKERS, MAC, build_tree

from ciscocfg.cli import main
from ciscocfg.cli.cmd_check import parse_target


def test_correct_tree_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_tree(tmp_path / "tftp")
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"Phone {MAC}" in out
    assert "findings: none" in out
    assert "0 error(s), 0 warning(s), 0 note(s): the phones will boot as configured." in out


def test_problems_are_grouped_by_phone_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["no line 1"][0](root)
    BREAKERS["ring file absent"][0](root)
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    phone, shared = out.split("Files every phone reads")
    assert f"SIP{MAC}.cnf: error PRV040" in phone
    assert "No Valid Line Names Provisioned" in phone
    assert "Chirp.raw: warning PRV061" in shared
    assert "Chirp.raw" in phone  # the boot sequence names it: "not found"


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["upgrade jump"][0](root)
    assert main(["check", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] is True
    (phone,) = data["phones"]
    assert phone["mac"] == MAC
    assert phone["requests"][0] == {
        "name": "OS79XX.TXT",
        "purpose": "image selector read by images older than 8.x",
        "found": True,
        "size": 14,
        "error": None,
    }
    codes = [(d["code"], d["source"], d["line"]) for d in data["shared"]]
    assert ("PRV038", "SIPDefault.cnf", 2) in codes


def test_pasted_text_gets_a_repair_hint_that_works_where_it_is_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(tmp_path / "my tftp")
    BREAKERS["typographic quotes"][0](root)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["pytest"])  # called from Python, however pytest started
    main(["check", "my tftp"])
    hint = capsys.readouterr().out.split("are repaired by: ")[1].splitlines()[0]
    assert hint == f"ciscocfg fmt --write 'my tftp/SIP{MAC}.cnf'"
    assert main(shlex.split(hint)[1:]) == 0  # the command as printed, from where it was typed
    assert main(["check", "my tftp"]) == 0


def test_mac_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_tree(tmp_path / "tftp")
    assert main(["check", str(root), "--mac", "00-12-D9-A1-B2-C3"]) == 0
    assert main(["check", str(root), "--mac", "nope"]) == 2
    assert "not a MAC" in capsys.readouterr().err


def test_bad_usage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "missing")]) == 2
    (tmp_path / "file").write_bytes(b"mine")
    # A file where the saved files would go: refused before the server is asked anything (no
    # server listens on port 9).
    assert (
        main(["check", "tftp://127.0.0.1:9", "--mac", MAC, "--save", str(tmp_path / "file")]) == 2
    )
    assert capsys.readouterr().err.endswith("file: not a directory to save into\n")
    assert (tmp_path / "file").read_bytes() == b"mine"
    assert main(["check", "tftp://127.0.0.1:6969"]) == 2  # no --mac
    assert main(["check", "tftp://:69", "--mac", MAC]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tftp://127.0.0.1", ("127.0.0.1", 69)),
        ("tftp://127.0.0.1:6969", ("127.0.0.1", 6969)),
        ("TFTP://[::1]:6970", ("::1", 6970)),
        ("examples/tftproot", None),
    ],
)
def test_parse_target(text: str, expected: tuple[str, int] | None) -> None:
    assert parse_target(text) == expected


def test_outcome_is_shown_without_passwords(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = build_tree(tmp_path / "tftp")
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr().out
    assert "ends up with: protocol 'SIP', image_version 'P0S3-08-12-00', line1_name '2001'" in out
    assert "s3cret" not in out
    BREAKERS["stray SEP<MAC>.cnf.xml"][0](root)
    main(["check", str(root), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["phones"][0]["outcome"]["protocol"] == "SCCP (flipped by SEP<MAC>.cnf.xml)"

"""One set of conventions for every command, run through the installed ``ciscocfg`` program.

Exit status 0 clean, 1 a finding at error level, 2 a usage error or input the command cannot
read; ``--format json`` prints findings in one shape; messages name the file, the address, the
name a misnamed file should have.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.paths import PROJECT_ROOT
from support.tftp_peers import free_udp_port
from support.trees import BREAKERS, MAC, build_tree

from ciscocfg import Diagnostic
from ciscocfg.cli import build_parser
from ciscocfg.cli._common import EXIT_STATUS_HELP

EXAMPLE_TREE = PROJECT_ROOT / "examples" / "tftproot"
_SCRIPT = Path(sys.executable).with_name("ciscocfg")
#: The program as a user runs it: the console script where it is installed, else the module.
PROGRAM = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "ciscocfg"]
DIAGNOSTIC_KEYS = {"code", "severity", "message", "source", "line", "column", "suggestion"}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PROGRAM, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,  # a hang guard, not a timing assertion
        check=False,
    )


def _wav(path: Path, seconds: float) -> Path:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        count = int(8000 * seconds)
        out.writeframes(
            b"".join(
                int(8000 * math.sin(n / 4)).to_bytes(2, "little", signed=True) for n in range(count)
            )
        )
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every input the cases below need, written once."""
    base = tmp_path_factory.mktemp("conventions")
    build_tree(base / "good")
    broken = build_tree(base / "broken")
    BREAKERS["no line 1"][0](broken)
    (base / "clean.cnf").write_text("proxy1_address: 10.0.0.5\nproxy1_port: 5060\n")
    (base / "SIPDefault.cnf").write_text("proxy1_port: x\n")  # CNF201: an error
    (base / "notes").write_text("Some prose, nothing a phone reads.\n")
    (base / "curly.xml").write_text(
        "<DIALTEMPLATE><TEMPLATE MATCH=\u201c911\u201d Timeout=\u201c0\u201d/></DIALTEMPLATE>\n"
    )
    (base / "dialplan.xml").write_text('<DIALTEMPLATE><TEMPLATE MATCH="911"/></DIALTEMPLATE>\n')
    (base / "broken.xml").write_bytes(b"<DIALTEMPLATE>")
    (base / "short.raw").write_bytes(b"\xff" * 100)
    (base / "binary.cnf").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    _wav(base / "song.wav", 1.0)
    _wav(base / "long.wav", 3.0)
    return base


# (arguments, with {w} for the work folder; the exit status every user and script relies on)
CASES: list[tuple[str, str, int]] = [
    # check
    ("check-clean", "check {w}/good", 0),
    ("check-errors", "check {w}/broken", 1),
    ("check-json-errors", "check {w}/broken --format json", 1),
    ("check-no-folder", "check {w}/nowhere", 2),
    ("check-not-a-mac", "check {w}/good --mac zz", 2),
    ("check-bad-port", "check tftp://127.0.0.1:99999 --mac " + MAC, 2),
    ("check-port-zero", "check tftp://127.0.0.1:0 --mac " + MAC, 2),
    ("check-live-without-mac", "check tftp://127.0.0.1:6969", 2),
    ("check-bad-format", "check {w}/good --format xml", 2),
    # lint
    ("lint-clean", "lint {w}/clean.cnf {w}/dialplan.xml", 0),
    ("lint-error", "lint {w}/SIPDefault.cnf", 1),
    ("lint-folder", "lint {w}/broken", 1),
    ("lint-every-kind", "lint {w}/good/RINGLIST.DAT {w}/good/OS79XX.TXT {w}/good/Chirp.raw", 0),
    ("lint-missing", "lint {w}/nowhere.cnf", 2),
    ("lint-unknown-kind", "lint {w}/notes", 2),
    ("lint-forced-kind", "lint --kind cnf {w}/notes", 1),
    ("lint-unreadable-xml", "lint {w}/broken.xml", 1),
    ("lint-bad-model", "lint --model 9999 {w}/clean.cnf", 2),
    # fmt
    ("fmt-diff", "fmt {w}/curly.xml", 0),
    ("fmt-check", "fmt --check {w}/curly.xml", 1),
    ("fmt-check-clean", "fmt --check {w}/clean.cnf {w}/good", 0),
    ("fmt-missing", "fmt {w}/nowhere.cnf", 2),
    ("fmt-binary", "fmt {w}/binary.cnf", 2),
    ("fmt-audio", "fmt {w}/short.raw", 2),
    # firmware
    ("firmware-name", "firmware P0S3-08-12-00", 0),
    ("firmware-not-a-name", "firmware foo", 1),
    ("firmware-refused-jump", "firmware --upgrade P00303020214 P0S3-07-4-00 --direct", 1),
    ("firmware-unknown-family", "firmware --upgrade 6.3 8.2 --family nope", 2),
    ("firmware-nothing-asked", "firmware", 2),
    ("firmware-loads-missing", "firmware --loads {w}/nowhere.loads", 2),
    # dialplan
    ("dialplan-decide", "dialplan {w}/dialplan.xml 911", 0),
    ("dialplan-lint", "dialplan {w}/dialplan.xml", 0),
    ("dialplan-unreadable", "dialplan {w}/broken.xml 911", 2),
    ("dialplan-lint-unreadable", "dialplan {w}/broken.xml", 1),
    ("dialplan-missing", "dialplan {w}/nowhere.xml 911", 2),
    # migrate
    ("migrate-unknown-model", "migrate {w}/good {w}/out-model --model 9999", 2),
    ("migrate-no-source", "migrate {w}/nowhere {w}/out-none --model 7961", 2),
    # ringtone
    ("ringtone-valid", "ringtone {w}/good/Chirp.raw", 0),
    ("ringtone-invalid", "ringtone {w}/short.raw", 1),
    ("ringtone-not-wav", "ringtone {w}/clean.cnf -o {w}/never.raw", 2),
    ("ringtone-missing", "ringtone {w}/nowhere.raw", 2),
    # serve, get, put: the usage their parsers check
    ("serve-port-too-big", "serve {w}/good --port 99999", 2),
    ("serve-port-negative", "serve {w}/good --port -1", 2),
    ("serve-no-folder", "serve {w}/nowhere", 2),
    ("get-port-zero", "get 127.0.0.1 x --port 0", 2),
    ("put-missing-file", "put 127.0.0.1 {w}/nowhere.bin --port 9", 2),
    # no command at all
    ("no-command", "", 2),
]


@pytest.mark.parametrize(("args", "status"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_exit_status(work: Path, args: str, status: int) -> None:
    result = run(*args.format(w=work).split())
    assert result.returncode == status, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "<string>" not in result.stdout + result.stderr
    if status == 2:
        assert result.stderr.strip(), "a status of 2 always says why"


def test_every_help_ends_with_the_one_exit_table() -> None:
    parser = build_parser()
    assert parser.epilog == EXIT_STATUS_HELP
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    commands: dict[str, argparse.ArgumentParser] = action.choices
    assert len(commands) >= 10
    for name, command in commands.items():
        assert command.format_help().rstrip().endswith(EXIT_STATUS_HELP), name


def _diagnostics(value: Any) -> Iterator[dict[str, Any]]:
    """Every finding in a JSON document: a dict that has a ``code`` and a ``severity``."""
    if isinstance(value, dict):
        if "code" in value and "severity" in value:
            yield value
        else:
            for item in value.values():
                yield from _diagnostics(item)
    elif isinstance(value, list):
        for item in value:
            yield from _diagnostics(item)


@pytest.mark.parametrize(
    "args",
    [
        "check {w}/broken",
        "lint {w}/broken",
        "firmware foo POS3-08-12-00 P0S3-08-12-00",
        "dialplan {w}/good/dialplan.xml 911 --lint",
        "migrate {w}/broken {w}/migrated --model 7961",
        "ringtone {w}/short.raw",
        "ringtone {w}/long.wav -o {w}/long.raw",
    ],
    ids=lambda a: a.split()[0] + ("-convert" if "-o" in a else ""),
)
def test_json_of_every_reporting_command_holds_findings_in_one_shape(work: Path, args: str) -> None:
    result = run(*args.format(w=work).split(), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    found = list(_diagnostics(document))
    assert found or args.startswith("dialplan"), document
    for finding in found:
        assert set(finding) == DIAGNOSTIC_KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["source"], str)
        assert finding["source"] != "<string>"
    if args.startswith("lint"):
        assert isinstance(document, list)  # a plain list of findings
    else:
        assert isinstance(document, dict)
        assert isinstance(document["diagnostics"], list)  # every finding, once


def test_the_json_shape_is_the_diagnostic_shape() -> None:
    finding = Diagnostic("CNF201", "error", "m", line=2, column=3, source="f", suggestion="s")
    assert finding.to_json() == {
        "code": "CNF201",
        "severity": "error",
        "message": "m",
        "source": "f",
        "line": 2,
        "column": 3,
        "suggestion": "s",
    }


def test_lint_reads_every_kind_in_a_folder_and_passes_over_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    shutil.copytree(EXAMPLE_TREE, root)
    result = run("lint", str(root), "--format", "json")
    assert result.returncode == 1
    sources = {os.path.basename(d["source"]) for d in json.loads(result.stdout)}
    assert {"SIPDefault.cnf", "SIP0012D9A1B2C3.cnf", "OS79XX.TXT"} <= sources
    assert "README.md" not in sources
    assert result.stderr == ""  # JSON alone: the summary is for a person
    text = run("lint", str(root))
    assert "7 file(s) linted: " in text.stderr
    assert "; 1 file(s) of no known kind passed over" in text.stderr


def test_lint_names_the_file_a_misnamed_phone_file_should_be(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    for wrong in ("SIP00:12:D9:A1:B2:C3.cnf", f"SIP{MAC}.cnf.txt"):
        (root / f"SIP{MAC}.cnf").rename(root / wrong)
        result = run("lint", wrong, cwd=root)
        assert result.returncode == 1
        assert f"did you mean 'SIP{MAC}.cnf'?" in result.stdout
        checked = run("check", ".", cwd=root)
        assert f"{wrong}: error PRV014" in checked.stdout
        assert f"did you mean 'SIP{MAC}.cnf'?" in checked.stdout
        (root / wrong).rename(root / f"SIP{MAC}.cnf")


def test_check_suggests_the_mac_meant(work: Path) -> None:
    typo = run("check", str(work / "good"), "--mac", "0O12D9A1B2C3")
    assert typo.returncode == 2
    assert f"did you mean {MAC}?" in typo.stderr
    other = run("check", str(work / "good"), "--mac", "0012D9A1B2C4", "--format", "json")
    hints = [d for d in json.loads(other.stdout)["diagnostics"] if d["code"] == "PRV002"]
    assert [d["suggestion"] for d in hints] == [MAC]


def test_fmt_repairs_xml_and_keeps_its_tree(tmp_path: Path) -> None:
    path = tmp_path / "dialplan.xml"
    path.write_text(
        "<?xml version=\u201c1.0\u201d?>\n<!-- \u201cdo not touch\u201d -->\n"
        "<DIALTEMPLATE>\n  <TEMPLATE MATCH=\u201c911\u201d Timeout=\u201c0\u201d/>\n"
        '  <TEMPLATE MATCH="9,\u00a0*" Timeout="5"/>\n</DIALTEMPLATE>\n'
    )
    before = run("lint", str(path))
    assert before.returncode == 1  # not well-formed: the phone ignores the whole plan
    assert run("fmt", "--write", str(path)).returncode == 0
    assert path.read_text() == (
        '<?xml version="1.0"?>\n<!-- \u201cdo not touch\u201d -->\n'
        '<DIALTEMPLATE>\n  <TEMPLATE MATCH="911" Timeout="0"/>\n'
        '  <TEMPLATE MATCH="9, *" Timeout="5"/>\n</DIALTEMPLATE>\n'
    )
    assert run("fmt", "--check", str(path)).returncode == 0
    assert run("dialplan", str(path), "911").stdout.startswith("911: dial")


@pytest.mark.realtime
def test_a_silent_server_is_one_line(tmp_path: Path) -> None:
    port = free_udp_port()
    result = run("check", f"tftp://127.0.0.1:{port}", "--mac", MAC, "--retries", "0")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"ciscocfg: nothing answers at 127.0.0.1:{port} (no reply to a read request): no TFTP "
        "server there, or a firewall drops the requests"
    ]


def test_a_port_in_use_is_named(work: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        result = run("serve", str(work / "good"), "--port", str(port), "-q")
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", ["serve {w}/good --port 99999", "get 127.0.0.1 x --port 70000"])
def test_ports_are_checked_by_the_parser(work: Path, args: str) -> None:
    result = run(*args.format(w=work).split())
    assert result.returncode == 2
    assert "is not between" in result.stderr
    assert "Traceback" not in result.stderr


def test_messages_name_the_file(work: Path) -> None:
    not_wav = run("ringtone", str(work / "clean.cnf"), "-o", str(work / "x.raw"))
    assert f"{work / 'clean.cnf'}:byte 0: not a WAV file" in not_wav.stderr
    name = run("firmware", "foo")
    assert name.stderr.startswith("foo: error FW001: 'foo' is not a Cisco image name")
    missing = run("lint", str(work / "nowhere.cnf"))
    assert f"{work / 'nowhere.cnf'}: No such file or directory" in missing.stderr


def test_ringtone_says_when_it_cuts(work: Path) -> None:
    result = run("ringtone", str(work / "long.wav"), "-o", str(work / "cut.raw"))
    assert result.returncode == 0
    assert f"{work / 'long.wav'}: info RT201: the sound lasts 3.00 s" in result.stdout
    short = run("ringtone", str(work / "song.wav"), "-o", str(work / "whole.raw"))
    assert "RT201" not in short.stdout


def test_dialplan_without_numbers_lints_the_plan(work: Path) -> None:
    result = run("dialplan", str(work / "good" / "dialplan.xml"))
    assert result.returncode == 0
    assert result.stderr == f"{work / 'good' / 'dialplan.xml'}: no findings\n"
    broken = run("dialplan", str(work / "broken.xml"))
    assert "error PRV090" in broken.stdout


def test_fmt_and_lint_go_on_after_a_file_they_cannot_read(work: Path, tmp_path: Path) -> None:
    pasted = tmp_path / "SIPDefault.cnf"
    pasted.write_text("proxy1_port:\u00a05060\n")
    for command in ("lint", "fmt"):
        result = run(command, str(work / "nowhere.cnf"), str(pasted))
        assert result.returncode == 2
        assert f"{work / 'nowhere.cnf'}: No such file or directory" in result.stderr
        assert "SIPDefault.cnf" in result.stdout  # the readable file was done all the same

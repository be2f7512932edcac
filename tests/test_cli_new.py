"""``ciscocfg new``: from nothing to a phone that boots, as a user runs it.

Every model of the phone table gets a tree that ``ciscocfg check ROOT --running IMAGE`` passes
with no error, and that a running ``ciscocfg serve`` hands to the live check
(``check tftp://...``) with no error either. Bad input gets one line on stderr, exit status 2,
and leaves the folder exactly as it was; so does a write that would replace a file unasked.
Hypothesis drives both sides at the command-line level.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from support.phone_facts import (
    SIP_MODELS,
    broken_descriptions,
    descriptions,
    read_pjsip,
    round_trips,
)
from support.tftp_peers import dnsmasq_server, free_udp_port, wait_for_tftp

from ciscocfg import cnf, dialplan, os79xx, sepxml
from ciscocfg._phones import MODELS, normalize_mac
from ciscocfg.cli import main
from ciscocfg.generate import default_dialplan

MAC = "00:1B:D4:12:34:56"
FILE_MAC = "001BD4123456"


@contextlib.contextmanager
def captured() -> Iterator[dict[str, str]]:
    """stdout and stderr of what runs inside, as text once it is done."""
    result: dict[str, str] = {}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                yield result
        finally:
            for name, handle in (("out", out), ("err", err)):
                handle.seek(0)
                result[name] = handle.read()


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line in this process: (exit status, stdout, stderr)."""
    with captured() as streams:
        try:
            status = main(list(argv))
        except SystemExit as stop:  # argparse's own usage errors
            status = stop.code if isinstance(stop.code, int) else 2
    return status, streams["out"], streams["err"]


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (``None`` for a folder or a link)."""
    found: dict[str, bytes | None] = {}
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        found[name] = None if path.is_dir() or path.is_symlink() else path.read_bytes()
    return found


def one_phone(root: Path, model: str = "7940", *extra: str, mac: str = MAC) -> list[str]:
    keys = MODELS[model].line_keys
    args = ["new", str(root), "--model", model, "--mac", mac, "--proxy", "pbx.example.net"]
    for n in range(1, min(keys, 2) + 1):
        args += ["--line", f"20{n}:s3cret-20{n}:Desk {n}"]
    return [*args, *extra]


def check_errors(*argv: str) -> tuple[int, list[dict[str, Any]]]:
    """``ciscocfg check ... --format json``: its exit status and its error findings."""
    status, out, err = run("check", *argv, "--format", "json")
    assert status in (0, 1), err
    report = json.loads(out)
    every = [*report["shared"], *(d for p in report["phones"] for d in p["diagnostics"])]
    return status, [d for d in every if d["severity"] == "error"]


def named_image(root: Path, mac: str) -> str:
    """The image the tree names for the phone, read from its own file with the codecs."""
    own = root / f"SIP{mac}.cnf"
    if own.exists():
        return cnf.load(own)["image_version"]
    load = sepxml.loads((root / f"SEP{mac}.cnf.xml").read_bytes()).load_information
    assert load
    return load


# -- every model: new, check, serve, live check ----------------------------------------------


@pytest.mark.parametrize("model", SIP_MODELS)
def test_every_model_new_then_check_without_an_error(model: str, tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    keys = MODELS[model].line_keys
    lines = [arg for n in range(1, keys + 1) for arg in ("--line", f"{200 + n}:pw-{n}:Desk {n}")]
    status, out, err = run(
        "new",
        str(root),
        "--model",
        model,
        "--mac",
        "001b.d412.3456",
        "--proxy",
        "10.0.0.5:5062",
        *lines,
        "--label",
        "Desk",
        "--timezone",
        "CET",
        "--ntp",
        "pool.ntp.org",
    )
    assert (status, err) == (0, "")
    image = named_image(root, FILE_MAC)
    assert f"copy {image}.loads and the files it names into {root}" in out
    assert check_errors(str(root), "--running", image) == (0, [])
    for path in root.iterdir():
        assert round_trips(path.name, path.read_bytes()), path.name
    expected = (
        {f"SEP{FILE_MAC}.cnf.xml", "dialplan.xml"}
        if MODELS[model].is_79x1
        else {f"SIP{FILE_MAC}.cnf", "SIPDefault.cnf", "OS79XX.TXT", "dialplan.xml"}
    )
    assert {path.name for path in root.iterdir()} == expected


def _serve(root: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    argv = [sys.executable, "-m", "ciscocfg", "serve", str(root), "--port", str(port)]
    with log.open("wb") as handle:
        return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=handle, env=env)


@pytest.mark.realtime
def test_every_model_served_and_checked_live(tmp_path: Path) -> None:
    """One tree with a phone of every model, built by one ``new`` each (the later ones keep the
    shared files the first wrote), served by ``ciscocfg serve``, checked over TFTP per phone."""
    root = tmp_path / "tftproot"
    phones: list[tuple[str, str]] = []
    for n, model in enumerate(SIP_MODELS):
        mac = f"001BD4AA{n:04X}"
        status, _, err = run(*one_phone(root, model, mac=mac))
        assert (status, err) == (0, ""), model
        phones.append((mac, named_image(root, mac)))
    port = free_udp_port()
    log = tmp_path / "serve.log"
    server = _serve(root, port, log)
    try:
        wait_for_tftp("127.0.0.1", port)
        for mac, image in phones:
            target = f"tftp://127.0.0.1:{port}"
            save = tmp_path / f"got-{mac}"
            live = check_errors(target, "--mac", mac, "--running", image, "--save", str(save))
            assert live == (0, []), (mac, image)
            local = check_errors(str(root), "--mac", mac, "--running", image)
            assert local == (0, []), (mac, image)
            fetched = sorted(path.name for path in save.iterdir())
            assert fetched, mac
            for name in fetched:
                assert (save / name).read_bytes() == (root / name).read_bytes()
    finally:
        server.terminate()
        server.wait(10)
    assert "Traceback" not in log.read_text()


# -- what it writes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spelling", [MAC, "001b.d412.3456", "00-1b-d4-12-34-56", "SEP001BD4123456"]
)
def test_a_mac_in_any_spelling_names_the_files_as_the_phone_asks(
    spelling: str, tmp_path: Path
) -> None:
    for model, name in (("7960", f"SIP{FILE_MAC}.cnf"), ("7961", f"SEP{FILE_MAC}.cnf.xml")):
        root = tmp_path / model
        assert run(*one_phone(root, model, mac=spelling))[0] == 0
        assert (root / name).exists()


def test_the_7940_gets_its_four_files(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    status, out, _ = run(*one_phone(root, "7940", "--label", "Kitchen"))
    assert status == 0
    assert out.splitlines()[:4] == [
        f"wrote {root / name}"
        for name in (f"SIP{FILE_MAC}.cnf", "SIPDefault.cnf", "OS79XX.TXT", "dialplan.xml")
    ]
    own = cnf.load(root / f"SIP{FILE_MAC}.cnf")
    assert own["image_version"] == "P0S3-8-12-00"
    assert (own["line1_name"], own["line1_password"], own["line1_displayname"]) == (
        "201",
        "s3cret-201",
        "Desk 1",
    )
    assert own["phone_label"] == "Kitchen"
    assert cnf.load(root / "SIPDefault.cnf")["dial_template"] == "dialplan"
    # A loader older than 8.x reads OS79XX.TXT: it must fetch the universal loader first.
    selector = os79xx.loads((root / "OS79XX.TXT").read_text())
    assert selector.image is not None
    assert selector.image.name == "P003-8-12-00"


def test_the_default_dial_plan_never_keeps_the_user_waiting(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    assert run(*one_phone(root))[0] == 0
    plan = dialplan.loads((root / "dialplan.xml").read_bytes())
    for number in dialplan.EMERGENCY_NUMBERS:
        decision = plan.match(number)
        assert (decision.action, decision.timeout) == ("dial", 0), number
    decision = plan.match("0301234567")
    assert decision.action == "dial"
    assert decision.timeout is not None
    assert 0 < decision.timeout < 10
    assert plan.match("0301234567#").timeout == 0


def test_a_dial_plan_of_ones_own_is_written_as_it_is(tmp_path: Path) -> None:
    own = tmp_path / "plan.xml"
    data = b'<DIALTEMPLATE>\r\n  <TEMPLATE MATCH="*" Timeout="2"/>\r\n</DIALTEMPLATE>\r\n'
    own.write_bytes(data)
    root = tmp_path / "tftproot"
    assert run(*one_phone(root, "7961", "--dialplan", str(own)))[0] == 0
    assert (root / "dialplan.xml").read_bytes() == data
    assert data != default_dialplan()


def test_firmware_timezone_and_ntp_are_written(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    extra = ["--firmware", "P0S3-08-11-00.loads", "--timezone", "CET", "--ntp", "10.0.0.1"]
    assert run(*one_phone(root, "7960", *extra))[0] == 0
    assert cnf.load(root / f"SIP{FILE_MAC}.cnf")["image_version"] == "P0S3-08-11-00"
    default = cnf.load(root / "SIPDefault.cnf")
    assert (default["time_zone"], default["sntp_server"]) == ("CET", "10.0.0.1")
    assert check_errors(str(root), "--running", "P0S3-08-11-00") == (0, [])


def test_json_reports_files_and_findings(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    assert run(*one_phone(root))[0] == 0
    status, out, _ = run(
        *one_phone(root, "7960", "--timezone", "EST", mac="001BD4000002"), "--format", "json"
    )
    assert status == 0
    report = json.loads(out)
    assert report["written"] == [str(root / "SIP001BD4000002.cnf")]
    assert report["kept"] == [
        str(root / name) for name in ("SIPDefault.cnf", "OS79XX.TXT", "dialplan.xml")
    ]
    assert report["phones"] == [
        {
            "mac": "001BD4000002",
            "model": "7960",
            "firmware": "P0S3-8-12-00",
            "files": ["SIP001BD4000002.cnf", "SIPDefault.cnf", "OS79XX.TXT", "dialplan.xml"],
        }
    ]
    (finding,) = report["diagnostics"]
    assert {"code", "severity", "message", "source", "line", "column"} <= set(finding)
    assert (finding["code"], finding["severity"], finding["source"]) == (
        "GEN002",
        "warning",
        "SIPDefault.cnf",
    )
    assert report["errors"] is False


# -- the files a tree shares ---------------------------------------------------------------------


def test_an_existing_sipdefault_is_kept_and_what_it_contradicts_reported(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    root.mkdir()
    shared = b'# ours\r\ndial_template: "dialplan"\r\ntime_zone: "GMT"\r\nsntp_server: "ntp1"\r\n'
    (root / "SIPDefault.cnf").write_bytes(shared)
    extra = ("--timezone", "CET", "--ntp", "ntp1", "--force")
    status, out, err = run(*one_phone(root, "7940", *extra))
    assert (status, err) == (0, "")
    assert (root / "SIPDefault.cnf").read_bytes() == shared  # kept, even with --force
    assert f"kept {root / 'SIPDefault.cnf'}" in out
    assert f"wrote {root / 'SIPDefault.cnf'}" not in out
    findings = [line for line in out.splitlines() if "GEN" in line]
    assert len(findings) == 2, out
    assert "warning GEN002: SIPDefault.cnf does not set sntp_mode" in findings[0]
    where = f"{root / 'SIPDefault.cnf'}:3:12"
    assert f"{where}: warning GEN001: SIPDefault.cnf sets time_zone to 'GMT'" in findings[1]


def test_a_second_phone_shares_the_first_ones_files(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    assert run(*one_phone(root, "7940"))[0] == 0
    before = snapshot(root)
    status, out, _ = run(*one_phone(root, "7960", mac="001BD4000002"))
    assert status == 0
    assert "GEN" not in out  # the files the first phone's run wrote suit the second
    after = snapshot(root)
    assert {name: data for name, data in after.items() if name in before} == before
    assert set(after) - set(before) == {"SIP001BD4000002.cnf"}
    for mac in (FILE_MAC, "001BD4000002"):
        assert check_errors(str(root), "--mac", mac, "--running", "P0S3-8-12-00") == (0, [])


# -- never a file lost ---------------------------------------------------------------------------


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    assert run(*one_phone(root))[0] == 0
    own = root / f"SIP{FILE_MAC}.cnf"
    own.write_bytes(b"# edited by hand\n")
    before = snapshot(root)
    status, out, err = run(*one_phone(root))
    assert (status, out) == (2, "")
    assert err == f"ciscocfg: {own}: exists; not replaced (use --force)\n"
    assert snapshot(root) == before
    assert run(*one_phone(root), "--force")[0] == 0
    assert cnf.load(own)["line1_name"] == "201"


def test_a_link_in_the_way_is_replaced_never_followed(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    root.mkdir()
    outside = tmp_path / "outside.cnf"
    outside.write_bytes(b"precious\n")
    (root / f"SIP{FILE_MAC}.cnf").symlink_to(outside)
    assert run(*one_phone(root))[0] == 2
    assert run(*one_phone(root), "--force")[0] == 0
    assert outside.read_bytes() == b"precious\n"
    assert not (root / f"SIP{FILE_MAC}.cnf").is_symlink()


def test_the_other_familys_file_for_the_mac_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    assert run(*one_phone(root, "7961"))[0] == 0
    before = snapshot(root)
    status, _, err = run(*one_phone(root, "7940"), "--force")
    assert status == 2
    assert "would boot SCCP with it" in err
    assert snapshot(root) == before
    (root / f"SEP{FILE_MAC}.cnf.xml").rename(tmp_path / "old.xml")
    assert run(*one_phone(root, "7940"))[0] == 0
    status, _, err = run(*one_phone(root, "7961"), "--force")
    assert status == 2
    assert f"SIP{FILE_MAC}.cnf is there for this MAC" in err


def test_an_input_is_never_written_onto(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    root.mkdir()
    plan = root / "dialplan.xml"
    plan.write_bytes(default_dialplan())
    # The tree's own dial plan given as --dialplan: it is the tree's, so it is kept, not written.
    status, out, _ = run(*one_phone(root, "7961", "--dialplan", str(plan)))
    assert status == 0
    assert f"kept {plan}" in out
    inventory = root / f"SEP{FILE_MAC}.cnf.xml"
    inventory.write_text(f"mac,model,proxy,line1_user,line1_password\n{MAC},7961,pbx,201,pw\n")
    status, _, err = run("new", str(root), "--csv", str(inventory), "--force")
    assert status == 2
    assert "is one of the command's inputs" in err


# -- bad input: one line, exit 2, nothing written --------------------------------------------------


BAD_INPUT = [
    (
        ["--mac", "00:1b:d4:12:34:5O"],
        "--mac: '00:1b:d4:12:34:5O' is not a MAC address",
        "did you mean '00:1b:d4:12:34:50'?",
    ),
    (["--mac", "00:1b:d4:12:34"], "--mac: '00:1b:d4:12:34' is not a MAC address", ""),
    (["--model", "7490"], "--model: unknown phone model '7490'", "did you mean '7940'?"),
    (["--model", "8841"], "--model: unknown phone model '8841'", "7975"),
    (["--line", "203:c"], "--line: the 7940 has 2 lines; 3 given", ""),
    (
        ["--model", "7960", "--line", '203:pa"ss'],
        "--line 3 (password): a .cnf value cannot hold a double quote",
        "",
    ),
    (["--proxy", "pbx:"], "--proxy: 'pbx:' is not HOST[:PORT] (the port is not a number)", ""),
    (["--proxy", "pbx:70000"], "--proxy: port 70000 is not 1-65535", ""),
    (["--proxy", "[::1]:5060"], "--proxy: ", ""),
    (["--proxy", "pbx example"], "--proxy: 'pbx example' is not a dotted IPv4 address", ""),
    (["--firmware", "SIP41.9-4-2SR3-1S"], "--firmware: SIP41.9-4-2SR3-1S is a 7941/7961 image", ""),
    (["--firmware", "POS3-08-12-00"], "--firmware: ", "did you mean 'P0S3-08-12-00'?"),
    (["--timezone", "Mars"], "--timezone: 'Mars' is not a time zone", ""),
    (["--ntp", "a b"], "--ntp: 'a b' is not a dotted IPv4 address", ""),
    (["--dialplan", "/nonexistent/plan.xml"], "--dialplan /nonexistent/plan.xml: No such file", ""),
    (["--dnsmasq", "phones.lan"], "--dnsmasq: 'phones.lan' is not an IPv4 address", ""),
    (
        ["--csv", "phones.csv"],
        "--csv takes every phone from its rows: --model, --mac, --proxy, --line",
        "",
    ),
]


@pytest.mark.parametrize(("extra", "start", "end"), BAD_INPUT)
def test_bad_input_gets_one_line_and_writes_nothing(
    extra: list[str], start: str, end: str, tmp_path: Path
) -> None:
    root = tmp_path / "tftproot"
    args = one_phone(root)
    # An option given again replaces the one one_phone gave (a --line adds to those given).
    for option in extra[0::2]:
        if option in args and option != "--line":
            at = args.index(option)
            del args[at : at + 2]
    for absent in (True, False):
        if not absent:
            assert run(*one_phone(root, mac="001BD4000009"))[0] == 0
        before = snapshot(tmp_path)
        status, out, err = run(*args, *extra)
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert err.startswith(f"ciscocfg: {start}"), err
        assert err.rstrip("\n").endswith(end), err
        assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("201:pass:Kit\nchen", "--line 1 (display name): 'Kit\\nchen' holds a line break"),
        ("201:pa\rss", "--line 1 (password): 'pa\\rss' holds a line break"),
        ("201", "--line 1 (user): '201' is not USER:PASSWORD[:DISPLAY NAME]"),
        ("2 01:pw", "--line 1 (user): '2 01' is not a SIP user name"),
        ("201:", "--line 1 (password): line 1 has no password"),
        ("201:pw: Kitchen", "--line 1 (display name): ' Kitchen' has blanks at one end"),
    ],
)
def test_a_line_the_file_cannot_hold_is_refused(line: str, field: str, tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    args = one_phone(root)
    args[args.index("--line") + 1] = line
    status, _, err = run(*args)
    assert status == 2
    assert err.startswith(f"ciscocfg: {field}"), err
    assert not root.exists()


def test_a_79x1_holds_a_quote_a_cnf_cannot(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    args = one_phone(root, "7961")
    args[args.index("--line") + 1] = '201:pa"ss:Say "hi"'
    assert run(*args)[0] == 0
    # Asterisk's callerid cannot hold the quote: with --asterisk nothing is written at all.
    other = tmp_path / "other"
    status, _, err = run(
        *one_phone(other, "7961"),
        "--line",
        '203:x:Say "hi"',
        "--asterisk",
        "--conf-dir",
        str(tmp_path),
    )
    assert status == 2
    assert err.startswith(
        "ciscocfg: --asterisk: --line 3 (display name): 'Say \"hi\"' of the phone "
    ), err
    assert not other.exists()


def test_usage_errors() -> None:
    assert run("new")[0] == 2
    status, _, err = run("new", "/tmp/nowhere-ciscocfg", "--model", "7940")
    assert status == 2
    assert (
        err
        == "ciscocfg: a new phone needs --mac, --proxy, --line (or --csv FILE for many phones)\n"
    )


def test_root_that_is_a_file_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "file"
    root.write_bytes(b"")
    status, _, err = run(*one_phone(root))
    assert (status, err) == (2, f"ciscocfg: {root}: not a directory\n")
    args = one_phone(root)
    args[1] = ""
    assert run(*args)[:3:2] == (2, "ciscocfg: ROOT is empty: name the TFTP root's folder\n")
    folder = tmp_path / "tftproot"
    (folder / "dialplan.xml").mkdir(parents=True)
    status, _, err = run(*one_phone(folder))
    assert status == 2
    assert err.startswith(f"ciscocfg: {folder / 'dialplan.xml'}: cannot read the tree's own")


def test_the_validators_warnings_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    status, out, _ = run(*one_phone(root, "7961", "--label", "Front desk east"))
    assert status == 0
    own = root / f"SEP{FILE_MAC}.cnf.xml"
    assert f"{own}:22: warning XML104: <phoneLabel> has 15 characters" in out
    assert "; 2 warning(s)" in out  # XML104 and XML105 (a blank in the label)
    status, out, _ = run(
        *one_phone(tmp_path / "json", "7940", "--label", "Küche"), "--format", "json"
    )
    report = json.loads(out)
    assert [(d["code"], d["source"]) for d in report["diagnostics"]] == [
        ("CNF303", f"SIP{FILE_MAC}.cnf")
    ]


# -- a CSV fleet -------------------------------------------------------------------------------

FLEET = """\
mac,model,proxy,line1_user,line1_password,line1_display_name,line2_user,line2_password,line2_display_name,label
00:1b:d4:00:00:01,7940,pbx.example.net,201,pw-201,Kitchen,,,,Kitchen
001B.D400.0002,7960,pbx.example.net,202,pw-202,Hall,212,pw-212,Hall 2,Hall
00-1B-D4-00-00-03,7961,pbx.example.net:5062,203,pw-203,Office,,,,Office
001bd4000004,7975,10.0.0.5,204,pw-204,Boss,214,pw-214,Boss 2,
"""


def test_a_csv_fleet_is_written_and_every_phone_boots(tmp_path: Path) -> None:
    inventory = tmp_path / "phones.csv"
    inventory.write_text(FLEET)
    root = tmp_path / "tftproot"
    status, out, err = run("new", str(root), "--csv", str(inventory), "-q")
    assert (status, err) == (0, "")
    assert out == "7 file(s) written for 4 phones\n"
    assert sorted(path.name for path in root.iterdir()) == [
        "OS79XX.TXT",
        "SEP001BD4000003.cnf.xml",
        "SEP001BD4000004.cnf.xml",
        "SIP001BD4000001.cnf",
        "SIP001BD4000002.cnf",
        "SIPDefault.cnf",
        "dialplan.xml",
    ]
    for n in range(1, 5):
        mac = f"001BD400000{n}"
        image = named_image(root, mac)
        assert check_errors(str(root), "--mac", mac, "--running", image) == (0, [])
    hall = cnf.load(root / "SIP001BD4000002.cnf")
    assert (hall["line2_name"], hall["line2_password"], hall["phone_label"]) == (
        "212",
        "pw-212",
        "Hall",
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace("001bd4000004", "001bd400000G"),
            "row 5, column mac: '001bd400000G' is not a MAC address",
        ),
        (lambda t: t.replace("7961", "7691"), "row 4, column model: unknown phone model '7691'"),
        (
            lambda t: t.replace("pw-202", 'pw"202'),
            "row 3, column line1_password: a .cnf value cannot hold a double quote",
        ),
        (
            lambda t: t.replace("Boss 2", '"Boss\n2"'),
            "row 5, column line2_display_name: 'Boss\\n2' holds a line break",
        ),
        (
            lambda t: t.replace("10.0.0.5", "10.0.0.5:0"),
            "row 5, column proxy: port 0 is not 1-65535",
        ),
        (
            lambda t: t.replace("001B.D400.0002", "00:1b:d4:00:00:01"),
            "row 3, column mac: 001BD4000001 is also on row 2",
        ),
        (
            lambda t: t.replace(",label\n", ",colour\n"),
            "row 1, column colour: unknown column 'colour'",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(edit: Any, message: str, tmp_path: Path) -> None:
    inventory = tmp_path / "phones.csv"
    inventory.write_text(edit(FLEET))
    root = tmp_path / "tftproot"
    status, out, err = run("new", str(root), "--csv", str(inventory))
    assert (status, out) == (2, "")
    assert err.startswith(f"ciscocfg: {inventory}: {message}"), err
    assert err.count("\n") == 1
    assert not root.exists()


def test_a_fleet_is_written_all_or_nothing(tmp_path: Path) -> None:
    inventory = tmp_path / "phones.csv"
    inventory.write_text(FLEET)
    root = tmp_path / "tftproot"
    root.mkdir()
    (root / "SEP001BD4000004.cnf.xml").write_bytes(b"<device/>\n")
    before = snapshot(tmp_path)
    status, _, err = run(
        "new",
        str(root),
        "--csv",
        str(inventory),
        "--dnsmasq",
        "10.0.0.2",
        "--asterisk",
        "--conf-dir",
        str(tmp_path / "conf"),
    )
    assert status == 2
    assert "SEP001BD4000004.cnf.xml: exists; not replaced" in err
    assert snapshot(tmp_path) == before  # not one phone's file, nor the peers' files


def test_options_apply_to_every_row(tmp_path: Path) -> None:
    inventory = tmp_path / "phones.csv"
    inventory.write_text(FLEET)
    root = tmp_path / "tftproot"
    args = ["--firmware", "P0S3-08-11-00", "--timezone", "CET", "--ntp", "10.0.0.1"]
    assert run("new", str(root), "--csv", str(inventory), *args)[0] == 0
    assert cnf.load(root / "SIP001BD4000002.cnf")["image_version"] == "P0S3-08-11-00"
    # The image is for the 7940/7960: the other models get their family's newest.
    assert named_image(root, "001BD4000003") == "SIP41.9-4-2SR3-1S"
    assert cnf.load(root / "SIPDefault.cnf")["time_zone"] == "CET"
    assert b"<ntp>" in (root / "SEP001BD4000003.cnf.xml").read_bytes()


# -- the peers' side -------------------------------------------------------------------------------


def test_dnsmasq_and_asterisk_files_go_beside_the_tree(tmp_path: Path) -> None:
    inventory = tmp_path / "phones.csv"
    inventory.write_text(FLEET)
    root = tmp_path / "tftproot"
    conf = tmp_path / "conf"
    status, out, _ = run(
        "new",
        str(root),
        "--csv",
        str(inventory),
        "--dnsmasq",
        "192.168.1.2",
        "--asterisk",
        "--conf-dir",
        str(conf),
    )
    assert status == 0
    assert f"wrote {conf / 'dnsmasq-ciscocfg.conf'}" in out
    assert not (root / "asterisk-pjsip.conf").exists()
    snippet = (conf / "dnsmasq-ciscocfg.conf").read_text().splitlines()
    assert "enable-tftp" in snippet
    assert f"tftp-root={root.resolve()}" in snippet
    assert "dhcp-option=150,192.168.1.2" in snippet
    assert 'dhcp-option=66,"192.168.1.2"' in snippet
    sections = read_pjsip((conf / "asterisk-pjsip.conf").read_text())
    by_type = {(name, body["type"]): body for name, body in sections}
    users = {"201", "202", "212", "203", "204", "214"}
    assert {name for name, _ in by_type} == users
    for user in users:
        auth = by_type[(user, "auth")]
        assert auth["password"] == f"pw-{user}"
        assert by_type[(user, "endpoint")]["aors"] == user
        # The phone's own file carries the same credentials.
    assert (
        cnf.load(root / "SIP001BD4000002.cnf")["line2_password"]
        == by_type[("212", "auth")]["password"]
    )
    assert b"<authPassword>pw-203</authPassword>" in (root / "SEP001BD4000003.cnf.xml").read_bytes()


def test_peer_files_are_never_written_into_the_tree(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    for conf in (root, root / "sub"):
        status, _, err = run(*one_phone(root), "--asterisk", "--conf-dir", str(conf))
        assert status == 2
        assert "is inside ROOT" in err
        assert not root.exists()


def test_a_tree_path_dnsmasq_cannot_take_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "a,b"
    status, _, err = run(*one_phone(root), "--dnsmasq", "10.0.0.2", "--conf-dir", str(tmp_path))
    assert status == 2
    assert err.startswith(f"ciscocfg: {root}: "), err
    assert not root.exists()


# -- Hypothesis: any description, valid or not, at the command line ----------------------------


def as_arguments(root: Path, facts: dict[str, Any]) -> list[str]:
    """The command line for a description (values after ``=``, as one that starts with ``-``
    needs)."""
    args = ["new", str(root), f"--model={facts['model']}", f"--mac={facts['mac']}"]
    args.append(f"--proxy={facts['proxy']}")
    args.extend("--line=" + ":".join(line) for line in facts["lines"])
    options = ("label", "firmware", "timezone", "ntp")
    args.extend(f"--{name}={facts[name]}" for name in options if facts.get(name) is not None)
    return args


def _cli_lines(facts: dict[str, Any]) -> dict[str, Any]:
    # On the command line a password ends at the next ':' (the inventory holds any password).
    facts["lines"] = [(u, p.replace(":", "."), n) for u, p, n in facts["lines"]]
    return facts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=descriptions().map(_cli_lines))
def test_any_valid_description_gives_a_tree_that_checks_clean(
    facts: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("tree") / "tftproot"
    status, _, err = run(*as_arguments(root, facts))
    assert (status, err) == (0, "")
    mac = normalize_mac(facts["mac"])
    image = named_image(root, mac)
    assert check_errors(str(root), "--running", image) == (0, [])
    for path in root.iterdir():
        assert round_trips(path.name, path.read_bytes()), path.name


@st.composite
def broken_command_lines(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    facts, how = draw(broken_descriptions())
    return _cli_lines(facts), how


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=broken_command_lines(), existing=st.booleans())
def test_any_invalid_description_writes_nothing(
    case: tuple[dict[str, Any], str], existing: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    facts, how = case
    folder = tmp_path_factory.mktemp("cli")
    root = folder / "tftproot"
    if existing:  # a tree with another phone in it already
        assert run(*one_phone(root, "7960", mac="FFFFFFFFFFFF"))[0] == 0
    before = snapshot(folder)
    status, out, err = run(*as_arguments(root, facts))
    if status == 0:
        # A broken MAC or model text may still spell a real one ("7940G", "00-00-...").
        assert how in ("mac", "model"), (how, facts)
        return
    assert status == 2, err
    assert out == ""
    assert err.startswith("ciscocfg: ")
    assert snapshot(folder) == before


@pytest.mark.realtime
def test_dnsmasq_serves_the_tree_with_the_written_snippet(tmp_path: Path) -> None:
    """The real dnsmasq, configured by nothing but the snippet ``new --dnsmasq`` wrote, serves
    the tree; ``ciscocfg check tftp://`` fetches it in each phone's boot order from inside
    dnsmasq's network namespace (its TFTP port is fixed at 69)."""
    inventory = tmp_path / "phones.csv"
    inventory.write_text(FLEET)
    root = tmp_path / "tftproot"
    conf = tmp_path / "conf"
    args = ["--dnsmasq", "127.0.0.1", "--conf-dir", str(conf)]
    assert run("new", str(root), "--csv", str(inventory), *args)[0] == 0
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    phones = [("001BD4000001", False), ("001BD4000003", True)]
    with dnsmasq_server(root, conf_file=conf / "dnsmasq-ciscocfg.conf") as server:
        reports = []
        for mac, _ in phones:
            check = [sys.executable, "-m", "ciscocfg", "check", "tftp://127.0.0.1", "--mac", mac]
            check += ["--running", named_image(root, mac), "--format", "json"]
            check += ["--save", str(tmp_path / f"got-{mac}")]
            done = subprocess.run(
                [*server.prefix, *check],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                env=env,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            reports.append(json.loads(done.stdout))
    for (mac, xml), report in zip(phones, reports, strict=True):
        (phone,) = report["phones"]
        assert [r["error"] for r in phone["requests"]] == [None] * len(phone["requests"])
        fetched = [r["name"] for r in phone["requests"] if r["found"]]
        if xml:
            assert fetched == [f"SEP{mac}.cnf.xml", "dialplan.xml"]
        else:
            assert fetched == [
                "OS79XX.TXT",
                f"SIP{mac}.cnf",
                "SIPDefault.cnf",
                f"SIP{mac}.cnf",
                "dialplan.xml",
            ]
        for name in fetched:
            assert (tmp_path / f"got-{mac}" / name).read_bytes() == (root / name).read_bytes()
        assert report["errors"] is False


def inventory_text(fleet: list[dict[str, Any]]) -> str:
    """A CSV inventory of descriptions, written by the csv module (quotes, line breaks and all)."""
    count = max(len(facts["lines"]) for facts in fleet)
    header = ["mac", "model", "proxy", "label", "firmware", "timezone", "ntp"]
    header += [f"line{n}_{part}" for n in range(1, count + 1) for part in _LINE_PARTS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for facts in fleet:
        row = [facts.get(name) or "" for name in header[:7]]
        for n in range(count):
            line = facts["lines"][n] if n < len(facts["lines"]) else ("", "", "")
            row.extend(line)
        writer.writerow(row)
    return out.getvalue()


_LINE_PARTS = ("user", "password", "display_name")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fleet=st.lists(descriptions(), min_size=1, max_size=4),
    case=broken_descriptions(),
    at=st.integers(0, 4),
)
def test_any_fleet_with_a_bad_row_writes_nothing(
    fleet: list[dict[str, Any]],
    case: tuple[dict[str, Any], str],
    at: int,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    broken, how = case
    # A CSV cell drops blanks at its start, and an empty firmware cell means the default.
    assume(broken.get("firmware") != "")
    assume(not any(str(cell).startswith(" ") for line in broken["lines"] for cell in line))
    at = min(at, len(fleet))
    macs = [normalize_mac(facts["mac"]) for facts in fleet]
    assume(len(set(macs)) == len(macs))
    fleet = [*fleet[:at], broken, *fleet[at:]]
    folder = tmp_path_factory.mktemp("fleet")
    inventory = folder / "phones.csv"
    inventory.write_text(inventory_text(fleet), encoding="utf-8", newline="")
    root = folder / "tftproot"
    status, out, err = run("new", str(root), "--csv", str(inventory))
    if status == 0:
        # A broken MAC or model text may still spell a real one ("7940G", "00-00-...").
        assert how in ("mac", "model"), (how, broken)
        return
    assert (status, out) == (2, ""), err
    if "is also on row" not in err:  # else a broken MAC spelled another row's
        assert err.startswith(f"ciscocfg: {inventory}: row {at + 2}, column "), err
    assert err.count("\n") == 1
    assert not root.exists()

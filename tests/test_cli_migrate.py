"""``ciscocfg migrate``: a tree in, XML configs and a report out, nothing overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from ciscocfg import sepxml
from ciscocfg.cli import main
from ciscocfg.migrate._bulk import PARALLEL_THRESHOLD, migrate_tree

DEFAULT = 'proxy_register: 1\nimage_version: P0S3-8-12-00\ntime_zone: "EST"\ntelnet_level: 2\n'


def _phone(n: int) -> str:
    return (
        f'line1_name: "{2000 + n}"\nline1_authname: "{2000 + n}"\nline1_password: "pw{n}"\n'
        'proxy1_address: "192.0.2.10"\nend_media_port: 8012\n'
    )


def _tree(root: Path, count: int) -> list[str]:
    root.mkdir()
    (root / "SIPDefault.cnf").write_text(DEFAULT)
    macs = [f"0011223344{n:02X}" for n in range(count)]
    for n, mac in enumerate(macs):
        (root / f"SIP{mac}.cnf").write_text(_phone(n))
    return macs


def test_migrate_tree_writes_configs_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    macs = _tree(tmp_path / "src", 3)
    dst = tmp_path / "dst"
    assert main(["migrate", str(tmp_path / "src"), str(dst), "--model", "7961"]) == 0
    for n, mac in enumerate(macs):
        config = sepxml.load(dst / f"SEP{mac}.cnf.xml")
        assert config.lines[0].name == str(2000 + n)
        assert config.get("sipProfile/sipProxies/registerWithProxy") == "true"
        assert config.get("sipProfile/stopMediaPort") == "8012"
        assert [d for d in sepxml.validate(config) if d.severity == "error"] == []
    report = (dst / "migration-report.txt").read_text()
    assert "3 of 3 phone file(s) written" in report
    assert "SIPDefault.cnf:2: warning MIG004" not in report  # image_version is info
    assert "SIPDefault.cnf:2: info MIG004" in report
    assert "SIPDefault.cnf:4: warning MIG001" in report
    assert "3 of 3 phone(s) written" in capsys.readouterr().out


def test_existing_files_are_kept_without_force(tmp_path: Path) -> None:
    macs = _tree(tmp_path / "src", 2)
    dst = tmp_path / "dst"
    dst.mkdir()
    target = dst / f"SEP{macs[0]}.cnf.xml"
    target.write_text("<device/>\n")
    args = ["migrate", str(tmp_path / "src"), str(dst), "--model", "7941"]
    assert main(args) == 1
    assert target.read_text() == "<device/>\n"
    assert "not overwritten (use --force)" in (dst / "migration-report.txt").read_text()
    assert main([*args, "--force"]) == 0
    assert sepxml.load(target).protocol == "SIP"


def test_large_fleet_uses_worker_processes(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD
    macs = _tree(tmp_path / "src", count)
    parallel = migrate_tree(tmp_path / "src", tmp_path / "par", model="7961", jobs=2)
    serial = migrate_tree(tmp_path / "src", tmp_path / "ser", model="7961", jobs=1)
    assert parallel.written == serial.written == count
    for mac in macs:
        name = f"SEP{mac}.cnf.xml"
        assert (tmp_path / "par" / name).read_bytes() == (tmp_path / "ser" / name).read_bytes()
    assert [p.findings for p in parallel.phones] == [p.findings for p in serial.phones]


def test_bad_usage(tmp_path: Path) -> None:
    assert main(["migrate", str(tmp_path / "nope"), str(tmp_path / "dst"), "--model", "7961"]) == 2
    src = tmp_path / "src"
    src.mkdir()
    assert main(["migrate", str(src), str(tmp_path / "d"), "--model", "7961", "--jobs", "0"]) == 2
    assert main(["migrate", str(src), str(tmp_path / "d"), "--model", "7940"]) == 2


def test_findings_are_printed_unless_quiet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path / "src", 1)
    assert main(["migrate", str(tmp_path / "src"), str(tmp_path / "a"), "--model", "7961"]) == 0
    assert "SIPDefault.cnf:4: warning MIG001: telnet_level" in capsys.readouterr().out
    args = ["migrate", str(tmp_path / "src"), str(tmp_path / "b"), "--model", "7961", "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "MIG001" not in out
    assert "1 of 1 phone(s) written" in out


def test_load_is_written_and_checked_against_the_model(tmp_path: Path) -> None:
    macs = _tree(tmp_path / "src", 1)
    src, dst = str(tmp_path / "src"), str(tmp_path / "dst")
    assert main(["migrate", src, dst, "--model", "7961", "--load", "SIP41.9-4-2SR3-1S"]) == 0
    config = sepxml.load(tmp_path / "dst" / f"SEP{macs[0]}.cnf.xml")
    assert config.load_information == "SIP41.9-4-2SR3-1S"
    assert [d for d in sepxml.validate(config, model="7961") if d.severity == "error"] == []
    assert main(["migrate", src, dst, "--model", "7911", "--load", "SIP41.9-4-2SR3-1S"]) == 2

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


def test_existing_files_are_kept_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Refused as a whole, before anything is converted: no other phone's file, no report.
    macs = _tree(tmp_path / "src", 2)
    dst = tmp_path / "dst"
    dst.mkdir()
    target = dst / f"SEP{macs[0]}.cnf.xml"
    target.write_text("<device/>\n")
    args = ["migrate", str(tmp_path / "src"), str(dst), "--model", "7941"]
    assert main(args) == 2
    assert capsys.readouterr().err == f"ciscocfg: {target}: exists; not replaced (use --force)\n"
    assert target.read_text() == "<device/>\n"
    assert sorted(p.name for p in dst.iterdir()) == [target.name]
    assert main([*args, "--force"]) == 0
    assert sepxml.load(target).protocol == "SIP"
    assert sorted(p.name for p in dst.iterdir()) == sorted(
        [*(f"SEP{mac}.cnf.xml" for mac in macs), "migration-report.txt"]
    )
    # Run again, every file is there: one refusal says how many more there are.
    assert main(args) == 2
    assert "exists; not replaced (use --force); 2 more refused too" in capsys.readouterr().err


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


def test_nothing_is_written_into_the_tree_being_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 7940 that finds SEP<MAC>.cnf.xml beside its SIP files boots SCCP from it.
    _tree(tmp_path / "src", 2)
    src = tmp_path / "src"
    (src / "sub").mkdir()
    (tmp_path / "alias").symlink_to(src)
    before = sorted(p.name for p in src.rglob("*"))
    for dst, words in (
        (src, "is the tree being migrated"),
        (tmp_path / "alias", "is the tree being migrated"),
        (src / "sub", f"is inside the tree being migrated ({src})"),
        (src / "new" / "deeper", f"is inside the tree being migrated ({src})"),
    ):
        for force in ([], ["--force"]):
            assert main(["migrate", str(src), str(dst), "--model", "7961", *force]) == 2
            assert (
                capsys.readouterr().err
                == f"ciscocfg: {dst}: {words}; write the new configs elsewhere\n"
            )
    report = src / "sub" / "report.txt"
    args = ["migrate", str(src), str(tmp_path / "dst"), "--model", "7961", "--force"]
    assert main([*args, "--report", str(report)]) == 2
    assert "is inside the tree being migrated" in capsys.readouterr().err
    assert sorted(p.name for p in src.rglob("*")) == before
    assert not (tmp_path / "dst").exists()


def test_a_tree_may_be_migrated_into_a_folder_that_holds_it(tmp_path: Path) -> None:
    macs = _tree(tmp_path / "old", 1)
    assert main(["migrate", str(tmp_path / "old"), str(tmp_path), "--model", "7961"]) == 0
    assert (tmp_path / f"SEP{macs[0]}.cnf.xml").is_file()


def test_the_report_goes_only_where_asked_and_never_over_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path / "src", 1)
    args = ["migrate", str(tmp_path / "src"), str(tmp_path / "dst"), "--model", "7961"]
    assert main([*args, "--report", str(tmp_path / "missing" / "r.txt")]) == 2
    assert "no such directory" in capsys.readouterr().err
    (tmp_path / "r.txt").write_text("notes\n")
    assert main([*args, "--report", str(tmp_path / "r.txt")]) == 2
    assert not (tmp_path / "dst").exists()
    assert (tmp_path / "r.txt").read_text() == "notes\n"
    assert main([*args, "--report", str(tmp_path / "r.txt"), "--force"]) == 0
    assert (tmp_path / "r.txt").read_text().startswith("Migration to the Cisco 7961")
    assert [p.name for p in (tmp_path / "dst").iterdir()] == ["SEP001122334400.cnf.xml"]


def test_one_phone_in_two_files_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    macs = _tree(tmp_path / "src", 1)
    (tmp_path / "src" / "sip_phone").mkdir()
    (tmp_path / "src" / "sip_phone" / f"SIP{macs[0]}.cnf").write_text(_phone(7))
    dst = tmp_path / "dst"
    assert main(["migrate", str(tmp_path / "src"), str(dst), "--model", "7961", "--force"]) == 2
    err = capsys.readouterr().err
    assert f"SEP{macs[0]}.cnf.xml: would be written from both" in err
    assert "migrate one of them" in err
    assert not dst.exists()

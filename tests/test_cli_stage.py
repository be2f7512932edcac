"""``ciscocfg firmware stage``: exit statuses, what it prints, what it writes and what not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.bundles import lay_bundles, snapshot
from support.firmware_trees import sip_tree, xml_tree

from ciscocfg.cli import main


def stage(root: Path, bundles: Path, running: str, target: str, *more: str) -> int:
    return main(
        [
            "firmware",
            "stage",
            str(root),
            "--running",
            running,
            "--target",
            target,
            "--from",
            str(bundles),
            *more,
        ]
    )


def test_the_story_staged_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00", "P0S3-08-2-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    assert stage(root, bundles, "SCCP 3.x", "P0S3-08-2-00") == 0
    out = capsys.readouterr().out
    assert "step 1 of 3: P0S3-06-3-00" in out
    assert (
        "the phone: After a reboot its loader reads OS79XX.TXT and fetches P0S3-06-3-00.bin;" in out
    )
    assert (
        f"after it reboots: ciscocfg firmware stage {root} --running P0S3-06-3-00 "
        f"--target P0S3-08-2-00 --from {bundles}"
    ) in out
    assert stage(root, bundles, "P0S3-06-3-00", "P0S3-08-2-00") == 0
    out = capsys.readouterr().out
    assert "OS79XX.TXT          rewritten: P0S3-06-3-00 → P003-08-2-00" in out
    assert f"after it reboots: ciscocfg check {root} --running P0S3-08-2-00" in out
    assert stage(root, bundles, "P0S3-08-2-00", "P0S3-08-2-00") == 0
    assert "already runs P0S3-08-2-00" in capsys.readouterr().out


def test_a_missing_file_is_named_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00")
    before = snapshot(root)
    assert stage(root, bundles, "SCCP 3.x", "P0S3-06-3-00") == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("ciscocfg: nothing staged: P0S3-06-3-00.bin")
    assert captured.err.count("\n") == 1
    assert "P0S3-06-3-00.bin  MISSING" in captured.out
    assert snapshot(root) == before


def test_a_file_in_the_way_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00", selector="P0S3-06-3-00")
    (root / "P0S3-06-3-00.bin").write_bytes(b"an older download")
    before = snapshot(root)
    assert stage(root, bundles, "SCCP 3.x", "P0S3-06-3-00") == 2
    assert "STG003" in capsys.readouterr().out
    assert snapshot(root) == before
    assert stage(root, bundles, "SCCP 3.x", "P0S3-06-3-00", "--force") == 0
    assert (root / "P0S3-06-3-00.bin").read_bytes() != b"an older download"


def test_refused_plans_and_unnamed_steps_are_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-12-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00", selector="P003-08-2-00")
    assert stage(root, bundles, "P0S3-08-12-00", "P0S30203") == 1  # SIP 8.x never goes below 5
    assert "STG030" in capsys.readouterr().out
    # Staged, but SIPDefault.cnf still names 8.2: the phone would not move.
    assert stage(root, bundles, "P0S3-08-2-00", "P0S3-08-12-00") == 1
    out = capsys.readouterr().out
    assert "SIPDefault.cnf:2: error STG012: image_version names P0S3-08-2-00" in out
    assert (root / "P0S3-08-12-00.loads").exists()


def test_json_holds_the_findings_and_the_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "SIP41.8-5-2S")
    root = xml_tree(tmp_path / "root", named="SIP41.8-5-2S", protocol="SIP")
    assert stage(root, bundles, "SIP41.8-3-1S", "SIP41.9-4-2SR3-1S", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["steps"][0]["image"] == "SIP41.8-5-2S"
    assert data["remaining"] == ["SIP41.9-4-2SR3-1S"]
    assert data["selector"] is None  # a 7961 never reads OS79XX.TXT
    assert data["verdict"]["outcome"] == "reached"
    assert data["written"] == [f["name"] for f in data["files"]]
    assert "Auth Fail" in data["shows"]
    assert data["next"].startswith(f"ciscocfg firmware stage {root} --running SIP41.8-5-2S")
    for finding in data["diagnostics"]:
        assert {"code", "severity", "message", "source", "line", "column"} <= set(finding)
    assert not (root / "OS79XX.TXT").exists()


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00")
    before = snapshot(root)
    assert stage(root, bundles, "SCCP 3.x", "P0S3-06-3-00", "--dry-run") == 0
    assert "copied from" in capsys.readouterr().out
    assert snapshot(root) == before


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = sip_tree(tmp_path / "root")
    assert stage(root, tmp_path / "nope", "SCCP 3.x", "P0S3-06-3-00") == 2
    assert "not a directory" in capsys.readouterr().err
    assert stage(root, root, "POS3-06-3-00", "P0S3-08-2-00") == 2
    assert "did you mean 'P0S3-06-3-00'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as missing:
        main(["firmware", "stage", str(root), "--running", "SCCP 3.x"])
    assert missing.value.code == 2
    with pytest.raises(SystemExit) as shown:
        main(["firmware", "stage", "--help"])
    assert shown.value.code == 0
    assert "usage: ciscocfg firmware stage" in capsys.readouterr().out


def test_the_other_firmware_uses_are_untouched(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "P0S3-08-2-00"]) == 0
    assert "P0S3-08-2-00" in capsys.readouterr().out
    assert main(["firmware", "--upgrade", "SCCP 3.x", "P0S3-08-2-00"]) == 0
    assert "P003-08-2-00" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["firmware", "--help"])
    assert "firmware stage ROOT --running IMAGE" in capsys.readouterr().out

"""Staging an upgrade step by step from synthesized Cisco bundles into a TFTP root.

Every plan is staged the way a user would run it: stage, do what the staging says to the
configuration, let the phone reboot onto the step's image, stage again, until the target. After
each staging, ``firmware.reach`` on the root as written, ``provision.check`` and the staging's
own verdict must agree that the phone gets to the step's image (or, where the planner's rule is
an inference, that nobody can tell), and the step staged must be the planner's next one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.bundles import lay_bundles, snapshot
from support.firmware_trees import package, sip_tree, xml_tree
from support.trees import MAC

from ciscocfg import cnf, firmware, os79xx, sepxml
from ciscocfg.cli import main
from ciscocfg.firmware import Outcome
from ciscocfg.provision import check

SEP_FILES = ("SEP<MAC>.cnf.xml", "XMLDefault.cnf.xml")
FIRMWARE_CODES = {"PRV033", "PRV034", "PRV035", "PRV038"}


def root_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.iterdir() if p.is_file()}


def selector(root: Path) -> firmware.FirmwareImage | None:
    path = root / "OS79XX.TXT"
    return os79xx.load(path, strict=False).image if path.exists() else None


def follow_instructions(root: Path, staging: firmware.Staging) -> None:
    """Do what STG010/STG012 say: name the step's image where the phone reads it."""
    image = staging.image
    assert image is not None
    asks = [d for d in staging.diagnostics if d.code in ("STG010", "STG012")]
    if not asks:
        return
    for finding in asks:
        assert image.name in finding.message  # the finding says what to set
    if staging.steps[-1].named_in[0] in SEP_FILES:
        path = root / f"SEP{MAC}.cnf.xml"
        config = sepxml.load(path)
        config.load_information = image.name
        path.write_text(config.dumps())
        return
    for name in ("SIPDefault.cnf", f"SIP{MAC}.cnf"):
        if (root / name).exists():
            doc = cnf.load(root / name)
            doc["image_version"] = image.name
            cnf.dump(doc, root / name)


#: id → (running, target, tree kind, bundles, the images each staging ends on).
PLANS: dict[str, tuple[str, str, str, tuple[str, ...], list[list[str]]]] = {
    "the 7940 story: SCCP 3.x to SIP 8.2 by way of 6.3 and the universal loader": (
        "P00303020214",
        "P0S3-08-2-00",
        "sip",
        ("P0S3-06-3-00", "P0S3-08-2-00"),
        [["P0S3-06-3-00"], ["P003-08-2-00", "P0S3-08-2-00"]],
    ),
    "the shorthand SCCP 3.x to SIP 8.12": (
        "SCCP 3.x",
        "P0S3-08-12-00",
        "sip",
        ("P0S3-06-3-00", "P0S3-08-12-00"),
        [["P0S3-06-3-00"], ["P003-08-12-00", "P0S3-08-12-00"]],
    ),
    "SIP 8.2 to 8.12 by image_version": (
        "P0S3-08-2-00",
        "P0S3-08-12-00",
        "sip",
        ("P0S3-08-12-00",),
        [["P0S3-08-12-00"]],
    ),
    "SIP 4.2 to 6.3 by image_version, unsigned": (
        "P0S3-04-2-00",
        "P0S3-06-3-00",
        "sip",
        ("P0S3-06-3-00",),
        [["P0S3-06-3-00"]],
    ),
    "SCCP 5.0 to 8.1(2) by way of 8.1(1)": (
        "P00305000000",
        "P00308010200",
        "xml",
        ("P00308010100", "P00308010200"),
        [["P00308010100"], ["P00308010200"]],
    ),
    "SIP 6.3 to SCCP 8.1(2) through OS79XX.TXT": (
        "P0S3-06-3-00",
        "P00308010200",
        "sip",
        ("P00308010200",),
        [["P00308010200"]],
    ),
    "7961 SIP through 8.5(2)": (
        "SIP41.8-3-1S",
        "SIP41.9-4-2SR3-1S",
        "xml",
        ("SIP41.8-5-2S", "SIP41.9-4-2SR3-1S"),
        [["SIP41.8-5-2S"], ["SIP41.9-4-2SR3-1S"]],
    ),
    "7961 SCCP through 8.5(2)": (
        "SCCP41.8-3-1S",
        "SCCP41.9-4-2S",
        "xml",
        ("SCCP41.8-5-2S", "SCCP41.9-4-2S"),
        [["SCCP41.8-5-2S"], ["SCCP41.9-4-2S"]],
    ),
}


def make_root(root: Path, kind: str, target: str) -> Path:
    if kind == "sip":
        return sip_tree(root, named=target)
    protocol = "SIP" if target.startswith("SIP") else "SCCP"
    return xml_tree(root, named=target, protocol=protocol)


def cli_check_findings(root: Path, running: str, capsys: pytest.CaptureFixture[str]) -> list[Any]:
    """The findings of ``ciscocfg check ROOT --running IMAGE --format json``."""
    capsys.readouterr()
    status = main(["check", str(root), "--running", running, "--format", "json"])
    assert status in (0, 1)
    report = json.loads(capsys.readouterr().out)
    return [*report["shared"], *(d for phone in report["phones"] for d in phone["diagnostics"])]


def stage_through(
    root: Path,
    bundles: Path,
    running: str,
    target: str,
    capsys: pytest.CaptureFixture[str] | None = None,
) -> list[firmware.Staging]:
    """Stage every step in turn, as a user following the staging's own advice would."""
    done: list[firmware.Staging] = []
    current = running
    for _ in range(6):
        plan = firmware.upgrade_path(current, target)
        staging = firmware.stage(root, bundles, running=current, target=target)
        if not plan.steps:
            assert staging.steps == ()
            assert staging.written == ()
            return done
        assert staging.steps == plan.steps[: len(staging.steps)]  # the planner's next step
        assert not staging.blocked, staging.report()
        assert staging.written
        follow_instructions(root, staging)
        image = staging.image
        assert image is not None
        config = "xml" if staging.steps[-1].named_in[0] in SEP_FILES else "sip"
        verdict = firmware.reach(
            current, image, root_files(root), selector=selector(root), config=config
        )
        assert verdict.outcome is staging.verdict.outcome  # type: ignore[union-attr]
        assert verdict.boots or verdict.outcome is Outcome.UNKNOWN, verdict.reason
        if verdict.outcome is Outcome.UNKNOWN:
            assert any(d.code == "STG021" for d in staging.diagnostics)
        staged = {f.name for f in staging.files}
        findings = [attrs.asdict(d) for d in check(root, running=current)]
        if capsys is not None:  # the command line says the same
            shown = cli_check_findings(root, current, capsys)

            def same(found: list[dict[str, object]]) -> list[str]:
                return sorted(json.dumps(d, sort_keys=True) for d in found)

            assert same(shown) == same(findings)
        for finding in findings:
            if finding["severity"] == "error":
                assert finding["code"] not in {"PRV033", "PRV034", "PRV035"}, finding
                assert finding["source"] not in staged, finding
        done.append(staging)
        current = image.name
    raise AssertionError("the plan did not end")


@pytest.mark.parametrize("plan", list(PLANS), ids=list(PLANS))
def test_each_step_staged_in_turn_takes_the_phone_there(
    plan: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    running, target, kind, images, expected = PLANS[plan]
    bundles = lay_bundles(tmp_path / "bundles", *images)
    root = make_root(tmp_path / "root", kind, target)
    stagings = stage_through(root, bundles, running, target, capsys)
    assert [[step.image.name for step in s.steps] for s in stagings] == expected
    for staging in stagings:
        for file in staging.files:
            if file.status == "new" and file.source is not None:
                assert (root / file.name).read_bytes() == Path(file.source).read_bytes()
    last = stagings[-1]
    assert last.remaining == ()
    assert last.next_command().startswith(f"ciscocfg check {root} --running ")
    again = firmware.stage(root, bundles, running=target, target=target)
    assert again.written == ()
    assert again.steps == ()
    assert "already runs" in again.shows()


def test_the_story_files_and_selector_at_each_step(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00", "P0S3-08-2-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    first = firmware.stage(root, bundles, running="SCCP 3.x", target="P0S3-08-2-00")
    # SCCP 3.x predates signed images: its loader fetches the unsigned .bin.
    assert first.written == ("P0S3-06-3-00.bin", "OS79XX.TXT")
    assert (root / "OS79XX.TXT").read_bytes() == b"P0S3-06-3-00\r\n"
    assert "Load ID Incorrect" in first.shows()  # why the step comes first
    assert "--running P0S3-06-3-00 --target P0S3-08-2-00" in first.next_command()
    second = firmware.stage(root, bundles, running="P0S3-06-3-00", target="P0S3-08-2-00")
    # 6.3 checks signatures: the signed universal loader, then the package it goes on to fetch.
    assert second.written == (
        "P003-08-2-00.sbn",
        "P0S3-08-2-00.loads",
        "P0S3-08-2-00.sb2",
        "OS79XX.TXT",
    )
    assert {f.name: f.status for f in second.files}["OS79XX.TXT"] == "update"
    assert (root / "OS79XX.TXT").read_bytes() == b"P003-08-2-00\r\n"
    assert second.verdict is not None
    assert [image.name for image in second.verdict.path] == ["P003-08-2-00", "P0S3-08-2-00"]
    assert [(d.code, d.source) for d in second.diagnostics] == [("STG011", "SIPDefault.cnf")]
    assert "Firmware Versions then shows P0S3-08-2-00" in second.shows()


def test_a_file_missing_from_the_bundles_is_named_and_nothing_changes(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-2-00")
    (bundles / "cmterm-p0s3-08-2-00" / "P0S3-08-2-00.sb2").unlink()
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00", selector="P0S3-06-3-00")
    before = snapshot(root)
    staging = firmware.stage(root, bundles, running="P0S3-06-3-00", target="P0S3-08-2-00")
    assert staging.blocked
    assert staging.written == ()
    assert [(d.code, d.source) for d in staging.blocking] == [("STG001", "P0S3-08-2-00.sb2")]
    assert snapshot(root) == before
    assert "nothing written" in staging.report()
    # The same command is what to run once the file is there.
    assert staging.next_command().startswith(f"ciscocfg firmware stage {root} --running P0S3")


def test_a_file_already_in_the_root_need_not_be_in_the_bundles(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-2-00")
    sb2 = bundles / "cmterm-p0s3-08-2-00" / "P0S3-08-2-00.sb2"
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00", selector="P0S3-06-3-00")
    (root / sb2.name).write_bytes(sb2.read_bytes())
    sb2.unlink()
    staging = firmware.stage(root, bundles, running="P0S3-06-3-00", target="P0S3-08-2-00")
    assert {f.name: f.status for f in staging.files}["P0S3-08-2-00.sb2"] == "in-root"
    assert "P0S3-08-2-00.sb2" not in staging.written
    assert staging.verdict is not None
    assert staging.verdict.boots


def test_identical_files_are_no_conflict_and_other_bytes_need_force(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-12-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-12-00", selector="P003-08-2-00")
    parts = package("P0S3-08-12-00")
    (root / "P0S3-08-12-00.loads").write_bytes(parts["P0S3-08-12-00.loads"])  # the same
    (root / "P0S3-08-12-00.sb2").write_bytes(b"someone else's application")  # other bytes
    before = snapshot(root)
    staging = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00")
    statuses = {f.name: f.status for f in staging.files}
    assert statuses["P0S3-08-12-00.loads"] == "same"
    assert statuses["P0S3-08-12-00.sb2"] == "differs"
    assert [d.code for d in staging.blocking] == ["STG003"]
    assert snapshot(root) == before
    forced = firmware.stage(
        root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00", force=True
    )
    assert "P0S3-08-12-00.loads" not in forced.written
    assert "P0S3-08-12-00.sb2" in forced.written
    assert (root / "P0S3-08-12-00.sb2").read_bytes() == parts["P0S3-08-12-00.sb2"]


def test_a_foreign_selector_needs_force_and_keeps_its_other_lines(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    (root / "OS79XX.TXT").write_bytes(b"P0S3-08-2-00 \r\n# set for the lab\r\n")
    before = snapshot(root)
    staging = firmware.stage(root, bundles, running="P00303020214", target="P0S3-08-2-00")
    assert [d.code for d in staging.blocking] == ["STG004"]
    assert snapshot(root) == before
    firmware.stage(root, bundles, running="P00303020214", target="P0S3-08-2-00", force=True)
    # Only the name changes (its stray blank goes); the line ending and the rest stay.
    assert (root / "OS79XX.TXT").read_bytes() == b"P0S3-06-3-00\r\n# set for the lab\r\n"


def test_already_on_the_target_writes_nothing(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-2-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    before = snapshot(root)
    staging = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-2-00")
    assert staging.steps == ()
    assert staging.written == ()
    assert staging.diagnostics == ()
    assert staging.shows() == "Nothing changes: the phone already runs P0S3-08-2-00."
    assert snapshot(root) == before


def test_a_refused_plan_writes_nothing(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    before = snapshot(root)
    staging = firmware.stage(root, bundles, running="P0S3-06-3-00", target="P0S30203")
    assert [d.code for d in staging.diagnostics] == ["STG030"]
    assert staging.has_errors
    assert not staging.blocked
    assert snapshot(root) == before


def test_different_copies_in_the_bundles_are_ambiguous(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    (bundles / "other").mkdir()
    (bundles / "other" / "P0S3-06-3-00.bin").write_bytes(b"a different build")
    (bundles / "copy").mkdir()  # an identical copy is no ambiguity
    shutil.copy(bundles / "cmterm-p0s3-06-3-00" / "P0S3-06-3-00.sbn", bundles / "copy")
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00")
    staging = firmware.stage(root, bundles, running="P00303020214", target="P0S3-06-3-00")
    assert [(d.code, d.source) for d in staging.blocking] == [("STG002", "P0S3-06-3-00.bin")]
    assert len(staging.files[0].candidates) == 2
    signed = firmware.stage(root, bundles, running="P00305000000", target="P0S3-06-3-00")
    assert not signed.blocked  # SCCP 5.x asks for the .sbn, of which both copies agree
    assert "P0S3-06-3-00.sbn" in signed.written


def test_another_spelling_of_the_release_is_pointed_out(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-8-12-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-12-00")
    staging = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00")
    codes = {d.code: d for d in staging.diagnostics}
    assert codes["STG001"].source == "P0S3-08-12-00.loads"
    assert codes["STG005"].suggestion == "P0S3-8-12-00.loads"
    spelled = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-8-12-00")
    assert "P0S3-8-12-00.loads" in spelled.written
    assert "P003-8-12-00.sbn" in spelled.written  # what the .loads names, letter for letter


def test_a_name_in_another_letter_case_is_copied_under_the_name_asked_for(
    tmp_path: Path,
) -> None:
    bundles = tmp_path / "bundles"
    bundles.mkdir()
    for name, data in package("P0S3-06-3-00").items():
        (bundles / name.lower()).write_bytes(data)
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00")
    staging = firmware.stage(root, bundles, running="P00303020214", target="P0S3-06-3-00")
    assert staging.written == ("P0S3-06-3-00.bin", "OS79XX.TXT")
    assert (root / "P0S3-06-3-00.bin").exists()
    assert not (root / "p0s3-06-3-00.bin").exists()


def test_bundles_in_the_root_itself_write_only_the_selector(tmp_path: Path) -> None:
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00", packages=("P0S3-08-2-00",))
    (root / "OS79XX.TXT").write_bytes(b"P0S3-06-3-00\r\n")
    staging = firmware.stage(root, root, running="P0S3-06-3-00", target="P0S3-08-2-00")
    assert staging.written == ("OS79XX.TXT",)
    assert {f.status for f in staging.files if f.name != "OS79XX.TXT"} == {"same"}


def test_a_link_in_the_root_is_replaced_never_followed(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00")
    outside = tmp_path / "elsewhere.bin"
    outside.write_bytes(b"not for the phone")
    (root / "P0S3-06-3-00.bin").symlink_to(outside)
    staging = firmware.stage(root, bundles, running="P00303020214", target="P0S3-06-3-00")
    assert [d.code for d in staging.blocking] == ["STG003"]
    firmware.stage(root, bundles, running="P00303020214", target="P0S3-06-3-00", force=True)
    assert outside.read_bytes() == b"not for the phone"
    assert not (root / "P0S3-06-3-00.bin").is_symlink()


def test_a_configuration_naming_another_image_says_what_to_set(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-12-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    staging = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00")
    assert not staging.blocked
    assert staging.has_errors
    [finding] = [d for d in staging.diagnostics if d.code == "STG012"]
    assert (finding.source, finding.line) == ("SIPDefault.cnf", 2)
    assert "set image_version to P0S3-08-12-00" in finding.message
    (root / "SIPDefault.cnf").unlink()
    bare = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00")
    [missing] = [d for d in bare.diagnostics if d.code == "STG010"]
    assert "'image_version: P0S3-08-12-00'" in missing.message


def test_a_phone_file_overriding_the_shared_one_is_what_counts(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-12-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-2-00")
    phone = root / f"SIP{MAC}.cnf"
    phone.write_text(phone.read_text() + "image_version: P0S3-08-12-00\n")
    staging = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00")
    assert not staging.has_errors, staging.report()
    assert [c.used for c in staging.config] == [False, True]


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-06-3-00")
    root = sip_tree(tmp_path / "root", named="P0S3-06-3-00")
    before = snapshot(root)
    staging = firmware.stage(
        root, bundles, running="P00303020214", target="P0S3-06-3-00", dry_run=True
    )
    assert staging.written == ()
    assert {f.status for f in staging.files} == {"new"}
    assert staging.verdict is not None
    assert staging.verdict.boots
    assert snapshot(root) == before


def test_arguments_that_are_not_folders_or_images_are_errors(tmp_path: Path) -> None:
    root = sip_tree(tmp_path / "root")
    with pytest.raises(firmware.FirmwareNameError):
        firmware.stage(root, root, running="POS3-08-2-00", target="P0S3-08-12-00")
    with pytest.raises(ValueError, match="not a directory"):
        firmware.stage(root, tmp_path / "nope", running="P0S3-08-2-00", target="P0S3-08-12-00")
    with pytest.raises(ValueError, match="family"):
        firmware.stage(root, root, running="SIP 8.2", target="SIP 8.5", family="nope")


_STORY_FILES = sorted({*package("P0S3-06-3-00"), *package("P0S3-08-2-00")})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    dropped=st.sets(st.sampled_from(_STORY_FILES)),
    running=st.sampled_from(["P00303020214", "P0S3-06-3-00"]),
)
def test_any_file_missing_blocks_exactly_when_the_phone_would_miss_it(
    tmp_path_factory: pytest.TempPathFactory, dropped: set[str], running: str
) -> None:
    """The files a staging copies are the files ``reach`` says the phone asks for; drop any
    from the bundles and the staging writes nothing exactly when one of those is gone, naming
    each (but those a missing ``.loads`` would have named: nobody knows them)."""
    tmp = tmp_path_factory.mktemp("drop")
    bundles = lay_bundles(tmp / "bundles", "P0S3-06-3-00", "P0S3-08-2-00", nested=False)
    full = firmware.stage(
        sip_tree(tmp / "probe", named="P0S3-08-2-00"),
        bundles,
        running=running,
        target="P0S3-08-2-00",
        dry_run=True,
    )
    assert full.verdict is not None
    assert full.verdict.boots
    needs = {f.name for f in full.files} - {"OS79XX.TXT"}
    assert needs == set(full.verdict.asked)
    for name in dropped:
        (bundles / name).unlink()
    root = sip_tree(tmp / "root", named="P0S3-08-2-00")
    before = snapshot(root)
    staging = firmware.stage(root, bundles, running=running, target="P0S3-08-2-00")
    missing = {d.source for d in staging.blocking if d.code == "STG001"}
    expected = {
        f.name
        for f in full.files
        if f.name in dropped
        and not (f.why.startswith("named by ") and f.why.removeprefix("named by ") in dropped)
    }
    assert missing == expected
    if missing:
        assert staging.written == ()
        assert snapshot(root) == before
    else:
        assert staging.verdict is not None
        assert staging.verdict.boots
        assert set(staging.written) == needs | {"OS79XX.TXT"}


def test_the_phone_file_in_tftp_cfg_dir_is_the_one_read(tmp_path: Path) -> None:
    bundles = lay_bundles(tmp_path / "bundles", "P0S3-08-12-00")
    root = sip_tree(tmp_path / "root", named="P0S3-08-12-00")
    default = root / "SIPDefault.cnf"
    default.write_text(default.read_text() + "tftp_cfg_dir: phones/\n")
    (root / "phones").mkdir()
    (root / "phones" / f"SIP{MAC}.cnf").write_text("image_version: P0S3-08-2-00\n")
    staging = firmware.stage(root, bundles, running="P0S3-08-2-00", target="P0S3-08-12-00")
    [finding] = [d for d in staging.diagnostics if d.code == "STG012"]
    assert (finding.source, finding.line) == (f"phones/SIP{MAC}.cnf", 1)


_POOL_79X0 = [
    "P00303020214",
    "P00305000000",
    "P0S3-04-2-00",
    "P0S3-06-3-00",
    "P0S3-08-2-00",
    "P0S3-08-12-00",
    "P00308010100",
    "P00308010200",
]
_POOL_79X1 = ["SIP41.8-3-1S", "SIP41.8-5-2S", "SIP41.9-4-2SR3-1S", "SCCP41.8-5-2S"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pair=st.one_of(
        st.tuples(st.sampled_from(_POOL_79X0), st.sampled_from(_POOL_79X0)),
        st.tuples(st.sampled_from(_POOL_79X1), st.sampled_from(_POOL_79X1)),
    )
)
def test_staging_agrees_with_the_planner_and_reach_on_any_pair(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[str, str]
) -> None:
    """From full bundles, a staging is the planner's next step (or its refusal, or nothing); it
    is blocked exactly when ``reach``, given every file of the root and the bundles, says the
    phone misses one (a file no bundle has), and otherwise its verdict is what ``reach`` says
    of the root as written."""
    running, target = pair
    tmp = tmp_path_factory.mktemp("pair")
    pool = _POOL_79X0 if running in _POOL_79X0 else _POOL_79X1
    bundles = lay_bundles(tmp / "bundles", *pool)
    kind = "sip" if firmware.parse(target).protocol is firmware.Protocol.SIP else "xml"
    root = make_root(tmp / "root", "sip" if kind == "sip" and pool is _POOL_79X0 else "xml", target)
    before = snapshot(root)
    plan = firmware.upgrade_path(running, target)
    staging = firmware.stage(root, bundles, running=running, target=target)
    if plan.refused or not plan.steps:
        assert staging.written == ()
        assert snapshot(root) == before
        assert [d.code for d in staging.diagnostics] == (["STG030"] if plan.refused else [])
        return
    assert staging.steps == plan.steps[: len(staging.steps)]
    image = staging.image
    assert image is not None
    config = "xml" if staging.steps[-1].named_in[0] in SEP_FILES else "sip"
    from_bundles = {p.name: p.read_bytes() for p in bundles.rglob("*") if p.is_file()}
    everything = {**root_files(root), **from_bundles}
    ideal = firmware.reach(running, image, everything, selector=staging.selector, config=config)
    if staging.blocked:
        assert ideal.outcome is Outcome.MISSING, ideal.reason
        assert set(ideal.missing) <= {d.source for d in staging.blocking}
        assert snapshot(root) == before
        return
    assert ideal.outcome is not Outcome.MISSING
    assert staging.written
    verdict = firmware.reach(
        running, image, root_files(root), selector=selector(root), config=config
    )
    assert staging.verdict is not None
    assert verdict.outcome is staging.verdict.outcome
    assert verdict.outcome in (Outcome.REACHED, Outcome.UNKNOWN), verdict.reason
    assert (root / "OS79XX.TXT").exists() == (pool is _POOL_79X0)

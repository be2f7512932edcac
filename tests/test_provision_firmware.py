"""The firmware verdict of the tree check: (image running, image named, files present) → finding.

Every row runs three ways that must agree: ``firmware.reach`` (the planner's rules and the
files), ``provision.check(..., running=...)`` and ``ciscocfg check TREE --running ...``. The rows
cover each failure of spec §8 and of the 7940 story, and the bug reports against the check:
a phone on SIP 6.3 with ``OS79XX.TXT`` naming the application (no universal loader step), a
phone already on the image named by a tree that does not hold its files, the release shorthand
``SCCP 3.x`` that ``firmware --upgrade`` accepts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.firmware_trees import package, sip_tree, xml_tree
from support.trees import IMAGE, LOADER

from ciscocfg import firmware
from ciscocfg.cli import main
from ciscocfg.provision import check

ERROR, INFO = "error", "info"
OLD_SCCP = "P00303020214"  # the story's phone: SCCP 3.2
SIP63 = "P0S3-06-3-00"
SIP4 = "P0S30203"  # an 8.3-named SIP image from before signed images

#: id → (running, tree builder keyword arguments, expected firmware findings).
ROWS: dict[str, tuple[str, dict[str, object], set[tuple[str, str]]]] = {
    # The bug report, first item: a phone on 6.3 reads OS79XX.TXT naming the 8.12 application,
    # sees the same first four characters and does nothing; 6.3 cannot fetch a .loads package.
    "6.3 with the application in OS79XX.TXT is stuck": (
        SIP63,
        {"selector": IMAGE, "packages": (IMAGE,)},
        {("PRV038", ERROR)},
    ),
    # The story's flip: the universal loader in OS79XX.TXT lets 6.3 reach 8.12.
    "6.3 with the P003 flip reaches 8.12": (
        SIP63,
        {"selector": LOADER, "packages": (IMAGE,)},
        set(),
    ),
    "6.3 with the P003 flip but no loader file": (
        SIP63,
        {"selector": LOADER, "packages": (IMAGE,), "drop": (f"{LOADER}.sbn", f"{LOADER}.bin")},
        {("PRV035", ERROR)},
    ),
    # 6.3 checks signatures and asks for the .sbn: with only the .bin it may refuse it.
    "6.3 with the P003 flip and only the unsigned loader": (
        SIP63,
        {"selector": LOADER, "packages": (IMAGE,), "drop": (f"{LOADER}.sbn",)},
        {("PRV039", INFO)},
    ),
    "6.3 without OS79XX.TXT": (
        SIP63,
        {"selector": None, "packages": (IMAGE,)},
        {("PRV038", ERROR)},
    ),
    # Images from before signed images fetch the .bin: the missing .bin of the 8.x package.
    "pre-5.x SIP pointed at the 8.12 loader without its .bin": (
        SIP4,
        {"selector": LOADER, "packages": (IMAGE,), "drop": (f"{LOADER}.bin",)},
        {("PRV035", ERROR)},
    ),
    "pre-5.x SIP pointed at the 8.12 loader must go through 6.x": (
        SIP4,
        {"selector": LOADER, "packages": (IMAGE,)},
        {("PRV038", ERROR)},
    ),
    # "Load ID Incorrect" on 3.x → 7.x.
    "SCCP 3.x straight to SIP 7.4": (
        OLD_SCCP,
        {"named": "P0S3-07-4-00", "selector": "P0S3-07-4-00", "packages": ("P0S3-07-4-00",)},
        {("PRV038", ERROR)},
    ),
    "SCCP 3.x shorthand straight to SIP 8.12": (
        "SCCP 3.x",
        {"selector": IMAGE, "packages": (IMAGE,)},
        {("PRV038", ERROR)},
    ),
    # The finished story tree does not serve a phone still on SCCP 3.x: P003 = P003.
    "SCCP 3.x on the finished tree": (
        OLD_SCCP,
        {"selector": LOADER, "packages": (IMAGE,)},
        {("PRV038", ERROR)},
    ),
    # The story's first step: SCCP 3.x loads SIP 6.3 from OS79XX.TXT, as a .bin.
    "SCCP 3.x on the first-step tree reaches 6.3 and stops": (
        OLD_SCCP,
        {"selector": SIP63, "packages": (IMAGE, SIP63)},
        {("PRV038", ERROR)},
    ),
    "SCCP 3.x on the first-step tree without the 6.3 .bin": (
        OLD_SCCP,
        {"selector": SIP63, "packages": (IMAGE, SIP63), "drop": (f"{SIP63}.bin",)},
        {("PRV035", ERROR)},
    ),
    # The bug report, second item: a phone already on the image needs none of its files.
    "already on the image, no firmware in the tree": (
        IMAGE,
        {"selector": LOADER, "packages": ()},
        {("PRV036", INFO)},
    ),
    "already on the image, written without the leading zero": (
        "P0S3-8-12-00",
        {"selector": LOADER, "packages": (IMAGE,)},
        set(),
    ),
    "8.11 to 8.12 without the .loads": (
        "P0S3-08-11-00",
        {"selector": LOADER, "packages": ()},
        {("PRV033", ERROR)},
    ),
    "8.11 to 8.12 without the application": (
        "P0S3-08-11-00",
        {"selector": LOADER, "packages": (IMAGE,), "drop": (f"{IMAGE}.sb2",)},
        {("PRV034", ERROR)},
    ),
    "8.11 to 8.12 with everything": (
        "P0S3-08-11-00",
        {"selector": LOADER, "packages": (IMAGE,)},
        set(),
    ),
    # SIP 5.x and later refuse images older than 5.x.
    "8.12 back to SIP 2.3": (
        IMAGE,
        {"named": SIP4, "selector": LOADER, "packages": (SIP4,)},
        {("PRV038", ERROR)},
    ),
    # One 7960G on SIP 8.12 kept its application when told SCCP 8.0(5) and later: unknown.
    "8.12 to SCCP 8.1(2)": (
        IMAGE,
        {"named": "P00308010200", "selector": LOADER, "packages": ("P00308010200",)},
        {("PRV039", INFO)},
    ),
    "a 79x1 image given as the running one of a 7940": (
        "SIP41.9-4-2SR3-1S",
        {"selector": LOADER, "packages": (IMAGE,)},
        {("PRV039", INFO)},
    ),
    # Phones that read SEP<MAC>.cnf.xml: a 7940 on SCCP and a 7941.
    "SCCP 8.0(5) to 8.1(2) needs 8.1(1)": (
        "P00308000500",
        {"xml": "SCCP", "named": "P00308010200", "packages": ("P00308010200",)},
        {("PRV038", ERROR)},
    ),
    "SCCP 8.0(5) to 8.1(2)SR2 is only inferred": (
        "P00308000500",
        {"xml": "SCCP", "named": "P0030801SR02", "packages": ("P0030801SR02",)},
        {("PRV039", INFO)},
    ),
    "SCCP 8.1(1) to 8.1(2)": (
        "P00308010100",
        {"xml": "SCCP", "named": "P00308010200", "packages": ("P00308010200",)},
        set(),
    ),
    "79x1 older than 8.5(2) to 9.4(2)": (
        "SIP41.8-3-1S",
        {"xml": "SIP", "named": "SIP41.9-4-2SR3-1S", "packages": ("SIP41.9-4-2SR3-1S",)},
        {("PRV038", ERROR)},
    ),
    "79x1 8.5(2) to 9.4(2)": (
        "SIP41.8-5-2S",
        {"xml": "SIP", "named": "SIP41.9-4-2SR3-1S", "packages": ("SIP41.9-4-2SR3-1S",)},
        set(),
    ),
    # SIP or SCCP follows the load named (spec §8.2).
    "79x1 from SIP to SCCP by loadInformation": (
        "SIP41.8-5-2S",
        {"xml": "SIP", "named": "SCCP41.9-4-2SR3-1S", "packages": ("SCCP41.9-4-2SR3-1S",)},
        set(),
    ),
    "79x1 already on its load, none in the tree": (
        "SIP41.9-4-2SR3-1S",
        {"xml": "SIP", "named": "SIP41.9-4-2SR3-1S", "packages": ()},
        {("PRV036", INFO)},
    ),
    "79x1 release shorthand, a component missing": (
        "SIP 8.5(2)",
        {
            "xml": "SIP",
            "named": "SIP41.9-4-2SR3-1S",
            "packages": ("SIP41.9-4-2SR3-1S",),
            "drop": ("apps41.9-4-2SR3-1.sbn",),
        },
        {("PRV034", ERROR)},
    ),
}

#: The codes of the firmware verdict (PRV031/032 judge the name, PRV037 the tree's two files).
_FIRMWARE = {"PRV033", "PRV034", "PRV035", "PRV036", "PRV038", "PRV039"}


def _build(root: Path, spec: dict[str, object]) -> Path:
    kwargs = dict(spec)
    protocol = kwargs.pop("xml", None)
    if protocol is not None:
        return xml_tree(root, protocol=str(protocol), **kwargs)  # type: ignore[arg-type]
    return sip_tree(root, **kwargs)  # type: ignore[arg-type]


def _model(spec: dict[str, object], running: str) -> str | None:
    if "xml" in spec and str(spec["named"])[:5] in ("SIP41", "SCCP4"):
        return "7961"
    return None


@pytest.mark.parametrize(("running", "spec", "expected"), ROWS.values(), ids=list(ROWS))
def test_library_verdict(
    tmp_path: Path, running: str, spec: dict[str, object], expected: set[tuple[str, str]]
) -> None:
    root = _build(tmp_path / "tftp", spec)
    found = check(root, running=running, model=_model(spec, running))
    got = {(d.code, d.severity) for d in found if d.code in _FIRMWARE}
    assert got == expected, "\n".join(str(d) for d in found)


@pytest.mark.parametrize(("running", "spec", "expected"), ROWS.values(), ids=list(ROWS))
def test_command_line_verdict(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    running: str,
    spec: dict[str, object],
    expected: set[tuple[str, str]],
) -> None:
    root = _build(tmp_path / "tftp", spec)
    args = ["check", str(root), "--running", running, "--format", "json"]
    model = _model(spec, running)
    status = main(args + (["--model", model] if model else []))
    data = json.loads(capsys.readouterr().out)
    found = [*data["shared"], *(d for phone in data["phones"] for d in phone["diagnostics"])]
    got = {(d["code"], d["severity"]) for d in found if d["code"] in _FIRMWARE}
    assert got == expected
    errors = any(d["severity"] == "error" for d in found)
    assert status == (1 if errors else 0)


def test_already_running_the_image_passes_a_tree_without_firmware(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = sip_tree(tmp_path / "tftp", selector=LOADER, packages=())
    assert main(["check", str(root), "--running", IMAGE]) == 0
    assert "the phones will boot as configured" in capsys.readouterr().out
    # Without --running the phone may be on any image: the missing package stays an error.
    assert main(["check", str(root)]) == 1
    assert "PRV033" in capsys.readouterr().out


def test_the_stuck_phone_is_told_the_way(tmp_path: Path) -> None:
    root = sip_tree(tmp_path / "tftp", selector=IMAGE, packages=(IMAGE,))
    (finding,) = [d for d in check(root, running=SIP63) if d.code == "PRV038"]
    assert (finding.source, finding.line) == ("SIPDefault.cnf", 2)
    assert "first four characters" in finding.message
    assert f"name {LOADER} in OS79XX.TXT" in finding.message


def test_running_accepts_what_the_planner_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = sip_tree(tmp_path / "tftp", selector=LOADER, packages=(IMAGE,))
    for text in ("SCCP 3.x", "SIP 6.3", "SCCP 8.1(1)", "P0S3-8-12-00.loads"):
        assert main(["firmware", "--upgrade", text, IMAGE]) in (0, 1)
        capsys.readouterr()
        assert main(["check", str(root), "--running", text]) in (0, 1), text
        assert capsys.readouterr().err == ""
    assert main(["check", str(root), "--running", "POS3-08-12-00"]) == 2
    assert "did you mean 'P0S3-08-12-00'" in capsys.readouterr().err


# --- check and planner agree ------------------------------------------------------------------

_RUNNING = st.sampled_from(
    [
        *(OLD_SCCP, "P00305000300", SIP4, "P0S3-05-3-00", SIP63, "P0S3-07-4-00"),
        *("P0S3-08-11-00", IMAGE, "P00308000500", "P00308010100"),
    ]
)
_NAMED = st.sampled_from([IMAGE, "P0S3-08-2-00", "P0S3-07-4-00", SIP63, "P00308010200", SIP4])


@st.composite
def _trees(draw: st.DrawFn) -> tuple[str, str, str | None, tuple[str, ...], tuple[str, ...]]:
    running = draw(_RUNNING)
    named = draw(_NAMED)
    target = firmware.parse(named)
    loader = "P003" + named[4:] if "-" in named else named
    selector = draw(st.sampled_from([None, named, loader, SIP63, OLD_SCCP, running]))
    packages = tuple(draw(st.sets(st.sampled_from([named, SIP63, IMAGE, SIP4]), max_size=3)))
    files = sorted({f for name in packages for f in package(name)})
    drop = tuple(draw(st.sets(st.sampled_from(files), max_size=2))) if files else ()
    assert target.name == named
    return running, named, selector, packages, drop


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_trees())
def test_check_and_planner_agree(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[str, str, str | None, tuple[str, ...], tuple[str, ...]],
) -> None:
    running, named, selector, packages, drop = case
    root = sip_tree(
        tmp_path_factory.mktemp("tree"),
        named=named,
        selector=selector,
        packages=packages,
        drop=drop,
    )
    files = {path.name: path.read_bytes() for path in root.iterdir()}
    verdict = firmware.reach(running, named, files, selector=selector)
    found = {(d.code, d.severity) for d in check(root, running=running) if d.code in _FIRMWARE}
    # The check says what the verdict says, no more.
    if verdict.outcome is firmware.Outcome.REACHED or (
        verdict.outcome is firmware.Outcome.ALREADY and not verdict.missing
    ):
        assert found == set()
    elif verdict.outcome is firmware.Outcome.ALREADY:
        assert found == {("PRV036", INFO)}
    elif verdict.outcome is firmware.Outcome.UNKNOWN:
        assert found == {("PRV039", INFO)}
    elif verdict.outcome is firmware.Outcome.MISSING:
        code = {"loads": "PRV033", "part": "PRV034", "image": "PRV035"}[verdict.stage or ""]
        assert found == {(code, ERROR)}
    else:
        assert found == {("PRV038", ERROR)}
    # And the verdict follows the planner: a plan it refuses is never reached, a reached target
    # is the end of a plan it makes, through the images it names.
    plan = firmware.upgrade_path(running, named)
    if plan.refused:
        assert not verdict.boots
    if verdict.outcome is firmware.Outcome.REACHED:
        assert not plan.refused
        planned = {str(step.image) for step in plan.steps}
        assert {str(image) for image in verdict.path} <= planned
        assert str(verdict.path[-1]) == str(plan.target)
    direct = firmware.upgrade_path(running, named, direct=True)
    if direct.refused and not direct.uncertain and not verdict.path:
        # A jump the planner refuses for certain is never made in one step.
        assert verdict.outcome is not firmware.Outcome.REACHED


_RELEASES = st.one_of(
    st.builds(
        lambda p, a, b, m: f"{p} {a}{b}{m}",
        st.sampled_from(["SIP", "SCCP", "MGCP", "sip", "H323"]),
        st.integers(0, 12),
        st.sampled_from(["", ".x", ".3", ".1"]),
        st.sampled_from(["", "(1)", "(2.0)"]),
    ),
    st.sampled_from([IMAGE, "P0S3-8-12-00.loads", "POS3-08-12-00", SIP63, OLD_SCCP, "nonsense"]),
    st.text(max_size=12),
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_RELEASES)
def test_running_and_the_planner_read_the_same_names(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    root = sip_tree(tmp_path_factory.mktemp("tree"), selector=LOADER, packages=(IMAGE,))
    try:
        firmware.upgrade_path(text, IMAGE)
        planner: type[Exception] | None = None
    except ValueError as exc:  # ParseError is a ValueError
        planner = type(exc)
    try:
        check(root, running=text)
        checker: type[Exception] | None = None
    except ValueError as exc:
        checker = type(exc)
    assert checker is planner

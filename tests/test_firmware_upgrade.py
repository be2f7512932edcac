"""Upgrade planning: the 7940 story and the other rules of spec §8."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg import ParseError
from ciscocfg.firmware import Role, UpgradePlan, UpgradeRefused, parse, upgrade_path


def _names(plan: UpgradePlan) -> list[str]:
    return [str(step.image) for step in plan.steps]


def test_story_sccp3_to_sip82_goes_through_sip63() -> None:
    plan = upgrade_path("P00303020214", "P0S3-08-2-00.loads")
    assert not plan.refused
    assert _names(plan) == ["P0S3-06-3-00", "P003-08-2-00", "P0S3-08-2-00"]
    first, loader, app = plan.steps
    assert first.named_in == ("OS79XX.TXT",)
    assert first.uncertain  # the exact intermediate release is not verified
    # The story's OS79XX.TXT flip: the old loader must be pointed at the universal loader.
    assert loader.named_in == ("OS79XX.TXT",)
    assert loader.image.role is Role.LOADER
    assert "SIP<MAC>.cnf" in app.named_in
    assert app.setting.startswith("image_version")
    assert plan.uncertain
    assert str(plan.target) == "P0S3-08-2-00"


def test_story_with_release_shorthand() -> None:
    plan = upgrade_path("SCCP 3.x", "P0S3-08-2-00", family="7940")
    assert _names(plan) == ["P0S3-06-3-00", "P003-08-2-00", "P0S3-08-2-00"]
    assert any("read as P00303000000" in note for note in plan.notes)


@pytest.mark.parametrize("target", ["P0S3-07-4-00", "P0S3-07-5-00", "P0S3-08-12-00"])
def test_direct_jump_from_old_sccp_is_refused(target: str) -> None:
    plan = upgrade_path("P00303020214", target, direct=True)
    assert plan.refused
    assert plan.steps == ()
    assert plan.phone_message == "Load ID Incorrect"
    assert "P0S3-06-3-00" in plan.reason
    assert plan.uncertain
    with pytest.raises(UpgradeRefused) as info:
        plan.raise_for_refusal()
    assert info.value.phone_message == "Load ID Incorrect"
    assert "Load ID Incorrect" in str(info.value)
    assert "Load ID Incorrect" in str(plan)


def test_from_sip63_needs_only_the_loader_flip() -> None:
    plan = upgrade_path("SIP 6.3", "P0S3-08-2-00")
    assert _names(plan) == ["P003-08-2-00", "P0S3-08-2-00"]
    assert upgrade_path("P0S3-06-3-00", "P0S3-08-2-00", direct=True).refused is False


def test_sccp_812_needs_811() -> None:
    plan = upgrade_path("P00308000500", "P00308010200")
    assert _names(plan) == ["P00308010100", "P00308010200"]
    assert not plan.uncertain
    assert plan.steps[0].named_in == ("SEP<MAC>.cnf.xml", "XMLDefault.cnf.xml")
    refused = upgrade_path("P00308000500", "P00308010200", direct=True)
    assert (refused.refused, refused.phone_message) == (True, "File auth error")
    # A later target follows the same rule, flagged as an inference.
    later = upgrade_path("P00308000500", "P0030801SR02")
    assert _names(later) == ["P00308010100", "P0030801SR02"]
    assert later.uncertain
    # From 8.1(1) itself the jump is direct.
    assert _names(upgrade_path("P00308010100", "P00308010200")) == ["P00308010200"]


def test_no_downgrade_below_5x_from_sip() -> None:
    plan = upgrade_path("P0S3-08-12-00", "P0S30203.bin")
    assert plan.refused
    assert plan.phone_message is None
    assert "5.x" in plan.reason
    assert not upgrade_path("P0S3-08-12-00", "P0S3-06-3-00").refused


def test_sip_to_sccp_through_sep_file() -> None:
    plan = upgrade_path("P0S3-08-12-00", "P00308010200")
    [step] = plan.steps
    assert step.named_in[0] == "SEP<MAC>.cnf.xml"
    assert any("7960G" in note for note in plan.notes)
    assert plan.uncertain


def test_sip_within_sip_uses_image_version() -> None:
    [step] = upgrade_path("P0S3-08-2-00", "P0S3-8-12-00").steps
    assert (step.named_in, step.setting) == (("SIPDefault.cnf", "SIP<MAC>.cnf"), "image_version")


def test_79x1_through_852() -> None:
    plan = upgrade_path("SIP41.8-3-1S", "SIP41.9-4-2SR3-1S")
    assert _names(plan) == ["SIP41.8-5-2S", "SIP41.9-4-2SR3-1S"]
    assert not plan.uncertain
    refused = upgrade_path("SCCP41.8-3-1S", "SIP41.9-4-2SR3-1S", direct=True)
    assert (refused.refused, refused.phone_message) == (True, "Auth Fail")
    assert _names(upgrade_path("SIP41.8-5-2S", "SCCP41.9-4-2SR3-1S")) == ["SCCP41.9-4-2SR3-1S"]
    assert _names(upgrade_path("SIP 8.3", "SIP41.9-4-2SR3-1S", family="7961")) == [
        "SIP41.8-5-2S",
        "SIP41.9-4-2SR3-1S",
    ]


def test_nothing_to_do_and_nonsense() -> None:
    same = upgrade_path("P0S3-8-12-00", "P0S3-08-12-00.loads")
    assert (same.steps, same.refused) == ((), False)
    assert "nothing to do" in str(same)
    assert upgrade_path("P0S3-08-12-00", "SIP41.9-4-2SR3-1S").refused
    assert upgrade_path("P0S3-08-2-00", "P003-08-2-00").refused
    assert upgrade_path("SIP41.8-5-4S", "term41.default").refused
    unknown = upgrade_path("CP7912080000SIP060111A", "CP7912080004SCCP080108A")
    assert unknown.uncertain
    assert not unknown.refused
    with pytest.raises(ParseError):
        upgrade_path("POS3-08-12-00", "P0S3-08-12-00")
    with pytest.raises(ValueError, match="unknown phone family"):
        upgrade_path("SIP 6.3", "SIP 8.2", family="1234")
    with pytest.raises(ValueError, match="not 7941/7961"):
        upgrade_path("P0S3-06-3-00", "P0S3-08-2-00", family="7941")


_79x0 = st.one_of(
    st.builds(lambda a, b: f"P0S3-{a:02d}-{b}-00", st.integers(2, 9), st.integers(0, 12)),
    st.builds(
        lambda a, b, c: f"P003{a:02d}{b:02d}{c:02d}00",
        st.integers(3, 9),
        st.integers(0, 3),
        st.integers(0, 9),
    ),
)


@given(_79x0, _79x0)
def test_plans_are_consistent(current: str, target: str) -> None:
    plan = upgrade_path(current, target)
    if plan.refused:
        assert plan.steps == ()
        assert parse(target).version[0] < 5
        return
    if plan.steps:
        assert plan.steps[-1].image == parse(target)
    for step in plan.steps:
        assert step.named_in
        assert step.reason
    # Judging the single jump never yields more than one application step.
    direct = upgrade_path(current, target, direct=True)
    assert direct.refused or len([s for s in direct.steps if s.image.role is Role.APPLICATION]) <= 1

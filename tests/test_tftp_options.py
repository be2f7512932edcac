"""Option negotiation: bounds, echo rules, OACK validation (RFC 2347/2348/2349/7440)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.tftp_strategies import option_maps

from ciscocfg.tftp import (
    Negotiated,
    OptionsRejected,
    ServerPolicy,
    accept_oack,
    negotiate,
    parse_options,
)
from ciscocfg.tftp.options import BLKSIZE_MAX, BLKSIZE_MIN, WINDOWSIZE_MAX, window_bytes


def test_defaults_without_options() -> None:
    oack, negotiated = negotiate(parse_options({}), ServerPolicy(), is_read=True)
    assert oack == {}
    assert negotiated == Negotiated(512, 1.0, None, 1, 0)


def test_spec_probe_request() -> None:
    # Spec §1.13 item 10: the request every server was probed with, and the correct answer.
    requested = parse_options(
        {"BLKSIZE": "1024", "tsize": "0", "timeout": "3", "windowsize": "4", "foo": "bar"}
    )
    oack, negotiated = negotiate(requested, ServerPolicy(), is_read=True, transfer_size=3000)
    assert oack == {"BLKSIZE": "1024", "timeout": "3", "tsize": "3000", "windowsize": "4"}
    assert negotiated == Negotiated(1024, 3.0, 3000, 4, 0)
    assert (
        accept_oack(
            {"BLKSIZE": "1024", "tsize": "0", "timeout": "3", "windowsize": "4", "foo": "bar"}, oack
        )
        == negotiated
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", None), ("8", "8"), ("1468", "1468"), ("65464", "65464"), ("65465", None), ("x", None)],
)
def test_blksize_bounds(value: str, expected: str | None) -> None:
    oack, negotiated = negotiate(parse_options({"blksize": value}), ServerPolicy(), is_read=True)
    assert oack.get("blksize") == expected
    assert negotiated.blksize == (int(expected) if expected else 512)


def test_blksize_clamped_down_by_policy() -> None:
    policy = ServerPolicy(max_blksize=1468)
    oack, negotiated = negotiate(parse_options({"blksize": "8192"}), policy, is_read=True)
    assert oack == {"blksize": "1468"}
    assert negotiated.blksize == 1468


@pytest.mark.parametrize(
    ("value", "echoed"), [("0", None), ("1", "1"), ("03", "03"), ("255", "255"), ("256", None)]
)
def test_timeout_echoed_unchanged(value: str, echoed: str | None) -> None:
    oack, _ = negotiate(parse_options({"Timeout": value}), ServerPolicy(), is_read=True)
    assert oack.get("Timeout") == echoed


def test_tsize_read_and_write() -> None:
    requested = parse_options({"tsize": "0"})
    assert negotiate(requested, ServerPolicy(), is_read=True)[0] == {}
    assert negotiate(requested, ServerPolicy(), is_read=True, transfer_size=77)[0] == {
        "tsize": "77"
    }
    upload = parse_options({"tsize": "1000"})
    oack, negotiated = negotiate(upload, ServerPolicy(max_upload_size=1000), is_read=False)
    assert oack == {"tsize": "1000"}
    assert negotiated.tsize == 1000
    with pytest.raises(OptionsRejected) as info:
        negotiate(upload, ServerPolicy(max_upload_size=999), is_read=False)
    assert info.value.error_code == 3


def test_windowsize_and_rollover() -> None:
    oack, negotiated = negotiate(
        parse_options({"windowsize": "65535", "rollover": "1"}), ServerPolicy(), is_read=True
    )
    assert oack == {"windowsize": "64", "rollover": "1"}
    assert (negotiated.windowsize, negotiated.rollover) == (64, 1)
    oack, _ = negotiate(
        parse_options({"windowsize": "0", "rollover": "2"}), ServerPolicy(), is_read=True
    )
    assert oack == {}
    big = Negotiated(windowsize=WINDOWSIZE_MAX)
    assert big.running_window == 32767


def test_policy_can_refuse_options() -> None:
    policy = ServerPolicy(
        allow_tsize=False, allow_timeout=False, allow_windowsize=False, allow_rollover=False
    )
    requested = parse_options({"tsize": "0", "timeout": "2", "windowsize": "8", "rollover": "0"})
    assert negotiate(requested, policy, is_read=True, transfer_size=5)[0] == {}


@given(option_maps(), st.booleans(), st.none() | st.integers(0, 2**40))
def test_oack_never_carries_unrequested_options(
    options: dict[str, str], is_read: bool, size: int | None
) -> None:
    oack, negotiated = negotiate(
        parse_options(options), ServerPolicy(), is_read=is_read, transfer_size=size
    )
    assert set(oack) <= set(options)
    assert BLKSIZE_MIN <= negotiated.blksize <= BLKSIZE_MAX
    assert 1 <= negotiated.windowsize <= 64
    if oack:
        # What the server sends, its own client accepts, with the same outcome.
        assert accept_oack(options, oack) == negotiated


@pytest.mark.parametrize(
    ("asked", "oack"),
    [
        ({"tsize": "0"}, {"blksize": "512"}),  # tftpy's unrequested blksize
        ({"blksize": "1024"}, {"blksize": "2048"}),
        ({"blksize": "1024"}, {"blksize": "7"}),
        ({"blksize": "1024"}, {"blksize": "abc"}),
        ({"timeout": "3"}, {"timeout": "3.0"}),  # py3tftp's float echo
        ({"timeout": "3"}, {"timeout": "4"}),
        ({"tsize": "0"}, {"tsize": "-1"}),
        ({"windowsize": "4"}, {"windowsize": "8"}),
        ({"windowsize": "4"}, {"windowsize": "0"}),
        ({"rollover": "1"}, {"rollover": "2"}),
    ],
)
def test_bad_oack_is_refused_with_error_8(asked: dict[str, str], oack: dict[str, str]) -> None:
    with pytest.raises(OptionsRejected) as info:
        accept_oack(asked, oack)
    assert info.value.error_code == 8


def test_oack_subset_and_case() -> None:
    negotiated = accept_oack({"blksize": "1428", "windowsize": "16"}, {"BLKSIZE": "1024"})
    assert negotiated == Negotiated(blksize=1024)


def test_policy_bounds() -> None:
    with pytest.raises(ValueError, match="max_blksize"):
        ServerPolicy(max_blksize=4)
    with pytest.raises(ValueError, match="max_windowsize"):
        ServerPolicy(max_windowsize=0)


def test_a_window_budget_shrinks_the_window_then_the_block() -> None:
    requested = parse_options({"blksize": "65464", "windowsize": "64", "tsize": "0"})
    policy = ServerPolicy()
    # Room for the whole window: granted as asked.
    oack, negotiated = negotiate(requested, policy, is_read=True, max_window_bytes=64 * 65464)
    assert (negotiated.blksize, negotiated.windowsize) == (65464, 64)
    # Room for 10 such blocks: the window shrinks, the block stays.
    oack, negotiated = negotiate(requested, policy, is_read=True, max_window_bytes=10 * 65464)
    assert (negotiated.blksize, negotiated.windowsize) == (65464, 10)
    assert (oack["blksize"], oack["windowsize"]) == ("65464", "10")
    # Less than one block: one smaller block.
    oack, negotiated = negotiate(requested, policy, is_read=True, max_window_bytes=20_000)
    assert (negotiated.blksize, negotiated.windowsize) == (20_000, 1)
    assert (oack["blksize"], oack["windowsize"]) == ("20000", "1")
    # Nothing left: still one block of 512, what a plain RFC 1350 request gets.
    oack, negotiated = negotiate(requested, policy, is_read=True, max_window_bytes=0)
    assert (negotiated.blksize, negotiated.windowsize) == (512, 1)
    # A file smaller than the window asked for holds no more than itself: nothing to shrink.
    oack, negotiated = negotiate(
        requested, policy, is_read=True, transfer_size=3000, max_window_bytes=70_000
    )
    assert (negotiated.blksize, negotiated.windowsize) == (65464, 64)
    # Writes hold no window on the server's side.
    oack, negotiated = negotiate(requested, policy, is_read=False, max_window_bytes=0)
    assert (negotiated.blksize, negotiated.windowsize) == (65464, 64)


@given(
    blksize=st.integers(BLKSIZE_MIN, BLKSIZE_MAX),
    windowsize=st.integers(1, WINDOWSIZE_MAX),
    budget=st.integers(0, 1 << 24),
    size=st.none() | st.integers(0, 1 << 24),
)
def test_a_window_budget_is_kept_and_never_grows_an_option(
    blksize: int, windowsize: int, budget: int, size: int | None
) -> None:
    requested = parse_options({"blksize": str(blksize), "windowsize": str(windowsize)})
    oack, negotiated = negotiate(
        requested, ServerPolicy(), is_read=True, transfer_size=size, max_window_bytes=budget
    )
    assert negotiated.blksize <= blksize
    assert negotiated.windowsize <= windowsize
    held = window_bytes(negotiated.blksize, negotiated.windowsize, size)
    floor = min(blksize, 512)
    assert held <= max(budget, window_bytes(floor, 1, size))
    # What the OACK says is what the transfer runs with.
    assert accept_oack({"blksize": str(blksize), "windowsize": str(windowsize)}, oack) == negotiated


def test_max_stall_must_be_a_second_or_more() -> None:
    with pytest.raises(ValueError, match="max_stall"):
        ServerPolicy(max_stall=0.5)
    assert ServerPolicy(max_stall=None).max_stall is None

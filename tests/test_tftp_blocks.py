"""Absolute <-> wire block numbers across the 16-bit wrap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg.tftp import WRAP_TO_ONE, WRAP_TO_ZERO, from_wire, to_wire


@given(
    st.integers(1, 2**40),
    st.integers(-32767, 32767),
    st.sampled_from([WRAP_TO_ZERO, WRAP_TO_ONE]),
)
def test_round_trip_near_reference(near: int, delta: int, rollover: int) -> None:
    block = near + delta
    if block < 1:
        return
    wire = to_wire(block, rollover)
    assert 0 <= wire <= 0xFFFF
    assert from_wire(wire, near, rollover) == block


@pytest.mark.parametrize(
    ("absolute", "zero", "one"),
    [
        (0, 0, 0),
        (1, 1, 1),
        (65535, 65535, 65535),
        (65536, 0, 1),
        (65537, 1, 2),
        (131070, 65534, 65535),
        (131071, 65535, 1),
        (131072, 0, 2),
    ],
)
def test_wrap_targets(absolute: int, zero: int, one: int) -> None:
    assert to_wire(absolute, WRAP_TO_ZERO) == zero
    assert to_wire(absolute, WRAP_TO_ONE) == one


def test_multi_gib_at_512() -> None:
    # 6 GiB at 512 bytes a block: block numbers far past several wraps stay exact.
    last = 6 * 2**30 // 512
    for rollover in (WRAP_TO_ZERO, WRAP_TO_ONE):
        assert from_wire(to_wire(last, rollover), last - 5, rollover) == last


def test_wire_zero_with_wrap_to_one() -> None:
    assert from_wire(0, 1, WRAP_TO_ONE) == 0
    assert from_wire(0, 70000, WRAP_TO_ONE) == -1

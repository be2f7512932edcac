"""The busy-poll selector and loop: never a lost or early wake-up, spins bounded and adaptive."""

from __future__ import annotations

import asyncio
import math
import os
import selectors
import socket
import types
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg.aio import DEFAULT_BUSY_POLL, BusyPollSelector, new_event_loop, run
from ciscocfg.aio import _loop as loop_module

#: What one non-blocking look costs on the virtual clock.
POLL_COST = 1e-6
#: How long a sleeping wait takes to notice an event (the wake-up a spin saves).
WAKE_LATENCY = 30e-6
#: Rounding of the floating-point sums of times (far below any real clock's resolution).
SLACK = 1e-12


class VirtualSelector(selectors.BaseSelector):
    """A selector on a virtual clock, fed with the times at which one socket becomes readable."""

    def __init__(self, arrivals: list[float]) -> None:
        self.now = 0.0
        self.arrivals = sorted(arrivals)
        self.spent_polling = 0.0
        self.key = selectors.SelectorKey(3, 3, selectors.EVENT_READ, None)  # a bare descriptor

    def clock(self) -> float:
        return self.now

    def _take(self) -> list[tuple[selectors.SelectorKey, int]]:
        self.arrivals.pop(0)
        return [(self.key, selectors.EVENT_READ)]

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is not None and timeout <= 0:
            if self.arrivals and self.arrivals[0] <= self.now:
                return self._take()
            self.now += POLL_COST
            self.spent_polling += POLL_COST
            return []
        if self.arrivals and (timeout is None or self.arrivals[0] <= self.now + timeout):
            self.now = max(self.now, self.arrivals[0]) + WAKE_LATENCY
            return self._take()
        assert timeout is not None, "would block forever"
        self.now += timeout
        return []

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        raise NotImplementedError

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        raise NotImplementedError

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return {}


def virtual(budget: float, arrivals: list[float]) -> tuple[BusyPollSelector, VirtualSelector]:
    inner = VirtualSelector(arrivals)
    selector = BusyPollSelector(budget, inner)
    selector._clock = inner.clock
    return selector, inner


@given(
    budget=st.sampled_from([0.0, 20e-6, 100e-6, 1e-3]),
    gaps=st.lists(st.floats(0, 2e-3), min_size=1, max_size=30),
    timeouts=st.lists(st.one_of(st.none(), st.floats(0, 3e-3)), min_size=1, max_size=40),
)
def test_no_lost_or_early_wakeup_and_spins_stay_within_budget(
    budget: float, gaps: list[float], timeouts: list[float | None]
) -> None:
    arrivals = [sum(gaps[: i + 1]) for i in range(len(gaps))]
    selector, inner = virtual(budget, arrivals)
    for timeout in timeouts:
        if timeout is None and not inner.arrivals:
            break
        start = inner.now
        due = inner.arrivals[0] if inner.arrivals else math.inf
        polled_before = inner.spent_polling
        ready = selector.select(timeout)
        deadline = math.inf if timeout is None else start + max(timeout, 0.0)
        # An event that came before the deadline is reported; none is invented (one that came
        # while the selector was looking, after the deadline, may be reported too).
        if due <= deadline - SLACK:
            assert ready
        if ready:
            assert due <= inner.now
        if not ready and timeout is not None:
            assert inner.now >= deadline - SLACK  # an empty answer only once the timeout is over
        # Never more than the budget spent spinning (plus the look that crossed it, and one
        # last look when the timeout ran out during the spin).
        assert inner.spent_polling - polled_before <= budget + 2 * POLL_COST + SLACK
        if budget == 0:
            assert not selector.spinning


def test_a_miss_stops_spinning_until_a_sleep_ends_within_the_budget() -> None:
    # Answers every 500 µs (a phone on a LAN), then every 10 µs (a client on loopback).
    slow = [500e-6 * (i + 1) for i in range(10)]
    fast = [slow[-1] + 10e-6 * (i + 1) for i in range(1, 200)]
    selector, inner = virtual(100e-6, slow + fast)
    assert selector.spinning
    for _ in slow:
        assert selector.select(None)
    # The first slow wait spun for nothing; spinning then stayed off for the rest of them.
    assert selector.spin_misses == 1
    assert selector.spin_hits == 0
    assert inner.spent_polling <= 100e-6 + POLL_COST
    for _ in fast:
        assert selector.select(None)
    # A fast sleeping wait turned spinning back on, and from then on spins caught the events.
    assert selector.spinning
    assert selector.spin_misses == 1
    assert selector.spin_hits >= len(fast) - 2


def test_zero_timeout_and_zero_budget_pass_straight_through() -> None:
    selector, inner = virtual(100e-6, [1.0])
    assert selector.select(0) == []
    assert selector.spin_misses == 0
    assert selector.spinning
    plain, inner = virtual(0.0, [5e-6])
    assert plain.select(None)
    assert inner.spent_polling == 0.0


def test_default_budget_depends_on_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loop_module, "_usable_cpus", lambda: 1)
    assert BusyPollSelector().budget == 0.0
    monkeypatch.setattr(loop_module, "_usable_cpus", lambda: 4)
    assert BusyPollSelector().budget == DEFAULT_BUSY_POLL


@pytest.mark.parametrize("budget", [-1e-6, math.nan])
def test_a_bad_budget_is_refused(budget: float) -> None:
    with pytest.raises(ValueError, match="busy-poll"):
        BusyPollSelector(budget)


def test_real_sockets_are_seen_by_a_spin() -> None:
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    # A generous budget, so that a busy machine cannot make the quick answers look slow.
    with left, right, BusyPollSelector(0.05) as selector:
        key = selector.register(left, selectors.EVENT_READ, "left")
        assert selector.get_key(left) == key
        assert selector.select(0.01) == []  # nothing there: the spin uses the whole timeout
        assert (selector.spin_misses, selector.spinning) == (1, False)
        right.send(b"x")
        assert [k.data for k, _ in selector.select(1.0)] == ["left"]
        assert left.recv(16) == b"x"
        # The datagram was already there, so the sleep ended at once: spinning is back on.
        assert (selector.spin_hits, selector.spinning) == (0, True)
        right.send(b"y")
        assert [k.data for k, _ in selector.select(1.0)] == ["left"]
        assert left.recv(16) == b"y"
        assert selector.spin_hits == 1
        assert selector.modify(left, selectors.EVENT_WRITE, "w").data == "w"
        selector.unregister(left)
        assert not selector.get_map()


def test_run_drives_a_coroutine_and_closes_its_loop() -> None:
    seen: list[asyncio.AbstractEventLoop] = []

    async def main() -> int:
        loop = asyncio.get_running_loop()
        seen.append(loop)
        await asyncio.sleep(0.001)
        return 7

    assert run(main()) == 7
    assert run(main(), busy_poll=0) == 7
    assert all(loop.is_closed() for loop in seen)
    loop = new_event_loop(0)
    try:
        assert loop.run_until_complete(main()) == 7
    finally:
        loop.close()


def test_without_cpu_affinity_every_cpu_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Not on Linux: the CPUs the process may run on are not known, the machine's are.
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    assert loop_module._usable_cpus() == 3
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert loop_module._usable_cpus() == 1


def test_run_without_asyncio_runner_cleans_up_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.10 has no asyncio.Runner: run() does its steps by hand, with the same result.
    monkeypatch.setattr(loop_module, "sys", types.SimpleNamespace(version_info=(3, 10, 14)))
    left: list[asyncio.Task[None]] = []
    seen: list[asyncio.AbstractEventLoop] = []

    async def forever() -> None:
        await asyncio.sleep(3600)

    async def main() -> str:
        seen.append(asyncio.get_running_loop())
        left.append(asyncio.get_running_loop().create_task(forever()))
        await asyncio.sleep(0)
        return "done"

    assert run(main(), busy_poll=0) == "done"
    assert left[0].cancelled()  # a task still running is cancelled, not left pending
    assert seen[0].is_closed()

"""An event loop that polls briefly before it sleeps, for lock-step transfers on fast links.

In lock-step every block waits for one round trip. On loopback or a quiet LAN segment the ACK
comes back sooner than an idle CPU can be put to sleep and woken again, so a process that blocks
in ``epoll_wait`` after each DATA spends most of the round trip being woken, not working (on a
virtual machine a wake-up across CPUs can cost tens of microseconds). :class:`BusyPollSelector`
looks at the sockets without blocking for a short budget first, and only then sleeps: the same
trade as the kernel's ``SO_BUSY_POLL`` for network cards, made in user space because loopback
has no device queue to poll.

The spinning pays for itself only while events really do arrive within the budget, so it is
adaptive: a spin that finds nothing switches spinning off, and it comes back on only after a
sleeping wait ended within the budget. A phone on a LAN that takes milliseconds to answer each
block therefore costs one empty spin, not one per block. On a single CPU spinning would only
delay the peer it waits for, so there it is off by default.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import sys
import time
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ciscocfg._errors import ValidationError

if TYPE_CHECKING:
    from _typeshed import FileDescriptorLike

__all__ = ["DEFAULT_BUSY_POLL", "BusyPollSelector", "new_event_loop", "run"]

_T = TypeVar("_T")

#: Spin budget in seconds: a loopback round trip, wake-up of the peer included, fits in it.
DEFAULT_BUSY_POLL = 100e-6


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


class BusyPollSelector(selectors.BaseSelector):
    """Wraps a selector: ``select(timeout)`` polls without blocking for up to ``budget`` seconds
    before it blocks for the rest of ``timeout``.

    ``budget=None`` takes :data:`DEFAULT_BUSY_POLL` on a machine with more than one usable CPU
    and 0 (never spin) on one; ``budget=0`` makes this a plain pass-through.
    """

    def __init__(
        self, budget: float | None = None, inner: selectors.BaseSelector | None = None
    ) -> None:
        if budget is None:
            budget = DEFAULT_BUSY_POLL if _usable_cpus() > 1 else 0.0
        if not budget >= 0:
            raise ValidationError(f"busy-poll budget must be >= 0 seconds, not {budget!r}")
        self.budget = float(budget)
        self._inner = inner if inner is not None else selectors.DefaultSelector()
        self._clock = time.perf_counter
        #: Whether the next wait starts with a spin (see the module's notes on adapting).
        self.spinning = self.budget > 0
        #: Waits answered by a spin, and spins that found nothing (for tuning and tests).
        self.spin_hits = 0
        self.spin_misses = 0

    def register(
        self, fileobj: FileDescriptorLike, events: int, data: Any = None
    ) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: FileDescriptorLike) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(
        self, fileobj: FileDescriptorLike, events: int, data: Any = None
    ) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def get_map(self) -> Mapping[FileDescriptorLike, selectors.SelectorKey]:
        return self._inner.get_map()

    def close(self) -> None:
        self._inner.close()

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        inner = self._inner
        budget = self.budget
        if budget == 0 or (timeout is not None and timeout <= 0):
            return inner.select(timeout)
        clock = self._clock
        if self.spinning:
            spin = budget if timeout is None else min(budget, timeout)
            start = clock()
            limit = start + spin
            while True:
                ready = inner.select(0)
                if ready:
                    self.spin_hits += 1
                    return ready
                now = clock()
                if now >= limit:
                    break
            self.spinning = False
            self.spin_misses += 1
            if timeout is not None:
                timeout -= now - start
                if timeout <= 0:
                    return inner.select(0)  # one last look, as a sleep ending now would take
            return inner.select(timeout)
        start = clock()
        ready = inner.select(timeout)
        if ready and clock() - start < budget:
            # Woken within the budget: a spin would have caught this one without the sleep.
            self.spinning = True
        return ready


def new_event_loop(busy_poll: float | None = None) -> asyncio.AbstractEventLoop:
    """An asyncio loop whose waits spin for up to ``busy_poll`` seconds before they sleep.

    ``None`` picks the default (:class:`BusyPollSelector`), ``0`` gives a loop that never spins.
    :func:`run` runs a coroutine on one, as :func:`asyncio.run` would.
    """
    return asyncio.SelectorEventLoop(BusyPollSelector(busy_poll))


def run(main: Coroutine[Any, Any, _T], *, busy_poll: float | None = None) -> _T:
    """:func:`asyncio.run` on a loop from :func:`new_event_loop` (``busy_poll=0``: never spin)."""
    if sys.version_info >= (3, 11):
        with asyncio.Runner(loop_factory=lambda: new_event_loop(busy_poll)) as runner:
            return runner.run(main)
    # Python 3.10 has no Runner: the same steps by hand.
    loop = new_event_loop(busy_poll)
    try:
        asyncio.set_event_loop(loop)
        return loop.run_until_complete(main)
    finally:
        try:
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            loop.close()

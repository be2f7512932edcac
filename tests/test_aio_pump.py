"""What a server's pumps share. The deadline timer: every due deadline fires, none fires early,
and a closed pump never fires; then the same through real pumps whose peer stays silent. The
epoll of the transfer sockets: each ready socket's callback runs, a failing one is reported
without stopping the others, and without epoll the loop's own readers do the same work."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import socket
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciscocfg.aio._pump import Deadlines, Pump, Readers, make_socket
from ciscocfg.tftp import (
    Data,
    Error,
    ReadRequest,
    RetryPolicy,
    ServerPolicy,
    ServerRead,
    TransferFailed,
    encode,
)


class VirtualLoop:
    """Just what :class:`Deadlines` uses of a loop: ``time`` and ``call_at``, on a clock that
    moves only when told, running what is due in time order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._heap: list[tuple[float, int, VirtualHandle]] = []
        self._order = itertools.count()
        self.armed = 0

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Any) -> VirtualHandle:
        handle = VirtualHandle(callback)
        heapq.heappush(self._heap, (when, next(self._order), handle))
        self.armed += 1
        return handle

    def advance_to(self, when: float) -> None:
        while self._heap and self._heap[0][0] <= when:
            at, _, handle = heapq.heappop(self._heap)
            if not handle.cancelled:
                self.now = max(self.now, at)
                handle.callback()
        self.now = max(self.now, when)


class VirtualHandle:
    def __init__(self, callback: Any) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeEngine:
    def __init__(self) -> None:
        self.deadline: float | None = None

    def get_timer(self) -> float | None:
        return self.deadline


class FakePump:
    """The part of a pump the deadlines touch; ``expired`` records each firing's time."""

    def __init__(self, loop: VirtualLoop, deadlines: Deadlines) -> None:
        self.loop = loop
        self.deadlines = deadlines
        self.engine = FakeEngine()
        self._closed = False
        self._waiting = False
        self.expired: list[tuple[float, float]] = []  # (when, deadline)

    def set_deadline(self, deadline: float | None) -> None:
        """As Pump.flush tells the deadlines after the engine moved its timer."""
        self.engine.deadline = deadline
        if deadline is not None and (not self._waiting or deadline < self.deadlines.at):
            self.deadlines.want(self, deadline)  # type: ignore[arg-type]

    def close(self) -> None:
        self._closed = True
        if self._waiting:
            self.deadlines.drop(self)  # type: ignore[arg-type]

    def _expire(self, deadline: float) -> None:
        self.expired.append((self.loop.now, deadline))
        self.engine.deadline = None  # handled: an engine that gives up has no timer left


operations = st.lists(
    st.one_of(
        st.tuples(st.just("set"), st.integers(0, 5), st.floats(0.001, 10.0)),
        st.tuples(st.just("clear"), st.integers(0, 5), st.just(0.0)),
        st.tuples(st.just("close"), st.integers(0, 5), st.just(0.0)),
        st.tuples(st.just("wait"), st.integers(0, 5), st.floats(0.0, 3.0)),
    ),
    max_size=60,
)


@given(operations)
@settings(max_examples=300)
def test_every_due_deadline_fires_once_and_never_early(ops: list[tuple[str, int, float]]) -> None:
    loop = VirtualLoop()
    deadlines = Deadlines(loop)  # type: ignore[arg-type]
    pumps = [FakePump(loop, deadlines) for _ in range(6)]
    for kind, index, value in ops:
        pump = pumps[index]
        if kind == "set" and not pump._closed:
            # Deadlines are in the future when an engine sets them.
            pump.set_deadline(loop.now + value)
        elif kind == "clear":
            pump.engine.deadline = None  # waiting on the application: no timer
        elif kind == "close":
            pump.close()
        elif kind == "wait":
            loop.advance_to(loop.now + value)
            for each in pumps:
                if not each._closed and each.engine.deadline is not None:
                    assert each.engine.deadline > loop.now, "a due deadline did not fire"
        for each in pumps:
            for when, deadline in each.expired:
                assert when >= deadline, "fired before its deadline"
    closed_at = {id(p): len(p.expired) for p in pumps if p._closed}
    loop.advance_to(loop.now + 100.0)
    for pump in pumps:
        if pump._closed:
            assert len(pump.expired) == closed_at[id(pump)], "a closed pump fired"
        else:
            assert pump.engine.deadline is None


def test_many_pumps_share_one_loop_timer() -> None:
    # 100 transfers that each move their deadline 10 times (one per ACK) and end before it.
    loop = VirtualLoop()
    deadlines = Deadlines(loop)  # type: ignore[arg-type]
    for start in range(100):
        pump = FakePump(loop, deadlines)
        for ack in range(10):
            loop.advance_to(start * 0.01 + ack * 0.001)
            pump.set_deadline(loop.now + 1.0)
        if start % 2:
            pump.close()
    # One timer was set for the first deadline; the 999 later ones needed none.
    assert loop.armed == 1
    loop.advance_to(10.0)


def test_silent_peers_get_their_retransmissions_and_give_up() -> None:
    # Real pumps and engines on a real loop: three downloads whose client never answers. Each
    # resends DATA 1 on its own timeout, then fails; the shared timer serves all three.
    policy = ServerPolicy(retry=RetryPolicy(max_retries=2, max_backoff=1))
    received: list[bytes] = []

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        deadlines = Deadlines(loop)
        listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        listener.bind(("127.0.0.1", 0))
        listener.setblocking(False)
        peer = listener.getsockname()
        loop.add_reader(listener.fileno(), lambda: received.append(listener.recv(65536)))
        reasons: list[str] = []

        def on_event(event: object) -> None:
            if isinstance(event, TransferFailed):
                reasons.append(event.reason)

        pumps = []
        for _ in range(3):
            engine = ServerRead(ReadRequest("f", "octet", {}), peer, loop.time(), policy=policy)
            pump = Pump(loop, make_socket(socket.AF_INET, "127.0.0.1"), engine, on_event,
                        deadlines=deadlines)  # fmt: skip
            engine.accept(loop.time(), 3)
            engine.supply(b"abc", loop.time())
            engine.supply_eof(loop.time())
            pump.flush()
            pumps.append(pump)
        await asyncio.wait_for(asyncio.gather(*(p.finished for p in pumps)), 20)
        for _ in range(100):  # the last ERRORs may still be on their way to the listener
            if len(received) >= 12:
                break
            await asyncio.sleep(0.01)
        loop.remove_reader(listener.fileno())
        listener.close()
        return reasons

    reasons = asyncio.run(main())
    assert reasons == ["timeout"] * 3
    # Each sent DATA 1, resent it twice, then said why it stopped.
    data_1, error_0 = encode(Data(1, b"")), encode(Error(0, ""))[:4]
    assert sorted(packet[:4] for packet in received) == [data_1] * 9 + [error_0] * 3


def _pairs(count: int) -> list[tuple[socket.socket, socket.socket]]:
    """(watched, sender) pairs of UDP sockets on loopback, the watched one non-blocking."""
    pairs = []
    for _ in range(count):
        watched = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        watched.bind(("127.0.0.1", 0))
        watched.setblocking(False)
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sender.connect(watched.getsockname())
        pairs.append((watched, sender))
    return pairs


@pytest.mark.parametrize("with_epoll", [True, False])
def test_readers_call_back_for_each_ready_socket(
    monkeypatch: pytest.MonkeyPatch, with_epoll: bool
) -> None:
    if not with_epoll:
        monkeypatch.delattr("select.epoll", raising=False)
    pairs = _pairs(5)
    got: dict[int, list[bytes]] = {index: [] for index in range(5)}
    errors: list[dict[str, Any]] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, context: errors.append(context))
        readers = Readers(loop)
        assert (readers._epoll is not None) == with_epoll

        def reader(index: int) -> Any:
            watched = pairs[index][0]

            def on_readable() -> None:
                data = watched.recv(100)
                got[index].append(data)
                if data == b"fail":
                    raise RuntimeError("callback failed")
                if data == b"stop 4":  # closes another socket while both are ready
                    readers.remove(pairs[4][0].fileno())
                    pairs[4][0].close()

            return on_readable

        for index in range(5):
            readers.add(pairs[index][0].fileno(), reader(index))
        pairs[0][1].send(b"a")
        pairs[1][1].send(b"fail")
        pairs[2][1].send(b"b")
        await asyncio.sleep(0.05)
        pairs[3][1].send(b"stop 4")
        pairs[4][1].send(b"never read")
        await asyncio.sleep(0.05)
        readers.remove(pairs[2][0].fileno())
        pairs[2][1].send(b"not watched any more")
        pairs[0][1].send(b"c")
        await asyncio.sleep(0.05)
        readers.close()
        pairs[0][1].send(b"after close")
        await asyncio.sleep(0.05)

    asyncio.run(main())
    for watched, sender in pairs:
        watched.close()
        sender.close()
    assert got[0] == [b"a", b"c"]
    assert got[1] == [b"fail"]
    assert got[2] == [b"b"]
    assert got[3] == [b"stop 4"]
    # Socket 4 was ready in the same turn as 3 at most; once closed it is never called.
    assert got[4] in ([], [b"never read"])
    assert [type(context["exception"]) for context in errors] == [RuntimeError]

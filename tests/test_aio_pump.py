"""What a server's pumps share. The deadline timer: every due deadline fires, none fires early,
and a closed pump never fires; then the same through real pumps whose peer stays silent. The
epoll of the transfer sockets: each ready socket's callback runs, a failing one is reported
without stopping the others, and without epoll the loop's own readers do the same work."""

from __future__ import annotations

import asyncio
import contextlib
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


class FlakySocket:
    """A real UDP socket whose next sends or receives fail as the kernel may make them fail:
    ``full`` sends meet a full send buffer (BlockingIOError), ``unreachable`` ones an ICMP error
    (OSError), and ``refused`` receives the ICMP error of an earlier send."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.full: list[int] = []  # indexes of the sends that find the buffer full
        self.unreachable: list[int] = []
        self.refused = 0
        self.sends = 0

    def sendto(self, data: bytes, address: Any) -> int:
        index, self.sends = self.sends, self.sends + 1
        if index in self.full:
            raise BlockingIOError
        if index in self.unreachable:
            raise ConnectionRefusedError
        return self.sock.sendto(data, address)

    def recvfrom_into(self, buffer: Any) -> tuple[int, Any]:
        if self.refused:
            self.refused -= 1
            raise ConnectionRefusedError
        return self.sock.recvfrom_into(buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


def _download(
    blocks: int, window: int, flaky: Any, *, abort_at: int | None = None
) -> tuple[list[bytes], list[str]]:
    """A windowed download served through a pump on ``flaky(socket)``, to a client that
    acknowledges each window; what the client received, and how the transfer ended."""
    data = bytes(range(256)) * (2 * blocks)  # `blocks` blocks of 512 octets, and a last one
    data = data[: 512 * blocks + 100]
    received: list[bytes] = []
    ends: list[str] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.bind(("127.0.0.1", 0))
        client.setblocking(False)
        request = ReadRequest("f", "octet", {"windowsize": str(window)})
        engine = ServerRead(request, client.getsockname(), loop.time())
        sock = flaky(make_socket(socket.AF_INET, "127.0.0.1"))

        def on_event(event: object) -> None:
            if isinstance(event, TransferFailed):
                ends.append(event.reason)

        pump = Pump(loop, sock, engine, on_event)
        engine.accept(loop.time(), len(data))
        engine.supply(data, loop.time())
        engine.supply_eof(loop.time())
        pump.flush()
        while not pump.closed:
            try:
                packet, server = client.recvfrom(65536)
            except BlockingIOError:
                await asyncio.sleep(0.002)
                continue
            received.append(packet)
            opcode, number = packet[1], int.from_bytes(packet[2:4], "big")
            if opcode == 6:  # the OACK: ACK 0 starts the data
                client.sendto(b"\x00\x04\x00\x00", server)
            elif opcode == 3 and (number % window == 0 or len(packet) < 516):
                client.sendto(b"\x00\x04" + packet[2:4], server)
            if abort_at is not None and opcode == 3 and number == abort_at:
                engine.abort(0, "stopped")
                pump.flush()
            await asyncio.sleep(0)
        await asyncio.wait_for(pump.finished, 5)
        assert pump.closed
        pump.close()  # a second close changes nothing
        await asyncio.sleep(0.05)
        with contextlib.suppress(BlockingIOError):
            while True:  # what was still on its way when the pump closed
                received.append(client.recv(65536))
        client.close()

    asyncio.run(main())
    return received, ends


def test_a_full_send_buffer_keeps_the_rest_of_the_window_in_order() -> None:
    def flaky(sock: socket.socket) -> FlakySocket:
        wrapper = FlakySocket(sock)
        wrapper.full = [3, 12]  # two windows meet a full buffer part way
        return wrapper

    received, ends = _download(20, 8, flaky)
    numbers = [int.from_bytes(p[2:4], "big") for p in received if p[1] == 3]
    assert numbers == list(range(1, 22))  # every block once, in order, none lost
    assert ends == []


def test_an_icmp_error_on_a_send_or_a_receive_is_left_to_the_timer() -> None:
    def flaky(sock: socket.socket) -> FlakySocket:
        wrapper = FlakySocket(sock)
        wrapper.unreachable = [2]  # the rest of that window is lost; the timer resends it
        wrapper.refused = 1
        return wrapper

    received, ends = _download(6, 4, flaky)
    numbers = sorted({int.from_bytes(p[2:4], "big") for p in received if p[1] == 3})
    assert numbers == list(range(1, 8))
    assert ends == []


@pytest.mark.parametrize(
    ("retry", "arrives"),
    [("room", [3, 5]), ("full", []), ("unreachable", [])],
)
def test_an_abort_while_the_send_buffer_is_full_gets_one_more_try(
    retry: str, arrives: list[int]
) -> None:
    # DATA 1 finds the buffer full and waits; the transfer is aborted before the socket is
    # writable again. Closing gives what waits (DATA 1, then the ERROR) one try that does not
    # block: sent when there is room again, dropped otherwise, never an exception.
    async def main() -> list[int]:
        loop = asyncio.get_running_loop()
        client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        client.bind(("127.0.0.1", 0))
        client.setblocking(False)
        engine = ServerRead(ReadRequest("f", "octet", {}), client.getsockname(), loop.time())
        sock = FlakySocket(make_socket(socket.AF_INET, "127.0.0.1"))
        sock.full = [0, 1] if retry == "full" else [0]
        sock.unreachable = [1] if retry == "unreachable" else []
        pump = Pump(loop, sock, engine, lambda _: None)  # type: ignore[arg-type]
        engine.accept(loop.time())
        engine.supply(b"x" * 100, loop.time())
        engine.supply_eof(loop.time())
        pump.flush()  # DATA 1 waits for room
        engine.abort(0, "stopped")
        pump.flush()  # the ERROR waits behind it; the engine is done, the pump closes
        assert pump.closed
        await asyncio.wait_for(pump.finished, 1)
        await asyncio.sleep(0.05)
        opcodes = []
        with contextlib.suppress(BlockingIOError):
            while True:
                opcodes.append(client.recv(65536)[1])
        client.close()
        return opcodes

    assert asyncio.run(main()) == arrives


def test_a_shared_receive_buffer_must_hold_the_largest_datagram() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        sock = make_socket(socket.AF_INET, "127.0.0.1")
        engine = ServerRead(ReadRequest("f", "octet", {}), ("127.0.0.1", 9), loop.time())
        with sock, pytest.raises(ValueError, match="receive buffer needs 65536 bytes"):
            Pump(loop, sock, engine, lambda _: None, buffer=bytearray(1500))

    asyncio.run(main())


def test_a_socket_that_cannot_be_bound_is_closed() -> None:
    # 192.0.2.1 (TEST-NET-1) is no address of this machine.
    with pytest.raises(OSError):  # noqa: PT011 - the errno depends on the system
        make_socket(socket.AF_INET, "192.0.2.1")


def test_without_sock_nonblock_the_socket_is_made_non_blocking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ciscocfg.aio import _pump

    monkeypatch.setattr(_pump, "_NONBLOCK_TYPE", socket.SOCK_DGRAM)
    with make_socket(socket.AF_INET, "127.0.0.1") as sock:
        assert not sock.getblocking()


def test_a_socket_on_every_ipv6_address_takes_ipv4_too() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    try:
        sock = make_socket(socket.AF_INET6, "::")
    except OSError as exc:
        pytest.skip(f"no IPv6 here: {exc}")
    with sock:
        assert sock.getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY) == 0


def test_readers_forget_what_they_do_not_watch_and_stop_when_closed() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        readers = Readers(loop)
        readers.remove(12345)  # never watched: nothing to do
        readers.close()
        readers._dispatch()  # a wake-up already queued when it closed finds nothing to do
        assert readers._epoll is None

    asyncio.run(main())

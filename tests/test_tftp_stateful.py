"""Stateful tests: a client and a server engine over a link that drops, duplicates, delays and
reorders datagrams on a virtual clock, driven by Hypothesis; and the state tables themselves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from ciscocfg.tftp import (
    Ack,
    Data,
    Error,
    LocalProtocolError,
    NeedData,
    OptionAck,
    ReadRequest,
    RetryPolicy,
    ServerRead,
    decode,
    encode,
)
from ciscocfg.tftp._machine import TABLES, TERMINAL, EngineRole, Input, State, advance, to_dot
from ciscocfg.tftp.testing import CLIENT, SERVER_TID, Conversation

STRANGER = ("198.51.100.7", 6000)


class LossyTransfer(RuleBasedStateMachine):
    """One transfer; Hypothesis decides the fate of every datagram and when time passes."""

    conversation: Conversation
    window: int

    @initialize(
        direction=st.sampled_from(["read", "write"]),
        size=st.integers(0, 700),
        blksize=st.sampled_from([8, 64, 512]),
        window=st.integers(1, 6),
        rollover=st.sampled_from([None, "0", "1"]),
        supply_chunk=st.none() | st.integers(1, 100),
        retries=st.integers(1, 5),
    )
    def start(
        self,
        direction: str,
        size: int,
        blksize: int,
        window: int,
        rollover: str | None,
        supply_chunk: int | None,
        retries: int,
    ) -> None:
        options = {"blksize": str(blksize)}
        if window > 1:
            options["windowsize"] = str(window)
        if rollover is not None:
            options["rollover"] = rollover
        self.window = window
        self.data = bytes((i * 7 + size) % 256 for i in range(size))
        self.conversation = Conversation(
            self.data,
            direction=direction,
            options=options,
            retry=RetryPolicy(max_retries=retries),
            supply_chunk=supply_chunk,
        )

    def _index(self, data: st.DataObject) -> int:
        return data.draw(st.integers(0, len(self.conversation.in_flight) - 1))

    @precondition(lambda self: bool(self.conversation.in_flight))
    @rule(data=st.data())
    def deliver(self, data: st.DataObject) -> None:
        """Deliver any datagram in flight: picking one out of order is reordering."""
        self.conversation.deliver(self._index(data))

    @precondition(lambda self: bool(self.conversation.in_flight))
    @rule(data=st.data())
    def drop(self, data: st.DataObject) -> None:
        self.conversation.drop(self._index(data))

    @precondition(lambda self: bool(self.conversation.in_flight))
    @rule(data=st.data())
    def duplicate(self, data: st.DataObject) -> None:
        self.conversation.duplicate(self._index(data))

    @rule(
        data=st.binary(max_size=40),
        to_server=st.booleans(),
        opcode=st.integers(0, 7),
    )
    def stranger_sends(self, data: bytes, to_server: bool, opcode: int) -> None:
        """Anything from another address must change nothing (RFC 1350: ERROR 5 and go on)."""
        datagram = bytes([0, opcode]) + data
        destination = SERVER_TID if to_server else CLIENT
        conversation = self.conversation
        before = (
            len(conversation.receiver.received),
            conversation.client.failure,
            conversation.server.failure,
            conversation.client_engine.state,
            None if conversation.server_engine is None else conversation.server_engine.state,
        )
        conversation.inject(datagram, STRANGER, destination)
        replies = [d for d in self.conversation.in_flight if d.destination == STRANGER]
        for reply in replies:
            assert decode(reply.data) == Error(5, "Unknown transfer ID")
        self.conversation.in_flight = [
            d for d in self.conversation.in_flight if d.destination != STRANGER
        ]
        after = (
            len(conversation.receiver.received),
            conversation.client.failure,
            conversation.server.failure,
            conversation.client_engine.state,
            None if conversation.server_engine is None else conversation.server_engine.state,
        )
        assert after == before

    @rule()
    def time_passes(self) -> None:
        """Fire the next timer while datagrams stay in flight: that is delay."""
        self.conversation.fire_timers()

    @invariant()
    def received_is_a_prefix(self) -> None:
        receiver = self.conversation.receiver
        assert receiver.offsets_ok
        assert self.data.startswith(bytes(receiver.received))

    @invariant()
    def no_more_than_a_window_per_step(self) -> None:
        # Per ACK received (or per timeout), a sender puts at most one window on the wire:
        # the Sorcerer's Apprentice would show up here as 2 x window.
        steps = self.conversation.data_per_step
        assert not steps or max(steps) <= self.window

    @invariant()
    def no_sorcerers_apprentice(self) -> None:
        # An ACK that acknowledges nothing new never makes DATA go out, windows or not.
        assert self.conversation.worst_stale_ack_burst == 0

    @invariant()
    def sender_completes_only_after_receiver(self) -> None:
        if self.conversation.sender.completed:
            assert self.conversation.receiver.completed

    def teardown(self) -> None:
        conversation = getattr(self, "conversation", None)
        if conversation is None:
            return
        conversation.settle()
        assert conversation.finished
        receiver, sender = conversation.receiver, conversation.sender
        if receiver.completed:
            assert bytes(receiver.received) == self.data
            assert receiver.failure is None
        else:
            # Nothing was delivered in full: both sides ended failed.
            assert not sender.completed
            assert conversation.client_engine.failed
            server = conversation.server_engine
            assert server is None or server.failed
        assert max(conversation.data_per_step, default=0) <= self.window


LossyTransfer.TestCase.settings = settings(LossyTransfer.TestCase.settings, stateful_step_count=60)
TestLossyTransfer = LossyTransfer.TestCase


class AnyAcks(RuleBasedStateMachine):
    """A sending engine against a peer that may send any ACK at any time (a hostile one).

    The bound proved: every DATA the sender puts on the wire is either the first transmission of
    a block or a retransmission made by its timer, and a timer expiry resends at most the
    blocks in flight (at most one window). Over any sequence of ACKs and timeouts::

        DATA sent = distinct blocks sent + retransmits
                  <= (size // blksize + 1) + window * (timer expiries)

    and an ACK never makes a block go out a second time. The sender is the code ServerRead and
    ClientWrite share.
    """

    server: ServerRead
    window: int
    blocks: int

    @initialize(
        size=st.integers(0, 400),
        blksize=st.sampled_from([8, 16, 512]),
        window=st.integers(1, 8),
        supply_chunk=st.none() | st.integers(1, 50),
    )
    def start(self, size: int, blksize: int, window: int, supply_chunk: int | None) -> None:
        options = {"blksize": str(blksize)}
        if window > 1:
            options["windowsize"] = str(window)
        self.window = window
        self.blocks = size // blksize + 1
        self.now = 0.0
        self.data = bytes(size)
        self.position = 0
        self.supply_chunk = supply_chunk
        self.server = ServerRead(ReadRequest("f", options=options), CLIENT, 0.0)
        self.server.accept(0.0, size=size)
        self.first_sent: set[int] = set()
        self.data_sent = 0
        self.oack_resent = 0
        self.expiries = 0
        self._drain(on_timer=False)

    def _drain(self, *, on_timer: bool, before: int = 0) -> None:
        server = self.server
        sent = []
        oacks = 0
        for _ in range(1000):
            events = server.events()
            for event in events:
                if isinstance(event, NeedData):
                    size = event.max_bytes if self.supply_chunk is None else self.supply_chunk
                    chunk = self.data[self.position : self.position + size]
                    self.position += len(chunk)
                    if chunk:
                        server.supply(chunk, self.now)
                    if self.position >= len(self.data):
                        server.supply_eof(self.now)
            out = server.datagrams_to_send()
            # A supply smaller than a block sends nothing yet and asks again: go on until
            # nothing is asked either, or the rest would go out at the next timer.
            if not out and not events:
                break
            for payload, _ in out:
                packet = decode(payload)
                if isinstance(packet, Data):
                    sent.append(packet.block)
                elif isinstance(packet, OptionAck):
                    oacks += 1
        self.data_sent += len(sent)
        retransmitted = server.stats.retransmits - before
        if on_timer:
            # The OACK, unconfirmed, is the other thing a timer resends (and counts).
            self.oack_resent += oacks
            retransmitted -= oacks
            # Only what was in flight, at most a window, every one of them counted.
            assert len(sent) <= self.window
            assert all(block in self.first_sent for block in sent)
            assert retransmitted == len(sent)
        else:
            # In answer to an ACK (or to data supplied): only blocks never sent before.
            assert retransmitted == 0
            assert len(set(sent)) == len(sent)
            assert not self.first_sent.intersection(sent)
            self.first_sent.update(sent)

    @rule(block=st.integers(0, 70), jitter=st.floats(0, 0.5))
    def ack(self, block: int, jitter: float) -> None:
        self.now += jitter
        before = self.server.stats.retransmits
        self.server.receive_datagram(encode(Ack(block)), CLIENT, self.now)
        self._drain(on_timer=False, before=before)

    @rule(back=st.integers(0, 3))
    def ack_near_the_window(self, back: int) -> None:
        """ACK the last block sent, or one a little before it (duplicates included)."""
        if self.first_sent:
            block = max(0, max(self.first_sent) - back)
            before = self.server.stats.retransmits
            self.server.receive_datagram(encode(Ack(block)), CLIENT, self.now)
            self._drain(on_timer=False, before=before)

    @rule()
    def time_passes(self) -> None:
        deadline = self.server.get_timer()
        if deadline is not None:
            self.now = max(self.now, deadline)
            self.expiries += 1
            before = self.server.stats.retransmits
            self.server.handle_timer(self.now)
            self._drain(on_timer=True, before=before)

    @invariant()
    def data_sent_is_bounded(self) -> None:
        if not hasattr(self, "server"):
            return
        retransmits = self.server.stats.retransmits - self.oack_resent
        assert self.data_sent == len(self.first_sent) + retransmits
        assert len(self.first_sent) <= self.blocks
        assert retransmits <= self.window * self.expiries


AnyAcks.TestCase.settings = settings(AnyAcks.TestCase.settings, stateful_step_count=80)
TestAnyAcks = AnyAcks.TestCase


@given(
    st.sampled_from(list(EngineRole)), st.sampled_from(list(State)), st.sampled_from(list(Input))
)
def test_every_pair_is_a_transition_or_a_local_error(
    role: EngineRole, state: State, event: Input
) -> None:
    try:
        target = advance(role, state, event)
    except LocalProtocolError:
        assert (state, event) not in TABLES[role]
    else:
        assert TABLES[role][(state, event)] is target


@pytest.mark.parametrize("role", list(EngineRole))
def test_tables_reach_completion_and_failure(role: EngineRole) -> None:
    table = TABLES[role]
    start = State.PENDING if role.name.startswith("SERVER") else State.REQUESTING
    reached, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        for (source, _), target in table.items():
            if source is state and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached >= TERMINAL
    assert not any(source in TERMINAL for source, _ in table)
    dot = to_dot(role)
    assert dot.startswith(f'digraph "{role.value}"')
    assert "COMPLETE" in dot

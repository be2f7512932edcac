"""The transfer engines: conversations, RFC rules and the edge cases of spec §1.13."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg.tftp import (
    Ack,
    ClientRead,
    ClientWrite,
    Data,
    DataReceived,
    Error,
    ErrorCode,
    LocalProtocolError,
    NeedData,
    OptionAck,
    OptionsNegotiated,
    Progress,
    ReadRequest,
    RequestTracker,
    RetryPolicy,
    ServerPolicy,
    ServerRead,
    ServerWrite,
    TransferComplete,
    TransferFailed,
    WriteRequest,
    decode,
    encode,
)
from ciscocfg.tftp._machine import State
from ciscocfg.tftp.testing import CLIENT, SERVER, SERVER_TID, Conversation, run_lossless

STRANGER = ("192.0.2.99", 40001)


def _sent(engine: ServerRead | ServerWrite | ClientRead | ClientWrite) -> list[object]:
    return [decode(data) for data, _ in engine.datagrams_to_send()]


def _failure(engine: ServerRead | ServerWrite | ClientRead | ClientWrite) -> TransferFailed:
    failures = [e for e in engine.events() if isinstance(e, TransferFailed)]
    assert len(failures) == 1
    return failures[0]


@pytest.mark.parametrize("direction", ["read", "write"])
@pytest.mark.parametrize("size", [0, 1, 511, 512, 513, 1024, 3000])
@pytest.mark.parametrize(
    "options",
    [None, {"blksize": "8"}, {"blksize": "16", "windowsize": "4"}, {"tsize": "0", "timeout": "2"}],
)
def test_lossless_transfers(direction: str, size: int, options: dict[str, str] | None) -> None:
    data = random.Random(size).randbytes(size)
    conversation = Conversation(data, direction=direction, options=options)
    conversation.settle()
    assert bytes(conversation.receiver.received) == data
    assert conversation.receiver.offsets_ok
    assert conversation.receiver.completed
    assert conversation.sender.completed
    assert not conversation.client_engine.failed
    blocks, received = run_lossless(data, direction=direction, options=options)
    assert received == data
    blksize = int((options or {}).get("blksize", "512"))
    assert blocks == size // blksize + 1


def test_exact_multiple_ends_with_empty_data() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.accept(0.0)
    assert server.events() == [OptionsNegotiated(server.negotiated, {}), NeedData(512)]
    server.supply(b"x" * 512, 0.0)
    assert _sent(server) == [Data(1, b"x" * 512)]
    assert server.events() == []  # the window (one block) is full: no more data wanted yet
    server.receive_datagram(encode(Ack(1)), CLIENT, 0.1)
    assert server.events() == [NeedData(512)]
    assert _sent(server) == []
    server.supply_eof(0.1)
    assert _sent(server) == [Data(2, b"")]
    server.receive_datagram(encode(Ack(2)), CLIENT, 0.2)
    events = server.events()
    assert isinstance(events[-1], TransferComplete)
    assert events[-1].stats.bytes == 512
    assert events[-1].stats.blocks == 2
    assert server.done
    assert not server.failed


def test_empty_file_is_one_empty_data() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.supply_eof(0.0)
    server.accept(0.0)
    assert _sent(server) == [Data(1, b"")]


def test_sorcerers_apprentice_duplicate_ack_sends_nothing() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.supply(b"a" * 2000, 0.0)
    server.supply_eof(0.0)
    server.accept(0.0)
    assert _sent(server) == [Data(1, b"a" * 512)]
    server.receive_datagram(encode(Ack(1)), CLIENT, 0.1)
    assert _sent(server) == [Data(2, b"a" * 512)]
    # The ACK of block 1 arrives again (it was delayed): never resend DATA 2 for it.
    server.receive_datagram(encode(Ack(1)), CLIENT, 0.2)
    server.receive_datagram(encode(Ack(1)), CLIENT, 0.3)
    assert _sent(server) == []
    # Only the timeout resends.
    timer = server.get_timer()
    assert timer == pytest.approx(1.1)
    server.handle_timer(1.1)
    assert _sent(server) == [Data(2, b"a" * 512)]
    assert server.stats.retransmits == 1


def test_an_ack_inside_the_window_only_slides_it() -> None:
    request = ReadRequest("f", options={"windowsize": "4", "blksize": "8"})
    server = ServerRead(request, CLIENT, 0.0)
    server.supply(bytes(100), 0.0)
    server.supply_eof(0.0)
    server.accept(0.0)
    assert _sent(server) == [OptionAck({"windowsize": "4", "blksize": "8"})]
    server.receive_datagram(encode(Ack(0)), CLIENT, 0.0)
    assert [p.block for p in _sent(server)] == [1, 2, 3, 4]  # type: ignore[attr-defined]
    # ACK 2 (a gap after it, or a peer that ACKs every block): the window slides by two and
    # only the two blocks it newly allows go out; 3 and 4 are not sent again for it.
    server.receive_datagram(encode(Ack(2)), CLIENT, 0.1)
    assert [p.block for p in _sent(server)] == [5, 6]  # type: ignore[attr-defined]
    # ACK 2 again, and again: nothing (a duplicate ACK never sends DATA, windows or not).
    server.receive_datagram(encode(Ack(2)), CLIENT, 0.2)
    server.receive_datagram(encode(Ack(2)), CLIENT, 0.3)
    assert _sent(server) == []
    # Stale and future ACKs are ignored.
    server.receive_datagram(encode(Ack(1)), CLIENT, 0.4)
    server.receive_datagram(encode(Ack(40)), CLIENT, 0.4)
    assert _sent(server) == []
    # Only the timer resends, the blocks in flight, from the last progress (ACK 2 at 0.1) on.
    assert server.get_timer() == pytest.approx(1.1)
    server.handle_timer(1.1)
    assert [p.block for p in _sent(server)] == [3, 4, 5, 6]  # type: ignore[attr-defined]
    assert server.stats.retransmits == 4
    assert not [e for e in server.events() if isinstance(e, Progress)]  # under 64 KiB so far


def test_a_peer_that_acks_every_block_gets_each_block_once() -> None:
    # With windowsize 64 a client that ACKs every DATA made a 196-block file go out as 6,402
    # DATA (each ACK resent the rest of the window): 32.7 times the file.
    request = ReadRequest("f", options={"windowsize": "64"})
    server = ServerRead(request, CLIENT, 0.0)
    server.accept(0.0, size=195 * 512 + 100)
    server.supply(bytes(195 * 512 + 100), 0.0)
    server.supply_eof(0.0)
    server.datagrams_to_send()
    server.receive_datagram(encode(Ack(0)), CLIENT, 0.0)
    sent = 0
    pending = [decode(d) for d, _ in server.datagrams_to_send()]
    while pending:
        packet = pending.pop(0)
        assert isinstance(packet, Data)
        sent += 1
        server.receive_datagram(encode(Ack(packet.block)), CLIENT, 0.0)
        pending += [decode(d) for d, _ in server.datagrams_to_send()]
    assert server.completed
    assert sent == 196
    assert server.stats.retransmits == 0


def test_receiver_acks_once_per_window_and_on_gap() -> None:
    client = ClientRead("f", 0.0, server=SERVER, options={"windowsize": "3", "blksize": "8"})
    client.datagrams_to_send()
    client.receive_datagram(encode(OptionAck({"windowsize": "3", "blksize": "8"})), SERVER_TID, 0)
    assert _sent(client) == [Ack(0)]
    for block in (1, 2):
        client.receive_datagram(encode(Data(block, bytes(8))), SERVER_TID, 0.1)
    assert _sent(client) == []
    client.receive_datagram(encode(Data(3, bytes(8))), SERVER_TID, 0.1)
    assert _sent(client) == [Ack(3)]
    # Gap: 5 before 4 -> ACK 3 at once, only once for the whole gap.
    client.receive_datagram(encode(Data(5, bytes(8))), SERVER_TID, 0.2)
    client.receive_datagram(encode(Data(6, bytes(8))), SERVER_TID, 0.2)
    assert _sent(client) == [Ack(3)]
    # A duplicate of the last in-order block means our ACK was lost: ACK again.
    client.receive_datagram(encode(Data(3, bytes(8))), SERVER_TID, 0.3)
    assert _sent(client) == [Ack(3)]
    # Older duplicates of a resent window stay unanswered.
    client.receive_datagram(encode(Data(2, bytes(8))), SERVER_TID, 0.3)
    assert _sent(client) == []
    events = client.events()
    assert [e.offset for e in events if isinstance(e, DataReceived)] == [0, 8, 16]


@pytest.mark.parametrize(("rollover", "expect_zero"), [(None, True), ("0", True), ("1", False)])
def test_rollover_past_65535_blocks(rollover: str | None, expect_zero: bool) -> None:
    options = {"blksize": "8", "windowsize": "64"}
    if rollover is not None:
        options["rollover"] = rollover
    data = random.Random(7).randbytes(8 * 65540 + 3)
    conversation = Conversation(data, direction="read", options=options)
    wires: list[int] = []
    while conversation.in_flight or conversation.timers():
        if not conversation.in_flight:
            conversation.fire_timers()
            continue
        datagram = conversation.in_flight[0]
        if datagram.data[:2] == b"\x00\x03":
            wires.append(int.from_bytes(datagram.data[2:4], "big"))
        conversation.deliver()
    assert bytes(conversation.receiver.received) == data
    assert conversation.sender.completed
    assert wires[65534:65537] == ([65535, 0, 1] if expect_zero else [65535, 1, 2])


def test_receiver_follows_a_peer_that_wraps_to_one() -> None:
    client = ClientRead("f", 0.0, server=SERVER, options={"blksize": "8", "windowsize": "8"})
    client.datagrams_to_send()
    client.receive_datagram(encode(OptionAck({"blksize": "8", "windowsize": "8"})), SERVER_TID, 0)
    payload = bytes(8)
    for absolute in range(1, 65536 + 7):
        wire = absolute if absolute <= 65535 else absolute - 65535  # the peer wraps to 1
        client.receive_datagram(encode(Data(wire, payload)), SERVER_TID, 0.0)
    client.receive_datagram(encode(Data(8, b"end")), SERVER_TID, 0.0)
    received = [e for e in client.events() if isinstance(e, DataReceived)]
    assert len(received) == 65536 + 7
    assert received[-1].final
    assert received[-1].offset == (65536 + 6) * 8
    assert bytes(received[-1].payload) == b"end"
    assert client.completed


def test_stranger_gets_error_5_and_transfer_goes_on() -> None:
    data = bytes(range(256)) * 8
    conversation = Conversation(data, direction="read")
    while conversation.server_engine is None:
        conversation.deliver()
    conversation.inject(encode(Ack(1)), STRANGER, SERVER_TID)
    conversation.inject(encode(Error(0, "spoofed")), STRANGER, SERVER_TID)
    conversation.inject(encode(Data(1, b"x")), STRANGER, CLIENT)
    to_stranger = [d for d in conversation.in_flight if d.destination == STRANGER]
    assert [decode(d.data) for d in to_stranger] == [
        Error(ErrorCode.UNKNOWN_TID, "Unknown transfer ID"),
        Error(ErrorCode.UNKNOWN_TID, "Unknown transfer ID"),
    ]
    conversation.settle()
    assert bytes(conversation.receiver.received) == data
    assert conversation.sender.completed


def test_client_rejects_unrequested_option_with_error_8() -> None:
    client = ClientRead("f", 0.0, server=SERVER)
    client.datagrams_to_send()
    client.receive_datagram(encode(OptionAck({"blksize": "512"})), SERVER_TID, 0.1)
    assert client.datagrams_to_send() == [
        (encode(Error(8, "OACK carries option 'blksize', which was not requested")), SERVER_TID)
    ]
    failure = _failure(client)
    assert (failure.code, failure.by_peer, failure.reason) == (8, False, "negotiation")
    assert client.failed
    assert client.get_timer() is None


def test_write_client_confirms_oack_with_data_1() -> None:
    client = ClientWrite("up.bin", 0.0, server=SERVER, options={"blksize": "8"}, size=10)
    assert _sent(client) == [WriteRequest("up.bin", "octet", {"blksize": "8", "tsize": "10"})]
    client.supply(b"0123456789", 0.0)
    client.supply_eof(0.0)
    client.receive_datagram(encode(OptionAck({"blksize": "8", "tsize": "10"})), SERVER_TID, 0.1)
    assert _sent(client) == [Data(1, b"01234567")]
    client.receive_datagram(encode(OptionAck({"blksize": "8", "tsize": "10"})), SERVER_TID, 0.2)
    assert _sent(client) == []  # a repeated OACK is ignored
    client.receive_datagram(encode(Ack(1)), SERVER_TID, 0.3)
    assert _sent(client) == [Data(2, b"89")]
    client.receive_datagram(encode(Ack(2)), SERVER_TID, 0.4)
    assert client.done
    assert client.completed
    assert not client.failed


@pytest.mark.parametrize("direction", ["read", "write"])
def test_progress_is_coalesced(direction: str) -> None:
    data = bytes(300_000)
    options = {"blksize": "1024", "windowsize": "8"}
    if direction == "read":
        options["tsize"] = "0"  # a write client offers the size it was given by itself
    conversation = Conversation(data, direction=direction, options=options)
    while not conversation.finished or conversation.in_flight:
        if conversation.in_flight:
            conversation.deliver()
        else:
            conversation.fire_timers()
        for side in (conversation.sender, conversation.receiver):
            assert side.engine is not None
    assert conversation.receiver.completed
    # Progress is reported every 64 KiB at most (here: 4 times for 300 kB), never per block.
    sender = conversation.sender.engine
    receiver = conversation.receiver.engine
    assert sender is not None
    assert receiver is not None
    progress = conversation.progress
    assert 2 <= len(progress[id(sender)]) <= 4
    assert all(p.total == 300_000 for p in progress[id(receiver)])
    steps = [p.bytes for p in progress[id(sender)]]
    assert all(b - a >= 65536 for a, b in zip([0, *steps], steps, strict=False))


def test_tsize_read_and_progress_total() -> None:
    data = bytes(3000)
    conversation = Conversation(data, direction="read", options={"tsize": "0", "blksize": "1024"})
    conversation.settle()
    client = conversation.client_engine
    assert client.negotiated.tsize == 3000
    assert client.stats.options == {"tsize": "3000", "blksize": "1024"}


def test_write_over_upload_limit_gets_error_3() -> None:
    request = WriteRequest("big.bin", "octet", {"tsize": "5000"})
    server = ServerWrite(request, CLIENT, 0.0, policy=ServerPolicy(max_upload_size=4096))
    server.accept(0.0)
    assert _sent(server) == [Error(3, "file of 5000 bytes exceeds the limit of 4096")]
    assert _failure(server).reason == "negotiation"
    # Without tsize, the limit is enforced on the data itself.
    server = ServerWrite(WriteRequest("x"), CLIENT, 0.0, policy=ServerPolicy(max_upload_size=600))
    server.accept(0.0)
    assert _sent(server) == [Ack(0)]
    server.receive_datagram(encode(Data(1, bytes(512))), CLIENT, 0.1)
    server.receive_datagram(encode(Data(2, bytes(512))), CLIENT, 0.2)
    assert _sent(server)[-1] == Error(3, "upload exceeds the limit of 600 bytes")
    assert server.failed


def test_read_client_refuses_an_oack_tsize_over_its_limit() -> None:
    client = ClientRead("big.bin", 0.0, server=SERVER, options={"tsize": "0"}, max_size=4096)
    client.datagrams_to_send()
    client.receive_datagram(encode(OptionAck({"tsize": "4097"})), SERVER_TID, 0.1)
    # ERROR 3 in place of ACK 0: the server is told before it sends a single block.
    assert _sent(client) == [Error(3, "file of 4097 bytes exceeds the limit of 4096")]
    failure = _failure(client)
    assert (failure.code, failure.by_peer, failure.reason) == (3, False, "negotiation")
    assert client.failed
    assert client.get_timer() is None
    client.receive_datagram(encode(Data(1, bytes(512))), SERVER_TID, 0.2)
    assert _sent(client) == []
    assert client.events() == []
    # A file of exactly the limit is taken.
    client = ClientRead("f", 0.0, server=SERVER, options={"tsize": "0"}, max_size=4096)
    client.datagrams_to_send()
    client.receive_datagram(encode(OptionAck({"tsize": "4096"})), SERVER_TID, 0.1)
    assert _sent(client) == [Ack(0)]
    assert not client.failed


@pytest.mark.parametrize("size", [0, 7, 8, 23, 24])
def test_read_client_takes_a_file_up_to_its_limit(size: int) -> None:
    client = ClientRead("f", 0.0, server=SERVER, options={"blksize": "8"}, max_size=24)
    client.datagrams_to_send()
    client.receive_datagram(encode(OptionAck({"blksize": "8"})), SERVER_TID, 0.0)
    data = bytes(range(size))
    blocks = [data[i : i + 8] for i in range(0, size + 1, 8)]  # ends with a short block
    for number, payload in enumerate(blocks, 1):
        client.receive_datagram(encode(Data(number, payload)), SERVER_TID, 0.0)
    assert client.completed
    received = [e for e in client.events() if isinstance(e, DataReceived)]
    assert b"".join(bytes(e.payload) for e in received) == data


@pytest.mark.parametrize("wrap_to", [0, 1])
def test_read_client_stops_a_wrapping_stream_at_its_limit(wrap_to: int) -> None:
    # A hostile server that never sends a short block and wraps its block numbers, once to 0
    # and once to 1 (both are followed), so that only the size limit can stop it.
    limit = 8 * 65536 + 100
    client = ClientRead(
        "f", 0.0, server=SERVER, options={"blksize": "8", "windowsize": "64"}, max_size=limit
    )
    client.datagrams_to_send()
    client.receive_datagram(
        encode(OptionAck({"blksize": "8", "windowsize": "64"})), SERVER_TID, 0.0
    )
    client.datagrams_to_send()
    payload = bytes(8)
    received = 0
    absolute = 0
    sent: list[object] = []
    failures: list[TransferFailed] = []
    while not client.done and absolute < 3 * 65536:
        absolute += 1
        wire = absolute & 0xFFFF if wrap_to == 0 else (absolute - 1) % 65535 + 1
        client.receive_datagram(encode(Data(wire, payload)), SERVER_TID, 0.0)
        for event in client.events():
            if isinstance(event, DataReceived):
                received += len(event.payload)
            elif isinstance(event, TransferFailed):
                failures.append(event)
        sent = _sent(client)
        if not client.done:
            assert all(isinstance(packet, Ack) for packet in sent)
    assert absolute > 65536  # the stream went past the wrap before it was stopped
    assert received == limit // 8 * 8
    assert sent == [Error(3, f"download exceeds the limit of {limit} bytes")]
    assert [(f.code, f.by_peer, f.reason) for f in failures] == [(3, False, "protocol")]
    assert client.stats.bytes == received
    client.receive_datagram(encode(Data((absolute + 1) & 0xFFFF, payload)), SERVER_TID, 0.0)
    assert client.datagrams_to_send() == []


def test_repeated_request_does_not_start_a_second_transfer() -> None:
    tracker = RequestTracker()
    wire = encode(ReadRequest("SEP001122334455.cnf.xml"))
    request = tracker.receive_datagram(wire, CLIENT)
    assert request == ReadRequest("SEP001122334455.cnf.xml")
    assert tracker.receive_datagram(wire, CLIENT) is None
    assert tracker.active(CLIENT)
    # The engine ignores the request if it reaches the transfer socket too.
    server = ServerRead(request, CLIENT, 0.0)
    server.accept(0.0)
    server.events()
    server.receive_datagram(wire, CLIENT, 0.1)
    assert server.datagrams_to_send() == []
    assert server.events() == []
    tracker.finished(CLIENT)
    assert tracker.receive_datagram(wire, CLIENT) == request
    # Junk on port 69: ERROR 4; an ERROR there is not answered; runts are dropped.
    assert tracker.receive_datagram(encode(Ack(3)), STRANGER) is None
    assert tracker.receive_datagram(encode(Error(0, "x")), STRANGER) is None
    assert tracker.receive_datagram(b"\x00\x01foo\x00mail\x00", STRANGER) is None
    assert tracker.receive_datagram(b"\x00", STRANGER) is None
    replies = [decode(d) for d, _ in tracker.datagrams_to_send()]
    assert [r.code for r in replies] == [4, 4]  # type: ignore[union-attr]


def test_runts_are_dropped() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.supply(b"abc", 0.0)
    server.supply_eof(0.0)
    server.accept(0.0)
    server.datagrams_to_send()
    for runt in (b"", b"\x00", b"\x00\x04\x00"):
        server.receive_datagram(runt, CLIENT, 0.1)
        server.receive_datagram(runt, STRANGER, 0.1)
    assert server.datagrams_to_send() == []
    assert not server.done


def test_peer_protocol_violations_become_events() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.supply(b"abc", 0.0)
    server.accept(0.0)
    server.datagrams_to_send()
    server.receive_datagram(encode(Data(1, b"?")), CLIENT, 0.1)
    assert _sent(server) == [Error(4, "unexpected opcode 3 from the client")]
    failure = _failure(server)
    assert (failure.code, failure.reason, failure.by_peer) == (4, "protocol", False)
    # DATA longer than blksize.
    client = ClientRead("f", 0.0, server=SERVER)
    client.datagrams_to_send()
    client.receive_datagram(encode(Data(1, bytes(600))), SERVER_TID, 0.1)
    assert _sent(client) == [Error(4, "DATA of 600 octets exceeds blksize 512")]
    # A malformed OACK.
    client = ClientRead("f", 0.0, server=SERVER, options={"blksize": "8"})
    client.datagrams_to_send()
    client.receive_datagram(b"\x00\x06blksize\x00", SERVER_TID, 0.1)
    assert _sent(client)[0].code == 4  # type: ignore[attr-defined]


def test_options_negotiated_event_carries_the_oack() -> None:
    request = ReadRequest("f", options={"BlkSize": "1428", "tsize": "0", "bogus": "1"})
    server = ServerRead(request, CLIENT, 0.0, policy=ServerPolicy(max_windowsize=8))
    server.accept(0.0, size=5000)
    event = server.events()[0]
    assert isinstance(event, OptionsNegotiated)
    assert event.options_sent == {"BlkSize": "1428", "tsize": "5000"}
    assert event.negotiated.blksize == 1428
    assert event.negotiated.tsize == 5000
    assert _sent(server) == [OptionAck({"BlkSize": "1428", "tsize": "5000"})]


def test_peer_error_ends_the_transfer() -> None:
    # PXE-style probe: the client learns tsize, then answers the OACK with ERROR 8.
    server = ServerRead(ReadRequest("boot", options={"tsize": "0"}), CLIENT, 0.0)
    server.accept(0.0, size=123456)
    assert _sent(server) == [OptionAck({"tsize": "123456"})]
    server.receive_datagram(encode(Error(8, "just asking")), CLIENT, 0.1)
    failure = _failure(server)
    assert (failure.code, failure.message, failure.by_peer) == (8, "just asking", True)
    assert server.get_timer() is None
    assert server.datagrams_to_send() == []


def test_request_backoff_and_give_up() -> None:
    client = ClientRead("f", 0.0, server=SERVER, retry=RetryPolicy(max_retries=4, max_backoff=4))
    deadlines = []
    client.datagrams_to_send()
    while (timer := client.get_timer()) is not None:
        deadlines.append(timer)
        client.handle_timer(timer)
        sent = client.datagrams_to_send()
        assert all(destination == SERVER for _, destination in sent)
    assert deadlines == [1.0, 3.0, 7.0, 11.0, 15.0]
    assert _failure(client).reason == "timeout"
    assert client.stats.retransmits == 4


def test_handle_timer_early_does_nothing() -> None:
    client = ClientRead("f", 0.0, server=SERVER)
    client.datagrams_to_send()
    client.handle_timer(0.5)
    assert client.datagrams_to_send() == []
    assert client.get_timer() == 1.0


def test_dally_answers_repeated_final_data() -> None:
    client = ClientRead("f", 0.0, server=SERVER)
    client.datagrams_to_send()
    client.receive_datagram(encode(Data(1, b"short")), SERVER_TID, 0.1)
    assert _sent(client) == [Ack(1)]
    assert client.completed
    assert client.state.value == "dallying"
    client.receive_datagram(encode(Data(1, b"short")), SERVER_TID, 0.5)
    assert _sent(client) == [Ack(1)]
    timer = client.get_timer()
    assert timer is not None
    client.handle_timer(timer)
    assert client.done
    assert not client.failed
    assert [type(e).__name__ for e in client.events()] == [
        "OptionsNegotiated",
        "DataReceived",
        "TransferComplete",
    ]


def test_read_client_reacks_repeated_oack() -> None:
    client = ClientRead("f", 0.0, server=SERVER, options={"blksize": "1024"})
    client.datagrams_to_send()
    oack = encode(OptionAck({"blksize": "1024"}))
    client.receive_datagram(oack, SERVER_TID, 0.1)
    assert _sent(client) == [Ack(0)]
    client.receive_datagram(oack, SERVER_TID, 1.1)
    assert _sent(client) == [Ack(0)]


def test_abort_sends_one_error() -> None:
    client = ClientWrite("f", 0.0, server=SERVER)
    client.datagrams_to_send()
    client.abort(0, "user cancelled")
    assert client.datagrams_to_send() == [(encode(Error(0, "user cancelled")), SERVER)]
    assert _failure(client).reason == "aborted"
    client.abort()
    assert client.datagrams_to_send() == []


def test_local_misuse_raises() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.accept(0.0)
    with pytest.raises(LocalProtocolError):
        server.accept(0.0)
    with pytest.raises(LocalProtocolError):
        server.reject(1, "no")
    server.supply_eof(0.0)
    with pytest.raises(LocalProtocolError):
        server.supply(b"more", 0.0)
    with pytest.raises(LocalProtocolError):
        server.supply_eof(0.0)
    with pytest.raises(LocalProtocolError):
        ServerRead(ReadRequest("f", "mail"), CLIENT, 0.0)
    with pytest.raises(LocalProtocolError):
        ClientRead("", 0.0, server=SERVER)
    with pytest.raises(LocalProtocolError):
        ClientWrite("f", 0.0, server=SERVER, size=-1)
    with pytest.raises(LocalProtocolError):
        ClientRead("f", 0.0, server=SERVER, max_size=-1)


def test_supply_after_the_end_is_ignored() -> None:
    server = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    server.accept(0.0)
    server.receive_datagram(encode(Error(0, "gone")), CLIENT, 0.1)
    server.supply(b"late data", 0.2)  # an asynchronous read finished after the failure
    server.supply_eof(0.2)
    assert server.datagrams_to_send() == []
    assert server.failed


@pytest.mark.parametrize("last", [507, 508, 510, 511, 512])
def test_upload_end_detected_for_any_short_last_block(last: int) -> None:
    # Spec §1.13 item 11: a server that compared the datagram length (header included) with
    # blksize missed final blocks of 508..511 bytes.
    data = bytes(512 * 3 + last) if last < 512 else bytes(512 * 4)
    conversation = Conversation(data, direction="write")
    conversation.settle()
    assert bytes(conversation.server.received) == data
    assert conversation.server.completed
    server = conversation.server_engine
    assert server is not None
    acks_sent = server.stats.blocks
    assert acks_sent == len(data) // 512 + 1
    # No ACK storm after the end: the server's last ACK went out once.
    assert conversation.client_engine.stats.retransmits == 0


def test_reject_sends_error() -> None:
    server = ServerWrite(WriteRequest("f"), CLIENT, 0.0)
    server.reject(ErrorCode.ACCESS_VIOLATION, "read-only server")
    assert _sent(server) == [Error(2, "read-only server")]
    assert _failure(server).reason == "rejected"
    assert server.done
    assert server.failed


def test_lossy_links_seeded() -> None:
    data = os.urandom(6000)
    for seed in range(30):
        for direction in ("read", "write"):
            options = {"blksize": "64", "windowsize": str(1 + seed % 5)}
            conversation = Conversation(data, direction=direction, options=options)
            conversation.run(random.Random(seed).random, loss=0.1, duplicate=0.1, reorder=0.3)
            receiver, sender = conversation.receiver, conversation.sender
            assert data.startswith(bytes(receiver.received))
            if receiver.completed:
                assert bytes(receiver.received) == data
            else:
                assert not sender.completed
            assert max(conversation.data_per_step) <= 1 + seed % 5
            window = 1 + seed % 5
            assert window >= 1
            # No DATA in answer to an ACK that acknowledged nothing new, windows or not.
            assert conversation.worst_stale_ack_burst == 0


def _engines_in_every_phase() -> list[ServerRead | ServerWrite | ClientRead | ClientWrite]:
    """Engines in the states a peer's datagram can find them in."""
    engines: list[ServerRead | ServerWrite | ClientRead | ClientWrite] = []
    pending = ServerRead(ReadRequest("f", options={"blksize": "8"}), CLIENT, 0.0)
    engines.append(pending)
    negotiating = ServerRead(ReadRequest("f", options={"blksize": "8"}), CLIENT, 0.0)
    negotiating.accept(0.0, size=100)
    negotiating.supply(bytes(100), 0.0)
    engines.append(negotiating)
    sending = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    sending.accept(0.0)
    sending.supply(bytes(2000), 0.0)
    engines.append(sending)
    receiving = ServerWrite(WriteRequest("f", options={"windowsize": "4"}), CLIENT, 0.0)
    receiving.accept(0.0)
    engines.append(receiving)
    # A small size limit, so that OACK tsizes and DATA past it are met too.
    engines.append(ClientRead("f", 0.0, server=SERVER, options={"tsize": "0"}, max_size=40))
    engines.append(ClientWrite("f", 0.0, server=SERVER, size=10))
    reading = ClientRead("f", 0.0, server=SERVER)
    reading.receive_datagram(encode(Data(1, bytes(512))), SERVER_TID, 0.1)
    engines.append(reading)
    return engines


@given(
    st.lists(st.binary(max_size=30), min_size=1, max_size=6),
    st.sampled_from(range(7)),
    st.lists(st.integers(0, 6), max_size=6),
)
def test_any_datagram_from_the_peer_never_raises(
    tails: list[bytes], which: int, opcodes: list[int]
) -> None:
    engine = _engines_in_every_phase()[which]
    peer = CLIENT if isinstance(engine, ServerRead | ServerWrite) else SERVER_TID
    for index, tail in enumerate(tails):
        opcode = opcodes[index] if index < len(opcodes) else 3
        engine.receive_datagram(bytes([0, opcode]) + tail, peer, 0.2 + index)
    failures = [e for e in engine.events() if isinstance(e, TransferFailed)]
    assert len(failures) <= 1
    for data, _ in engine.datagrams_to_send():
        decode(data)  # everything the engine sends is a well-formed packet
    if engine.failed:
        assert failures


def test_a_silent_peer_holds_a_server_transfer_no_longer_than_max_stall() -> None:
    # A request asking timeout 255 that is never answered held its transfer for 255 + 510 +
    # 1020 + 2040 + 2040 + 2040 seconds (2.2 hours) of retries.
    request = ReadRequest("f", options={"timeout": "255"})
    server = ServerRead(request, CLIENT, 0.0, policy=ServerPolicy(max_stall=30.0))
    server.accept(0.0, size=10)
    assert _sent(server) == [OptionAck({"timeout": "255"})]  # echoed, as RFC 2349 wants
    expiries = []
    while not server.done:
        deadline = server.get_timer()
        assert deadline is not None
        expiries.append(deadline)
        server.handle_timer(deadline)
    assert expiries[-1] == pytest.approx(30.0)
    assert _failure(server).reason == "timeout"
    # The default policy does the same, and a peer that makes progress starts the count again.
    lockstep = ServerRead(ReadRequest("f"), CLIENT, 0.0)
    lockstep.accept(0.0)
    lockstep.supply(bytes(2000), 0.0)
    lockstep.supply_eof(0.0)
    lockstep.receive_datagram(encode(Ack(1)), CLIENT, 20.0)
    while not lockstep.done:
        deadline = lockstep.get_timer()
        assert deadline is not None
        lockstep.handle_timer(deadline)
    assert lockstep.stats.finished == pytest.approx(20.0 + 30.0)
    # Resent at 21, 23, 27, 35 and 43 s; given up at 50 s, not 51 as five retries alone would.
    assert lockstep.stats.retransmits == 5


def test_max_stall_none_keeps_the_retry_schedule() -> None:
    policy = ServerPolicy(max_stall=None, retry=RetryPolicy(max_retries=2))
    server = ServerWrite(WriteRequest("f", options={"timeout": "100"}), CLIENT, 0.0, policy=policy)
    server.accept(0.0)
    while not server.done:
        deadline = server.get_timer()
        assert deadline is not None
        server.handle_timer(deadline)
    assert server.stats.finished == pytest.approx(100 + 200 + 400)


def test_store_first_holds_the_final_ack_until_stored() -> None:
    server = ServerWrite(WriteRequest("f"), CLIENT, 0.0)
    server.accept(0.0, store_first=True)
    assert _sent(server) == [Ack(0)]
    server.receive_datagram(encode(Data(1, bytes(512))), CLIENT, 0.1)
    assert _sent(server) == [Ack(1)]
    server.receive_datagram(encode(Data(2, b"end")), CLIENT, 0.2)
    # The last block is in, but nothing is acknowledged and no timer runs while it is stored.
    assert _sent(server) == []
    assert server.state.value == State.STORING.value  # (a property: mypy would narrow it)
    assert server.get_timer() is None
    events = server.events()
    assert [e.final for e in events if isinstance(e, DataReceived)] == [False, True]
    assert not [e for e in events if isinstance(e, TransferComplete)]
    # The client repeats its final DATA: still no ACK before the file is stored.
    server.receive_datagram(encode(Data(2, b"end")), CLIENT, 1.2)
    assert _sent(server) == []
    server.stored(1.3)
    assert _sent(server) == [Ack(2)]
    assert [type(e) for e in server.events()] == [TransferComplete]
    assert server.state is State.DALLYING
    # From here on, as without store_first: a repeated final DATA is acknowledged again.
    server.receive_datagram(encode(Data(2, b"end")), CLIENT, 1.4)
    assert _sent(server) == [Ack(2)]
    with pytest.raises(LocalProtocolError):
        server.stored(1.5)


def test_store_first_refused_answers_the_error_and_never_the_ack() -> None:
    server = ServerWrite(WriteRequest("f"), CLIENT, 0.0)
    server.accept(0.0, store_first=True)
    server.datagrams_to_send()
    server.receive_datagram(encode(Data(1, b"x")), CLIENT, 0.1)
    server.abort(ErrorCode.DISK_FULL, "Disk full")
    assert _sent(server) == [Error(3, "Disk full")]
    assert server.failed
    assert not server.completed

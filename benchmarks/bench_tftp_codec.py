"""TFTP codec and engine speed, side by side in one run.

Codec: decode and encode ops/s for DATA (512 and 1428 bytes), ACK, RRQ with options, OACK and
ERROR, against a bare ``struct`` floor (the least work that still yields the fields) and the
codecs of the ``tftp`` and ``tftpy`` packages. Engine: blocks/s of a whole transfer through an
in-memory lossless link, ours (``ciscocfg.tftp.testing.run_lossless``) against the ``tftp``
package's sans-IO ``Sender``/``Receiver`` joined the same way.

Run: ``python benchmarks/bench_tftp_codec.py`` (``--quick`` for a short run). Prints Markdown.
"""

from __future__ import annotations

import contextlib
import io
import logging
import struct
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Run as a script: make the project (and so ``benchmarks._harness``) importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tftp.packet as tftp_packet
import tftp.transfer as tftp_transfer
from tftp.options._handler import Negotiated as TftpNegotiated
from tftpy.TftpPacketFactory import TftpPacketFactory
from tftpy.TftpPacketTypes import (
    TftpPacketACK,
    TftpPacketDAT,
    TftpPacketERR,
    TftpPacketOACK,
    TftpPacketRRQ,
)

from benchmarks._harness import Case, compare, markdown_table
from ciscocfg.tftp import Ack, Data, Error, OptionAck, ReadRequest, decode, encode
from ciscocfg.tftp.testing import run_lossless

HEADER = struct.Struct("!HH")
OPCODE = struct.Struct("!H")
_UNPACK = HEADER.unpack_from
_PACK = HEADER.pack
OPTIONS = {"blksize": "1428", "tsize": "0", "timeout": "3", "windowsize": "16"}
FILENAME = "SEP001122334455.cnf.xml"


def _floor_decode_strings(wire: bytes, skip: int) -> Callable[[], object]:
    unpack = OPCODE.unpack_from if skip == 2 else HEADER.unpack_from

    def run() -> object:
        return unpack(wire), wire[skip:-1].split(b"\0")

    return run


def _data_table(size: int, factory: Any) -> tuple[str, list[Case], list[Case]]:
    payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
    packet = Data(4242, payload)
    wire = encode(packet)
    dec = [
        Case("struct floor", lambda: (_UNPACK(wire), memoryview(wire)[4:])),
        Case("ciscocfg.tftp", lambda: decode(wire)),
        Case("tftp 0.2.1", lambda: tftp_packet.decode(wire)),
        Case("tftpy", lambda: factory.parse(wire)),
    ]
    enc = [
        Case("struct floor", lambda: _PACK(3, 4242) + payload),
        Case("ciscocfg.tftp", lambda: encode(packet)),
        Case("tftp 0.2.1", lambda: tftp_packet.encode_data(4242, payload)),
        Case("tftpy", lambda: _tftpy_data(payload).encode().buffer),
    ]
    return f"DATA, {size} bytes", dec, enc


def codec_cases() -> list[tuple[str, list[Case], list[Case]]]:
    """(title, decode cases, encode cases) per packet kind."""
    factory = TftpPacketFactory()
    tables = [_data_table(size, factory) for size in (512, 1428)]

    ack_wire = encode(Ack(4242))
    ack = Ack(4242)
    dec = [
        Case("struct floor", lambda: _UNPACK(ack_wire)),
        Case("ciscocfg.tftp", lambda: decode(ack_wire)),
    ]
    enc = [
        Case("struct floor", lambda: _PACK(4, 4242)),
        Case("ciscocfg.tftp", lambda: encode(ack)),
    ]
    dec.append(Case("tftp 0.2.1", lambda: tftp_packet.decode(ack_wire)))
    enc.append(Case("tftp 0.2.1", lambda: tftp_packet.encode_ack(4242)))
    dec.append(Case("tftpy", lambda: factory.parse(ack_wire)))
    enc.append(Case("tftpy", lambda: _tftpy_ack(4242).encode().buffer))
    tables.append(("ACK", dec, enc))

    request = ReadRequest(FILENAME, "octet", dict(OPTIONS))
    request_wire = encode(request)
    strings = [FILENAME.encode(), b"octet"] + [
        part.encode() for pair in OPTIONS.items() for part in pair
    ]
    dec = [
        Case("struct + split floor", _floor_decode_strings(request_wire, 2)),
        Case("ciscocfg.tftp", lambda: decode(request_wire)),
    ]
    enc = [
        Case("struct + join floor", lambda: OPCODE.pack(1) + b"\0".join(strings) + b"\0"),
        Case("ciscocfg.tftp", lambda: encode(request)),
    ]
    dec.append(Case("tftp 0.2.1", lambda: tftp_packet.decode(request_wire)))
    enc.append(
        Case(
            "tftp 0.2.1",
            lambda: tftp_packet.encode_request(1, FILENAME, options=OPTIONS),
        )
    )
    dec.append(Case("tftpy", lambda: factory.parse(request_wire)))
    enc.append(Case("tftpy", lambda: _tftpy_rrq().encode().buffer))
    tables.append(("RRQ with 4 options", dec, enc))

    oack_options = {"blksize": "1428", "tsize": "123456", "timeout": "3", "windowsize": "16"}
    oack = OptionAck(oack_options)
    oack_wire = encode(oack)
    oack_strings = [part.encode() for pair in oack_options.items() for part in pair]
    dec = [
        Case("struct + split floor", _floor_decode_strings(oack_wire, 2)),
        Case("ciscocfg.tftp", lambda: decode(oack_wire)),
    ]
    enc = [
        Case("struct + join floor", lambda: OPCODE.pack(6) + b"\0".join(oack_strings) + b"\0"),
        Case("ciscocfg.tftp", lambda: encode(oack)),
    ]
    dec.append(Case("tftp 0.2.1", lambda: tftp_packet.decode(oack_wire)))
    enc.append(Case("tftp 0.2.1", lambda: tftp_packet.encode_oack(oack_options)))
    dec.append(Case("tftpy", lambda: factory.parse(oack_wire)))
    enc.append(Case("tftpy", lambda: _tftpy_oack(oack_options).encode().buffer))
    tables.append(("OACK with 4 options", dec, enc))

    error = Error(1, "File not found")
    error_wire = encode(error)
    message = b"File not found"
    dec = [
        Case("struct + slice floor", _floor_decode_strings(error_wire, 4)),
        Case("ciscocfg.tftp", lambda: decode(error_wire)),
    ]
    enc = [
        Case("struct floor", lambda: HEADER.pack(5, 1) + message + b"\0"),
        Case("ciscocfg.tftp", lambda: encode(error)),
    ]
    dec.append(Case("tftp 0.2.1", lambda: tftp_packet.decode(error_wire)))
    enc.append(Case("tftp 0.2.1", lambda: tftp_packet.encode_error(1, "File not found")))
    dec.append(Case("tftpy", lambda: factory.parse(error_wire)))
    enc.append(Case("tftpy", lambda: _tftpy_error().encode().buffer))
    tables.append(("ERROR", dec, enc))
    return tables


def _tftpy_data(payload: bytes) -> Any:
    packet = TftpPacketDAT()
    packet.blocknumber = 4242
    packet.data = payload
    return packet


def _tftpy_ack(block: int) -> Any:
    packet = TftpPacketACK()
    packet.blocknumber = block
    return packet


def _tftpy_rrq() -> Any:
    packet = TftpPacketRRQ()
    packet.filename = FILENAME.encode()
    packet.mode = b"octet"
    packet.options = dict(OPTIONS)
    return packet


def _tftpy_oack(options: dict[str, str]) -> Any:
    packet = TftpPacketOACK()
    packet.options = dict(options)
    return packet


def _tftpy_error() -> Any:
    packet = TftpPacketERR()
    packet.errorcode = 1
    return packet


def _tftp_package_transfer(data: bytes, blksize: int, window: int) -> int:
    """The ``tftp`` package's Sender and Receiver joined by lists, lossless."""
    negotiated = TftpNegotiated(blksize=blksize, windowsize=window)
    to_receiver: list[bytes | memoryview] = []
    to_sender: list[bytes | memoryview] = []
    sink = io.BytesIO()
    sender = tftp_transfer.Sender(
        to_receiver.append, tftp_transfer.as_readinto(io.BytesIO(data)), negotiated, 5, 0.0
    )
    receiver = tftp_transfer.Receiver(
        to_sender.append, tftp_transfer.as_write(sink), negotiated, 5, 0.0
    )
    receive, send_ack = receiver.handle, sender.handle
    while not (sender.is_done and receiver.is_done):
        if not to_receiver and not to_sender:
            break
        batch, to_receiver[:] = list(to_receiver), []
        for packet in batch:
            receive(memoryview(packet), len(packet), 0.0)
        batch, to_sender[:] = list(to_sender), []
        for packet in batch:
            send_ack(memoryview(packet), len(packet), 0.0)
    if sink.getvalue() != data:
        raise AssertionError("tftp package transfer lost data")
    return int(sender.blocks)


def _engine_table(data: bytes, blksize: int, window: int) -> tuple[str, list[Case]]:
    options = {"blksize": str(blksize)}
    if window > 1:
        options["windowsize"] = str(window)
    blocks = len(data) // blksize + 1
    blocks_ours, received = run_lossless(data, direction="read", options=options)
    if received != data or blocks_ours != blocks:
        raise AssertionError("ciscocfg transfer lost data")
    cases = [
        Case(
            "ciscocfg.tftp (read: ServerRead -> ClientRead)",
            lambda: run_lossless(data, direction="read", options=options),
            units=blocks,
        ),
        Case(
            "ciscocfg.tftp (write: ClientWrite -> ServerWrite)",
            lambda: run_lossless(data, direction="write", options=options),
            units=blocks,
        ),
        Case(
            "tftp 0.2.1 (Sender -> Receiver)",
            lambda: _tftp_package_transfer(data, blksize, window),
            units=blocks,
        ),
    ]
    return f"blksize {blksize}, window {window}, {len(data) // 1024} KiB", cases


def engine_cases(size: int) -> list[tuple[str, list[Case]]]:
    data = bytes(range(256)) * (size // 256)
    return [
        _engine_table(data, blksize, window)
        for blksize, window in ((512, 1), (1428, 1), (1428, 16), (8192, 16))
    ]


def main(argv: list[str]) -> None:
    # tftpy logs every ERROR it parses at warning level; measure its codec, not its logging.
    logging.getLogger("tftpy").setLevel(logging.CRITICAL)
    quick = "--quick" in argv
    repeats = 3 if quick else 7
    min_time = 0.02 if quick else 0.1
    out = [f"### Codec (ops/s; Python {sys.version.split()[0]})", ""]
    for title, dec, enc in codec_cases():
        for verb, cases in (("decode", dec), ("encode", enc)):
            # tftpy prints every ERROR it parses; keep that out of the tables.
            with contextlib.redirect_stdout(io.StringIO()):
                results = compare(cases, baseline=cases[0].name, repeats=repeats, min_time=min_time)
            out.append(markdown_table(f"{verb} {title}", results, "ops"))
    out.append("### Engine over an in-memory link (blocks/s, both sides included)\n")
    for title, cases in engine_cases(256 * 1024 if quick else 2 * 1024 * 1024):
        results = compare(cases, baseline=cases[0].name, repeats=repeats, min_time=min_time)
        out.append(markdown_table(title, results, "blocks"))
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])

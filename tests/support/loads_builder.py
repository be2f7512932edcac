"""Synthesized signed ``.loads`` containers laid out as spec §7.4 describes real ones."""

from __future__ import annotations

import struct

MAGIC = bytes([0x01, 0x00, 0x02, 0x01, 0x01, 0x02, 0x00, 0x02])


def record(tag: int, value: bytes) -> bytes:
    """One header record: a tag byte, a 16-bit big-endian length, the value."""
    return bytes([tag]) + struct.pack(">H", len(value)) + value


def container(own_name: str, payload: bytes, *, header_length: int = 0x0194) -> bytes:
    """Magic, header length, signer/CA records, own name (tag 0x0E), padding, payload."""
    records = (
        record(0x03, b"CN=CiscoSigner;OU=IPCBU;O=Cisco Systems")
        + record(0x04, b"CN=CiscoCA;O=Cisco Systems")
        + record(0x0E, own_name.encode("ascii") + b"\0")
    )
    header = MAGIC + struct.pack(">H", header_length) + records
    assert len(header) <= header_length
    return header + bytes(header_length - len(header)) + payload


PAYLOAD_79X0 = b"P003-8-12-00.sbn\nP0S3-8-12-00.sb2\nLA_VERSION=PAS30830\n"
PAYLOAD_79X1 = (
    b"# Cisco load descriptor\r\n# SIP41.8-5-4S\r\n"
    b"jar41sip.8-5-4TH1-6.sbn \r\ncnu41.8-5-4TH1-6.sbn\r\napps41.8-5-4TH1-6.sbn\r\n"
    b"dsp41.8-5-4TH1-6.sbn\r\ncvm41sip.8-5-4TH1-6.sbn  \r\n"
)

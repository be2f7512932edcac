"""A sans-IO TFTP core: packets, option negotiation, netascii and transfer engines.

Standard library only. No sockets, no clock, no files: the caller passes datagrams with the
source address and the current monotonic time, sends what the engine queues, fires its timer and
reacts to its events. See ``docs/formats/tftp.md`` for a walk-through.
"""

from __future__ import annotations

from ciscocfg._errors import LocalProtocolError, MalformedPacket, RemoteProtocolError
from ciscocfg.tftp.blocks import WRAP_TO_ONE, WRAP_TO_ZERO, from_wire, to_wire
from ciscocfg.tftp.client import ClientRead, ClientWrite
from ciscocfg.tftp.events import (
    Address,
    DataReceived,
    Event,
    NeedData,
    OptionsNegotiated,
    Progress,
    TransferComplete,
    TransferFailed,
    TransferStats,
)
from ciscocfg.tftp.netascii import NetasciiDecoder, NetasciiEncoder, encoded_size
from ciscocfg.tftp.options import (
    Negotiated,
    OptionsRejected,
    RetryPolicy,
    ServerPolicy,
    accept_oack,
    negotiate,
    parse_options,
)
from ciscocfg.tftp.packets import (
    Ack,
    Data,
    Error,
    ErrorCode,
    Mode,
    Opcode,
    OptionAck,
    Packet,
    ReadRequest,
    WriteRequest,
    decode,
    encode,
)
from ciscocfg.tftp.server import RequestTracker, ServerRead, ServerWrite

__all__ = [
    "WRAP_TO_ONE",
    "WRAP_TO_ZERO",
    "Ack",
    "Address",
    "ClientRead",
    "ClientWrite",
    "Data",
    "DataReceived",
    "Error",
    "ErrorCode",
    "Event",
    "LocalProtocolError",
    "MalformedPacket",
    "Mode",
    "NeedData",
    "Negotiated",
    "NetasciiDecoder",
    "NetasciiEncoder",
    "Opcode",
    "OptionAck",
    "OptionsNegotiated",
    "OptionsRejected",
    "Packet",
    "Progress",
    "ReadRequest",
    "RemoteProtocolError",
    "RequestTracker",
    "RetryPolicy",
    "ServerPolicy",
    "ServerRead",
    "ServerWrite",
    "TransferComplete",
    "TransferFailed",
    "TransferStats",
    "WriteRequest",
    "accept_oack",
    "decode",
    "encode",
    "encoded_size",
    "from_wire",
    "negotiate",
    "parse_options",
    "to_wire",
]

"""Every loader of the library, fed damaged real documents, raises only CiscoCfgError.

A tool wraps a call into the library in one ``except CiscoCfgError``; any other exception is a
traceback for the user and, in ``ciscocfg check``, the end of a whole tree's report because of
one file. Random bytes rarely get past a loader's first check, so each loader is fed byte
mutations of the real files of its kind (see ``support.mutations``), spliced with others.
Reading a loaded document's typed view and migrating it count as loading: they run lazily.
"""

from __future__ import annotations

import contextlib
import io
import struct
import wave
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.loads_builder import PAYLOAD_79X0, PAYLOAD_79X1, container
from support.mutations import corpus_documents, mutated, xml_documents

from ciscocfg import (
    CiscoCfgError,
    ParseError,
    cnf,
    dialplan,
    firmware,
    migrate,
    os79xx,
    ringlist,
    ringtone,
    ringxml,
    sepxml,
    tftp,
)
from ciscocfg._text import decode_bytes, encode_text
from ciscocfg.tftp import Ack, Data, Error, OptionAck, Packet, ReadRequest, WriteRequest

# -- seeds: real files, and files built the way real ones are where the corpus has none ----------


def _wav() -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", (i * 997) % 20000 - 10000) for i in range(800)))
    return buf.getvalue()


def _packets() -> list[bytes]:
    packets: list[Packet] = [
        ReadRequest("SEP001DA219AFA7.cnf.xml", "octet", {"blksize": "1428", "tsize": "0"}),
        WriteRequest("RINGLIST.DAT", "netascii"),
        Data(1, b"x" * 512),
        Ack(7),
        Error(1, "File not found"),
        OptionAck({"blksize": "1428", "windowsize": "4"}),
    ]
    return [tftp.encode(p) for p in packets]


XML = xml_documents() or [b"<device><deviceProtocol>SIP</deviceProtocol></device>"]
CNF = corpus_documents(("cnf", "seed")) or [b'proxy1_address: "10.0.0.5" ; pbx\n']
RINGLIST = [d for d in corpus_documents(("ringlist",)) if not d.lstrip().startswith(b"<")] or [
    b"Ring 1\tring1.raw\n"
]
OS79XX = corpus_documents(("os79xx",)) or [b"P0S3-08-12-00\n"]
LOADS = [container("SIP41.8-5-4S", PAYLOAD_79X1), container("P0S3-8-12-00", PAYLOAD_79X0)]
NAMES = [b"P0S3-08-12-00.loads", b"SIP41.9-4-2SR3-1S", b"CP7912080004SCCP080108A.sbin"]
AUDIO = [_wav(), bytes(range(256)) * 20]
PACKETS = _packets()


# -- the loaders, each as a function of the bytes of one file -----------------------------------


def _sepxml(data: bytes) -> None:
    config = sepxml.loads(data, source="SEP001DA219AFA7.cnf.xml")
    for name in dir(config):
        if not name.startswith("_"):
            getattr(config, name)  # every property of the typed view
    migrate.sepxml_to_cnf(config)
    assert sepxml.loads(config.dumps()).dumps() == config.dumps()


def _dialplan(data: bytes) -> None:
    plan = dialplan.loads(data, source="dialplan.xml")
    assert plan.templates is not None
    assert plan.version_stamp is None or isinstance(plan.version_stamp, str)


def _ringxml(data: bytes) -> None:
    rings = ringxml.loads(data, source="Ringlist.xml")
    assert isinstance(rings.rings, list)


def _cnf(data: bytes) -> None:
    text = decode_bytes(data)
    doc = cnf.loads(text, strict=False, source="SIPDefault.cnf")
    assert doc.dumps() == text
    assert all(isinstance(doc[key], str) for key in doc.keys())  # noqa: SIM118 - the API
    migrate.cnf_to_sepxml(doc, model="7961")
    cnf.loads(text)  # strict: refuses the first bad line


def _ringlist(data: bytes) -> None:
    text = decode_bytes(data)
    ringlist.loads(text, strict=False, source="RINGLIST.DAT")
    ringlist.loads(text)


def _os79xx(data: bytes) -> None:
    text = decode_bytes(data)
    os79xx.loads(text, strict=False, source="OS79XX.TXT")
    os79xx.loads(text)


LOADERS: dict[str, tuple[Callable[[bytes], Any], list[bytes]]] = {
    "sepxml": (_sepxml, XML),
    "sepxml.load": (lambda d: sepxml.load(io.BytesIO(d)), XML),
    "sepxml text": (lambda d: sepxml.loads(decode_bytes(d)), XML),
    "dialplan": (_dialplan, XML),
    "dialplan.load": (lambda d: dialplan.load(io.BytesIO(d)), XML),
    "ringxml": (_ringxml, XML),
    "ringxml.load": (lambda d: ringxml.load(io.BytesIO(d)), XML),
    "cnf": (_cnf, CNF),
    "cnf.load": (lambda d: cnf.load(io.BytesIO(d)), CNF),
    "ringlist": (_ringlist, RINGLIST),
    "ringlist.load": (lambda d: ringlist.load(io.BytesIO(d), strict=False), RINGLIST),
    "os79xx": (_os79xx, OS79XX),
    "os79xx.load": (lambda d: os79xx.load(io.BytesIO(d), strict=False), OS79XX),
    "firmware.parse": (lambda d: firmware.parse(decode_bytes(d)), NAMES),
    "firmware.parse_loads": (firmware.parse_loads, LOADS),
    "firmware.read_loads": (lambda d: firmware.read_loads(io.BytesIO(d)), LOADS),
    "ringtone.validate": (ringtone.validate, AUDIO),
    "ringtone.from_wav": (ringtone.from_wav, AUDIO),
    "tftp.decode": (tftp.decode, PACKETS),
}


ANY_KIND = XML + CNF + RINGLIST + OS79XX + LOADS + NAMES + AUDIO + PACKETS


@pytest.mark.parametrize("name", sorted(LOADERS))
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_loader_raises_only_library_errors(name: str, data: st.DataObject) -> None:
    load, seeds = LOADERS[name]
    # Mostly the loader's own kind of file; now and then any kind, spliced or whole.
    pool = seeds if data.draw(st.integers(0, 3), label="kind") else ANY_KIND
    document = data.draw(mutated(pool), label="document")
    with contextlib.suppress(CiscoCfgError):  # anything else fails the test
        load(document)


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_seeds_get_past_the_first_check(name: str) -> None:
    # Mutations of files that load reach deep into a loader; a loader none of whose seeds
    # loads would be fuzzed at its front door only.
    load, seeds = LOADERS[name]
    loaded = 0
    for seed in seeds:
        try:
            load(seed)
        except CiscoCfgError:
            continue
        loaded += 1
    assert loaded >= max(1, len(seeds) // 2)


@pytest.mark.parametrize("load", [sepxml.loads, dialplan.loads, ringxml.loads])
def test_a_name_that_is_not_utf8_is_a_parse_error(load: Callable[[bytes], Any]) -> None:
    with pytest.raises(ParseError, match="byte 0xFF is not UTF-8") as info:
        load(b"<\xff:a/>")
    assert (info.value.line, info.value.column) == (1, 2)


def test_a_latin1_prefix_without_declaration_is_read() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?><\xff:a/>'
    config = sepxml.loads(data)
    assert config.root_name == "\xff:a"
    assert encode_text(config.dumps()) == data

"""The signed .loads descriptor: synthesized containers per the observed layout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.loads_builder import MAGIC, PAYLOAD_79X0, PAYLOAD_79X1, container

from ciscocfg import ParseError
from ciscocfg.firmware import Role, parse_loads, read_loads


def test_79x0_loads_names_loader_and_application() -> None:
    manifest = parse_loads(container("P0S3-8-12-00.loads", PAYLOAD_79X0))
    assert manifest.own_name == "P0S3-8-12-00.loads"
    assert manifest.header_length == 0x0194
    assert manifest.files == ("P003-8-12-00.sbn", "P0S3-8-12-00.sb2")
    assert manifest.properties == (("LA_VERSION", "PAS30830"),)
    loader, app = manifest.images
    assert loader is not None
    assert app is not None
    assert (loader.role, app.role) == (Role.LOADER, Role.APPLICATION)
    assert [tag for tag, _ in manifest.records] == [0x03, 0x04, 0x0E]


def test_79x1_loads_lists_components() -> None:
    manifest = parse_loads(container("SIP41.8-5-4S.loads", PAYLOAD_79X1, header_length=0x0198))
    assert manifest.files == (
        "jar41sip.8-5-4TH1-6.sbn",
        "cnu41.8-5-4TH1-6.sbn",
        "apps41.8-5-4TH1-6.sbn",
        "dsp41.8-5-4TH1-6.sbn",
        "cvm41sip.8-5-4TH1-6.sbn",
    )
    assert len(manifest.comments) == 2
    assert all(i is not None and i.role is Role.COMPONENT for i in manifest.images)


def test_missing_files(tmp_path: Path) -> None:
    data = container("P0S3-8-12-00.loads", PAYLOAD_79X0)
    (tmp_path / "P0S3-8-12-00.loads").write_bytes(data)
    (tmp_path / "p003-8-12-00.sbn").write_bytes(b"")  # wrong case: TFTP names are exact
    (tmp_path / "P0S3-8-12-00.sb2").write_bytes(b"")
    manifest = read_loads(tmp_path / "P0S3-8-12-00.loads")
    assert manifest.missing(tmp_path) == ["P003-8-12-00.sbn"]
    assert manifest.missing(["P003-8-12-00.sbn", "P0S3-8-12-00.sb2"]) == []
    assert read_loads(io.BytesIO(data)).files == manifest.files


def test_unreadable_records_leave_the_own_name_unknown() -> None:
    data = bytearray(container("P0S3-8-12-00.loads", PAYLOAD_79X0))
    data[11:13] = b"\xff\xff"  # first record claims more bytes than the header holds
    manifest = parse_loads(bytes(data))
    assert manifest.own_name is None
    assert manifest.files == ("P003-8-12-00.sbn", "P0S3-8-12-00.sb2")


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"", 0),
        (b"PK\x03\x04" + bytes(500), 0),
        (MAGIC + b"\xff\xff" + bytes(20), 8),
        (MAGIC + b"\x00\x02", 8),
        (container("x.loads", b""), 0x0194),
        (container("x.loads", b"\x89PNG\r\n"), 0x0194),
        (container("x.loads", b"P003-8-12-00.sbn\nrm -rf /\n"), 0x0194 + 17),
    ],
)
def test_damaged_containers(data: bytes, offset: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_loads(data, source="bad.loads")
    assert info.value.offset == offset
    assert info.value.source == "bad.loads"


@given(st.binary(max_size=600))
def test_arbitrary_bytes_raise_only_parse_error(data: bytes) -> None:
    for candidate in (data, MAGIC + data):
        try:
            manifest = parse_loads(candidate)
        except ParseError:
            continue
        assert manifest.files


@given(st.lists(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True), min_size=1,
                max_size=6), st.sampled_from(["\n", "\r\n"]))  # fmt: skip
def test_generated_payloads(files: list[str], newline: str) -> None:
    payload = newline.join(files).encode() + newline.encode()
    assert parse_loads(container("gen.loads", payload)).files == tuple(files)

"""The live check's driver, fed by an in-memory server (the TFTP round trip is tested with real
servers in test_provision_peers.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from support.trees import BREAKERS, MAC, build_tree

from ciscocfg import WriteRefused
from ciscocfg.provision import check
from ciscocfg.provision._live import FetchResult, _save, check_tftp_async


def _server(root: Path, errors: dict[str, str] | None = None) -> tuple[list[str], object]:
    asked: list[str] = []

    async def fetch(name: str) -> FetchResult:
        asked.append(name)
        if errors and name in errors:
            return None, errors[name]
        path = root / name
        return (path.read_bytes() if path.is_file() else None), None

    return asked, fetch


def _run(root: Path, **kwargs: object) -> tuple[list[str], list[str], object]:
    asked, fetch = _server(root, kwargs.pop("errors", None))  # type: ignore[arg-type]
    report = asyncio.run(
        check_tftp_async("127.0.0.1", 69, mac=MAC, fetch=fetch, **kwargs)  # type: ignore[arg-type]
    )
    return asked, [d.code for d in report.diagnostics], report


def test_live_check_agrees_with_the_tree_check(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["no line 1"][0](root)
    BREAKERS["file of the load absent"][0](root)
    asked, codes, _ = _run(root)
    assert sorted(codes) == sorted(d.code for d in check(root))
    assert asked[:4] == ["OS79XX.TXT", f"CTLSEP{MAC}.tlv", f"SEP{MAC}.cnf.xml", f"SIP{MAC}.cnf"]
    assert len(asked) == len(set(asked))  # each name is fetched once


def test_live_check_finds_a_lower_case_name(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    BREAKERS["lower-case MAC"][0](root)
    asked, codes, _ = _run(root)
    assert "PRV010" in codes
    assert f"SIP{MAC.lower()}.cnf" in asked


def test_server_errors_stop_the_hunt(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    refused = {f"SEP{MAC}.cnf.xml": "TFTP error 2 (Access violation)"}
    _, codes, _report = _run(root, errors=refused)
    assert "PRV070" in codes


def test_saved_files(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    _run(root, save=tmp_path / "got")
    assert (tmp_path / "got" / "SIPDefault.cnf").read_bytes() == (
        root / "SIPDefault.cnf"
    ).read_bytes()
    assert not (tmp_path / "got" / f"SEP{MAC}.cnf.xml").exists()


def test_saved_files_replace_nothing_unasked_and_stay_in_their_folder(tmp_path: Path) -> None:
    root = build_tree(tmp_path / "tftp")
    got = tmp_path / "got"
    got.mkdir()
    (got / "SIPDefault.cnf").write_bytes(b"mine")
    with pytest.raises(WriteRefused, match=r"SIPDefault.cnf: exists; not replaced"):
        _run(root, save=got)
    assert [p.name for p in got.iterdir()] == ["SIPDefault.cnf"]  # all or nothing
    _run(root, save=got, force=True)
    assert (got / "SIPDefault.cnf").read_bytes() == (root / "SIPDefault.cnf").read_bytes()
    # Names as asked for, a leading slash dropped; one that climbs out is not saved.
    cache: dict[str, FetchResult] = {
        "/US/tones.xml": (b"tones", None),
        "../../escaped": (b"x", None),
        "missing.xml": (None, None),
    }
    saved = _save(tmp_path / "more", cache, force=False)
    assert saved == [tmp_path / "more" / "US" / "tones.xml"]
    assert not (tmp_path / "escaped").exists()


def test_xml_phone_is_recognised(tmp_path: Path) -> None:
    root = tmp_path / "tftp"
    root.mkdir()
    (root / f"SEP{MAC}.cnf.xml").write_text(
        "<device>\n  <deviceProtocol>SIP</deviceProtocol>\n</device>\n"
    )
    asked, _, report = _run(root)
    assert report.phones[0].family == "79x1"  # type: ignore[attr-defined]
    assert f"ITLSEP{MAC}.tlv" in asked


def test_live_check_asks_for_the_files_of_the_way_the_walk_does_not(tmp_path: Path) -> None:
    from support.firmware_trees import sip_tree

    # SCCP 3.x on the story's first-step tree: the loader fetches P0S3-06-3-00.bin, a file the
    # universal walk never asks for. The live check asks the server for it and judges as the tree
    # check does, with and without the file.
    first_step = {"selector": "P0S3-06-3-00", "packages": ("P0S3-08-12-00", "P0S3-06-3-00")}
    for drop, code in (((), "PRV038"), (("P0S3-06-3-00.bin",), "PRV035")):
        root = sip_tree(tmp_path / f"tftp{len(drop)}", drop=drop, **first_step)  # type: ignore[arg-type]
        asked, codes, _ = _run(root, running="SCCP 3.x")
        assert "P0S3-06-3-00.bin" in asked
        assert code in codes
        assert sorted(codes) == sorted(d.code for d in check(root, running="SCCP 3.x"))

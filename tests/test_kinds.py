"""The table of file kinds: names and content tell a file's kind, lint and the tree check give
the same findings, and every loader reads bad bytes as findings only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.mutations import mutated
from support.paths import PROJECT_ROOT, corpus_files
from support.trees import MAC, build_tree

import ciscocfg
from ciscocfg import Diagnostic, kinds
from ciscocfg.provision import check_tree

EXAMPLE_TREE = PROJECT_ROOT / "examples" / "tftproot"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("SIPDefault.cnf", "sip-default"),
        ("sipdefault.CNF", "sip-default"),
        (f"SIP{MAC}.cnf", "sip-phone"),
        (f"sip{MAC.lower()}.cnf", "sip-phone"),
        ("SIP00:12:D9:A1:B2:C3.cnf", "sip-phone"),
        (f"SIP{MAC}.cnf.txt", "sip-phone"),
        (f"MGC{MAC}.cnf", "cnf"),
        ("office.cnf", "cnf"),
        (f"SEP{MAC}.cnf.xml", "sep-xml"),
        ("SEPBASE.cnf.xml", "sep-xml"),
        ("XMLDefault.cnf.xml", "xml-default"),
        ("dialplan.xml", "dialplan"),
        ("dialplan-vic.xml", "dialplan"),
        ("Ringlist.xml", "ringlist-xml"),
        ("DistinctiveRingList.xml", "ringlist-xml"),
        ("RINGLIST.DAT", "ringlist"),
        ("ringlist.dat", "ringlist"),
        ("OS79XX.TXT", "os79xx"),
        ("Chirp.raw", "ring"),
        ("sub/dir/Chirp.RAW", "ring"),
    ],
)
def test_the_name_tells_the_kind(name: str, kind: str) -> None:
    found = kinds.kind_of(name)
    assert found is not None
    assert found.name == kind


@pytest.mark.parametrize("name", ["README.md", "tftpd-boot.log", "P0S3-08-2-00.loads", "x"])
def test_other_names_tell_nothing(name: str) -> None:
    assert kinds.kind_of(name) is None


def _family(kind: kinds.FileKind | None) -> str | None:
    """The kind, with the roles of a .cnf file taken as one (content cannot tell them)."""
    if kind is None:
        return None
    return "cnf" if kind.name in {"sip-default", "sip-phone"} else kind.name


def test_content_tells_the_kind_the_name_would() -> None:
    # Real files and the story's: wherever both name and content tell a kind, they agree.
    paths = [p for p in EXAMPLE_TREE.iterdir() if p.is_file()]
    for folder in ("cnf", "dialplan", "ringlist", "os79xx", "xmlcfg", "seed"):
        paths.extend(corpus_files(folder))
    agreed = 0
    for path in paths:
        by_name = kinds.kind_of(path.name.rsplit("__", 1)[-1])
        by_content = kinds.sniff(path.read_bytes())
        if by_name is not None and by_content is not None and by_name.name != "ring":
            assert _family(by_name) == _family(by_content), path
            agreed += 1
    assert agreed >= 8 if len(paths) > 10 else agreed >= 4


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (
            b"<?xml version='1.0'?>\n<!-- x -->\n"
            b"<DIALTEMPLATE><TEMPLATE MATCH='.'/></DIALTEMPLATE>",
            "dialplan",
        ),
        (b"\xef\xbb\xbf<device><deviceProtocol>SIP</deviceProtocol></device>", "sep-xml"),
        (b"<Default><callManagerGroup/></Default>", "xml-default"),
        (b"<CiscoIPPhoneRingList><Ring/></CiscoIPPhoneRingList>", "ringlist-xml"),
        (b"Chirp\tChirp.raw\r\nLow Bell\tLowBell.raw\r\n", "ringlist"),
        (b"P003-08-12-00\r\n", "os79xx"),
        (b"# shared\nproxy1_address: 10.0.0.5\nproxy1_port : 5060\n", "cnf"),
        ("line1_name\u00a0: 100\n".encode(), "cnf"),  # keys pasted with no-break spaces
    ],
)
def test_content_tells_the_kind(content: bytes, kind: str) -> None:
    found = kinds.sniff(content)
    assert found is not None
    assert found.name == kind


@pytest.mark.parametrize(
    "content",
    [b"", b"# a title\n\nSome prose: and more prose here.\n", b"<html><body/></html>", b"\x7fELF"],
)
def test_content_that_is_no_phone_file(content: bytes) -> None:
    assert kinds.sniff(content) is None


def test_by_name_lists_the_kinds_it_knows() -> None:
    assert kinds.by_name("dialplan").title == "dialplan.xml"
    with pytest.raises(ciscocfg.ValidationError, match="sip-default"):
        kinds.by_name("nope")
    assert len({kind.name for kind in kinds.KINDS}) == len(kinds.KINDS)


def test_lint_finds_what_the_tree_check_finds_in_each_file(tmp_path: Path) -> None:
    # One truth: the tree check reads each file through the same table. Every finding the check
    # reports from a file's own content is one lint reports for that file.
    root = tmp_path / "tftproot"
    shutil.copytree(EXAMPLE_TREE, root)
    report = check_tree(root)
    compared = 0
    for path in sorted(root.iterdir()):
        kind = kinds.kind_of(path.name)
        if kind is None:
            continue
        _, linted = kinds.lint_path(path)
        mine = {(d.code, d.line, d.column) for d in linted}
        checked = {
            (d.code, d.line, d.column)
            for d in report.diagnostics
            if d.source == path.name and not d.code.startswith("PRV")
        }
        assert checked <= mine, (path.name, checked - mine)
        compared += len(checked)
    assert compared > 20


def test_a_misnamed_phone_file_is_linted_and_named(tmp_path: Path) -> None:
    tree = build_tree(tmp_path / "tftp")
    wrong = tree / "SIP00:12:D9:A1:B2:C3.cnf"
    (tree / f"SIP{MAC}.cnf").rename(wrong)
    kind, findings = kinds.lint_path(wrong)
    assert kind.name == "sip-phone"
    first = findings[0]
    assert (first.code, first.source, first.suggestion) == (
        "PRV014",
        str(wrong),
        str(tree / f"SIP{MAC}.cnf"),
    )
    # With the right file beside it, the copy is not a mistake of naming.
    shutil.copy(wrong, tree / f"SIP{MAC}.cnf")
    assert all(d.code != "PRV014" for d in kinds.lint_path(wrong)[1])


def test_an_unknown_file_is_refused_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "notes"
    path.write_text("Some prose.\n")
    with pytest.raises(kinds.UnknownKind, match="--kind"):
        kinds.lint_path(path)
    kind, findings = kinds.lint_path(path, kind="cnf")
    assert kind.name == "cnf"
    assert any(d.code == "CNF001" for d in findings)


_SEEDS = {
    "sip-default": ("cnf", "seed"),
    "dialplan": ("dialplan",),
    "sep-xml": ("xmlcfg",),
    "ringlist": ("ringlist",),
    "ringlist-xml": ("ringlist",),
    "os79xx": ("os79xx",),
}


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_lint_and_repair_of_damaged_files_raise_only_refusals(data: st.DataObject) -> None:
    kind = kinds.by_name(data.draw(st.sampled_from(sorted(_SEEDS))))
    seeds = [p.read_bytes() for folder in _SEEDS[kind.name] for p in corpus_files(folder)]
    seeds.append(b"<a>\xc2\xa0</a>" if kind.xml else "x:\u00a0“y”\n".encode())
    damaged = data.draw(mutated(seeds))
    findings = kind.lint(damaged, source="f")
    assert all(type(d) is Diagnostic and d.source == "f" for d in findings)
    try:
        repaired = kind.repair(damaged)
    except kinds.RepairRefused:
        return
    assert kind.repair(repaired) == repaired  # nothing left to repair


def test_the_module_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    monkeypatch.chdir(PROJECT_ROOT)  # the examples read examples/tftproot
    result = doctest.testmod(kinds)
    assert result.attempted >= 3
    assert result.failed == 0

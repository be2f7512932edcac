"""Every public ``validate`` has one shape, and each name means one thing; the older spellings
of calls and names keep working."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import ciscocfg
from ciscocfg import ArgumentTypeError, Diagnostic, cnf, dialplan, ringlist, ringxml, sepxml
from ciscocfg.firmware import ImageRole
from ciscocfg.tftp import _machine

#: Parameter names a validator must not use for what another name already says.
_SECOND_NAMES = {"filename", "name", "path", "line", "phone"}


def _public_validators() -> list[tuple[str, Callable[..., Any]]]:
    found = []
    for info in pkgutil.walk_packages(ciscocfg.__path__, "ciscocfg."):
        if any(part.startswith("_") for part in info.name.split(".")) or ".cli" in info.name:
            continue
        module = importlib.import_module(info.name)
        for name in ("validate", "lint"):
            function = getattr(module, name, None)
            if callable(function) and name in getattr(module, "__all__", ()):
                found.append((f"{info.name}.{name}", function))
    return found


VALIDATORS = _public_validators()


def test_the_validators_are_found() -> None:
    names = {name for name, _ in VALIDATORS}
    assert names >= {
        "ciscocfg.cnf.validate",
        "ciscocfg.sepxml.validate",
        "ciscocfg.dialplan.validate",
        "ciscocfg.dialplan.lint",
        "ciscocfg.ringxml.validate",
        "ciscocfg.ringlist.validate",
        "ciscocfg.os79xx.validate",
        "ciscocfg.ringtone.validate",
    }


@pytest.mark.parametrize(("name", "function"), VALIDATORS, ids=[n for n, _ in VALIDATORS])
def test_validate_takes_the_document_then_keywords(name: str, function: Callable[..., Any]) -> None:
    signature = inspect.signature(function)
    first, *rest = signature.parameters.values()
    assert first.kind in (first.POSITIONAL_ONLY, first.POSITIONAL_OR_KEYWORD), name
    assert first.default is first.empty, name
    assert rest, name
    assert all(p.kind is p.KEYWORD_ONLY and p.default is not p.empty for p in rest), name
    assert rest[0].name == "source", name
    assert rest[0].default is None, name
    assert not {p.name for p in rest} & _SECOND_NAMES, name
    assert signature.return_annotation in ("list[Diagnostic]", list[Diagnostic]), name


# -- `source` names the file in every validator ---------------------------------------------------

#: One document per validator that gives at least one finding.
_DOCUMENTS: dict[str, Callable[[], tuple[Callable[..., list[Diagnostic]], object]]] = {
    "ciscocfg.cnf.validate": lambda: (cnf.validate, cnf.loads("line1_name: UNPROVISIONED\n")),
    "ciscocfg.sepxml.validate": lambda: (sepxml.validate, sepxml.loads("<Device/>")),
    "ciscocfg.dialplan.validate": lambda: (dialplan.validate, dialplan.loads("<x/>")),
    "ciscocfg.dialplan.lint": lambda: (dialplan.lint, dialplan.loads("<x/>")),
    "ciscocfg.ringxml.validate": lambda: (ringxml.validate, ringxml.loads("<RingList/>")),
    "ciscocfg.ringlist.validate": lambda: (ringlist.validate, ringlist.loads("")),
    "ciscocfg.os79xx.validate": lambda: (
        ciscocfg.os79xx.validate,
        ciscocfg.os79xx.loads("", strict=False),
    ),
    "ciscocfg.ringtone.validate": lambda: (ciscocfg.ringtone.validate, b""),
}


@pytest.mark.parametrize("name", [n for n, _ in VALIDATORS])
def test_source_is_the_name_every_finding_carries(name: str) -> None:
    validate, document = _DOCUMENTS[name]()
    assert {d.source for d in validate(document)} == {None}
    found = validate(document, source="tftp/the-file")
    assert found
    assert {d.source for d in found} == {"tftp/the-file"}


def test_the_loaded_name_is_the_default_source(tmp_path: Path) -> None:
    (tmp_path / "RINGLIST.DAT").write_bytes(b"")
    (tmp_path / "OS79XX.TXT").write_bytes(b"")
    assert {d.source for d in ringlist.validate(ringlist.load(tmp_path / "RINGLIST.DAT"))} == {
        str(tmp_path / "RINGLIST.DAT")
    }
    os79xx = ciscocfg.os79xx
    doc = os79xx.load(tmp_path / "OS79XX.TXT", strict=False)
    assert {d.source for d in os79xx.validate(doc)} == {str(tmp_path / "OS79XX.TXT")}


# -- the older spellings ------------------------------------------------------------------------


def test_ringlist_root_by_position_is_the_older_spelling(tmp_path: Path) -> None:
    doc = ringlist.loads("Bell\tBell.raw\n")
    found = ringlist.validate(doc, root=tmp_path)
    assert [d.code for d in found] == ["RL105"]
    assert ringlist.validate(doc, tmp_path) == found
    assert ringlist.validate(doc, tmp_path, source="R.DAT") == ringlist.validate(
        doc, root=tmp_path, source="R.DAT"
    )
    with pytest.raises(ArgumentTypeError, match="multiple values for argument 'root'"):
        ringlist.validate(doc, tmp_path, root=tmp_path)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="positional arguments"):
        ringlist.validate(doc, tmp_path, True)  # type: ignore[call-overload]


def test_ringxml_filename_is_the_older_spelling_of_source() -> None:
    rings = ringxml.loads("<CiscoIPPhoneRingList/>")
    found = ringxml.validate(rings, source="ringlist.xml")
    assert [(d.code, d.source) for d in found] == [("RXL005", "ringlist.xml")]
    assert ringxml.validate(rings, filename="ringlist.xml") == found
    with pytest.raises(TypeError, match="multiple values for argument 'source'"):
        ringxml.validate(rings, filename="a", source="b")  # type: ignore[call-overload]


def test_match_line_is_the_older_spelling_of_phone_line() -> None:
    plan = dialplan.loads(
        '<DIALTEMPLATE><TEMPLATE MATCH="1" Timeout="0" Line="2"/>'
        '<TEMPLATE MATCH="." Timeout="0"/></DIALTEMPLATE>'
    )
    on_two = plan.match("1", phone_line=2)
    assert on_two.template is plan.templates[0]
    assert plan.match("1", line=2) == on_two
    assert plan.match("1").template is plan.templates[1]
    assert plan.templates[0].phone_line == plan.templates[0].line_number == 2
    assert plan.templates[0].line == 1  # the line of the file, as everywhere


def test_older_names_are_the_same_objects() -> None:
    assert sepxml.Line is sepxml.PhoneLine
    assert ringxml.RingList is ringxml.XmlRingList
    assert ringxml.Ring is ringxml.XmlRing
    assert ciscocfg.firmware.Role is ImageRole
    assert _machine.Role is _machine.EngineRole


def test_phone_lines_and_their_older_names() -> None:
    config = sepxml.loads("<device><deviceProtocol>SIP</deviceProtocol></device>")
    config.set_phone_line(1, name="1001", proxy="pbx", port="5060")
    config.set_line(2, name="1002")  # the older name
    assert [line.name for line in config.phone_lines] == ["1001", "1002"]
    assert config.lines == config.phone_lines
    text = config.dumps()
    assert config.phone_lines[0].line == text[: text.index("<line")].count("\n") + 1
    assert config.remove_line(2)
    assert config.remove_phone_line(1)
    assert config.phone_lines == []


def test_role_types_have_distinct_names() -> None:
    from ciscocfg.provision import _boot

    names = {ImageRole.__name__, _machine.EngineRole.__name__, "FileRole"}
    assert len(names) == 3
    assert "FileRole" in _boot.__all__
    assert not hasattr(_boot, "Role")

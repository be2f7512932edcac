"""One model of what the phone reads from a .cnf file, asked by validate, merge and the tree check.

The property tests hold them together: for documents with pasted characters and byte order
marks before, after and inside their keys, a key ``validate`` says the phone misreads is never
one the merged view finds, and a key the merged view finds is never reported as misread.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.cnf_strategies import noisy_text

from ciscocfg import cnf, provision
from ciscocfg._reads import BOM, PASTE_DAMAGE
from ciscocfg._text import decode_bytes, encode_text
from ciscocfg.provision import _read

PHONE = "SIP001BD4123456.cnf"
# Codes by which validate says the phone reads a key other than the one written.
MISREAD = {"CNF003", "CNF101", "CNF102"}
_KEYS = sorted(cnf.PARAMETERS)
_DAMAGE = sorted(PASTE_DAMAGE)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, list[tuple[str, bool]]]:
    """A document and, per line, the key meant and whether it was written with damage."""
    keys = draw(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=8, unique=True))
    bom = draw(st.booleans())
    lines: list[str] = []
    meant: list[tuple[str, bool]] = []
    for index, key in enumerate(keys):
        where = draw(st.sampled_from(["none", "none", "before", "after", "inside"]))
        char = draw(st.sampled_from(_DAMAGE))
        cut = draw(st.integers(1, len(key) - 1))
        written = {
            "none": key,
            "before": char + key,
            "after": key + char,
            "inside": key[:cut] + char + key[cut:],
        }[where]
        colon = draw(st.sampled_from([": ", ":", " : ", "\t:\t"]))
        newline = draw(st.sampled_from(["\n", "\r\n"]))
        # An empty value is "not set" for every type; line 1 gets a usable name.
        value = "201" if key == "line1_name" else ""
        lines.append(f"{written}{colon}{value}{newline}")
        meant.append((key, where != "none" or (bom and index == 0)))
    return (BOM if bom else "") + "".join(lines), meant


@given(damaged())
@settings(max_examples=300)
def test_validate_and_the_merged_view_agree(case: tuple[str, list[tuple[str, bool]]]) -> None:
    text, meant = case
    doc = cnf.loads(text, strict=False, source=PHONE)
    found = cnf.validate(doc)
    misread_lines = {d.line for d in found if d.code in MISREAD and d.severity == "warning"}
    merged = cnf.merge(doc)
    # The tree check reads the bytes of the file the same way.
    assert _read.merged_values(None, encode_text(text)) == merged
    assert {s.line for s in cnf.phone_view(doc).misread()} == misread_lines
    for number, (key, damaged_key) in enumerate(meant, 1):
        said_misread = number in misread_lines
        assert said_misread == (key not in merged), (number, key, found, merged)
        assert said_misread == damaged_key, (number, key, found)
    # Line 1 of a phone's file: validate and the merged view tell the same story.
    line1_missing = "line1_name" not in merged or merged["line1_name"] in {"", "UNPROVISIONED"}
    assert ("CNF401" in {d.code for d in found}) == line1_missing


@given(damaged())
@settings(max_examples=25, deadline=None)
def test_the_tree_check_agrees_with_validate(case: tuple[str, list[tuple[str, bool]]]) -> None:
    text, _ = case
    text += 'proxy1_address: "10.0.0.5"\n'
    doc = cnf.loads(text, strict=False, source=PHONE)
    cnf401 = any(d.code == "CNF401" for d in cnf.validate(doc))
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / PHONE).write_bytes(encode_text(text))
        (Path(root) / "SIPDefault.cnf").write_bytes(b"proxy_register: 1\n")
        codes = {d.code for d in provision.check(root)}
    assert ("PRV040" in codes) == cnf401
    # What validate says about the file is passed through by the check (but for CNF401,
    # which the check replaces with PRV040 on the merged layers).
    assert {d.code for d in cnf.validate(doc)} - {"CNF401"} <= codes


def test_the_reported_case() -> None:
    # A UTF-8 BOM before 'line1_name: 201' and a no-break space in the same place: the same story.
    for damage in (BOM, "\u00a0"):
        with tempfile.TemporaryDirectory() as root:
            (Path(root) / PHONE).write_bytes(
                encode_text(damage + 'line1_name: 201\nproxy1_address: "10.0.0.5"\n')
            )
            found = provision.check(root)
        (prv040,) = [d for d in found if d.code == "PRV040"]
        assert repr(damage + "line1_name")[1:-1] in prv040.message
        assert prv040.line == 1


def test_setting_keys_and_what_was_meant() -> None:
    doc = cnf.loads("\ufeff  line1_name: 1\nproxy1_port\u200b: 5060\nimage_version: x\n")
    view = cnf.phone_view(doc)
    assert [(s.line, s.key, s.meant) for s in view.settings] == [
        (1, "\ufeff  line1_name", "line1_name"),
        (2, "proxy1_port\u200b", "proxy1_port"),
        (3, "image_version", None),
    ]
    assert view.unreadable is None
    assert not view.keys_unknown
    assert [s.key for s in view.misread()] == ["\ufeff  line1_name", "proxy1_port\u200b"]


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("line{$line}_name: 1\n", True),
        ("{{ XX_fkeys }}\n", True),
        ('{include file="lines.tpl"}\n', True),
        ("{if $x}line1_name: 1{/if}\n", True),
        ("{if $x}\n{/if}\n", False),
        ("{% if x %}\n{% endif %}\n", False),
        ('proxy1_address: "{$server}"\n', False),
    ],
)
def test_which_templates_leave_the_keys_unknown(text: str, unknown: bool) -> None:
    assert cnf.phone_view(cnf.loads(text, strict=False)).keys_unknown is unknown


def test_unreadable_file_gives_no_settings() -> None:
    for data in (
        b"\x7fELF\x02\x01\x01\x00line1_name: 1\n",
        "line1_name: 1\n".encode("utf-16"),
        b"\x1f\x8b\x08\x00\x00\x00",
    ):
        view = cnf.phone_view(cnf.loads(decode_bytes(data), strict=False))
        assert view.unreadable is not None
        assert view.settings == ()
        assert _read.merged_values(None, data) == {}
        assert _read.cnf_value(data, "line1_name") is None


@given(st.one_of(noisy_text, st.text()), st.booleans())
def test_the_quick_answers_agree_with_the_settings(text: str, bom: bool) -> None:
    # values() and keys_unknown are read off the scanner's rows when they can be; built from
    # the settings they must be the same.
    text = (BOM if bom else "") + text
    quick = cnf.phone_view(cnf.loads(text, strict=False))
    values, keys_unknown = quick.values(), quick.keys_unknown
    full = cnf.phone_view(cnf.loads(text, strict=False))
    settings = full.settings
    assert values == {s.key: s.value for s in settings}
    assert keys_unknown == full.keys_unknown
    if full.unreadable is None:
        assert [s.line for s in settings] == [
            n
            for n, line in enumerate(cnf.loads(text, strict=False).lines, 1)
            if type(line) is cnf.Entry
        ]

"""Properties: round trips for every input, only our errors, edits that touch one line."""

from __future__ import annotations

import io

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from support.cnf_strategies import documents, noisy_text, values

import ciscocfg
from ciscocfg import cnf
from ciscocfg._reads import unreadable_text
from ciscocfg.cnf._fix import FIXES


@given(documents())
def test_model_documents_round_trip(model: list[cnf.Line]) -> None:
    text = "".join(line.render() for line in model)
    doc = cnf.loads(text)
    assert list(doc.lines) == model
    assert doc.dumps() == text
    assert cnf.dumps(doc) == text


@given(st.one_of(noisy_text, st.text()))
def test_strict_raises_only_parse_error(text: str) -> None:
    try:
        doc = cnf.loads(text, source="x.cnf")
    except ciscocfg.ParseError as exc:
        err = exc
    else:
        assert doc.dumps() == text
        return
    assert err.source == "x.cnf"
    assert err.line is not None
    assert err.column is not None
    assert "\n" not in str(err)


@given(st.one_of(noisy_text, st.text()))
def test_tolerant_never_raises_and_round_trips(text: str) -> None:
    doc = cnf.loads(text, strict=False)
    assert doc.dumps() == text
    assert doc.bom + "".join(line.render() for line in doc.lines) == text
    # Reading and linting any document raises nothing either.
    dict(doc)
    cnf.validate(doc)


@given(st.binary(max_size=300))
def test_any_bytes_survive_load_and_dump(data: bytes) -> None:
    doc = cnf.load(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    cnf.dump(doc, out)
    assert out.getvalue() == data


@given(documents(), st.data())
def test_setting_a_value_touches_only_its_line(model: list[cnf.Line], data: st.DataObject) -> None:
    doc = cnf.loads("".join(line.render() for line in model))
    keys = list(doc)
    assume(keys)
    key = data.draw(st.sampled_from(keys))
    value = data.draw(values)
    number = doc.entries(key)[-1][0]
    before = doc.lines
    doc[key] = value
    assert doc[key] == value
    after = doc.lines
    assert len(after) == len(before)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed in ([], [number])
    # The rewritten line reads back the same from text.
    again = cnf.loads(doc.dumps())
    assert again[key] == value
    assert list(again.lines) == list(after)


@given(documents(), st.data())
def test_deleting_a_key_keeps_every_other_line(model: list[cnf.Line], data: st.DataObject) -> None:
    doc = cnf.loads("".join(line.render() for line in model))
    keys = list(doc)
    assume(keys)
    key = data.draw(st.sampled_from(keys))
    before = doc.lines
    del doc[key]
    assert key not in doc
    kept = [line for line in before if not (isinstance(line, cnf.Entry) and line.key == key)]
    assert list(doc.lines) == kept


@given(documents(), values)
def test_appending_keeps_every_earlier_line(model: list[cnf.Line], value: str) -> None:
    doc = cnf.loads("".join(line.render() for line in model))
    key = "brand_new_key"
    assume(key not in doc)
    before = doc.lines
    doc[key] = value
    after = doc.lines
    assert len(after) == len(before) + 1
    assert after[: len(before) - 1] == before[: len(before) - 1]
    if before:
        assert after[len(before) - 1].render().rstrip("\r\n") == before[-1].render().rstrip("\r\n")
    assert cnf.loads(doc.dumps())[key] == value


@given(st.one_of(noisy_text, st.text()))
def test_fix_changes_only_the_repaired_characters(text: str) -> None:
    fixed = cnf.fix(cnf.loads(text, strict=False)).dumps()
    if unreadable_text(text) is not None:
        assert fixed == text  # a binary or UTF-16 file is not "repaired" into garbage
        return
    # Character by character: a pasted one gives its repair (nothing, for an invisible one),
    # every other one stays.
    assert fixed == "".join(FIXES.get(char, char) for char in text)
    assert not set(fixed) & set(FIXES)


@pytest.mark.parametrize(
    ("pasted", "repaired"),
    [
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u201e", '"'),
        ("\u2018", "'"),
        ("\u2019", "'"),
        ("\u201a", "'"),
        ("\u00a0", " "),
        ("\u202f", " "),
        ("\u2007", " "),
        ("\u2003", " "),
        ("\u200b", ""),
        ("\u2060", ""),
        ("\u00ad", ""),
        ("\ufeff", ""),
    ],
)
def test_fix_repairs_each_pasted_character(pasted: str, repaired: str) -> None:
    text = f"{pasted}line1_name{pasted}: {pasted}201{pasted}\n"
    assert cnf.fix_text(text) == f"{repaired}line1_name{repaired}: {repaired}201{repaired}\n"


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffa: 1\r\n",
        "a: 1\rb: 2\r",
        "no final newline: x",
        "\udcff\udcfe: \udc80\n",
        "{$mac}: {if}\n{/if}\n",
        "\x00\x0b\x0c\x85\u2028: v\n",
    ],
)
def test_awkward_inputs_round_trip(text: str) -> None:
    assert cnf.loads(text, strict=False).dumps() == text

"""dialplan.xml: corpus round trips, the matcher against spec vectors and properties, lint."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import CORPUS, corpus_params, no_corpus

from ciscocfg import ParseError, dialplan
from ciscocfg.cli import main

# Every dial-plan corpus file loads and round-trips; listed with the codes validate must report
# (a subset check), so a new file fails until it is looked at.
CORPUS_EXPECTATIONS: dict[str, set[str]] = {
    "PintoBernardo__Cisco-IP-Phones__Configuration Files__dialplan.xml": {"DPL101"},
    "altf4arnold__Cisco-VOIP-Templates__7911-TFTP-folder__dialplan.xml": set(),
    "alvijunior__provisionarCisco7942__dialplan.xml": set(),
    "csptechnologies__ciscoprovsionerweb__dialplan.xml": set(),
    "dannymcc__Cisco-7906G-SIP__dialplan.xml": {"DPL102"},
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__dialplan.xml": set(),
    "julianhead__CiscoPhones__cisco_dialplan.xml": set(),
    "julianhead__CiscoPhones__dialplan.xml": {"DPL101", "DPL102"},
    "nikscave__freepbx_configs__dialplan.xml": set(),
    # Another schema (<dialplan><patterns>): well-formed, but the phone finds no rules in it.
    "noulapascal__voip__dialtemplate.xml": {"DPL001"},
    "provisioner__Provisioner__endpoint__cisco__sip797xG__dialplan.xml": set(),
    "provisioner__Provisioner__endpoint__cisco__sip99xx__dialplan-vic.xml": {"DPL102"},
    "weslleycsil__provisionamento-cisco__dialplan.xml": set(),
}


def _quoted(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def plan(*rules: Mapping[str, object]) -> dialplan.DialPlan:
    body = "".join(
        "<TEMPLATE " + " ".join(f'{k}="{_quoted(v)}"' for k, v in rule.items()) + "/>"
        for rule in rules
    )
    return dialplan.loads(f"<DIALTEMPLATE>{body}</DIALTEMPLATE>")


@pytest.mark.parametrize("path", corpus_params("dialplan"))
def test_corpus_file_round_trips(path: Path) -> None:
    data = path.read_bytes()
    loaded = dialplan.loads(data, source=path.name)
    assert loaded.dumps().encode("utf-8", "surrogateescape") == data
    codes = {d.code for d in dialplan.validate(loaded)}
    assert CORPUS_EXPECTATIONS[path.name] <= codes
    assert ("DPL001" in codes) == (not loaded.is_dial_template)


def test_corpus_reading_details() -> None:
    folder = CORPUS / "dialplan"
    if not folder.is_dir():
        no_corpus()
    mixed = dialplan.load(folder / "alvijunior__provisionarCisco7942__dialplan.xml")
    assert {name for t in mixed.templates for name, _ in t.attributes} >= {"Timeout", "TIMEOUT"}
    assert all(t.valid for t in mixed.templates)
    pinto = dialplan.load(
        folder / "PintoBernardo__Cisco-IP-Phones__Configuration Files__dialplan.xml"
    )
    assert pinto.version_stamp == "e68d54c1-0354-4b1a-aca4-adffc4b7de2f"
    uk = dialplan.load(folder / "julianhead__CiscoPhones__dialplan.xml")
    assert uk.match("999").action == "dial"


# Spec §5.3 worked examples.
SPEC_PLAN: list[dict[str, object]] = [
    {"MATCH": "9,1..........", "Timeout": 0, "User": "Phone"},
    {"MATCH": "9,.......", "Timeout": 0},
    {"MATCH": "911", "Timeout": 0},
    {"MATCH": "2...", "Timeout": 0},
    {"MATCH": "*", "Timeout": 5},
    {"MATCH": "00*", "Timeout": 5},
    {"MATCH": "\\*..", "Timeout": 0},
]


@pytest.mark.parametrize(
    ("digits", "action", "rule", "timeout", "dial_string"),
    [
        ("9", "tone", 0, 10, None),
        ("911", "dial", 2, 0, "911"),
        ("95551234", "dial", 1, 0, "95551234"),
        ("2001", "dial", 3, 0, "2001"),
        ("2", "wait", 3, 10, None),
        ("*72", "dial", 6, 0, "*72"),
        ("5", "dial", 4, 5, "5"),
        ("914155551234", "dial", 0, 0, "914155551234;user=phone"),
    ],
)
def test_spec_examples(
    digits: str, action: str, rule: int, timeout: int, dial_string: str | None
) -> None:
    decision = plan(*SPEC_PLAN).match(digits)
    assert decision.action == action
    assert decision.template is not None
    assert decision.template.index == rule
    assert decision.timeout == timeout
    assert decision.dial_string == dial_string


@pytest.mark.parametrize(
    ("rules", "digits", "action", "match", "timeout"),
    [
        ([("9..", 3), ("97.", 1)], "975", "dial", "97.", 1),
        ([("9011*", 5), ("9.11", 0)], "9011", "wait", "9011*", 10),
        ([("9.11", 0), ("9011*", 5)], "9011", "wait", "9011*", 10),
        ([("*", 5), ("9.......", 0)], "94694210", "dial", "9.......", 0),
        ([("*", 5), ("9.......", 0)], "946", "wait", "9.......", 10),
    ],
)
def test_spec_precedence(
    rules: list[tuple[str, int]], digits: str, action: str, match: str, timeout: int
) -> None:
    decision = plan(*({"MATCH": m, "Timeout": t} for m, t in rules)).match(digits)
    assert (decision.action, decision.timeout) == (action, timeout)
    assert decision.template is not None
    assert decision.template.match == match


def test_callmanager_syntax_never_matches() -> None:
    decision = plan({"MATCH": "[2-9]XXX", "Timeout": 4}).match("2345")
    assert decision == dialplan.DialDecision("none", None, None, None, digits="2345")


def test_hot_line() -> None:
    decision = plan({"MATCH": "", "Timeout": 0, "Rewrite": "300"}).match("")
    assert (decision.action, decision.timeout, decision.dial_string) == ("dial", 0, "300")


@pytest.mark.parametrize(
    ("match", "rewrite", "digits", "expected"),
    [
        ("ab..cd..ef*", "%1-%2-%3", "ab12cd34ef5678", "12-34-5678"),
        ("31.", "1111%s", "310", "1111310"),
        ("34..1..", "14444%155%2", "3456177", "14444565577"),
        ("8..", "+4420..", "801", "+442001"),
        ("9.", "X.Y", "95", "X5Y"),
        ("9.", "%%%.%0", "95", "%.95"),
        ("9.", "%7", "95", "7"),
        ("9.", "<sip:%1@h>", "95", "<sip:5@h;user=ip>"),
    ],
)
def test_rewrite(match: str, rewrite: str, digits: str, expected: str) -> None:
    user = {"User": "IP"} if expected.endswith(";user=ip>") else {}
    decision = plan({"MATCH": match, "Rewrite": rewrite, "Timeout": 0, **user}).match(digits)
    assert decision.dial_string == expected


def test_secondary_tone_name_and_index() -> None:
    p = plan({"MATCH": "0,1,2..", "Tone": "Bellcore-Outside", "TONE": "cisco-zip"})
    first, second = p.match("0"), p.match("01")
    assert (first.action, first.tone) == ("tone", "Bellcore-Outside")
    assert (second.action, second.tone) == ("tone", "Cisco-Zip")
    assert p.match("012").action == "wait"


def test_pound_dials_now_only_in_that_mode() -> None:
    p = plan({"MATCH": "1...", "Timeout": 5})
    assert p.match("5#").action == "none"
    now = p.match("5#", pound_dials_now=True)
    assert (now.action, now.timeout, now.template) == ("dial", 0, None)
    # While a rule still matches the digits before "#", the stack keeps collecting.
    assert p.match("12#", pound_dials_now=True).action == "wait"
    assert p.match("12#").action == "wait"
    wild = plan({"MATCH": "1*", "Timeout": 5})
    pound = wild.match("1#", pound_dials_now=True)
    assert (pound.action, pound.timeout, pound.dial_string) == ("dial", 5, "1#")
    assert wild.match("1#").action == "dial"


def test_line_restriction() -> None:
    p = plan({"MATCH": "8..", "Timeout": 0, "Line": 2}, {"MATCH": "*", "Timeout": 3})
    assert p.match("812", line=2).template == p.templates[0]
    assert p.match("812", line=1).template == p.templates[1]


def test_rules_with_problems_are_dropped() -> None:
    p = plan(
        {"MATCH": "1..", "Timeout": 0, "Priority": 1},
        {"MATCH": "2..", "Timeout": "-1"},
        {"MATCH": "3..", "User": "sip"},
        {"MATCH": "4..", "Route": "Backup"},
        {"MATCH": "5..", "Tone": "Beep"},
        {"MATCH": "6..", "Line": "x"},
    )
    assert [t.valid for t in p.templates] == [False] * 6
    assert p.match("123").action == "none"
    codes = [d.code for d in dialplan.validate(p)]
    assert codes == ["DPL003", "DPL004", "DPL005", "DPL006", "DPL007", "DPL009"]


def test_attribute_names_case_insensitive_and_kept() -> None:
    text = (
        '<dialTemplate>\r\n  <TEMPLATE match="7.." TIMEOUT="2" user="phone" />\r\n</dialTemplate>'
    )
    p = dialplan.loads(text)
    [t] = p.templates
    assert (t.match, t.timeout, t.user) == ("7..", 2, "Phone")
    assert p.dumps() == text
    p.set_attribute(0, "timeout", 0)
    p.append("911", timeout=0, route="Emergency")
    assert p.dumps() == (
        '<dialTemplate>\r\n  <TEMPLATE match="7.." TIMEOUT="0" user="phone" />\r\n'
        '  <TEMPLATE match="911" TIMEOUT="0" Route="Emergency"/>\r\n</dialTemplate>'
    )
    assert p.match("911").template == p.templates[1]
    p.remove_template(0)
    assert [t.match for t in p.templates] == ["911"]
    with pytest.raises(ValueError, match="not a TEMPLATE attribute"):
        p.append("1", colour="red")


def test_version_stamp_braces() -> None:
    p = dialplan.loads(
        "<DIALTEMPLATE><versionStamp>{abc-1}</versionStamp><TEMPLATE MATCH='1'/></DIALTEMPLATE>"
    )
    assert p.version_stamp == "abc-1"
    assert "versionStamp" in p.dumps()


def test_kpml_fallback() -> None:
    fallback = dialplan.kpml_fallback()
    decision = fallback.match("7")
    assert (decision.action, decision.timeout, decision.dial_string) == ("dial", 0, "7;user=phone")


def _codes(p: dialplan.DialPlan) -> list[str]:
    return [d.code for d in dialplan.validate(p)]


def test_lint_is_validate() -> None:
    p = plan({"MATCH": "1.."}, {"MATCH": "1.."})
    assert dialplan.lint(p) == dialplan.validate(p)


def test_lint_codes() -> None:
    assert "DPL001" in _codes(dialplan.loads("<dialplan/>"))
    assert "DPL002" in _codes(dialplan.loads("<DIALTEMPLATE><template MATCH='1'/></DIALTEMPLATE>"))
    assert "DPL008" in _codes(plan({"MATCH": "1" * 70}))
    assert "DPL008" in _codes(plan({"MATCH": "1" * 200}))
    big = "<DIALTEMPLATE>" + "<!-- pad -->" * 800 + "</DIALTEMPLATE>"
    assert "DPL010" in _codes(dialplan.loads(big))
    assert "DPL011" in _codes(
        dialplan.loads("<DIALTEMPLATE><versionStamp>1</versionStamp></DIALTEMPLATE>")
    )
    assert "DPL012" in _codes(plan({"MATCH": "9..", "Tone": "Bellcore-Outside"}))
    assert "DPL101" in _codes(plan({"MATCH": "9[2-9]XX"}))
    assert "DPL102" in _codes(plan({"MATCH": "1.."}, {"MATCH": "1.."}))
    shadowed = dialplan.validate(
        plan({"MATCH": "9...", "Timeout": 0}, {"MATCH": "9..1", "Timeout": 0})
    )
    assert [d.code for d in shadowed] == []  # 9..1 has more literals: it wins on 9001
    never = plan({"MATCH": "12..", "Timeout": 0}, {"MATCH": "1,2..", "Timeout": 3})
    assert _codes(never) == ["DPL103"]
    swallow = plan({"MATCH": ".", "Timeout": 0}, {"MATCH": "2...", "Timeout": 0})
    [d] = [d for d in dialplan.validate(swallow) if d.code == "DPL104"]
    assert d.severity == "error"
    assert "'9'" in d.message
    # A 911 rule keeps the catch-all from firing on "9": it has more literals.
    us = plan({"MATCH": ".", "Timeout": 0}, {"MATCH": "911"})
    assert "DPL104" not in [d.code for d in dialplan.validate(us, emergency=["911"])]
    [uk] = [d for d in dialplan.validate(us) if d.code == "DPL104"]
    assert uk.message.endswith("112 (at '1'), 000 (at '0')")
    assert "DPL104" not in _codes(plan(*SPEC_PLAN))


def test_shadowed_rule_names_the_winner() -> None:
    p = plan({"MATCH": "7..", "Timeout": 0}, {"MATCH": "7..", "Timeout": 2, "Line": 1})
    [d] = dialplan.validate(p)
    assert d.code == "DPL103"
    assert d.message == (
        "MATCH '7..' can never win: a number it matches, such as '700', goes to "
        'rule 1 (MATCH="7..", line 1)'
    )


def test_cli_prints_decisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "dialplan.xml"
    path.write_text(
        '<DIALTEMPLATE><TEMPLATE MATCH="911" Timeout="0"/><TEMPLATE MATCH="*" Timeout="5"/>'
        "</DIALTEMPLATE>"
    )
    assert main(["dialplan", str(path), "911", "5", "91"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        """911: dial '911' at once (rule 1, MATCH="911", exact match)""",
        """5: dial '5' after 5 s without a digit (rule 2, MATCH="*", wildcard match)""",
        """91: wait for more digits (10 s; rule 1, MATCH="911" may still match)""",
    ]
    path.write_text('<DIALTEMPLATE><TEMPLATE MATCH="." Timeout="0"/></DIALTEMPLATE>')
    assert main(["dialplan", str(path)]) == 1
    assert "DPL104" in capsys.readouterr().out
    path.write_text("<DIALTEMPLATE>")
    assert main(["dialplan", str(path), "1"]) == 2


# -- properties -----------------------------------------------------------------------------------

DIGITS = st.text(alphabet="0123456789*#", min_size=1, max_size=8)


@st.composite
def competing_plans(draw: st.DrawFn) -> tuple[str, list[dict[str, str | int]], int]:
    """A literal number, wildcard rules that all fully match it, and the exact rule among them."""
    number = draw(st.text(alphabet="0123456789", min_size=1, max_size=8))
    rules: list[dict[str, str | int]] = []
    for _ in range(draw(st.integers(1, 5))):
        chars = list(number)
        if draw(st.booleans()):
            for i in draw(st.lists(st.integers(0, len(number) - 1), min_size=1, max_size=3)):
                chars[i] = "."
            pattern = "".join(chars)
        else:
            cut = draw(st.integers(0, len(number) - 1))
            pattern = number[:cut] + "*"
        rules.append({"MATCH": pattern, "Timeout": draw(st.integers(0, 9))})
    at = draw(st.integers(0, len(rules)))
    rules.insert(at, {"MATCH": number, "Timeout": draw(st.integers(0, 9))})
    return number, rules, at


@given(competing_plans())
def test_exact_literal_rule_beats_wildcards(
    case: tuple[str, list[dict[str, str | int]], int],
) -> None:
    number, rules, _at = case
    decision = plan(*rules).match(number)
    assert decision.action == "dial"
    assert decision.template is not None
    assert decision.template.match == number
    assert decision.dial_string == number


@given(st.lists(st.sampled_from([r["MATCH"] for r in SPEC_PLAN] + ["0..", "1*", "5", ""])), DIGITS)
def test_match_is_total(patterns: list[str], digits: str) -> None:
    p = plan(*({"MATCH": m, "Timeout": 1} for m in patterns))
    decision = p.match(digits)
    assert decision.action in ("dial", "wait", "tone", "none")
    assert (decision.dial_string is not None) == (decision.action == "dial")
    assert (decision.template is None) == (decision.action == "none")


ATTR_NAMES = {
    "match": st.sampled_from(["MATCH", "match", "Match"]),
    "timeout": st.sampled_from(["Timeout", "TIMEOUT", "timeout"]),
    "rewrite": st.sampled_from(["Rewrite", "REWRITE"]),
    "user": st.sampled_from(["User", "USER"]),
}


@st.composite
def plan_texts(draw: st.DrawFn) -> tuple[str, list[tuple[str, int]]]:
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    rules = []
    lines = [draw(st.sampled_from(["", '<?xml version="1.0"?>' + nl])) + "<DIALTEMPLATE>"]
    for _ in range(draw(st.integers(0, 6))):
        pattern = draw(st.text(alphabet="0123456789.*,", max_size=10))
        timeout = draw(st.integers(0, 30))
        quote = draw(st.sampled_from(['"', "'"]))
        attrs = [
            f"{draw(ATTR_NAMES['match'])}={quote}{pattern}{quote}",
            draw(ATTR_NAMES["timeout"])
            + draw(st.sampled_from(["=", " = "]))
            + f"{quote}{timeout}{quote}",
        ]
        if draw(st.booleans()):
            attrs.append(f'{draw(ATTR_NAMES["user"])}="Phone"')
        sep = draw(st.sampled_from([" ", "  ", "\t"]))
        end = draw(st.sampled_from(["/>", " />", "></TEMPLATE>"]))
        comment = draw(st.sampled_from(["", " <!-- rule -->"]))
        lines.append(
            draw(st.sampled_from(["", "  ", "\t"])) + "<TEMPLATE " + sep.join(attrs) + end + comment
        )
        rules.append((pattern, timeout))
    lines.append("</DIALTEMPLATE>")
    return nl.join(lines) + draw(st.sampled_from(["", nl])), rules


@given(plan_texts())
def test_generated_plans_round_trip(case: tuple[str, list[tuple[str, int]]]) -> None:
    text, rules = case
    p = dialplan.loads(text)
    assert p.dumps() == text
    assert [(t.match, t.timeout) for t in p.templates] == rules
    assert dialplan.loads(text.encode()).dumps() == text


@given(plan_texts(), st.integers(0, 99))
def test_edits_keep_the_rest(case: tuple[str, list[tuple[str, int]]], timeout: int) -> None:
    text, rules = case
    p = dialplan.loads(text)
    p.append("911", timeout=timeout)
    assert [(t.match, t.timeout) for t in p.templates] == [*rules, ("911", timeout)]
    if rules:
        p.set_attribute(0, "timeout", timeout)
        assert p.templates[0].timeout == timeout
        assert p.dumps().count("<TEMPLATE") == len(rules) + 1


@given(st.text(max_size=60))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        p = dialplan.loads(text)
    except ParseError:
        return
    assert p.dumps() == text
    assert isinstance(dialplan.validate(p), list)


@pytest.mark.parametrize(
    "rules",
    [
        [{"MATCH": "*", "Timeout": 5}, {"MATCH": ".......", "Timeout": 3}],
        [{"MATCH": ".......", "Timeout": 3}, {"MATCH": "*", "Timeout": 5}],
    ],
    ids=["catch-all-first", "catch-all-last"],
)
def test_catch_all_waits_while_another_rule_is_partial(rules: list[dict[str, object]]) -> None:
    # "A lone `*` catch-all is adopted only when no template is partially matching" (spec §5.3),
    # whatever the order of the rules: two digits of a seven-digit number keep the phone waiting.
    decision = plan(*rules).match("12")
    assert decision.action == "wait"
    assert decision.timeout == dialplan.DEFAULT_TIMEOUT
    complete = plan(*rules).match("5551234")
    assert (complete.action, complete.timeout) == ("dial", 3)


@given(st.text(alphabet="0123456789", min_size=1, max_size=6))
def test_catch_all_never_beats_a_partial_pattern(digits: str) -> None:
    decision = plan({"MATCH": "......."}, {"MATCH": "*", "Timeout": 5}).match(digits)
    assert decision.action == "wait"


def test_template_placeholders_are_one_info_and_other_rules_still_judged() -> None:
    text = (
        "<DIALTEMPLATE>\n"
        '  <TEMPLATE MATCH="{$emergency}" Timeout="0" User="Phone"/>\n'
        '  <TEMPLATE MATCH="9XXX" Timeout="{{ timeout }}"/>\n'
        '  <TEMPLATE MATCH="2..." Timeout="-1"/>\n'
        "</DIALTEMPLATE>\n"
    )
    found = dialplan.validate(dialplan.loads(text))
    # Line 3 has a placeholder Timeout but a MATCH in CallManager syntax: that is still said.
    assert sorted((d.code, d.line) for d in found) == [("DPL004", 4), ("DPL101", 3), ("TPL001", 2)]

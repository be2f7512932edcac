"""dialplan.validate: reachability that agrees with match, and what the findings say.

Every DPL code is triggered, with its severity, by test_codes.py from support.dialplans.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support.dialplans import TRIGGERS, Rule, plan_of

from ciscocfg import dialplan
from ciscocfg._dialmatch import DIALABLE, automaton
from ciscocfg._placeholders import has_placeholder
from ciscocfg.dialplan import _reach

# -- the reported cases ---------------------------------------------------------------------------

REPORTED: list[Rule] = [
    ("1...", 3, 0),
    ("5...", 3, 0),
    ("9...", 3, 0),
    ("0...", 3, 0),
    ("*#", 0, 0),
    ("*", 5, 0),
]


def test_a_rule_match_picks_is_not_reported_as_unreachable() -> None:
    plan = plan_of(*REPORTED)
    decision = plan.match("0123#")
    assert decision.action == "dial"
    assert decision.template is plan.templates[4]
    assert decision.template.match == "*#"
    assert dialplan.validate(plan) == []


@pytest.mark.parametrize(
    ("attribute", "code"),
    [
        ('Route="Timeout"', "DPL006"),
        ('Tone="User"', "DPL007"),
        ('User="Timeout"', "DPL005"),
        ('Line="User"', "DPL009"),
        ('Timeout="Route"', "DPL004"),
        ('Tone="Line"', "DPL007"),
        ('Colour="Timeout"', "DPL003"),
    ],
)
def test_a_problem_has_the_code_of_what_is_wrong_not_of_its_words(
    attribute: str, code: str
) -> None:
    plan = dialplan.loads(f'<DIALTEMPLATE><TEMPLATE MATCH="1" {attribute}/></DIALTEMPLATE>')
    assert [(d.code, d.severity) for d in dialplan.validate(plan)] == [(code, "error")]


def test_undecided_rules_are_named_not_guessed() -> None:
    [finding] = dialplan.validate(dialplan.loads(TRIGGERS["DPL106"][0][0]))
    assert finding.code == "DPL106"
    assert "whether 100 rules can ever win is unknown" in finding.message


def test_a_catch_all_for_one_line_is_checked_on_that_line() -> None:
    plan = plan_of(("911", 0, 0), (".", 0, 2))
    [finding] = [d for d in dialplan.validate(plan) if d.code == "DPL104"]
    # On line 2 the catch-all dials "1" and "0" at once; "9" waits for 911.
    assert finding.message.endswith("112 (at '1'), 000 (at '0')")
    assert plan.match("1", line=2).template is plan.templates[1]
    assert plan.match("1").action == "none"


def test_a_rule_that_waits_for_another_says_so() -> None:
    plan = plan_of("2...", "2..")
    [finding] = dialplan.validate(plan)
    assert (finding.code, finding.line) == ("DPL103", 3)
    assert finding.message == (
        "MATCH '2..' can never win: on a number it matches, such as '200', the phone waits for "
        'rule 1 (MATCH="2...", line 2)'
    )
    assert plan.match("200").action == "wait"


def test_a_rule_that_dials_only_on_a_pound_that_means_dial_now() -> None:
    # A trailing `,` is never passed, so `1,` never completes; a `#` that means "dial now"
    # stops the walk there, and the phone dials.
    plan = plan_of("1,")
    [finding] = dialplan.validate(plan)
    assert (finding.code, finding.severity) == ("DPL105", "info")
    assert "e.g. on '1#'" in finding.message
    assert plan.match("1#", pound_dials_now=True).template is plan.templates[0]
    assert plan.match("1#").action == "none"


def test_a_rule_no_dialled_number_completes() -> None:
    plan = plan_of("1.X", "1..")
    # Said once, as DPL101: the rule cannot be DPL103 as well.
    [never] = [d for d in dialplan.validate(plan) if d.line == 2]
    assert never.code == "DPL101"
    assert never.message.endswith("reads literally: the rule never matches a dialled number")


# -- agreement with match, over generated plans and dialled strings ------------------------------

PIECES = ["0", "1", "5", "9", ".", ".", "*", "#", ",", "\\*", "[2-9]", "X", "+", "#"]


@st.composite
def rules(draw: st.DrawFn) -> list[Rule]:
    """Short patterns; some repeated over several leading digits (`1...`, `5...`, ...)."""
    out: list[Rule] = []
    for _ in range(draw(st.integers(1, 5))):
        pattern = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=5)))
        heads = [""]
        if draw(st.booleans()):
            heads = draw(st.lists(st.sampled_from("01589"), min_size=1, max_size=4, unique=True))
        timeout = draw(st.integers(0, 5))
        line = draw(st.sampled_from([0, 0, 0, 1, 2]))
        out.extend((head + pattern, timeout, line) for head in heads)
    return out


def _fill(pattern: str, draw: st.DrawFn) -> str:
    """A string that walks ``pattern`` to its end: wildcards filled with what can be dialled."""
    out = []
    k = 0
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\" and k + 1 < len(pattern):
            k += 1
            out.append(pattern[k] if pattern[k] in DIALABLE else "0")
        elif ch == ".":
            out.append(draw(st.sampled_from(DIALABLE)))
        elif ch == "*":
            out.append(draw(st.text(alphabet=DIALABLE, min_size=1, max_size=4)))
        elif ch in DIALABLE:
            out.append(ch)
        elif ch != ",":
            out.append(draw(st.sampled_from(DIALABLE)))  # no one can dial an `X`
        k += 1
    return "".join(out)


@st.composite
def dialled(draw: st.DrawFn, rules: Sequence[Rule]) -> list[str]:
    """Strings near the rules (filled in, cut short, one more character) and random ones."""
    out = [draw(st.text(alphabet=DIALABLE, max_size=6)) for _ in range(3)]
    for match, _, _ in rules:
        full = _fill(match, draw)
        cut = draw(st.integers(0, len(full)))
        out += [full, full[:cut], full + draw(st.sampled_from(DIALABLE))]
    return out


def _claims(plan: dialplan.DialPlan) -> dict[int, set[bool]]:
    """Template index -> the `#` modes in which the lint says the rule never dials."""
    by_line = {t.line: t.index for t in plan.templates}
    claims: dict[int, set[bool]] = {}
    for d in dialplan.validate(plan):
        never: set[bool] = set()
        if d.code in ("DPL102", "DPL103") or (
            d.code == "DPL101" and "never matches a dialled number" in d.message
        ):
            never = {False, True}
        elif d.code == "DPL105":
            # "wins only where '#' means dial now (...)": never where it is an ordinary digit.
            never = {False} if "means dial now (the stack" in d.message else {True}
        if never and d.line is not None:
            claims.setdefault(by_line[d.line], set()).update(never)
    return claims


@st.composite
def plans_and_numbers(draw: st.DrawFn) -> tuple[list[Rule], list[str]]:
    drawn = draw(rules())
    return drawn, draw(dialled(drawn))


@settings(max_examples=400)
@given(plans_and_numbers())
@example((REPORTED, ["0123#"]))
def test_no_rule_match_picks_is_reported_as_never_winning(
    case: tuple[list[Rule], list[str]],
) -> None:
    rules_, numbers = case
    plan = plan_of(*rules_)
    claims = _claims(plan)
    for digits in numbers:
        for line in (1, 2, 3):
            for pound in (False, True):
                decision = plan.match(digits, line=line, pound_dials_now=pound)
                if decision.action == "dial" and decision.template is not None:
                    assert pound not in claims.get(decision.template.index, set()), (
                        digits,
                        line,
                        pound,
                        decision.describe(),
                    )


@settings(max_examples=200)
@given(rules())
def test_every_rule_not_reported_dials_somewhere_in_both_modes(rules_: list[Rule]) -> None:
    plan = plan_of(*rules_)
    usable, reach = _reach(plan)
    claims = _claims(plan)
    undecided = {d.line for d in dialplan.validate(plan) if d.code == "DPL106"}
    assert not undecided  # small plans are always decided
    for k, template in enumerate(usable):
        if has_placeholder(template.match):
            continue  # a template's rule ("#X00" reads as a placeholder) is not judged: TPL001
        for pound in (False, True):
            witness = reach.wins.get((k, pound))
            if witness is None:
                assert pound in claims.get(template.index, set()), (template, pound)
                continue
            line, digits = witness
            decision = plan.match(digits, line=line, pound_dials_now=pound)
            assert (decision.action, decision.template) == ("dial", template)


@settings(max_examples=200)
@given(st.text(alphabet="0159.*#,\\X+", max_size=8))
def test_only_the_wanted_character_leads_elsewhere(pattern: str) -> None:
    # The search tries, from each state, its wanted character, `#` and one other: sound only if
    # every other dialable character leads where that one does.
    machine = automaton(pattern)
    todo, seen = [0], {0}
    while todo:
        state = todo.pop()
        way = machine.exits(state)
        others = {c for c in DIALABLE if c not in ("#", way.wanted)}
        for c in DIALABLE:
            for pound in (False, True):
                target = machine.move(state, c, pound)[0]
                if c in others:
                    expected = way.on_other
                elif c == "#":
                    expected = machine.on_pound_now(state) if pound else way.on_pound
                else:
                    expected = way.on_wanted
                assert (target if machine.live[target] else -1) == expected
                if machine.live[target] and target not in seen:
                    seen.add(target)
                    todo.append(target)


# -- the work grows with the plan, not with its square -------------------------------------------


def _extensions(count: int) -> list[Rule | str]:
    """``count`` distinct area codes and numbers, as a real plan has them, with catch-alls."""
    out: list[Rule | str] = ["999", "112"]
    for n in range(count):
        spread = n * 7919  # a prime: the codes below are all different
        if n % 3:
            out.append(("0" + str(1000 + spread % 9000) + "." * 6, n % 4, 0))
        else:
            out.append((f"07{spread % 10**6:06d}", 0, 0))
    return [*out, "00*", "0..........", ("*", 5, 0)]


def test_search_work_grows_linearly() -> None:
    work = {}
    for count in (200, 400, 800):
        plan = plan_of(*_extensions(count))
        _, reach = _reach(plan)
        assert not reach.undecided
        work[count] = reach.work
    # Twice the rules, about twice the work (the earlier algorithm did four times as much).
    assert work[400] < 2.3 * work[200]
    assert work[800] < 2.3 * work[400]


def test_threads_matching_at_once_share_the_automata_safely() -> None:
    # Automata are built as they are walked and shared between plans: patterns no test has
    # used yet, walked from eight threads at once, must decide as one thread does afterwards.
    plan = plan_of(*(f"4{n:03d}" + "." * (n % 5) + "*" * (n % 2) for n in range(100)))
    numbers = [f"4{n % 100:03d}{n * 7 % 10_000:04d}"[: 4 + n % 9] for n in range(300)]

    def decide(digits: str) -> tuple[str, int | None]:
        decision = plan.match(digits)
        return decision.action, None if decision.template is None else decision.template.index

    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(decide, numbers))
    assert together == [decide(digits) for digits in numbers]

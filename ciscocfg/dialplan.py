"""``dialplan.xml``: the dial template the SIP phones use to decide when a number is complete.

:func:`loads` keeps the text it was given (:meth:`DialPlan.dumps` returns it unchanged until an
edit); attribute names are read case-insensitively (``MATCH``/``match``, ``Timeout``/``TIMEOUT``)
and edits keep the spelling the file already uses.

:meth:`DialPlan.match` simulates the phone's matcher (the algorithm of the Cisco-derived SIP
stack): for the digits dialled so far it says whether the phone dials now or after a timeout,
keeps waiting for digits, plays a secondary dial tone, or finds no rule. :func:`validate`
reports what the phone rejects (a template with an unknown attribute is dropped), patterns
written in CallManager syntax that never match, rules that can never win, and catch-alls that
dial before an emergency number is complete. Whether a rule can win is asked of the same
matcher (:mod:`ciscocfg._dialmatch`), run over every dialled string at once
(:mod:`ciscocfg._dialreach`), so the lint and ``match`` cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal, overload

import attrs

from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._dialmatch import IMMEDIATE as _IMMEDIATE
from ciscocfg._dialmatch import KIND_NAMES as _KIND_NAMES
from ciscocfg._dialmatch import MAX_GROUPS, choose, scan
from ciscocfg._dialreach import Reach, completable, search
from ciscocfg._errors import ValidationError
from ciscocfg._older import older_spelling
from ciscocfg._text import PathOrFile, encode_text, encoded_size, read_source, write_target
from ciscocfg._xml import Element, XmlDocument, XmlText, escape_attribute, parse

__all__ = [
    "DEFAULT_TIMEOUT",
    "EMERGENCY_NUMBERS",
    "MAX_FILE_SIZE",
    "MAX_GROUPS",
    "MAX_PATTERN",
    "MAX_TOKEN",
    "MAX_TONES",
    "TONE_NAMES",
    "Action",
    "DialDecision",
    "DialPlan",
    "Template",
    "dump",
    "dumps",
    "kpml_fallback",
    "lint",
    "load",
    "loads",
    "validate",
]

Action = Literal["dial", "wait", "tone", "none"]

#: Seconds the phone waits for another digit while a rule is only partly matched, and the
#: ``Timeout`` of a rule that gives none.
DEFAULT_TIMEOUT = 10
#: The phone loads at most this many bytes of a dial plan.
MAX_FILE_SIZE = 0x2000 - 1
#: Longest MATCH or Rewrite value the phone stores.
MAX_PATTERN = 196
#: Attribute values are read into a 64-byte buffer, so longer ones are probably cut.
MAX_TOKEN = 63
MAX_TONES = 3
EMERGENCY_NUMBERS = ("911", "112", "999", "000")
TONE_NAMES = (
    "Bellcore-Inside",
    "Bellcore-Outside",
    "Bellcore-Busy",
    "Bellcore-Alerting",
    "Bellcore-BusyVerify",
    "Bellcore-Stutter",
    "Bellcore-MsgWaiting",
    "Bellcore-Reorder",
    "Bellcore-CallWaiting",
    "Bellcore-Cw2",
    "Bellcore-Cw3",
    "Bellcore-Cw4",
    "Bellcore-Hold",
    "Bellcore-Confirmation",
    "Bellcore-Permanent",
    "Bellcore-Reminder",
    "Bellcore-None",
    "Cisco-ZipZip",
    "Cisco-Zip",
    "Cisco-BeepBonk",
)
_TONES_LOWER = {name.lower(): name for name in TONE_NAMES}
# How a new attribute is spelled when the file gives no example of its own.
_SPELLING = {
    "match": "MATCH",
    "timeout": "Timeout",
    "user": "User",
    "rewrite": "Rewrite",
    "route": "Route",
    "tone": "Tone",
    "line": "Line",
}
_STRTOL = re.compile(r"\s*([+-]?\d+)")
_CUCM_SYNTAX = re.compile(r"[Xx!\[\]]")


@attrs.frozen
class Template:
    """One ``TEMPLATE`` rule, read the way the phone reads it.

    ``problems`` lists why the phone would drop the rule (unknown attribute, bad Timeout ...),
    as the findings :func:`validate` reports; a rule with problems takes no part in
    :meth:`DialPlan.match`.
    """

    index: int
    match: str
    timeout: int
    user: str | None
    rewrite: str
    route: str
    tones: tuple[str, ...]
    #: The phone line the rule is for (its ``Line`` attribute); 0 for every line.
    phone_line: int
    #: Every attribute as written: (name, value) in document order.
    attributes: tuple[tuple[str, str], ...]
    problems: tuple[Diagnostic, ...]
    line: int

    @property
    def valid(self) -> bool:
        """True when the phone keeps this rule."""
        return not self.problems

    @property
    def line_number(self) -> int:
        """The older name of :attr:`phone_line`."""
        return self.phone_line

    @property
    def is_catch_all(self) -> bool:
        """True for a rule made only of wildcards (``*``, ``.``, ``,``), such as ``*``."""
        return bool(self.match) and set(self.match) <= {"*", ".", ","}

    def __str__(self) -> str:
        extra = "".join(f" {name}={value!r}" for name, value in self.attributes)
        return f"TEMPLATE{extra}"


@attrs.frozen
class DialDecision:
    """What the phone does with the digits dialled so far.

    ``action``: ``"dial"`` (after ``timeout`` seconds; 0 = at once), ``"wait"`` (a rule may still
    match: collect more digits for up to ``timeout`` seconds), ``"tone"`` (as wait, with a
    secondary dial tone, ``tone``), ``"none"`` (no rule can match). ``template`` is the rule that
    decided; ``dial_string`` is what is sent (after Rewrite and User) when dialling.
    """

    action: Action
    template: Template | None
    timeout: int | None
    dial_string: str | None
    tone: str | None = None
    digits: str = ""
    kind: str | None = None

    def describe(self) -> str:
        """One line a person reads: ``911: dial '911' at once (rule 3, MATCH="911", exact)``."""
        rule = ""
        if self.template is not None:
            rule = f'rule {self.template.index + 1}, MATCH="{self.template.match}"'
            if self.kind:
                rule += f", {self.kind}"
        shown = self.digits or "(nothing dialled)"
        if self.action == "dial":
            when = "at once" if not self.timeout else f"after {self.timeout} s without a digit"
            return f"{shown}: dial {self.dial_string!r} {when} ({rule or 'no rule'})"
        if self.action == "wait":
            return f"{shown}: wait for more digits ({self.timeout} s; {rule} may still match)"
        if self.action == "tone":
            return f"{shown}: play secondary dial tone {self.tone or 'default'} ({rule})"
        return f"{shown}: no rule matches"


def _rewrite(template: Template, digits: str, groups: tuple[tuple[int, int], ...]) -> str:
    rule = template.rewrite
    if not rule:
        out = digits
    else:
        parts: list[str] = []
        group, left = -1, 0
        k = 0
        while k < len(rule):
            ch = rule[k]
            if ch == ".":
                # Each dot reuses the next captured character, group after group.
                while left == 0 and group < len(groups) - 1:
                    group += 1
                    left = groups[group][1]
                if left > 0:
                    start, size = groups[group]
                    parts.append(digits[start + size - left : start + size - left + 1])
                    left -= 1
            elif ch == "%":
                k += 1
                nxt = rule[k] if k < len(rule) else ""
                idx = ord(nxt) - ord("1") if nxt else -1
                if nxt in ("s", "0"):
                    parts.append(digits)
                elif 0 <= idx < len(groups):
                    start, size = groups[idx]
                    parts.append(digits[start : start + size])
                elif nxt:
                    parts.append(nxt)
            else:
                parts.append(ch)
            k += 1
        out = "".join(parts)
    if template.user is not None:
        suffix = ";user=" + template.user.lower()
        out = out[:-1] + suffix + ">" if out.endswith(">") else out + suffix
    return out


def _read_template(element: Element, index: int, line: int) -> Template:
    values: dict[str, str] = {}
    tones: list[str] = []
    problems: list[Diagnostic] = []

    def drop(code: str, problem: str) -> None:
        problems.append(
            Diagnostic(code, "error", f"{problem}: the phone drops this TEMPLATE", line=line)
        )

    for attr in element.attributes:
        key = attr.name.lower()
        if key not in _SPELLING:
            drop("DPL003", f"unknown attribute {attr.name!r}")
            continue
        if key == "tone":
            if len(tones) >= MAX_TONES:
                drop("DPL007", "more than 3 tones")
            elif attr.value and attr.value.lower() not in _TONES_LOWER:
                drop("DPL007", f"unknown tone {attr.value!r}")
            else:
                tones.append(_TONES_LOWER.get(attr.value.lower(), ""))
            continue
        values[key] = attr.value
    timeout = DEFAULT_TIMEOUT
    if "timeout" in values:
        m = _STRTOL.match(values["timeout"])
        if m is None or int(m.group(1)) < 0:
            drop("DPL004", f"Timeout {values['timeout']!r} is not a whole number of seconds ≥ 0")
        else:
            timeout = int(m.group(1))
    phone_line = 0
    if "line" in values:
        m = _STRTOL.match(values["line"])
        if m is None or not 0 <= int(m.group(1)) <= 255:
            drop("DPL009", f"Line {values['line']!r} is not a line number 0-255")
        else:
            phone_line = int(m.group(1))
    user = values.get("user")
    if user is not None and user.lower() not in ("phone", "ip"):
        drop("DPL005", f"User {user!r} is not Phone or IP")
        user = None
    route = values.get("route", "Default")
    if route.lower() not in ("default", "emergency", "fqdn"):
        drop("DPL006", f"Route {route!r} is not Default, Emergency or FQDN")
    return Template(
        index=index,
        match=values.get("match", ""),
        timeout=timeout,
        user=None if user is None else ("Phone" if user.lower() == "phone" else "IP"),
        rewrite=values.get("rewrite", ""),
        route=route,
        tones=tuple(tones),
        phone_line=phone_line,
        attributes=tuple((a.name, a.value) for a in element.attributes),
        problems=tuple(problems),
        line=line,
    )


class DialPlan(XmlDocument):
    """A dial plan: the ``TEMPLATE`` rules of a ``DIALTEMPLATE`` document, in order."""

    __slots__ = ("_templates",)

    def __init__(self, xml: XmlText) -> None:
        super().__init__(xml)
        self._templates: tuple[Template, ...] | None = None

    def _replace(self, text: str) -> None:
        super()._replace(text)
        self._templates = None

    @property
    def is_dial_template(self) -> bool:
        """True when the root is ``DIALTEMPLATE`` (in any case), the only root the phone reads."""
        return self.root_name.upper() == "DIALTEMPLATE"

    def _template_elements(self) -> Iterator[Element]:
        if not self.is_dial_template:
            return
        for element in self.root.iter():
            if element.name == "TEMPLATE":
                yield element

    @property
    def templates(self) -> tuple[Template, ...]:
        """Every ``TEMPLATE`` rule in document order, including those the phone drops."""
        if self._templates is None:
            self._templates = tuple(
                _read_template(element, i, self._line(element))
                for i, element in enumerate(self._template_elements())
            )
        return self._templates

    @property
    def version_stamp(self) -> str | None:
        """``versionStamp`` as the phone keeps it (surrounding ``{}`` removed), or ``None``."""
        for element in self.root.children:
            if element.name.lower() == "versionstamp":
                value = element.text
                if len(value) > 2 and value.startswith("{") and value.endswith("}"):
                    return value[1:-1]
                return value
        return None

    @overload
    def match(
        self, digits: str, *, phone_line: int = 1, pound_dials_now: bool = False
    ) -> DialDecision: ...

    @overload
    def match(
        self, digits: str, *, line: int, pound_dials_now: bool = False
    ) -> DialDecision: ...  # the older spelling of phone_line

    @older_spelling(renamed={"line": "phone_line"})
    def match(
        self, digits: str, *, phone_line: int = 1, pound_dials_now: bool = False
    ) -> DialDecision:
        """What the phone does after ``digits`` were dialled on phone line ``phone_line`` (see
        spec §5.3).

        ``pound_dials_now``: the stack's non-CallManager mode, in which ``#`` means "dial now";
        in CallManager mode (the default here) ``#`` is an ordinary dialled character.
        ``line=`` is the older spelling of ``phone_line=`` and still works.
        """
        return _decide(
            [t for t in self.templates if t.valid and t.phone_line in (0, phone_line)],
            digits,
            pound_dials_now,
        )

    # -- edits ----------------------------------------------------------------------------------

    def _spelling(self, key: str) -> str:
        for template in self.templates:
            for name, _ in template.attributes:
                if name.lower() == key:
                    return name
        return _SPELLING[key]

    def append(self, match: str, **attributes: str | int) -> None:
        """Add a rule at the end: ``plan.append("911", timeout=0, route="Emergency")``.

        Attribute names are spelled the way the file already spells them.
        """
        parts = [f'{self._spelling("match")}="{escape_attribute(match, chr(34))}"']
        for key, value in attributes.items():
            if key.lower() not in _SPELLING or key.lower() == "match":
                raise ValidationError(f"not a TEMPLATE attribute: {key!r}")
            parts.append(f'{self._spelling(key.lower())}="{escape_attribute(str(value), chr(34))}"')
        self._add_markup(self.root, "<TEMPLATE " + " ".join(parts) + "/>")

    def set_attribute(self, index: int, name: str, value: str | int) -> None:
        """Set an attribute of rule ``index``, keeping the name's spelling if it is there."""
        element = list(self._template_elements())[index]
        for attr in element.attributes:
            if attr.name.lower() == name.lower():
                self._set_attribute(element, attr.name, str(value))
                return
        self._set_attribute(element, self._spelling(name.lower()), str(value))

    def remove_template(self, index: int) -> None:
        """Remove rule ``index`` (with its line)."""
        self._remove_element(list(self._template_elements())[index])

    def __repr__(self) -> str:
        return f"<DialPlan {len(self.templates)} templates>"


def _decide(templates: Iterable[Template], digits: str, pound: bool) -> DialDecision:
    rules = list(templates)
    if not rules:
        if "#" in digits and pound:
            return DialDecision("dial", None, 0, digits, digits=digits)
        return DialDecision("none", None, None, None, digits=digits)
    walks = [scan(t.match, digits, pound) for t in rules]
    outcome = choose(
        [scanned for scanned, _ in walks],
        pound=pound,
        pound_dialled="#" in digits,
        ends_with_pound=digits.endswith("#"),
    )
    rule = None if outcome.rule is None else rules[outcome.rule]
    if outcome.action == "tone":
        tone = None
        if rule is not None and outcome.tone_index < len(rule.tones):
            tone = rule.tones[outcome.tone_index] or None
        return DialDecision("tone", rule, DEFAULT_TIMEOUT, None, tone=tone, digits=digits)
    if outcome.action == "dial":
        timeout = 0 if outcome.kind == _IMMEDIATE or rule is None else rule.timeout
        dial_string = digits
        if outcome.rewrite_rule is not None:
            dial_string = _rewrite(
                rules[outcome.rewrite_rule], digits, walks[outcome.rewrite_rule][1]
            )
        return DialDecision(
            "dial", rule, timeout, dial_string, digits=digits, kind=_KIND_NAMES.get(outcome.kind)
        )
    if outcome.action == "wait":
        return DialDecision("wait", rule, DEFAULT_TIMEOUT, None, digits=digits)
    return DialDecision("none", None, None, None, digits=digits)


def loads(text: str | bytes, *, source: str | None = None) -> DialPlan:
    """Read a dial plan from its text or bytes (hardened XML; see :mod:`ciscocfg._xml`).

    A well-formed file whose root is not ``DIALTEMPLATE`` loads (and round-trips) with no
    rules; :func:`validate` reports it.
    """
    return DialPlan(parse(text, source=source))


def load(source: PathOrFile) -> DialPlan:
    """Read a dial plan from a path or a binary file."""
    data, name = read_source(source)
    return loads(data, source=name)


def dumps(plan: DialPlan) -> str:
    """The plan's text (see :meth:`DialPlan.dumps`)."""
    return plan.dumps()


def dump(plan: DialPlan, target: PathOrFile) -> None:
    """Write the plan's bytes to a path or a binary file.

    A path is replaced whole or not at all (a temporary file renamed over it).
    """
    write_target(target, encode_text(plan.dumps()))


def kpml_fallback() -> DialPlan:
    """The one-rule plan the stack uses for KPML digit collection: any one digit, dial now."""
    return loads('<DIALTEMPLATE><TEMPLATE MATCH="." Timeout="0" User="Phone"/></DIALTEMPLATE>')


# -- validation -----------------------------------------------------------------------------------

# Work (in rule steps: one rule reading one dialled character) the search for rules that can
# never win may do per character of the plan's patterns; past it, what is not settled is
# reported as unknown (DPL106). Real plans need a tenth of it.
_SEARCH_WORK_PER_CHARACTER = 200
_MIN_SEARCH_WORK = 200_000


def validate(
    plan: DialPlan, *, source: str | None = None, emergency: Iterable[str] = EMERGENCY_NUMBERS
) -> list[Diagnostic]:
    """Lint a dial plan; findings are returned, never raised (codes ``DPLnnn``).

    ``source`` is the file name the findings carry (by default the name ``plan`` was read
    from); ``emergency`` the numbers a catch-all must not cut short (``DPL104``).

    Whether a rule can ever win is worked out with the matcher :meth:`DialPlan.match` uses,
    over every string a caller can dial, on every line and in both ``#`` modes.
    """
    found = Findings(source if source is not None else plan.source)
    size = encoded_size(plan.dumps())
    if size > MAX_FILE_SIZE:
        found.add(
            "DPL010", "error", f"file is {size} bytes; the phone reads at most {MAX_FILE_SIZE}", 1
        )
    if not plan.is_dial_template:
        found.add(
            "DPL001",
            "error",
            f"root element <{plan.root_name}> is not <DIALTEMPLATE>; the phone finds no rules",
            plan._line(plan.root),
        )
        return found.result()
    for element in plan.root.iter():
        if element.name != "TEMPLATE" and element.name.upper() == "TEMPLATE":
            found.add(
                "DPL002",
                "warning",
                f"<{element.name}> is ignored: the phone only reads <TEMPLATE> in upper case",
                plan._line(element),
                suggestion="TEMPLATE",
            )
    stamp = plan.version_stamp
    if stamp is not None and not 2 < len(stamp) <= 64:
        found.add(
            "DPL011", "warning", "versionStamp must be 3 to 64 characters; the phone rejects it", 1
        )
    templates = plan.templates
    # A provisioning template's placeholders are filled in before a phone sees the plan: what
    # they stand for is not judged, and one TPL001 says so.
    templated_lines: set[int] = set()
    for t in templates:
        held = {name.lower() for name, value in t.attributes if found.placeholder(value, t.line)}
        if held:
            templated_lines.add(t.line)
        _check_template(t, found, held)
    relations = len(found.items)
    _check_reachability(plan, found)
    _check_emergency(plan, tuple(emergency), found)
    found.items[relations:] = [d for d in found.items[relations:] if d.line not in templated_lines]
    return found.result()


def lint(
    plan: DialPlan, *, source: str | None = None, emergency: Iterable[str] = EMERGENCY_NUMBERS
) -> list[Diagnostic]:
    """Another name for :func:`validate`."""
    return validate(plan, source=source, emergency=emergency)


# The attribute each problem is about (lower case), for a placeholder that stands in it.
_PROBLEM_ATTRIBUTES = {
    "DPL004": "timeout",
    "DPL005": "user",
    "DPL006": "route",
    "DPL007": "tone",
    "DPL009": "line",
}


def _check_template(t: Template, found: Findings, held: set[str]) -> None:
    """The checks of one rule; ``held`` names its attributes that hold a placeholder."""
    # Why the phone drops the rule was found, with its code, when the rule was read; a problem
    # with an attribute a placeholder stands in is not judged.
    found.items.extend(
        attrs.evolve(problem, source=found.source)
        for problem in t.problems
        if _PROBLEM_ATTRIBUTES.get(problem.code) not in held
    )
    for name, value in (("MATCH", t.match), ("Rewrite", t.rewrite)):
        if name.lower() in held:
            continue
        if len(value) > MAX_PATTERN:
            found.add("DPL008", "error", f"{name} is longer than {MAX_PATTERN} characters", t.line)
        elif len(value) > MAX_TOKEN:
            found.add(
                "DPL008",
                "warning",
                f"{name} is longer than {MAX_TOKEN} characters and is probably cut by the phone",
                t.line,
            )
    if "match" in held:
        return
    if _CUCM_SYNTAX.search(t.match):
        effect = "reads literally"
        if not completable(t.match):
            effect += ": the rule never matches a dialled number"
        found.add(
            "DPL101",
            "warning",
            f"MATCH {t.match!r} uses CallManager route-pattern syntax (X, [..], !), which this "
            f"phone {effect}",
            t.line,
            suggestion=_CUCM_SYNTAX.sub(".", re.sub(r"\[[^\]]*\]", ".", t.match)).replace("!", "*"),
        )
    if t.tones and "," not in t.match:
        found.add("DPL012", "info", "Tone is given but MATCH has no ',' to play it at", t.line)


def _line_groups(rules: list[Template]) -> list[tuple[int, list[int]]]:
    """Each line the phone may use that the rules tell apart, with its rules (by position).

    A line no rule names gets the rules for all lines; each line a ``Line`` names, those and its
    own. The line numbers are what :meth:`DialPlan.match` takes.
    """
    named = sorted({t.phone_line for t in rules} - {0})
    groups: list[tuple[int, list[int]]] = []
    unnamed = next((n for n in range(1, 256) if n not in named), None)
    if unnamed is not None:
        groups.append((unnamed, [k for k, t in enumerate(rules) if t.phone_line == 0]))
    groups.extend((n, [k for k, t in enumerate(rules) if t.phone_line in (0, n)]) for n in named)
    return groups


def _reach(plan: DialPlan) -> tuple[list[Template], Reach]:
    """The plan's usable rules, and which of them win for which dialled strings."""
    rules = [t for t in plan.templates if t.valid]
    budget = max(
        _MIN_SEARCH_WORK, _SEARCH_WORK_PER_CHARACTER * sum(len(t.match) + 1 for t in rules)
    )
    return rules, search([t.match for t in rules], _line_groups(rules), budget)


def _rule_name(t: Template) -> str:
    return f'rule {t.index + 1} (MATCH="{t.match}", line {t.line})'


def _check_reachability(plan: DialPlan, found: Findings) -> None:
    rules, reach = _reach(plan)
    seen: dict[tuple[str, int], Template] = {}
    undecided: list[Template] = []
    for k, t in enumerate(rules):
        in_callmanager_mode = (k, False) in reach.wins
        in_pound_mode = (k, True) in reach.wins
        first = seen.setdefault((t.match, t.phone_line), t)
        if in_callmanager_mode and in_pound_mode:
            continue
        if first is not t and not (in_callmanager_mode or in_pound_mode):
            # Two rules that walk alike: the later one never beats the earlier (so the search
            # finds it winning nowhere, and it need not finish to know).
            found.add(
                "DPL102",
                "warning",
                f"MATCH {t.match!r} repeats rule {first.index + 1} (line {first.line}); "
                "this one never wins",
                t.line,
            )
            continue
        if k in reach.undecided:
            if not (in_callmanager_mode or in_pound_mode):
                undecided.append(t)
            continue
        if in_callmanager_mode or in_pound_mode:
            witness = reach.wins[(k, in_pound_mode)][1]
            if in_pound_mode:
                where = "where '#' means dial now (the stack's mode without CallManager)"
                never = "where '#' is an ordinary digit"
            else:
                where = "where '#' is an ordinary digit (CallManager mode)"
                never = "where '#' means dial now"
            found.add(
                "DPL105",
                "info",
                f"MATCH {t.match!r} wins only {where}, e.g. on {witness!r}, and never {never}; "
                "which mode the phone is in is unknown",
                t.line,
            )
            continue
        if not completable(t.match):
            if _CUCM_SYNTAX.search(t.match):
                continue  # DPL101 says it never matches
            why = "no dialled number completes it"
        elif k in reach.taken:
            action, other, digits = reach.taken[k]
            why = {
                "dial": f"a number it matches, such as {digits!r}, goes to",
                "wait": f"on a number it matches, such as {digits!r}, the phone waits for",
                "tone": f"on a number it matches, such as {digits!r}, the phone plays the tone of",
            }[action] + f" {_rule_name(rules[other])}"
        else:
            why = "the phone never dials by it"
        found.add("DPL103", "warning", f"MATCH {t.match!r} can never win: {why}", t.line)
    if undecided:
        names = ", ".join(repr(t.match) for t in undecided[:5])
        more = f" and {len(undecided) - 5} more" if len(undecided) > 5 else ""
        found.add(
            "DPL106",
            "info",
            f"whether {len(undecided)} rule{'s' if len(undecided) > 1 else ''} can ever win is "
            "unknown: their patterns combine "
            f"in more ways than the check follows ({reach.work} steps): {names}{more}",
            undecided[0].line,
        )


def _check_emergency(plan: DialPlan, numbers: tuple[str, ...], found: Findings) -> None:
    swallowed: dict[int, tuple[Template, list[str]]] = {}
    lines = [line for line, _ in _line_groups([t for t in plan.templates if t.valid])] or [1]
    for number in numbers:
        for line in lines:
            for cut in range(1, len(number)):
                decision = plan.match(number[:cut], phone_line=line)
                t = decision.template
                if decision.action == "dial" and decision.timeout == 0 and t and t.is_catch_all:
                    where = swallowed.setdefault(t.index, (t, []))[1]
                    text = f"{number} (at {number[:cut]!r})"
                    if text not in where:
                        where.append(text)
                    break
    for t, where in swallowed.values():
        found.add(
            "DPL104",
            "error",
            f"catch-all MATCH {t.match!r} dials at once before an emergency number is complete: "
            + ", ".join(where),
            t.line,
        )

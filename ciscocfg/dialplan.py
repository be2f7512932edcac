"""``dialplan.xml``: the dial template the SIP phones use to decide when a number is complete.

:func:`loads` keeps the text it was given (:meth:`DialPlan.dumps` returns it unchanged until an
edit); attribute names are read case-insensitively (``MATCH``/``match``, ``Timeout``/``TIMEOUT``)
and edits keep the spelling the file already uses.

:meth:`DialPlan.match` simulates the phone's matcher (the algorithm of the Cisco-derived SIP
stack): for the digits dialled so far it says whether the phone dials now or after a timeout,
keeps waiting for digits, plays a secondary dial tone, or finds no rule. :func:`validate`
reports what the phone rejects (a template with an unknown attribute is dropped), patterns
written in CallManager syntax that never match, rules that can never win, and catch-alls that
dial before an emergency number is complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Literal, NamedTuple

import attrs

from ciscocfg._diagnostic import Diagnostic, Severity
from ciscocfg._placeholders import Placeholders, has_placeholder
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
MAX_GROUPS = 5
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

# Match classes, weakest first; the numbers order them as the phone does.
_NOMATCH, _GIVETONE, _WILD, _PATTERN, _EXACT, _IMMEDIATE = range(6)
_KIND_NAMES = {_WILD: "wildcard match", _PATTERN: "pattern match", _EXACT: "exact match"}


@attrs.frozen
class Template:
    """One ``TEMPLATE`` rule, read the way the phone reads it.

    ``problems`` lists why the phone would drop the rule (unknown attribute, bad Timeout ...);
    a rule with problems takes no part in :meth:`DialPlan.match`.
    """

    index: int
    match: str
    timeout: int
    user: str | None
    rewrite: str
    route: str
    tones: tuple[str, ...]
    line_number: int
    #: Every attribute as written: (name, value) in document order.
    attributes: tuple[tuple[str, str], ...]
    problems: tuple[str, ...]
    line: int

    @property
    def valid(self) -> bool:
        """True when the phone keeps this rule."""
        return not self.problems

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


class _Scan(NamedTuple):
    """How far one pattern got against the digits (a tuple: built once per rule per decision)."""

    literals: int
    kind: int
    pattern_done: bool
    input_done: bool
    at_comma: bool
    groups: tuple[tuple[int, int], ...]
    dial_now: bool
    commas: int


def _is_dialed(ch: str, pound_dials_now: bool) -> bool:
    return ch.isdigit() or ch in "*+" or (ch == "#" and not pound_dials_now)


def _scan(pattern: str, digits: str, pound: bool) -> _Scan:
    """Walk one MATCH pattern against the digits, as the phone does."""
    p = i = 0
    n, m = len(digits), len(pattern)
    literals = 0
    kind = _EXACT
    groups: list[list[int]] = []
    dial_now = False
    commas = 0
    while i < n:
        if p < m and pattern[p] == ",":
            commas += 1
            while p < m and pattern[p] == ",":
                p += 1
        c = pattern[p] if p < m else ""
        if (c == "." and _is_dialed(digits[i], pound)) or c == "*":
            if len(groups) < MAX_GROUPS:
                groups.append([i, 1])
            if c == ".":
                kind = _PATTERN
                # A run of dots is one capture group.
                while i + 1 < n and digits[i + 1].isdigit() and p + 1 < m and pattern[p + 1] == ".":
                    i += 1
                    p += 1
                    groups[-1][1] += 1
            else:
                kind = _WILD
                # "*" takes characters up to the one that follows it in the pattern.
                k = p + 2 if p + 1 < m and pattern[p + 1] == "\\" else p + 1
                stop = pattern[k] if k < m else ""
                if digits[i] == "#" and pound:
                    dial_now = True
                else:
                    while i + 1 < n and digits[i + 1] != stop:
                        if digits[i + 1] == "#" and pound:
                            break
                        i += 1
                        groups[-1][1] += 1
        else:
            if c == "\\" and p + 1 < m:
                p += 1
                c = pattern[p]
            if c != digits[i]:
                if digits[i] == "#" and pound:
                    dial_now = True
                    break
                literals, kind = -1, _NOMATCH
                break
            literals += 1
        p += 1
        i += 1
    return _Scan(
        literals=literals,
        kind=kind,
        pattern_done=p >= m,
        input_done=i >= n or dial_now,
        at_comma=p < m and pattern[p] == ",",
        groups=tuple([(a, b) for a, b in groups]),
        dial_now=dial_now,
        commas=commas,
    )


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
    problems: list[str] = []
    for attr in element.attributes:
        key = attr.name.lower()
        if key not in _SPELLING:
            problems.append(f"unknown attribute {attr.name!r}")
            continue
        if key == "tone":
            if len(tones) >= MAX_TONES:
                problems.append("more than 3 tones")
            elif attr.value and attr.value.lower() not in _TONES_LOWER:
                problems.append(f"unknown tone {attr.value!r}")
            else:
                tones.append(_TONES_LOWER.get(attr.value.lower(), ""))
            continue
        values[key] = attr.value
    timeout = DEFAULT_TIMEOUT
    if "timeout" in values:
        m = _STRTOL.match(values["timeout"])
        if m is None or int(m.group(1)) < 0:
            problems.append(f"Timeout {values['timeout']!r} is not a whole number of seconds ≥ 0")
        else:
            timeout = int(m.group(1))
    line_number = 0
    if "line" in values:
        m = _STRTOL.match(values["line"])
        if m is None or not 0 <= int(m.group(1)) <= 255:
            problems.append(f"Line {values['line']!r} is not a line number 0-255")
        else:
            line_number = int(m.group(1))
    user = values.get("user")
    if user is not None and user.lower() not in ("phone", "ip"):
        problems.append(f"User {user!r} is not Phone or IP")
        user = None
    route = values.get("route", "Default")
    if route.lower() not in ("default", "emergency", "fqdn"):
        problems.append(f"Route {route!r} is not Default, Emergency or FQDN")
    return Template(
        index=index,
        match=values.get("match", ""),
        timeout=timeout,
        user=None if user is None else ("Phone" if user.lower() == "phone" else "IP"),
        rewrite=values.get("rewrite", ""),
        route=route,
        tones=tuple(tones),
        line_number=line_number,
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

    def match(self, digits: str, *, line: int = 1, pound_dials_now: bool = False) -> DialDecision:
        """What the phone does after ``digits`` were dialled on ``line`` (see spec §5.3).

        ``pound_dials_now``: the stack's non-CallManager mode, in which ``#`` means "dial now";
        in CallManager mode (the default here) ``#`` is an ordinary dialled character.
        """
        return _decide(
            [t for t in self.templates if t.valid and t.line_number in (0, line)],
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
                raise ValueError(f"not a TEMPLATE attribute: {key!r}")
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
    result = _NOMATCH
    best: Template | None = None
    best_dial_now = False
    best_commas = 0
    partial = False
    partial_kind = _NOMATCH
    partial_len = 0
    match_len = 0
    give_tone = False
    # The rule whose pattern stands at a ',' (the phone plays that rule's Tone there).
    tone_rule: tuple[Template, int] | None = None
    dial_string = digits
    any_template = False
    for template in templates:
        any_template = True
        scan = _scan(template.match, digits, pound)
        # A rule such as `*` can be partial and full at once; it must not be weighed against its
        # own partial candidacy, so the full test below looks at the other rules' state.
        beats_partial = (
            not partial
            or scan.literals > partial_len
            or (scan.literals == partial_len and scan.kind > partial_kind)
        )
        others_partial = partial
        if scan.input_done and (
            scan.literals > partial_len
            or (scan.literals == partial_len and scan.kind > partial_kind)
        ):
            # Still a candidate: a longer literal prefix than any seen so far.
            partial_kind, partial_len = scan.kind, scan.literals
            best, partial, best_dial_now, best_commas = template, True, scan.dial_now, scan.commas
            result = _NOMATCH
        if scan.pattern_done:
            # A full candidate must beat every candidate seen so far, full or partial: a longer
            # literal prefix, or the same length in a stronger class. A catch-all that used `*`
            # is only taken while no other rule is still partially matching (spec §5.3).
            if (
                scan.literals > match_len
                or (scan.literals == match_len and scan.kind > result and beats_partial)
                or (scan.kind == _WILD and result == _NOMATCH and not others_partial)
            ):
                best, best_dial_now = template, scan.dial_now
                match_len, result = scan.literals, scan.kind
                dial_string = _rewrite(template, digits, scan.groups)
        elif scan.at_comma:
            give_tone = True
            if tone_rule is None:
                tone_rule = (template, scan.commas)
        match_len = max(match_len, scan.literals)
    if not any_template:
        if "#" in digits and pound:
            return DialDecision("dial", None, 0, digits, digits=digits)
        return DialDecision("none", None, None, None, digits=digits)
    timeout: int | None = None
    if result in (_PATTERN, _EXACT):
        give_tone = False
    if result in (_WILD, _PATTERN, _EXACT):
        assert best is not None
        timeout = best.timeout
    elif partial:
        timeout = DEFAULT_TIMEOUT
    elif digits.endswith("#") and pound:
        result, timeout = _IMMEDIATE, 0
    if best_dial_now and not (pound and "#" in digits and partial):
        result, timeout = _IMMEDIATE, 0
    kind = _KIND_NAMES.get(result)
    if give_tone:
        rule, commas = tone_rule if tone_rule is not None else (best, best_commas)
        tone = None
        if rule is not None and commas < len(rule.tones):
            tone = rule.tones[commas] or None
        return DialDecision("tone", rule, DEFAULT_TIMEOUT, None, tone=tone, digits=digits)
    if result in (_WILD, _PATTERN, _EXACT, _IMMEDIATE):
        return DialDecision("dial", best, timeout, dial_string, digits=digits, kind=kind)
    if partial:
        return DialDecision("wait", best, DEFAULT_TIMEOUT, None, digits=digits)
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


def _samples(pattern: str) -> list[str]:
    """A few digit strings that fully match ``pattern`` (wildcards filled in several ways)."""
    out = []
    for fill in "0159":
        parts: list[str] = []
        k = 0
        while k < len(pattern):
            ch = pattern[k]
            if ch == "\\" and k + 1 < len(pattern):
                k += 1
                parts.append(pattern[k])
            elif ch == ".":
                parts.append(fill)
            elif ch == "*":
                nxt = pattern[k + 1] if k + 1 < len(pattern) else ""
                run = fill * 3 if fill != nxt else "7" * 3
                parts.append(run)
            elif ch != ",":
                parts.append(ch)
            k += 1
        out.append("".join(parts))
    return list(dict.fromkeys(out))


class _Findings:
    def __init__(self, plan: DialPlan) -> None:
        self.plan = plan
        self.items: list[Diagnostic] = []

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        line: int | None,
        suggestion: str | None = None,
    ) -> None:
        self.items.append(
            Diagnostic(
                code, severity, message, line=line, source=self.plan.source, suggestion=suggestion
            )
        )


def validate(plan: DialPlan, *, emergency: Iterable[str] = EMERGENCY_NUMBERS) -> list[Diagnostic]:
    """Lint a dial plan; findings are returned, never raised (codes ``DPLnnn``)."""
    found = _Findings(plan)
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
        return found.items
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
    placeholders = Placeholders()
    templated_lines: set[int] = set()
    for t in templates:
        held = {name.lower() for name, value in t.attributes if has_placeholder(value)}
        for name, value in t.attributes:
            if name.lower() in held:
                placeholders.add(t.line, value)
        if held:
            templated_lines.add(t.line)
        _check_template(t, found, held)
    relations = len(found.items)
    _check_duplicates_and_shadows(plan, found)
    _check_emergency(plan, tuple(emergency), found)
    found.items[relations:] = [d for d in found.items[relations:] if d.line not in templated_lines]
    template = placeholders.finding(plan.source)
    if template is not None:
        found.items.append(template)
    return sorted(found.items, key=Diagnostic.sort_key)


def lint(plan: DialPlan, *, emergency: Iterable[str] = EMERGENCY_NUMBERS) -> list[Diagnostic]:
    """Another name for :func:`validate`."""
    return validate(plan, emergency=emergency)


_PROBLEM_CODES = (
    ("unknown attribute", "DPL003"),
    ("Timeout", "DPL004"),
    ("User", "DPL005"),
    ("Route", "DPL006"),
    ("tone", "DPL007"),
    ("Line", "DPL009"),
)
# The attribute each problem is about (lower case), for a placeholder that stands in it.
_PROBLEM_ATTRIBUTES = {
    "DPL004": "timeout",
    "DPL005": "user",
    "DPL006": "route",
    "DPL007": "tone",
    "DPL009": "line",
}


def _check_template(t: Template, found: _Findings, held: set[str]) -> None:
    """The checks of one rule; ``held`` names its attributes that hold a placeholder."""
    for problem in t.problems:
        code = next(c for key, c in _PROBLEM_CODES if key in problem)
        if _PROBLEM_ATTRIBUTES.get(code) in held:
            continue
        found.add(code, "error", f"{problem}: the phone drops this TEMPLATE", t.line)
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
        found.add(
            "DPL101",
            "warning",
            f"MATCH {t.match!r} uses CallManager route-pattern syntax (X, [..], !), which this "
            "phone reads literally: the rule never matches a dialled number",
            t.line,
            suggestion=_CUCM_SYNTAX.sub(".", re.sub(r"\[[^\]]*\]", ".", t.match)).replace("!", "*"),
        )
    if t.tones and "," not in t.match:
        found.add("DPL012", "info", "Tone is given but MATCH has no ',' to play it at", t.line)


def _check_duplicates_and_shadows(plan: DialPlan, found: _Findings) -> None:
    seen: dict[tuple[str, int], Template] = {}
    usable = [t for t in plan.templates if t.valid]
    for t in usable:
        key = (t.match, t.line_number)
        if key in seen:
            found.add(
                "DPL102",
                "warning",
                f"MATCH {t.match!r} repeats rule {seen[key].index + 1} (line {seen[key].line}); "
                "this one never wins",
                t.line,
            )
            continue
        seen[key] = t
        if _CUCM_SYNTAX.search(t.match) or t.is_catch_all:
            # A catch-all is meant to take what the other rules leave; samples cannot judge it.
            continue
        winners: dict[int, Template] = {}
        won = False
        line = t.line_number or 1
        for sample in _samples(t.match):
            decision = _decide(
                [u for u in usable if u.line_number in (0, line)], sample, pound=False
            )
            if decision.template is t:
                won = True
                break
            if decision.template is not None and decision.action == "dial":
                winners[decision.template.index] = decision.template
        if not won and winners:
            other = next(iter(winners.values()))
            found.add(
                "DPL103",
                "warning",
                f"MATCH {t.match!r} can never win: numbers it matches go to rule "
                f'{other.index + 1} (MATCH="{other.match}", line {other.line})',
                t.line,
            )


def _check_emergency(plan: DialPlan, numbers: tuple[str, ...], found: _Findings) -> None:
    swallowed: dict[int, tuple[Template, list[str]]] = {}
    for number in numbers:
        for cut in range(1, len(number)):
            decision = plan.match(number[:cut])
            t = decision.template
            if decision.action == "dial" and decision.timeout == 0 and t and t.is_catch_all:
                swallowed.setdefault(t.index, (t, []))[1].append(f"{number} (at {number[:cut]!r})")
                break
    for t, where in swallowed.values():
        found.add(
            "DPL104",
            "error",
            f"catch-all MATCH {t.match!r} dials at once before an emergency number is complete: "
            + ", ".join(where),
            t.line,
        )

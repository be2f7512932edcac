"""The phone's dial-plan matcher, one dialled character at a time.

A MATCH pattern is walked against the digits by a small automaton: :func:`step` reads one
character and says where the walk stands (a :class:`Cursor`) and what happened to the capture
groups; :func:`finish` says what that position means to the rule (:class:`Scan`); :func:`choose`
weighs the scans of every rule of a line the way the phone does and says what it does (spec
§5.3). :meth:`ciscocfg.dialplan.DialPlan.match` is these three in a row; the lint's search for
rules that can never win walks the same automata over every dialled string at once, so the two
cannot disagree.

The stepping follows the stack's matcher: a run of dots is one capture group (a following digit
joins it, a ``*`` or ``+`` starts a new one); ``*`` takes characters up to the one that follows
it in the pattern; ``,`` is skipped (counted, for the tone) when the next character is read; a
``#`` that means "dial now" stops the walk.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

# Match classes, weakest first; the numbers order them as the phone does.
NOMATCH, GIVETONE, WILD, PATTERN, EXACT, IMMEDIATE = range(6)
KIND_NAMES = {WILD: "wildcard match", PATTERN: "pattern match", EXACT: "exact match"}
#: The first five wildcard groups are captured for Rewrite.
MAX_GROUPS = 5
#: Characters a caller can dial: the keypad, and ``+``, which ``.`` also matches.
DIALABLE = "0123456789*#+"

# What one step does to the capture groups.
NO_GROUP, NEW_GROUP, GROW_GROUP = range(3)


class Cursor(NamedTuple):
    """Where the walk of one pattern stands after the characters read so far."""

    p: int
    #: Literal pattern characters matched; -1 once the pattern has failed.
    literals: int
    kind: int
    #: Runs of ``,`` passed (the index of the tone to play at the next one).
    commas: int
    dial_now: bool
    #: Failed, or stopped at a ``#`` that dials now: later characters are not read.
    halted: bool
    #: Inside a ``*``: the character that ends it (``""``: none does); otherwise None.
    star_stop: str | None
    #: The last character went to a ``.``: a digit on the next ``.`` joins its group.
    dot_run: bool


START = Cursor(0, 0, EXACT, 0, False, False, None, False)


class Scan(NamedTuple):
    """What the walk so far means to the rule (built from a :class:`Cursor` by :func:`finish`)."""

    literals: int
    kind: int
    pattern_done: bool
    input_done: bool
    at_comma: bool
    dial_now: bool
    commas: int


def is_dialled(ch: str, pound_dials_now: bool) -> bool:
    """True for a character that ``.`` matches."""
    return ch.isdigit() or ch in "*+" or (ch == "#" and not pound_dials_now)


def _reading_position(pattern: str, cur: Cursor) -> tuple[int, int, bool]:
    """Where the next character is read (``p``, ``commas``, ``dot_run``): past any ``,``."""
    p, commas, dot_run = cur.p, cur.commas, cur.dot_run
    if p < len(pattern) and pattern[p] == ",":
        commas += 1
        dot_run = False
        while p < len(pattern) and pattern[p] == ",":
            p += 1
    return p, commas, dot_run


def wanted(pattern: str, cur: Cursor) -> str:
    """The one character :func:`step` tells apart from every other dialled one but ``#``.

    Inside a ``*``, the character that ends it; at a literal, that literal (which may be one no
    caller can dial, such as ``X``). ``""`` where all dialled characters but ``#`` lead to the
    same place: at a ``.`` or ``*``, at the end of the pattern, after the walk stopped.
    """
    if cur.halted:
        return ""
    if cur.star_stop is not None:
        return cur.star_stop
    p = _reading_position(pattern, cur)[0]
    c = pattern[p] if p < len(pattern) else ""
    if c in ("*", "."):
        return ""
    if c == "\\" and p + 1 < len(pattern):
        c = pattern[p + 1]
    return c


def step(pattern: str, cur: Cursor, ch: str, pound: bool) -> tuple[Cursor, int]:
    """Read one dialled character ``ch``; the new position and what it does to the groups."""
    if cur.halted:
        return cur, NO_GROUP
    if cur.star_stop is not None and ch != cur.star_stop and not (ch == "#" and pound):
        return cur, GROW_GROUP  # the star takes it
    # A character that ends a star is read at the pattern position after the star.
    m = len(pattern)
    p, commas, dot_run = _reading_position(pattern, cur)
    c = pattern[p] if p < m else ""
    if c == "*":
        if ch == "#" and pound:
            return Cursor(p + 1, cur.literals, WILD, commas, True, False, None, False), NEW_GROUP
        k = p + 2 if p + 1 < m and pattern[p + 1] == "\\" else p + 1
        stop = pattern[k] if k < m else ""
        return (
            Cursor(p + 1, cur.literals, WILD, commas, cur.dial_now, False, stop, False),
            NEW_GROUP,
        )
    if c == "." and is_dialled(ch, pound):
        grouped = GROW_GROUP if dot_run and ch.isdigit() else NEW_GROUP
        return Cursor(
            p + 1, cur.literals, PATTERN, commas, cur.dial_now, False, None, True
        ), grouped
    if c == "\\" and p + 1 < m:
        p += 1
        c = pattern[p]
    if c == ch:
        return (
            Cursor(p + 1, cur.literals + 1, cur.kind, commas, cur.dial_now, False, None, False),
            NO_GROUP,
        )
    if ch == "#" and pound:
        return Cursor(p, cur.literals, cur.kind, commas, True, True, None, False), NO_GROUP
    return Cursor(p, -1, NOMATCH, commas, cur.dial_now, True, None, False), NO_GROUP


def finish(pattern: str, cur: Cursor) -> Scan:
    """What the rule makes of the characters read so far."""
    m = len(pattern)
    return Scan(
        literals=cur.literals,
        kind=cur.kind,
        pattern_done=cur.p >= m,
        # A failed walk stopped before the end of the input (unless `#` had said "dial now").
        input_done=cur.literals >= 0 or cur.dial_now,
        at_comma=cur.p < m and pattern[cur.p] == ",",
        dial_now=cur.dial_now,
        commas=cur.commas,
    )


def inert(scan: Scan) -> bool:
    """True for a failed rule that cannot change any decision (see :func:`choose`)."""
    # A failed walk is never a candidate; only a stop at a `,` (reached through `\,`) still
    # makes the phone play a tone.
    return scan.literals < 0 and not scan.at_comma


_OTHER_DIGIT, _OTHER_DIALLED, _OTHER = "<digit>", "<dialled>", "<other>"
_NEW_STATE = threading.Lock()


class Exits(NamedTuple):
    """Where a state leads on each dialable character (-1: the rule has failed for good).

    ``wanted`` is the one character, other than ``#``, that may lead elsewhere than all the rest
    (``""`` if none); ``on_pound`` is ``#`` as an ordinary character. Where ``#`` means "dial
    now" see :meth:`Automaton.on_pound_now`.
    """

    wanted: str
    on_wanted: int
    on_other: int
    on_pound: int


class Automaton:
    """One pattern's walk as numbered states, with the moves found so far kept.

    State 0 is the start. A character the pattern does not contain behaves like any other such
    character of its sort (digit, other dialled character, anything else), so moves are kept
    per sort, and ``pound`` only matters for ``#``.
    """

    __slots__ = (
        "_exits",
        "_ids",
        "_moves",
        "_pound_now",
        "_spelled",
        "cursors",
        "live",
        "pattern",
        "scans",
    )

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.cursors: list[Cursor] = [START]
        self.scans: list[Scan] = [finish(pattern, START)]
        #: Per state: False where the rule has failed for good (:func:`inert`).
        self.live: list[bool] = [True]
        self._ids: dict[Cursor, int] = {START: 0}
        self._moves: dict[tuple[int, str, bool], tuple[int, int]] = {}
        self._spelled = frozenset(pattern) | {"#"}
        self._exits: list[Exits | None] = [None]
        self._pound_now: list[int | None] = [None]

    def _sort(self, ch: str) -> str:
        if ch in self._spelled:
            return ch
        if ch.isdigit():
            return _OTHER_DIGIT
        return _OTHER_DIALLED if ch in "*+" else _OTHER

    def _intern(self, cursor: Cursor) -> int:
        target = self._ids.get(cursor)
        if target is None:
            # Automata are shared (see `automaton`): a new state is numbered and its lists grown
            # in one piece, so that threads matching at once cannot number two states alike.
            with _NEW_STATE:
                target = self._ids.get(cursor)
                if target is None:
                    target = len(self.cursors)
                    self.cursors.append(cursor)
                    self.scans.append(finish(self.pattern, cursor))
                    self.live.append(not inert(self.scans[-1]))
                    self._exits.append(None)
                    self._pound_now.append(None)
                    self._ids[cursor] = target
        return target

    def move(self, state: int, ch: str, pound: bool) -> tuple[int, int]:
        """The state after reading ``ch`` in ``state``, and what :func:`step` did to the groups."""
        key = (state, self._sort(ch), pound and ch == "#")
        found = self._moves.get(key)
        if found is None:
            cursor, grouped = step(self.pattern, self.cursors[state], ch, pound)
            found = self._moves[key] = (self._intern(cursor), grouped)
        return found

    def exits(self, state: int) -> Exits:
        """Where ``state`` leads on every dialable character, found with three steps.

        A search over dialled strings need only try each state's ``wanted`` character, ``#``,
        and one of the rest: :func:`wanted` is the only other character :func:`step` looks at.
        """
        found = self._exits[state]
        if found is None:
            cursor = self.cursors[state]
            if cursor.halted:
                # A stopped walk reads nothing more (the first thing `step` checks).
                same = state if self.live[state] else -1
                found = self._exits[state] = Exits("", same, same, same)
                return found
            ch = wanted(self.pattern, cursor)
            if ch == "#" or ch not in DIALABLE:
                ch = ""
            other = "1" if ch == "0" else "0"
            targets = [
                self._intern(step(self.pattern, cursor, c, False)[0])
                for c in (ch or other, other, "#")
            ]
            found = Exits(ch, *(t if self.live[t] else -1 for t in targets))
            self._exits[state] = found
        return found

    def on_pound_now(self, state: int) -> int:
        """Where ``state`` leads on a ``#`` that means "dial now" (-1: the rule has failed)."""
        found = self._pound_now[state]
        if found is None:
            target = self._intern(step(self.pattern, self.cursors[state], "#", True)[0])
            found = self._pound_now[state] = target if self.live[target] else -1
        return found


@lru_cache(maxsize=4096)
def automaton(pattern: str) -> Automaton:
    """The (shared) automaton of ``pattern``."""
    return Automaton(pattern)


def scan(pattern: str, digits: str, pound: bool) -> tuple[Scan, tuple[tuple[int, int], ...]]:
    """Walk ``pattern`` over ``digits``: the outcome and the capture groups (start, length)."""
    machine = automaton(pattern)
    state = 0
    groups: list[list[int]] = []
    cursors = machine.cursors
    for i, ch in enumerate(digits):
        state, grouped = machine.move(state, ch, pound)
        if grouped == NEW_GROUP:
            if len(groups) < MAX_GROUPS:
                groups.append([i, 1])
        elif grouped == GROW_GROUP:
            # Past the fifth group the stack keeps growing the last one it captured.
            groups[-1][1] += 1
        if cursors[state].halted:
            break
    return machine.scans[state], tuple((a, b) for a, b in groups)


class Outcome(NamedTuple):
    """What the phone does, naming rules by their position in the scans given to :func:`choose`.

    ``kind`` is the match class of a dial (``IMMEDIATE``: at once, whatever the rule's Timeout);
    ``tone_index`` the index of the tone to play; ``rewrite_rule`` the rule whose Rewrite makes
    the dial string (the last full match taken; None: the digits as dialled).
    """

    action: str
    rule: int | None
    kind: int
    tone_index: int = 0
    rewrite_rule: int | None = None


def choose(
    scans: Sequence[Scan], *, pound: bool, pound_dialled: bool, ends_with_pound: bool
) -> Outcome:
    """Weigh the scans of a line's rules, in the plan's order, as the phone does (spec §5.3).

    ``pound``: ``#`` means "dial now"; ``pound_dialled`` / ``ends_with_pound``: the digits hold /
    end with ``#``. Inert scans (see :func:`inert`) change nothing and may be left out.
    """
    result = NOMATCH
    best: int | None = None
    best_dial_now = False
    best_commas = 0
    partial = False
    partial_kind = NOMATCH
    partial_len = 0
    match_len = 0
    give_tone = False
    # The rule whose pattern stands at a ',' (the phone plays that rule's Tone there).
    tone_rule: tuple[int, int] | None = None
    rewrite_rule: int | None = None
    for index, scanned in enumerate(scans):
        literals, kind = scanned.literals, scanned.kind
        # A rule such as `*` can be partial and full at once; it must not be weighed against its
        # own partial candidacy, so the full test below looks at the other rules' state.
        beats_partial = (
            not partial
            or literals > partial_len
            or (literals == partial_len and kind > partial_kind)
        )
        others_partial = partial
        if scanned.input_done and (
            literals > partial_len or (literals == partial_len and kind > partial_kind)
        ):
            # Still a candidate: a longer literal prefix than any seen so far.
            partial_kind, partial_len = kind, literals
            best, partial, best_dial_now, best_commas = (
                index,
                True,
                scanned.dial_now,
                scanned.commas,
            )
            result = NOMATCH
        if scanned.pattern_done:
            # A full candidate must beat every candidate seen so far, full or partial: a longer
            # literal prefix, or the same length in a stronger class. A catch-all that used `*`
            # is only taken while no other rule is still partially matching (spec §5.3).
            if (
                literals > match_len
                or (literals == match_len and kind > result and beats_partial)
                or (kind == WILD and result == NOMATCH and not others_partial)
            ):
                best, best_dial_now = index, scanned.dial_now
                match_len, result = literals, kind
                rewrite_rule = index
        elif scanned.at_comma:
            give_tone = True
            if tone_rule is None:
                tone_rule = (index, scanned.commas)
        match_len = max(match_len, literals)
    if result in (PATTERN, EXACT):
        give_tone = False
    if result not in (WILD, PATTERN, EXACT) and not partial and ends_with_pound and pound:
        result = IMMEDIATE
    if best_dial_now and not (pound and pound_dialled and partial):
        result = IMMEDIATE
    if give_tone:
        rule, commas = tone_rule if tone_rule is not None else (best, best_commas)
        return Outcome("tone", rule, GIVETONE, commas)
    if result in (WILD, PATTERN, EXACT, IMMEDIATE):
        return Outcome("dial", best, result, 0, rewrite_rule)
    if partial:
        return Outcome("wait", best, NOMATCH)
    return Outcome("none", None, NOMATCH)

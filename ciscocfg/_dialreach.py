"""Which dial-plan rules can ever win: the phone's matcher run over every dialled string at once.

Each rule's pattern is an automaton (:mod:`ciscocfg._dialmatch`), the one
:meth:`ciscocfg.dialplan.DialPlan.match` walks. The search goes breadth first over what the
digits dialled so far have done to all the rules of a line together: every string that leaves
each rule in the same state gets the same decision and has the same futures, so each such
combination is visited once, and the decision there is made by the matcher's own
:func:`~ciscocfg._dialmatch.choose`. A rule that wins at no combination wins for no dialled
string; a rule that wins has a witness, a string on which ``match`` dials by it.

Strings are made of what a caller can dial (``0``-``9``, ``*``, ``#``, ``+``). A rule that has
failed for good drops out of the combination; from each combination only the characters some
rule tells apart are tried (with ``#`` and one of the rest); and a combination in which no rule
still to be seen winning takes part is not followed, since rules only ever drop out. So the work
grows with the size of the plan, not with its square.

``#`` splits the search: in the stack's CallManager mode it is an ordinary character, in the
other it means "dial now". Strings without ``#`` behave alike in both and are searched once,
first; the strings that lead through a "dial now" ``#`` are searched afterwards, and only for
the rules not yet seen winning in that mode. A plan whose rules combine in more ways than the
budget of work allows is left undecided, not guessed at.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import attrs

from ciscocfg._dialmatch import DIALABLE, Automaton, automaton, choose

# The pound modes a search node stands for.
_BOTH, _CALLMANAGER, _POUND = range(3)
# pound_dials_now, as DialPlan.match takes it.
_MODES = (False, True)
#: What visiting one combination costs, in rule steps (measured: the bookkeeping of a visit
#: takes about as long as this many rules reading a character).
NODE_WORK = 50

# One node of the search: the digits that first reached it, then its key (mode, whether the
# digits end with a "dial now" `#`, the rules still in the running and the state of each).
_Key = tuple[int, bool, tuple[int, ...], tuple[int, ...]]
_Node = tuple[str, int, bool, tuple[int, ...], tuple[int, ...]]


@attrs.define
class Reach:
    """What the search found, naming rules by their index in the patterns searched."""

    #: (rule, pound_dials_now) -> (line, digits): ``match(digits, phone_line=line,
    #: pound_dials_now=...)`` dials by that rule.
    wins: dict[tuple[int, bool], tuple[int, str]] = attrs.field(factory=dict)
    #: rule -> (what the phone does, the rule it does it by, the digits) for a string this rule
    #: fully matches and another decides; a dial is kept in preference to a wait or tone.
    taken: dict[int, tuple[str, int, str]] = attrs.field(factory=dict)
    #: Rules of a search that ran out of budget: what was not found may still exist.
    undecided: set[int] = attrs.field(factory=set)
    #: Rule steps taken (one rule reading one character).
    steps: int = 0
    #: Combinations of rule states visited.
    nodes: int = 0

    @property
    def work(self) -> int:
        """The work done, in rule steps: a visit weighs about as much as this many steps."""
        return self.steps + NODE_WORK * self.nodes


def search(
    patterns: Sequence[str], lines: Sequence[tuple[int, Sequence[int]]], budget: int
) -> Reach:
    """Search every dialled string against the rules of each line in ``lines``.

    ``lines``: (line number, the indexes of its rules in plan order) for each line whose rules
    differ. ``budget``: :attr:`Reach.work` to spend over all lines before giving up.
    """
    reach = Reach()
    for line, rules in lines:
        if not _LineSearch(patterns, line, rules, reach).run(budget):
            reach.undecided.update(rules)
    return reach


class _LineSearch:
    def __init__(
        self, patterns: Sequence[str], line: int, rules: Sequence[int], reach: Reach
    ) -> None:
        self.line = line
        self.machines: dict[int, Automaton] = {rule: automaton(patterns[rule]) for rule in rules}
        self.reach = reach
        # Rules not yet seen winning in both modes: a combination without any is not followed.
        self.missing = {rule for rule in rules if not self._won(rule)}
        self.seen: set[_Key] = set()
        self.queue: deque[_Node] = deque()
        # Combinations reached through a "dial now" `#`, searched once the rest is done; those
        # whose `#` comes first are kept as the combination before it, and followed only if a
        # rule of theirs is still missing by then.
        self.pound_queue: deque[_Node] = deque()
        self.before_pound: deque[tuple[str, tuple[int, ...], tuple[int, ...]]] = deque()
        start: _Key = (_BOTH, False, tuple(rules), (0,) * len(rules))
        self._add("", start)

    def _won(self, rule: int) -> bool:
        return (rule, False) in self.reach.wins and (rule, True) in self.reach.wins

    def _add(self, digits: str, key: _Key) -> None:
        if key in self.seen or self.missing.isdisjoint(key[2]):
            return
        if key[0] == _CALLMANAGER and (_BOTH, *key[1:]) in self.seen:
            return  # searched already, for both modes at once
        self.seen.add(key)
        (self.pound_queue if key[0] == _POUND else self.queue).append((digits, *key))

    def run(self, budget: int) -> bool:
        """Search until nothing is left to find (True) or the budget is spent (False)."""
        while self.missing:
            if self.queue:
                node = self.queue.popleft()
            elif self.pound_queue:
                node = self.pound_queue.popleft()
            elif self.before_pound:
                digits, live, states = self.before_pound.popleft()
                if not self.missing.isdisjoint(live):
                    self._follow(digits + "#", _POUND, live, self._pound_now(live, states))
                continue
            else:
                break
            digits, mode, ends_with_pound, live, states = node
            if self.missing.isdisjoint(live):
                continue  # everything here has been seen winning since it was queued
            self._visit(digits, mode, ends_with_pound, live, states)
            if self.reach.work > budget:
                return False
        return True

    def _pound_now(self, live: tuple[int, ...], states: tuple[int, ...]) -> list[int]:
        """Where each rule goes on a `#` that means "dial now"."""
        machines = self.machines
        return [
            machines[rule].on_pound_now(state) for rule, state in zip(live, states, strict=True)
        ]

    def _visit(
        self,
        digits: str,
        mode: int,
        ends_with_pound: bool,
        live: tuple[int, ...],
        states: tuple[int, ...],
    ) -> None:
        machines, reach = self.machines, self.reach
        reach.nodes += 1
        pound = mode == _POUND
        scans = [machines[rule].scans[state] for rule, state in zip(live, states, strict=True)]
        # Only the search in "dial now" mode has read a `#` that matters to the decision.
        outcome = choose(scans, pound=pound, pound_dialled=pound, ends_with_pound=ends_with_pound)
        if outcome.rule is not None:
            decider = live[outcome.rule]
            if outcome.action == "dial":
                for pound_mode in _MODES if mode == _BOTH else (pound,):
                    reach.wins.setdefault((decider, pound_mode), (self.line, digits))
                if self._won(decider):
                    self.missing.discard(decider)
            for rule, scanned in zip(live, scans, strict=True):
                complete = scanned.pattern_done and scanned.input_done and scanned.literals >= 0
                if complete and rule != decider and rule in self.missing:
                    known = reach.taken.get(rule)
                    if known is None or (known[0] != "dial" and outcome.action == "dial"):
                        reach.taken[rule] = (outcome.action, decider, digits)
        exits = [machines[rule].exits(state) for rule, state in zip(live, states, strict=True)]
        branching = {way.wanted for way in exits}
        branching.discard("")
        # One of the characters no rule tells apart stands for them all (if any is left).
        usual = next((ch for ch in DIALABLE if ch != "#" and ch not in branching), "")
        for ch in [*sorted(branching), *usual, "#"]:
            if ch == "#":
                if mode != _POUND:
                    self._follow(digits + ch, _CALLMANAGER, live, [w.on_pound for w in exits])
                if mode == _BOTH:
                    self.before_pound.append((digits, live, states))
                elif mode == _POUND:
                    self._follow(digits + ch, _POUND, live, self._pound_now(live, states))
            elif ch == usual:
                self._follow(digits + ch, mode, live, [w.on_other for w in exits])
            else:
                targets = [w.on_wanted if w.wanted == ch else w.on_other for w in exits]
                self._follow(digits + ch, mode, live, targets)

    def _follow(self, digits: str, mode: int, live: tuple[int, ...], targets: list[int]) -> None:
        self.reach.steps += len(live)
        kept = [(rule, target) for rule, target in zip(live, targets, strict=True) if target >= 0]
        ends_with_pound = mode == _POUND and digits.endswith("#")
        self._add(
            digits, (mode, ends_with_pound, tuple(r for r, _ in kept), tuple(t for _, t in kept))
        )


def completable(pattern: str) -> bool:
    """True when some dialled string fully matches ``pattern`` (in either ``#`` mode)."""
    machine = automaton(pattern)
    for pound in _MODES:
        seen = {0}
        queue = deque([0])
        while queue:
            state = queue.popleft()
            scanned = machine.scans[state]
            if scanned.pattern_done and scanned.input_done and scanned.literals >= 0:
                return True
            for ch in DIALABLE:
                target = machine.move(state, ch, pound)[0]
                if target not in seen and machine.live[target]:
                    seen.add(target)
                    queue.append(target)
    return False

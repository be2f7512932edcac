"""``dialplan.validate`` on large plans, against the algorithm it replaced, side by side.

The previous release decided whether a rule "can never win" by filling its wildcards a few ways
(``0``, ``1``, ``5``, ``9``) and asking the matcher about each sample with every rule of the plan:
quadratic in the number of rules, and blind to the numbers it did not sample. ``validate`` now
searches every dialled string at once with the matcher's own automata (see
``docs/formats/dialplan.md``). The baseline here is the whole of ``validate`` with the previous
sampled check put back in place of the search (its code is kept below), so both contenders do
the same other checks and differ only in that one.

Tables: plans of 250 to 2,000 rules (the growth), a plan of about 100 KB, and ``check_tree`` of a
one-phone TFTP root whose ``dialplan.xml`` is 54 KB. Run:

    python benchmarks/bench_dialplan.py            # all of it (the baseline takes minutes)
    python benchmarks/bench_dialplan.py --quick    # 250 and 500 rules only
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.trees import build_tree  # noqa: E402

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from ciscocfg import Diagnostic, dialplan  # noqa: E402
from ciscocfg._diagnostic import Findings  # noqa: E402
from ciscocfg.dialplan import _CUCM_SYNTAX, _decide  # noqa: E402
from ciscocfg.provision import check_tree  # noqa: E402

BASELINE = "previous: sampled check (baseline)"
CURRENT = "dialplan.validate: search"


# -- the previous algorithm, as it was ----------------------------------------------------------


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


def sampled_check(plan: dialplan.DialPlan, found: Findings) -> None:
    """The previous release's DPL102/DPL103 check: each rule's samples against every rule."""
    seen: dict[tuple[str, int], dialplan.Template] = {}
    usable = [t for t in plan.templates if t.valid]
    for t in usable:
        key = (t.match, t.phone_line)
        if key in seen:
            found.add("DPL102", "warning", f"MATCH {t.match!r} repeats a rule", t.line)
            continue
        seen[key] = t
        if _CUCM_SYNTAX.search(t.match) or t.is_catch_all:
            continue
        winners: dict[int, dialplan.Template] = {}
        won = False
        line = t.phone_line or 1
        for sample in _samples(t.match):
            decision = _decide(
                [u for u in usable if u.phone_line in (0, line)], sample, pound=False
            )
            if decision.template is t:
                won = True
                break
            if decision.template is not None and decision.action == "dial":
                winners[decision.template.index] = decision.template
        if not won and winners:
            found.add("DPL103", "warning", f"MATCH {t.match!r} can never win", t.line)


@contextlib.contextmanager
def previous_algorithm() -> Iterator[None]:
    """Within the block, ``validate`` (and so ``check_tree``) uses the sampled check."""
    current = dialplan._check_reachability
    setattr(dialplan, "_check_reachability", sampled_check)  # noqa: B010
    try:
        yield
    finally:
        setattr(dialplan, "_check_reachability", current)  # noqa: B010


def previous_validate(plan: dialplan.DialPlan) -> list[Diagnostic]:
    with previous_algorithm():
        return dialplan.validate(plan)


def previous_check_tree(root: Path) -> object:
    with previous_algorithm():
        return check_tree(root)


# -- plans ----------------------------------------------------------------------------------------


def generated_plan(rules: int, *, seed: int = 7940, comments: bool = False) -> str:
    """A large plan of the kind real ones are: area codes, extensions, codes and catch-alls."""
    rng = random.Random(seed)
    lines = [
        '<TEMPLATE MATCH="999" Timeout="0" Route="Emergency"/>',
        '<TEMPLATE MATCH="112" Timeout="0" Route="Emergency"/>',
    ]
    seen: set[str] = set()
    digits = "0123456789"
    while len(lines) < rules - 4:
        roll = rng.random()
        user = ""
        if roll < 0.45:  # an area code, then the rest of an 11-digit number
            match = "0" + "".join(rng.choice(digits[1:]) for _ in range(rng.randint(3, 5)))
            match += "." * (11 - len(match))
            user = ' User="Phone"'
        elif roll < 0.6:  # the same behind a 9 for an outside line
            match = "9,0" + "".join(rng.choice(digits[1:]) for _ in range(rng.randint(2, 4)))
            match += "." * (13 - len(match))
            user = ' User="Phone"'
        elif roll < 0.8:  # a number of its own
            match = "".join(rng.choice(digits) for _ in range(rng.randint(3, 8)))
        elif roll < 0.9:  # an extension range
            match = rng.choice("12345678") + "".join(
                rng.choice(digits) for _ in range(rng.randint(0, 2))
            )
            match += "." * rng.randint(2, 3)
        else:  # a feature code
            match = "\\*" + "".join(rng.choice(digits) for _ in range(rng.randint(1, 2)))
            match += "." * rng.randint(0, 2)
        if match in seen:
            continue
        seen.add(match)
        timeout = rng.choice([0, 0, 0, 3, 5])
        remark = f" <!-- rule {len(lines) + 1}: {match[:3]} -->" if comments else ""
        lines.append(f'<TEMPLATE MATCH="{match}" Timeout="{timeout}"{user}/>{remark}')
    lines += [
        '<TEMPLATE MATCH="00*" Timeout="5" User="Phone"/>',
        '<TEMPLATE MATCH="9,00*" Timeout="5" User="Phone"/>',
        '<TEMPLATE MATCH="0.........." Timeout="0" User="Phone"/>',
        '<TEMPLATE MATCH="*" Timeout="5"/>',
    ]
    return "<DIALTEMPLATE>\n" + "".join(f"  {line}\n" for line in lines) + "</DIALTEMPLATE>\n"


def plan_of_size(size: int, *, seed: int = 7960) -> str:
    """A commented plan of about ``size`` bytes (a little over)."""
    sample = generated_plan(200, seed=seed, comments=True)
    rules = size * 200 // len(sample.encode())
    while True:
        text = generated_plan(rules, seed=seed, comments=True)
        if len(text.encode()) >= size:
            return text
        rules += 10


# -- the run --------------------------------------------------------------------------------------


def _table(title: str, text: str, repeats: int) -> None:
    plan = dialplan.loads(text)
    # Both find the same duplicates; the search finds the rules that can never win.
    previous = previous_validate(plan)
    current = dialplan.validate(plan)
    rules = len(plan.templates)
    results = compare(
        [
            Case(BASELINE, lambda: previous_validate(plan), rules),
            Case(CURRENT, lambda: dialplan.validate(plan), rules),
        ],
        baseline=BASELINE,
        repeats=repeats,
        min_time=0.0,
    )
    size = len(text.encode()) / 1000
    print(markdown_table(f"{title}: {rules:,} rules, {size:.0f} KB", results, "rules"))
    counts = {
        name: sum(1 for d in found if d.code == "DPL103")
        for name, found in ((BASELINE, previous), (CURRENT, current))
    }
    print(f"Rules reported as never winning: previous {counts[BASELINE]}, now {counts[CURRENT]}.\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 250- and 500-rule plans")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each (default 3)")
    args = parser.parse_args()
    print(f"# dial-plan lint benchmarks (Python {sys.version.split()[0]})\n")
    for rules in (250, 500) if args.quick else (250, 500, 1000, 2000):
        _table("Generated plan", generated_plan(rules), args.repeats)
    if args.quick:
        return
    _table("Commented plan of about 100 KB", plan_of_size(100_000), args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        root = build_tree(Path(tmp) / "root")
        text = plan_of_size(54_000, seed=7941)
        (root / "dialplan.xml").write_text(text)
        results = compare(
            [
                Case(BASELINE, lambda: previous_check_tree(root)),
                Case(CURRENT, lambda: check_tree(root)),
            ],
            baseline=BASELINE,
            repeats=args.repeats,
            min_time=0.0,
        )
        rules = len(dialplan.loads(text).templates)
        title = f"check_tree of one phone, dialplan.xml of {len(text.encode()) // 1000} KB"
        print(markdown_table(f"{title} ({rules:,} rules)", results, "trees"))


if __name__ == "__main__":
    main()

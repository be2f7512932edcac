"""``ciscocfg dialplan FILE DIGITS...``: what the phone does with each dialled number."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``dialplan`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "dialplan",
        help="simulate a dialplan.xml on dialled numbers",
        description=(
            "Show, for each dialled number, whether the phone dials it (and what it sends), waits "
            "for more digits, plays a secondary dial tone or finds no rule. With --lint, also "
            "list the plan's findings."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the dial plan (dialplan.xml)")
    parser.add_argument("digits", metavar="DIGITS", nargs="*", help="numbers as dialled")
    parser.add_argument("--line", type=int, default=1, help="the line dialled on (default 1)")
    parser.add_argument(
        "--pound-dials-now",
        action="store_true",
        help="'#' means dial now (the stack's non-CallManager mode)",
    )
    parser.add_argument("--lint", action="store_true", help="also print the plan's findings")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from ciscocfg import dialplan
    from ciscocfg._diagnostic import has_errors
    from ciscocfg._errors import CiscoCfgError

    try:
        plan = dialplan.load(args.file)
    except (CiscoCfgError, OSError) as exc:
        # A plan that cannot be read has no decisions to show: one line, and the exit status
        # of input the command cannot read.
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return 2
    for digits in args.digits:
        decision = plan.match(digits, line=args.line, pound_dials_now=args.pound_dials_now)
        print(decision.describe())
    if args.lint or not args.digits:
        findings = dialplan.validate(plan)
        for finding in findings:
            print(finding)
        return 1 if has_errors(findings) else 0
    return 0

"""``ciscocfg dialplan FILE [DIGITS...]``: what the phone does with each dialled number."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ciscocfg.cli._common import (
    EXIT_OK,
    EXIT_USAGE,
    add_format_option,
    print_json,
    status_of,
    summary,
)

if TYPE_CHECKING:
    from ciscocfg.dialplan import DialDecision

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``dialplan`` subcommand."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "dialplan",
        help="simulate a dialplan.xml on dialled numbers, or lint it",
        description=(
            "Show, for each dialled number, whether the phone dials it (and what it sends), waits "
            "for more digits, plays a secondary dial tone or finds no rule. With --lint, also "
            "list the plan's findings. With no number, lint the plan: its findings, as "
            "'ciscocfg lint' prints them."
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
    add_format_option(parser)
    parser.set_defaults(handler=_run)


def _decision(decision: DialDecision) -> dict[str, Any]:
    template = decision.template
    return {
        "digits": decision.digits,
        "action": decision.action,
        "dial_string": decision.dial_string,
        "timeout": decision.timeout,
        "tone": decision.tone,
        "rule": None if template is None else template.index + 1,
        "match": None if template is None else template.match,
        "line": None if template is None else template.line,
        "description": decision.describe(),
    }


def _run(args: argparse.Namespace) -> int:
    from ciscocfg import dialplan, kinds
    from ciscocfg._errors import CiscoCfgError

    if not args.digits:
        # Nothing to dial: the plan itself is what is asked about.
        _, findings = kinds.lint_path(args.file, kind="dialplan")
        if args.format == "json":
            print_json({"source": args.file, "decisions": [], "diagnostics": _json(findings)})
        else:
            for finding in findings:
                print(finding)
            print(f"{args.file}: {summary(findings)}", file=sys.stderr)
        return status_of(findings)
    try:
        plan = dialplan.load(args.file)
    except (CiscoCfgError, OSError) as exc:
        # A plan that cannot be read has no decisions to show: one line, and the exit status
        # of input the command cannot read.
        reason = f"{exc.filename}: {exc.strerror}" if isinstance(exc, OSError) else exc
        print(f"ciscocfg: {reason}", file=sys.stderr)
        return EXIT_USAGE
    decisions = [
        plan.match(digits, line=args.line, pound_dials_now=args.pound_dials_now)
        for digits in args.digits
    ]
    findings = dialplan.validate(plan) if args.lint else []
    if args.format == "json":
        print_json(
            {
                "source": args.file,
                "decisions": [_decision(d) for d in decisions],
                "diagnostics": _json(findings),
            }
        )
    else:
        for decision in decisions:
            print(decision.describe())
        for finding in findings:
            print(finding)
    return status_of(findings) if args.lint else EXIT_OK


def _json(findings: list[Any]) -> list[dict[str, Any]]:
    return [d.to_json() for d in findings]

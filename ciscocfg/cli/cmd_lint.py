"""``ciscocfg lint FILE...``: report what the phone would reject or misread in each file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ciscocfg.cli._files import format_of

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic

__all__ = ["register"]

_FORMATS = ("cnf",)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help="check configuration files the way the phone reads them",
        description="Check configuration files and print one finding per line. Exit status 1 "
        "when a finding has severity error.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--format", choices=_FORMATS, help="read every FILE as this format (default: by name)"
    )
    parser.add_argument("--model", help="phone model, e.g. 7940 (2 lines) or 7960 (6 lines)")
    parser.add_argument(
        "--kind",
        choices=("default", "phone"),
        help="SIPDefault.cnf or a phone's SIP<MAC>.cnf (default: from the file name)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Lint every file; 1 if any finding is an error or a file cannot be read, else 0."""
    from ciscocfg._diagnostic import has_errors

    linters: dict[str, Callable[[str, argparse.Namespace], list[Diagnostic]]] = {"cnf": _lint_cnf}
    _tolerant_stdout()
    status = 0
    for path in args.files:
        fmt = format_of(path, args.format)
        if fmt is None:
            print(f"ciscocfg: {path}: unknown file kind; use --format", file=sys.stderr)
            status = max(status, 2)
            continue
        try:
            findings = linters[fmt](path, args)
        except OSError as exc:
            print(f"ciscocfg: {exc}", file=sys.stderr)
            status = max(status, 1)
            continue
        for finding in findings:
            print(finding)
        if has_errors(findings):
            status = max(status, 1)
    return status


def _lint_cnf(path: str, args: argparse.Namespace) -> list[Diagnostic]:
    from ciscocfg import cnf

    doc = cnf.load(path, strict=False)
    return cnf.validate(doc, model=args.model, kind=args.kind)


def _tolerant_stdout() -> None:
    """Findings quote file content (typographic quotes ...): never fail on a narrow terminal."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")

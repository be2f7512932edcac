"""``ciscocfg lint FILE|DIR...``: report what the phone would reject or misread in each file."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ciscocfg.cli._common import (
    EXIT_USAGE,
    add_format_option,
    files_under,
    print_json,
    status_of,
    summary,
    tolerant_stdout,
)

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic
    from ciscocfg.kinds import FileKind

__all__ = ["add_kind_option", "chosen_kind", "lint_files", "register"]

#: Old values of ``--kind`` (the role of a ``.cnf`` file) and the kinds they stand for.
_OLD_KINDS = {"default": "sip-default", "phone": "sip-phone"}


def add_kind_option(parser: argparse.ArgumentParser) -> None:
    """``--kind KIND``: read every FILE as this kind instead of telling it from its name."""
    from ciscocfg.kinds import KINDS

    names = [kind.name for kind in KINDS]
    parser.add_argument(
        "--kind",
        choices=(*names, *_OLD_KINDS),
        metavar="KIND",
        help="read every FILE as this kind, whatever its name: " + ", ".join(names) + " "
        "(default: by the file's name, then by its content)",
    )


def chosen_kind(args: argparse.Namespace, command: str) -> str | None:
    """The kind ``--kind`` names (old spellings and the old input ``--format cnf`` too)."""
    kind: str | None = args.kind
    if kind in _OLD_KINDS:
        kind = _OLD_KINDS[kind]
    if getattr(args, "format", None) == "cnf":
        # --format once named the input; it names the output now (as for every command).
        print(
            f"ciscocfg {command}: --format cnf is deprecated (--format chooses the output): "
            "use --kind cnf",
            file=sys.stderr,
        )
        args.format = "text"
        kind = kind or "cnf"
    return kind


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help="check files the way the phone reads them, one by one",
        description="Check each FILE, and each file below each DIR, the way the phone reads it "
        "and print one finding per line: every kind of file the library reads (SIPDefault.cnf, "
        "SIP<MAC>.cnf, SEP<MAC>.cnf.xml, XMLDefault.cnf.xml, dialplan.xml, RINGLIST.DAT, "
        "Ringlist.xml, OS79XX.TXT, .raw ring audio), told by its name, then by its content. "
        "In a folder, files of no known kind are passed over. A phone's own file under a name "
        "the phone never asks for gets a finding with the name it should have. "
        "'ciscocfg check' walks a tree in the phones' boot order instead.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE|DIR")
    add_format_option(parser, also=("cnf",))
    add_kind_option(parser)
    parser.add_argument("--model", help="phone model, e.g. 7940 (2 lines) or 7961")
    parser.set_defaults(handler=run)


def lint_files(
    paths: list[str], *, kind: str | None, model: str | None, command: str = "lint"
) -> tuple[list[Diagnostic], int, int, bool]:
    """Findings of every file of ``paths`` (folders walked); with how many files were read,
    how many of a folder's were passed over, and whether a file could not be read (said on
    standard error)."""
    from ciscocfg import kinds

    found: list[Diagnostic] = []
    read = skipped = 0
    failed = False
    forced: FileKind | None = kinds.by_name(kind) if kind is not None else None
    for given in paths:
        for path in files_under(given):
            try:
                if forced is None and path != given and kinds.kind_of(path) is None:
                    # In a folder, a file whose name says nothing is read only if its
                    # content says what it is.
                    with open(path, "rb") as handle:
                        if kinds.sniff(handle.read()) is None:
                            skipped += 1
                            continue
                _, findings = kinds.lint_path(path, kind=forced, model=model)
            except kinds.UnknownKind as exc:
                print(f"ciscocfg {command}: {exc}", file=sys.stderr)
                failed = True
                continue
            except OSError as exc:
                print(f"ciscocfg {command}: {path}: {exc.strerror or exc}", file=sys.stderr)
                failed = True
                continue
            read += 1
            found.extend(findings)
    return found, read, skipped, failed


def run(args: argparse.Namespace) -> int:
    """Lint every file: 2 if one cannot be read, else 1 if a finding is an error, else 0."""
    tolerant_stdout()
    kind = chosen_kind(args, "lint")
    try:
        from ciscocfg._phones import phone_model

        if args.model is not None:
            phone_model(args.model)
    except ValueError as exc:
        print(f"ciscocfg lint: {exc}", file=sys.stderr)
        return EXIT_USAGE
    found, read, skipped, failed = lint_files(args.files, kind=kind, model=args.model)
    if args.format == "json":
        print_json([d.to_json() for d in found])
    else:
        for finding in found:
            print(finding)
        passed = f"; {skipped} file(s) of no known kind passed over" if skipped else ""
        print(f"{read} file(s) linted: {summary(found)}{passed}", file=sys.stderr)
    if failed:
        return EXIT_USAGE
    return status_of(found)

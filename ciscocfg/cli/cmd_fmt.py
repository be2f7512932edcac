"""``ciscocfg fmt FILE|DIR... [--write]``: repair what is safe to repair, and only that."""

from __future__ import annotations

import argparse
import difflib
import re
import sys

from ciscocfg.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, files_under, tolerant_stdout
from ciscocfg.cli.cmd_lint import add_kind_option, chosen_kind

__all__ = ["register"]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fmt`` subcommand."""
    parser = subparsers.add_parser(
        "fmt",
        help="repair pasted characters: typographic quotes, no-break spaces, a byte order mark",
        description="Repair what text pasted from web pages and word processors puts in "
        "(typographic quotes, no-break and other odd spaces, zero-width characters, a byte "
        "order mark), nothing else, in every kind of text file the library reads, and print "
        "the change as a unified diff, or write it back with --write. In XML files only text "
        "and attribute values are repaired, and quotes and blanks of the markup that a word "
        "processor turned typographic; comments stay as they are, a leading byte order mark "
        "too, and the repaired document must read as the same tree. A file that is not text "
        "(ring audio, a binary, UTF-16) is left alone; in a folder, files of no known kind "
        "are passed over.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE|DIR")
    parser.add_argument(
        "--write",
        action="store_true",
        help="rewrite the files in place (each one whole or not at all: a temporary file renamed "
        "over it; a link's file is rewritten, the link kept)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a file would change (writes nothing)"
    )
    add_kind_option(parser)
    # The input kind was once chosen with --format; kept, hidden, for old scripts.
    parser.add_argument("--format", choices=("cnf",), help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Repair every file: 2 if one cannot be read or repaired, else with --check 1 if one would
    change, else 0."""
    from ciscocfg import kinds
    from ciscocfg._text import decode_bytes, encode_text, read_source
    from ciscocfg._writing import write_file

    tolerant_stdout()
    forced = chosen_kind(args, "fmt")
    status = EXIT_OK
    for given in args.files:
        for path in files_under(given):
            in_folder = path != given
            try:
                data, _ = read_source(path)
            except OSError as exc:
                print(f"ciscocfg fmt: {path}: {exc.strerror or exc}", file=sys.stderr)
                status = max(status, EXIT_USAGE)
                continue
            kind = kinds.by_name(forced) if forced else kinds.kind_of(path, data)
            if kind is None or (in_folder and not kind.text):
                if not in_folder:
                    print(
                        f"ciscocfg fmt: {path}: unknown file kind (neither its name nor its "
                        "content says); name it with --kind",
                        file=sys.stderr,
                    )
                    status = max(status, EXIT_USAGE)
                continue
            try:
                repaired = kind.repair(data, source=path)
            except kinds.RepairRefused as exc:
                print(f"ciscocfg fmt: {path}: {exc}", file=sys.stderr)
                status = max(status, EXIT_USAGE)
                continue
            if repaired == data:
                continue
            if args.check:
                print(f"would repair {path}")
                status = max(status, EXIT_FINDINGS)
            elif args.write:
                write_file(path, repaired, inputs=[path], in_place=True)
                print(f"repaired {path}")
            else:
                diff = difflib.unified_diff(
                    _physical_lines(decode_bytes(data)),
                    _physical_lines(decode_bytes(repaired)),
                    fromfile=path,
                    tofile=f"{path} (repaired)",
                )
                for line in diff:
                    # Undecodable bytes (kept as lone surrogates) are shown, not re-encoded.
                    shown = encode_text(line).decode("utf-8", "replace")
                    sys.stdout.write(shown if shown.endswith("\n") else shown + "\n")
    return status


def _physical_lines(text: str) -> list[str]:
    """Lines as the phone splits them (CR, LF or CRLF), terminators kept."""
    return _LINE.findall(text)

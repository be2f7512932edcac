"""``ciscocfg fmt FILE... [--write]``: repair what is safe to repair, and only that."""

from __future__ import annotations

import argparse
import difflib
import re
import sys

from ciscocfg.cli._files import format_of

__all__ = ["register"]

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``fmt`` subcommand."""
    parser = subparsers.add_parser(
        "fmt",
        help="repair pasted characters: typographic quotes, no-break spaces, a byte order mark",
        description="Repair what text pasted from web pages and word processors puts in "
        "(typographic quotes, no-break and other odd spaces, zero-width characters, a byte "
        "order mark), nothing else, and print the change as a unified diff, or write it back "
        "with --write. A file that is not text (a binary, UTF-16) is left alone.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--write",
        action="store_true",
        help="rewrite the files in place (each one whole or not at all: a temporary file renamed "
        "over it; a link's file is rewritten, the link kept)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a file would change (writes nothing)"
    )
    parser.add_argument("--format", choices=("cnf",), help="read every FILE as this format")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Fix every file; with --check, 1 if any file would change."""
    from ciscocfg import cnf
    from ciscocfg._reads import unreadable
    from ciscocfg._text import decode_bytes, encode_text, read_source
    from ciscocfg._writing import write_file

    _tolerant_stdout()
    status = 0
    for path in args.files:
        if format_of(path, args.format) is None:
            print(f"ciscocfg: {path}: unknown file kind; use --format", file=sys.stderr)
            status = max(status, 2)
            continue
        data, _ = read_source(path)
        problem = unreadable(data)
        if problem is not None:
            # Bytes of a binary may look like a no-break space: repairing them would damage it.
            print(f"ciscocfg: {path}: {problem.message}; not repaired", file=sys.stderr)
            status = max(status, 2)
            continue
        before = decode_bytes(data)
        after = cnf.fix_text(before)
        if after == before:
            continue
        if args.check:
            print(f"would repair {path}")
            status = max(status, 1)
        elif args.write:
            write_file(path, encode_text(after), inputs=[path], in_place=True)
            print(f"repaired {path}")
        else:
            diff = difflib.unified_diff(
                _physical_lines(before),
                _physical_lines(after),
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


def _tolerant_stdout() -> None:
    """Findings quote file content (typographic quotes ...): never fail on a narrow terminal."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")

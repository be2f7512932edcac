"""``ciscocfg check ROOT|tftp://HOST[:PORT]``: what each phone will get when it boots."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ciscocfg.cli._common import (
    EXIT_USAGE,
    add_format_option,
    port_number,
    print_json,
    program,
    status_of,
)

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic
    from ciscocfg.provision import PhoneReport, TreeReport

__all__ = ["parse_target", "register", "render_text"]

_FAMILIES = {
    "79x0": "7940/7960 booting SIP (SIP<MAC>.cnf)",
    "79x1": "XML config (SEP<MAC>.cnf.xml: a 79x1, or a 79x0 on SCCP)",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="walk a TFTP root (or a live TFTP server) the way each phone boots, and report",
        description="Request every file the way each phone of the tree does at boot, in its "
        "order, and report what it would miss, misread or refuse, grouped by phone with "
        "file:line references. A live server is checked with tftp://HOST[:PORT] and --mac. "
        "Exit status 1 when a finding is an error.",
    )
    parser.add_argument("target", metavar="ROOT|tftp://HOST[:PORT]")
    parser.add_argument("--mac", help="check only this phone (required for a live server)")
    add_format_option(parser)
    parser.add_argument(
        "--running",
        metavar="IMAGE",
        help="image the phones run now, as firmware --upgrade reads it (P0S3-06-3-00, "
        "'SCCP 3.x'): judge from it whether they reach the firmware the tree names",
    )
    parser.add_argument(
        "--model", help="phone model of the tree, e.g. 7940 (2 lines) or 7961 (firmware family)"
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=2,
        help="retransmissions before a live server counts as silent (default: 2)",
    )
    parser.add_argument(
        "--save",
        metavar="DIR",
        help="keep the files a live server sent here, under the names asked for (all or "
        "nothing; an existing file is replaced only with --force)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --save: replace files already in DIR (a link is replaced, not followed)",
    )
    parser.set_defaults(handler=run)


def parse_target(target: str) -> tuple[str, int] | None:
    """``tftp://HOST[:PORT]`` → (host, port); None for anything else (a directory)."""
    if not target.lower().startswith("tftp://"):
        return None
    parts = urlsplit(target)
    if not parts.hostname:
        raise ValueError(f"{target!r}: no host")
    port = parts.netloc.rpartition("]")[2].rpartition(":")[2] if ":" in parts.netloc else ""
    if not port:
        return parts.hostname, 69
    try:
        return parts.hostname, port_number(port)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(f"{target!r}: {exc}") from None


#: Findings of one code in one file shown one by one up to this many; more are summed up.
_REPEAT_LIMIT = 3


def _findings(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """One line per finding; a code repeated on many lines of a file becomes one line."""
    groups: dict[tuple[str | None, str, str], list[Diagnostic]] = {}
    for diag in diagnostics:
        groups.setdefault((diag.source, diag.code, diag.severity), []).append(diag)
    out: list[str] = []
    done: set[tuple[str | None, str, str]] = set()
    for diag in diagnostics:
        key = (diag.source, diag.code, diag.severity)
        group = groups[key]
        if len(group) <= _REPEAT_LIMIT:
            out.append(f"    {diag}")
        elif key not in done:
            done.add(key)
            lines = sorted({d.line for d in group if d.line is not None})
            where = ", ".join(map(str, lines[:12])) + (" ..." if len(lines) > 12 else "")
            out.append(
                f"    {diag.source or '<tree>'}: {diag.severity} {diag.code} on {len(group)} "
                f"lines ({where}); first, line {diag.line}: {diag.message}"
            )
    return out


def _phone_block(phone: PhoneReport) -> list[str]:
    out = [f"Phone {phone.mac} — {_FAMILIES.get(phone.family, phone.family)}"]
    out.append("  asks for, in order:")
    width = max((len(r.name) for r in phone.requests), default=0)
    for request in phone.requests:
        if request.found:
            state = f"found ({request.size} bytes)"
        elif request.error:
            state = f"FAILED: {request.error}"
        else:
            state = "not found"
        out.append(f"    {request.name.ljust(width)}  {state}  — {request.purpose}")
    if phone.outcome:
        out.append(
            "  ends up with: " + ", ".join(f"{key} {value!r}" for key, value in phone.outcome)
        )
    if phone.diagnostics:
        out.append("  findings:")
        out.extend(_findings(phone.diagnostics))
    else:
        out.append("  findings: none")
    return out


def _repairable(diag: Diagnostic) -> bool:
    """A finding about a character ``ciscocfg fmt`` repairs."""
    return diag.code in {"CNF003", "CNF301", "CNF302"} or (
        diag.code == "CNF303" and "ciscocfg fmt" in diag.message
    )


def render_text(report: TreeReport, *, root: str | None = None) -> str:
    """The report for a person: one block per phone, then the files they share.

    ``root`` is the tree's folder as the person gave it: the repair command names the files
    from there, so that it works where it is typed. Without it (a live server), the command
    names them as the server's root holds them.
    """
    out = [f"Checked {report.root}: {len(report.phones)} phone(s)", ""]
    for phone in report.phones:
        out.extend(_phone_block(phone))
        out.append("")
    if report.shared:
        out.append("Files every phone reads, and the tree as a whole:")
        out.extend(_findings(report.shared))
        out.append("")
    every = report.diagnostics
    counts = {s: sum(1 for d in every if d.severity == s) for s in ("error", "warning", "info")}
    verdict = (
        "a phone will not boot as configured"
        if counts["error"]
        else "the phones will boot as configured"
    )
    pasted = sorted({d.source for d in every if _repairable(d) and d.source})
    if pasted:
        paths = [os.path.join(root, name) if root is not None else name for name in pasted]
        where = "" if root is not None else ", run in the server's TFTP root"
        out.append(
            "Typographic quotes, no-break spaces and byte order marks (text pasted from a web "
            f"page, or saved by an editor) are repaired by{where}: {program()} fmt --write "
            + " ".join(shlex.quote(path) for path in paths)
        )
    out.append(
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s): "
        f"{verdict}."
    )
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    """Check the tree or the server; print the report; 1 on errors, 2 when the tree or the
    server cannot be read."""
    from ciscocfg._errors import WriteRefused
    from ciscocfg.provision import check_tree
    from ciscocfg.provision._live import check_tftp_async

    try:
        live = parse_target(args.target)
    except ValueError as exc:
        print(f"ciscocfg check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if live is not None:
            if not args.mac:
                print(
                    "ciscocfg check: a live server is checked for one phone: give --mac",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            if (
                args.save is not None
                and os.path.lexists(args.save)
                and not os.path.isdir(args.save)
            ):
                # Found before the server is asked anything.
                raise WriteRefused(args.save, "not a directory to save into")
            import asyncio

            host, port = live
            report = asyncio.run(
                check_tftp_async(
                    host,
                    port,
                    mac=args.mac,
                    running=args.running,
                    model=args.model,
                    retries=args.retries,
                    save=args.save,
                    force=args.force,
                )
            )
        else:
            if not os.path.isdir(args.target):
                print(f"ciscocfg check: {args.target}: not a directory", file=sys.stderr)
                return EXIT_USAGE
            report = check_tree(args.target, mac=args.mac, running=args.running, model=args.model)
    except ValueError as exc:  # a MAC, model or image name that is not one
        print(f"ciscocfg check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print_json(report.to_json())
    else:
        sys.stdout.write(render_text(report, root=None if live is not None else args.target))
    return status_of(report.diagnostics)

"""``ciscocfg migrate SRC_TREE DST_TREE --model 7961``: a 79x0 fleet's configs as 79x1 XML."""

from __future__ import annotations

import argparse
import os
import sys

from ciscocfg.cli._common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    add_format_option,
    print_json,
)

__all__ = ["register"]

REPORT_NAME = "migration-report.txt"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``migrate`` subcommand."""
    parser = subparsers.add_parser(
        "migrate",
        help="convert every SIP<MAC>.cnf of a TFTP root to SEP<MAC>.cnf.xml for a 79x1 model",
        description="Convert every SIP<MAC>.cnf under SRC_TREE (merged over its SIPDefault.cnf, "
        "as the phone does) into DST_TREE/SEP<MAC>.cnf.xml for the given 79x1 model, and write "
        f"a report ({REPORT_NAME} in DST_TREE) naming every setting that was not carried over "
        "and why. DST_TREE may not be SRC_TREE or inside it (a 79x0 that finds a "
        "SEP<MAC>.cnf.xml boots SCCP). Existing files are never replaced without --force, files "
        "of SRC_TREE never; every target is checked before anything is written, and the files "
        "are written all or nothing (exit status 2 when refused). Exit status 1 when a phone's "
        "file could not be converted.",
    )
    parser.add_argument("src", metavar="SRC_TREE", help="the 79x0 TFTP root")
    parser.add_argument("dst", metavar="DST_TREE", help="where to write the XML configs")
    parser.add_argument("--model", required=True, help="target model, e.g. 7941, 7961, 7970")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace existing XML configs and the report (a link is replaced, not followed)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="repair typographic quotes, no-break spaces and a byte order mark before converting",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for large fleets (default: every core)",
    )
    parser.add_argument(
        "--load",
        metavar="LOAD",
        help="firmware load for loadInformation, e.g. SIP41.9-4-2SR3-1S (default: none, the "
        "phones keep what they run)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print only the summary, not each finding"
    )
    parser.add_argument(
        "--report",
        metavar="PATH",
        help=f"where to write the report (default: DST_TREE/{REPORT_NAME}); never in SRC_TREE",
    )
    parser.add_argument(
        "--mac-map",
        action="append",
        default=[],
        metavar="OLD=NEW|FILE.csv",
        help="the MAC of the new phone that replaces an old one, whose file is then named for "
        "it; repeat it, or give a CSV file of old,new pairs",
    )
    add_format_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Convert the tree; print the report (unless quiet) and a summary, and write the report."""
    from ciscocfg.migrate._bulk import migrate_tree

    if not os.path.isdir(args.src):
        print(f"ciscocfg migrate: {args.src}: not a directory", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs is not None and args.jobs < 1:
        print("ciscocfg migrate: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from ciscocfg._errors import CiscoCfgError
    from ciscocfg.migrate import MacMapError, mac_map

    try:
        renames = mac_map(args.mac_map)
    except CiscoCfgError as exc:  # a pair or a CSV row that is not two MACs
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    path = args.report or os.path.join(args.dst, REPORT_NAME)
    try:
        result = migrate_tree(
            args.src,
            args.dst,
            model=args.model,
            force=args.force,
            fix=args.fix,
            jobs=args.jobs,
            load=args.load,
            report=path,
            mac_map=renames,
        )
    except MacMapError as exc:  # a map that does not fit the tree: nothing is written
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print_json(
            {
                "model": result.model,
                "source": args.src,
                "destination": args.dst,
                "default": result.default,
                "written": result.written,
                "report": path,
                "phones": [
                    {
                        "mac": phone.mac,
                        "new_mac": phone.new_mac,
                        "source": phone.source,
                        "target": phone.target,
                        "status": phone.status,
                        "diagnostics": [d.to_json() for d in phone.findings],
                    }
                    for phone in result.phones
                ],
                "diagnostics": [d.to_json() for phone in result.phones for d in phone.findings],
            }
        )
        return EXIT_FINDINGS if result.failed else EXIT_OK
    if not args.quiet:
        sys.stdout.write(result.report())
    print(
        f"{result.written} of {len(result.phones)} phone(s) written to {args.dst}; report: {path}"
    )
    return EXIT_FINDINGS if result.failed else EXIT_OK

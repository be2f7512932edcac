"""``ciscocfg firmware stage ROOT --running IMAGE --target IMAGE --from DIR``.

Copies the files of the next step of an upgrade from the unpacked Cisco bundles in DIR into
the TFTP root, writes ``OS79XX.TXT`` for it, and says what the phone will show and what to run
once it has rebooted (:func:`ciscocfg.firmware.stage`).

``firmware`` takes image names as free arguments, which argparse cannot mix with a
subcommand, so the ``firmware`` parser hands the arguments after the word ``stage`` to a parser
of their own.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["attach", "build", "run"]

WORD = "stage"


def build(prog: str) -> argparse.ArgumentParser:
    """The parser of ``ciscocfg firmware stage``."""
    parser = argparse.ArgumentParser(
        prog=f"{prog} {WORD}",
        description="Copy the files of the next step of the upgrade plan (firmware --upgrade) "
        "from DIR, a folder of unpacked Cisco bundles, into the TFTP root ROOT, write "
        "OS79XX.TXT for the step, and say what the phone shows and what to run after it "
        "reboots. Nothing is written when a file the step needs is in neither DIR nor ROOT, "
        "or when a file of ROOT would be replaced without --force. Exit status 2 when nothing "
        "could be staged, 1 when the plan is refused or the configuration does not name the "
        "step.",
    )
    parser.add_argument("root", metavar="ROOT", help="the TFTP root the phone boots from")
    parser.add_argument(
        "--running",
        required=True,
        metavar="IMAGE",
        help="the image the phone runs now (P0S3-06-3-00, 'SCCP 3.x')",
    )
    parser.add_argument(
        "--target", required=True, metavar="IMAGE", help="the image it should end up running"
    )
    parser.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="DIR",
        help="folder of unpacked Cisco bundles (sub-folders are searched)",
    )
    parser.add_argument("--family", help="phone model or family for release shorthands")
    parser.add_argument(
        "--force", action="store_true", help="replace files of ROOT that hold other bytes"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be staged; write nothing"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )
    parser.set_defaults(handler=run)
    return parser


def attach(parser: argparse.ArgumentParser) -> None:
    """Let ``parser`` (``ciscocfg firmware``) hand ``stage ...`` to the stage parser."""
    stage = build(parser.prog)
    parse = parser.parse_known_args

    def parse_known_args(
        args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if args and args[0] == WORD:
            return stage.parse_known_args(list(args[1:]), namespace)
        return parse(args, namespace)

    setattr(parser, "parse_known_args", parse_known_args)  # noqa: B010 - an instance's own
    usage = f"{parser.prog} {WORD} ROOT --running IMAGE --target IMAGE --from DIR"
    parser.epilog = (
        f"{usage}: copy the files of the next step of an upgrade into a TFTP root "
        f"(see {parser.prog} {WORD} --help)."
    )


def run(args: argparse.Namespace) -> int:
    """Stage the step; 2 when nothing could be staged, 1 on other errors."""
    from ciscocfg import firmware
    from ciscocfg._errors import CiscoCfgError

    try:
        staging = firmware.stage(
            args.root,
            args.source,
            running=args.running,
            target=args.target,
            family=args.family,
            force=args.force,
            dry_run=args.dry_run,
        )
    except CiscoCfgError as exc:  # not a folder, not an image name, the root changed
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        data: dict[str, Any] = staging.to_json()
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(staging.report())
    if staging.blocked:
        first, *more = staging.blocking
        extra = f" (and {len(more)} more)" if more else ""
        print(f"ciscocfg: nothing staged: {first.message}{extra}", file=sys.stderr)
        return 2
    return 1 if staging.has_errors else 0

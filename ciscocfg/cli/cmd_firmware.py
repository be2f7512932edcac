"""``ciscocfg firmware``: decode image names, plan upgrades, list what a ``.loads`` file needs.

* ``ciscocfg firmware NAME...`` prints a table of the decoded names;
* ``ciscocfg firmware --upgrade FROM TO [--family F] [--direct]`` prints the upgrade plan;
* ``ciscocfg firmware --loads FILE [--root DIR]`` lists the files of a ``.loads`` descriptor
  and, with a TFTP root, those missing from it;
* ``ciscocfg firmware stage ROOT --running IMAGE --target IMAGE --from DIR`` stages the next
  step of an upgrade (``ciscocfg/cli/_stage.py``).
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``firmware`` subcommand."""
    parser = subparsers.add_parser(
        "firmware",
        help="decode firmware names, plan upgrades",
        description="Decode Cisco firmware image names, plan an upgrade path, or list the files "
        "a .loads descriptor needs.",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="image names to decode")
    parser.add_argument(
        "--upgrade",
        nargs=2,
        metavar=("FROM", "TO"),
        help="plan the way from one image (or release, e.g. 'SCCP 3.x') to another",
    )
    parser.add_argument("--family", help="phone model or family for release shorthands")
    parser.add_argument(
        "--direct", action="store_true", help="judge the single jump instead of planning a path"
    )
    parser.add_argument("--loads", metavar="FILE", help="list the files a .loads file names")
    parser.add_argument("--root", metavar="DIR", help="with --loads: report files missing here")
    parser.set_defaults(handler=run)
    from ciscocfg.cli._stage import attach

    attach(parser)  # ciscocfg firmware stage ...


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def run(args: argparse.Namespace) -> int:
    """Do what the options ask; 1 when a name does not decode or a plan is refused."""
    from ciscocfg import firmware
    from ciscocfg._errors import ParseError

    if not (args.names or args.upgrade or args.loads):
        print("ciscocfg firmware: give NAME..., --upgrade FROM TO or --loads FILE", file=sys.stderr)
        return 2
    status = 0
    if args.names:
        rows = [["NAME", "FAMILY", "PROTOCOL", "VERSION", "ROLE", "SIGNED", "NOTES"]]
        for name in args.names:
            try:
                image = firmware.parse(name)
            except ParseError as err:
                print(f"ciscocfg: {err}", file=sys.stderr)
                status = 1
                continue
            signed = {True: "yes", False: "no", None: "-"}[image.signed]
            rows.append(
                [
                    str(image),
                    image.family,
                    image.protocol.value if image.protocol else "-",
                    image.display_version or "-",
                    image.role.value,
                    signed,
                    "; ".join(image.notes),
                ]
            )
        if len(rows) > 1:
            print(_table(rows))
    if args.upgrade:
        try:
            plan = firmware.upgrade_path(
                args.upgrade[0], args.upgrade[1], family=args.family, direct=args.direct
            )
        except ValueError as err:
            print(f"ciscocfg: {err}", file=sys.stderr)
            return 2 if not isinstance(err, ParseError) else 1
        print(plan)
        if plan.refused:
            status = 1
    if args.loads:
        manifest = firmware.read_loads(args.loads)
        if manifest.own_name:
            print(f"{args.loads}: signed as {manifest.own_name}")
        for name in manifest.files:
            print(f"  {name}")
        for key, value in manifest.properties:
            print(f"  {key}={value}")
        if args.root:
            missing = manifest.missing(args.root)
            for name in missing:
                print(f"missing from {args.root}: {name}", file=sys.stderr)
            if missing:
                status = 1
    return status

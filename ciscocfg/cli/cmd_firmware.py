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
from typing import TYPE_CHECKING, Any

from ciscocfg.cli._common import EXIT_USAGE, add_format_option, print_json, status_of

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic
    from ciscocfg.firmware import FirmwareImage

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
    add_format_option(parser)
    parser.set_defaults(handler=run)
    from ciscocfg.cli._stage import attach

    attach(parser)  # ciscocfg firmware stage ...


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _image(image: FirmwareImage) -> dict[str, Any]:
    return {
        "name": str(image),
        "extension": image.extension,
        "family": image.family,
        "protocol": image.protocol.value if image.protocol else None,
        "version": list(image.version),
        "display_version": image.display_version or None,
        "role": image.role.value,
        "signed": image.signed,
        "notes": list(image.notes),
    }


def _not_a_name(name: str, err: Exception) -> Diagnostic:
    """``FW001``: a NAME that is no Cisco image name, with the name it most likely is."""
    from ciscocfg._diagnostic import Diagnostic

    suggestion = getattr(err, "suggestion", None)
    message = getattr(err, "message", str(err))
    if suggestion is not None:
        message = message.removesuffix(f"; did you mean {suggestion!r}?")
    column = getattr(err, "column", None)
    return Diagnostic("FW001", "error", message, column=column, source=name, suggestion=suggestion)


def run(args: argparse.Namespace) -> int:
    """Do what the options ask: 1 when a name does not decode, a file is missing or a jump is
    refused; 2 when FROM or TO is no image, or the .loads file cannot be read."""
    from ciscocfg import firmware
    from ciscocfg._diagnostic import Diagnostic
    from ciscocfg._errors import ParseError

    if not (args.names or args.upgrade or args.loads):
        print("ciscocfg firmware: give NAME..., --upgrade FROM TO or --loads FILE", file=sys.stderr)
        return EXIT_USAGE
    text = args.format == "text"
    findings: list[Diagnostic] = []
    result: dict[str, Any] = {}
    if args.names:
        images = []
        rows = [["NAME", "FAMILY", "PROTOCOL", "VERSION", "ROLE", "SIGNED", "NOTES"]]
        for name in args.names:
            try:
                image = firmware.parse(name)
            except ParseError as err:
                finding = _not_a_name(name, err)
                findings.append(finding)
                if text:
                    print(finding, file=sys.stderr)
                continue
            images.append(_image(image))
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
        result["images"] = images
        if text and len(rows) > 1:
            print(_table(rows))
    if args.upgrade:
        try:
            plan = firmware.upgrade_path(
                args.upgrade[0], args.upgrade[1], family=args.family, direct=args.direct
            )
        except ValueError as err:
            # The plan cannot be made at all: FROM or TO is no image, or the family unknown.
            print(f"ciscocfg firmware: {err}", file=sys.stderr)
            return EXIT_USAGE
        if text:
            print(plan)
        result["upgrade"] = {
            "from": str(plan.current),
            "to": str(plan.target),
            "refused": plan.refused,
            "reason": plan.reason,
            "phone_message": plan.phone_message,
            "steps": [
                {
                    "image": str(step.image),
                    "named_in": list(step.named_in),
                    "setting": step.setting,
                    "reason": step.reason,
                    "uncertain": step.uncertain,
                }
                for step in plan.steps
            ],
            "notes": list(plan.notes),
        }
        if plan.refused:
            findings.append(
                Diagnostic(
                    "FW003",
                    "error",
                    f"{plan.current} cannot jump to {plan.target}: {plan.reason}"
                    + (f" (the phone shows '{plan.phone_message}')" if plan.phone_message else ""),
                    source=str(plan.current),
                )
            )
    if args.loads:
        manifest = firmware.read_loads(args.loads)
        if text:
            if manifest.own_name:
                print(f"{args.loads}: signed as {manifest.own_name}")
            for name in manifest.files:
                print(f"  {name}")
            for key, value in manifest.properties:
                print(f"  {key}={value}")
        missing = manifest.missing(args.root) if args.root else []
        for name in missing:
            finding = Diagnostic(
                "FW002",
                "error",
                f"{name}, named by {args.loads}, is missing from {args.root}: the upgrade stops "
                "half way",
                source=args.loads,
            )
            findings.append(finding)
            if text:
                print(finding, file=sys.stderr)
        result["loads"] = {
            "source": args.loads,
            "own_name": manifest.own_name,
            "files": list(manifest.files),
            "properties": dict(manifest.properties),
            "missing": missing,
        }
    if not text:
        result["diagnostics"] = [d.to_json() for d in findings]
        print_json(result)
    return status_of(findings)

"""``ciscocfg put HOST FILE``: upload one file over TFTP."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ciscocfg.cli._common import EXIT_USAGE
from ciscocfg.cli.cmd_get import add_transfer_options, transfer_keywords

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``put`` subcommand."""
    parser = subparsers.add_parser(
        "put",
        help="upload a file over TFTP",
        description="Upload the local FILE to the TFTP server HOST.",
    )
    parser.add_argument("host", metavar="HOST")
    parser.add_argument("file", metavar="FILE", help="local file to send ('-' for stdin)")
    parser.add_argument(
        "-r", "--remote", metavar="NAME", help="name on the server (default: FILE's base name)"
    )
    add_transfer_options(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import asyncio

    from ciscocfg.aio import TransferError, upload
    from ciscocfg.cli._progress import ProgressBar

    if args.file == "-":
        source: bytes | str = sys.stdin.buffer.read()
        remote = args.remote or "stdin"
    else:
        source = args.file
        remote = args.remote or Path(args.file).name
    bar = ProgressBar(remote)
    if args.quiet:
        bar.enabled = False
    try:
        asyncio.run(
            upload(
                args.host,
                remote,
                source,
                on_progress=bar,
                **transfer_keywords(args),
            )
        )
    except TransferError as exc:
        bar.finish()
        print(f"ciscocfg put: {exc}", file=sys.stderr)
        return EXIT_USAGE
    bar.finish()
    return 0

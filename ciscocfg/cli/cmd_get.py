"""``ciscocfg get HOST FILE``: download one file over TFTP."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_transfer_options", "register", "transfer_keywords"]


def add_transfer_options(parser: argparse.ArgumentParser) -> None:
    """The options ``get`` and ``put`` share."""
    parser.add_argument("--port", type=int, default=69, help="server port (default: 69)")
    parser.add_argument("--blksize", type=int, metavar="N", help="ask for N-byte blocks")
    parser.add_argument("--windowsize", type=int, metavar="N", help="ask for N-block windows")
    parser.add_argument(
        "--timeout", type=int, metavar="S", help="ask for an S-second retransmission timeout"
    )
    parser.add_argument("--no-tsize", action="store_true", help="do not ask for/announce tsize")
    parser.add_argument(
        "--netascii", action="store_true", help="text mode: translate line ends (netascii)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")


def transfer_keywords(args: argparse.Namespace) -> dict[str, Any]:
    """The ``download``/``upload`` keyword arguments the options of ``add_transfer_options`` set."""
    return {
        "port": args.port,
        "blksize": args.blksize,
        "windowsize": args.windowsize,
        "timeout": args.timeout,
        "tsize": not args.no_tsize,
        "mode": "netascii" if args.netascii else "octet",
    }


def register(subparsers: Any) -> None:
    """Add the ``get`` subcommand."""
    parser = subparsers.add_parser(
        "get",
        help="download a file over TFTP",
        description="Download FILE from the TFTP server HOST.",
    )
    parser.add_argument("host", metavar="HOST")
    parser.add_argument("file", metavar="FILE", help="name of the file on the server")
    parser.add_argument(
        "-o", "--output", metavar="OUT",
        help="where to write it ('-' for standard output; default: the file's base name)",
    )  # fmt: skip
    add_transfer_options(parser)
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import asyncio

    from ciscocfg.aio import TransferError, download
    from ciscocfg.cli._progress import ProgressBar

    output = args.output or Path(args.file.replace("\\", "/")).name or "download"
    bar = ProgressBar(args.file)
    if args.quiet:
        bar.enabled = False
    try:
        result = asyncio.run(
            download(
                args.host,
                args.file,
                None if output == "-" else output,
                on_progress=bar,
                **transfer_keywords(args),
            )
        )
    except TransferError as exc:
        bar.finish()
        print(f"ciscocfg get: {exc}", file=sys.stderr)
        return 1
    bar.finish()
    if output == "-":
        assert result.data is not None
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    return 0

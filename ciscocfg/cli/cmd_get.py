"""``ciscocfg get HOST FILE``: download one file over TFTP."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from ciscocfg.cli._common import EXIT_USAGE, port_number
from ciscocfg.cli.cmd_serve import parse_size

__all__ = ["add_transfer_options", "local_name", "port_number", "register", "transfer_keywords"]

#: The default of ``--max-size``: ``ciscocfg.aio.DEFAULT_MAX_DOWNLOAD`` (kept as text here so
#: that building the parser does not import the asyncio edge).
_DEFAULT_MAX_SIZE = "32M"


def _option_value(name: str) -> Callable[[str], int]:
    """An argument type for the TFTP option ``name``, checked against its RFC range."""

    def parse(text: str) -> int:
        from ciscocfg.tftp import options

        low, high = {
            "blksize": (options.BLKSIZE_MIN, options.BLKSIZE_MAX),
            "windowsize": (options.WINDOWSIZE_MIN, options.WINDOWSIZE_MAX),
            "timeout": (options.TIMEOUT_MIN, options.TIMEOUT_MAX),
        }[name]
        try:
            value = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{name} {value} is not between {low} and {high}")
        return value

    return parse


def add_transfer_options(parser: argparse.ArgumentParser) -> None:
    """The options ``get`` and ``put`` share."""
    parser.add_argument(
        "--port", type=port_number, default=69, help="server port, 1-65535 (default: 69)"
    )
    parser.add_argument(
        "--blksize", type=_option_value("blksize"), metavar="N",
        help="ask for N-byte blocks (8-65464)",
    )  # fmt: skip
    parser.add_argument(
        "--windowsize", type=_option_value("windowsize"), metavar="N",
        help="ask for N-block windows (1-65535)",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=_option_value("timeout"), metavar="S",
        help="ask for an S-second retransmission timeout (1-255)",
    )  # fmt: skip
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


def local_name(remote: str) -> str | None:
    """The name a file asked for as ``remote`` is saved under: its last component, whether
    the server's names use ``/`` or ``\\``. ``None`` when that is no file name (``..``,
    ``.``, empty, a name ending in a separator)."""
    name = remote.replace("\\", "/").rsplit("/", 1)[-1]
    if name in ("", ".", "..") or "\0" in name:
        return None
    return name


def register(subparsers: Any) -> None:
    """Add the ``get`` subcommand."""
    parser = subparsers.add_parser(
        "get",
        help="download a file over TFTP",
        description=(
            "Download FILE from the TFTP server HOST. The file is written beside its target "
            "and renamed into place once complete, so a failed or interrupted download "
            "(Ctrl-C, SIGTERM) leaves nothing behind. An existing file is never replaced "
            "without --force."
        ),
    )
    parser.add_argument("host", metavar="HOST")
    parser.add_argument("file", metavar="FILE", help="name of the file on the server")
    parser.add_argument(
        "-o", "--output", metavar="OUT",
        help="where to write it: a file, a directory to save FILE's base name in, or '-' for "
        "standard output (default: FILE's base name, here)",
    )  # fmt: skip
    parser.add_argument(
        "--force", action="store_true", help="replace OUT if it exists (a link is replaced, "
        "not written through)",
    )  # fmt: skip
    parser.add_argument(
        "--max-size", type=parse_size, default=_DEFAULT_MAX_SIZE, metavar="SIZE",
        help="refuse a file larger than SIZE, e.g. 512K, 64M; the server is stopped with "
        f"ERROR 3 (default: {_DEFAULT_MAX_SIZE})",
    )  # fmt: skip
    add_transfer_options(parser)
    parser.set_defaults(handler=_run)


def _usage_error(message: str) -> int:
    print(f"ciscocfg get: {message}", file=sys.stderr)
    return EXIT_USAGE


def _target(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """Where the download goes (``None``: standard output), or the reason it cannot go
    anywhere; checked before anything is sent (:class:`~ciscocfg.WriteRefused` for a target
    that may not be written)."""
    from ciscocfg._terminal import escape_for_terminal
    from ciscocfg._writing import check_writable

    output: str | None = args.output
    if output == "-":
        return None, None
    if output == "":
        return None, "-o: an empty name"
    if output is None or output.endswith(("/", os.sep)) or os.path.isdir(output):
        name = local_name(args.file)
        if name is None:
            return None, (
                f"{escape_for_terminal(args.file)}: not a file name to save under; "
                "name the local file with -o"
            )
        target = name if output is None else os.path.join(output, name)
    else:
        target = output
    # The rules every command writes by (raises WriteRefused): a file there is replaced only
    # with --force, a link is replaced rather than written through, a folder never.
    check_writable(target, force=args.force)
    return target, None


def _run(args: argparse.Namespace) -> int:
    import asyncio
    import contextlib
    import signal

    from ciscocfg._terminal import escape_for_terminal
    from ciscocfg.aio import Download, TransferError, download
    from ciscocfg.cli._progress import ProgressBar

    target, problem = _target(args)
    if problem is not None:
        return _usage_error(problem)
    bar = ProgressBar(escape_for_terminal(args.file, 60))
    if args.quiet:
        bar.enabled = False
    signals: list[int] = []

    async def fetch() -> Download:
        # SIGTERM (and SIGINT) cancel the download, which removes its temporary file and tells
        # the server; left to their defaults, SIGTERM would end the process on the spot.
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None

        def stop(signum: int) -> None:
            signals.append(signum)
            task.cancel()

        installed = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, stop, signum)
                installed.append(signum)
        try:
            return await download(
                args.host,
                args.file,
                target,
                on_progress=bar,
                max_size=args.max_size,
                overwrite=args.force,
                **transfer_keywords(args),
            )
        finally:
            for signum in installed:
                loop.remove_signal_handler(signum)

    try:
        result = asyncio.run(fetch())
    except TransferError as exc:
        # The file asked for is the command's input: a transfer that fails is input it
        # cannot read.
        bar.finish()
        print(f"ciscocfg get: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except asyncio.CancelledError:
        bar.finish()
        signum = signals[0] if signals else signal.SIGINT
        print(
            f"ciscocfg get: {signal.Signals(signum).name}: download abandoned, nothing written",
            file=sys.stderr,
        )
        return 128 + signum
    bar.finish()
    if target is None:
        assert result.data is not None
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    return 0

"""``ciscocfg serve [ROOT] [--inventory URL]``: a TFTP server for a provisioning tree, or for
the phones of an inventory with their files made on request."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

from ciscocfg.cli._common import EXIT_USAGE, listen_port

if TYPE_CHECKING:
    from ciscocfg.inventory import InventoryHandler

__all__ = ["parse_size", "register"]

_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str) -> int:
    """``"64M"`` -> 67108864; plain numbers are bytes; K, M, G are powers of 1024."""
    value = text.strip().lower().removesuffix("b").removesuffix("i")
    unit = value[-1:] if value[-1:] in ("k", "m", "g") else ""
    number = value[: len(value) - len(unit)]
    try:
        size = int(number) * _UNITS[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from None
    if size < 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    return size


def register(subparsers: Any) -> None:
    """Add the ``serve`` subcommand."""
    parser = subparsers.add_parser(
        "serve",
        help="serve a provisioning tree over TFTP",
        description=(
            "Serve ROOT over TFTP, read-only unless --allow-write. With --inventory, each "
            "phone's files are made on request from the inventory as it is at that moment "
            "(checked, never written), and ROOT, if given, serves every other name (firmware, "
            "ring tones). Each transfer is logged as one line. Stop with Ctrl-C or SIGTERM: "
            "transfers in flight get --shutdown-grace seconds to finish (a second Ctrl-C aborts "
            "them at once)."
        ),
    )
    parser.add_argument(
        "root", metavar="ROOT", nargs="?", help="directory to serve (optional with --inventory)"
    )
    parser.add_argument(
        "--inventory", metavar="URL",
        help="serve the phones' files from an inventory: a CSV file's path, sqlite:///PATH or "
        "postgresql://USER@HOST/DB (needs ciscocfg[postgres])",
    )  # fmt: skip
    parser.add_argument(
        "--firmware", metavar="IMAGE",
        help="with --inventory: the image of phones of its family whose row names none "
        "(default: the newest SIP image known for each family)",
    )  # fmt: skip
    parser.add_argument(
        "--timezone", metavar="ZONE", help="with --inventory: time zone of rows that name none"
    )
    parser.add_argument(
        "--ntp", metavar="HOST", help="with --inventory: NTP server of rows that name none"
    )
    parser.add_argument(
        "--dialplan", metavar="FILE",
        help="with --inventory: the dialplan.xml to serve, read once at start "
        "(default: the generator's plan)",
    )  # fmt: skip
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on; '::' for every address, "
        "IPv6 and IPv4 (default: 127.0.0.1)",
    )  # fmt: skip
    parser.add_argument(
        "--port", type=listen_port, default=6969,
        help="UDP port, 0-65535; 0 takes any free port (default: 6969)",
    )  # fmt: skip
    parser.add_argument(
        "--allow-write", action="store_true", help="accept uploads of new files into ROOT"
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="let uploads replace existing files"
    )
    parser.add_argument(
        "--max-upload", type=parse_size, default="64M", metavar="SIZE",
        help="largest upload accepted, e.g. 512K, 64M (default: 64M)",
    )  # fmt: skip
    parser.add_argument(
        "--max-blksize", type=int, default=65464, metavar="N",
        help="largest block size granted; 1468 suits fragile clients (default: 65464)",
    )  # fmt: skip
    parser.add_argument(
        "--max-windowsize", type=int, default=64, metavar="N",
        help="largest RFC 7440 window granted (default: 64)",
    )  # fmt: skip
    parser.add_argument(
        "--max-transfers", type=int, default=512, metavar="N",
        help="transfers served at once; more are refused with 'Server busy', except that a "
        "request may take the place of one never answered (default: 512)",
    )  # fmt: skip
    parser.add_argument(
        "--max-per-client", type=int, default=64, metavar="N",
        help="transfers one client address may hold at once (default: 64)",
    )  # fmt: skip
    parser.add_argument(
        "--window-budget", type=parse_size, default="32M", metavar="SIZE",
        help="memory all downloads together may hold for their windows; past it, windows "
        "and blocks are granted smaller (default: 32M)",
    )  # fmt: skip
    parser.add_argument(
        "--max-stall", type=float, default=30.0, metavar="SECONDS",
        help="give up a transfer whose client has made no progress for this long, whatever "
        "timeout it asked for (default: 30)",
    )  # fmt: skip
    parser.add_argument(
        "--shutdown-grace", type=float, default=3.0, metavar="SECONDS",
        help="on Ctrl-C or SIGTERM, how long transfers in flight may take to finish before "
        "they are aborted (default: 3)",
    )  # fmt: skip
    parser.add_argument(
        "--case-sensitive", action="store_true",
        help="look names up exactly as spelled (default: ignore case, as phones spell MACs "
        "both ways)",
    )  # fmt: skip
    parser.add_argument(
        "--busy-poll", type=float, default=None, metavar="USEC",
        help="after each packet, poll for up to USEC microseconds before sleeping; it turns "
        "itself off while peers answer slower than that (default: 100 on more than one CPU; "
        "0 never polls)",
    )  # fmt: skip
    parser.add_argument("-q", "--quiet", action="store_true", help="log only problems")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import asyncio
    import errno
    import os
    import signal

    from ciscocfg.aio import TftpServer, run
    from ciscocfg.tftp import ServerPolicy

    if args.root is None and args.inventory is None:
        print("ciscocfg serve: give ROOT, --inventory URL, or both", file=sys.stderr)
        return 2
    if args.root is not None and not os.path.isdir(args.root):
        print(f"ciscocfg serve: {args.root}: not a directory", file=sys.stderr)
        return 2
    if args.allow_write and args.root is None:
        print("ciscocfg serve: --allow-write needs ROOT to write into", file=sys.stderr)
        return 2
    defaults = (args.firmware, args.timezone, args.ntp, args.dialplan)
    if args.inventory is None and any(value is not None for value in defaults):
        print(
            "ciscocfg serve: --firmware, --timezone, --ntp and --dialplan go with --inventory",
            file=sys.stderr,
        )
        return 2
    handler = None
    if args.inventory is not None:
        handler = _inventory_handler(args)
        if handler is None:
            return 2
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    if args.busy_poll is not None and not args.busy_poll >= 0:
        print(f"ciscocfg serve: --busy-poll must be >= 0, not {args.busy_poll}", file=sys.stderr)
        return 2
    busy_poll = None if args.busy_poll is None else args.busy_poll * 1e-6
    if args.max_per_client < 1 or args.max_transfers < 1:
        print("ciscocfg serve: --max-transfers and --max-per-client must be at least 1",
              file=sys.stderr)  # fmt: skip
        return 2
    if not args.shutdown_grace >= 0:
        print("ciscocfg serve: --shutdown-grace must be >= 0", file=sys.stderr)
        return 2
    try:
        policy = ServerPolicy(
            max_blksize=args.max_blksize,
            max_windowsize=args.max_windowsize,
            max_upload_size=args.max_upload,
            max_stall=args.max_stall,
        )
    except ValueError as exc:
        print(f"ciscocfg serve: {exc}", file=sys.stderr)
        return 2

    async def main() -> int:
        if handler is not None:
            from ciscocfg.inventory import InventoryError

            try:
                await handler.source.open()
                count = len(await handler.source.phones())
            except InventoryError as exc:
                print(f"ciscocfg serve: {exc}", file=sys.stderr)
                return 2
            logging.getLogger("ciscocfg.aio.server").info(
                "serving the files of %d phones of %s, made on request",
                count,
                handler.source.name,
            )
        server = TftpServer(
            args.root,
            handler=handler,
            host=args.host,
            port=args.port,
            allow_write=args.allow_write,
            overwrite=args.overwrite,
            max_upload_size=args.max_upload,
            max_transfers=args.max_transfers,
            max_per_client=args.max_per_client,
            window_budget=args.window_budget,
            shutdown_grace=args.shutdown_grace,
            policy=policy,
            case_insensitive=not args.case_sensitive,
        )
        loop = asyncio.get_running_loop()
        stops = 0
        closing: set[asyncio.Task[None]] = set()

        def stop() -> None:
            nonlocal stops
            stops += 1
            if stops == 1:
                logging.getLogger("ciscocfg.aio.server").info(
                    "stopping: %d transfers in flight", server.active_transfers
                )
            task = loop.create_task(server.close(abort=stops > 1))
            closing.add(task)
            task.add_done_callback(closing.discard)

        try:
            await server.start()
        except OSError as exc:
            where = f"[{args.host}]:{args.port}" if ":" in args.host else f"{args.host}:{args.port}"
            print(
                f"ciscocfg serve: cannot listen on {where}: {exc.strerror or exc}"
                + (" (another server listens there?)" if exc.errno == errno.EADDRINUSE else ""),
                file=sys.stderr,
            )
            if handler is not None:
                await handler.source.close()
            return EXIT_USAGE
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop)
        try:
            await server.serve_forever()
        finally:
            if handler is not None:
                await handler.source.close()
        return 0

    return run(main(), busy_poll=busy_poll)


def _inventory_handler(args: argparse.Namespace) -> InventoryHandler | None:
    """The handler for ``--inventory``, or None after saying what is wrong."""
    from ciscocfg.generate import PhoneSpecError
    from ciscocfg.inventory import InventoryError, InventoryHandler, open_inventory

    try:
        dialplan = None
        if args.dialplan is not None:
            with open(args.dialplan, "rb") as file:
                dialplan = file.read()
        return InventoryHandler(
            open_inventory(args.inventory),
            case_insensitive=not args.case_sensitive,
            firmware=args.firmware,
            timezone=args.timezone,
            ntp=args.ntp,
            dialplan=dialplan,
        )
    except (InventoryError, PhoneSpecError, OSError) as exc:
        print(f"ciscocfg serve: {exc}", file=sys.stderr)
        return None

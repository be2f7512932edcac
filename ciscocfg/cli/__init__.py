"""The ``ciscocfg`` command line.

Each subcommand lives in its own module in this package, named ``cmd_<name>.py``, and defines
``register(subparsers)``, which adds its parser and sets ``handler`` to a function taking the
parsed arguments and returning the exit status. Subcommand modules import their codecs inside
the handler, so ``ciscocfg --version`` stays fast.

Exit status, the same for every command (:data:`~ciscocfg.cli._common.EXIT_STATUS_HELP`, shown
at the end of every ``--help``): 0 clean, 1 a finding at error level, 2 a usage error or input
the command cannot read. Errors a handler does not catch are mapped here, once: the library's
:class:`~ciscocfg.CiscoCfgError` (a file it cannot parse, a write refused, a server that does
not answer) and :class:`OSError` (a missing file) are input the command cannot read.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ciscocfg import __version__
from ciscocfg._errors import CiscoCfgError, WriteRefused
from ciscocfg.cli._common import EXIT_FINDINGS, EXIT_OK, EXIT_STATUS_HELP, EXIT_USAGE

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]


class _HelpFormatter(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal as usual; the exit status table kept as laid out."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        head, marker, table = text.partition(EXIT_STATUS_HELP)
        if not marker:
            return super()._fill_text(text, width, indent)
        filled = super()._fill_text(head, width, indent) + "\n\n" if head.strip() else ""
        return filled + "".join(indent + line for line in (marker + table).splitlines(True))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand module found in this package."""
    parser = argparse.ArgumentParser(
        prog="ciscocfg",
        description="Read, check, fix and serve Cisco 79xx provisioning files.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ciscocfg {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(subparsers)
    # One table of exit statuses, at the end of every command's help.
    for command in subparsers.choices.values():
        command.epilog = (
            f"{command.epilog}\n\n{EXIT_STATUS_HELP}" if command.epilog else EXIT_STATUS_HELP
        )
        command.formatter_class = _HelpFormatter
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = handler(args)
    except WriteRefused as exc:
        from ciscocfg._terminal import escape_for_terminal

        # Nothing was written: the command cannot do what it was asked without losing a file.
        print(f"ciscocfg: {escape_for_terminal(str(exc), 1000)}", file=sys.stderr)
        return EXIT_USAGE
    except CiscoCfgError as exc:
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"ciscocfg: {_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return status


def _os_error(exc: OSError) -> str:
    """``PATH: No such file or directory`` rather than Python's ``[Errno 2] ...: 'PATH'``."""
    if exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return exc.strerror or str(exc)

"""The ``ciscocfg`` command line.

Each subcommand lives in its own module in this package, named ``cmd_<name>.py``, and defines
``register(subparsers)``, which adds its parser and sets ``handler`` to a function taking the
parsed arguments and returning the exit status. Subcommand modules import their codecs inside
the handler, so ``ciscocfg --version`` stays fast.

Exit status: 0 on success, 1 when findings of severity error were reported, 2 on bad usage
and on a write refused because it would lose a file (``ciscocfg: PATH: reason``).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ciscocfg import __version__
from ciscocfg._errors import CiscoCfgError, WriteRefused

__all__ = ["build_parser", "main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand module found in this package."""
    parser = argparse.ArgumentParser(
        prog="ciscocfg",
        description="Read, check, fix and serve Cisco 79xx provisioning files.",
    )
    parser.add_argument("--version", action="version", version=f"ciscocfg {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("cmd_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(subparsers)
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
        return EXIT_FINDINGS
    except OSError as exc:
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    return status

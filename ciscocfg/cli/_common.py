"""What every command shares: exit statuses, ``--format``, port numbers, findings as text or
JSON, and the files a list of paths stands for."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_STATUS_HELP",
    "EXIT_USAGE",
    "FORMATS",
    "add_format_option",
    "files_under",
    "listen_port",
    "port_number",
    "print_json",
    "program",
    "status_of",
    "summary",
    "tolerant_stdout",
]

#: Nothing at error level.
EXIT_OK = 0
#: A finding at error level (``fmt --check``: a file would be repaired).
EXIT_FINDINGS = 1
#: A usage error, or input the command cannot read.
EXIT_USAGE = 2

#: The table every command's ``--help`` ends with.
EXIT_STATUS_HELP = """\
exit status:
  0    clean: no finding at error level
  1    a finding at error level (fmt --check: a file would be repaired)
  2    usage error, or input the command cannot read: a missing file, a file of no
       known kind, a server that does not answer, a transfer or a write refused
  130  interrupted (Ctrl-C)"""

#: The output formats of ``--format``.
FORMATS = ("text", "json")


def add_format_option(parser: argparse.ArgumentParser, *, also: Sequence[str] = ()) -> None:
    """``--format text|json``: the output format (``also``: old values still accepted)."""
    parser.add_argument(
        "--format",
        choices=(*FORMATS, *also),
        default="text",
        metavar="{text,json}",
        help="output: lines for a person (default) or JSON for tools",
    )


def port_number(text: str) -> int:
    """A UDP port to send to, 1 to 65535 (an argument type: anything else is a usage error)."""
    return _port(text, low=1)


def listen_port(text: str) -> int:
    """A UDP port to listen on, 0 (any free port) to 65535."""
    return _port(text, low=0)


def _port(text: str, *, low: int) -> int:
    try:
        port = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not low <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is not between {low} and 65535")
    return port


def status_of(findings: Iterable[Diagnostic]) -> int:
    """1 when a finding is at error level, else 0."""
    return EXIT_FINDINGS if any(d.severity == "error" for d in findings) else EXIT_OK


def summary(findings: Sequence[Diagnostic]) -> str:
    """``2 error(s), 1 warning(s), 0 note(s)``, or ``no findings``."""
    if not findings:
        return "no findings"
    counts = {s: sum(1 for d in findings if d.severity == s) for s in ("error", "warning", "info")}
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)"


def print_json(value: Any) -> None:
    """``value`` as indented JSON on standard output (text kept as it is, ``\\u`` escapes for
    what is not ASCII, so that no terminal or pipe can garble it)."""
    json.dump(value, sys.stdout, indent=2)
    sys.stdout.write("\n")


def program() -> str:
    """How to run this program again from where it was started, for a command a message
    suggests: ``ciscocfg`` when that name finds this program, else the path it was started by
    (``.venv/bin/ciscocfg``), or ``python -m ciscocfg`` with this Python."""
    started = sys.argv[0] if sys.argv else ""
    name = os.path.basename(started)
    if name == "__main__.py":
        return f"{shlex.quote(sys.executable)} -m ciscocfg"
    if not name.startswith("ciscocfg"):
        return "ciscocfg"  # called from Python: the name it is installed under
    found = shutil.which("ciscocfg")
    if found is not None and os.path.realpath(found) == os.path.realpath(started):
        return "ciscocfg"
    return shlex.quote(started)


def tolerant_stdout() -> None:
    """Findings quote file content (typographic quotes ...): never fail on a narrow terminal."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def files_under(path: str) -> Iterator[str]:
    """``path`` itself, or every file below the folder ``path`` (in name order, hidden files
    and folders skipped, links to folders not followed)."""
    if not os.path.isdir(path):
        yield path
        return
    for folder, subfolders, names in os.walk(path):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield os.path.join(folder, name)

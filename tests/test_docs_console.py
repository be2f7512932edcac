"""The ``ciscocfg`` sessions the pages show, run as written: the output is what the page shows.

A ``console`` block after ``<!-- run: ... -->`` is a session: each ``$ ciscocfg ...`` line (with
``\\`` continuations) runs in this process, and what it prints, standard output then standard
error, must be the lines that follow it up to the next ``$``; a line ``...`` stands for any
lines. The blocks of a page run in order, in one temporary folder: the current folder is
``home`` in it, and absolute paths under ``/srv/`` and ``/etc/`` are taken into it (and back in
the output). A block after ``<!-- file: NAME -->`` is saved as NAME in the current folder; a
block after ``<!-- written: PATH -->`` must be what the sessions before it wrote to PATH.
``$ sudo install -d ... DIR`` makes DIR; no other command may appear in a session.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT

from ciscocfg.cli import main

_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```\n", re.M | re.S)
_RUN = re.compile(r"<!-- run\b[^>]*-->")
_FILE = re.compile(r"<!-- file: (?P<name>[\w.-]+) -->")
_WRITTEN = re.compile(r"<!-- written: (?P<name>[\w./-]+) -->")
_MAPPED = ("/srv/", "/etc/")

PAGES = [
    PROJECT_ROOT / "docs" / "tutorial.md",
    *sorted((PROJECT_ROOT / "docs" / "howto").glob("*.md")),
]


def sessions(text: str) -> Iterator[tuple[str, str, str]]:
    """(kind, name or "", body) for each block to run or save, in page order."""
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().splitlines()
        marker = before[-1] if before else ""
        saved = _FILE.search(marker)
        written = _WRITTEN.search(marker)
        if saved:
            yield "file", saved.group("name"), match.group("body")
        elif written:
            yield "written", written.group("name"), match.group("body")
        elif _RUN.search(marker):
            assert match.group("lang") == "console", marker
            yield "run", "", match.group("body")


def commands(body: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a session."""
    pairs: list[tuple[str, list[str]]] = []
    lines = iter(body.splitlines())
    for line in lines:
        if line.startswith("$ "):
            command = line[2:]
            while command.endswith("\\"):
                command = command[:-1] + " " + next(lines).strip()
            pairs.append((command, []))
        else:
            assert pairs, f"output before the first command: {line!r}"
            pairs[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in out)) for command, out in pairs]


def _mapped(arg: str, tmp: Path) -> str:
    for prefix in _MAPPED:
        arg = arg.replace(prefix, f"{tmp}{prefix}")
    return arg


def run_command(command: str, tmp: Path) -> str:
    argv = [_mapped(arg, tmp) for arg in shlex.split(command)]
    if argv[:3] == ["sudo", "install", "-d"]:
        Path(argv[-1]).mkdir(parents=True)
        return ""
    assert argv[0] == "ciscocfg", f"a session runs ciscocfg alone: {command}"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(argv[1:])
    printed = out.getvalue() + err.getvalue()
    for prefix in _MAPPED:
        printed = printed.replace(f"{tmp}{prefix}", prefix)
    return printed


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(PROJECT_ROOT).as_posix())
def test_sessions_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    checker = doctest.OutputChecker()
    ran = 0
    before = Path.cwd()
    os.chdir(home)
    try:
        for kind, name, body in sessions(page.read_text(encoding="utf-8")):
            if kind == "file":
                (home / name).write_text(body, encoding="utf-8")
                continue
            if kind == "written":
                text = Path(_mapped(name, tmp_path)).read_text(encoding="utf-8")
                for prefix in _MAPPED:
                    text = text.replace(f"{tmp_path}{prefix}", prefix)
                assert text == body, f"{page.name}: {name} as written:\n{text}"
                ran += 1
                continue
            for command, expected in commands(body):
                got = run_command(command, tmp_path)
                assert checker.check_output(expected, got, doctest.ELLIPSIS), (
                    f"{page.name}: $ {command}\n--- the page shows\n{expected}--- it printed\n{got}"
                )
                ran += 1
    finally:
        os.chdir(before)
    if page.name == "tutorial.md":
        assert ran >= 5

"""The Python examples of the tutorial, the how-to guides, the format pages and the README run
as written.

Each page's code blocks run in order in one namespace, in a temporary directory holding a copy of
``examples/tftproot`` (as ``examples/tftproot``, and its files at the top too, as a TFTP root of
one's own). ``pycon`` blocks are doctests: their output must be what the page shows. A block
after ``<!-- not run: why -->`` is skipped (a fragment, or one that needs a phone or port 69);
a block after ``<!-- file: NAME -->`` is saved as NAME instead of being run, for the blocks that
follow it; a block after ``<!-- exits: N -->`` must raise ``SystemExit(N)``. Paths under
``/tmp/`` in the examples are taken to the temporary directory.
Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import doctest
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.paths import PROJECT_ROOT

from ciscocfg import aio, cnf
from ciscocfg.cli import main as cli_main

EXAMPLE_TREE = PROJECT_ROOT / "examples" / "tftproot"

_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```\n", re.M | re.S)
_NOT_RUN = re.compile(r"<!-- not run\b[^>]*-->")
_FILE = re.compile(r"<!-- file: (?P<name>[\w.-]+) -->")
_EXITS = re.compile(r"<!-- exits: (?P<status>\d+) -->")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: str
    line: int
    lang: str
    body: str
    marker: str  # the last non-blank line before the fence

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        before = text[: match.start()].rstrip().splitlines()
        found.append(
            Block(
                page=str(page.relative_to(PROJECT_ROOT)),
                line=text.count("\n", 0, match.start()) + 1,
                lang=match.group("lang"),
                body=match.group("body"),
                marker=before[-1] if before else "",
            )
        )
    return found


def _to_tmp(code: str, tmp: Path) -> str:
    return code.replace("/tmp/", f"{tmp}/")


class _Checker(doctest.OutputChecker):
    """Exact output, except blank lines at the end (``print`` of a file's text ends in one)."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        trimmed = got.rstrip("\n") + "\n" if got.strip() else got
        return super().check_output(want, trimmed, optionflags)


def _run_doctest(block: Block, namespace: dict[str, Any], tmp: Path) -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(_to_tmp(block.body, tmp), namespace, block.name, block.page, 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(checker=_Checker(), optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # the DocTest ran on a copy; later blocks build on it
    assert runner.failures == 0, f"{block.name}:\n" + "".join(report)


def _call_tests(namespace: dict[str, Any]) -> int:
    """Call the ``test_*`` functions a block defined, once per ``parametrize`` case."""
    called = 0
    for name, function in list(namespace.items()):
        if not (name.startswith("test_") and callable(function)):
            continue
        marks = [mark for mark in getattr(function, "pytestmark", []) if mark.name == "parametrize"]
        if not marks:
            function()
            called += 1
            continue
        names, cases = marks[0].args
        if isinstance(names, str):
            names = [part.strip() for part in names.split(",")]
        for case in cases:
            values = case if isinstance(case, tuple) else (case,)
            function(**dict(zip(names, values, strict=True)))
            called += 1
    return called


def run_page(page: Path, tmp: Path) -> dict[str, int]:
    """Run the page's blocks; how many of each kind ran (for the test to check)."""
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    counts = {"python": 0, "pycon": 0, "file": 0, "tests": 0}
    for block in blocks(page):
        if _NOT_RUN.search(block.marker):
            continue
        saved = _FILE.search(block.marker)
        if saved:
            (tmp / saved.group("name")).write_text(block.body, encoding="utf-8")
            counts["file"] += 1
        elif block.lang == "pycon":
            _run_doctest(block, namespace, tmp)
            counts["pycon"] += 1
        elif block.lang == "python":
            code = compile(_to_tmp(block.body, tmp), block.name, "exec")
            exits = _EXITS.search(block.marker)
            if exits is None:
                exec(code, namespace)
            else:  # a script's guard: it must stop with the status the page says
                with pytest.raises(SystemExit) as stopped:
                    exec(code, namespace)
                assert stopped.value.code == int(exits.group("status")), block.name
            counts["python"] += 1
    counts["tests"] = _call_tests(namespace)
    return counts


@contextlib.contextmanager
def in_directory(path: Path) -> Iterator[None]:
    """Run with ``path`` as the working directory and first on ``sys.path``."""
    before = Path.cwd()
    modules = set(sys.modules)
    os.chdir(path)
    sys.path.insert(0, str(path))
    try:
        yield
    finally:
        os.chdir(before)
        sys.path.remove(str(path))
        for name in set(sys.modules) - modules:  # the pages' own modules (phone_configs ...)
            if getattr(sys.modules[name], "__file__", None) and str(path) in str(
                sys.modules[name].__file__
            ):
                del sys.modules[name]


def _story_tree(tmp: Path, *, account: bool) -> None:
    """``/tmp/tftproot`` as the tutorial leaves it: repaired, and with the account filled in."""
    root = tmp / "tftproot"
    shutil.copytree(EXAMPLE_TREE, root)
    files = [str(root / "SIPDefault.cnf"), str(root / "SIP0012D9A1B2C3.cnf")]
    assert cli_main(["fmt", "--write", *files]) == 0
    if account:
        doc = cnf.load(root / "SIP0012D9A1B2C3.cnf")
        for key, value in {
            "line1_name": "2345678e0",
            "line1_authname": "2345678e0",
            "line1_password": "the-password",
            "line1_shortname": "2345678",
            "line1_displayname": "Kitchen",
        }.items():
            doc[key] = value
        cnf.dump(doc, root / "SIP0012D9A1B2C3.cnf")


def _database(tmp: Path) -> None:
    """``phones.db`` from the page's SQL, plus the row the page's refusal example asks for."""
    with contextlib.closing(sqlite3.connect(tmp / "phones.db")) as db:
        db.executescript((tmp / "phones.sql").read_text(encoding="utf-8"))
        db.execute(
            "INSERT INTO phones VALUES ('00000000000B', '7940', 'Quote', '299', 'pa\"ss', 'Q')"
        )
        db.commit()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE_TREE, tmp_path / "examples" / "tftproot")
    for item in EXAMPLE_TREE.iterdir():
        if item.is_file():
            shutil.copyfile(item, tmp_path / item.name)
    return tmp_path


def _sql_first(tmp: Path, page: Path) -> None:
    # The database is made from a block of the page before the Python blocks use it.
    for block in blocks(page):
        saved = _FILE.search(block.marker)
        if saved and saved.group("name") == "phones.sql":
            (tmp / "phones.sql").write_text(block.body, encoding="utf-8")
    _database(tmp)


SETUP: dict[str, Callable[[Path, Path], None]] = {
    "docs/tutorial.md": lambda tmp, page: _story_tree(tmp, account=False),
    "docs/howto/migrate.md": lambda tmp, page: _story_tree(tmp, account=True),
    "docs/howto/generate-configs.md": _sql_first,
}

PAGES = [
    PROJECT_ROOT / "README.md",
    PROJECT_ROOT / "docs" / "tutorial.md",
    *sorted((PROJECT_ROOT / "docs" / "howto").glob("*.md")),
    *sorted((PROJECT_ROOT / "docs" / "formats").glob("*.md")),
    PROJECT_ROOT / "docs" / "reference" / "errors.md",
    PROJECT_ROOT / "docs" / "reference" / "diagnostic.md",
]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(PROJECT_ROOT).as_posix())
def test_page_examples_run(page: Path, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    relative = page.relative_to(PROJECT_ROOT).as_posix()
    setup = SETUP.get(relative)
    if setup is not None:
        setup(workdir, page)
    with in_directory(workdir):
        counts = run_page(page, workdir)
    capsys.readouterr()
    runnable = [
        block
        for block in blocks(page)
        if block.lang in {"python", "pycon"} and not _NOT_RUN.search(block.marker)
    ]
    assert counts["python"] + counts["pycon"] + counts["file"] >= len(runnable), counts
    # Every fence names its language: a block without one is prose between two fences paired
    # wrongly (a lost opening fence), which would hide the code after it from this test.
    assert [block.name for block in blocks(page) if not block.lang] == []
    if relative == "docs/howto/dialplan.md":
        # The page's own pytest table ran, one call per row.
        assert counts["tests"] == 4, counts


def test_migrate_page_shows_the_xml_its_example_writes(workdir: Path) -> None:
    page = PROJECT_ROOT / "docs" / "howto" / "migrate.md"
    _story_tree(workdir, account=True)
    with in_directory(workdir):
        run_page(page, workdir)
    shown = next(
        block.body
        for block in blocks(page)
        if block.lang == "xml" and "cnf_to_sepxml" in block.marker
    )
    written = (workdir / "SEP0012D9A1B2C3.cnf.xml").read_text(encoding="utf-8")
    assert written.rstrip("\n") == shown.rstrip("\n")


def test_generate_configs_page_answers_as_shown(workdir: Path) -> None:
    page = PROJECT_ROOT / "docs" / "howto" / "generate-configs.md"
    _sql_first(workdir, page)
    with in_directory(workdir):
        counts = run_page(page, workdir)
    assert counts["pycon"] == 3
    assert {"phone_configs.py", "serve_phones.py", "SIPDefault.cnf"} <= {
        path.name for path in workdir.iterdir()
    }


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_bound(port: int, server: subprocess.Popen[str]) -> None:
    """Until the server holds its port (binding it ourselves fails), or it has exited."""
    deadline = time.monotonic() + 20
    while server.poll() is None and time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return
        time.sleep(0.05)
    raise AssertionError(f"the server did not bind port {port}: exit status {server.poll()}")


@dataclass
class PageServer:
    """A server script written by a docs page, running on a free loopback port."""

    port: int
    process: subprocess.Popen[str]
    out: str = ""
    err: str = ""

    def fetch(self, name: str) -> bytes:
        async def download() -> bytes:
            result = await aio.download("127.0.0.1", name, port=self.port)
            assert result.data is not None  # no target given: the bytes come back
            return result.data

        return asyncio.run(download())


@contextlib.contextmanager
def page_server(workdir: Path, script: str, *args: str) -> Iterator[PageServer]:
    """Run ``script`` (written by a page) with ``args`` and a free port; stop it afterwards.

    The script imports ciscocfg the way a reader's would: from the environment the tests run
    in (the installed wheel in CI), never from a path forced here.
    """
    path = workdir / script
    assert path.exists()
    port = _free_udp_port()
    process = subprocess.Popen(
        [sys.executable, str(path), *args, str(port)],
        cwd=workdir,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    server = PageServer(port, process)
    try:
        _wait_until_bound(port, process)
        yield server
    finally:
        process.terminate()
        server.out, server.err = process.communicate(timeout=10)


def test_embed_tftp_page_server_serves_the_tree(workdir: Path) -> None:
    """The threaded server of the embedding how-to, run as the page runs it."""
    page = PROJECT_ROOT / "docs" / "howto" / "embed-tftp.md"
    with in_directory(workdir):
        run_page(page, workdir)
    tree = str(workdir / "examples" / "tftproot")
    with page_server(workdir, "tiny_tftpd.py", tree) as server:
        wanted = EXAMPLE_TREE / "SIP0012D9A1B2C3.cnf"
        assert server.fetch(wanted.name) == wanted.read_bytes()
        with pytest.raises(aio.TransferError) as missing:
            server.fetch("SEP0012D9A1B2C3.cnf.xml")
        assert missing.value.code == 1  # "file not found": the loader goes on with its hunt
        ring = EXAMPLE_TREE / "LowBell.raw"
        assert server.fetch(ring.name) == ring.read_bytes()
    assert "sent SIP0012D9A1B2C3.cnf: 738 bytes in 2 blocks" in server.out, server
    assert "failed SEP0012D9A1B2C3.cnf.xml: file not found" in server.out


def test_tftp_page_select_loop_serves_its_generated_config(workdir: Path) -> None:
    """The ``select`` loop of the TFTP format page, run as a script on a free loopback port."""
    page = PROJECT_ROOT / "docs" / "formats" / "tftp.md"
    with in_directory(workdir):
        run_page(page, workdir)
    with page_server(workdir, "select_server.py") as server:
        generated = server.fetch("SEP001122334455.cnf.xml")
        assert generated == b"<device><deviceProtocol>SIP</deviceProtocol></device>\n"
        with pytest.raises(aio.TransferError) as missing:
            server.fetch("SIPDefault.cnf")
        assert missing.value.code == 1
    assert "SEP001122334455.cnf.xml TransferComplete(" in server.out, server
    assert "SIPDefault.cnf TransferFailed(" in server.out, server

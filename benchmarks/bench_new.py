"""``ciscocfg new --csv`` of a 10,000-phone inventory, end to end, beside what it is made of.

Every contender starts from the same CSV text (six models, one line each) and, where it writes,
writes into a new empty folder:

* **f-string writer**: split the CSV rows and write one f-string per phone with ``open`` and
  ``write``, checking nothing and syncing nothing (the script a person writes first; the
  baseline);
* **f-string writer, synced**: the same, each file written to a temporary name, flushed to the
  disk (``fsync``) and renamed into place, as ``ciscocfg`` writes every file;
* **read and render only**: ``read_inventory`` (every row checked) and ``render_tree`` (every
  file built by its codec and checked by its validator), in memory, nothing written;
* **ciscocfg new --csv**: the command, run in this process as a user runs it (``-q``): read,
  check, render, then write every file all or nothing (synced, renamed into place).

Run: ``python benchmarks/bench_new.py [--phones N] [--repeats R] [--dir DIR]`` (prints a
Markdown table; DIR is where the folders are written, a temporary folder by default).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import itertools
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from benchmarks.bench_generate import inventory  # noqa: E402
from ciscocfg.cli import main as ciscocfg  # noqa: E402
from ciscocfg.generate import _render, read_inventory, render_tree  # noqa: E402


def f_string_files(text: str) -> dict[str, str]:
    """One file per phone from the rows, the way a template emitter does: no checks."""
    files = {}
    for row in csv.DictReader(io.StringIO(text)):
        mac = row["mac"].upper()
        if row["model"] in ("7940", "7960"):
            files[f"SIP{mac}.cnf"] = (
                f'image_version: "P0S3-8-12-00"\nproxy_register: "1"\n'
                f'phone_label: "{row["label"]}"\nline1_name: "{row["line1_user"]}"\n'
                f'line1_authname: "{row["line1_user"]}"\n'
                f'line1_password: "{row["line1_password"]}"\n'
                f'line1_displayname: "{row["line1_display_name"]}"\n'
                f'proxy1_address: "{row["proxy"]}"\nproxy1_port: "5060"\n'
            )
        else:
            files[f"SEP{mac}.cnf.xml"] = (
                "<device><deviceProtocol>SIP</deviceProtocol><sipProfile><sipLines><line>"
                f"<name>{row['line1_user']}</name><authPassword>{row['line1_password']}"
                f"</authPassword><displayName>{row['line1_display_name']}</displayName>"
                f"</line></sipLines></sipProfile><phoneLabel>{row['label']}</phoneLabel>"
                f"<proxy>{row['proxy']}</proxy></device>\n"
            )
    return files


def write_plain(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in files.items():
        with open(folder / name, "w", encoding="utf-8") as handle:
            handle.write(text)


def write_synced(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in files.items():
        temp = folder / f".{name}.part"
        with open(temp, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, folder / name)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where to write (default: temp)")
    args = parser.parse_args()
    text = inventory(args.phones)
    with tempfile.TemporaryDirectory(dir=args.dir) as work:
        base = Path(work)
        source = base / "phones.csv"
        source.write_text(text, encoding="utf-8")
        fresh = (base / f"run{n}" for n in itertools.count())

        def plain() -> None:
            write_plain(next(fresh), f_string_files(text))

        def synced() -> None:
            write_synced(next(fresh), f_string_files(text))

        def render_only() -> int:
            _render._built.cache_clear()  # as in a new process: every phone built afresh
            return len(render_tree(read_inventory(text)).files)

        def new() -> None:
            _render._built.cache_clear()
            with contextlib.redirect_stdout(io.StringIO()):
                status = ciscocfg(["new", str(next(fresh)), "--csv", str(source), "-q"])
            assert status == 0, status

        results = compare(
            [
                Case("f-string writer", plain, args.phones),
                Case("f-string writer, synced", synced, args.phones),
                Case("read and render only", render_only, args.phones),
                Case("ciscocfg new --csv", new, args.phones),
            ],
            baseline="f-string writer",
            repeats=args.repeats,
        )
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{args.phones:,} phones, median of {args.repeats}\n"
    )
    print(markdown_table(f"{args.phones:,} phones from a CSV inventory", results, "phones"))


if __name__ == "__main__":
    main()

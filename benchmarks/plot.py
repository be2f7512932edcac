"""Draw the benchmark figures of ``docs/benchmarks-*.md`` as one SVG bar chart.

Every benchmark script prints its results with :func:`_harness.markdown_table`: a ``####``
heading, then a table whose last column is each contender's time as a ratio to the baseline of
that table. This script reads those tables back from the Markdown pages and draws, per table, one
bar per contender on a logarithmic axis centred on the baseline (1×): bars to the right are
slower than the baseline, bars to the left faster. Ratios are unitless, so tables measured in
MB/s and in packets/s share one chart. Standard library only::

    python3 benchmarks/plot.py          # every docs/benchmarks-*.md -> docs/img/benchmarks.svg
    python3 benchmarks/plot.py docs/benchmarks-cnf.md -o /tmp/cnf.svg
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["Figure", "Table", "collect", "main", "parse_tables", "render_svg"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "docs" / "img" / "benchmarks.svg"

# Layout of the chart, in SVG user units (pixels).
WIDTH = 760
LABEL_WIDTH = 250  # left column: contender names
VALUE_WIDTH = 70  # right column: the ratio as text
ROW = 20  # one bar
TITLE_ROW = 26  # one table title
MARGIN = 12
FONT = "font-family:sans-serif;font-size:12px"


@dataclass(frozen=True)
class Figure:
    """One contender of one table: its name and its time ratio to the table's baseline."""

    name: str
    ratio: float


@dataclass(frozen=True)
class Table:
    """One benchmark table: the heading above it and its contenders, in the table's order."""

    title: str
    figures: tuple[Figure, ...]


_HEADING = re.compile(r"^#{2,6}\s+(?P<title>.+?)\s*#*\s*$")
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _shorten(name: str, limit: int = 40) -> str:
    """A contender name that fits the label column."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _ratio(cell: str) -> float | None:
    match = _NUMBER.search(cell)
    if match is None:
        return None
    value = float(match.group().replace(",", ""))
    return value if value > 0 else None


def parse_tables(markdown: str) -> list[Table]:
    """The tables of ``markdown`` that have a ratio column, each titled by the heading above it.

    A table qualifies when a header cell contains the word "ratio"; rows whose ratio cell holds
    no positive number (a dash for "not measured", say) are left out.
    """
    tables: list[Table] = []
    title = ""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        heading = _HEADING.match(lines[i])
        if heading:
            title = heading.group("title")
            i += 1
            continue
        is_table = (
            lines[i].lstrip().startswith("|")
            and i + 1 < len(lines)
            and re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", lines[i + 1]) is not None
        )
        if not is_table:
            i += 1
            continue
        header = _cells(lines[i])
        column = next((n for n, cell in enumerate(header) if "ratio" in cell.lower()), None)
        i += 2
        figures: list[Figure] = []
        while i < len(lines) and lines[i].lstrip().startswith("|"):
            row = _cells(lines[i])
            i += 1
            if column is None or column >= len(row):
                continue
            ratio = _ratio(row[column])
            if ratio is not None:
                figures.append(Figure(name=row[0].strip("`* "), ratio=ratio))
        if figures:
            tables.append(Table(title=title or f"table {len(tables) + 1}", figures=tuple(figures)))
    return tables


def _axis_limits(tables: Sequence[Table]) -> tuple[int, int]:
    """Powers of two (as exponents) that enclose every ratio and 1× itself."""
    ratios = [f.ratio for t in tables for f in t.figures]
    low = min(0, math.floor(math.log2(min(ratios))))
    high = max(0, math.ceil(math.log2(max(ratios))))
    if low == high:
        high += 1
    return low, high


def _tick_label(exponent: int) -> str:
    value = 2.0**exponent
    return f"{value:g}×"


def render_svg(tables: Sequence[Table], *, title: str = "Time relative to each baseline") -> str:
    """An SVG document (text) drawing ``tables``; raises ``ValueError`` when there is nothing."""
    if not any(t.figures for t in tables):
        raise ValueError("no benchmark figures to plot")
    low, high = _axis_limits(tables)
    plot_left = MARGIN + LABEL_WIDTH
    plot_width = WIDTH - plot_left - VALUE_WIDTH - MARGIN

    def x_of(ratio: float) -> float:
        return plot_left + (math.log2(ratio) - low) / (high - low) * plot_width

    body: list[str] = []
    y = MARGIN + 20
    body.append(
        f'<text x="{MARGIN}" y="{y}" style="{FONT};font-weight:bold">{escape(title)}</text>'
    )
    y += 10
    top = y
    for table in tables:
        y += TITLE_ROW
        body.append(
            f'<text x="{MARGIN}" y="{y - 8}" style="{FONT};font-weight:bold">'
            f"{escape(table.title)}</text>"
        )
        for figure in table.figures:
            start, end = sorted((x_of(1.0), x_of(figure.ratio)))
            colour = "#4c72b0" if figure.ratio <= 1.0 else "#dd8452"
            body.append(
                f'<text x="{plot_left - 6}" y="{y + 14}" text-anchor="end" style="{FONT}">'
                f"{escape(_shorten(figure.name))}</text>"
            )
            body.append(
                f'<rect x="{start:.1f}" y="{y + 3}" width="{max(end - start, 1.0):.1f}" '
                f'height="{ROW - 6}" fill="{colour}"><title>{escape(figure.name)}: '
                f"{figure.ratio:.2f}×</title></rect>"
            )
            body.append(
                f'<text x="{WIDTH - MARGIN}" y="{y + 14}" text-anchor="end" style="{FONT}">'
                f"{figure.ratio:.2f}×</text>"
            )
            y += ROW
    bottom = y + 4
    # Axis: a grid line per power of two, the baseline (1×) drawn darker.
    for exponent in range(low, high + 1):
        x = x_of(2.0**exponent)
        stroke = "#333" if exponent == 0 else "#ccc"
        body.insert(
            0,
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{stroke}" '
            f'stroke-width="1"/>',
        )
        body.append(
            f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle" style="{FONT}">'
            f"{_tick_label(exponent)}</text>"
        )
    height = bottom + 14 + 8 + 16
    body.append(
        f'<text x="{plot_left}" y="{height - 8}" style="{FONT};fill:#555">'
        "time ratio to the table's baseline, log scale: left is faster, right is slower</text>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img">\n'
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n"
    )


def _default_inputs() -> list[Path]:
    return sorted((ROOT / "docs").glob("benchmarks-*.md"))


def collect(paths: Iterable[Path]) -> list[Table]:
    """Every table of every file, titles prefixed with the page they come from."""
    return [
        Table(
            title=f"{path.stem.removeprefix('benchmarks-')}: {table.title}", figures=table.figures
        )
        for path in paths
        for table in parse_tables(path.read_text(encoding="utf-8"))
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("pages", nargs="*", type=Path, help="Markdown pages with figure tables")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="SVG to write")
    args = parser.parse_args(argv)
    pages: list[Path] = args.pages or _default_inputs()
    tables = collect(pages)
    if not tables:
        print("no benchmark tables with a ratio column found in:", *pages, file=sys.stderr)
        return 1
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_svg(tables), encoding="utf-8")
    count = sum(len(t.figures) for t in tables)
    print(f"{output}: {len(tables)} tables, {count} bars")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

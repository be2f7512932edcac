"""benchmarks/plot.py: figure tables read back from Markdown and drawn as an SVG bar chart."""

from __future__ import annotations

import math
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree
from support.scripts import load_script

SVG = "{http://www.w3.org/2000/svg}"

SAMPLE = """\
# Benchmarks: the .cnf codec

Measured on 2 cores; the regular expression is the floor.

#### loads + dumps, 1 MiB generated document

| contender | median | MB/s | time ratio to baseline |
|---|---:|---:|---:|
| regex line splitter | 12,000.0 µs | 83.3 | 1.00× |
| ciscocfg.cnf <strict> & co | 30,000.0 µs | 33.3 | 2.50× |

Some text between tables, and a table without ratios:

| key | value |
|---|---|
| cores | 2 |

### TFTP, 1 MiB over loopback ###

| contender | median | MiB/s | time ratio to baseline |
|---|---:|---:|---:|
| `ciscocfg.aio` | 1.0 µs | 1 | 1.00× |
| tftpy | 40.0 µs | 1 | 40.00× |
| in.tftpd | 1.0 µs | 1 | 0.25× |
| not measured | — | — | — |
"""


@pytest.fixture(scope="module")
def plot() -> ModuleType:
    return load_script("benchmarks/plot.py")


def _parse_svg(text: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(text.encode("utf-8"), parser)


def test_tables_are_read_with_titles_and_ratios(plot: ModuleType) -> None:
    tables = plot.parse_tables(SAMPLE)
    assert [t.title for t in tables] == [
        "loads + dumps, 1 MiB generated document",
        "TFTP, 1 MiB over loopback",
    ]
    assert [(f.name, f.ratio) for f in tables[0].figures] == [
        ("regex line splitter", 1.0),
        ("ciscocfg.cnf <strict> & co", 2.5),
    ]
    # Backticks are dropped from names; a row without a number is left out.
    assert [(f.name, f.ratio) for f in tables[1].figures] == [
        ("ciscocfg.aio", 1.0),
        ("tftpy", 40.0),
        ("in.tftpd", 0.25),
    ]


def test_text_without_figures_gives_no_table(plot: ModuleType) -> None:
    assert (
        plot.parse_tables("# Benchmarks\n\nNo figures yet.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
        == []
    )
    with pytest.raises(ValueError, match="no benchmark figures"):
        plot.render_svg([])


def test_svg_draws_one_bar_per_figure_on_a_log_axis(plot: ModuleType) -> None:
    root = _parse_svg(plot.render_svg(plot.parse_tables(SAMPLE)))
    assert root.tag == f"{SVG}svg"
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    titles = [r.findtext(f"{SVG}title") for r in bars]
    assert titles == [
        "regex line splitter: 1.00×",
        "ciscocfg.cnf <strict> & co: 2.50×",  # escaped in the file, intact once parsed
        "ciscocfg.aio: 1.00×",
        "tftpy: 40.00×",
        "in.tftpd: 0.25×",
    ]
    widths = {t: float(r.get("width", "0")) for t, r in zip(titles, bars, strict=True)}
    # Log scale: a bar's length is proportional to |log2(ratio)|.
    unit = widths["tftpy: 40.00×"] / math.log2(40)
    assert widths["ciscocfg.cnf <strict> & co: 2.50×"] == pytest.approx(
        unit * math.log2(2.5), abs=0.1
    )
    assert widths["in.tftpd: 0.25×"] == pytest.approx(unit * 2, abs=0.1)
    # Faster than the baseline grows to the left of the 1× line, slower to the right.
    one = float(bars[0].get("x", "0"))
    assert float(bars[4].get("x", "0")) + widths["in.tftpd: 0.25×"] == pytest.approx(one, abs=0.1)
    assert float(bars[3].get("x", "0")) == pytest.approx(one)
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.endswith("×")]
    assert {"0.25×", "1×", "64×"} <= set(ticks)


def test_command_line_writes_the_chart(plot: ModuleType, tmp_path: Path) -> None:
    page = tmp_path / "benchmarks-cnf.md"
    page.write_text(SAMPLE, encoding="utf-8")
    output = tmp_path / "img" / "chart.svg"
    assert plot.main([str(page), "-o", str(output)]) == 0
    root = _parse_svg(output.read_text(encoding="utf-8"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "cnf: loads + dumps, 1 MiB generated document" in texts


def test_command_line_fails_without_figures(plot: ModuleType, tmp_path: Path) -> None:
    page = tmp_path / "benchmarks-none.md"
    page.write_text("# Nothing measured yet\n", encoding="utf-8")
    assert plot.main([str(page), "-o", str(tmp_path / "x.svg")]) == 1
    assert not (tmp_path / "x.svg").exists()

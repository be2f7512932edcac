"""A small harness shared by the benchmark scripts: side-by-side medians in one run.

Each script builds a list of :class:`Case` objects, one per contender on the same input, and
calls :func:`compare`; the result is printed as a Markdown table (ready for ``docs/``) with each
contender's median and its ratio to the named baseline.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Case", "Result", "compare", "markdown_table"]


@dataclass(frozen=True)
class Case:
    """One contender: ``run`` does the work once; ``units`` is how much work one call does."""

    name: str
    run: Callable[[], object]
    units: float = 1.0


@dataclass(frozen=True)
class Result:
    name: str
    median_seconds: float
    units_per_second: float
    ratio_to_baseline: float


def _time_once(run: Callable[[], object], inner: int) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        run()
    return (time.perf_counter() - start) / inner


def compare(
    cases: Sequence[Case], *, baseline: str, repeats: int = 7, min_time: float = 0.05
) -> list[Result]:
    """Time every case ``repeats`` times, interleaved so that drift hits all cases alike.

    Each timing repeats the call enough times to last ``min_time`` seconds; the median of the
    repeats is reported. ``ratio_to_baseline`` is the case's median time over the baseline's
    (so 2.0 means twice as slow).
    """
    inner: dict[str, int] = {}
    for case in cases:
        count = 1
        while _time_once(case.run, count) * count < min_time and count < 1_000_000:
            count *= 2
        inner[case.name] = count
    samples: dict[str, list[float]] = {case.name: [] for case in cases}
    for _ in range(repeats):
        for case in cases:
            samples[case.name].append(_time_once(case.run, inner[case.name]))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    base = medians[baseline]
    return [
        Result(
            name=case.name,
            median_seconds=medians[case.name],
            units_per_second=case.units / medians[case.name],
            ratio_to_baseline=medians[case.name] / base,
        )
        for case in cases
    ]


def markdown_table(title: str, results: Sequence[Result], unit: str) -> str:
    """A Markdown table of ``results``: median time, throughput in ``unit``/s, ratio."""
    lines = [
        f"#### {title}",
        "",
        f"| contender | median | {unit}/s | time ratio to baseline |",
        "|---|---:|---:|---:|",
    ]
    lines.extend(
        f"| {r.name} | {r.median_seconds * 1e6:,.1f} µs | {r.units_per_second:,.1f} "
        f"| {r.ratio_to_baseline:.2f}× |"
        for r in results
    )
    return "\n".join(lines) + "\n"

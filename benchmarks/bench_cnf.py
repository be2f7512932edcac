"""Throughput of ``ciscocfg.cnf`` loads + dumps against a plain regular-expression line splitter.

The floor does the least this job can do in Python: split lines, match each one with one
regular expression, keep a dict of values, join the lines back. ``ciscocfg.cnf`` does more (a
node per line with all its trivia, error positions, the grammar's terminals), and the ratio says
what that costs. Run: ``python benchmarks/bench_cnf.py`` (prints Markdown tables).
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from ciscocfg import cnf  # noqa: E402
from ciscocfg.cnf._parse import parse_with_grammar  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"

# Key, then the value up to a quote, ';' or the end of the line: no trimming, no trivia kept.
_FLOOR = re.compile(r'[ \t]*([^#:\s][^:\s]*)[ \t]*:[ \t]*"?([^";\r\n]*)')


def floor(text: str) -> str:
    """Split, match, keep the values, join: the practical floor."""
    values: dict[str, str] = {}
    lines = text.splitlines(keepends=True)
    for line in lines:
        match = _FLOOR.match(line)
        if match:
            values[match[1]] = match[2]
    return "".join(lines)


def ciscocfg_strict(text: str) -> str:
    """Read, look one value up (building the mapping, as the floor does), write back."""
    doc = cnf.loads(text)
    doc.get("proxy1_address")
    return doc.dumps()


def ciscocfg_tolerant(text: str) -> str:
    doc = cnf.loads(text, strict=False)
    doc.get("proxy1_address")
    return doc.dumps()


def ciscocfg_edit(text: str) -> str:
    """Read, change one value, write back: every line becomes a node and is rendered."""
    doc = cnf.loads(text)
    doc["proxy1_address"] = "sip.example.net"
    return doc.dumps()


def values_as_written(text: str) -> dict[str, str]:
    """The document's own values: the keys as written, a byte order mark kept apart."""
    return dict(cnf.loads(text, strict=False))


def values_as_read(text: str) -> dict[str, str]:
    """The settings the phone reads (``phone_view``): what merge and the tree check use."""
    return cnf.phone_view(cnf.loads(text, strict=False)).values()


def settings_as_read(text: str) -> int:
    """Every setting with its line and the key meant: what validate walks."""
    return len(cnf.phone_view(cnf.loads(text, strict=False)).settings)


def generated_document(size: int, seed: int = 7940) -> str:
    """A large, real-looking configuration: every line shape of the dialect, mixed endings."""
    rng = random.Random(seed)
    keys = sorted(cnf.PARAMETERS)
    parts: list[str] = []
    total = 0
    while total < size:
        roll = rng.random()
        newline = rng.choice(["\n", "\n", "\r\n", "\r\n", "\r"])
        if roll < 0.15:
            line = "# " + " ".join(rng.choice(keys) for _ in range(rng.randint(1, 6)))
        elif roll < 0.25:
            line = rng.choice(["", " ", "\t"])
        else:
            key = rng.choice(keys)
            value = rng.choice(["5060", "1", "sip.example.net", "P0S3-08-12-00", "", "*97"])
            quote = rng.choice(['"', ""])
            spacing = rng.choice([": ", ":", " : ", ":  "])
            remark = rng.choice(["", "", " ; note", "\t\t; tabbed remark", ";"])
            line = f"{key}{spacing}{quote}{value}{quote}{remark}"
        parts.append(line + newline)
        total += len(line) + len(newline)
    return "".join(parts)


def corpus_texts() -> list[str]:
    files = sorted((CORPUS / "cnf").glob("*")) + sorted((CORPUS / "seed").glob("*.cnf"))
    return [p.read_bytes().decode("utf-8", "surrogateescape") for p in files if p.is_file()]


def main() -> None:
    big = generated_document(1_000_000)
    assert ciscocfg_strict(big) == big == floor(big)
    megabytes = len(big.encode("utf-8")) / 1e6
    results = compare(
        [
            Case("regex line splitter (floor)", lambda: floor(big), megabytes),
            Case("ciscocfg.cnf loads+dumps, strict", lambda: ciscocfg_strict(big), megabytes),
            Case("ciscocfg.cnf loads+dumps, tolerant", lambda: ciscocfg_tolerant(big), megabytes),
            Case("ciscocfg.cnf loads+edit+dumps", lambda: ciscocfg_edit(big), megabytes),
        ],
        baseline="regex line splitter (floor)",
    )
    print(markdown_table(f"Generated document, {megabytes:.2f} MB", results, "MB"))

    texts = corpus_texts()
    if texts:
        size = sum(len(t.encode("utf-8", "surrogateescape")) for t in texts) / 1e6
        results = compare(
            [
                Case("regex line splitter (floor)", lambda: [floor(t) for t in texts], size),
                Case(
                    "ciscocfg.cnf loads+dumps, tolerant",
                    lambda: [ciscocfg_tolerant(t) for t in texts],
                    size,
                ),
            ],
            baseline="regex line splitter (floor)",
        )
        print(markdown_table(f"Corpus, {len(texts)} files, {size * 1e3:.1f} kB", results, "MB"))

        # What reading the settings as the phone does costs over the document's own values.
        results = compare(
            [
                Case(
                    "loads, values as written",
                    lambda: [values_as_written(t) for t in texts],
                    size,
                ),
                Case(
                    "loads, values as the phone reads them",
                    lambda: [values_as_read(t) for t in texts],
                    size,
                ),
                Case(
                    "loads, every setting as the phone reads it",
                    lambda: [settings_as_read(t) for t in texts],
                    size,
                ),
                Case(
                    "loads+validate",
                    lambda: [cnf.validate(cnf.loads(t, strict=False)) for t in texts],
                    size,
                ),
            ],
            baseline="loads, values as written",
        )
        print(markdown_table("Corpus, the settings as the phone reads them", results, "MB"))

    # For scale: the grammar alone, token by token through Lark, on a tenth of the document.
    tenth = generated_document(100_000)
    small = len(tenth.encode("utf-8")) / 1e6
    results = compare(
        [
            Case("regex line splitter (floor)", lambda: floor(tenth), small),
            Case("ciscocfg.cnf loads+dumps, strict", lambda: ciscocfg_strict(tenth), small),
            Case("Lark LALR over the whole text", lambda: parse_with_grammar(tenth), small),
        ],
        baseline="regex line splitter (floor)",
        repeats=3,
    )
    print(markdown_table(f"Generated document, {small:.2f} MB, with Lark", results, "MB"))


if __name__ == "__main__":
    main()

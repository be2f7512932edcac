"""Speed of the generator: a CSV inventory of 10,000 phones, and one file on request.

* Inventory: ``read_inventory`` (every row checked) and ``render_tree`` (every file built with
  its codec and checked by its validator) of 10,000 phones of six models, against a floor that
  only splits the CSV rows and fills one f-string per phone (what a template emitter does,
  checking nothing).
* On request: one phone's own file (``SIP<MAC>.cnf`` of a 7960, ``SEP<MAC>.cnf.xml`` of a
  7961), against reading the same bytes from disk (the baseline: a server serving a written
  tree). ``render_file`` fills its model's checked template (built once per model, image and
  shape); it is timed for a new phone each call. Beside it, the file built in full by the
  codec and checked by its validator (what ``render`` does, and what the template is made
  from), its cache emptied first.

Run: ``python benchmarks/bench_generate.py [--phones N]`` (prints Markdown tables).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import attrs  # noqa: E402

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from ciscocfg.generate import (  # noqa: E402
    PhoneSpec,
    _render,
    file_names,
    read_inventory,
    render_file,
)

MODELS = ("7940", "7960", "7941", "7961", "7965", "7975")
HEADER = "mac,model,proxy,line1_user,line1_password,line1_display_name,label\n"


def inventory(count: int) -> str:
    rows = [
        f"001BD4{n:06X},{MODELS[n % len(MODELS)]},pbx.example.net,{1000 + n},"
        f"pw-{n:05d}-x,Desk {n},Desk{n % 1000}\n"
        for n in range(count)
    ]
    return HEADER + "".join(rows)


def floor(text: str) -> int:
    """Split the rows and fill one template per phone: no checks, no codec."""
    size = 0
    for row in csv.DictReader(io.StringIO(text)):
        size += len(
            f'line1_name: "{row["line1_user"]}"\nline1_password: "{row["line1_password"]}"\n'
            f'proxy1_address: "{row["proxy"]}"\nphone_label: "{row["label"]}"\n'
        )
    return size


def render_all(phones: list[PhoneSpec]) -> int:
    _render._built.cache_clear()
    size = 0
    for phone in phones:
        for name in file_names(phone):
            data = render_file(phone, name)
            assert data is not None
            size += len(data)
    return size


def on_request(model: str, folder: Path) -> None:
    phone = PhoneSpec.create(
        model=model,
        mac="001BD4123456",
        proxy="pbx.example.net",
        lines=["201:pw-201:Kitchen", "202:pw-202:Office"],
        label="Kitchen",
    )
    name = file_names(phone)[0]
    path = folder / name
    data = render_file(phone, name)
    assert data is not None
    path.write_bytes(data)

    def from_disk() -> bytes:
        with open(path, "rb") as handle:
            return handle.read()

    def in_full() -> bytes:
        _render._built.cache_clear()
        return _render._built(phone, name)[0]

    others = [attrs.evolve(phone, mac=f"001BD4{n:06X}") for n in range(4096)]
    turn = iter(range(10**9))

    def first_request() -> bytes | None:
        # A new phone each call: evolve drops create's mark, so put it back as create would.
        other = others[next(turn) % len(others)]
        object.__setattr__(other, "_checked", True)
        return render_file(other, file_names(other)[0])

    print(
        markdown_table(
            f"{name} ({model}, {len(data)} bytes) on request",
            compare(
                [
                    Case("read from disk", from_disk),
                    Case("built in full and checked", in_full),
                    Case("render_file, a new phone each time", first_request),
                ],
                baseline="read from disk",
            ),
            "files",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=10_000)
    args = parser.parse_args()
    text = inventory(args.phones)
    phones = read_inventory(text)
    print(
        markdown_table(
            f"{args.phones:,} phones from a CSV inventory",
            compare(
                [
                    Case("csv + f-string floor", lambda: floor(text), args.phones),
                    Case("read_inventory", lambda: read_inventory(text), args.phones),
                    Case("render every file", lambda: render_all(phones), args.phones),
                ],
                baseline="csv + f-string floor",
                repeats=3,
            ),
            "phones",
        )
    )
    with tempfile.TemporaryDirectory() as folder:
        for model in ("7960", "7961"):
            on_request(model, Path(folder))


if __name__ == "__main__":
    main()

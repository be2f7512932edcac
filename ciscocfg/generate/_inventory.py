"""A CSV inventory of phones: one row each, every row checked before any is returned.

The header names the columns: ``mac``, ``model``, ``proxy``, then ``line1_user``,
``line1_password``, ``line1_display_name``, ``line2_user`` ... and ``label``; ``firmware``,
``timezone`` and ``ntp`` may be columns too (an empty cell takes the value given to the
reader). Column names are matched without regard to case or blanks around them; a spreadsheet's
byte order mark and CRLF line endings are fine. A bad cell raises one
:class:`~ciscocfg.generate.PhoneSpecError` naming its row (the header is row 1) and column.
"""

from __future__ import annotations

import csv
import io
import re

from ciscocfg._errors import CiscoCfgError
from ciscocfg._text import PathOrFile, read_source
from ciscocfg.firmware import FirmwareImage, parse
from ciscocfg.firmware._upgrade import _family
from ciscocfg.generate._spec import PhoneSpec, PhoneSpecError

__all__ = ["COLUMNS", "load_inventory", "read_inventory"]

#: The columns every inventory has, in the usual order; lines 2 and up follow line 1's pattern.
COLUMNS = ("mac", "model", "proxy", "line1_user", "line1_password", "line1_display_name", "label")
_OPTIONAL = ("label", "firmware", "timezone", "ntp")
_LINE_COLUMN = re.compile(r"line([1-9][0-9]?)_(user|password|display_name)\Z")
_REQUIRED = ("mac", "model", "proxy", "line1_user", "line1_password")


def _header(cells: list[str]) -> list[str]:
    names = [cell.strip().lower() for cell in cells]
    for name in names:
        if name not in COLUMNS and name not in _OPTIONAL and not _LINE_COLUMN.match(name):
            raise PhoneSpecError(f"unknown column {name!r}", field=name or "(empty)", row=1)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise PhoneSpecError("column given twice", field=name, row=1)
        seen.add(name)
    for name in _REQUIRED:
        if name not in seen:
            raise PhoneSpecError("column missing", field=name, row=1)
    return names


def read_inventory(
    data: str | bytes,
    *,
    firmware: str | None = None,
    timezone: str | None = None,
    ntp: str | None = None,
    dialplan: bytes | None = None,
) -> list[PhoneSpec]:
    """Every phone of the inventory text ``data``, each checked with :meth:`PhoneSpec.create`.

    ``timezone``, ``ntp`` and ``dialplan`` apply to every phone, ``firmware`` to every phone of
    its family (the others get their family's newest image); a cell of a
    ``firmware``/``timezone``/``ntp`` column wins. Blank rows are skipped. Raises
    :class:`~ciscocfg.generate.PhoneSpecError` with the row and column of the first bad cell,
    also for a MAC given twice; returns nothing then.
    """
    if firmware is not None:
        _common_firmware(firmware)
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    rows = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    header: list[str] | None = None
    phones: list[PhoneSpec] = []
    first_row: dict[str, int] = {}
    for number, cells in enumerate(rows, 1):
        if header is None:
            header = _header(cells)
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise PhoneSpecError(
                f"{len(cells)} cells for {len(header)} columns", field="(row)", row=number
            )
        row = dict(zip(header, cells, strict=True))
        try:
            phone = _phone(row, firmware, timezone, ntp, dialplan)
        except PhoneSpecError as exc:
            raise exc.at_row(number) from None
        if phone.mac in first_row:
            raise PhoneSpecError(
                f"{phone.mac} is also on row {first_row[phone.mac]}", field="mac", row=number
            )
        first_row[phone.mac] = number
        phones.append(phone)
    if header is None:
        raise PhoneSpecError("the inventory is empty: no header row", field="(header)", row=1)
    return phones


def load_inventory(
    source: PathOrFile,
    *,
    firmware: str | None = None,
    timezone: str | None = None,
    ntp: str | None = None,
    dialplan: bytes | None = None,
) -> list[PhoneSpec]:
    """:func:`read_inventory` of a file, by path or binary file object."""
    data, _ = read_source(source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PhoneSpecError(
            f"the inventory is not UTF-8 text (byte {exc.start})", field="(file)"
        ) from None
    return read_inventory(text, firmware=firmware, timezone=timezone, ntp=ntp, dialplan=dialplan)


def _phone(
    row: dict[str, str],
    firmware: str | None,
    timezone: str | None,
    ntp: str | None,
    dialplan: bytes | None,
) -> PhoneSpec:
    count = max(
        (int(m.group(1)) for name in row if (m := _LINE_COLUMN.match(name))),
        default=0,
    )
    lines: list[tuple[str, str, str]] = []
    for n in range(1, count + 1):
        user = row.get(f"line{n}_user", "")
        password = row.get(f"line{n}_password", "")
        name = row.get(f"line{n}_display_name", "")
        if not (user or password or name):
            continue
        if len(lines) != n - 1:
            raise PhoneSpecError(
                f"line {n} is given but line {len(lines) + 1} is not", field=f"line{n}_user"
            )
        if not user:
            raise PhoneSpecError(f"line {n} has no user", field=f"line{n}_user")
        if not password:
            raise PhoneSpecError(f"line {n} has no password", field=f"line{n}_password")
        lines.append((user, password, name))
    if not lines:
        raise PhoneSpecError("a phone needs at least one line", field="line1_user")
    if not row.get("firmware") and firmware is not None:
        common = _common_firmware(firmware)
        try:
            family = _family(row["model"])
        except ValueError:
            family = None  # the model's own error comes from PhoneSpec.create
        if family != common.family:
            firmware = None
    return PhoneSpec.create(
        model=row["model"],
        mac=row["mac"],
        proxy=row["proxy"],
        lines=lines,
        label=row.get("label") or None,
        firmware=row.get("firmware") or firmware,
        timezone=row.get("timezone") or timezone,
        ntp=row.get("ntp") or ntp,
        dialplan=dialplan,
    )


def _common_firmware(name: str) -> FirmwareImage:
    try:
        return parse(name.strip())
    except CiscoCfgError as exc:
        raise PhoneSpecError(getattr(exc, "message", str(exc)), field="firmware") from None

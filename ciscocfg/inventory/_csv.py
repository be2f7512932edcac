"""A CSV inventory on disk, read again whenever the file changes.

The file's identity, size and times are looked at on every request (one ``stat``). A file
system stamps times coarsely (a few milliseconds), so an edit of the same size made just
after a read could leave them as they were: when the file had changed less than
:data:`RACY_SECONDS` before it was read, it is read again at the next request and its bytes
compared, as ``git`` does with its index, until a read comes later than that.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import time
from collections.abc import Hashable, Sequence
from pathlib import Path

from ciscocfg._phones import normalize_mac
from ciscocfg.inventory._source import InventoryError, InventoryRow, checked_columns

__all__ = ["RACY_SECONDS", "CsvInventory"]

logger = logging.getLogger("ciscocfg.inventory")

#: A file changed less than this before it was read is read again at the next request.
RACY_SECONDS = 0.1


class CsvInventory:
    """The CSV inventory ``path`` (the columns of :func:`ciscocfg.generate.read_inventory`)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._stamp: tuple[int, ...] | None = None
        self._data: bytes | None = None
        self._racy = True
        self._generation = 0
        self._rows: dict[str, InventoryRow] = {}
        self._all: list[InventoryRow] = []
        self._error: InventoryError | None = None

    @property
    def name(self) -> str:
        return str(self.path)

    async def open(self) -> None:
        self._refresh()
        if self._error is not None:
            raise self._error

    async def close(self) -> None:
        self._rows, self._all, self._data = {}, [], None

    async def phone(self, mac: str) -> InventoryRow | None:
        self._refresh()
        if self._error is not None:
            raise self._error
        return self._rows.get(mac)

    async def phones(self) -> Sequence[InventoryRow]:
        self._refresh()
        if self._error is not None:
            raise self._error
        return self._all

    async def version(self) -> Hashable:
        self._refresh()
        return self._generation

    # -- reading ------------------------------------------------------------------------------

    def _refresh(self) -> None:
        now = time.time_ns()
        try:
            info = os.stat(self.path)
        except OSError as exc:
            self._fail(f"{self.path}: {exc.strerror or exc}")
            return
        stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        if stamp == self._stamp and not self._racy:
            return
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            self._fail(f"{self.path}: {exc.strerror or exc}")
            return
        self._racy = info.st_mtime_ns >= now - RACY_SECONDS * 1e9
        if stamp == self._stamp and data == self._data:
            return
        self._stamp, self._data = stamp, data
        self._generation += 1
        try:
            self._parse(data)
        except InventoryError as exc:
            self._rows, self._all, self._error = {}, [], exc
        else:
            self._error = None

    def _fail(self, message: str) -> None:
        if self._error is None or str(self._error) != message:
            self._generation += 1
        self._stamp = self._data = None
        self._rows, self._all, self._error = {}, [], InventoryError(message)

    def _parse(self, data: bytes) -> None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InventoryError(f"{self.path}: not UTF-8 text (byte {exc.start})") from None
        reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
        header: tuple[str, ...] | None = None
        rows: dict[str, InventoryRow] = {}
        every: list[InventoryRow] = []
        for number, cells in enumerate(reader, 1):
            if header is None:
                try:
                    header = checked_columns(tuple(cells))
                except InventoryError as exc:
                    raise InventoryError(f"{self.path}: row 1, column {exc}") from None
                continue
            if not any(cell.strip() for cell in cells):
                continue
            named = dict(zip(header, cells, strict=False))
            try:
                mac = normalize_mac(named.get("mac", ""))
            except ValueError as exc:
                logger.warning("%s: row %d, column mac: %s; no phone can ask for it", self.path,
                               number, exc)  # fmt: skip
                continue
            problem = None
            if len(cells) != len(header):
                problem = f"{len(cells)} cells for {len(header)} columns"
            row = InventoryRow(mac, tuple(named.items()), number, problem)
            first = rows.get(mac)
            if first is not None:
                shared = f"the MAC {mac} is on rows {first.row} and {number}"
                rows[mac] = InventoryRow(mac, first.cells, first.row, shared)
                continue
            rows[mac] = row
            every.append(row)
        if header is None:
            raise InventoryError(f"{self.path}: empty: no header row")
        self._rows = rows
        self._all = [rows[row.mac] for row in every]

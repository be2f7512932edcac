"""An SQLite inventory: a table ``phones`` with the CSV inventory's columns.

The server opens the database read-only and asks for a phone's row by MAC (the table's
primary key) on every request for its file, so an edit is in the next answer. Whether any
row changed is ``PRAGMA data_version``, which moves whenever another connection commits: the
files every phone shares are built again only then.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Hashable, Sequence
from pathlib import Path

from ciscocfg.inventory._schema import TABLE
from ciscocfg.inventory._source import (
    InventoryError,
    InventoryRow,
    checked_columns,
    database_row,
)

__all__ = ["SqliteInventory"]

_PHONE = f"SELECT * FROM {TABLE} WHERE mac = ?"
_EVERY = f"SELECT * FROM {TABLE}"


class SqliteInventory:
    """The SQLite database at ``path``, read-only."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None

    @property
    def name(self) -> str:
        return f"sqlite:///{self.path}"

    async def open(self) -> None:
        self._connection()
        await self.phones()  # the table is there and its columns are the inventory's

    async def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connection(self) -> sqlite3.Connection:
        try:
            info = os.stat(self.path)
        except OSError as exc:
            raise InventoryError(f"{self.name}: {exc.strerror or exc}") from None
        identity = (info.st_dev, info.st_ino)
        if self._db is not None and identity == self._identity:
            return self._db
        if self._db is not None:  # the file was replaced: read the new one
            self._db.close()
        uri = f"{self.path.absolute().as_uri()}?mode=ro"
        try:
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as exc:
            raise InventoryError(f"{self.name}: {exc}") from None
        self._identity = identity
        return self._db

    def _query(self, sql: str, *args: object) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
        db = self._connection()
        try:
            cursor = db.execute(sql, args)
            found = cursor.fetchall()
        except sqlite3.Error as exc:
            raise InventoryError(f"{self.name}: {exc}") from None
        names = tuple(d[0] for d in cursor.description)
        try:
            return checked_columns(names), found
        except InventoryError as exc:
            raise InventoryError(f"{self.name}: table {TABLE}, column {exc}") from None

    async def phone(self, mac: str) -> InventoryRow | None:
        columns, found = self._query(_PHONE, mac)
        return database_row(columns, found[0], mac) if found else None

    async def phones(self) -> Sequence[InventoryRow]:
        columns, found = self._query(_EVERY)
        return [row for values in found if (row := database_row(columns, values)) is not None]

    async def version(self) -> Hashable:
        db = self._connection()
        try:
            (changes,) = db.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error as exc:
            raise InventoryError(f"{self.name}: {exc}") from None
        return (self._identity, changes)

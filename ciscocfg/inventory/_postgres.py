"""A PostgreSQL inventory, shared by every TFTP server of a site (``ciscocfg[postgres]``).

One asynchronous connection (psycopg 3) per server, in autocommit: every request for a
phone's file asks for its row by MAC (the primary key), so a committed edit is in the next
answer of every server. Whether any row changed is the counter of ``phones_version``, moved
by a trigger on ``phones`` (see :func:`ciscocfg.inventory.create_schema`); without that table
every row is read again for each file the phones share. A lost connection is made again at
the next request; the request that found it lost is refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Hashable, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ciscocfg.inventory._schema import TABLE, VERSION_TABLE
from ciscocfg.inventory._source import (
    InventoryError,
    InventoryRow,
    checked_columns,
    database_row,
)

__all__ = ["PostgresInventory", "psycopg_module"]

_PHONE = f"SELECT * FROM {TABLE} WHERE mac = %s"
_EVERY = f"SELECT * FROM {TABLE}"
_VERSION = f"SELECT version FROM {VERSION_TABLE}"
#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT = 5


def psycopg_module(name: str) -> ModuleType:
    """psycopg 3, or an :class:`InventoryError` saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise InventoryError(
            f"{name}: a PostgreSQL inventory needs psycopg 3: pip install 'ciscocfg[postgres]'"
        ) from None
    return psycopg


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresInventory:
    """The inventory in the PostgreSQL database ``url`` (a libpq connection URI)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._name = _without_password(url)
        self._db: Any = None
        self._connecting = asyncio.Lock()
        self._has_version: bool | None = None
        self._unversioned = itertools.count()

    @property
    def name(self) -> str:
        return self._name

    async def open(self) -> None:
        await self.phones()  # reachable, and the table's columns are the inventory's

    async def close(self) -> None:
        db, self._db = self._db, None
        if db is not None:
            await db.close()

    async def _connection(self) -> Any:
        if self._db is not None and not self._db.closed:
            return self._db
        psycopg = psycopg_module(self._name)
        async with self._connecting:
            if self._db is None or self._db.closed:
                try:
                    self._db = await psycopg.AsyncConnection.connect(
                        self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
                    )
                except psycopg.Error as exc:
                    raise InventoryError(f"{self._name}: {_one_line(exc)}") from None
                self._has_version = None
        return self._db

    async def _query(
        self, sql: str, *args: object
    ) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
        db = await self._connection()
        psycopg = psycopg_module(self._name)
        try:
            cursor = await db.execute(sql, args or None)
            found = await cursor.fetchall()
        except psycopg.Error as exc:
            if db.closed or isinstance(exc, psycopg.OperationalError):
                self._db = None
                await _close_quietly(db)
            raise InventoryError(f"{self._name}: {_one_line(exc)}") from None
        names = tuple(d.name for d in cursor.description or ())
        return names, found

    async def _rows(self, sql: str, *args: object, mac: str | None = None) -> list[InventoryRow]:
        names, found = await self._query(sql, *args)
        try:
            columns = checked_columns(names)
        except InventoryError as exc:
            raise InventoryError(f"{self._name}: table {TABLE}, column {exc}") from None
        return [row for values in found if (row := database_row(columns, values, mac)) is not None]

    async def phone(self, mac: str) -> InventoryRow | None:
        found = await self._rows(_PHONE, mac, mac=mac)
        return found[0] if found else None

    async def phones(self) -> Sequence[InventoryRow]:
        return await self._rows(_EVERY)

    async def version(self) -> Hashable:
        if self._has_version is False:
            return ("unversioned", next(self._unversioned))
        try:
            _, found = await self._query(_VERSION)
        except InventoryError:
            if self._db is None:  # the connection is lost, not the table
                raise
            self._has_version = False
            return ("unversioned", next(self._unversioned))
        self._has_version = True
        return found[0][0] if found else None


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


async def _close_quietly(db: Any) -> None:
    with contextlib.suppress(Exception):  # the connection is lost already
        await db.close()

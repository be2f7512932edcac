"""What every inventory backend gives: a phone's row by MAC, every row, and a change token.

A row is the phone's cells by column name, the columns of a CSV inventory
(:data:`ciscocfg.generate.COLUMNS` and the optional ones), whichever backend holds it: the
same rules turn it into a :class:`~ciscocfg.generate.PhoneSpec`.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Sequence
from typing import Protocol, runtime_checkable

import attrs

from ciscocfg._errors import CiscoCfgError
from ciscocfg._phones import normalize_mac
from ciscocfg.generate._inventory import _header
from ciscocfg.generate._spec import PhoneSpecError

__all__ = ["InventoryError", "InventoryRow", "InventorySource", "open_inventory"]


class InventoryError(CiscoCfgError):
    """An inventory that cannot be read at all: a missing file or table, a bad header, a
    database that does not answer. ``str(err)`` names the inventory and the problem."""


@attrs.frozen
class InventoryRow:
    """One phone of an inventory.

    ``mac`` is the MAC as the phone spells it in file names (12 upper-case hex digits);
    ``cells`` the row's cells by column name, an empty text where a database has ``NULL``;
    ``row`` the row number in a CSV file (the header is row 1), ``None`` in a database;
    ``problem`` what makes the row unusable before any value is read (the MAC given on two
    rows, a row with too few cells), else ``None``.
    """

    mac: str
    cells: tuple[tuple[str, str], ...]
    row: int | None = None
    problem: str | None = None


@runtime_checkable
class InventorySource(Protocol):
    """An inventory backend (CSV file, SQLite, PostgreSQL).

    Each answer reflects the inventory as it is when asked: a change made before a call is in
    its answer. ``version`` is cheap and changes whenever any row may have changed; the
    server reads every row again only then.
    """

    @property
    def name(self) -> str:
        """The inventory as log lines name it (a path, or a URL without its password)."""
        ...

    async def open(self) -> None:
        """Check that the inventory can be read; raises :class:`InventoryError`."""
        ...

    async def phone(self, mac: str) -> InventoryRow | None:
        """The row of the phone with MAC ``mac`` (12 upper-case hex digits), or ``None``."""
        ...

    async def phones(self) -> Sequence[InventoryRow]:
        """Every row (rows whose MAC is not one are left out)."""
        ...

    async def version(self) -> Hashable:
        """A token equal between two calls only if no row changed in between."""
        ...

    async def close(self) -> None:
        """Release files and connections."""
        ...


@functools.lru_cache(maxsize=64)
def checked_columns(names: tuple[str, ...]) -> tuple[str, ...]:
    """The column names of a table or header, as the CSV rules read them; raises
    :class:`InventoryError` for an unknown, repeated or missing column."""
    try:
        return tuple(_header(list(names)))
    except PhoneSpecError as exc:
        raise InventoryError(f"{exc.field}: {exc.message}") from None


_ALWAYS = ("mac", "model", "proxy")


def database_row(
    columns: tuple[str, ...], values: Sequence[object], mac: str | None = None
) -> InventoryRow | None:
    """A row read from a database table, or ``None`` when its MAC is not one.

    Only the cells that hold something are kept (a ``NULL`` reads as an empty cell, which
    is what an absent column means too): fewer cells to compare and to key the cache with.
    ``mac`` is the MAC the row was looked up by, when it was.
    """
    cells = {
        column: value if type(value) is str else str(value)
        for column, value in zip(columns, values, strict=True)
        if value is not None and value != ""
    }
    for column in _ALWAYS:
        cells.setdefault(column, "")
    if mac is None:
        try:
            mac = normalize_mac(cells["mac"])
        except ValueError:
            return None
    return InventoryRow(mac, tuple(cells.items()))


def open_inventory(url: str) -> InventorySource:
    """The backend for ``url``: a path (a CSV file), ``sqlite:///PATH`` or
    ``postgresql://...`` (a libpq connection URI; needs ``ciscocfg[postgres]``).

    ``sqlite:///phones.db`` is ``phones.db`` in the working directory and
    ``sqlite:////srv/phones.db`` the absolute path, as in SQLAlchemy. Nothing is opened until
    :meth:`InventorySource.open`. Raises :class:`InventoryError` for another scheme.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        from ciscocfg.inventory._csv import CsvInventory

        return CsvInventory(url)
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise InventoryError(f"{url}: write sqlite:///PATH (three slashes, then the path)")
        from ciscocfg.inventory._sqlite import SqliteInventory

        return SqliteInventory(rest[1:])
    if scheme in ("postgresql", "postgres"):
        from ciscocfg.inventory._postgres import PostgresInventory

        return PostgresInventory(url)
    raise InventoryError(
        f"{url}: not an inventory: give a CSV file's path, sqlite:///PATH or postgresql://..."
    )

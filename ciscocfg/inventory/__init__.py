"""Phones' files served from an inventory, made on request: CSV, SQLite or PostgreSQL.

>>> from ciscocfg.inventory import open_inventory, InventoryHandler
>>> source = open_inventory("phones.csv")            # or sqlite:///phones.db, postgresql://...
>>> handler = InventoryHandler(source)               # TftpServer(root, handler=handler)

:func:`open_inventory` picks the backend from the URL; every backend answers a phone's row by
MAC as it is now (a change is seen by the next request), and every row is read by the rules of
:func:`ciscocfg.generate.read_inventory`. :class:`InventoryHandler` turns a requested name into
:func:`ciscocfg.generate.render_file`'s bytes, refuses a row that cannot become a valid file
(ERROR 2 and one log line), and leaves every other name to the server's root directory.
:func:`create_schema` makes the SQL tables (:func:`schema_sql` shows them). See
``docs/howto/serve-inventory.md``.
"""

from __future__ import annotations

from ciscocfg.inventory._csv import CsvInventory
from ciscocfg.inventory._handler import InventoryHandler
from ciscocfg.inventory._postgres import PostgresInventory
from ciscocfg.inventory._schema import DEFAULT_LINES, create_schema, schema_sql
from ciscocfg.inventory._source import (
    InventoryError,
    InventoryRow,
    InventorySource,
    open_inventory,
)
from ciscocfg.inventory._sqlite import SqliteInventory

__all__ = [
    "DEFAULT_LINES",
    "CsvInventory",
    "InventoryError",
    "InventoryHandler",
    "InventoryRow",
    "InventorySource",
    "PostgresInventory",
    "SqliteInventory",
    "create_schema",
    "open_inventory",
    "schema_sql",
]

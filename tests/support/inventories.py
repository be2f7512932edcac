"""The same phones written to each kind of inventory, and rewritten as a person would.

An :class:`Inventory` holds rows (the CSV inventory's columns, by name) in a CSV file, an
SQLite database or a PostgreSQL database; ``write`` replaces every row, the way an edit does:
the CSV file is rewritten in place (same file, often the same size), the databases in one
transaction by another connection than the server's.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

from ciscocfg.inventory import create_schema

Row = Mapping[str, str]

COLUMN_ORDER = ["mac", "model", "proxy", "label", "firmware", "timezone", "ntp"] + [
    f"line{n}_{part}" for n in range(1, 9) for part in ("user", "password", "display_name")
]


_REQUIRED = ("mac", "model", "proxy", "line1_user", "line1_password")


def _columns(rows: Sequence[Row]) -> list[str]:
    given = {key for row in rows for key in row}
    return [name for name in COLUMN_ORDER if name in given or name in _REQUIRED]


class Inventory:
    """Rows in one backend; ``url`` is what ``serve --inventory`` takes."""

    kind: str
    url: str

    def write(self, rows: Sequence[Row]) -> None:
        raise NotImplementedError


class CsvFile(Inventory):
    kind = "csv"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = str(path)

    def write(self, rows: Sequence[Row]) -> None:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        columns = _columns(rows)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
        with open(self.path, "r+b" if self.path.exists() else "wb") as file:
            file.write(out.getvalue().encode())
            file.truncate()


def _insert(columns: list[str], marker: str) -> str:
    return (
        f"INSERT INTO phones ({', '.join(columns)}) VALUES ({', '.join(marker for _ in columns)})"
    )


class SqliteFile(Inventory):
    kind = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.url = f"sqlite:///{path}"
        create_schema(self.url)

    def write(self, rows: Sequence[Row]) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute("DELETE FROM phones")
            for row in rows:
                columns = list(row)
                db.execute(_insert(columns, "?"), [row[c] for c in columns])
        db.close()


class PostgresDatabase(Inventory):
    kind = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        create_schema(url)

    def write(self, rows: Sequence[Row]) -> None:
        import psycopg

        with psycopg.connect(self.url) as db, db.transaction():
            db.execute("DELETE FROM phones")
            for row in rows:
                columns = list(row)
                db.execute(_insert(columns, "%s"), [row[c] for c in columns])

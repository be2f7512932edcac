"""The inventory's tables in SQLite and PostgreSQL, and a helper that creates them.

``phones`` has one row per phone and the CSV inventory's columns: ``mac`` (12 upper-case hex
digits, the primary key: the server looks a phone up by it on every request), ``model``,
``proxy``, ``label``, ``firmware``, ``timezone``, ``ntp`` and ``lineN_user``,
``lineN_password``, ``lineN_display_name`` for each line. PostgreSQL also gets
``phones_version``, one counter that a trigger moves on every change to ``phones``: a server
asks it whether anything changed before it serves a file every phone shares.
"""

from __future__ import annotations

from typing import Literal

from ciscocfg._errors import ValidationError

__all__ = ["DEFAULT_LINES", "TABLE", "VERSION_TABLE", "create_schema", "schema_sql"]

TABLE = "phones"
VERSION_TABLE = "phones_version"
#: Lines the tables have columns for unless told otherwise (a 7970/7975 has 8 line keys).
DEFAULT_LINES = 8

Dialect = Literal["sqlite", "postgresql"]


def schema_sql(dialect: Dialect, *, lines: int = DEFAULT_LINES) -> str:
    """The SQL that creates the inventory's tables when they are not there yet."""
    if not 1 <= lines <= 99:
        raise ValidationError(f"lines must be 1-99, not {lines}")
    if dialect == "sqlite":
        mac_rule = "length(mac) = 12 AND mac NOT GLOB '*[^0-9A-F]*'"
    elif dialect == "postgresql":
        mac_rule = "mac ~ '^[0-9A-F]{12}$'"
    else:
        raise ValidationError(f"unknown SQL dialect {dialect!r}")
    columns = [
        f"    mac TEXT PRIMARY KEY CHECK ({mac_rule}),",
        "    model TEXT NOT NULL,",
        "    proxy TEXT NOT NULL,",
        "    label TEXT,",
        "    firmware TEXT,",
        "    timezone TEXT,",
        "    ntp TEXT,",
    ]
    columns.extend(
        f"    line{n}_user TEXT, line{n}_password TEXT, line{n}_display_name TEXT,"
        for n in range(1, lines + 1)
    )
    columns[-1] = columns[-1].rstrip(",")
    sql = f"CREATE TABLE IF NOT EXISTS {TABLE} (\n" + "\n".join(columns) + "\n);\n"
    if dialect == "postgresql":
        sql += (
            f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (\n"
            "    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),\n"
            "    version BIGINT NOT NULL DEFAULT 0\n"
            ");\n"
            f"INSERT INTO {VERSION_TABLE} DEFAULT VALUES ON CONFLICT DO NOTHING;\n"
            f"CREATE OR REPLACE FUNCTION {TABLE}_changed() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN UPDATE {VERSION_TABLE} SET version = version + 1; RETURN NULL; END $$;\n"
            f"DROP TRIGGER IF EXISTS {TABLE}_changed ON {TABLE};\n"
            f"CREATE TRIGGER {TABLE}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE\n"
            f"    ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_changed();\n"
        )
    return sql


def create_schema(url: str, *, lines: int = DEFAULT_LINES) -> None:
    """Create the inventory's tables in the database ``url`` (``sqlite:///PATH``, creating the
    file if needed, or ``postgresql://...``) unless they are there; existing rows are kept."""
    from ciscocfg.inventory._source import InventoryError, open_inventory

    source = open_inventory(url)
    from ciscocfg.inventory._sqlite import SqliteInventory

    if isinstance(source, SqliteInventory):
        import sqlite3

        with sqlite3.connect(source.path) as db:
            db.executescript(schema_sql("sqlite", lines=lines))
        db.close()
        return
    from ciscocfg.inventory._postgres import PostgresInventory, psycopg_module

    if not isinstance(source, PostgresInventory):
        raise InventoryError(f"{url}: a CSV inventory has no schema to create")
    psycopg = psycopg_module(source.name)
    with psycopg.connect(url, autocommit=True) as db:
        db.execute(schema_sql("postgresql", lines=lines))

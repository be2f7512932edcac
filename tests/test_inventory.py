"""ciscocfg.inventory in one process: URLs, the SQL schema, the CSV file's edge cases, and the
handler's answers (the real server and PostgreSQL are in ``test_inventory_serve.py``)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from ciscocfg.aio import PathRejected
from ciscocfg.generate import PhoneSpec, render
from ciscocfg.inventory import (
    CsvInventory,
    InventoryError,
    InventoryHandler,
    PostgresInventory,
    SqliteInventory,
    create_schema,
    open_inventory,
    schema_sql,
)

HEADER = "mac,model,proxy,line1_user,line1_password\n"


def answer(handler: InventoryHandler, name: str) -> bytes | None:
    return asyncio.run(handler.file(name))


def test_urls_pick_the_backend(tmp_path: Path) -> None:
    assert isinstance(open_inventory("phones.csv"), CsvInventory)
    relative = open_inventory("sqlite:///phones.db")
    assert isinstance(relative, SqliteInventory)
    assert relative.path == Path("phones.db")
    absolute = open_inventory("sqlite:////srv/phones.db")
    assert isinstance(absolute, SqliteInventory)
    assert absolute.path == Path("/srv/phones.db")
    secret = open_inventory("postgresql://tftp:hunter2@db.example.net:5433/phones")
    assert isinstance(secret, PostgresInventory)
    assert secret.name == "postgresql://tftp@db.example.net:5433/phones"
    for bad in ("ftp://x/y", "sqlite://phones.db", "sqlite:///"):
        with pytest.raises(InventoryError):
            open_inventory(bad)


def test_the_sqlite_schema_holds_only_macs_as_phones_spell_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'phones.db'}"
    create_schema(url, lines=2)
    create_schema(url, lines=2)  # again: nothing changes, nothing fails
    with sqlite3.connect(tmp_path / "phones.db") as db:
        db.execute("INSERT INTO phones (mac, model, proxy) VALUES ('001BD4123456', '7940', 'x')")
        for mac in ("001bd4123456", "00:1B:D4:12:34:57", "001BD412345G"):
            with pytest.raises(sqlite3.IntegrityError):
                db.execute("INSERT INTO phones (mac, model, proxy) VALUES (?, '7940', 'x')", (mac,))
        columns = [row[1] for row in db.execute("PRAGMA table_info(phones)")]
    db.close()
    assert columns[-1] == "line2_display_name"
    assert "line3_user" not in columns
    with pytest.raises(ValueError, match="lines"):
        schema_sql("sqlite", lines=0)


def test_a_mac_on_two_rows_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(HEADER + "001BD4123456,7940,pbx,201,pw\n00:1b:d4:12:34:56,7940,pbx,202,pw\n")
    handler = InventoryHandler(CsvInventory(path))
    with pytest.raises(PathRejected) as refused:
        answer(handler, "SIP001BD4123456.cnf")
    assert "rows 2 and 3" in refused.value.reason


def test_a_row_without_a_mac_is_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(HEADER + "not-a-mac,7940,pbx,201,pw\n001BD4123456,7940,pbx,202,pw\n")
    handler = InventoryHandler(CsvInventory(path))
    with caplog.at_level(logging.WARNING, logger="ciscocfg.inventory"):
        assert answer(handler, "SIP001BD4123456.cnf")
        assert answer(handler, "SIP001BD4123456.cnf")
    [record] = caplog.records  # once per reading of the file, not per request
    assert "row 2" in record.getMessage()


def test_an_edit_of_the_same_size_is_seen_at_once(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    handler = InventoryHandler(CsvInventory(path))
    for password in ("pw-1", "pw-2", "pw-3"):
        with open(path, "wb") as file:  # the same file, the same size, within a clock tick
            file.write((HEADER + f"001BD4123456,7940,pbx,201,{password}\n").encode())
        data = answer(handler, "SIP001BD4123456.cnf")
        assert data is not None
        assert f'line1_password: "{password}"'.encode() in data


def test_names_the_inventory_does_not_have_are_left_to_the_root(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(HEADER + "001BD4123456,7961,pbx,201,pw\n")
    handler = InventoryHandler(CsvInventory(path))
    others = ["P0S3-8-12-00.loads", "SIP001BD4123456.cnf", "SIPDefault.cnf", "OS79XX.TXT"]
    others += ["SEP001BD4FFFFFF.cnf.xml", "//SEP001BD4123456.cnf.xml", "Ringlist.xml"]
    for name in others:
        assert answer(handler, name) is None, name
    phone = PhoneSpec.create(model="7961", mac="001BD4123456", proxy="pbx", lines=["201:pw"])
    assert (
        answer(handler, "/sep001bd4123456.CNF.XML")
        == render(phone).files["SEP001BD4123456.cnf.xml"]
    )
    exact = InventoryHandler(CsvInventory(path), case_insensitive=False)
    assert answer(exact, "sep001bd4123456.cnf.xml") is None
    assert answer(exact, "DIALPLAN.XML") is None
    assert answer(exact, "dialplan.xml") == render(phone).files["dialplan.xml"]


def test_server_wide_defaults_are_checked_and_used(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(HEADER + "001BD4123456,7940,pbx,201,pw\n")
    with pytest.raises(Exception, match="timezone"):
        InventoryHandler(CsvInventory(path), timezone="Mars")
    handler = InventoryHandler(CsvInventory(path), timezone="CET", ntp="ntp.example.net")
    data = answer(handler, "SIPDefault.cnf")
    assert data is not None
    assert b'time_zone: "CET"' in data
    assert b'sntp_server: "ntp.example.net"' in data


def test_an_inventory_that_goes_away_is_refused_then_seen_again(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(HEADER + "001BD4123456,7940,pbx,201,pw\n")
    handler = InventoryHandler(CsvInventory(path))
    assert answer(handler, "SIPDefault.cnf")
    path.unlink()
    with pytest.raises(PathRejected, match="inventory unavailable"):
        answer(handler, "SIPDefault.cnf")
    path.write_text("mac,model,proxy,line1_user,line1_password,colour\n")
    with pytest.raises(PathRejected, match="colour"):
        answer(handler, "SIP001BD4123456.cnf")
    path.write_text(HEADER + "001BD4123456,7940,pbx,201,pw\n")
    assert answer(handler, "SIP001BD4123456.cnf")

"""``ciscocfg serve --inventory``: the real command on loopback, for each kind of inventory.

Every file is fetched over TFTP with the library's client (and once with curl and tftp-hpa)
and compared byte for byte with ``generate.render`` of the same row; an edit to the inventory
is in the next answer; a bad row is refused with ERROR 2 and one log line; the boot check
walks a phone's boot against the server and finds no error; two servers share one PostgreSQL
inventory. PostgreSQL runs in a throwaway cluster (``support.postgres``).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from support.inventories import CsvFile, Inventory, PostgresDatabase, Row, SqliteFile
from support.loads_builder import PAYLOAD_79X1, container
from support.postgres import postgres_cluster
from support.tftp_peers import RunningServer, _running, client_get, free_udp_port, peer_binary

from ciscocfg.aio import TransferError, download
from ciscocfg.cli import main
from ciscocfg.generate import PhoneSpec, file_names, read_inventory, render

KITCHEN = {
    "mac": "001BD4123456",
    "model": "7940",
    "proxy": "127.0.0.1",
    "label": "Kitchen",
    "timezone": "CET",
    "ntp": "127.0.0.1",
    "line1_user": "201",
    "line1_password": "s3cret-201",
    "line1_display_name": "Kitchen",
}
HALL = {
    "mac": "001BD4123457",
    "model": "7961",
    "proxy": "127.0.0.1:5062",
    "line1_user": "301",
    "line1_password": "pw & <more>",
    "line1_display_name": "Hall",
    "line2_user": "302",
    "line2_password": "pw2",
}
BAD = {
    "mac": "001BD4123458",
    "model": "7960",
    "proxy": "127.0.0.1",
    "line1_user": "401",
    "line1_password": 'pa"ss',
}
ROWS: list[Row] = [KITCHEN, HALL, BAD]


def specs(rows: Sequence[Row]) -> list[PhoneSpec]:
    """The descriptions of ``rows`` as the generator reads them (good rows only)."""
    columns = sorted({key for row in rows for key in row})
    text = ",".join(columns) + "\n"
    for row in rows:
        text += ",".join('"' + row.get(c, "").replace('"', '""') + '"' for c in columns) + "\n"
    return read_inventory(text)


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    with postgres_cluster() as url:
        yield url


@pytest.fixture(params=["csv", "sqlite", "postgres"])
def inventory(request: pytest.FixtureRequest, tmp_path: Path) -> Inventory:
    if request.param == "csv":
        return CsvFile(tmp_path / "phones.csv")
    if request.param == "sqlite":
        return SqliteFile(tmp_path / "phones.db")
    return PostgresDatabase(request.getfixturevalue("postgres_url"))


@contextlib.contextmanager
def serving(url: str, *extra: str, root: Path | None = None) -> Iterator[RunningServer]:
    port = free_udp_port()
    argv = [sys.executable, "-m", "ciscocfg", "serve", "--inventory", url, "--port", str(port)]
    argv += ["--busy-poll", "0", *extra]
    if root is not None:
        argv.append(str(root))
    with _running("ciscocfg", argv, "127.0.0.1", port, root or Path(".")) as server:
        yield server


def fetch(server: RunningServer, name: str) -> bytes:
    got = asyncio.run(download(server.host, name, port=server.port))
    assert got.data is not None
    return got.data


def refusal(server: RunningServer, name: str) -> int:
    """The TFTP error code the server answers ``name`` with."""
    with pytest.raises(TransferError) as caught:
        asyncio.run(download(server.host, name, port=server.port))
    assert caught.value.by_peer
    return caught.value.code


def lines_naming(log: str, word: str) -> list[str]:
    return [line for line in log.splitlines() if word in line]


def test_every_file_is_the_generators_and_a_bad_row_is_refused(inventory: Inventory) -> None:
    inventory.write(ROWS)
    kitchen, hall = specs([KITCHEN, HALL])
    with serving(inventory.url, "-q") as server:
        for phone in (kitchen, hall):
            for name, data in render(phone).files.items():
                assert fetch(server, name) == data, name
                assert fetch(server, "/" + name.lower()) == data, name  # as phones spell it
        assert refusal(server, f"SEP{kitchen.mac}.cnf.xml") == 1  # a 7940's probe goes on
        assert refusal(server, f"SIP{hall.mac}.cnf") == 1
        assert refusal(server, "SIP001BD4FFFFFF.cnf") == 1  # not in the inventory
        assert refusal(server, "P0S3-8-12-00.loads") == 1  # no ROOT: nothing else is served
        assert refusal(server, f"SIP{BAD['mac']}.cnf") == 2
        assert refusal(server, f"SEP{BAD['mac']}.cnf.xml") == 1  # not the 7960's own file
        log = server.stderr_text()
    [line] = lines_naming(log, BAD["mac"])
    assert "WARNING" in line
    assert "line1_password" in line
    assert "double quote" in line
    assert "Traceback" not in log


def test_an_edit_is_seen_by_the_next_request(inventory: Inventory) -> None:
    inventory.write(ROWS)
    with serving(inventory.url, "-q") as server:
        before = fetch(server, f"SIP{KITCHEN['mac']}.cnf")
        assert b"s3cret-201" in before
        shared = fetch(server, "SIPDefault.cnf")
        # The same size: only the bytes tell the CSV file apart from what was read.
        edited = dict(KITCHEN, line1_password="s3cret-999", timezone="GMT")
        inventory.write([edited, HALL, BAD])
        (phone,) = specs([edited])
        after = render(phone).files
        assert fetch(server, f"SIP{KITCHEN['mac']}.cnf") == after[f"SIP{KITCHEN['mac']}.cnf"]
        assert fetch(server, "SIPDefault.cnf") == after["SIPDefault.cnf"] != shared
        inventory.write([edited, BAD])  # the 7961 is gone
        assert refusal(server, f"SEP{HALL['mac']}.cnf.xml") == 1
        inventory.write([dict(edited, line1_user="bad user"), BAD])
        assert refusal(server, f"SIP{KITCHEN['mac']}.cnf") == 2
        inventory.write([edited, HALL, BAD])
        assert (
            fetch(server, f"SEP{HALL['mac']}.cnf.xml")
            == render(specs([HALL])[0]).files[f"SEP{HALL['mac']}.cnf.xml"]
        )
        assert "Traceback" not in server.stderr_text()


def firmware_root(root: Path) -> Path:
    """The images the inventory's phones are made for, as a TFTP root holds them."""
    root.mkdir()
    files = {
        "P0S3-8-12-00.loads": container(
            "P0S3-8-12-00.loads", b"P003-8-12-00.sbn\nP0S3-8-12-00.sb2\nLA_VERSION=PAS30830\n"
        ),
        "P003-8-12-00.sbn": container("P003-8-12-00.sbn", b"\0" * 64),
        "P0S3-8-12-00.sb2": container("P0S3-8-12-00.sb2", b"\0" * 64),
        "SIP41.9-4-2SR3-1S.loads": container(
            "SIP41.9-4-2SR3-1S.loads",
            PAYLOAD_79X1.replace(b"8-5-4TH1-6", b"9-4-2-1S").replace(b"8-5-4S", b"9-4-2SR3-1S"),
        ),
    }
    for line in PAYLOAD_79X1.replace(b"8-5-4TH1-6", b"9-4-2-1S").split(b"\n"):
        name = line.strip().decode()
        if name.endswith(".sbn"):
            files[name] = container(name, b"\0" * 64)
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


def test_the_boot_check_finds_no_error(inventory: Inventory, tmp_path: Path) -> None:
    inventory.write(ROWS)
    root = firmware_root(tmp_path / "firmware")
    with serving(inventory.url, root=root) as server:
        for phone in specs([KITCHEN, HALL]):
            target = f"tftp://127.0.0.1:{server.port}"
            done = subprocess.run(
                [sys.executable, "-m", "ciscocfg", "check", target, "--mac", phone.mac],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert done.returncode == 0, done.stdout + done.stderr
            assert "0 error(s)" in done.stdout
            for name in file_names(phone):
                assert re.search(rf"\b{re.escape(name)} +found", done.stdout), name


@pytest.mark.peers
@pytest.mark.parametrize("client", ["curl", "tftp-hpa"])
def test_a_real_client_gets_the_same_bytes(client: str, tmp_path: Path) -> None:
    peer_binary("curl" if client == "curl" else "tftp")
    inventory = SqliteFile(tmp_path / "phones.db")
    inventory.write(ROWS)
    (hall,) = specs([HALL])
    with serving(inventory.url, "-q") as server:
        for name, data in render(hall).files.items():
            got = client_get(client, server.host, server.port, name.lower(), tmp_path)
            assert got == data, name


def test_two_servers_share_one_postgres_inventory(postgres_url: str) -> None:
    inventory = PostgresDatabase(postgres_url)
    inventory.write(ROWS)
    kitchen, hall = specs([KITCHEN, HALL])
    with serving(postgres_url, "-q") as first, serving(postgres_url, "-q") as second:
        assert first.port != second.port
        for phone in (kitchen, hall):
            for name, data in render(phone).files.items():
                assert fetch(first, name) == fetch(second, name) == data
        edited = dict(HALL, line2_password="changed")
        inventory.write([KITCHEN, edited, BAD])
        name = f"SEP{hall.mac}.cnf.xml"
        expected = render(specs([edited])[0]).files[name]
        assert fetch(second, name) == fetch(first, name) == expected
        assert refusal(first, f"SIP{BAD['mac']}.cnf") == refusal(second, f"SIP{BAD['mac']}.cnf")


def test_a_phone_model_the_rows_disagree_on_is_refused(tmp_path: Path) -> None:
    inventory = CsvFile(tmp_path / "phones.csv")
    other = dict(KITCHEN, mac="001BD4123459", timezone="EST")
    inventory.write([KITCHEN, other])
    with serving(inventory.url, "-q") as server:
        assert refusal(server, "SIPDefault.cnf") == 2
        assert fetch(server, "OS79XX.TXT")  # the same image: no disagreement
        log = server.stderr_text()
    [line] = lines_naming(log, "SIPDefault.cnf")
    assert "001BD4123456" in line
    assert "001BD4123459" in line
    assert "timezone" in line


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["serve"], "give ROOT, --inventory URL, or both"),
        (["serve", "--inventory", "x.csv", "--allow-write"], "--allow-write needs ROOT"),
        (["serve", ".", "--timezone", "CET"], "go with --inventory"),
        (["serve", "--inventory", "ftp://x"], "not an inventory"),
        (["serve", "--inventory", "x.csv", "--timezone", "Mars"], "timezone"),
    ],
)
def test_serve_refuses_what_it_cannot_use(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_serve_refuses_an_inventory_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.csv"
    assert main(["serve", "--inventory", str(missing), "--port", "0"]) == 2
    assert "absent.csv" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("mac,model,proxy,line1_user,line1_password,colour\n")
    assert main(["serve", "--inventory", str(bad), "--port", "0"]) == 2
    assert "colour" in capsys.readouterr().err
    assert main(["serve", "--inventory", f"sqlite:///{tmp_path / 'absent.db'}"]) == 2

"""A throwaway PostgreSQL server on loopback, for the tests and the benchmarks.

:func:`postgres_cluster` runs ``initdb`` in a temporary folder and ``postgres`` in the
foreground on 127.0.0.1 at a free high port (trust authentication, no fsync), and yields a
libpq URI for a fresh database; everything is removed afterwards. PostgreSQL refuses to run
as root: as root, both run as the ``postgres`` user (Debian's package makes it) or ``nobody``.

The server's programs are looked for on ``PATH`` and in ``/usr/lib/postgresql/*/bin``. When
they or psycopg are missing the test is skipped, unless ``CISCOCFG_REQUIRE_POSTGRES=1`` (set
by ``.ci/run``, which installs them), where it fails: a skipped test is not a passed one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["postgres_binaries", "postgres_cluster", "require_psycopg"]


def _unavailable(message: str) -> None:
    if os.environ.get("CISCOCFG_REQUIRE_POSTGRES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_psycopg() -> None:
    """Skip (or fail under ``CISCOCFG_REQUIRE_POSTGRES=1``) without psycopg 3."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg 3 is not installed (pip install 'ciscocfg[postgres]')")


def postgres_binaries() -> Path:
    """The folder of ``initdb``, ``postgres`` and ``pg_isready``."""
    found = shutil.which("initdb")
    if found is not None and shutil.which("postgres") is not None:
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: (
            int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0
        ),
    )
    if versions:
        return Path(versions[-1]).parent
    _unavailable("no PostgreSQL server programs (initdb, postgres): apt-get install postgresql")
    raise AssertionError("unreachable")


def _free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run_as() -> tuple[int, int] | None:
    """The (uid, gid) to run the server as when we are root, else None."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    _unavailable("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")
    raise AssertionError("unreachable")


@contextlib.contextmanager
def postgres_cluster(database: str = "inventory") -> Iterator[str]:
    """A PostgreSQL server with an empty database ``database``; yields its URI."""
    require_psycopg()
    binaries = postgres_binaries()
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="ciscocfg-pg-"))
    data, sockets = folder / "data", folder / "run"
    sockets.mkdir()
    log = folder / "server.log"

    def as_server() -> None:
        if user is not None:
            os.setgid(user[1])
            os.setgroups([])
            os.setuid(user[0])

    process: subprocess.Popen[bytes] | None = None
    try:
        if user is not None:
            for path in (folder, sockets):
                os.chown(path, *user)
        initdb = [str(binaries / "initdb"), "-D", str(data), "-U", "ciscocfg", "-A", "trust"]
        initdb += ["-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"]
        made = subprocess.run(
            initdb,
            capture_output=True,
            preexec_fn=as_server,
            check=False,
            timeout=120,
        )
        if made.returncode != 0:
            raise AssertionError(f"initdb failed: {made.stderr.decode(errors='replace')}")
        port = _free_tcp_port()
        server = [str(binaries / "postgres"), "-D", str(data), "-p", str(port)]
        for setting in (
            "listen_addresses=127.0.0.1",
            f"unix_socket_directories={sockets}",
            "fsync=off",
            "synchronous_commit=off",
            "full_page_writes=off",
            "max_connections=50",
        ):
            server += ["-c", setting]
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                server,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                preexec_fn=as_server,
            )
        admin = f"postgresql://ciscocfg@127.0.0.1:{port}/postgres"
        _wait_ready(admin, process, log)
        import psycopg

        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{database}"')
        yield f"postgresql://ciscocfg@127.0.0.1:{port}/{database}"
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # a fast shutdown: clients are not waited for
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import psycopg

    end = time.monotonic() + 60
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"postgres exited: {log.read_text(errors='replace')}")
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            time.sleep(0.1)
    raise AssertionError(f"postgres did not start: {log.read_text(errors='replace')}")

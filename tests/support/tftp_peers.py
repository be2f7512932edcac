"""Real TFTP programs on loopback, started and stopped by the tests and the benchmarks.

Servers (context managers yielding a :class:`RunningServer`): tftpd-hpa's ``in.tftpd``,
atftpd, dnsmasq (in a private network namespace, because its TFTP port is fixed at 69), and the
Python servers of the ``tftpy`` and ``tftp`` packages (in their own processes).
Clients (functions that return the downloaded bytes or raise :class:`PeerFailed`): curl,
tftp-hpa's ``tftp``, atftp, busybox ``tftp`` and ``tftpy``'s client.

A peer that is not installed skips the test, unless ``CISCOCFG_REQUIRE_PEERS=1`` (set by
``.ci/run``), where it fails it: a skipped interop test is not a passed one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest

__all__ = [
    "CLIENTS",
    "PeerFailed",
    "RunningServer",
    "atftpd_server",
    "client_get",
    "client_put",
    "dnsmasq_server",
    "free_udp_port",
    "peer_binary",
    "python_server",
    "tftpd_hpa_server",
    "wait_for_tftp",
]

LOOPBACK = "127.0.0.1"
#: Seconds a client program may run before it counts as hung.
CLIENT_DEADLINE = 120.0


class PeerFailed(AssertionError):
    """A peer program exited with an error; the message carries its output."""


def _required() -> bool:
    return os.environ.get("CISCOCFG_REQUIRE_PEERS") == "1"


def peer_binary(name: str) -> str:
    """The path of a peer program, or skip (fail under ``CISCOCFG_REQUIRE_PEERS=1``)."""
    if name == "atftpd":
        path: str | None = os.environ.get("CISCOCFG_ATFTPD", "/opt/atftpd/usr/sbin/atftpd")
        if path is not None and not os.access(path, os.X_OK):
            path = shutil.which("atftpd")
    else:
        path = shutil.which(name) or (
            f"/usr/sbin/{name}" if os.access(f"/usr/sbin/{name}", os.X_OK) else None
        )
    if path is None:
        message = f"TFTP peer {name!r} is not installed"
        if _required():
            pytest.fail(message)
        pytest.skip(message)
    return path


def python_module(name: str) -> None:
    """Skip (or fail under ``CISCOCFG_REQUIRE_PEERS=1``) when a Python peer is missing."""
    try:
        __import__(name)
    except ImportError:
        message = f"Python TFTP peer {name!r} is not installed"
        if _required():
            pytest.fail(message)
        pytest.skip(message)


def free_udp_port(host: str = LOOPBACK) -> int:
    """A UDP port that was free a moment ago (the kernel's choice, so high and unused)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def _probe_request() -> bytes:
    return struct.pack("!H", 1) + b"ciscocfg-readiness-probe\0octet\0"


def wait_for_tftp(host: str, port: int, *, deadline: float = 10.0) -> None:
    """Wait until something answers a read request on ``host:port`` (any reply will do)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    end = time.monotonic() + deadline
    with socket.socket(family, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.1)
        while time.monotonic() < end:
            with contextlib.suppress(OSError):
                sock.sendto(_probe_request(), (host, port))
                sock.recvfrom(65536)
                return
    raise PeerFailed(f"no TFTP server answered on {host}:{port}")


@dataclass
class RunningServer:
    """A server peer that is up: where to reach it and how to run a command beside it."""

    name: str
    host: str
    port: int
    root: Path
    process: subprocess.Popen[bytes] | None = None
    #: Put this before a client command to run it where the server is reachable (a network
    #: namespace for dnsmasq; empty otherwise).
    prefix: list[str] = field(default_factory=list)
    #: Where the server's standard error goes: a file, never a pipe (a chatty server would fill
    #: a pipe nobody reads and then block).
    log: IO[bytes] | None = None

    def stderr_text(self) -> str:
        if self.log is None:
            return ""
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextlib.contextmanager
def _running(
    name: str, argv: Sequence[str], host: str, port: int, root: Path, prefix: Sequence[str] = ()
) -> Iterator[RunningServer]:
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log
    )
    try:
        server = RunningServer(name, host, port, root, process, list(prefix), log)
        if prefix:
            _wait_in_namespace(prefix, host, port, process)
        else:
            try:
                wait_for_tftp(host, port)
            except PeerFailed:
                _stop(process)
                raise PeerFailed(f"{name} did not start: {server.stderr_text()}") from None
        yield server
    finally:
        _stop(process)
        log.close()


@contextlib.contextmanager
def tftpd_hpa_server(
    root: Path, *, allow_create: bool = False, port: int | None = None
) -> Iterator[RunningServer]:
    """tftpd-hpa in the foreground, chrooted on ``root`` (``-s``); ``-c`` allows uploads."""
    binary = peer_binary("in.tftpd")
    port = port or free_udp_port()
    argv = [binary, "-L", "-s", str(root), "-a", f"{LOOPBACK}:{port}", "-p"]
    if os.geteuid() == 0:
        argv += ["-u", "root"]
    if allow_create:
        argv.append("-c")
    with _running("tftpd-hpa", argv, LOOPBACK, port, root) as server:
        yield server


@contextlib.contextmanager
def atftpd_server(root: Path, *, port: int | None = None) -> Iterator[RunningServer]:
    """atftpd in the foreground; it accepts uploads of new files into ``root``."""
    binary = peer_binary("atftpd")
    port = port or free_udp_port()
    argv = [binary, "--daemon", "--no-fork", "--port", str(port), "--bind-address", LOOPBACK]
    argv += ["--logfile", "/dev/null"]
    if os.geteuid() == 0:
        argv += ["--user", "root.root"]
    argv.append(str(root))
    with _running("atftpd", argv, LOOPBACK, port, root) as server:
        yield server


def _namespace_mode() -> str:
    """How to get a private network namespace here: ``"root"``, ``"userns"`` (unprivileged
    user namespaces) or ``"sudo"``; skip (or fail when peers are required) if none works."""
    if os.geteuid() == 0:
        return "root"
    probe = [peer_binary("unshare"), "-r", "-n", "true"]
    if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return "userns"
    if subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0:
        return "sudo"
    message = "no network namespace for dnsmasq (not root, no user namespaces, no sudo)"
    if _required():
        pytest.fail(message)
    pytest.skip(message)


def _namespace_prefix(pid: int, mode: str) -> list[str]:
    nsenter = shutil.which("nsenter") or "nsenter"
    if mode == "root":
        return [nsenter, "-t", str(pid), "-n"]
    if mode == "sudo":
        return ["sudo", "-n", nsenter, "-t", str(pid), "-n"]
    return [nsenter, "-t", str(pid), "-U", "-n", "--preserve-credentials"]


def _probe_script(host: str, port: int) -> str:
    return (
        "import socket,sys,time\n"
        "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.settimeout(0.1)\n"
        "end=time.monotonic()+2\n"
        "while time.monotonic()<end:\n"
        "  try:\n"
        f"    s.sendto({_probe_request()!r},({host!r},{port}));s.recvfrom(65536);sys.exit(0)\n"
        "  except OSError: pass\n"
        "sys.exit(1)\n"
    )


def _wait_in_namespace(
    prefix: Sequence[str], host: str, port: int, process: subprocess.Popen[bytes]
) -> None:
    end = time.monotonic() + 10
    while time.monotonic() < end:
        if process.poll() is not None:
            raise PeerFailed("server exited at start-up")
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", _probe_script(host, port)],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return
        time.sleep(0.05)
    raise PeerFailed("server in the network namespace did not answer")


def _child_of(pid: int) -> int:
    end = time.monotonic() + 10
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if children:
                return int(children[0])
        time.sleep(0.01)
    raise PeerFailed("sudo did not start dnsmasq")


# A new network namespace starts with its loopback down; bring it up without needing iproute2
# (SIOCGIFFLAGS / SIOCSIFFLAGS, IFF_UP).
_LOOPBACK_UP = (
    "import fcntl,socket,struct;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
    "f=struct.unpack('16sH',fcntl.ioctl(s,0x8913,struct.pack('16sH',b'lo',0)))[1];"
    "fcntl.ioctl(s,0x8914,struct.pack('16sH',b'lo',f|1))"
)


@contextlib.contextmanager
def dnsmasq_server(root: Path, *, conf_file: Path | None = None) -> Iterator[RunningServer]:
    """dnsmasq's read-only TFTP server in a private network namespace.

    dnsmasq cannot move its TFTP port off 69, so it runs on 127.0.0.1:69 of a namespace of its
    own (nothing on the host is touched); clients run there through ``RunningServer.prefix``.
    ``conf_file`` is a configuration that enables TFTP and names ``root`` itself (as the
    snippet ``ciscocfg.generate.dnsmasq_conf`` writes); only loopback and logging are added.
    """
    binary = peer_binary("dnsmasq")
    unshare = peer_binary("unshare")
    mode = _namespace_mode()
    namespace = {
        "root": [unshare, "-n"],
        "userns": [unshare, "-r", "-n"],
        "sudo": ["sudo", "-n", unshare, "-n"],
    }[mode]
    tftp = (
        f"--conf-file={conf_file}"
        if conf_file is not None
        else f"--enable-tftp --tftp-root={root} --conf-file=/dev/null"
    )
    command = (
        f"{sys.executable} -c {_LOOPBACK_UP!r} && "
        f"exec {binary} -d --port=0 {tftp} --listen-address={LOOPBACK}"
        " --bind-interfaces --user=root --quiet-tftp --log-facility=- --tftp-max=1000"
    )
    argv = [*namespace, "sh", "-c", command]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log
    )
    try:
        # sudo forks: the namespace then belongs to its child, which becomes dnsmasq.
        pid = _child_of(process.pid) if mode == "sudo" else process.pid
        if mode != "sudo":
            # The namespace exists once the process's differs from ours (unshare runs first);
            # a root process's namespace cannot be read otherwise, the probes below then wait.
            end = time.monotonic() + 10
            own = os.readlink("/proc/self/ns/net")
            while time.monotonic() < end and process.poll() is None:
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/ns/net") != own:
                        break
                time.sleep(0.01)
        prefix = _namespace_prefix(pid, mode)
        _wait_in_namespace(prefix, LOOPBACK, 69, process)
        yield RunningServer("dnsmasq", LOOPBACK, 69, root, process, prefix, log)
    finally:
        _stop(process)
        log.close()


_TFTPY_SERVER = """
import logging, sys, tftpy
logging.getLogger("tftpy").setLevel(logging.CRITICAL)
tftpy.TftpServer(sys.argv[1]).listen(sys.argv[2], int(sys.argv[3]))
"""

_TFTP_SERVER = """
import sys, tftp
server = tftp.TFTPServer(sys.argv[1], listen=[sys.argv[2]], port=int(sys.argv[3]),
                         options=tftp.TFTPServerOptions(max_blksize=65464, max_windowsize=64))
server.serve_forever()
"""


@contextlib.contextmanager
def python_server(package: str, root: Path) -> Iterator[RunningServer]:
    """The server of the ``tftpy`` or ``tftp`` package, in a process of its own."""
    python_module(package)
    script = {"tftpy": _TFTPY_SERVER, "tftp": _TFTP_SERVER}[package]
    port = free_udp_port()
    argv = [sys.executable, "-c", script, str(root), LOOPBACK, str(port)]
    with _running(f"{package} server", argv, LOOPBACK, port, root) as server:
        yield server


# --- clients -------------------------------------------------------------------------------

#: The client programs :func:`client_get` knows.
CLIENTS = ("curl", "tftp-hpa", "atftp", "busybox", "tftpy")


def _run(argv: Sequence[str], *, cwd: Path | None = None) -> None:
    done = subprocess.run(
        list(argv), capture_output=True, timeout=CLIENT_DEADLINE, check=False, cwd=cwd
    )
    if done.returncode != 0:
        raise PeerFailed(
            f"{' '.join(argv)} exited with {done.returncode}: "
            f"{done.stdout.decode(errors='replace')}{done.stderr.decode(errors='replace')}"
        )


_TFTPY_CLIENT = """
import logging, sys, tftpy
logging.getLogger("tftpy").setLevel(logging.CRITICAL)
options = {"blksize": int(sys.argv[5])} if sys.argv[5] != "0" else {}
client = tftpy.TftpClient(sys.argv[1], int(sys.argv[2]), options=options)
if sys.argv[6] == "get":
    client.download(sys.argv[3], sys.argv[4], timeout=5)
else:
    client.upload(sys.argv[3], sys.argv[4], timeout=5)
"""


def _client_argv(
    client: str,
    direction: str,
    host: str,
    port: int,
    remote: str,
    local: Path,
    *,
    blksize: int | None,
    windowsize: int | None,
    mode: str,
) -> list[str]:
    if client == "curl":
        url = f"tftp://{host}:{port}/{remote}" + (";mode=netascii" if mode == "netascii" else "")
        argv = [peer_binary("curl"), "-s", "-S", "--globoff"]
        if mode == "netascii":
            # curl 7.88 gives up (error 42) on a netascii read when options are sent; without
            # them it writes the wire bytes untranslated, which is what a comparison needs.
            argv.append("--tftp-no-options")
        if blksize:
            argv += ["--tftp-blksize", str(blksize)]
        if direction == "get":
            return [*argv, "-o", str(local), url]
        return [*argv, "-T", str(local), url]
    if client == "tftp-hpa":
        # tftp-hpa's client takes no options on the command line besides the mode.
        command = "get" if direction == "get" else "put"
        hpa_mode = "netascii" if mode == "netascii" else "octet"
        return [
            peer_binary("tftp"), "-m", hpa_mode, host, str(port),
            "-c", command, remote if direction == "get" else str(local),
            str(local) if direction == "get" else remote,
        ]  # fmt: skip
    if client == "atftp":
        argv = [peer_binary("atftp"), "-g" if direction == "get" else "-p"]
        argv += ["-r", remote, "-l", str(local)]
        if blksize:
            argv += ["--option", f"blksize {blksize}"]
        if windowsize:
            argv += ["--option", f"windowsize {windowsize}"]
        if mode == "netascii":
            argv += ["--option", "mode netascii"]
        return [*argv, host, str(port)]
    if client == "busybox":
        argv = [peer_binary("busybox"), "tftp", "-g" if direction == "get" else "-p"]
        argv += ["-r", remote, "-l", str(local)]
        if blksize:
            argv += ["-b", str(blksize)]
        return [*argv, host, str(port)]
    if client == "tftpy":
        python_module("tftpy")
        return [
            sys.executable, "-c", _TFTPY_CLIENT, host, str(port), remote, str(local),
            str(blksize or 0), direction,
        ]  # fmt: skip
    raise ValueError(f"unknown client {client!r}")


def client_get(
    client: str,
    host: str,
    port: int,
    remote: str,
    workdir: Path,
    *,
    blksize: int | None = None,
    windowsize: int | None = None,
    mode: str = "octet",
    prefix: Sequence[str] = (),
) -> bytes:
    """Download ``remote`` with a client program and return what it wrote."""
    local = workdir / f"got-{client}-{os.getpid()}-{time.monotonic_ns()}"
    argv = _client_argv(
        client, "get", host, port, remote, local, blksize=blksize, windowsize=windowsize, mode=mode
    )
    try:
        _run([*prefix, *argv], cwd=workdir)
        return local.read_bytes()
    finally:
        local.unlink(missing_ok=True)


def client_put(
    client: str,
    host: str,
    port: int,
    remote: str,
    data: bytes,
    workdir: Path,
    *,
    blksize: int | None = None,
    windowsize: int | None = None,
    prefix: Sequence[str] = (),
) -> None:
    """Upload ``data`` as ``remote`` with a client program."""
    local = workdir / f"put-{client}-{os.getpid()}-{time.monotonic_ns()}"
    local.write_bytes(data)
    argv = _client_argv(
        client, "put", host, port, remote, local, blksize=blksize, windowsize=windowsize,
        mode="octet",
    )  # fmt: skip
    try:
        _run([*prefix, *argv], cwd=workdir)
    finally:
        local.unlink(missing_ok=True)

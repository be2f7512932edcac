"""The check against a live TFTP server: request the files in the phone's order, then judge.

The walk is the same as for a directory (:mod:`ciscocfg.provision._boot`); here each request
goes over TFTP with the library's asyncio client, so what is judged is what the phone would
really get from that server: its answers to missing files (a loader continues its hunt only
after error 1, "file not found"), its idea of letter case, its remap rules.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError
from ciscocfg._phonefiles import PER_PHONE_KINDS, PhoneFileKind
from ciscocfg._phones import FAMILY_79X0, FAMILY_79X1, Family, phone_model
from ciscocfg.provision._boot import BootTrace, Fetch, Walk
from ciscocfg.provision._check import FileFindings
from ciscocfg.provision._tree import (
    TreeReport,
    mac_asked,
    report_for,
    resolve_running,
    walk_for,
)

__all__ = ["FetchResult", "NoAnswer", "check_tftp", "check_tftp_async", "tftp_fetcher"]

#: What a fetch gives back: the bytes (or None) and a failure other than "file not found".
FetchResult = tuple[bytes | None, str | None]
_FILE_NOT_FOUND = 1


class NoAnswer(CiscoCfgError, ConnectionError):
    """Nothing answers at the address checked: no TFTP server there, or a firewall drops the
    requests. ``host`` and ``port`` are where the requests went."""

    def __init__(self, host: str, port: int, detail: str) -> None:
        self.host = host
        self.port = port
        self.detail = detail
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        super().__init__(
            f"nothing answers at {where} ({detail}): no TFTP server there, or a firewall "
            "drops the requests"
        )

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.host, self.port, self.detail))


def tftp_fetcher(
    host: str, port: int, *, retries: int = 2
) -> Callable[[str], Awaitable[FetchResult]]:
    """A function that reads one file from ``host:port`` the way the phone does.

    Like a 7940, it sends a plain octet-mode read request with no options. A server that never
    answered is not asked again: every later request gets the same "no answer" at once.
    """
    from ciscocfg import aio
    from ciscocfg.tftp import RetryPolicy

    policy = RetryPolicy(max_retries=retries, dally=0.0)
    state = {"answered": False, "silent": False}

    async def fetch(name: str) -> FetchResult:
        if state["silent"] and not state["answered"]:
            return None, "no answer from the server (timeout)"
        try:
            got = await aio.download(host, name, port=port, tsize=False, retry=policy)
        except aio.TransferError as exc:
            if exc.reason == "timeout" and not exc.by_peer:
                if not state["answered"]:
                    raise NoAnswer(host, port, "no reply to a read request") from None
                state["silent"] = True
                return None, "no answer from the server (timeout)"
            state["answered"] = True
            if exc.by_peer and exc.code == _FILE_NOT_FOUND:
                return None, None
            if exc.by_peer:
                return None, f"TFTP error {exc.code} ({exc.message or 'no message'})"
            return None, f"no usable answer ({exc.reason}: {exc.message})"
        except OSError as exc:
            if not state["answered"]:
                raise NoAnswer(host, port, exc.strerror or str(exc)) from None
            state["silent"] = True
            return None, f"no answer from the server ({exc.strerror or exc})"
        state["answered"] = True
        return got.data or b"", None

    return fetch


async def _drive(
    trace: BootTrace, walk: Walk, fetch: Callable[[str], Awaitable[FetchResult]]
) -> BootTrace:
    try:
        request = next(walk)
        while True:
            data, error = await fetch(request.name)
            trace.fetches.append(Fetch(request, data, error))
            request = walk.send(data)
    except StopIteration:
        pass
    return trace


async def _misnamed(
    mac: str, trace: BootTrace, fetch: Callable[[str], Awaitable[FetchResult]]
) -> list[Diagnostic]:
    """Ask for the usual misspellings of a per-phone file the server did not have."""
    found: list[Diagnostic] = []
    wanted: PhoneFileKind = "sip_cnf" if trace.family == FAMILY_79X0 else "sep_xml"
    canonical = PER_PHONE_KINDS[wanted].format(mac=mac)
    fetched = trace.last(wanted)
    if fetched is None or fetched.data is not None:
        return found
    stem, dot, ext = canonical.partition(".")
    variants = [
        PER_PHONE_KINDS[wanted].format(mac=mac.lower()),
        stem + dot + ext.upper(),
        canonical.lower(),
    ]
    for name in dict.fromkeys(variants):
        if name == canonical:
            continue
        data, _ = await fetch(name)
        if data is not None:
            found.append(
                Diagnostic(
                    "PRV010" if mac.lower() in name else "PRV011",
                    "error",
                    f"the server has {name} but the phone asks for {canonical}; the server "
                    "matches names case-sensitively, so the phone never gets it",
                    source=name,
                    suggestion=canonical,
                )
            )
            break
    return found


async def check_tftp_async(
    host: str,
    port: int = 69,
    *,
    mac: str,
    family: Family | None = None,
    running: str | None = None,
    model: str | None = None,
    retries: int = 2,
    save: str | os.PathLike[str] | None = None,
    force: bool = False,
    fetch: Callable[[str], Awaitable[FetchResult]] | None = None,
) -> TreeReport:
    """Boot phone ``mac`` against the TFTP server at ``host:port`` and judge what it got.

    ``family`` (``"79x0"`` or ``"79x1"``) is found out when not given: a server with
    ``SIP<MAC>.cnf`` (or without ``SEP<MAC>.cnf.xml``) is serving a 79x0 on SIP. ``save`` keeps
    the files the server sent in that folder, under the names asked for, once the check is done:
    all or nothing, an existing file replaced only with ``force``, nothing written through a
    link out of the folder (:class:`~ciscocfg.WriteRefused`); ``model`` is as for
    :func:`~ciscocfg.provision.check_tree`. ``fetch`` replaces the TFTP
    client (for tests and other transports). Raises :class:`NoAnswer` when the server does
    not answer the first request at all.
    """
    wanted = mac_asked(mac)
    known = phone_model(model) if model is not None else None
    image = resolve_running(running, known)
    if family is None and known is not None:
        family = known.family
    get = fetch or tftp_fetcher(host, port, retries=retries)
    cache: dict[str, FetchResult] = {}

    async def cached(name: str) -> FetchResult:
        if name not in cache:
            cache[name] = await get(name)
        return cache[name]

    chosen = family or FAMILY_79X0
    trace = await _drive(BootTrace(wanted, chosen), walk_for(wanted, chosen, known), cached)
    if family is None:
        sip = trace.last("sip_cnf")
        sep = trace.first("sep_xml")
        if sip is not None and sip.data is None and sep is not None and sep.data is not None:
            chosen = FAMILY_79X1
            trace = await _drive(BootTrace(wanted, chosen), walk_for(wanted, chosen, known), cached)
    naming = await _misnamed(wanted, trace, cached)
    per_phone = {f.request.name for f in trace.fetches if wanted in f.request.name}
    per_phone |= {d.source for d in naming if d.source}
    files = FileFindings(known.name if known is not None else None)
    # The firmware judgement may want files the walk did not ask for (a stop on the way, the
    # .bin an old loader fetches): ask the server for those too, and judge again.
    wanted_more: set[str] = set()

    def lookup(name: str) -> bytes | None:
        if name not in cache:
            wanted_more.add(name)
            return None
        return cache[name][0]

    for _ in range(4):
        wanted_more.clear()
        report, shared = report_for(trace, None, files, image, per_phone, lookup)
        if not wanted_more:
            break
        for name in sorted(wanted_more):
            await cached(name)
    if save is not None:
        _save(save, cache, force=force)
    report = attrs.evolve(report, diagnostics=tuple(naming) + report.diagnostics)
    unique = {(d.code, d.source, d.line, d.message): d for d in shared}
    ordered = sorted(unique.values(), key=Diagnostic.sort_key)
    return TreeReport(f"tftp://{host}:{port}", (report,), tuple(ordered))


def check_tftp(
    host: str,
    port: int = 69,
    *,
    mac: str,
    family: Family | None = None,
    running: str | None = None,
    model: str | None = None,
    retries: int = 2,
) -> list[Diagnostic]:
    """:func:`check_tftp_async` run to completion; every finding, in reading order."""
    from ciscocfg.aio import run

    # A client's waits are not worth spinning for: one plain loop, as asyncio.run gives.
    report = run(
        check_tftp_async(
            host, port, mac=mac, family=family, running=running, model=model, retries=retries
        ),
        busy_poll=0,
    )
    return report.diagnostics


def _save(
    folder: str | os.PathLike[str], cache: dict[str, FetchResult], *, force: bool
) -> list[Path]:
    """Write what the server sent into ``folder``, under the names asked for (a leading ``/``
    dropped, folders made inside ``folder``).

    A name that climbs out (``..``, which a server's ``tftp_cfg_dir`` can ask for) is not saved;
    everything else is written by the rules of :mod:`ciscocfg._writing` with ``within=folder``:
    :class:`~ciscocfg.WriteRefused`, and nothing written, when a file is there and ``force`` is
    not given or a folder on the way is a link out of ``folder``.
    """
    from ciscocfg._writing import write_files

    files: dict[str | os.PathLike[str], bytes] = {}
    for name, (data, _) in cache.items():
        parts = [part for part in name.split("/") if part not in ("", ".")]
        if data is None or not parts or ".." in parts:
            continue
        files[Path(folder, *parts)] = data
    return write_files(files, force=force, within=folder, make_folders=True)

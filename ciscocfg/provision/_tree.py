"""A whole TFTP root: find the phones in it, walk each one's boot, group the findings."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ciscocfg._diagnostic import Diagnostic, has_errors
from ciscocfg._errors import ValidationError
from ciscocfg._phonefiles import classify, misnamed, naming_finding
from ciscocfg._phones import (
    FAMILY_79X0,
    FAMILY_79X1,
    Family,
    PhoneModel,
    normalize_mac,
    phone_model,
    suggest_mac,
)
from ciscocfg.provision._boot import BootTrace, Walk, run_walk, walk_79x0, walk_79x1
from ciscocfg.provision._check import FileFindings, check_trace
from ciscocfg.provision._read import keys_unknown, merged_values, xml_refs

if TYPE_CHECKING:
    from ciscocfg.firmware import FirmwareImage

__all__ = [
    "PhoneReport",
    "RequestOutcome",
    "TreeReport",
    "check",
    "check_tree",
    "mac_asked",
    "outcome",
    "phones_in",
]


@attrs.frozen
class RequestOutcome:
    """One request of a phone's boot and what came back."""

    name: str
    purpose: str
    found: bool
    size: int | None = None
    error: str | None = None


@attrs.frozen
class PhoneReport:
    """Everything about one phone: its boot as requests, and the findings about it."""

    mac: str
    family: Family
    requests: tuple[RequestOutcome, ...]
    diagnostics: tuple[Diagnostic, ...]
    #: What the phone ends up with: protocol, image, line 1 and its proxy, dial plan (never a
    #: password), as read from the files it got.
    outcome: tuple[tuple[str, str], ...] = ()

    @property
    def has_errors(self) -> bool:
        """True when this phone will not boot as configured."""
        return has_errors(list(self.diagnostics))


@attrs.frozen
class TreeReport:
    """The check of a tree: findings per phone, plus those about the tree as a whole.

    ``shared`` holds findings about files every phone reads (``SIPDefault.cnf``, the dial plan,
    the ring list, the images) once, and about files no phone will ever find (misnamed).
    """

    root: str
    phones: tuple[PhoneReport, ...]
    shared: tuple[Diagnostic, ...]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every finding once, in reading order."""
        seen: dict[tuple[object, ...], Diagnostic] = {}
        for diag in [*self.shared, *(d for p in self.phones for d in p.diagnostics)]:
            key = (diag.code, diag.source, diag.line, diag.column, diag.message)
            seen.setdefault(key, diag)
        return sorted(seen.values(), key=Diagnostic.sort_key)

    @property
    def has_errors(self) -> bool:
        """True when some finding has severity error."""
        return has_errors(self.diagnostics)

    def to_json(self) -> dict[str, Any]:
        """The report as plain data for ``json.dumps``: every finding once (``diagnostics``),
        then the same findings grouped as the text report groups them (``shared``, and each
        phone's own with its requests)."""

        def diag(d: Diagnostic) -> dict[str, Any]:
            return d.to_json()

        return {
            "root": self.root,
            "errors": self.has_errors,
            "diagnostics": [diag(d) for d in self.diagnostics],
            "shared": [diag(d) for d in self.shared],
            "phones": [
                {
                    "mac": p.mac,
                    "family": p.family,
                    "requests": [attrs.asdict(r) for r in p.requests],
                    "outcome": dict(p.outcome),
                    "diagnostics": [diag(d) for d in p.diagnostics],
                }
                for p in self.phones
            ],
        }


def _listing(root: Path) -> frozenset[str]:
    names: set[str] = set()
    for dirpath, _dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for name in files:
            names.add(name if rel == "." else f"{rel}/{name}".replace(os.sep, "/"))
    return frozenset(names)


def phones_in(listing: Iterable[str]) -> tuple[dict[str, Family], list[Diagnostic]]:
    """The phones a set of file names provisions (MAC → family), and findings about names.

    A phone with a ``SIP<MAC>.cnf`` is a 79x0 booting SIP; one with only a ``SEP<MAC>.cnf.xml``
    reads XML (a 79x1, or a 79x0 on SCCP). Files named so that the phone never finds them are
    reported (``PRV010`` lower-case MAC, ``PRV011`` wrong case of prefix or extension) and still
    count for the phone they were meant for.
    Names with the MAC written with separators or with an extension an editor added are
    reported too (``PRV014``), with the name the phone asks for.
    """
    phones: dict[str, Family] = {}
    findings: list[Diagnostic] = []
    for name in sorted(listing):
        base = name.rsplit("/", 1)[-1]
        match = classify(base) or misnamed(base)
        if match is None:
            continue
        if not match.exact:
            wanted = name[: len(name) - len(base)] + match.canonical
            if wanted not in listing:
                findings.append(naming_finding(name, match, wanted))
        if match.kind == "sip_cnf":
            phones[match.mac] = FAMILY_79X0
        elif match.kind == "sep_xml":
            phones.setdefault(match.mac, FAMILY_79X1)
    return phones, findings


def _reader(root: Path) -> Any:
    def fetch(name: str) -> tuple[bytes | None, str | None]:
        path = root / name
        if ".." in Path(name).parts:
            return None, None
        try:
            if not path.is_file():
                return None, None
            return path.read_bytes(), None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                return None, None  # a name no file can have (a damaged ring list's line)
            return None, f"an error reading the file ({exc.strerror})"

    return fetch


def _content(root: Path) -> Callable[[str], bytes | None]:
    read = _reader(root)

    def content(name: str) -> bytes | None:
        data: bytes | None = read(name)[0]
        return data

    return content


def resolve_running(running: str | None, model: PhoneModel | None) -> FirmwareImage | None:
    """``--running`` as an image: a name, or a release shorthand for the tree's model.

    Raises :class:`~ciscocfg.ParseError` when it is neither (the caller's mistake).
    """
    if running is None:
        return None
    from ciscocfg import firmware

    return firmware.resolve(running, family=model.name if model is not None else None)


def walk_for(mac: str, family: Family, model: PhoneModel | None = None) -> Walk:
    """The boot walk of a phone of ``family`` (a 79x1 ``model`` picks its XMLDefault load)."""
    if family == FAMILY_79X0:
        return walk_79x0(mac)
    device_type = model.device_type if model is not None and model.is_79x1 else None
    return walk_79x1(mac, device_type=device_type)


def report_for(
    trace: BootTrace,
    listing: frozenset[str] | None,
    files: FileFindings,
    running: FirmwareImage | None,
    per_phone: set[str],
    fetch: Callable[[str], bytes | None] | None = None,
) -> tuple[PhoneReport, list[Diagnostic]]:
    """Split one phone's findings into its own and those about shared files."""
    found = check_trace(trace, listing=listing, files=files, running=running, fetch=fetch)
    own = tuple(d for d in found if d.source is None or d.source in per_phone)
    shared = [d for d in found if d.source is not None and d.source not in per_phone]
    requests = tuple(
        RequestOutcome(
            f.request.name,
            f.request.purpose,
            f.data is not None,
            len(f.data) if f.data is not None else None,
            f.error,
        )
        for f in trace.fetches
    )
    return PhoneReport(trace.mac, trace.family, requests, own, outcome(trace)), shared


def outcome(trace: BootTrace) -> tuple[tuple[str, str], ...]:
    """The settings that decide whether the phone works, as the phone would hold them."""
    result: list[tuple[str, str]] = []
    if trace.family == FAMILY_79X0:
        sep = trace.first("sep_xml")
        refs = xml_refs(sep.data) if sep is not None and sep.data is not None else None
        flipped = refs is not None and not (
            refs.protocol == "SIP" and (refs.load or "").upper().startswith("P0S")
        )
        result.append(("protocol", "SCCP (flipped by SEP<MAC>.cnf.xml)" if flipped else "SIP"))
        default = trace.first("sip_default")
        own = trace.last("sip_cnf")
        merged = merged_values(
            default.data if default is not None else None, own.data if own is not None else None
        )
        result.extend((key, merged[key]) for key in _OUTCOME_79X0 if key in merged)
        if "line1_name" not in merged:
            unknown = keys_unknown(
                default.data if default is not None else None,
                own.data if own is not None else None,
            )
            result.append(("line1_name", "(unknown: a template)" if unknown else "(not set)"))
        return tuple(result)
    sep = trace.first("sep_xml")
    if sep is not None and sep.data is not None:
        refs = xml_refs(sep.data)
        result.append(("protocol", refs.protocol or "(not set)"))
        if refs.load:
            result.append(("loadInformation", refs.load))
        if refs.dial_template:
            result.append(("dialTemplate", refs.dial_template))
    return tuple(result)


# The keys shown as the outcome of a 79x0 boot; passwords are never shown.
_OUTCOME_79X0 = (
    "image_version",
    "line1_name",
    "proxy1_address",
    "proxy1_port",
    "proxy_register",
    "dial_template",
)


def check_tree(
    root: str | os.PathLike[str],
    *,
    mac: str | None = None,
    running: str | None = None,
    model: str | None = None,
) -> TreeReport:
    """Walk the boot of every phone provisioned in ``root`` (or only ``mac``) and report.

    ``running`` names the image the phones run now (``P0S3-06-3-00``, ``SCCP 3.x`` ..., read
    by :func:`ciscocfg.firmware.resolve`, for the family of ``model`` when given): the firmware
    the tree names is then judged by :func:`ciscocfg.firmware.reach` from that image, with the
    files of the tree (a phone already on the image named needs none of them).
    ``model`` (``"7940"``, ``"7961"`` ...) is the phone model of the tree: it sets how many
    lines the ``.cnf`` files may use, the firmware family ``SEP<MAC>.cnf.xml`` may name, and
    which ``loadInformation<ID>`` of ``XMLDefault.cnf.xml`` a 79x1 without its own file reads.
    Raises :class:`~ciscocfg.ParseError` when ``running`` is not an image name,
    :class:`~ciscocfg.ValidationError` when ``mac`` is not a MAC address or ``model`` not a
    known model, and ``FileNotFoundError`` or ``NotADirectoryError`` when ``root`` is not a folder.
    """
    known = phone_model(model) if model is not None else None
    image = resolve_running(running, known)
    base = Path(root)
    # os.walk yields nothing for a missing folder: a mistyped root would otherwise read as a
    # tree that provisions no phone (PRV001), sending the reader after the wrong problem.
    if not base.exists():
        raise FileNotFoundError(errno.ENOENT, "no such TFTP root", str(base))
    if not base.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "the TFTP root is not a folder", str(base))
    listing = _listing(base)
    phones, naming = phones_in(listing)
    shared: list[Diagnostic] = []
    if mac is not None:
        wanted = mac_asked(mac, phones)
        family = phones.get(wanted)
        if family is None and phones:
            shared.append(
                Diagnostic(
                    "PRV002",
                    "info",
                    f"no file of the tree is named for the phone {wanted}; the tree provisions "
                    + ", ".join(sorted(phones)[:6])
                    + (" ..." if len(phones) > 6 else ""),
                    source=".",
                    suggestion=suggest_mac(wanted, phones),
                )
            )
        if family is None:
            has_sip = any(n.casefold() == "sipdefault.cnf" for n in listing)
            guess = FAMILY_79X0 if has_sip else FAMILY_79X1
            family = known.family if known is not None else guess
        phones = {wanted: family}
        naming = [d for d in naming if d.suggestion and wanted in d.suggestion]
    elif not phones:
        shared.append(
            Diagnostic(
                "PRV001",
                "error",
                "no SIP<MAC>.cnf or SEP<MAC>.cnf.xml in the tree: no phone is provisioned "
                "(give --mac to check what a given phone would get)",
                source=".",
            )
        )
    shared.extend(naming)
    files = FileFindings(known.name if known is not None else None)
    reports: list[PhoneReport] = []
    for phone_mac, family in sorted(phones.items()):
        walk = walk_for(phone_mac, family, known)
        trace = run_walk(BootTrace(phone_mac, family), walk, _reader(base))
        per_phone = {f.request.name for f in trace.fetches if phone_mac in f.request.name}
        per_phone |= {d.source for d in naming if d.source and phone_mac in (d.suggestion or "")}
        report, common = report_for(trace, listing, files, image, per_phone, _content(base))
        reports.append(report)
        shared.extend(common)
    unique: dict[tuple[object, ...], Diagnostic] = {}
    for diag in shared:
        unique.setdefault((diag.code, diag.source, diag.line, diag.column, diag.message), diag)
    ordered = sorted(unique.values(), key=Diagnostic.sort_key)
    return TreeReport(str(base), tuple(reports), tuple(ordered))


def mac_asked(mac: str, known: Iterable[str] = ()) -> str:
    """``mac`` as the phone writes it; raises :class:`~ciscocfg.ValidationError` for text that
    is no MAC, with the MAC it most likely means among ``known`` (or with look-alike letters
    read as digits)."""
    try:
        return normalize_mac(mac)
    except ValueError as exc:
        hint = suggest_mac(mac, known)
        if hint is None:
            raise
        raise ValidationError(f"{exc}; did you mean {hint}?") from None


def check(
    root: str | os.PathLike[str],
    *,
    mac: str | None = None,
    running: str | None = None,
    model: str | None = None,
) -> list[Diagnostic]:
    """Simulate the phone's boot against a TFTP root; every finding, in reading order.

    Each finding's ``source`` is the file's path relative to ``root``, with a line where the
    problem sits in that file. See :func:`check_tree` for the report grouped by phone.
    """
    return check_tree(root, mac=mac, running=running, model=model).diagnostics

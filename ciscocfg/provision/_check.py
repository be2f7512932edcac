"""Findings about a boot: what the phone will miss, misread or refuse (codes ``PRVnnn``).

Each check reads a :class:`~ciscocfg.provision._boot.BootTrace` (what the phone asked for and
got) plus, for a directory, the names actually on the disk (to explain a file the phone misses
because of letter case). File contents are judged by the codecs (``cnf.validate``,
``sepxml.validate``, ``os79xx.validate``, ``dialplan``, ``ringlist``, ``ringtone``); their
findings are passed through with the file's path relative to the root as ``source``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ciscocfg import kinds
from ciscocfg._diagnostic import Diagnostic, Findings, Severity
from ciscocfg._errors import CiscoCfgError
from ciscocfg._phonefiles import classify, find_case_variant, misnamed
from ciscocfg._placeholders import has_placeholder
from ciscocfg._text import decode_bytes
from ciscocfg.provision._boot import BootTrace, Fetch, FileRole, Request
from ciscocfg.provision._read import XmlRefs, cnf_view, xml_refs

if TYPE_CHECKING:
    from ciscocfg.firmware import BootVerdict, FirmwareImage

__all__ = ["FileFindings", "check_trace"]

#: The message the 7940 of the story showed with no usable line 1.
NO_LINE_MESSAGE = "W362 No Valid Line Names Provisioned"

# Codec codes replaced by a check on the merged chain here (line 1 may come from SIPDefault).
_REPLACED = {"CNF401"}


class FileFindings:
    """Findings per file, computed once however many phones share the file."""

    def __init__(self, model: str | None = None) -> None:
        #: The phone model the tree is for (line count, firmware family), when known.
        self.model = model
        self._cache: dict[tuple[str, str], list[Diagnostic]] = {}

    def get(self, kind: str, name: str, data: bytes) -> list[Diagnostic]:
        key = (kind, name)
        if key not in self._cache:
            self._cache[key] = list(_lint(kind, name, data, self.model))
        return self._cache[key]


# The kind of file (ciscocfg.kinds) each file of the boot is read as, by its role in the boot.
_KINDS = {
    "sip_cnf": "sip-phone",
    "sip_default": "sip-default",
    "sep_xml": "sep-xml",
    "sep_xml_79x0": "sep-xml",
    "xml_default": "xml-default",
    "os79xx": "os79xx",
    "dial_template": "dialplan",
    "ringlist": "ringlist",
    "ringlist_xml": "ringlist-xml",
    "ring": "ring",
}


def _lint(kind: str, name: str, data: bytes, model: str | None) -> Iterable[Diagnostic]:
    if kind not in _KINDS:
        return []
    if kind == "sep_xml_79x0" and model is None:
        model = "7960"  # read by a 7940/7960, whose SIP lines come from SIP<MAC>.cnf
    found = kinds.by_name(_KINDS[kind]).lint(data, source=name, model=model)
    return [d for d in found if d.code not in _REPLACED]


class _TraceChecker:
    def __init__(
        self,
        trace: BootTrace,
        listing: frozenset[str] | None,
        files: FileFindings,
        running: FirmwareImage | None,
        fetch: Callable[[str], bytes | None] | None,
    ) -> None:
        self.trace = trace
        self.listing = listing
        self.files = files
        self.running = running
        self.fetch = fetch or self.fetched
        self.found = Findings()
        #: Firmware files whose absence a verdict of firmware.reach has judged.
        self.judged: set[str] = set()

    def fetched(self, name: str) -> bytes | None:
        """The file as the walk got it (a name the walk did not ask for counts as absent)."""
        return next((f.data for f in self.trace.fetches if f.request.name == name), None)

    # -- missing files -------------------------------------------------------------------------

    def check_or_missing(
        self, fetch: Fetch, kind: str, code: str, severity: Severity, what: str
    ) -> None:
        """Check the file ``fetch`` got as a ``kind`` file, or report it missing as ``code``
        (``what``: what its absence means to the phone)."""
        if fetch.data is None:
            self.missing(fetch, code, severity, what)
        else:
            self.found.items.extend(self.files.get(kind, fetch.request.name, fetch.data))

    def misnamed_as(self, name: str) -> bool:
        """True when the tree holds ``name``, a per-phone file, under a name the phone does
        not spell (with separators in its MAC, an added extension), in the same folder."""
        assert self.listing is not None
        return name in _loose_names(self.listing)

    def missing(self, fetch: Fetch, code: str, severity: Severity, what: str) -> None:
        name = fetch.request.name
        if fetch.error is not None:
            return  # reported as PRV070 for every request, whatever its role
        variant = find_case_variant(name, self.listing) if self.listing is not None else None
        if variant is not None and classify(variant.rsplit("/", 1)[-1]) is not None:
            return  # a misnamed per-phone file: reported once for the tree (PRV010/PRV011)
        if self.listing is not None and self.misnamed_as(name):
            return  # the same, with separators in its MAC or an added extension (PRV014)
        if variant is not None:
            self.found.add(
                "PRV011",
                "error" if severity == "error" else "warning",
                f"the phone asks for {name} but the file is named {variant}; TFTP servers "
                "on Unix match names case-sensitively, so the phone does not find it",
                suggestion=name,
                source=variant,
            )
            return
        if self.listing is not None and fetch.request.role == "sip_cnf":
            base = name.rsplit("/", 1)[-1]
            elsewhere = sorted(n for n in self.listing if n != name and n.endswith("/" + base))
            if elsewhere:
                what += (
                    f"; there is {elsewhere[0]}, but the phone reads its file from "
                    + (f"{name.rsplit('/', 1)[0]}/" if "/" in name else "the TFTP root")
                    + " (SIPDefault.cnf's tftp_cfg_dir decides where)"
                )
        odd = (
            ""
            if name.isprintable() and "\u00a0" not in name
            else f" (the name, {name!r}, holds a character taken literally from the config)"
        )
        self.found.add(
            code,
            severity,
            f"{name} is missing{odd}: {what}",
            source=name,
        )

    def server_errors(self) -> None:
        seen: set[str] = set()
        for fetch in self.trace.fetches:
            name = fetch.request.name
            if fetch.error is None or name in seen:
                continue
            seen.add(name)
            self.found.add(
                "PRV070",
                "error",
                f"the server answered the request for {name} with {fetch.error}; a 79x0 "
                "loader goes on with its hunt only after 'file not found' (bug CSCee31047), "
                "so the boot stops here",
                source=name,
            )

    def run(self) -> list[Diagnostic]:
        self.server_errors()
        if self.trace.family == "79x0":
            self.check_79x0()
        else:
            self.check_79x1()
        self.firmware()
        self.dial_template()
        self.soft_keys()
        self.rings()
        return self.found.items

    # -- 79x0 ----------------------------------------------------------------------------------

    def check_79x0(self) -> None:
        trace = self.trace
        sep = trace.first("sep_xml")
        if sep is not None and sep.data is not None:
            self.stray_sep(sep.request.name, sep.data)
        own = trace.last("sip_cnf")
        first_own = trace.first("sip_cnf")
        default = trace.first("sip_default")
        if default is not None:
            self.check_or_missing(
                default,
                "sip_default",
                "PRV013",
                "warning",
                "settings shared by every phone (proxy, image, time) come only from each "
                "SIP<MAC>.cnf and from what flash kept",
            )
        if own is not None and own.data is None:
            if first_own is not None and first_own.data is not None and first_own is not own:
                self.missing(
                    own,
                    "PRV012",
                    "error",
                    f"SIPDefault.cnf sets tftp_cfg_dir, so the SIP application reads its own "
                    f"file there and not {first_own.request.name}",
                )
            else:
                self.missing(
                    own,
                    "PRV012",
                    "error",
                    f"the phone gets no lines of its own and shows '{NO_LINE_MESSAGE}'"
                    if default is not None and default.data is not None
                    else "the phone finds no SIP config at all",
                )
        elif own is not None and own.data is not None:
            self.found.items.extend(self.files.get("sip_cnf", own.request.name, own.data))
        self.line_one(default.data if default else None, own)
        self.os79xx()

    def stray_sep(self, name: str, data: bytes) -> None:
        refs: XmlRefs = xml_refs(data)
        load = refs.load or ""
        if refs.protocol == "SIP" and load.upper().startswith("P0S"):
            self.found.add(
                "PRV021",
                "info",
                f"{name} pins the SIP image {load}; the phone boots SIP from it and then "
                "reads SIP<MAC>.cnf",
                source=name,
            )
            return
        self.found.items.extend(self.files.get("sep_xml_79x0", name, data))
        if refs.protocol == "SIP":
            what = (
                f"names the load {load}, which is not a 79x0 SIP image"
                if load
                else ("names no load")
            )
            consequence = (
                "the loader boots from it instead of going on to SIP<MAC>.cnf"
                if load
                else "the loader reads it instead of SIP<MAC>.cnf"
            )
            self.found.add(
                "PRV020",
                "error",
                f"{name} is probed before SIP<MAC>.cnf and {what}: {consequence}; remove it "
                "or make it name a P0S3 load",
                source=name,
            )
            return
        self.found.add(
            "PRV020",
            "error",
            f"{name} is probed before SIP<MAC>.cnf: the loader boots the protocol it names "
            f"({refs.protocol or 'SCCP, as none is named'}"
            + (f", load {load}" if load else "")
            + ") and flips this SIP phone to SCCP; remove it or make it name a P0S3 load "
            "with deviceProtocol SIP",
            source=name,
        )

    def line_one(self, default: bytes | None, own: Fetch | None) -> None:
        if own is None or own.data is None:
            return
        from ciscocfg import cnf

        own_view = cnf_view(own.data, own.request.name)
        layers = [cnf_view(default)] if default is not None else []
        if own_view.keys_unknown or any(layer.keys_unknown for layer in layers):
            return  # templates: which keys they make is unknown (TPL001 says so)
        merged = cnf.merge(*(layer.values() for layer in layers), own_view.values())
        name = merged.get("line1_name")
        source = own_view.source
        where = [s.line for s in own_view.settings if s.key == "line1_name"]
        line = where[-1] if where else None
        if name is None or name.strip(" \t") in {"", "UNPROVISIONED"}:
            why = "line1_name is not set" if name is None else f"line1_name is {name!r}"
            near = [s for s in own_view.misread() if s.meant == "line1_name"]
            if near:
                line = line or near[0].line
                why += (
                    f" (the key is written {near[0].key!r}, which the phone reads as another key)"
                )
            elif own_view.unreadable is not None:
                why += f" ({source} is {own_view.unreadable.what})"
            self.found.add(
                "PRV040",
                "error",
                (
                    f"no usable line 1 after SIPDefault.cnf and {source} are merged ({why}): "
                    if default is not None
                    else f"no usable line 1 in {source} ({why}): "
                )
                + f"the phone shows '{NO_LINE_MESSAGE}' and does not register",
                line,
                source=source,
            )
            return
        proxy = merged.get("proxy1_address", "").strip(" \t")
        if proxy in {"", "UNPROVISIONED"}:
            where = [s.line for s in own_view.settings if s.key == "proxy1_address"]
            self.found.add(
                "PRV041",
                "error",
                "line 1 has a name but no proxy1_address: the phone has nowhere to register it",
                where[-1] if where else None,
                source=source,
            )

    def image_version(self) -> tuple[str, str | None, int | None] | None:
        """The effective image_version, the file that set it and its line (None for a
        template placeholder: which image it names is unknown)."""

        trace = self.trace
        best: tuple[str, str | None, int | None] | None = None
        roles: tuple[FileRole, ...] = ("sip_default", "sip_cnf")
        for role in roles:
            fetch = trace.last(role)
            if fetch is None or fetch.data is None:
                continue
            view = cnf_view(fetch.data, fetch.request.name)
            entries = [s for s in view.settings if s.key == "image_version"]
            if entries and not has_placeholder(entries[-1].value):
                best = (entries[-1].value.strip(" \t"), fetch.request.name, entries[-1].line)
        return best

    def selector(self) -> FirmwareImage | None:
        """The image OS79XX.TXT names (what a loader older than the universal one boots)."""
        fetch = self.trace.first("os79xx")
        if fetch is None or fetch.data is None:
            return None
        from ciscocfg import os79xx

        try:
            return os79xx.loads(decode_bytes(fetch.data), strict=False).image
        except CiscoCfgError:
            return None

    def os79xx(self) -> None:
        fetch = self.trace.first("os79xx")
        if fetch is None or fetch.data is None:
            return
        self.found.items.extend(self.files.get("os79xx", fetch.request.name, fetch.data))
        from ciscocfg import firmware

        selector = self.selector()
        current = self.image_version()
        if selector is None or current is None:
            return
        wanted = current[0]
        try:
            image = firmware.parse(wanted)
        except CiscoCfgError:
            return
        if selector.version != image.version:
            self.found.add(
                "PRV037",
                "warning",
                f"OS79XX.TXT names {selector} but image_version is {wanted}: a phone on "
                f"an old image loads {selector} first and then has to upgrade again; "
                "name the same release in both",
                1,
                suggestion=wanted,
                source="OS79XX.TXT",
            )

    # -- 79x1 ----------------------------------------------------------------------------------

    def check_79x1(self) -> None:
        trace = self.trace
        sep = trace.first("sep_xml")
        default = trace.first("xml_default")
        if sep is not None and sep.data is not None:
            self.found.items.extend(self.files.get("sep_xml", sep.request.name, sep.data))
            refs = xml_refs(sep.data)
            if refs.protocol is None:
                return
            if not refs.load:
                self.found.add(
                    "PRV082",
                    "info",
                    "no loadInformation: the phone keeps the firmware it runs",
                    source=sep.request.name,
                )
            return
        assert sep is not None
        if default is not None and default.data is not None:
            self.found.items.extend(
                self.files.get("xml_default", default.request.name, default.data)
            )
            self.found.add(
                "PRV081",
                "warning",
                f"{sep.request.name} is missing: the phone falls back to XMLDefault.cnf.xml "
                "and registers with no lines of its own",
                source=sep.request.name,
            )
            return
        self.missing(sep, "PRV080", "error", "the phone has no configuration at all")

    # -- shared by both families ---------------------------------------------------------------

    def targets(self) -> list[tuple[str, str | None, int | None]]:
        """The load the configuration names for this phone: text, file, line."""
        if self.trace.family == "79x0":
            current = self.image_version()
            return [current] if current is not None else []
        sep = self.trace.first("sep_xml")
        if sep is not None and sep.data is not None:
            load = xml_refs(sep.data).load
            return [(load, sep.request.name, None)] if load else []
        default = self.trace.first("xml_default")
        named = [
            f for f in self.trace.all("loads") if f.request.purpose.endswith("loadInformation")
        ]
        if default is not None and default.data is not None and named:
            return [(named[0].request.name.removesuffix(".loads"), default.request.name, None)]
        return []

    def firmware(self) -> None:
        """Each load named, judged by firmware.reach; then any other firmware file missed."""
        from ciscocfg import firmware

        is_79x0 = self.trace.family == "79x0"
        selector = self.selector() if is_79x0 else None
        for wanted, source, line in self.targets():
            try:
                image = firmware.parse(wanted)
            except CiscoCfgError as exc:
                if is_79x0:
                    self.found.add(
                        "PRV031",
                        "error",
                        f"image_version {wanted!r} is not a Cisco image name "
                        f"({getattr(exc, 'message', exc)}): the phone cannot load it",
                        line,
                        source=source,
                    )
                continue
            if is_79x0 and image.family != "7940/7960":
                self.found.add(
                    "PRV032",
                    "error",
                    f"image_version {wanted} is a {image.family} image; a 7940/7960 refuses it",
                    line,
                    source=source,
                )
                continue
            loads = f"{wanted}.loads"
            self.judged.add(loads)
            self.judged.update(
                f.request.name for f in self.trace.all("image") if f.request.named_by == loads
            )
            config = "sip" if is_79x0 else "xml"
            verdict = firmware.reach(
                self.running, image, self.fetch, selector=selector, config=config
            )
            self.judge(verdict, source, line)
            if (
                self.running is None
                and selector is not None
                and selector.role is firmware.ImageRole.APPLICATION
            ):
                # Phones on an old image load what OS79XX.TXT names, then go on from there.
                via = firmware.reach(selector, image, self.fetch, selector=selector, config=config)
                if via.outcome in (firmware.Outcome.REFUSED, firmware.Outcome.STUCK):
                    self.judge(via, source, line)
        self.other_images()

    def judge(self, verdict: BootVerdict, source: str | None, line: int | None) -> None:
        """The findings of one verdict of firmware.reach."""
        from ciscocfg.firmware import Outcome

        outcome = verdict.outcome
        target = verdict.target
        phone = f"a phone running {verdict.current}" if verdict.current is not None else ""
        if outcome is Outcome.MISSING:
            for name in verdict.missing:
                self.judged.add(name)
                if verdict.stage == "loads":
                    who = phone or "a phone not already running it"
                    code = "PRV033"
                    what = (
                        f"it is the firmware named for the phone; {who} cannot upgrade and "
                        "keeps its image (it may show 'Load ID Incorrect' or 'No Load Specified')"
                    )
                elif verdict.stage == "part":
                    code = "PRV034"
                    what = (
                        f"{verdict.named_by} names it; an upgrade stops half way and the phone "
                        "shows 'Protocol Application Invalid' or keeps its old image"
                    )
                else:
                    code = "PRV035"
                    what = verdict.reason
                self.missing(self.fetch_for(name), code, "error", what)
        elif outcome in (Outcome.REFUSED, Outcome.STUCK):
            shown = f" (the phone shows '{verdict.phone_message}')" if verdict.phone_message else ""
            direct = verdict.direct
            if outcome is Outcome.STUCK and direct is not None and direct.phone_message:
                shown = f" (a direct jump shows '{direct.phone_message}')"
            verb = "cannot jump to" if outcome is Outcome.REFUSED else "does not reach"
            advice = verdict.advice()
            self.found.add(
                "PRV038",
                "error",
                f"{phone} {verb} {target}{shown}: {verdict.reason}"
                + (f"; {advice}" if advice else ""),
                line,
                source=source,
            )
        elif outcome is Outcome.UNKNOWN:
            self.found.add(
                "PRV039",
                "info",
                f"unknown whether {phone or 'a phone'} reaches {target}: {verdict.reason}",
                line,
                source=source,
            )
        elif outcome is Outcome.ALREADY and verdict.missing:
            self.judged.update(verdict.missing)
            self.found.add("PRV036", "info", verdict.reason, line, source=source)

    def fetch_for(self, name: str) -> Fetch:
        """The walk's request for ``name``, or the request a phone on its way makes."""
        found = next((f for f in self.trace.fetches if f.request.name == name), None)
        if found is not None:
            return found
        return Fetch(Request(name, "image", "image file on the way to the firmware named"), None)

    def other_images(self) -> None:
        """Firmware files the walk missed that no verdict judged (a stub's load ...)."""
        for fetch in self.trace.all("loads"):
            if fetch.data is None and fetch.request.name not in self.judged:
                self.missing(
                    fetch,
                    "PRV033",
                    "error",
                    f"it is the {fetch.request.purpose}; the phone cannot upgrade and keeps its "
                    "image (it may show 'Load ID Incorrect' or 'No Load Specified')",
                )
        for fetch in self.trace.all("image"):
            if fetch.data is None and fetch.request.name not in self.judged:
                self.missing(
                    fetch,
                    "PRV034",
                    "error",
                    f"{fetch.request.named_by} names it; an upgrade stops half way and the "
                    "phone shows 'Protocol Application Invalid' or keeps its old image",
                )

    def dial_template(self) -> None:
        for fetch in self.trace.all("dial_template"):
            self.check_or_missing(
                fetch,
                "dial_template",
                "PRV050",
                "warning",
                "the phone dials only after the inter-digit timeout (or # key), with no "
                "rewrite rules",
            )

    def soft_keys(self) -> None:
        for fetch in self.trace.all("softkeys"):
            if fetch.data is None:
                self.missing(
                    fetch,
                    "PRV051",
                    "warning",
                    "the phone keeps the soft keys it has (or its built-in layout)",
                )

    def rings(self) -> None:
        listed = self.trace.first("ringlist_xml")
        built_in = "the phone offers only its built-in ring types"
        if listed is not None:
            self.check_or_missing(listed, "ringlist_xml", "PRV060", "info", built_in)
        fetch = self.trace.first("ringlist")
        if fetch is not None:
            self.check_or_missing(fetch, "ringlist", "PRV060", "warning", built_in)
        for ring in self.trace.all("ring"):
            self.check_or_missing(
                ring,
                "ring",
                "PRV061",
                "warning",
                "RINGLIST.DAT names it; choosing that ring type fails",
            )


@functools.lru_cache(maxsize=4)
def _loose_names(listing: frozenset[str]) -> frozenset[str]:
    """The names the phone asks for that a tree holds only misnamed beyond letter case."""
    wanted: set[str] = set()
    for name in listing:
        folder, slash, base = name.rpartition("/")
        match = misnamed(base)
        if match is not None and match.loose:
            wanted.add(folder + slash + match.canonical)
    return frozenset(wanted)


def check_trace(
    trace: BootTrace,
    *,
    listing: frozenset[str] | None = None,
    files: FileFindings | None = None,
    running: str | FirmwareImage | None = None,
    fetch: Callable[[str], bytes | None] | None = None,
) -> list[Diagnostic]:
    """Every finding about one phone's boot.

    ``running`` is the image the phone runs now (an image name or a release such as
    ``"SCCP 3.x"``, read by :func:`ciscocfg.firmware.resolve`); ``fetch`` reads files of the
    server the walk did not ask for (those of an upgrade's stops on the way, the ``.bin`` an old
    loader fetches); without it they count as absent.
    """
    image = None
    if running is not None:
        from ciscocfg import firmware

        image = firmware.resolve(running) if isinstance(running, str) else running
    return _TraceChecker(trace, listing, files or FileFindings(), image, fetch).run()

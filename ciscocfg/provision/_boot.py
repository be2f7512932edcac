"""The phone's boot as a sequence of TFTP requests (spec §1.2, §1.3 and the 7940 story's log).

A walk is a generator: it yields the :class:`Request` the phone makes next and is sent back the
file's bytes (or ``None`` when the server answers "file not found"); what it asks for next
depends on what it got, exactly as on the phone (the image named in the config, the dial
template, the ring files). The same walk therefore drives the check of a directory
(:func:`run_walk` reading files) and the live check over TFTP (an asyncio driver).

The 79x0 order follows the TFTP log of a real 7940 boot: ``CTLSEP<MAC>.tlv``,
``SEP<MAC>.cnf.xml``, ``SIP<MAC>.cnf``, the ``.loads`` of its ``image_version``, then, with the
SIP application running, ``SIPDefault.cnf``, ``SIP<MAC>.cnf`` again (in ``tftp_cfg_dir``),
``RINGLIST.DAT`` and the dial template. ``OS79XX.TXT`` is asked for first, as images older than the
universal loader do. The ring files themselves are fetched when a user browses ring types; the
walk asks for them at the end so that the check covers them.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Literal

from ciscocfg._phonefiles import canonical_name
from ciscocfg._phones import Family
from ciscocfg.provision import _read

__all__ = [
    "BootTrace",
    "Fetch",
    "FileRole",
    "Request",
    "Walk",
    "run_walk",
    "walk_79x0",
    "walk_79x1",
]

#: What a file the phone asks for is to it (a request's ``role``).
FileRole = Literal[
    "os79xx",
    "ctl",
    "itl",
    "sep_xml",
    "sip_cnf",
    "mgc_cnf",
    "xml_default",
    "loads",
    "image",
    "sip_default",
    "dial_template",
    "ringlist",
    "ringlist_xml",
    "ring",
    "softkeys",
]


@dataclass(frozen=True, slots=True)
class Request:
    """One file the phone asks for, and why."""

    #: Path relative to the TFTP root, ``/``-separated, exactly as the phone spells it.
    name: str
    role: FileRole
    #: What the file is for, in plain words.
    purpose: str
    #: For an image file: the ``.loads`` that named it.
    named_by: str | None = None


@dataclass(slots=True)
class Fetch:
    """What the server gave back for one request."""

    request: Request
    #: The file's bytes, or ``None`` when it was not found (or could not be read).
    data: bytes | None
    #: A failure other than "file not found" (a TFTP error code, a timeout), in words.
    error: str | None = None


@dataclass(slots=True)
class BootTrace:
    """Every request of one phone's boot, in order, with the answers."""

    mac: str
    family: Family
    fetches: list[Fetch] = field(default_factory=list)

    def first(self, role: FileRole) -> Fetch | None:
        """The first request made in ``role``, if any."""
        return next((f for f in self.fetches if f.request.role == role), None)

    def last(self, role: FileRole) -> Fetch | None:
        """The last request made in ``role`` (the one that counts for a file read twice)."""
        return next((f for f in reversed(self.fetches) if f.request.role == role), None)

    def all(self, role: FileRole) -> list[Fetch]:
        """Every request made in ``role``, in order."""
        return [f for f in self.fetches if f.request.role == role]


#: Yields requests, is sent the answers (bytes or None).
Walk = Generator[Request, "bytes | None", None]


def _image(name: str, purpose: str, asked: set[str]) -> Walk:
    loads_name = f"{name}.loads"
    if loads_name in asked:
        return
    asked.add(loads_name)
    data = yield Request(loads_name, "loads", purpose)
    if data is None:
        return
    for part in _read.loads_files(data):
        if part in asked:
            continue
        asked.add(part)
        yield Request(part, "image", f"image file named by {loads_name}", named_by=loads_name)


def walk_79x0(mac: str) -> Walk:
    """The requests of a 7940/7960 with the universal loader, booting SIP."""
    asked: set[str] = set()
    yield Request("OS79XX.TXT", "os79xx", "image selector read by images older than 8.x")
    yield Request(canonical_name("ctl", mac), "ctl", "certificate trust list (SCCP security)")
    sep = yield Request(
        canonical_name("sep_xml", mac),
        "sep_xml",
        "per-phone XML config; probed first, it picks the protocol",
    )
    if sep is not None:
        refs = _read.xml_refs(sep)
        if _read.named(refs.load):
            yield from _image(refs.load or "", "firmware named by SEP<MAC>.cnf.xml", asked)
    sip = yield Request(
        canonical_name("sip_cnf", mac), "sip_cnf", "per-phone SIP config (loader stage)"
    )
    if sip is None and sep is None:
        yield Request(canonical_name("mgc_cnf", mac), "mgc_cnf", "per-phone MGCP config probe")
        yield Request("XMLDefault.cnf.xml", "xml_default", "default XML config probe")
    first_image = _read.named(_read.cnf_value(sip, "image_version")) if sip is not None else None
    if first_image:
        yield from _image(first_image, "firmware named by image_version", asked)
    default = yield Request("SIPDefault.cnf", "sip_default", "settings shared by every SIP phone")
    cfg_dir = _read.cfg_dir(default)
    own = yield Request(
        cfg_dir + canonical_name("sip_cnf", mac),
        "sip_cnf",
        "per-phone SIP config (SIP application)",
    )
    merged = _read.merged_values(default, own)
    # Only blanks and tabs are trimmed: a no-break space is part of the name to the phone.
    image = _read.named(merged.get("image_version"))
    if image and image != first_image:
        yield from _image(image, "firmware named by image_version", asked)
    # The log shows RINGLIST.DAT before the dial plan; ring audio comes when a user browses.
    ringlist = yield Request("RINGLIST.DAT", "ringlist", "list of ring types")
    template = _read.named(merged.get("dial_template"))
    if template:
        yield Request(f"{template}.xml", "dial_template", "dial plan named by dial_template")
    if ringlist is not None:
        for ring in _read.ring_files(ringlist):
            if ring not in asked:
                asked.add(ring)
                yield Request(ring, "ring", "ring audio named by RINGLIST.DAT")


def walk_79x1(mac: str, *, device_type: int | None = None) -> Walk:
    """The requests of a 7906/7911/794x/796x/797x (spec §1.3)."""
    asked: set[str] = set()
    yield Request(canonical_name("ctl", mac), "ctl", "certificate trust list")
    yield Request(canonical_name("itl", mac), "itl", "identity trust list")
    sep = yield Request(canonical_name("sep_xml", mac), "sep_xml", "per-phone XML config")
    load: str | None = None
    refs = _read.xml_refs(sep) if sep is not None else None
    if sep is None:
        default = yield Request(
            "XMLDefault.cnf.xml", "xml_default", "default XML config (no per-phone file)"
        )
        if default is not None and device_type is not None:
            load = _read.default_load(default, device_type)
    elif refs is not None:
        load = refs.load
    load = _read.named(load)
    if load:
        yield from _image(load, "firmware named by loadInformation", asked)
    dial_template = _read.named(refs.dial_template) if refs is not None else None
    if dial_template:
        yield Request(dial_template, "dial_template", "dial plan named by dialTemplate")
    softkeys = _read.named(refs.softkeys) if refs is not None else None
    if softkeys:
        yield Request(softkeys, "softkeys", "soft key layout named by softKeyFile")
    if sep is not None:
        # The name is case-sensitive on the phone: ringlist.xml is not read.
        rings = yield Request("Ringlist.xml", "ringlist_xml", "list of ring types")
        if rings is not None:
            for ring in _read.ring_xml_files(rings):
                if ring not in asked:
                    asked.add(ring)
                    yield Request(ring, "ring", "ring audio named by Ringlist.xml")


def run_walk(
    trace: BootTrace, walk: Walk, fetch: Callable[[str], tuple[bytes | None, str | None]]
) -> BootTrace:
    """Drive ``walk`` with ``fetch`` (name → (bytes or None, error or None)), filling ``trace``."""
    try:
        request = next(walk)
        while True:
            data, error = fetch(request.name)
            trace.fetches.append(Fetch(request, data, error))
            request = walk.send(data)
    except StopIteration:
        pass
    return trace

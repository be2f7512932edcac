"""For every code of the library's findings, the smallest input that makes the library report
it, through the public API, with each severity the code is reported with.

Each trigger is a function of an empty folder (for the files a tree check or a ring list needs)
that returns the findings. The DPL plans come from :mod:`support.dialplans`, the CNF documents
from :mod:`support.cnf_cases` and the broken TFTP roots from :mod:`support.trees`: one input a
code, shared with the tests that look at those findings more closely.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import math
import os
import struct
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ciscocfg import (
    Diagnostic,
    cnf,
    dialplan,
    firmware,
    os79xx,
    ringlist,
    ringtone,
    ringxml,
    sepxml,
)
from ciscocfg.cli import main
from ciscocfg.migrate import cnf_to_sepxml, sepxml_to_cnf
from ciscocfg.migrate._bulk import migrate_tree
from ciscocfg.provision import check
from ciscocfg.provision._live import FetchResult, check_tftp_async
from support import cnf_cases, dialplans
from support.bundles import lay_bundles
from support.firmware_trees import package, sip_tree
from support.trees import BREAKERS, IMAGE, LOADER, MAC, build_tree

Run = Callable[[Path], Sequence[Diagnostic]]


@dataclass(frozen=True)
class Trigger:
    """An input that makes the library report a code with ``severity``."""

    severity: str
    run: Run


# -- the inputs, by kind ------------------------------------------------------------------------


def _cnf(text: str) -> Run:
    return lambda _: cnf.validate(cnf.loads(text, strict=False, source=cnf_cases.PHONE))


def _xml(text: str, model: str | None = None) -> Run:
    return lambda _: sepxml.validate(sepxml.loads(text), model=model)


def _plan(text: str) -> Run:
    return lambda _: dialplan.validate(dialplan.loads(text))


def _rings_xml(text: str, source: str | None = None) -> Run:
    return lambda _: ringxml.validate(ringxml.loads(text), source=source)


def _rings(text: str, files: dict[str, bytes] | None = None) -> Run:
    def run(folder: Path) -> Sequence[Diagnostic]:
        for name, data in (files or {}).items():
            (folder / name).write_bytes(data)
        doc = ringlist.loads(text, strict=False)
        return ringlist.validate(doc, root=folder if files is not None else None)

    return run


def _ring(data: bytes) -> Run:
    return lambda _: ringtone.validate(data)


def _os(text: str, available: Sequence[str] | None = None) -> Run:
    return lambda _: os79xx.validate(os79xx.loads(text, strict=False), available=available)


def _migrate(phone: str, default: str | None = None, model: str = "7961", fix: bool = False) -> Run:
    def run(_: Path) -> Sequence[Diagnostic]:
        shared = cnf.loads(default, strict=False, source="SIPDefault.cnf") if default else None
        doc = cnf.loads(phone, strict=False, source=f"SIP{MAC}.cnf")
        return cnf_to_sepxml(doc, shared, model=model, fix=fix)[1]

    return run


def _back(text: str) -> Run:
    return lambda _: sepxml_to_cnf(sepxml.loads(text))[1]


def _tree(change: Callable[[Path], object], **options: str) -> Run:
    """The correct 7940 tree with one change, checked."""

    def run(folder: Path) -> Sequence[Diagnostic]:
        root = build_tree(folder / "tftp")
        change(root)
        return check(root, **options)

    return run


def _built(make: Callable[[Path], Path], **options: str) -> Run:
    """A tree built by ``make``, checked."""
    return lambda folder: check(make(folder / "tftp"), **options)


def _breaker(name: str) -> Run:
    return _tree(BREAKERS[name][0])


def _write(name: str, text: str) -> Callable[[Path], object]:
    return lambda root: (root / name).write_text(text)


def _remove(name: str) -> Callable[[Path], object]:
    return lambda root: (root / name).unlink()


def _bulk(existing: bool) -> Run:
    """``migrate_tree`` over one phone file: its target already there, or its source unreadable
    (an I/O error: the file is a window on memory that reads fail on, or, where there is no such
    file, one without read permission)."""

    def run(folder: Path) -> Sequence[Diagnostic]:
        source, target = folder / "src", folder / "dst"
        source.mkdir()
        phone = source / f"SIP{MAC}.cnf"
        if existing:
            phone.write_text('line1_name: "2001"\nproxy1_address: "192.0.2.10"\n')
            target.mkdir()
            (target / f"SEP{MAC}.cnf.xml").write_text("<device/>\n")
        elif os.path.isfile("/proc/self/mem"):
            phone.symlink_to("/proc/self/mem")
        else:  # pragma: no cover - a system without /proc
            phone.write_text("line1_name: 1\n")
            phone.chmod(0)
        result = migrate_tree(source, target, model="7961")
        return [d for p in result.phones for d in p.findings]

    return run


def _server_error(folder: Path) -> Sequence[Diagnostic]:
    """A live check against a server that answers one request with ERROR 2."""
    root = build_tree(folder / "tftp")

    async def fetch(name: str) -> FetchResult:
        if name == f"SEP{MAC}.cnf.xml":
            return None, "TFTP error 2 (Access violation)"
        path = root / name
        return (path.read_bytes() if path.is_file() else None), None

    report = asyncio.run(check_tftp_async("127.0.0.1", 69, mac=MAC, fetch=fetch))
    return report.diagnostics


def _generated(existing: dict[str, bytes], **facts: object) -> Run:
    def run(_: Path) -> Sequence[Diagnostic]:
        from ciscocfg.generate import PhoneSpec, render

        spec = PhoneSpec.create(
            model="7940",
            mac="00:1B:D4:12:34:56",
            proxy="pbx.example.net",
            lines=["201:s3cret-201:Kitchen"],
            **facts,  # type: ignore[arg-type]
        )
        return render(spec, existing=existing).findings

    return run


def _command(*argv: str) -> Run:
    """A command run with ``--format json``: its findings, as the JSON gives them."""

    def run(folder: Path) -> Sequence[Diagnostic]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main([*argv, "--format", "json"])
        return [Diagnostic(**found) for found in json.loads(out.getvalue())["diagnostics"]]

    return run


def _loads_without_its_files(folder: Path) -> Sequence[Diagnostic]:
    """``ciscocfg firmware --loads`` for a package whose other files are not in ``--root``."""
    (folder / "root").mkdir()
    loads = "P0S3-08-12-00.loads"
    (folder / loads).write_bytes(package("P0S3-08-12-00")[loads])
    return _command("firmware", "--loads", str(folder / loads), "--root", str(folder / "root"))(
        folder
    )


def _long_wav(_: Path) -> Sequence[Diagnostic]:
    """A four-second tone, converted to a ring."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(n / 4))) for n in range(32000))
        )
    return ringtone.convert(out.getvalue(), source="doorbell.wav")[1]


def _staged(
    bundles: Sequence[str],
    named: str,
    running: str,
    target: str,
    change: Callable[[Path, Path], object] = lambda root, bundles: None,
) -> Run:
    """``firmware.stage`` from bundles of ``bundles`` into the 7940 tree naming ``named``, after
    ``change`` (of the root and the bundles)."""

    def run(folder: Path) -> Sequence[Diagnostic]:
        laid = lay_bundles(folder / "bundles", *bundles)
        root = sip_tree(folder / "tftp", named=named)
        change(root, laid)
        return firmware.stage(root, laid, running=running, target=target).diagnostics

    return run


def _second_phone_on_the_shared_image(root: Path, _: Path) -> None:
    """One phone names 8.12 in its own file; another reads SIPDefault.cnf, which names 8.2."""
    own = root / f"SIP{MAC}.cnf"
    own.write_text(own.read_text() + "image_version: P0S3-08-12-00\n")
    (root / "SIP001BD4000001.cnf").write_text('line1_name: "2002"\nproxy1_address: "192.0.2.10"\n')


def _unreadable_loads(_: Path, bundles: Path) -> None:
    (bundles / "cmterm-p0s3-08-12-00" / "P0S3-08-12-00.loads").write_bytes(b"\x00\xffnot a load")


def _differs(root: Path, _: Path) -> None:
    (root / "P0S3-06-3-00.bin").write_bytes(b"someone else's build")


def _ambiguous(_: Path, bundles: Path) -> None:
    (bundles / "other").mkdir()
    (bundles / "other" / "P0S3-06-3-00.bin").write_bytes(b"a different build")


def _foreign_selector(root: Path, _: Path) -> None:
    (root / "OS79XX.TXT").write_bytes(b"P0S3-08-2-00\r\n")


def _no_sb2(_: Path, bundles: Path) -> None:
    (bundles / "cmterm-p0s3-08-2-00" / "P0S3-08-2-00.sb2").unlink()


# -- the documents ------------------------------------------------------------------------------

_SEP = "<device><deviceProtocol>SIP</deviceProtocol>{}</device>"
_LINES = (
    "<sipProfile><sipLines><line button='1'><featureID>9</featureID>"
    "<name>2001</name><proxy>pbx</proxy><port>5060</port></line>{}</sipLines></sipProfile>"
)
_DEFAULT = "<Default>{}</Default>"
_LINE1 = 'line1_name: "2001"\nproxy1_address: "192.0.2.10"\n'
_SILENCE = b"\xff" * 2400
_CLICK = b"\x00" + b"\xff" * 2398 + b"\x00"
_DAT = "Chirp\tChirp.raw\r\n"


def _ring_entries(count: int) -> str:
    rings = "".join(
        f"<Ring><DisplayName>R{n}</DisplayName><FileName>R{n}.raw</FileName></Ring>"
        for n in range(count)
    )
    return f"<CiscoIPPhoneRingList>{rings}</CiscoIPPhoneRingList>"


def _ring_xml(display: str | None, file: str | None) -> str:
    name = f"<DisplayName>{display}</DisplayName>" if display is not None else ""
    path = f"<FileName>{file}</FileName>" if file is not None else ""
    return f"<CiscoIPPhoneRingList><Ring>{name}{path}</Ring></CiscoIPPhoneRingList>"


def _stub_sep(root: Path) -> None:
    (root / f"SEP{MAC}.cnf.xml").write_text(
        f"<device><deviceProtocol>SIP</deviceProtocol>"
        f"<loadInformation>{IMAGE}</loadInformation></device>\n"
    )


def _a79x1(root: Path, sep: str | None, default: str | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if sep is not None:
        (root / f"SEP{MAC}.cnf.xml").write_text(sep)
    if default is not None:
        (root / "XMLDefault.cnf.xml").write_text(default)
    return root


def _a79x1_sep(extra: str, load: str = "") -> str:
    loads = f"<loadInformation>{load}</loadInformation>" if load else ""
    return _SEP.format(_LINES.format("").replace("</sipProfile>", extra + "</sipProfile>") + loads)


# -- every code ---------------------------------------------------------------------------------

TRIGGERS: dict[str, tuple[Trigger, ...]] = {
    # CNF, and TXT and TPL as a .cnf reports them: the cases of test_cnf_validate.py.
    **{
        code: tuple(
            Trigger(severity, _cnf(text))
            for case_code, text, severity, *_ in cnf_cases.CASES
            if case_code == code
        )
        for code in {case[0] for case in cnf_cases.CASES}
    },
    "CNF002": (Trigger("warning", _cnf(_LINE1 + ("# " + "x" * 78 + "\n") * 103)),),
    # DPL: the plans of support/dialplans.py.
    **{
        code: tuple(Trigger(severity, _plan(text)) for text, severity in cases)
        for code, cases in dialplans.TRIGGERS.items()
    },
    # SEP<MAC>.cnf.xml
    "XML001": (Trigger("error", _xml("<config/>")),),
    "XML002": (Trigger("warning", _xml("<Device><deviceProtocol>SCCP</deviceProtocol></Device>")),),
    "XML003": (Trigger("warning", _xml("<device/>")),),
    "XML004": (Trigger("error", _xml("<device><deviceProtocol>sip</deviceProtocol></device>")),),
    "XML101": (Trigger("warning", _xml(_SEP.format("<fullConfig>True</fullConfig>"))),),
    "XML102": (Trigger("error", _xml(_SEP.format("<sipProfile/>"), model="7961")),),
    "XML104": (Trigger("warning", _xml(_SEP.format(f"<phoneLabel>{'x' * 13}</phoneLabel>"))),),
    "XML105": (Trigger("warning", _xml(_SEP.format("<phoneLabel>a b</phoneLabel>"))),),
    "XML106": (
        Trigger(
            "warning", _xml(_SEP.format("<natRecievedProcessing>false</natRecievedProcessing>"))
        ),
    ),
    "XML107": (Trigger("warning", _xml(_SEP.format("<idleTimeout>10s</idleTimeout>"))),),
    "XML108": (Trigger("warning", _xml(_SEP.format("<maxNumCalls>60</maxNumCalls>"))),),
    "XML109": (
        Trigger(
            "warning",
            _xml(_SEP.format(_LINES.format("<line button='1'><name>2</name></line>"))),
        ),
    ),
    "XML110": (Trigger("warning", _xml(_SEP.format("<userInfo>user</userInfo>"))),),
    "XML201": (
        Trigger(
            "info", _xml(_DEFAULT.format("<loadInformation99>P0030801SR02</loadInformation99>"))
        ),
    ),
    "XML202": (
        Trigger(
            "warning",
            _xml(
                _DEFAULT.format(
                    '<loadInformation434 model="Cisco 7941">SIP42.8-5-4S</loadInformation434>'
                )
            ),
        ),
    ),
    "XML203": (
        Trigger(
            "error",
            _xml(
                _SEP.format(_LINES.format("") + "<loadInformation>P0S3-08-12-00</loadInformation>"),
                "7961",
            ),
        ),
    ),
    "XML204": (
        Trigger(
            "warning",
            _xml(_DEFAULT.format("<loadInformation115>SIP41.8-5-4S</loadInformation115>" * 2)),
        ),
    ),
    "XML205": (
        Trigger(
            "warning",
            _xml(_DEFAULT.format("<loadInformation115>SIP41.8-5-4S.loads</loadInformation115>")),
        ),
    ),
    "XML206": (
        Trigger(
            "warning",
            _xml(
                "<device><deviceProtocol>SCCP</deviceProtocol>"
                "<loadInformation>SIP41.9-4-2SR3-1S</loadInformation></device>"
            ),
        ),
    ),
    "XML207": (
        Trigger(
            "info",
            _xml(
                _SEP.format(_LINES.format("") + "<loadInformation>firmware</loadInformation>"),
                "7961",
            ),
        ),
    ),
    # Ringlist.xml
    "RXL001": (Trigger("error", _rings_xml("<RingList/>")),),
    "RXL002": (Trigger("error", _rings_xml(_ring_xml("Chirp", None))),),
    "RXL003": (Trigger("warning", _rings_xml(_ring_xml("x" * 26, "Chirp.raw"))),),
    "RXL004": (Trigger("error", _rings_xml(_ring_entries(51))),),
    "RXL005": (Trigger("error", _rings_xml(_ring_entries(1), source="ringlist.xml")),),
    "RXL006": (Trigger("info", _rings_xml(_ring_xml("Chirp", "Chirp.wav"))),),
    "RXL008": (
        Trigger("warning", _rings_xml("<CiscoIPPhoneRingList><Tone/></CiscoIPPhoneRingList>")),
    ),
    # RINGLIST.DAT
    "RL100": (Trigger("error", _rings("Chirp\n")),),
    "RL101": (Trigger("error", _rings("Chirp  Chirp.raw\n")),),
    "RL102": (Trigger("warning", _rings(f"{'x' * 26}\tChirp.raw\n")),),
    "RL103": (Trigger("warning", _rings(f"Chirp\t{'x' * 22}.raw\n")),),
    "RL104": (Trigger("warning", _rings("".join(f"R{n}\tR{n}.raw\n" for n in range(51)))),),
    "RL105": (Trigger("error", _rings(_DAT, {})),),
    "RL106": (Trigger("error", _rings(_DAT, {"chirp.raw": _SILENCE})),),
    "RL107": (Trigger("info", _rings("Chirp\tChirp.raw  \n")),),
    "RL108": (Trigger("warning", _rings("Chirp\tChirp.wav\n")),),
    "RL109": (Trigger("warning", _rings("Chirp\tA.raw\nChirp\tB.raw\n")),),
    "RL110": (Trigger("warning", _rings("")),),
    "RL111": (
        Trigger("error", _rings(_DAT, {"Chirp.raw": b""})),
        Trigger("warning", _rings(_DAT, {"Chirp.raw": _CLICK})),
        Trigger("info", _rings(_DAT, {"Chirp.raw": _SILENCE})),
    ),
    "RL112": (Trigger("warning", _rings("\tChirp.raw\n")),),
    # .raw rings
    "RT100": (Trigger("error", _ring(b"")),),
    "RT101": (Trigger("error", _ring(b"\xff" * 100)),),
    "RT102": (Trigger("error", _ring(b"\xff" * 16320)),),
    "RT103": (Trigger("warning", _ring(b"\xff" * 2300)),),
    "RT104": (Trigger("warning", _ring(b"\x00" + b"\xff" * 2399)),),
    "RT105": (Trigger("warning", _ring(b"\xff" * 2399 + b"\x00")),),
    "RT106": (Trigger("error", _ring(b"RIFF" + b"\xff" * 2396)),),
    "RT107": (Trigger("info", _ring(_SILENCE)),),
    "RT201": (Trigger("info", _long_wav),),
    # OS79XX.TXT
    "OS100": (Trigger("error", _os("")),),
    "OS101": (Trigger("error", _os("firmware\r\n")),),
    "OS102": (Trigger("error", _os("POS3-08-12-00\r\n")),),
    "OS103": (Trigger("warning", _os("P003-08-12-00 \r\n")),),
    "OS104": (Trigger("error", _os("P003-08-12-00.sbn\r\n")),),
    "OS105": (Trigger("error", _os("SIP41.9-4-2SR3-1S\r\n")),),
    "OS106": (Trigger("error", _os("P0S3-08-12-00\r\n", available=["P003-08-12-00.sbn"])),),
    "OS107": (Trigger("error", _os("P003-08-12-00\r\n", available=["P003-08-11-00.sbn"])),),
    "OS108": (Trigger("info", _os("P003-08-12-00\r\nP003-08-11-00\r\n")),),
    "OS109": (Trigger("warning", _os("P0S3-08-12-00\r\n")),),
    # migration, .cnf to .cnf.xml
    "MIG001": (Trigger("warning", _migrate(_LINE1 + "telnet_level: 2\n")),),
    "MIG002": (Trigger("warning", _migrate(_LINE1 + "time_zone: XYZ\n")),),
    "MIG003": (Trigger("warning", _migrate(_LINE1 + "tos_media: 5\n")),),
    "MIG004": (Trigger("info", _migrate(_LINE1 + f"image_version: {IMAGE}\n")),),
    "MIG005": (Trigger("warning", _migrate(_LINE1 + "colour_scheme: blue\n")),),
    "MIG006": (Trigger("warning", _migrate(_LINE1 + "nat_enable: maybe\n")),),
    "MIG007": (Trigger("info", _migrate(_LINE1 + "nat_enable: \n")),),
    "MIG008": (Trigger("warning", _migrate(_LINE1 + 'line3_name: "2003"\n', model="7941")),),
    "MIG009": (Trigger("info", _migrate(_LINE1 + 'line2_authname: "2002"\n')),),
    "MIG010": (Trigger("warning", _migrate(_LINE1 + 'phone_label: "Front desk phone"\n')),),
    "MIG011": (Trigger("warning", _migrate(_LINE1 + "not a setting\n")),),
    "MIG012": (Trigger("warning", _migrate(_LINE1 + "date_format: D-M\n")),),
    "MIG013": (Trigger("info", _migrate(_LINE1 + "nat_enable: 1\n", "nat_enable: 0\n")),),
    "MIG014": (Trigger("info", _migrate(_LINE1 + "nat_enable: 0\nnat_enable: 1\n")),),
    "MIG015": (Trigger("info", _migrate(_LINE1 + "phone_password: 1234\n")),),
    "MIG016": (Trigger("info", _migrate(_LINE1 + 'line2_name: "2002"\n')),),
    "MIG017": (Trigger("warning", _migrate('proxy1_address: "192.0.2.10"\n')),),
    "MIG018": (Trigger("info", _migrate(_LINE1 + 'line2_name: "2002"\nmessages_uri: 5000\n')),),
    "MIG019": (Trigger("warning", _migrate(_LINE1 + "auto_answer: 3\n")),),
    "MIG020": (Trigger("info", _migrate(_LINE1 + "speed_line2: 100\nspeed_label2: Desk\n")),),
    "MIG021": (
        Trigger("info", _migrate(_LINE1 + "sntp_server: \u201cpool.ntp.org\u201d\n", fix=True)),
    ),
    "MIG022": (Trigger("warning", _migrate(_LINE1 + "phone_label: a\x01b\n")),),
    "MIG031": (Trigger("error", _bulk(existing=False)),),
    # migration back, .cnf.xml to .cnf
    "MIG101": (
        Trigger("warning", _back(_SEP.format("<devicePool><name>Lab</name></devicePool>"))),
    ),
    "MIG102": (
        Trigger("warning", _back(_SEP.format(_LINES.format("").replace("pbx", "USECALLMANAGER")))),
    ),
    "MIG103": (
        Trigger(
            "warning",
            _back(
                _SEP.format(
                    _LINES.format(
                        "<line button='2'><featureID>9</featureID><name>2002</name>"
                        "<callWaiting>0</callWaiting></line>"
                    ).replace("<port>5060</port>", "<port>5060</port><callWaiting>1</callWaiting>")
                )
            ),
        ),
    ),
    "MIG104": (Trigger("info", _back(_SEP.format(f"<loadInformation>{IMAGE}</loadInformation>"))),),
    "MIG105": (Trigger("error", _back("<device><deviceProtocol>SCCP</deviceProtocol></device>")),),
    "MIG106": (
        Trigger(
            "warning",
            _back(_SEP.format("<sipProfile><natEnabled>perhaps</natEnabled></sipProfile>")),
        ),
    ),
    "MIG107": (
        Trigger(
            "warning",
            _back(_SEP.format(_LINES.format("<line button='2'><featureID>21</featureID></line>"))),
        ),
    ),
    "MIG108": (Trigger("warning", _back(_SEP.format(_LINES.format("").replace("2001", 'a"b')))),),
    # the provisioning tree
    "PRV001": (Trigger("error", lambda folder: check(folder)),),
    "PRV002": (Trigger("info", _tree(lambda root: None, mac="001BD4000001")),),
    "PRV010": (Trigger("error", _breaker("lower-case MAC")),),
    "PRV011": (
        Trigger("error", _breaker("wrong case of .cnf")),
        Trigger("warning", _breaker("RINGLIST.DAT in lower case")),
    ),
    "PRV012": (Trigger("error", _breaker("tftp_cfg_dir without the file")),),
    "PRV013": (Trigger("warning", _tree(_remove("SIPDefault.cnf"))),),
    "PRV014": (
        Trigger(
            "error",
            _tree(lambda root: (root / f"SIP{MAC}.cnf").rename(root / f"SIP{MAC}.cnf.txt")),
        ),
    ),
    "PRV020": (Trigger("error", _breaker("stray SEP<MAC>.cnf.xml")),),
    "PRV021": (Trigger("info", _tree(_stub_sep)),),
    "PRV031": (Trigger("error", _breaker("letter O in the image name")),),
    "PRV032": (Trigger("error", _breaker("79x1 image on a 7940")),),
    "PRV033": (Trigger("error", _breaker("image named but absent")),),
    "PRV034": (Trigger("error", _breaker("file of the load absent")),),
    "PRV035": (
        Trigger(
            "error",
            _built(
                lambda root: sip_tree(
                    root, selector=LOADER, packages=(IMAGE,), drop=(f"{LOADER}.bin",)
                ),
                running="P0S30203",
            ),
        ),
    ),
    "PRV036": (
        Trigger(
            "info",
            _built(lambda root: sip_tree(root, selector=LOADER, packages=()), running=IMAGE),
        ),
    ),
    "PRV037": (Trigger("warning", _breaker("OS79XX.TXT does not match")),),
    "PRV038": (Trigger("error", _breaker("upgrade jump")),),
    "PRV039": (
        Trigger(
            "info",
            _built(
                lambda root: sip_tree(root, selector=LOADER, packages=(IMAGE,)),
                running="SIP41.9-4-2SR3-1S",
            ),
        ),
    ),
    "PRV040": (Trigger("error", _breaker("no line 1")),),
    "PRV041": (
        Trigger(
            "error",
            _tree(_write(f"SIP{MAC}.cnf", 'line1_name: "2001"\nline1_password: "s3cret"\n')),
        ),
    ),
    "PRV050": (Trigger("warning", _breaker("dial template absent")),),
    "PRV051": (
        Trigger(
            "warning",
            _built(
                lambda root: _a79x1(root, _a79x1_sep("<softKeyFile>Keys.xml</softKeyFile>")),
                mac=MAC,
                model="7961",
            ),
        ),
    ),
    "PRV060": (
        Trigger("warning", _tree(_remove("RINGLIST.DAT"))),
        Trigger("info", _built(lambda root: _a79x1(root, _a79x1_sep("")), mac=MAC, model="7961")),
    ),
    "PRV061": (Trigger("warning", _breaker("ring file absent")),),
    "PRV070": (Trigger("error", _server_error),),
    "PRV080": (Trigger("error", _built(lambda root: _a79x1(root, None), mac=MAC, model="7961")),),
    "PRV081": (
        Trigger(
            "warning",
            _built(
                lambda root: _a79x1(
                    root,
                    None,
                    _DEFAULT.format(
                        '<loadInformation30018 model="Cisco 7961">'
                        "SIP41.9-4-2SR3-1S</loadInformation30018>"
                    ),
                ),
                mac=MAC,
                model="7961",
            ),
        ),
    ),
    "PRV082": (
        Trigger("info", _built(lambda root: _a79x1(root, _a79x1_sep("")), mac=MAC, model="7961")),
    ),
    "PRV090": (Trigger("error", _breaker("dial template not XML")),),
    # staging a firmware step (firmware.stage)
    "STG001": (
        Trigger(
            "error",
            _staged(["P0S3-08-2-00"], "P0S3-08-2-00", "P0S3-06-3-00", "P0S3-08-2-00", _no_sb2),
        ),
    ),
    "STG002": (
        Trigger(
            "error",
            _staged(["P0S3-06-3-00"], "P0S3-06-3-00", "P00303020214", "P0S3-06-3-00", _ambiguous),
        ),
    ),
    "STG003": (
        Trigger(
            "error",
            _staged(["P0S3-06-3-00"], "P0S3-06-3-00", "P00303020214", "P0S3-06-3-00", _differs),
        ),
    ),
    "STG004": (
        Trigger(
            "error",
            _staged(
                ["P0S3-06-3-00"], "P0S3-08-2-00", "P00303020214", "P0S3-08-2-00", _foreign_selector
            ),
        ),
    ),
    "STG005": (
        Trigger(
            "info", _staged(["P0S3-8-12-00"], "P0S3-08-12-00", "P0S3-08-2-00", "P0S3-08-12-00")
        ),
    ),
    "STG010": (
        Trigger(
            "error",
            _staged(
                ["P0S3-08-12-00"],
                "P0S3-08-2-00",
                "P0S3-08-2-00",
                "P0S3-08-12-00",
                lambda root, _: (root / "SIPDefault.cnf").unlink(),
            ),
        ),
    ),
    "STG011": (
        Trigger(
            "info", _staged(["P0S3-08-12-00"], "P0S3-08-12-00", "P0S3-08-2-00", "P0S3-08-12-00")
        ),
    ),
    "STG012": (
        Trigger(
            "error", _staged(["P0S3-08-12-00"], "P0S3-08-2-00", "P0S3-08-2-00", "P0S3-08-12-00")
        ),
        Trigger(
            "warning",
            _staged(
                ["P0S3-08-12-00"],
                "P0S3-08-2-00",
                "P0S3-08-2-00",
                "P0S3-08-12-00",
                _second_phone_on_the_shared_image,
            ),
        ),
    ),
    "STG021": (
        Trigger("info", _staged(["P00305000000"], "P0S3-08-2-00", "P00303020214", "P00305000000")),
    ),
    "STG030": (
        Trigger("error", _staged(["P0S3-06-3-00"], "P0S3-08-2-00", "P0S3-06-3-00", "P0S30203")),
    ),
    "STG031": (
        Trigger(
            "error",
            _staged(
                ["P0S3-08-12-00"],
                "P0S3-08-12-00",
                "P0S3-08-2-00",
                "P0S3-08-12-00",
                _unreadable_loads,
            ),
        ),
    ),
    # ciscocfg firmware
    "FW001": (Trigger("error", _command("firmware", "P0S3-8-12-O0")),),
    "FW002": (Trigger("error", _loads_without_its_files),),
    "FW003": (Trigger("error", _command("firmware", "--upgrade", "P0S3-06-3-00", "P0S30203")),),
    # generating a tree over an existing one
    "GEN001": (Trigger("warning", _generated({"SIPDefault.cnf": b"dial_template: other\n"})),),
    "GEN002": (Trigger("warning", _generated({"SIPDefault.cnf": b"# nothing\n"})),),
    "GEN003": (Trigger("warning", _generated({"OS79XX.TXT": b"P003-08-2-00\r\n"})),),
    "GEN004": (
        Trigger(
            "warning",
            _generated(
                {"dialplan.xml": b"<DIALTEMPLATE/>\n"},
                dialplan=b"<DIALTEMPLATE><TEMPLATE MATCH='1' Timeout='0'/></DIALTEMPLATE>\n",
            ),
        ),
        Trigger("info", _generated({"dialplan.xml": b"<DIALTEMPLATE/>\n"})),
    ),
}

#: Codes no public call can make the library report, with why. Kept rare: such a code is dead
#: unless something outside the library's reach (another operating system) produces it.
UNREACHABLE: dict[str, str] = {
    "STG020": (
        "a guard: reported only if reach() and the upgrade planner disagree about a step staged "
        "from complete bundles, which test_staging_agrees_with_the_planner_and_reach_on_any_pair "
        "proves they do not"
    ),
}

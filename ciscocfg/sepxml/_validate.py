"""What the phone rejects or misreads in a config, as ``XMLnnn`` findings."""

from __future__ import annotations

from ciscocfg._diagnostic import Diagnostic, Findings
from ciscocfg._errors import ParseError
from ciscocfg._phones import FAMILY_79X0, phone_model
from ciscocfg._placeholders import has_placeholder
from ciscocfg._xml import Element
from ciscocfg.sepxml._model import DefaultLoad, DeviceConfig, PhoneLine
from ciscocfg.sepxml._tables import (
    BOOLEAN_ELEMENTS,
    INTEGER_ELEMENTS,
    KNOWN_MIXUPS,
    LENGTH_LIMITS,
    UNSET,
    atoi,
    load_family,
    load_protocol,
    model_number,
)

__all__ = ["validate"]


def validate(
    config: DeviceConfig, *, source: str | None = None, model: str | None = None
) -> list[Diagnostic]:
    """Check a config the way the phone reads it; findings are returned, never raised.

    ``source`` is the file name the findings carry (by default the name ``config`` was read
    from).
    ``model`` (e.g. ``"7961"``) is the phone the file is for; when given, ``loadInformation`` is
    checked against that model's family (an ``XMLDefault.cnf.xml`` names its models itself). A
    7940/7960 on SIP (``model`` one of them, or a ``P0S…`` load named) takes its lines from
    ``SIP<MAC>.cnf``, so its ``SEP<MAC>.cnf.xml`` needs none. Template placeholders are not
    judged: they make one ``TPL001`` finding.
    """
    found = Findings(source if source is not None else config.source)
    root = config.root
    if root.name not in ("device", "Default"):
        if root.name.lower() in ("device", "default"):
            proper = "device" if root.name.lower() == "device" else "Default"
            found.add(
                "XML002",
                "warning",
                f"root element <{root.name}>: the phone compares names case-sensitively",
                config._line(root),
                suggestion=proper,
            )
        else:
            found.add(
                "XML001",
                "error",
                f"root element <{root.name}> is not <device> or <Default>",
                config._line(root),
            )
    _check_protocol(config, found)
    for element in root.iter():
        _check_element(config, element, found)
    _check_lines(config, found, lines_elsewhere=_reads_cnf_lines(config, model))
    _check_default_loads(config, found)
    load = config.load_information
    if model is not None and load:
        line = _line_of(config, "loadInformation")
        if not found.placeholder(load, line):
            _check_family(load, model, found, line)
    _check_load_protocol(config, found)
    return found.result()


def _line_of(config: DeviceConfig, path: str) -> int | None:
    """The line of the element at ``path``, or ``None`` where there is none."""
    element = config.find(path)
    return config._line(element) if element is not None else None


def _reads_cnf_lines(config: DeviceConfig, model: str | None) -> bool:
    """True for a 7940/7960: on SIP it takes its lines from ``SIP<MAC>.cnf``, not from here.

    The model decides; without one, a load built for the 7940/7960 says so.
    """
    if model is not None:
        try:
            return phone_model(model).family == FAMILY_79X0
        except ValueError:
            return model_number(model) in {"7940", "7960"}
    load = config.load_information
    return load is not None and load_family(load) == frozenset({"7940", "7960"})


def _check_protocol(config: DeviceConfig, found: Findings) -> None:
    element = config.find("deviceProtocol")
    if element is None:
        if not config.is_default:
            found.add("XML003", "warning", "no <deviceProtocol>: the phone keeps its own", None, 1)
        return
    line = config._line(element)
    if element.text not in ("SIP", "SCCP") and not found.placeholder(element.text, line):
        found.add(
            "XML004",
            "error",
            f"<deviceProtocol> is {element.text!r}, not 'SIP' or 'SCCP'",
            line,
            suggestion=element.text.strip().upper()
            if element.text.strip().upper() in ("SIP", "SCCP")
            else None,
        )


def _check_element(config: DeviceConfig, element: Element, found: Findings) -> None:
    name = element.name
    text = element.text
    if element.children:
        return
    if has_placeholder(text):
        # What the template puts here is unknown until it is filled in.
        found.placeholder(text, config._line(element))
        return
    if name == "natRecievedProcessing":
        found.add(
            "XML106",
            "warning",
            "<natRecievedProcessing> is a misspelling that some firmware reads and other "
            "firmware ignores; write <natReceivedProcessing>",
            config._line(element),
            suggestion="natReceivedProcessing",
        )
    if name in BOOLEAN_ELEMENTS and text not in ("true", "false"):
        found.add(
            "XML101",
            "warning",
            f"<{name}> is {text!r}: the phone reads only the exact string 'true' as true",
            config._line(element),
            suggestion="true" if text.strip().lower() in ("true", "1", "yes") else "false",
        )
    if name in INTEGER_ELEMENTS and text.strip() and not text.strip().isdigit():
        read = atoi(text)
        found.add(
            "XML107",
            "warning",
            f"<{name}> is {text!r}, not a whole number; the phone reads "
            + (str(read) if read is not None else "0"),
            config._line(element),
        )
    limit = LENGTH_LIMITS.get(name)
    if limit is not None and len(text) > limit:
        found.add(
            "XML104",
            "warning",
            f"<{name}> has {len(text)} characters; the phone keeps at most {limit}",
            config._line(element),
        )
    if name == "phoneLabel" and " " in text:
        found.add(
            "XML105",
            "warning",
            "<phoneLabel> must not contain spaces on 79xx",
            config._line(element),
        )
    if name == "userInfo" and text.lower() not in ("none", "phone", "ip"):
        found.add(
            "XML110",
            "warning",
            f"<userInfo> is {text!r}, not None, Phone or IP",
            config._line(element),
        )
    if name == "maxNumCalls" and (atoi(text) or 0) > 50:
        found.add(
            "XML108",
            "warning",
            "<maxNumCalls> above 50 is not supported on 79x1",
            config._line(element),
        )


def _check_lines(config: DeviceConfig, found: Findings, *, lines_elsewhere: bool) -> None:
    lines = config.phone_lines
    seen: dict[int, PhoneLine] = {}
    for line in lines:
        if line.button is not None:
            if line.button in seen:
                found.add(
                    "XML109",
                    "warning",
                    f"button {line.button} is used again (first on line {seen[line.button].line})",
                    line=line.line,
                )
            seen.setdefault(line.button, line)
    if config.protocol != "SIP" or lines_elsewhere:
        return
    names = [line.name for line in lines if line.name not in (None, *UNSET)]
    proxies = [line.proxy for line in lines if line.proxy not in (None, *UNSET)]
    ports = [line.fields.get("port") for line in lines if line.fields.get("port")]
    if not (names and proxies and ports):
        missing = [
            what for what, ok in (("name", names), ("proxy", proxies), ("port", ports)) if not ok
        ]
        found.add(
            "XML102",
            "error",
            "a SIP config needs a sipLines/line with a name, a proxy and a port (missing: "
            + ", ".join(missing)
            + "); the phone rejects the file and stays unprovisioned",
            _line_of(config, "sipProfile/sipLines") or _line_of(config, "sipProfile") or 1,
        )


def _check_default_loads(config: DeviceConfig, found: Findings) -> None:
    seen: dict[int, DefaultLoad] = {}
    for entry in config.default_loads:
        if entry.device_type in seen:
            found.add(
                "XML204",
                "warning",
                f"loadInformation{entry.device_type} appears again "
                f"(first on line {seen[entry.device_type].line})",
                line=entry.line,
            )
        seen.setdefault(entry.device_type, entry)
        known = entry.known_model
        if entry.device_type in KNOWN_MIXUPS:
            found.add(
                "XML202",
                "warning",
                f"loadInformation{entry.device_type}: {KNOWN_MIXUPS[entry.device_type]}",
                line=entry.line,
            )
        elif known is None:
            found.add(
                "XML201",
                "info",
                f"loadInformation{entry.device_type}: device type not in the 79xx table",
                line=entry.line,
            )
        elif (
            entry.model is not None
            and not found.placeholder(entry.model, entry.line)
            and _label_conflicts(entry.model, known)
        ):
            found.add(
                "XML202",
                "warning",
                f"loadInformation{entry.device_type} is the {known}, but is labelled "
                f"{entry.model!r}",
                line=entry.line,
                suggestion=f"Cisco {known}",
            )
        if entry.load and not found.placeholder(entry.load, entry.line):
            _check_load_name(entry.load, entry.line, found)
            if known is not None:
                _check_family(entry.load, known, found, entry.line)


def _check_load_protocol(config: DeviceConfig, found: Findings) -> None:
    load = config.load_information
    protocol = config.protocol
    if not load or protocol not in ("SIP", "SCCP") or has_placeholder(load):
        return
    named = load_protocol(load)
    if named is not None and named != protocol:
        found.add(
            "XML206",
            "warning",
            f"deviceProtocol is {protocol} but load {load.strip()!r} is a {named} load: the phone "
            f"switches to {named} and the {protocol} settings go unused (field reports: "
            "'SIP Phone not Accepting SCCP Load', 'Protocol Application Invalid')",
            _line_of(config, "loadInformation"),
        )


def _label_conflicts(label: str, known: str) -> bool:
    label_number = model_number(label)
    known_number = model_number(known)
    if known_number is None:
        return known.split()[-1].lower() not in label.lower()
    return label_number is not None and label_number != known_number


def _check_load_name(load: str, line: int, found: Findings) -> None:
    lowered = load.strip().lower()
    for ext in (".loads", ".sbn", ".sb2", ".bin", ".zz"):
        if lowered.endswith(ext):
            found.add(
                "XML205",
                "warning",
                f"load {load!r} carries the file extension {ext!r}; the phone adds it itself",
                line=line,
                suggestion=load.strip()[: -len(ext)],
            )


def _check_family(load: str, model: str, found: Findings, line: int | None) -> None:
    from ciscocfg import firmware

    name = load.strip()
    if "{" in name:
        return  # a template placeholder, filled in later
    try:
        image = firmware.parse(name)
    except ParseError:
        found.add(
            "XML207",
            "info",
            f"load {name!r} is not a firmware name the library decodes: whether it suits the "
            f"{model} is unknown",
            line,
        )
        return
    suits = image.fits(model)
    if suits is None:
        found.add(
            "XML207",
            "info",
            f"load {name!r} is a {image.family} load: whether it suits the {model} is unknown",
            line,
        )
    elif not suits:
        found.add(
            "XML203",
            "error",
            f"load {name!r} is built for the {image.family}, not the {model}; the phone refuses it",
            line,
        )

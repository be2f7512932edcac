"""79x0 settings → 79x1 element tree, accounting for every source key.

Works on plain :class:`Entry` records (key, value, where) so that it does not depend on how a
``.cnf`` document is stored; :mod:`ciscocfg.migrate` feeds it from :mod:`ciscocfg.cnf`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ciscocfg._diagnostic import Diagnostic, Findings, Severity
from ciscocfg._phones import PhoneModel
from ciscocfg._reads import meant
from ciscocfg.migrate import _keymap as km
from ciscocfg.migrate._node import Node

__all__ = ["Entry", "convert", "date_template", "normalize_phone_label"]

#: The token community files and the Cisco-derived stack use for "no value here".
UNPROVISIONED = "UNPROVISIONED"
_DIGITS = re.compile(r"[0-9]+")
# Characters XML 1.0 cannot hold: C0 controls other than tab/LF/CR, lone surrogates (bytes that
# were not UTF-8), and the two non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DATE_FORMAT = re.compile(r"[MDY]{1,2}([/.\-])[MDY]{1,2}\1[MDY]{1,2}")
_LABEL_LIMIT = 12
_SCALAR = {rule.key: rule for rule in km.SCALAR_RULES}
_BOOL_TEXT = {"0": "false", "1": "true"}
_USER_INFO = {"none": "None", "phone": "Phone", "ip": "IP"}
_KNOWN_KEYS = (
    set(_SCALAR)
    | set(km.DROPPED_KEYS)
    | set(km.DECISION_KEYS)
    | set(km.LINE_GLOBAL_KEYS)
    | km.LOSSY_DST_KEYS
    | {"image_version", "phone_password", "time_zone", "date_format", "time_format_24hr"}
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One ``key: value`` line of a source file (value with its quotes removed)."""

    key: str
    value: str
    source: str | None = None
    line: int | None = None


def normalize_phone_label(label: str) -> str:
    """A 79x0 ``phone_label`` as a 79x1 ``phoneLabel``: no blanks, at most 12 characters."""
    return "".join(label.split())[:_LABEL_LIMIT]


def date_template(date_format: str | None, hours24: str | None) -> str | None:
    """``date_format`` + ``time_format_24hr`` → ``dateTemplate`` (``M/D/Y`` + 12 h → ``M/D/YA``).

    Returns None when the date format is not one the 79x1 template language can hold.
    """
    base = (date_format or "M/D/Y").strip().upper()
    if not _DATE_FORMAT.fullmatch(base) or sorted(set(base) & set("MDY")) != ["D", "M", "Y"]:
        return None
    return base + ("A" if (hours24 or "1").strip() == "0" else "")


class _Converter:
    def __init__(self, model: PhoneModel) -> None:
        self.model = model
        #: A finding about the whole config is charged to the last layer read, which is the
        #: phone's own SIP<MAC>.cnf when there is one: ``found.source`` follows the layers.
        self.found = Findings()
        self.device = Node("device")
        self.device.ensure("deviceProtocol").text = "SIP"

    def report(
        self,
        code: str,
        severity: Severity,
        message: str,
        entry: Entry | None = None,
        suggestion: str | None = None,
    ) -> None:
        if entry is None:
            self.found.add(code, severity, message, suggestion=suggestion)
        else:
            self.found.add(
                code, severity, message, entry.line, None, suggestion, source=entry.source
            )

    # -- scalar keys ---------------------------------------------------------------------------

    def scalar(self, rule: km.ScalarRule, entry: Entry) -> None:
        value = entry.value.strip()
        conversion = rule.conversion
        text: str | None
        if conversion is km.Conversion.COPY:
            text = entry.value
        elif value == "" or value.upper() == UNPROVISIONED:
            self.report(
                "MIG007",
                "info",
                f"{entry.key} is empty: not carried, the 79x1 keeps its own default",
                entry,
            )
            return
        elif conversion is km.Conversion.INTEGER:
            text = value if _DIGITS.fullmatch(value) else None
        elif conversion is km.Conversion.BOOLEAN:
            text = _BOOL_TEXT.get(value)
        elif conversion is km.Conversion.SCALE:
            text = value if value in {"0", "1", "2", "3"} else None
        elif conversion is km.Conversion.USER_INFO:
            text = _USER_INFO.get(value.lower())
        else:  # DIAL_TEMPLATE
            # The 79x0 always appends ".xml" to the stem, whatever the stem ends with.
            text = value + ".xml"
        if text is None:
            self.report(
                "MIG006",
                "warning",
                f"{entry.key}: {entry.value!r} is not a valid {conversion.value} value: "
                "not carried",
                entry,
            )
            return
        if rule.key == "phone_label":
            short = normalize_phone_label(text)
            if short != text:
                self.report(
                    "MIG010",
                    "warning",
                    f"phone_label {text!r} shortened to {short!r}: a 79x1 phoneLabel has at most "
                    f"{_LABEL_LIMIT} characters and no blanks",
                    entry,
                    suggestion=short,
                )
                text = short
        self.device.ensure(rule.path).text = text

    # -- lines and speed dials -----------------------------------------------------------------

    def lines(
        self,
        per_line: dict[int, dict[str, Entry]],
        globals_: dict[str, Entry],
        speed: dict[int, dict[str, Entry]],
    ) -> None:
        proxy1 = per_line.get(1, {}).get("proxy")
        port1 = per_line.get(1, {}).get("port")
        proxy1_used = False
        deferred: list[Entry] = []
        used: set[int] = set()
        made: list[tuple[int, Node]] = []
        for number in sorted(per_line):
            fields = per_line[number]
            name = fields.get("name")
            if name is None or name.value.strip() in {"", UNPROVISIONED}:
                for entry in fields.values():
                    if number == 1 and entry.key.startswith("proxy"):
                        # proxy1 also serves lines without their own proxy: decided below.
                        deferred.append(entry)
                        continue
                    self.report(
                        "MIG009",
                        "info",
                        f"{entry.key}: line {number} has no name, so it is not provisioned: "
                        "not carried",
                        entry,
                    )
                continue
            if number > self.model.line_keys:
                for entry in fields.values():
                    self.report(
                        "MIG008",
                        "warning",
                        f"{entry.key}: the {self.model.name} has {self.model.line_keys} line "
                        f"key(s), so line {number} cannot be carried",
                        entry,
                    )
                continue
            line = Node("line", {"button": str(number), "lineIndex": str(number)})
            line.add("featureID", "9")
            for field_name, entry in fields.items():
                line.ensure(field_name).text = entry.value
            if "proxy" not in fields and proxy1 is not None and number != 1:
                proxy1_used = True
                line.ensure("proxy").text = proxy1.value
                if "port" not in fields and port1 is not None:
                    line.ensure("port").text = port1.value
                self.report(
                    "MIG016",
                    "info",
                    f"line {number} has no proxy{number}_address; it uses proxy1_address "
                    f"{proxy1.value!r} as the 79x0 does",
                    name,
                )
            if line.find("port") is None:
                line.ensure("port").text = "5060"
            used.add(number)
            made.append((number, line))
        if proxy1_used:
            for entry in deferred:
                self.report(
                    "MIG016",
                    "info",
                    f"{entry.key}: line 1 has no name, so it is carried only as the proxy of "
                    "the lines that have none of their own",
                    entry,
                )
        else:
            for entry in deferred:
                self.report(
                    "MIG009",
                    "info",
                    f"{entry.key}: line 1 has no name and no other line uses its proxy: "
                    "not carried",
                    entry,
                )
        if not made:
            self.report(
                "MIG017",
                "warning",
                "no line has a name: the 79x1 config has no line and the phone will not register",
            )
        self.phone_wide(made, globals_)
        free = (b for b in range(1, self.model.line_keys + 1) if b not in used)
        for position, index in enumerate(sorted(speed), start=1):
            fields = speed[index]
            button = next(free, None)
            if button is None:
                for entry in fields.values():
                    self.report(
                        "MIG008",
                        "warning",
                        f"{entry.key}: no free key on the {self.model.name} for speed dial "
                        f"{index}: not carried",
                        entry,
                    )
                continue
            if position != index:
                for entry in fields.values():
                    self.report(
                        "MIG020",
                        "info",
                        f"{entry.key}: speed dial {index} is the speed dial number {position} "
                        f"(key {button}) on the 79x1",
                        entry,
                    )
            line = Node("line", {"button": str(button)})
            line.add("featureID", "2")
            for field_name, entry in fields.items():
                line.ensure(field_name).text = entry.value
            made.append((button, line))
        if made:
            sip_lines = self.device.ensure("sipProfile/sipLines")
            for _, node in sorted(made, key=lambda item: item[0]):
                sip_lines.children.append(node)

    def phone_wide(self, lines: list[tuple[int, Node]], globals_: dict[str, Entry]) -> None:
        for key, entry in globals_.items():
            if not lines:
                self.report(
                    "MIG009", "info", f"{key}: there is no provisioned line to carry it", entry
                )
                continue
            if key == "auto_answer":
                value = entry.value.strip()
                if not _DIGITS.fullmatch(value) or int(value) > 63:
                    self.report(
                        "MIG006",
                        "warning",
                        f"auto_answer: {entry.value!r} is not a bit mask 0-63: not carried",
                        entry,
                    )
                    continue
                mask = int(value)
                carried = 0
                for number, node in lines:
                    on = (mask >> (number - 1)) & 1
                    node.ensure("autoAnswer/autoAnswerEnabled").text = str(on)
                    carried |= on << (number - 1)
                if mask & ~carried:
                    self.report(
                        "MIG019",
                        "warning",
                        f"auto_answer {mask} sets bits for lines the {self.model.name} config "
                        "does not have; those bits are not carried",
                        entry,
                    )
                continue
            element = km.LINE_GLOBAL_KEYS[key]
            if key == "call_waiting" and entry.value.strip() not in {"0", "1", "2", "3"}:
                self.report(
                    "MIG006",
                    "warning",
                    f"call_waiting: {entry.value!r} is not 0-3: not carried",
                    entry,
                )
                continue
            for _, node in lines:
                node.ensure(element).text = entry.value
            if len(lines) > 1:
                self.report(
                    "MIG018",
                    "info",
                    f"{key} is phone-wide on the 79x0; it is written on each of the "
                    f"{len(lines)} lines",
                    entry,
                )

    # -- time ----------------------------------------------------------------------------------

    def time(self, effective: dict[str, Entry]) -> None:
        zone = effective.get("time_zone")
        if zone is not None:
            name = km.TIME_ZONES.get(zone.value.strip().upper())
            if name is None:
                self.report(
                    "MIG002",
                    "warning",
                    f"time_zone {zone.value!r} has no known 79x1 timeZone name: not carried; "
                    "set devicePool/dateTimeSetting/timeZone by hand",
                    zone,
                )
            else:
                self.device.ensure("devicePool/dateTimeSetting/timeZone").text = name
                self.report(
                    "MIG002",
                    "warning",
                    f"time_zone {zone.value!r} carried as timeZone {name!r}: lossy, the 79x1 "
                    "zone brings its own daylight-saving rule",
                    zone,
                )
        for key in sorted(km.LOSSY_DST_KEYS & effective.keys()):
            entry = effective[key]
            self.report(
                "MIG002",
                "warning",
                f"{key}: the 79x1 takes daylight-saving rules from its timeZone, not from "
                "dst_* settings: not carried",
                entry,
            )
        date = effective.get("date_format")
        hours = effective.get("time_format_24hr")
        for empty in (date, hours):
            if empty is not None and empty.value.strip() == "":
                self.report(
                    "MIG007",
                    "info",
                    f"{empty.key} is empty: not carried, the 79x1 keeps its own default",
                    empty,
                )
        date = date if date is not None and date.value.strip() else None
        hours = hours if hours is not None and hours.value.strip() else None
        if date is None and hours is None:
            return
        if hours is not None and hours.value.strip() not in {"0", "1"}:
            self.report(
                "MIG006",
                "warning",
                f"time_format_24hr: {hours.value!r} is not 0 or 1: not carried",
                hours,
            )
            hours = None
        template = date_template(date.value if date else None, hours.value if hours else None)
        if template is None:
            assert date is not None
            self.report(
                "MIG012",
                "warning",
                f"date_format {date.value!r} is not a day/month/year template the 79x1 "
                "understands: not carried",
                date,
            )
            if hours is None:
                return
            template = date_template(None, hours.value)
            assert template is not None
        self.device.ensure("devicePool/dateTimeSetting/dateTemplate").text = template


def convert(layers: Iterable[Iterable[Entry]], model: PhoneModel) -> tuple[Node, list[Diagnostic]]:
    """Migrate ``layers`` (SIPDefault.cnf entries, then SIP<MAC>.cnf entries) for ``model``.

    Later entries win as on the phone; every entry that is not carried is reported.
    """
    conv = _Converter(model)
    effective: dict[str, Entry] = {}
    for entries in layers:
        for entry in entries:
            conv.found.source = entry.source
            earlier = effective.get(entry.key)
            if earlier is not None:
                if earlier.source == entry.source:
                    conv.report(
                        "MIG014",
                        "info",
                        f"{entry.key} is set again on line {entry.line}; the last value wins, "
                        "this one is not used",
                        earlier,
                    )
                else:
                    conv.report(
                        "MIG013",
                        "info",
                        f"{entry.key} is overridden by {entry.source or 'the phone file'}; "
                        "this value is not used",
                        earlier,
                    )
            effective[entry.key] = entry

    per_line: dict[int, dict[str, Entry]] = {}
    speed: dict[int, dict[str, Entry]] = {}
    globals_: dict[str, Entry] = {}
    for key, entry in effective.items():
        if _NOT_XML.search(entry.value) or _NOT_XML.search(key):
            conv.report(
                "MIG022",
                "warning",
                f"{key}: the value holds characters an XML file cannot hold: not carried",
                entry,
            )
        elif key in _SCALAR:
            conv.scalar(_SCALAR[key], entry)
        elif (target := km.line_key(key)) is not None:
            per_line.setdefault(target[0], {})[target[1]] = entry
        elif (target := km.speed_key(key)) is not None:
            speed.setdefault(target[0], {})[target[1]] = entry
        elif key in km.LINE_GLOBAL_KEYS:
            globals_[key] = entry
        elif key == "image_version":
            conv.report(
                "MIG004",
                "info",
                f"image_version {entry.value!r} names a 79x0 image; 79x1 phones run another "
                "image family, so it is not carried (set loadInformation for the new model)",
                entry,
            )
        elif key == "phone_password":
            conv.device.ensure("commonProfile/phonePassword").text = entry.value
            conv.report(
                "MIG015",
                "info",
                "phone_password carried as commonProfile/phonePassword, which on the 79x1 "
                "unlocks the settings menu rather than telnet and the console",
                entry,
            )
        elif key in {"time_zone", "date_format", "time_format_24hr"} | km.LOSSY_DST_KEYS:
            continue  # all read together by conv.time
        elif key in km.DROPPED_KEYS:
            conv.report(
                "MIG001",
                "warning",
                f"{key} has no 79x1 equivalent: not carried ({km.DROPPED_KEYS[key]})",
                entry,
            )
        elif key in km.DECISION_KEYS:
            conv.report(
                "MIG003",
                "warning",
                f"{key} needs a decision, not carried: {km.DECISION_KEYS[key]}",
                entry,
            )
        else:
            cleaned = "".join(meant(key).split())
            hint = (
                f" (it is {cleaned!r} written with a blank, a no-break space or another pasted "
                "character, which the phone reads as another key)"
                if cleaned != key
                and (
                    cleaned in _KNOWN_KEYS
                    or km.line_key(cleaned) is not None
                    or km.speed_key(cleaned) is not None
                )
                else ""
            )
            conv.report(
                "MIG005",
                "warning",
                f"{key!r} is not a 79x0 setting the key map knows: not carried{hint}",
                entry,
                suggestion=cleaned if hint else None,
            )
    conv.lines(per_line, globals_, speed)
    conv.time(effective)
    load = conv.device.ensure("loadInformation")
    load.attrs["model"] = model.label
    return conv.device, conv.found.items

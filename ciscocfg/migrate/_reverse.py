"""79x1 element tree → 79x0 settings: the key map read backwards.

Only what a ``SIP<MAC>.cnf`` can hold comes back; every other element with a value is reported
(codes ``MIG1nn``), so that ``.cnf → XML → .cnf`` is the identity on the settings both formats
share.
"""

from __future__ import annotations

from collections.abc import Iterator

from ciscocfg._diagnostic import Diagnostic, Findings, Severity
from ciscocfg.migrate import _keymap as km
from ciscocfg.migrate._node import Node

__all__ = ["revert"]

_BOOL_BACK = {"true": "1", "false": "0"}
_USER_INFO_BACK = {"none": "none", "phone": "phone", "ip": "ip"}
_ZONES_BACK: dict[str, str] = {}
for _abbr, _name in km.TIME_ZONES.items():
    _ZONES_BACK.setdefault(_name, _abbr)
_LINE_FIELDS_BACK = {v: k for k, v in km.LINE_FIELDS.items()}
# Elements that carry structure or identity rather than a setting of their own.
_STRUCTURAL = {"device/deviceProtocol", "device/loadInformation"}


def _leaves(node: Node, prefix: str) -> Iterator[tuple[str, Node]]:
    here = f"{prefix}/{node.tag}" if prefix else node.tag
    if not node.children:
        yield here, node
        return
    for child in node.children:
        yield from _leaves(child, here)


class _Reverter:
    def __init__(self, source: str | None) -> None:
        self.settings: dict[str, str] = {}
        self.found = Findings(source)
        self.consumed: set[int] = set()

    def report(self, code: str, severity: Severity, message: str) -> None:
        self.found.add(code, severity, message)

    def take(self, node: Node | None) -> str | None:
        if node is None:
            return None
        self.consumed.add(id(node))
        return node.text or ""

    def scalars(self, device: Node) -> None:
        for rule in km.SCALAR_RULES:
            text = self.take(device.find(rule.path))
            if text is None:
                continue
            value: str | None = text
            if rule.conversion is km.Conversion.BOOLEAN:
                value = _BOOL_BACK.get(text.strip())
            elif rule.conversion is km.Conversion.USER_INFO:
                value = _USER_INFO_BACK.get(text.strip().lower())
            elif rule.conversion is km.Conversion.DIAL_TEMPLATE:
                value = text[:-4] if text.lower().endswith(".xml") else text
            if value is None:
                self.report(
                    "MIG106",
                    "warning",
                    f"{'/'.join(rule.path)}: {text!r} is not a {rule.conversion.value} value: "
                    f"{rule.key} not written",
                )
                continue
            self.settings[rule.key] = value

    def lines(self, device: Node) -> None:
        sip_lines = device.find("sipProfile/sipLines")
        if sip_lines is None:
            return
        self.consumed.add(id(sip_lines))
        lines: list[tuple[int, Node]] = []
        speed_index = 0
        for line in sip_lines.children:
            self.consumed.add(id(line))
            feature = self.take(line.find("featureID"))
            button = line.attrs.get("button", "")
            if feature == "2":
                speed_index += 1
                for element, key in (
                    ("speedDialNumber", "speed_line"),
                    ("featureLabel", "speed_label"),
                ):
                    text = self.take(line.find(element))
                    if text is not None:
                        self.settings[f"{key}{speed_index}"] = text
                continue
            if feature != "9" or not button.isdigit():
                self.report(
                    "MIG107",
                    "warning",
                    f"line on button {button or '?'} has featureID {feature!r}: only lines (9) "
                    "and speed dials (2) exist on the 79x0; not written",
                )
                continue
            number = int(button)
            lines.append((number, line))
            for child in line.children:
                if child.tag in _LINE_FIELDS_BACK:
                    self.settings[f"line{number}_{_LINE_FIELDS_BACK[child.tag]}"] = (
                        self.take(child) or ""
                    )
                elif child.tag == "proxy":
                    text = self.take(child) or ""
                    if text == "USECALLMANAGER":
                        self.report(
                            "MIG102",
                            "warning",
                            f"line {number} uses the call manager group as its proxy; the "
                            f"79x0 needs proxy{number}_address: not written",
                        )
                        continue
                    self.settings[f"proxy{number}_address"] = text
                elif child.tag == "port":
                    self.settings[f"proxy{number}_port"] = self.take(child) or ""
        self.per_line(lines)

    def per_line(self, lines: list[tuple[int, Node]]) -> None:
        for key, path in km.LINE_GLOBAL_KEYS.items():
            values: dict[int, str] = {}
            for number, line in lines:
                text = self.take(line.find(path))
                if text is not None:
                    values[number] = text
            if not values:
                continue
            if key == "auto_answer":
                mask = sum(1 << (n - 1) for n, v in values.items() if v.strip() in {"1", "true"})
                self.settings[key] = str(mask)
                continue
            distinct = sorted(set(values.values()))
            first = values[min(values)]
            self.settings[key] = first
            if len(distinct) > 1:
                self.report(
                    "MIG103",
                    "warning",
                    f"lines differ in {path} ({', '.join(map(repr, distinct))}); the 79x0 has one "
                    f"{key} for the phone: {first!r} (line {min(values)}) written",
                )

    def time(self, device: Node) -> None:
        zone = self.take(device.find("devicePool/dateTimeSetting/timeZone"))
        if zone is not None:
            abbr = _ZONES_BACK.get(zone.strip())
            if abbr is None:
                self.report(
                    "MIG102",
                    "warning",
                    f"timeZone {zone!r} has no 79x0 time_zone abbreviation the key map knows: "
                    "not written",
                )
            else:
                self.settings["time_zone"] = abbr
        template = self.take(device.find("devicePool/dateTimeSetting/dateTemplate"))
        if template is not None:
            text = template.strip()
            twelve = text.endswith("A")
            self.settings["date_format"] = text[:-1] if twelve else text
            self.settings["time_format_24hr"] = "0" if twelve else "1"
        password = self.take(device.find("commonProfile/phonePassword"))
        if password is not None:
            self.settings["phone_password"] = password

    def leftovers(self, device: Node) -> None:
        for path, leaf in _leaves(device, ""):
            if id(leaf) in self.consumed or path in _STRUCTURAL:
                continue
            if leaf.text is None or leaf.text.strip() == "":
                continue
            self.report(
                "MIG101",
                "warning",
                f"{path} = {leaf.text!r} has no 79x0 .cnf equivalent: not written",
            )


def revert(device: Node, *, source: str | None = None) -> tuple[dict[str, str], list[Diagnostic]]:
    """The ``.cnf`` settings a 79x1 ``device`` tree holds, and what could not be written."""
    rev = _Reverter(source)
    protocol = device.find("deviceProtocol")
    if protocol is not None and (protocol.text or "").strip().upper() == "SCCP":
        rev.report(
            "MIG105",
            "error",
            "deviceProtocol is SCCP: the lines live in the call manager, not in the file; "
            "a SIP<MAC>.cnf cannot be made from it",
        )
    load = device.find("loadInformation")
    if load is not None and (load.text or "").strip():
        rev.report(
            "MIG104",
            "info",
            f"loadInformation {load.text!r} names a 79x1 image; image_version is not written "
            "(79x0 phones run another image family)",
        )
    rev.scalars(device)
    rev.lines(device)
    rev.time(device)
    rev.leftovers(device)
    return rev.settings, rev.found.items

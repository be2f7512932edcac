"""Dial plans for the tests: one TEMPLATE a line, and a plan for every code the lint emits."""

from __future__ import annotations

from ciscocfg import dialplan

Rule = tuple[str, int, int]  # MATCH, Timeout, Line (0: every line)


def _quoted(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def plan_of(*rules: Rule | str) -> dialplan.DialPlan:
    """One TEMPLATE a line, so that rule ``k`` (0-based) is on line ``k + 2``."""
    lines = []
    for rule in rules:
        match, timeout, line = (rule, 0, 0) if isinstance(rule, str) else rule
        extra = f' Line="{line}"' if line else ""
        lines.append(f'<TEMPLATE MATCH="{_quoted(match)}" Timeout="{timeout}"{extra}/>')
    return dialplan.loads("<DIALTEMPLATE>\n" + "\n".join(lines) + "\n</DIALTEMPLATE>\n")


def text_of(*rules: Rule | str, extra: str = "") -> str:
    return plan_of(*rules).dumps().replace("<DIALTEMPLATE>\n", "<DIALTEMPLATE>\n" + extra, 1)


def element(attributes: str) -> str:
    return f"<DIALTEMPLATE>\n<TEMPLATE {attributes}/>\n</DIALTEMPLATE>\n"


#: Each DPL code with plans that trigger it and the severity it must have there.
TRIGGERS: dict[str, list[tuple[str, str]]] = {
    "DPL001": [("<dialplan><patterns/></dialplan>", "error")],
    "DPL002": [("<DIALTEMPLATE><template MATCH='1'/></DIALTEMPLATE>", "warning")],
    "DPL003": [(element('MATCH="1" Priority="1"'), "error")],
    "DPL004": [(element('MATCH="1" Timeout="-1"'), "error"), (element('Timeout="x"'), "error")],
    "DPL005": [(element('MATCH="1" User="sip"'), "error")],
    "DPL006": [(element('MATCH="1" Route="Backup"'), "error")],
    "DPL007": [
        (element('MATCH="1" Tone="Beep"'), "error"),
        (
            element('MATCH="1,2,3,4" Tone="Cisco-Zip" TONE="Cisco-Zip" tone="Cisco-Zip" ToNe=""'),
            "error",
        ),
    ],
    "DPL008": [(text_of("1" * 70), "warning"), (text_of("1" * 200), "error")],
    "DPL009": [(element('MATCH="1" Line="300"'), "error")],
    "DPL010": [("<DIALTEMPLATE>" + "<!-- pad -->" * 800 + "</DIALTEMPLATE>", "error")],
    "DPL011": [("<DIALTEMPLATE><versionStamp>1</versionStamp></DIALTEMPLATE>", "warning")],
    "DPL012": [(element('MATCH="9.." Tone="Bellcore-Outside"'), "info")],
    "DPL101": [(text_of("9[2-9]XX"), "warning")],
    "DPL102": [(text_of("1..", "1.."), "warning")],
    "DPL103": [(text_of(("12..", 0, 0), ("1,2..", 3, 0)), "warning")],
    "DPL104": [(text_of(".", "2..."), "error"), (text_of(("911", 0, 0), (".", 0, 2)), "error")],
    # `.` wins only on a `#` that is an ordinary digit; `*.` only where `#` means dial now.
    "DPL105": [(text_of(*"0123456789", r"\*", "+", "."), "info"), (text_of("*."), "info")],
    "DPL106": [
        (
            text_of(*("." * pos + d + "." * (9 - pos) for pos in range(10) for d in "0123456789")),
            "info",
        )
    ],
}

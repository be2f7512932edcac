"""The 79x0 SIP parameters (firmware 7.x/8.x) as data: one row per key, with its value type.

Transcribed from the parameter tables of the format notes (``docs/formats/cnf.md`` names the
sources). Keys that carry a line number (``line1_name`` ... ``line6_name``, ``proxy1_port`` ...)
are generated for the six lines of a 7960; :func:`line_number` tells which line a key is for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINES",
    "MODEL_LINES",
    "PARAMETERS",
    "Host",
    "Integer",
    "Keyword",
    "Param",
    "Pattern",
    "Text",
    "ValueType",
    "line_number",
    "lines_for_model",
]

#: The Cisco SIP stack's "maximum length of config file including comments" (0x2000).
MAX_FILE_BYTES = 8192
#: Line keys the phone has, per model; the default check allows the most (a 7960).
MODEL_LINES = {"7940": 2, "7960": 6}
MAX_LINES = 6
#: Values that mean "not set" for every type: CME writes ``""``, community files write
#: ``UNPROVISIONED``, and the Cisco-derived parsers map both to the default.
UNSET = frozenset({"", "UNPROVISIONED"})


@attrs.frozen
class Text:
    """Free text, optionally limited in length (the phone rejects a longer value)."""

    max_length: int | None = None

    def problem(self, value: str, lines: int) -> tuple[str, str] | None:
        if self.max_length is not None and len(value) > self.max_length:
            return "CNF204", f"is {len(value)} characters long; the phone takes at most " + str(
                self.max_length
            )
        return None


@attrs.frozen
class Integer:
    """A decimal integer in ``low..high``; ``bits_per_line`` makes ``high`` 2**lines - 1."""

    low: int = 0
    high: int | None = None
    bits_per_line: bool = False

    def problem(self, value: str, lines: int) -> tuple[str, str] | None:
        # The Cisco-derived parser takes decimal digits only: no sign, no blanks, no hex.
        if not (value.isascii() and value.isdigit()):
            return "CNF201", f"{value!r} is not a decimal integer"
        high = (1 << lines) - 1 if self.bits_per_line else self.high
        number = int(value)
        if number < self.low or (high is not None and number > high):
            upper = "" if high is None else str(high)
            return "CNF202", f"{number} is out of range {self.low}..{upper}"
        return None


@attrs.frozen
class Keyword:
    """One of a fixed set of words, matched case-insensitively as the phone does."""

    choices: tuple[str, ...]

    def problem(self, value: str, lines: int) -> tuple[str, str] | None:
        if value.lower() not in {c.lower() for c in self.choices}:
            return "CNF203", f"{value!r} is not one of {', '.join(self.choices)}"
        return None


_DOTTED = re.compile(
    r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
)
_HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)


@attrs.frozen
class Host:
    """A dotted IPv4 address, or (unless ``dotted_only``) a DNS name."""

    dotted_only: bool = False

    def problem(self, value: str, lines: int) -> tuple[str, str] | None:
        if _DOTTED.fullmatch(value):
            return None
        if self.dotted_only:
            return "CNF205", f"{value!r} is not a dotted IPv4 address"
        if value.isascii() and _HOSTNAME.fullmatch(value) and not value.replace(".", "").isdigit():
            return None
        return "CNF205", f"{value!r} is not a dotted IPv4 address or a host name"


@attrs.frozen
class Pattern:
    """Text that must match a regular expression; ``description`` names the expected form."""

    regex: str
    description: str

    def problem(self, value: str, lines: int) -> tuple[str, str] | None:
        if re.fullmatch(self.regex, value, re.IGNORECASE):
            return None
        return "CNF206", f"{value!r} is not {self.description}"


ValueType = Text | Integer | Keyword | Host | Pattern


@attrs.frozen
class Param:
    """One key the phone knows."""

    name: str
    type: ValueType
    #: Cisco's stated default, where a Cisco source gives one.
    default: str | None = None
    #: ``"D"``: usually in SIPDefault.cnf; ``"S"``: phone-specific (SIP<MAC>.cnf).
    scope: str = "D"


FLAG = Integer(0, 1)
#: 0 off (user may change), 1 on (user may change), 2 off and locked, 3 on and locked.
SCALE = Integer(0, 3)
PORT = Integer(1, 65535)
SECONDS = Integer(0)
MILLISECONDS = Integer(0)
COUNT = Integer(0)
URL = Text()
MONTH = Pattern(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|0?[1-9]|1[0-2]",
    "a month name (April, Oct ...)",
)
DAY_OF_WEEK = Pattern(
    r"(?:sun|mon|tue|wed|thu|fri|sat)[a-z]*|[1-7]", "a day of the week (Sun, Sunday ...)"
)
WEEK_OF_MONTH = Pattern(r"[1-5]|8", "a week of the month (1-5, or 8 for the last)")
DAY_OF_MONTH = Pattern(r"0?[1-9]|[12]\d|3[01]", "a day of the month (1-31)")
HOUR = Pattern(r"(?:[01]?\d|2[0-3])(?::[0-5]\d)?", "an hour (2, 02 or 02:00)")


def _rows() -> Iterable[Param]:
    # 3.1 Image, sync, identity, access
    yield Param("image_version", Text())
    yield Param("sync", Text(32), "1")
    yield Param("phone_label", Text(), scope="S")
    yield Param("phone_prompt", Text(15), "SIP Phone", "S")
    yield Param("phone_password", Text(31), "cisco", "S")
    yield Param("telnet_level", Integer(0, 2), "0")
    yield Param("user_info", Keyword(("none", "phone", "ip")), "none")
    yield Param("language", Text())
    yield Param("tftp_cfg_dir", Text(), "")
    yield Param("logo_url", URL, "")
    yield Param("services_url", URL, "")
    yield Param("directory_url", URL, "")
    yield Param("messages_uri", Text())
    yield Param("dial_template", Text())
    yield Param("autocomplete", FLAG, "1", "S")
    yield Param("time_format_24hr", FLAG, "1")
    yield Param(
        "date_format", Pattern(r"[MDY]{1,2}(?:[/.-][MDY]{1,2}){2}", "a date format (M/D/Y ...)")
    )
    yield Param("Domain_Name", Text(), "")
    # 3.2 Lines
    for n in range(1, MAX_LINES + 1):
        for field in ("name", "authname", "password", "displayname", "shortname", "contact"):
            yield Param(f"line{n}_{field}", Text(), scope="S")
        yield Param(f"proxy{n}_address", Host())
        yield Param(f"proxy{n}_port", PORT, "5060")
    for n in range(1, 6):
        yield Param(f"speed_line{n}", Text(), scope="S")
        yield Param(f"speed_label{n}", Text(), scope="S")
    yield Param("auto_answer", Integer(0, bits_per_line=True), "0", "S")
    # 3.3 Proxies, registration, NAT, transport
    yield Param("proxy_register", FLAG, "0")
    yield Param("timer_register_expires", Integer(1, 3932100), "3600")
    yield Param("timer_register_delta", SECONDS, "5")
    for name in ("proxy_backup", "proxy_emergency"):
        yield Param(name, Host(), "")
        yield Param(f"{name}_port", PORT, "5060")
    yield Param("outbound_proxy", Host(), "")
    yield Param("outbound_proxy_port", PORT, "5060")
    yield Param("nat_enable", FLAG, "0")
    yield Param("nat_address", Host(), "")
    yield Param("nat_received_processing", FLAG, "0")
    yield Param("voip_control_port", PORT, "5060")
    yield Param("start_media_port", PORT, "16384")
    yield Param("end_media_port", PORT, "32766")
    yield Param("remote_party_id", FLAG, "0")
    yield Param("http_proxy_addr", Host(), "")
    yield Param("http_proxy_port", PORT, "80")
    for name in ("dyn_dns_addr_1", "dyn_dns_addr_2", "dyn_tftp_addr"):
        yield Param(name, Host(dotted_only=True), "")
    yield Param(
        "network_media_type",
        Keyword(("Auto", "Full100", "Full10", "Half100", "Half10")),
        "Auto",
    )
    yield Param("network_port2_type", Text())
    # 3.4 Media, DTMF, SIP timers
    yield Param("preferred_codec", Keyword(("g711ulaw", "g711alaw", "g729a", "none")), "g711ulaw")
    yield Param("tos_media", Integer(0, 5), "5")
    yield Param("enable_vad", FLAG, "0")
    yield Param("dtmf_inband", FLAG, "1")
    yield Param("dtmf_outofband", Keyword(("none", "avt", "avt_always")), "avt")
    yield Param("dtmf_db_level", Integer(1, 5), "3")
    yield Param("dtmf_avt_payload", Integer(96, 127), "101")
    yield Param("timer_t1", MILLISECONDS, "500")
    yield Param("timer_t2", MILLISECONDS, "4000")
    yield Param("sip_retx", COUNT, "10")
    yield Param("sip_invite_retx", COUNT, "6")
    yield Param("timer_invite_expires", SECONDS, "180")
    yield Param("call_stats", FLAG, "0")
    # 3.5 Call features
    yield Param("anonymous_call_block", SCALE, "0")
    yield Param("callerid_blocking", SCALE, "0")
    yield Param("dnd_control", SCALE, "0")
    yield Param("call_waiting", SCALE, "1", "S")
    yield Param("call_hold_ringback", SCALE, "0", "S")
    yield Param("cnf_join_enable", FLAG, "1")
    yield Param("semi_attended_transfer", FLAG, "1")
    yield Param("stutter_msg_waiting", FLAG, "0")
    yield Param("local_cfwd_enable", FLAG)
    yield Param("cfwd_url", URL, "")
    yield Param("transfer_onhook_enabled", FLAG, "0")
    # 3.6 Time (SNTP and DST)
    yield Param("sntp_server", Host())
    yield Param(
        "sntp_mode",
        Keyword(("unicast", "multicast", "anycast", "directedbroadcast")),
        "directedbroadcast",
    )
    yield Param("time_zone", Text())
    yield Param("dst_auto_adjust", FLAG, "1")
    yield Param("dst_offset", Pattern(r"-?\d{1,2}(?::[0-5]\d)?", "an offset in hours (1)"))
    for edge in ("start", "stop"):
        yield Param(f"dst_{edge}_month", MONTH)
        yield Param(f"dst_{edge}_day", DAY_OF_MONTH, "")
        yield Param(f"dst_{edge}_day_of_week", DAY_OF_WEEK)
        yield Param(f"dst_{edge}_week_of_month", WEEK_OF_MONTH)
        yield Param(f"dst_{edge}_time", HOUR)


#: Every known key, by its canonical spelling.
PARAMETERS: dict[str, Param] = {param.name: param for param in _rows()}

_LINE_KEY = re.compile(r"(?:line|proxy)(\d+)_|speed_(?:line|label)(\d+)\Z")


def line_number(key: str) -> int | None:
    """The line a ``lineN_*`` or ``proxyN_*`` key is for, else ``None``."""
    match = _LINE_KEY.match(key)
    if match is None or match.group(1) is None:
        return None
    return int(match.group(1))


def lines_for_model(model: str | int | None) -> int:
    """How many lines a model has: ``"7940"``/``"7940G"`` 2, ``"7960"`` 6, unknown 6."""
    if model is None:
        return MAX_LINES
    digits = "".join(ch for ch in str(model) if ch.isdigit())
    return MODEL_LINES.get(digits, MAX_LINES)

"""The 79x0 ``.cnf`` → 79x1 ``SEP<MAC>.cnf.xml`` key map (spec §4.6), as data.

Paths are element names under ``device/``. The map is read in both directions: forward by
:func:`ciscocfg.migrate.cnf_to_sepxml`, backward by :func:`ciscocfg.migrate.sepxml_to_cnf`.
Keys that need more than a one-to-one copy (per-line settings, speed dials, time zone, date
template) are handled in code, but their names are listed here so that the tables below are
the single answer to "what happens to key X".
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

__all__ = [
    "DECISION_KEYS",
    "DROPPED_KEYS",
    "LINE_FIELDS",
    "LINE_GLOBAL_KEYS",
    "LOSSY_DST_KEYS",
    "SCALAR_RULES",
    "TIME_ZONES",
    "Conversion",
    "ScalarRule",
    "line_key",
    "speed_key",
]


class Conversion(enum.Enum):
    """How a ``.cnf`` value becomes element text (and back)."""

    #: Text copied as it is.
    COPY = "copy"
    #: Decimal integer, copied; anything else cannot be carried.
    INTEGER = "integer"
    #: ``0``/``1`` → ``false``/``true``.
    BOOLEAN = "boolean"
    #: The 0–3 feature scale (off/on, user-changeable/locked), the same on both families.
    SCALE = "scale"
    #: ``none``/``phone``/``ip`` → ``None``/``Phone``/``IP``.
    USER_INFO = "user_info"
    #: A file stem: the 79x1 element holds the file name with ``.xml``.
    DIAL_TEMPLATE = "dial_template"


@dataclass(frozen=True, slots=True)
class ScalarRule:
    """One ``.cnf`` key that maps to exactly one element."""

    key: str
    path: tuple[str, ...]
    conversion: Conversion


def _rule(key: str, path: str, conversion: Conversion = Conversion.COPY) -> ScalarRule:
    return ScalarRule(key, tuple(path.split("/")), conversion)


_PROXIES = "sipProfile/sipProxies/"
_STACK = "sipProfile/sipStack/"
_FEATURES = "sipProfile/sipCallFeatures/"
_INT = Conversion.INTEGER
_BOOL = Conversion.BOOLEAN
_SCALE = Conversion.SCALE

#: One key, one element (spec §4.6 rows that say "copy" or a plain value conversion).
SCALAR_RULES: tuple[ScalarRule, ...] = (
    _rule("proxy_register", _PROXIES + "registerWithProxy", _BOOL),
    _rule("proxy_backup", _PROXIES + "backupProxy"),
    _rule("proxy_backup_port", _PROXIES + "backupProxyPort", _INT),
    _rule("proxy_emergency", _PROXIES + "emergencyProxy"),
    _rule("proxy_emergency_port", _PROXIES + "emergencyProxyPort", _INT),
    _rule("outbound_proxy", _PROXIES + "outboundProxy"),
    _rule("outbound_proxy_port", _PROXIES + "outboundProxyPort", _INT),
    _rule("cnf_join_enable", _FEATURES + "cnfJoinEnabled", _BOOL),
    _rule("cfwd_url", _FEATURES + "callForwardURI"),
    _rule("call_hold_ringback", _FEATURES + "callHoldRingback", _SCALE),
    _rule("local_cfwd_enable", _FEATURES + "localCfwdEnable", _BOOL),
    _rule("semi_attended_transfer", _FEATURES + "semiAttendedTransfer", _BOOL),
    _rule("anonymous_call_block", _FEATURES + "anonymousCallBlock", _SCALE),
    _rule("callerid_blocking", _FEATURES + "callerIdBlocking", _SCALE),
    _rule("dnd_control", _FEATURES + "dndControl", _SCALE),
    _rule("sip_invite_retx", _STACK + "sipInviteRetx", _INT),
    _rule("sip_retx", _STACK + "sipRetx", _INT),
    _rule("timer_invite_expires", _STACK + "timerInviteExpires", _INT),
    _rule("timer_register_expires", _STACK + "timerRegisterExpires", _INT),
    _rule("timer_register_delta", _STACK + "timerRegisterDelta", _INT),
    _rule("timer_t1", _STACK + "timerT1", _INT),
    _rule("timer_t2", _STACK + "timerT2", _INT),
    _rule("remote_party_id", _STACK + "remotePartyID", _BOOL),
    _rule("user_info", _STACK + "userInfo", Conversion.USER_INFO),
    _rule("transfer_onhook_enabled", "sipProfile/transferOnhookEnabled", _BOOL),
    _rule("enable_vad", "sipProfile/enableVad", _BOOL),
    _rule("preferred_codec", "sipProfile/preferredCodec"),
    _rule("dtmf_avt_payload", "sipProfile/dtmfAvtPayload", _INT),
    _rule("dtmf_db_level", "sipProfile/dtmfDbLevel", _INT),
    _rule("dtmf_outofband", "sipProfile/dtmfOutofBand"),
    _rule("nat_enable", "sipProfile/natEnabled", _BOOL),
    _rule("nat_address", "sipProfile/natAddress"),
    _rule("nat_received_processing", "sipProfile/natReceivedProcessing", _BOOL),
    _rule("phone_label", "sipProfile/phoneLabel"),
    _rule("stutter_msg_waiting", "sipProfile/stutterMsgWaiting", _BOOL),
    _rule("call_stats", "sipProfile/callStats", _BOOL),
    _rule("start_media_port", "sipProfile/startMediaPort", _INT),
    # The one renamed key: end_media_port is stopMediaPort in XML.
    _rule("end_media_port", "sipProfile/stopMediaPort", _INT),
    _rule("voip_control_port", "sipProfile/voipControlPort", _INT),
    _rule("dial_template", "sipProfile/dialTemplate", Conversion.DIAL_TEMPLATE),
    _rule("sntp_server", "devicePool/dateTimeSetting/ntps/ntp/name"),
    _rule("sntp_mode", "devicePool/dateTimeSetting/ntps/ntp/ntpMode"),
    _rule("services_url", "servicesURL"),
    _rule("directory_url", "directoryURL"),
)

#: ``lineN_<field>`` → child of ``sipLines/line[@button=N]``.
LINE_FIELDS: dict[str, str] = {
    "name": "name",
    "authname": "authName",
    "password": "authPassword",
    "displayname": "displayName",
    "shortname": "featureLabel",
    "contact": "contact",
}

#: Phone-wide keys that the 79x1 holds once per line: key → child of each ``line``.
LINE_GLOBAL_KEYS: dict[str, str] = {
    "messages_uri": "messagesNumber",
    "call_waiting": "callWaiting",
    # auto_answer is a bit mask; bit N-1 becomes line N's autoAnswer/autoAnswerEnabled.
    "auto_answer": "autoAnswer/autoAnswerEnabled",
}

#: Keys with no 79x1 element: not carried, each reported with the reason.
DROPPED_KEYS: dict[str, str] = {
    "telnet_level": "79x1 phones have no telnet; SSH is set with sshUserId/sshPassword",
    "sync": "79x1 phones do not use syncinfo.xml; a reset is sent from the call control",
    "autocomplete": "79x1 phones have no number autocompletion setting in the config file",
    "logo_url": "79x1 phones take a background image, not a logo URL",
    "tftp_cfg_dir": "79x1 phones read SEP<MAC>.cnf.xml from the TFTP root only",
    "language": "79x1 phones take userLocale, which needs a locale package on the server",
    "phone_prompt": "79x1 phones have no console prompt",
    "dtmf_inband": "79x1 phones choose in-band DTMF from the negotiated codec",
    "network_media_type": "79x1 phones set the network port speed in vendorConfig per model",
    "network_port2_type": "79x1 phones set the PC port in vendorConfig per model",
    "http_proxy_addr": "79x1 phones have no HTTP proxy setting",
    "http_proxy_port": "79x1 phones have no HTTP proxy setting",
    "dyn_dns_addr_1": "79x1 phones take DNS servers from DHCP only",
    "dyn_dns_addr_2": "79x1 phones take DNS servers from DHCP only",
    "dyn_tftp_addr": "79x1 phones take the TFTP server from DHCP (or the settings menu)",
    "Domain_Name": "79x1 phones take the DNS domain from DHCP",
    "proxy_register_expires": "not a 79x0 key either; use timer_register_expires",
}

#: Keys that can be carried only after a person decides how: not carried, reported why.
DECISION_KEYS: dict[str, str] = {
    "tos_media": (
        "tos_media is an IP precedence (5 = TOS byte 160) while dscpForAudio holds a TOS byte "
        "whose usual value 184 is EF; set dscpForAudio to 160 or 184 by your network's policy"
    ),
}

#: Daylight-saving keys: the 79x1 time zone carries its own DST rule, so these are not carried.
LOSSY_DST_KEYS: frozenset[str] = frozenset(
    {
        "dst_auto_adjust",
        "dst_offset",
        "dst_start_month",
        "dst_start_day",
        "dst_start_day_of_week",
        "dst_start_week_of_month",
        "dst_start_time",
        "dst_stop_month",
        "dst_stop_day",
        "dst_stop_day_of_week",
        "dst_stop_week_of_month",
        "dst_stop_time",
    }
)

#: 79x0 ``time_zone`` abbreviations → 79x1 ``timeZone`` names (with their own DST rules).
TIME_ZONES: dict[str, str] = {
    "GMT": "GMT Standard/Daylight Time",
    "UTC": "Greenwich Standard Time",
    "WET": "GMT Standard/Daylight Time",
    "CET": "Central Europe Standard/Daylight Time",
    "MET": "Central Europe Standard/Daylight Time",
    "EET": "E. Europe Standard/Daylight Time",
    "MSK": "Russian Standard/Daylight Time",
    "IST": "India Standard Time",
    "JST": "Tokyo Standard Time",
    "AEST": "AUS Eastern Standard/Daylight Time",
    "NZST": "New Zealand Standard/Daylight Time",
    "HST": "Hawaiian Standard Time",
    "AKST": "Alaskan Standard/Daylight Time",
    "PST": "Pacific Standard/Daylight Time",
    "MST": "Mountain Standard/Daylight Time",
    "CST": "Central Standard/Daylight Time",
    "EST": "Eastern Standard/Daylight Time",
    "AST": "Atlantic Standard/Daylight Time",
}

_LINE_KEY = re.compile(r"line([1-9][0-9]?)_(name|authname|password|displayname|shortname|contact)")
_PROXY_KEY = re.compile(r"proxy([1-9][0-9]?)_(address|port)")
_SPEED_KEY = re.compile(r"speed_(line|label)([1-9][0-9]?)")


def line_key(key: str) -> tuple[int, str] | None:
    """``line2_authname`` → ``(2, "authName")``, ``proxy2_port`` → ``(2, "port")``, else None."""
    if m := _LINE_KEY.fullmatch(key):
        return int(m.group(1)), LINE_FIELDS[m.group(2)]
    if m := _PROXY_KEY.fullmatch(key):
        return int(m.group(1)), "proxy" if m.group(2) == "address" else "port"
    return None


def speed_key(key: str) -> tuple[int, str] | None:
    """``speed_line3`` → ``(3, "speedDialNumber")``, ``speed_label3`` → ``(3, "featureLabel")``."""
    if m := _SPEED_KEY.fullmatch(key):
        field = "speedDialNumber" if m.group(1) == "line" else "featureLabel"
        return int(m.group(2)), field
    return None

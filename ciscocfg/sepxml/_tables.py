"""Device-type ids, load-name families and the element sets the validator knows."""

from __future__ import annotations

import re

__all__ = [
    "BOOLEAN_ELEMENTS",
    "DEVICE_TYPES",
    "INTEGER_ELEMENTS",
    "KNOWN_MIXUPS",
    "LENGTH_LIMITS",
    "LOAD_ELEMENT",
    "SIP_STACK_INTEGERS",
    "UNSET",
    "URL_ELEMENTS",
    "atoi",
    "load_family",
    "load_protocol",
    "model_number",
]

DEVICE_TYPES: dict[int, str] = {
    6: "7910",
    7: "7960",
    8: "7940",
    9: "7935",
    12: "ATA 186",
    115: "7941",
    119: "7971",
    124: "7914",
    302: "7985",
    412: "3951",
    446: "3911",
    227: "7915",
    228: "7915",
    229: "7916",
    230: "7916",
    307: "7911",
    308: "7961G-GE",
    309: "7941G-GE",
    348: "7931",
    365: "7921",
    369: "7906",
    404: "7962",
    431: "7937",
    434: "7942",
    435: "7945",
    436: "7965",
    437: "7975",
    484: "7925",
    493: "9971",
    495: "6921",
    496: "6941",
    497: "6961",
    537: "9951",
    540: "8961",
    547: "6901",
    548: "6911",
    550: "ATA 187",
    564: "6945",
    585: "8945",
    586: "8941",
    592: "3905",
    621: "7821",
    622: "7841",
    623: "7861",
    647: "DX650",
    659: "8831",
    683: "8841",
    684: "8851",
    685: "8861",
    20000: "7905",
    30002: "7920",
    30006: "7970",
    30007: "7912",
    30008: "7902",
    30016: "IP Communicator",
    30018: "7961",
    30019: "7936",
}

#: Ids that real templates label wrongly, with what is known about them.
KNOWN_MIXUPS = {
    5: "id 5 is the old '30 VIP' in one table and 'Cisco 7961' in another; 7961 is 30018",
}

MODEL_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")
LOAD_ELEMENT = re.compile(r"loadInformation(\d+)")
LEADING_INT = re.compile(r"\s*[+-]?\d+")

#: The integer children of ``sipProfile/sipStack``, in the order a CallManager writes them
#: (``remotePartyID`` and ``userInfo`` follow them).
SIP_STACK_INTEGERS = (
    "sipInviteRetx",
    "sipRetx",
    "timerInviteExpires",
    "timerRegisterExpires",
    "timerRegisterDelta",
    "timerKeepAliveExpires",
    "timerSubscribeExpires",
    "timerSubscribeDelta",
    "timerT1",
    "timerT2",
    "maxRedirects",
)

BOOLEAN_ELEMENTS = frozenset(
    {
        "fullConfig",
        "registerWithProxy",
        "cnfJoinEnabled",
        "rfc2543Hold",
        "localCfwdEnable",
        "semiAttendedTransfer",
        "retainForwardInformation",
        "remotePartyID",
        "enableVad",
        "natEnabled",
        "natReceivedProcessing",
        "natRecievedProcessing",
        "callStats",
        "autoAnswerOverride",
        "transferOnhookEnabled",
        "alwaysUsePrimeLine",
        "alwaysUsePrimeLineVoiceMail",
        "disableLocalSpeedDialConfig",
        "allowAutoConfig",
        "dadEnable",
        "autoCallPickupEnable",
    }
)
INTEGER_ELEMENTS = frozenset(
    {
        "ethernetPhonePort",
        "sipPort",
        "securedSipPort",
        "backupProxyPort",
        "emergencyProxyPort",
        "outboundProxyPort",
        *SIP_STACK_INTEGERS,
        "startMediaPort",
        "stopMediaPort",
        "voipControlPort",
        "dscpForAudio",
        "autoAnswerTimer",
        "dtmfAvtPayload",
        "maxNumCalls",
        "busyTrigger",
        "featureID",
        "idleTimeout",
        "port",
    }
)
LENGTH_LIMITS = {
    "name": 30,
    "displayName": 30,
    "authName": 30,
    "authPassword": 30,
    "featureLabel": 30,
    "phoneLabel": 12,
}
URL_ELEMENTS = (
    "authenticationURL",
    "secureAuthenticationURL",
    "directoryURL",
    "secureDirectoryURL",
    "idleURL",
    "secureIdleURL",
    "informationURL",
    "secureInformationURL",
    "messagesURL",
    "secureMessagesURL",
    "servicesURL",
    "secureServicesURL",
    "proxyServerURL",
)
UNSET = frozenset({"", "UNPROVISIONED"})


def atoi(text: str | None) -> int | None:
    """The integer the phone reads (C ``atoi``: leading digits), or ``None`` without digits."""
    if text is None:
        return None
    m = LEADING_INT.match(text)
    return int(m.group()) if m else None


def load_family(load: str) -> frozenset[str] | None:
    """The models a load name is built for (``"SIP41.9-4-2SR3-1S"`` → 7941/7961), or ``None``.

    The name is decoded by :func:`ciscocfg.firmware.parse`; ``None`` for a name that does not
    decode or names no phone model.
    """
    from ciscocfg import firmware
    from ciscocfg._errors import ParseError

    try:
        models = firmware.parse(load.strip()).models
    except ParseError:
        return None
    return frozenset(models) or None


def model_number(label: str) -> str | None:
    m = MODEL_NUMBER.search(label)
    return m.group(1) if m else None


def load_protocol(load: str) -> str | None:
    """``"SIP"``, ``"SCCP"`` or ``"MGCP"`` when a load name says which, else ``None``."""
    upper = load.strip().upper()
    for prefix, protocol in (
        ("SIP", "SIP"),
        ("SCCP", "SCCP"),
        ("P0S", "SIP"),
        ("P00", "SCCP"),
        ("P0M", "MGCP"),
    ):
        if upper.startswith(prefix):
            return protocol
    return None

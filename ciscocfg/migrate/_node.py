"""A small element tree for writing (and reading back) the XML a migration produces.

The migration builds its output as plain nodes in the element order a CallManager-written
``SEP<MAC>.cnf.xml`` uses, renders them as text and hands the text to the hardened
:mod:`ciscocfg.sepxml` codec. Building text here (rather than through lxml) keeps XML parsing in
one hardened place and makes the output byte-stable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ciscocfg.sepxml._tables import SIP_STACK_INTEGERS

__all__ = ["ELEMENT_ORDER", "Node"]

#: Child order per parent element (spec §4.1); unknown children go after the known ones.
ELEMENT_ORDER: dict[str, tuple[str, ...]] = {
    "device": (
        "fullConfig",
        "deviceProtocol",
        "sshUserId",
        "sshPassword",
        "devicePool",
        "sipProfile",
        "MissedCallLoggingOption",
        "commonProfile",
        "loadInformation",
        "vendorConfig",
        "versionStamp",
        "userLocale",
        "networkLocale",
        "networkLocaleInfo",
        "deviceSecurityMode",
        "authenticationURL",
        "messagesURL",
        "servicesURL",
        "directoryURL",
        "informationURL",
        "idleURL",
        "idleTimeout",
        "proxyServerURL",
        "transportLayerProtocol",
    ),
    "devicePool": ("name", "dateTimeSetting", "callManagerGroup"),
    "dateTimeSetting": ("name", "dateTemplate", "timeZone", "ntps"),
    "ntp": ("name", "ntpMode"),
    "sipProfile": (
        "sipProxies",
        "sipCallFeatures",
        "sipStack",
        "autoAnswerTimer",
        "autoAnswerAltBehavior",
        "autoAnswerOverride",
        "transferOnhookEnabled",
        "enableVad",
        "preferredCodec",
        "dtmfAvtPayload",
        "dtmfDbLevel",
        "dtmfOutofBand",
        "alwaysUsePrimeLine",
        "alwaysUsePrimeLineVoiceMail",
        "kpml",
        "natEnabled",
        "natAddress",
        "natReceivedProcessing",
        "phoneLabel",
        "stutterMsgWaiting",
        "callStats",
        "offhookToFirstDigitTimer",
        "silentPeriodBetweenCallWaitingBursts",
        "disableLocalSpeedDialConfig",
        "startMediaPort",
        "stopMediaPort",
        "sipLines",
        "externalNumberMask",
        "voipControlPort",
        "dscpForAudio",
        "dscpVideo",
        "ringSettingBusyStationPolicy",
        "dialTemplate",
        "softKeyFile",
    ),
    "sipProxies": (
        "backupProxy",
        "backupProxyPort",
        "emergencyProxy",
        "emergencyProxyPort",
        "outboundProxy",
        "outboundProxyPort",
        "registerWithProxy",
    ),
    "sipCallFeatures": (
        "cnfJoinEnabled",
        "callForwardURI",
        "callPickupURI",
        "callPickupListURI",
        "callPickupGroupURI",
        "meetMeServiceURI",
        "abbreviatedDialURI",
        "rfc2543Hold",
        "callHoldRingback",
        "localCfwdEnable",
        "semiAttendedTransfer",
        "anonymousCallBlock",
        "callerIdBlocking",
        "dndControl",
        "remoteCcEnable",
    ),
    "sipStack": (*SIP_STACK_INTEGERS, "remotePartyID", "userInfo"),
    "line": (
        "featureID",
        "featureLabel",
        "speedDialNumber",
        "proxy",
        "port",
        "name",
        "displayName",
        "autoAnswer",
        "callWaiting",
        "authName",
        "authPassword",
        "contact",
        "sharedLine",
        "messageWaitingLampPolicy",
        "messagesNumber",
        "ringSettingIdle",
        "ringSettingActive",
    ),
}


@dataclass
class Node:
    """One element: tag, attributes, text and children (in insertion order)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    children: list[Node] = field(default_factory=list)

    def find(self, path: tuple[str, ...] | str) -> Node | None:
        """The first descendant along ``path`` (``"a/b"`` or a tuple), or None."""
        parts = tuple(path.split("/")) if isinstance(path, str) else path
        node: Node | None = self
        for part in parts:
            assert node is not None
            node = next((c for c in node.children if c.tag == part), None)
            if node is None:
                return None
        return node

    def ensure(self, path: tuple[str, ...] | str) -> Node:
        """The descendant along ``path``, creating missing elements on the way."""
        parts = tuple(path.split("/")) if isinstance(path, str) else path
        node = self
        for part in parts:
            found = next((c for c in node.children if c.tag == part), None)
            if found is None:
                found = Node(part)
                node.children.append(found)
            node = found
        return node

    def add(self, tag: str, text: str | None = None, **attrs: str) -> Node:
        """Append a new child (even when one with the same tag exists)."""
        child = Node(tag, dict(attrs), text)
        self.children.append(child)
        return child

    def ordered_children(self) -> list[Node]:
        """Children in the canonical order for this element, stable for unknown tags."""
        order = ELEMENT_ORDER.get(self.tag)
        if order is None:
            return list(self.children)
        rank = {tag: i for i, tag in enumerate(order)}
        return sorted(self.children, key=lambda c: rank.get(c.tag, len(order)))

    def render(self, indent: str = "  ", level: int = 0) -> str:
        """This element as indented XML text (LF line ends, no declaration)."""
        pad = indent * level
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in self.attrs.items())
        if not self.children:
            text = escape(self.text or "")
            return f"{pad}<{self.tag}{attrs}>{text}</{self.tag}>\n"
        inner = "".join(c.render(indent, level + 1) for c in self.ordered_children())
        return f"{pad}<{self.tag}{attrs}>\n{inner}{pad}</{self.tag}>\n"

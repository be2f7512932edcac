"""``SEP<MAC>.cnf.xml`` and ``XMLDefault.cnf.xml``: the XML configuration of the 79x1 phones
(7906/7911/7941/7961/7970 ...) and of the SCCP loads of the 7940/7960.

:func:`loads` keeps the text it was given: :meth:`DeviceConfig.dumps` gives it back byte for
byte until an edit is made, and an edit (:meth:`DeviceConfig.set`, the property setters,
:meth:`DeviceConfig.set_line`) rewrites only the element it touches. Elements the model does not
know are kept as they are.

The typed properties (:attr:`DeviceConfig.protocol`, :attr:`DeviceConfig.lines`,
:attr:`DeviceConfig.call_managers` ...) read the element tree the way the phone does: element
names are compared case-sensitively and values are the raw text. :func:`validate` reports what
the phone would reject or misread as :class:`~ciscocfg.Diagnostic` findings with ``XMLnnn``
codes (see ``docs/formats/sepxml.md``).
"""

from __future__ import annotations

import re

import attrs

from ciscocfg._diagnostic import Diagnostic, Severity
from ciscocfg._errors import ValidationError
from ciscocfg._text import PathOrFile, encode_text, read_source, write_target
from ciscocfg._xml import Element, XmlDocument, escape_text, parse

__all__ = [
    "DEVICE_TYPES",
    "CallManager",
    "DefaultLoad",
    "DeviceConfig",
    "Line",
    "dump",
    "dumps",
    "load",
    "load_family",
    "load_protocol",
    "loads",
    "new_sccp",
    "new_sip",
    "validate",
]

#: CallManager device-type ids as they appear in ``loadInformation<ID>`` element names of
#: ``XMLDefault.cnf.xml``, with the model each id stands for.
DEVICE_TYPES: dict[int, str] = {
    6: "7910",
    7: "7960",
    8: "7940",
    9: "7935",
    12: "ATA 186",
    115: "7941",
    119: "7971",
    124: "7914",
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
    537: "9951",
    540: "8961",
    621: "7821",
    622: "7841",
    623: "7861",
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
_KNOWN_MIXUPS = {
    5: "id 5 is the old '30 VIP' in one table and 'Cisco 7961' in another; 7961 is 30018",
}

# Load-name prefixes and the phone families they are built for. Longest prefix first, so that
# e.g. "SCCP41" is not taken for a shorter entry.
_FAMILIES: list[tuple[str, frozenset[str]]] = sorted(
    [
        (prefix, frozenset(models))
        for prefixes, models in [
            (("P0S3", "P003", "P0M3", "P0A3"), ("7940", "7960")),
            (("SIP41", "SCCP41", "TERM41", "TERM61"), ("7941", "7961")),
            (("SIP42", "SCCP42", "TERM42", "TERM62"), ("7942", "7962")),
            (("SIP45", "SCCP45", "TERM45", "TERM65"), ("7945", "7965")),
            (("SIP70", "SCCP70", "TERM70", "TERM71"), ("7970", "7971")),
            (("SIP75", "SCCP75", "TERM75"), ("7975",)),
            (("SIP11", "SCCP11", "TERM11", "TERM06"), ("7911", "7906")),
            (("SIP31", "SCCP31", "TERM31"), ("7931",)),
            (("CP7912",), ("7912",)),
            (("CP7905",), ("7905",)),
            (("CP7902",), ("7902",)),
            (("CMTERM_7920",), ("7920",)),
            (("CP7921",), ("7921",)),
            (("CP7925",), ("7925",)),
        ]
        for prefix in prefixes
    ],
    key=lambda item: -len(item[0]),
)

_MODEL_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_LOAD_ELEMENT = re.compile(r"loadInformation(\d+)")
_LEADING_INT = re.compile(r"\s*[+-]?\d+")

_BOOLEAN_ELEMENTS = frozenset(
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
_INTEGER_ELEMENTS = frozenset(
    {
        "ethernetPhonePort",
        "sipPort",
        "securedSipPort",
        "backupProxyPort",
        "emergencyProxyPort",
        "outboundProxyPort",
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
_LENGTH_LIMITS = {
    "name": 30,
    "displayName": 30,
    "authName": 30,
    "authPassword": 30,
    "featureLabel": 30,
    "phoneLabel": 12,
}
_URL_ELEMENTS = (
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
_UNSET = frozenset({"", "UNPROVISIONED"})


def _atoi(text: str | None) -> int | None:
    """The integer the phone reads (C ``atoi``: leading digits), or ``None`` without digits."""
    if text is None:
        return None
    m = _LEADING_INT.match(text)
    return int(m.group()) if m else None


def load_family(load: str) -> frozenset[str] | None:
    """The models a load name is built for (``"SIP41.9-4-2SR3-1S"`` → 7941/7961), or ``None``.

    Only the name's prefix is looked at; the firmware module parses names fully.
    """
    upper = load.strip().upper()
    for prefix, models in _FAMILIES:
        if upper.startswith(prefix):
            return models
    return None


def _model_number(label: str) -> str | None:
    m = _MODEL_NUMBER.search(label)
    return m.group(1) if m else None


@attrs.frozen
class CallManager:
    """One ``callManagerGroup/members/member``: where the phone registers."""

    priority: int | None
    name: str | None
    process_node_name: str | None
    ethernet_phone_port: int | None
    sip_port: int | None
    secured_sip_port: int | None
    line: int


@attrs.frozen
class Line:
    """One ``sipLines/line``: a line key (featureID 9), a speed dial (2, 21) or another feature.

    ``fields`` holds the text of every child element by name (the first of a name wins, as in
    the phone's parser), including those without a named attribute here.
    """

    button: int | None
    line_index: str | None
    feature_id: int | None
    feature_label: str | None
    name: str | None
    display_name: str | None
    auth_name: str | None
    auth_password: str | None
    proxy: str | None
    port: int | None
    contact: str | None
    speed_dial_number: str | None
    messages_number: str | None
    fields: dict[str, str]
    line: int

    @property
    def is_line(self) -> bool:
        """True for a directory-number line (featureID 9, or none given)."""
        return self.feature_id in (None, 9)

    @property
    def is_speed_dial(self) -> bool:
        """True for a speed dial or BLF speed dial (featureID 2 or 21)."""
        return self.feature_id in (2, 21)


@attrs.frozen
class DefaultLoad:
    """One ``loadInformation<ID> model="..."`` entry of ``XMLDefault.cnf.xml``."""

    device_type: int
    model: str | None
    load: str
    line: int

    @property
    def known_model(self) -> str | None:
        """The model the device-type id stands for (:data:`DEVICE_TYPES`), or ``None``."""
        return DEVICE_TYPES.get(self.device_type)


def _texts(element: Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if element is not None:
        for kid in element.children:
            out.setdefault(kid.name, kid.text)
    return out


class DeviceConfig(XmlDocument):
    """A ``SEP<MAC>.cnf.xml`` (root ``device``) or ``XMLDefault.cnf.xml`` (root ``Default``).

    Paths given to :meth:`get`, :meth:`set`, :meth:`find` and :meth:`remove` are element names
    below the root separated by ``/``, e.g. ``"sipProfile/sipStack/timerT1"``.
    """

    __slots__ = ()

    # -- what kind of file ----------------------------------------------------------------------

    @property
    def is_default(self) -> bool:
        """True for ``XMLDefault.cnf.xml`` (root ``Default``, any case)."""
        return self.root_name.lower() == "default"

    # -- identity and firmware ------------------------------------------------------------------

    @property
    def protocol(self) -> str | None:
        """``deviceProtocol`` as written (``"SIP"`` or ``"SCCP"``), or ``None``."""
        return self.get("deviceProtocol")

    @protocol.setter
    def protocol(self, value: str) -> None:
        self.set("deviceProtocol", value)

    @property
    def load_information(self) -> str | None:
        """``loadInformation``: the firmware load name as written (no extension expected)."""
        return self.get("loadInformation")

    @load_information.setter
    def load_information(self, value: str) -> None:
        self.set("loadInformation", value)

    @property
    def version_stamp(self) -> str | None:
        """``versionStamp`` as written."""
        return self.get("versionStamp")

    # -- call control ---------------------------------------------------------------------------

    def _call_manager_group(self) -> Element | None:
        return self.find("devicePool/callManagerGroup") or self.find("callManagerGroup")

    @property
    def call_managers(self) -> list[CallManager]:
        """The ``callManagerGroup`` members (under ``devicePool``, or the root in defaults)."""
        group = self._call_manager_group()
        members = group.child("members") if group is not None else None
        out: list[CallManager] = []
        for member in members.children if members is not None else []:
            if member.name != "member":
                continue
            priority = member.attribute("priority")
            cm = member.child("callManager")
            fields = _texts(cm)
            ports = _texts(cm.child("ports") if cm is not None else None)
            out.append(
                CallManager(
                    priority=_atoi(priority.value) if priority is not None else None,
                    name=fields.get("name"),
                    process_node_name=fields.get("processNodeName"),
                    ethernet_phone_port=_atoi(ports.get("ethernetPhonePort")),
                    sip_port=_atoi(ports.get("sipPort")),
                    secured_sip_port=_atoi(ports.get("securedSipPort")),
                    line=self._line(member),
                )
            )
        return out

    @property
    def sip_proxies(self) -> dict[str, str]:
        """The children of ``sipProfile/sipProxies`` (``backupProxy``, ``registerWithProxy``)."""
        return _texts(self.find("sipProfile/sipProxies"))

    def set_sip_proxy(self, name: str, value: str) -> None:
        """Set ``sipProfile/sipProxies/<name>`` (e.g. ``"backupProxy"``)."""
        self.set(f"sipProfile/sipProxies/{name}", value)

    @property
    def sip_stack(self) -> dict[str, str]:
        """The children of ``sipProfile/sipStack`` (``timerT1``, ``sipRetx`` ...)."""
        return _texts(self.find("sipProfile/sipStack"))

    def set_sip_stack(self, name: str, value: str | int) -> None:
        """Set ``sipProfile/sipStack/<name>`` (e.g. ``"timerT1"``)."""
        self.set(f"sipProfile/sipStack/{name}", str(value))

    @property
    def sip_call_features(self) -> dict[str, str]:
        """The children of ``sipProfile/sipCallFeatures``."""
        return _texts(self.find("sipProfile/sipCallFeatures"))

    @property
    def sip_profile(self) -> dict[str, str]:
        """The leaf children of ``sipProfile`` (``phoneLabel``, ``dialTemplate`` ...)."""
        profile = self.find("sipProfile")
        if profile is None:
            return {}
        return {k.name: k.text for k in profile.children if not k.children}

    @property
    def dial_template(self) -> str | None:
        """``sipProfile/dialTemplate``: the dial plan file name (with ``.xml``)."""
        return self.get("sipProfile/dialTemplate")

    def _line_elements(self) -> list[Element]:
        lines = self.find("sipProfile/sipLines")
        return [e for e in lines.children if e.name == "line"] if lines is not None else []

    @property
    def lines(self) -> list[Line]:
        """Every ``sipProfile/sipLines/line`` in document order (lines and feature keys)."""
        out = []
        for element in self._line_elements():
            f = _texts(element)
            button = element.attribute("button")
            index = element.attribute("lineIndex")
            out.append(
                Line(
                    button=_atoi(button.value) if button is not None else None,
                    line_index=index.value if index is not None else None,
                    feature_id=_atoi(f.get("featureID")),
                    feature_label=f.get("featureLabel"),
                    name=f.get("name"),
                    display_name=f.get("displayName"),
                    auth_name=f.get("authName"),
                    auth_password=f.get("authPassword"),
                    proxy=f.get("proxy"),
                    port=_atoi(f.get("port")),
                    contact=f.get("contact"),
                    speed_dial_number=f.get("speedDialNumber"),
                    messages_number=f.get("messagesNumber"),
                    fields=f,
                    line=self._line(element),
                )
            )
        return out

    @property
    def speed_dials(self) -> list[Line]:
        """The speed-dial keys (featureID 2 and 21) among :attr:`lines`."""
        return [line for line in self.lines if line.is_speed_dial]

    def set_line(self, button: int, **fields: str) -> None:
        """Set children of the ``line`` with ``button``, creating the line when missing.

        Keyword names are element names (``name="1001", authPassword="s3cret"``). A new line
        gets ``featureID`` 9 unless one is given, and is appended to ``sipLines``.
        """
        element = self._find_line(button)
        if element is None:
            lines = self.set_element("sipProfile/sipLines")
            self._add_child(lines, "line")
            fresh = self.find("sipProfile/sipLines")
            assert fresh is not None
            self._set_attribute(fresh.children[-1], "button", str(button))
            fields = {"featureID": "9", **fields}
        for name, value in fields.items():
            element = self._find_line(button)
            assert element is not None
            kid = element.child(name)
            if kid is None:
                self._add_child(element, name, escape_text(value))
            else:
                self._set_text(kid, value)

    def _find_line(self, button: int) -> Element | None:
        for element in self._line_elements():
            attr = element.attribute("button")
            if attr is not None and _atoi(attr.value) == button:
                return element
        return None

    def remove_line(self, button: int) -> bool:
        """Remove the ``line`` with ``button``; ``False`` when there was none."""
        element = self._find_line(button)
        if element is None:
            return False
        self._remove_element(element)
        return True

    # -- the rest of the device -----------------------------------------------------------------

    @property
    def urls(self) -> dict[str, str]:
        """The service URLs present at the root (``servicesURL``, ``directoryURL`` ...)."""
        present = _texts(self.root)
        return {name: present[name] for name in _URL_ELEMENTS if name in present}

    def set_url(self, name: str, value: str) -> None:
        """Set a service URL at the root (``"servicesURL"``, ``"directoryURL"`` ...)."""
        if name not in _URL_ELEMENTS:
            raise ValidationError(f"not a service URL element: {name!r}")
        self.set(name, value)

    @property
    def user_locale(self) -> str | None:
        """``userLocale/name`` (e.g. ``English_United_States``)."""
        return self.get("userLocale/name")

    @user_locale.setter
    def user_locale(self, value: str) -> None:
        self.set("userLocale/name", value)

    @property
    def network_locale(self) -> str | None:
        """``networkLocale``, or else ``networkLocaleInfo/name``."""
        value = self.get("networkLocale")
        return value if value is not None else self.get("networkLocaleInfo/name")

    @property
    def time_zone(self) -> str | None:
        """``devicePool/dateTimeSetting/timeZone``."""
        return self.get("devicePool/dateTimeSetting/timeZone")

    @time_zone.setter
    def time_zone(self, value: str) -> None:
        self.set("devicePool/dateTimeSetting/timeZone", value)

    @property
    def vendor_config(self) -> dict[str, str]:
        """The children of ``vendorConfig`` (model-specific switches such as ``webAccess``)."""
        return _texts(self.find("vendorConfig"))

    def set_vendor_config(self, name: str, value: str | int) -> None:
        """Set ``vendorConfig/<name>`` (e.g. ``"webAccess"``, ``0``)."""
        self.set(f"vendorConfig/{name}", str(value))

    def set_call_manager(
        self,
        host: str,
        *,
        priority: int = 0,
        sip_port: int | None = None,
        ethernet_phone_port: int | None = None,
    ) -> None:
        """Point the call-manager ``member`` of ``priority`` at ``host`` (and ports).

        The member is created (under ``devicePool/callManagerGroup/members``) when missing.
        """
        group = "devicePool/callManagerGroup"
        if self.find(group) is None and self.find("callManagerGroup") is not None:
            group = "callManagerGroup"  # XMLDefault.cnf.xml keeps it at the root
        members = self.set_element(f"{group}/members")
        member = self._member(members, priority)
        if member is None:
            self._add_markup(members, f'<member priority="{priority}"><callManager/></member>')
            members = self.set_element(f"{group}/members")
            member = self._member(members, priority)
            assert member is not None
        index = [m for m in members.children if m.name == "member"].index(member)

        def current() -> Element:
            fresh = self.set_element(f"{group}/members")
            found = [m for m in fresh.children if m.name == "member"][index]
            cm = found.child("callManager")
            assert cm is not None
            return cm

        updates = [("processNodeName", host)]
        if sip_port is not None:
            updates.append(("ports/sipPort", str(sip_port)))
        if ethernet_phone_port is not None:
            updates.append(("ports/ethernetPhonePort", str(ethernet_phone_port)))
        for path, value in updates:
            node = current()
            steps = path.split("/")
            for step in steps[:-1]:
                kid = node.child(step)
                if kid is None:
                    self._add_child(node, step)
                    node = current()
                    kid = node.child(step)
                    assert kid is not None
                node = kid
            leaf = node.child(steps[-1])
            if leaf is None:
                self._add_child(node, steps[-1], escape_text(value))
            else:
                self._set_text(leaf, value)

    @staticmethod
    def _member(members: Element, priority: int) -> Element | None:
        for member in members.children:
            attr = member.attribute("priority")
            if member.name == "member" and attr is not None and _atoi(attr.value) == priority:
                return member
        return None

    # -- XMLDefault.cnf.xml ---------------------------------------------------------------------

    @property
    def default_loads(self) -> list[DefaultLoad]:
        """The ``loadInformation<ID>`` entries at the root, in document order."""
        out = []
        for element in self.root.children:
            m = _LOAD_ELEMENT.fullmatch(element.name)
            if m is None:
                continue
            model = element.attribute("model")
            out.append(
                DefaultLoad(
                    device_type=int(m.group(1)),
                    model=model.value if model is not None else None,
                    load=element.text,
                    line=self._line(element),
                )
            )
        return out

    def set_default_load(self, device_type: int, load: str, *, model: str | None = None) -> None:
        """Set the load of ``loadInformation<device_type>``, adding the element when missing.

        A new element gets ``model="Cisco <model>"`` from :data:`DEVICE_TYPES` unless given.
        """
        name = f"loadInformation{device_type}"
        element = self.root.child(name)
        if element is None:
            self._add_child(self.root, name, escape_text(load))
            element = self.root.child(name)
            assert element is not None
            label = model or (
                f"Cisco {DEVICE_TYPES[device_type]}" if device_type in DEVICE_TYPES else None
            )
            if label is not None:
                self._set_attribute(element, "model", label)
            return
        self._set_text(element, load)
        if model is not None:
            element = self.root.child(name)
            assert element is not None
            self._set_attribute(element, "model", model)

    def __repr__(self) -> str:
        return f"<DeviceConfig root={self.root_name!r} protocol={self.protocol!r}>"


def loads(text: str | bytes, *, source: str | None = None) -> DeviceConfig:
    """Read a ``SEP<MAC>.cnf.xml`` or ``XMLDefault.cnf.xml`` from its text or bytes.

    Raises :class:`~ciscocfg.ParseError` (with line and column) for anything that is not
    well-formed XML, and for DTDs and entity declarations, which are never processed.
    """
    return DeviceConfig(parse(text, source=source))


def load(source: PathOrFile) -> DeviceConfig:
    """Read a config from a path or a binary file; :func:`dump` writes the same bytes back."""
    data, name = read_source(source)
    return loads(data, source=name)


def dumps(config: DeviceConfig) -> str:
    """The config's text (see :meth:`DeviceConfig.dumps`)."""
    return config.dumps()


def dump(config: DeviceConfig, target: PathOrFile) -> None:
    """Write the config's bytes to a path or a binary file."""
    write_target(target, encode_text(config.dumps()))


# -- building from scratch ------------------------------------------------------------------------


def _leaf(indent: str, name: str, value: str | int) -> str:
    return f"{indent}<{name}>{escape_text(str(value))}</{name}>\n"


def _device_pool(call_manager: str, port_name: str, port: int, extra: str = "") -> str:
    i = "    "
    return (
        f"{i}<devicePool>\n"
        f"{i * 2}<callManagerGroup>\n"
        f"{i * 3}<members>\n"
        f'{i * 4}<member priority="0">\n'
        f"{i * 5}<callManager>\n"
        f"{i * 6}<ports>\n"
        + _leaf(i * 7, port_name, port)
        + extra
        + f"{i * 6}</ports>\n"
        + _leaf(i * 6, "processNodeName", call_manager)
        + f"{i * 5}</callManager>\n"
        f"{i * 4}</member>\n"
        f"{i * 3}</members>\n"
        f"{i * 2}</callManagerGroup>\n"
        f"{i}</devicePool>\n"
    )


def new_sip(
    *,
    name: str,
    password: str,
    proxy: str,
    port: int = 5060,
    auth_name: str | None = None,
    display_name: str | None = None,
    load: str | None = None,
    dial_template: str | None = "dialplan.xml",
    phone_label: str | None = None,
) -> DeviceConfig:
    """A minimal ``SEP<MAC>.cnf.xml`` for a SIP load with one line, built through the model.

    ``proxy`` is the registrar's host; the call-manager group points at it too, so that the
    phone can use it for ``USECALLMANAGER`` lines. The result passes :func:`validate`.
    """
    i = "    "
    text = (
        "<device>\n"
        + _leaf(i, "fullConfig", "true")
        + _leaf(i, "deviceProtocol", "SIP")
        + _device_pool(proxy, "sipPort", port)
        + f"{i}<sipProfile>\n"
        f"{i * 2}<sipProxies>\n"
        + _leaf(i * 3, "registerWithProxy", "true")
        + f"{i * 2}</sipProxies>\n"
        + (_leaf(i * 2, "phoneLabel", phone_label) if phone_label is not None else "")
        + f"{i * 2}<sipLines>\n"
        f'{i * 3}<line button="1">\n'
        + _leaf(i * 4, "featureID", 9)
        + _leaf(i * 4, "featureLabel", display_name or name)
        + _leaf(i * 4, "proxy", proxy)
        + _leaf(i * 4, "port", port)
        + _leaf(i * 4, "name", name)
        + _leaf(i * 4, "displayName", display_name or name)
        + _leaf(i * 4, "authName", auth_name or name)
        + _leaf(i * 4, "authPassword", password)
        + f"{i * 3}</line>\n"
        f"{i * 2}</sipLines>\n"
        + (_leaf(i * 2, "dialTemplate", dial_template) if dial_template else "")
        + f"{i}</sipProfile>\n"
        + (_leaf(i, "loadInformation", load) if load else "")
        + "</device>\n"
    )
    return loads(text)


def new_sccp(*, call_manager: str, port: int = 2000, load: str | None = None) -> DeviceConfig:
    """A minimal ``SEP<MAC>.cnf.xml`` for an SCCP load registering with ``call_manager``."""
    i = "    "
    text = (
        "<device>\n"
        + _leaf(i, "fullConfig", "true")
        + _leaf(i, "deviceProtocol", "SCCP")
        + _device_pool(call_manager, "ethernetPhonePort", port)
        + (_leaf(i, "loadInformation", load) if load else "")
        + "</device>\n"
    )
    return loads(text)


# -- validation -----------------------------------------------------------------------------------


class _Findings:
    def __init__(self, config: DeviceConfig) -> None:
        self.config = config
        self.items: list[Diagnostic] = []

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        element: Element | None = None,
        line: int | None = None,
        suggestion: str | None = None,
    ) -> None:
        if element is not None:
            line = self.config._line(element)
        self.items.append(
            Diagnostic(
                code, severity, message, line=line, source=self.config.source, suggestion=suggestion
            )
        )


def validate(config: DeviceConfig, *, model: str | None = None) -> list[Diagnostic]:
    """Check a config the way the phone reads it; findings are returned, never raised.

    ``model`` (e.g. ``"7961"``) is the phone the file is for; when given, ``loadInformation`` is
    checked against that model's family (an ``XMLDefault.cnf.xml`` names its models itself).
    """
    found = _Findings(config)
    root = config.root
    if root.name not in ("device", "Default"):
        if root.name.lower() in ("device", "default"):
            proper = "device" if root.name.lower() == "device" else "Default"
            found.add(
                "XML002",
                "warning",
                f"root element <{root.name}>: the phone compares names case-sensitively",
                root,
                suggestion=proper,
            )
        else:
            found.add(
                "XML001", "error", f"root element <{root.name}> is not <device> or <Default>", root
            )
    _check_protocol(config, found)
    for element in root.iter():
        _check_element(element, found)
    _check_lines(config, found)
    _check_default_loads(config, found)
    if model is not None and config.load_information:
        _check_family(config.load_information, model, config.find("loadInformation"), found)
    _check_load_protocol(config, found)
    return sorted(found.items, key=Diagnostic.sort_key)


def _check_protocol(config: DeviceConfig, found: _Findings) -> None:
    element = config.find("deviceProtocol")
    if element is None:
        if not config.is_default:
            found.add("XML003", "warning", "no <deviceProtocol>: the phone keeps its own", None, 1)
        return
    if element.text not in ("SIP", "SCCP"):
        found.add(
            "XML004",
            "error",
            f"<deviceProtocol> is {element.text!r}, not 'SIP' or 'SCCP'",
            element,
            suggestion=element.text.strip().upper()
            if element.text.strip().upper() in ("SIP", "SCCP")
            else None,
        )


def _check_element(element: Element, found: _Findings) -> None:
    name = element.name
    text = element.text
    if element.children:
        return
    if "{" in text or text.startswith("#"):
        # Template placeholders ({$x}, {{x}}, #X#) are filled in before a phone sees the file.
        return
    if name == "natRecievedProcessing":
        found.add(
            "XML106",
            "warning",
            "<natRecievedProcessing> is a misspelling that some firmware reads and other "
            "firmware ignores; write <natReceivedProcessing>",
            element,
            suggestion="natReceivedProcessing",
        )
    if name in _BOOLEAN_ELEMENTS and text not in ("true", "false"):
        found.add(
            "XML101",
            "warning",
            f"<{name}> is {text!r}: the phone reads only the exact string 'true' as true",
            element,
            suggestion="true" if text.strip().lower() in ("true", "1", "yes") else "false",
        )
    if name in _INTEGER_ELEMENTS and text.strip() and not text.strip().isdigit():
        read = _atoi(text)
        found.add(
            "XML107",
            "warning",
            f"<{name}> is {text!r}, not a whole number; the phone reads "
            + (str(read) if read is not None else "0"),
            element,
        )
    limit = _LENGTH_LIMITS.get(name)
    if limit is not None and len(text) > limit:
        found.add(
            "XML104",
            "warning",
            f"<{name}> has {len(text)} characters; the phone keeps at most {limit}",
            element,
        )
    if name == "phoneLabel" and " " in text:
        found.add("XML105", "warning", "<phoneLabel> must not contain spaces on 79xx", element)
    if name == "maxNumCalls" and (_atoi(text) or 0) > 50:
        found.add("XML108", "warning", "<maxNumCalls> above 50 is not supported on 79x1", element)


def _check_lines(config: DeviceConfig, found: _Findings) -> None:
    lines = config.lines
    seen: dict[int, Line] = {}
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
    if config.protocol != "SIP":
        return
    names = [line.name for line in lines if line.name not in (None, *_UNSET)]
    proxies = [line.proxy for line in lines if line.proxy not in (None, *_UNSET)]
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
            config.find("sipProfile/sipLines") or config.find("sipProfile"),
            line=None if config.find("sipProfile") else 1,
        )


def _check_default_loads(config: DeviceConfig, found: _Findings) -> None:
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
        if entry.device_type in _KNOWN_MIXUPS:
            found.add(
                "XML202",
                "warning",
                f"loadInformation{entry.device_type}: {_KNOWN_MIXUPS[entry.device_type]}",
                line=entry.line,
            )
        elif known is None:
            found.add(
                "XML201",
                "info",
                f"loadInformation{entry.device_type}: device type not in the 79xx table",
                line=entry.line,
            )
        elif entry.model is not None and _label_conflicts(entry.model, known):
            found.add(
                "XML202",
                "warning",
                f"loadInformation{entry.device_type} is the {known}, but is labelled "
                f"{entry.model!r}",
                line=entry.line,
                suggestion=f"Cisco {known}",
            )
        if entry.load and "{" not in entry.load:
            _check_load_name(entry.load, entry.line, found)
            if known is not None:
                _check_family(entry.load, known, None, found, line=entry.line)


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


def _check_load_protocol(config: DeviceConfig, found: _Findings) -> None:
    load = config.load_information
    protocol = config.protocol
    if not load or protocol not in ("SIP", "SCCP") or "{" in load:
        return
    named = load_protocol(load)
    if named is not None and named != protocol:
        found.add(
            "XML206",
            "warning",
            f"deviceProtocol is {protocol} but load {load.strip()!r} is a {named} load: the phone "
            f"switches to {named} and the {protocol} settings go unused (field reports: "
            "'SIP Phone not Accepting SCCP Load', 'Protocol Application Invalid')",
            config.find("loadInformation"),
        )


def _label_conflicts(label: str, known: str) -> bool:
    label_number = _model_number(label)
    known_number = _model_number(known)
    if known_number is None:
        return known.split()[-1].lower() not in label.lower()
    return label_number is not None and label_number != known_number


def _check_load_name(load: str, line: int, found: _Findings) -> None:
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


def _check_family(
    load: str,
    model: str,
    element: Element | None,
    found: _Findings,
    *,
    line: int | None = None,
) -> None:
    family = load_family(load)
    number = _model_number(model)
    if family is None or number is None or number in family:
        return
    if not any(number in models for _, models in _FAMILIES):
        return
    found.add(
        "XML203",
        "error",
        f"load {load.strip()!r} is built for the {'/'.join(sorted(family))}, not the {model}; "
        "the phone refuses it",
        element,
        line=line,
    )

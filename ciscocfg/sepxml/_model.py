"""The document model: the typed view over the element tree, and its edits."""

from __future__ import annotations

import attrs

from ciscocfg._errors import ValidationError
from ciscocfg._text import PathOrFile, encode_text, read_source, write_target
from ciscocfg._xml import Element, XmlDocument, escape_text, parse
from ciscocfg.sepxml._tables import DEVICE_TYPES, LOAD_ELEMENT, URL_ELEMENTS, atoi

__all__ = [
    "CallManager",
    "DefaultLoad",
    "DeviceConfig",
    "Line",
    "PhoneLine",
    "dump",
    "dumps",
    "load",
    "loads",
]


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
class PhoneLine:
    """One ``sipLines/line``: a line key (featureID 9), a speed dial (2, 21) or another feature.

    ``fields`` holds the text of every child element by name (the first of a name wins, as in
    the phone's parser), including those without a named attribute here. ``line``, as
    everywhere in the library, is the line of the file the element starts on.
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


#: The older name of :class:`PhoneLine`.
Line = PhoneLine


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
                    priority=atoi(priority.value) if priority is not None else None,
                    name=fields.get("name"),
                    process_node_name=fields.get("processNodeName"),
                    ethernet_phone_port=atoi(ports.get("ethernetPhonePort")),
                    sip_port=atoi(ports.get("sipPort")),
                    secured_sip_port=atoi(ports.get("securedSipPort")),
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
    def phone_lines(self) -> list[PhoneLine]:
        """Every ``sipProfile/sipLines/line`` in document order (lines and feature keys)."""
        out = []
        for element in self._line_elements():
            f = _texts(element)
            button = element.attribute("button")
            index = element.attribute("lineIndex")
            out.append(
                PhoneLine(
                    button=atoi(button.value) if button is not None else None,
                    line_index=index.value if index is not None else None,
                    feature_id=atoi(f.get("featureID")),
                    feature_label=f.get("featureLabel"),
                    name=f.get("name"),
                    display_name=f.get("displayName"),
                    auth_name=f.get("authName"),
                    auth_password=f.get("authPassword"),
                    proxy=f.get("proxy"),
                    port=atoi(f.get("port")),
                    contact=f.get("contact"),
                    speed_dial_number=f.get("speedDialNumber"),
                    messages_number=f.get("messagesNumber"),
                    fields=f,
                    line=self._line(element),
                )
            )
        return out

    @property
    def lines(self) -> list[PhoneLine]:
        """The older name of :attr:`phone_lines`."""
        return self.phone_lines

    @property
    def speed_dials(self) -> list[PhoneLine]:
        """The speed-dial keys (featureID 2 and 21) among :attr:`phone_lines`."""
        return [line for line in self.phone_lines if line.is_speed_dial]

    def set_phone_line(self, button: int, **fields: str) -> None:
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
            if attr is not None and atoi(attr.value) == button:
                return element
        return None

    def remove_phone_line(self, button: int) -> bool:
        """Remove the ``line`` with ``button``; ``False`` when there was none."""
        element = self._find_line(button)
        if element is None:
            return False
        self._remove_element(element)
        return True

    def set_line(self, button: int, **fields: str) -> None:
        """The older name of :meth:`set_phone_line`."""
        self.set_phone_line(button, **fields)

    def remove_line(self, button: int) -> bool:
        """The older name of :meth:`remove_phone_line`."""
        return self.remove_phone_line(button)

    # -- the rest of the device -----------------------------------------------------------------

    @property
    def urls(self) -> dict[str, str]:
        """The service URLs present at the root (``servicesURL``, ``directoryURL`` ...)."""
        present = _texts(self.root)
        return {name: present[name] for name in URL_ELEMENTS if name in present}

    def set_url(self, name: str, value: str) -> None:
        """Set a service URL at the root (``"servicesURL"``, ``"directoryURL"`` ...)."""
        if name not in URL_ELEMENTS:
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
            if member.name == "member" and attr is not None and atoi(attr.value) == priority:
                return member
        return None

    # -- XMLDefault.cnf.xml ---------------------------------------------------------------------

    @property
    def default_loads(self) -> list[DefaultLoad]:
        """The ``loadInformation<ID>`` entries at the root, in document order."""
        out = []
        for element in self.root.children:
            m = LOAD_ELEMENT.fullmatch(element.name)
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
    """Write the config's bytes to a path or a binary file.

    A path is replaced whole or not at all (a temporary file renamed over it).
    """
    write_target(target, encode_text(config.dumps()))

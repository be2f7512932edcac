"""Minimal SIP and SCCP configs built from scratch through the model."""

from __future__ import annotations

from collections.abc import Sequence

from ciscocfg._xml import escape_text
from ciscocfg.sepxml._model import DeviceConfig, loads

__all__ = ["new_sccp", "new_sip"]


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
    more_lines: Sequence[tuple[str, str, str]] = (),
) -> DeviceConfig:
    """A minimal ``SEP<MAC>.cnf.xml`` for a SIP load with one line, built through the model.

    ``proxy`` is the registrar's host; the call-manager group points at it too, so that the
    phone can use it for ``USECALLMANAGER`` lines. ``more_lines`` adds lines on buttons 2, 3 ...
    as ``(name, password, display name)``, registering with the same proxy under their name.
    The result passes :func:`validate`.
    """
    i = "    "

    def line(button: int, name: str, password: str, shown: str, auth: str) -> str:
        return (
            f'{i * 3}<line button="{button}">\n'
            + _leaf(i * 4, "featureID", 9)
            + _leaf(i * 4, "featureLabel", shown)
            + _leaf(i * 4, "proxy", proxy)
            + _leaf(i * 4, "port", port)
            + _leaf(i * 4, "name", name)
            + _leaf(i * 4, "displayName", shown)
            + _leaf(i * 4, "authName", auth)
            + _leaf(i * 4, "authPassword", password)
            + f"{i * 3}</line>\n"
        )

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
        + line(1, name, password, display_name or name, auth_name or name)
        + "".join(line(button, *extra, extra[0]) for button, extra in enumerate(more_lines, 2))
        + f"{i * 2}</sipLines>\n"
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

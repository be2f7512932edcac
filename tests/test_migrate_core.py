"""The key map applied to plain entries: forward, backward, and nothing lost in between."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg._phones import phone_model
from ciscocfg.migrate import Entry, Node, convert, date_template, revert
from ciscocfg.migrate import _keymap as km

SRC = "SIP001122AABBCC.cnf"


def _entries(pairs: list[tuple[str, str]], source: str = SRC) -> list[Entry]:
    return [Entry(k, v, source, n) for n, (k, v) in enumerate(pairs, start=1)]


def _text(device: Node, path: str) -> str | None:
    node = device.find(path)
    return None if node is None else node.text


BASIC = [
    ("proxy_register", "1"),
    ("end_media_port", "8012"),
    ("start_media_port", "8000"),
    ("dial_template", "dialplan"),
    ("user_info", "phone"),
    ("dnd_control", "3"),
    ("line1_name", "2001"),
    ("line1_authname", "2001"),
    ("line1_password", "secret"),
    ("line1_shortname", "Desk"),
    ("proxy1_address", "10.0.0.5"),
    ("proxy1_port", "5060"),
    ("speed_line1", "911"),
    ("speed_label1", "Emergency"),
]


def test_scalars_follow_the_key_map() -> None:
    device, diags = convert([_entries(BASIC)], phone_model("7961"))
    assert _text(device, "sipProfile/sipProxies/registerWithProxy") == "true"
    assert _text(device, "sipProfile/stopMediaPort") == "8012"
    assert _text(device, "sipProfile/startMediaPort") == "8000"
    assert _text(device, "sipProfile/dialTemplate") == "dialplan.xml"
    assert _text(device, "sipProfile/sipStack/userInfo") == "Phone"
    assert _text(device, "sipProfile/sipCallFeatures/dndControl") == "3"
    assert diags == []


def test_lines_and_speed_dials_take_buttons() -> None:
    device, _ = convert([_entries(BASIC)], phone_model("7961"))
    lines = device.find("sipProfile/sipLines")
    assert lines is not None
    first, second = lines.children
    assert first.attrs == {"button": "1", "lineIndex": "1"}
    assert _text(first, "featureID") == "9"
    assert _text(first, "authPassword") == "secret"
    assert _text(first, "featureLabel") == "Desk"
    assert _text(first, "proxy") == "10.0.0.5"
    assert second.attrs == {"button": "2"}
    assert _text(second, "featureID") == "2"
    assert _text(second, "speedDialNumber") == "911"


def test_rendered_order_follows_callmanager_files() -> None:
    device, _ = convert([_entries(BASIC)], phone_model("7941"))
    text = device.render()
    assert text.index("<deviceProtocol>") < text.index("<sipProfile>")
    assert text.index("<sipProxies>") < text.index("<startMediaPort>")
    assert text.index("<stopMediaPort>") < text.index("<sipLines>") < text.index("<dialTemplate>")
    assert '<loadInformation model="Cisco 7941"></loadInformation>' in text


def test_default_is_overridden_and_reported() -> None:
    default = _entries([("proxy_register", "0"), ("nat_enable", "1")], "SIPDefault.cnf")
    phone = _entries([("proxy_register", "1"), *BASIC[6:11]])
    device, diags = convert([default, phone], phone_model("7961"))
    assert _text(device, "sipProfile/sipProxies/registerWithProxy") == "true"
    assert _text(device, "sipProfile/natEnabled") == "true"
    assert [(d.code, d.source, d.line) for d in diags] == [("MIG013", "SIPDefault.cnf", 1)]


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("image_version", "P0S3-8-12-00", "MIG004"),
        ("telnet_level", "2", "MIG001"),
        ("tos_media", "5", "MIG003"),
        ("time_zone", "GMT", "MIG002"),
        ("dst_start_month", "March", "MIG002"),
        ("frobnicate", "1", "MIG005"),
        ("remote_party_id", "yes", "MIG006"),
        ("timer_t1", "", "MIG007"),
        ("line7_name", "x", "MIG008"),
        ("date_format", "Q/Z", "MIG012"),
    ],
)
def test_what_is_not_carried_is_reported(key: str, value: str, code: str) -> None:
    entries = _entries([*BASIC, (key, value)])
    _, diags = convert([entries], phone_model("7961"))
    assert [(d.code, d.line) for d in diags] == [(code, len(entries))]


def test_image_version_is_never_carried() -> None:
    device, _ = convert([_entries([("image_version", "P0S3-8-12-00")])], phone_model("7961"))
    assert "P0S3" not in device.render()


def test_time_zone_is_mapped_with_a_warning() -> None:
    device, _ = convert([_entries([("time_zone", "est")])], phone_model("7961"))
    assert _text(device, "devicePool/dateTimeSetting/timeZone") == "Eastern Standard/Daylight Time"


@pytest.mark.parametrize(
    ("date", "hours", "expected"),
    [
        ("M/D/Y", "0", "M/D/YA"),
        ("D/M/Y", "1", "D/M/Y"),
        ("D-M-YY", None, "D-M-YY"),
        ("x", "1", None),
    ],
)
def test_date_template(date: str, hours: str | None, expected: str | None) -> None:
    assert date_template(date, hours) == expected


def test_phone_label_is_shortened_for_the_79x1() -> None:
    device, diags = convert([_entries([("phone_label", "markwilson.it ")])], phone_model("7961"))
    assert _text(device, "sipProfile/phoneLabel") == "markwilson.i"
    assert diags[0].code == "MIG010"
    assert diags[0].suggestion == "markwilson.i"


def test_unprovisioned_line_is_not_carried() -> None:
    pairs = [*BASIC, ("line2_name", "UNPROVISIONED"), ("line2_password", "x")]
    device, diags = convert([_entries(pairs)], phone_model("7961"))
    assert {d.code for d in diags} == {"MIG009"}
    assert len(diags) == 2
    assert "UNPROVISIONED" not in device.render()


def test_second_line_falls_back_to_proxy1() -> None:
    pairs = [*BASIC, ("line2_name", "2002")]
    device, diags = convert([_entries(pairs)], phone_model("7961"))
    lines = device.find("sipProfile/sipLines")
    assert lines is not None
    assert [_text(n, "proxy") for n in lines.children] == ["10.0.0.5", "10.0.0.5", None]
    assert [d.code for d in diags] == ["MIG016"]


def test_no_line_is_reported() -> None:
    _, diags = convert([_entries([("proxy_register", "1")])], phone_model("7961"))
    assert [d.code for d in diags] == ["MIG017"]


def test_sccp_xml_cannot_go_back() -> None:
    device = Node("device")
    device.ensure("deviceProtocol").text = "SCCP"
    _, diags = revert(device)
    assert [d.code for d in diags] == ["MIG105"]


def test_reverse_reports_elements_without_cnf_equivalent() -> None:
    device, _ = convert([_entries(BASIC)], phone_model("7961"))
    device.ensure("vendorConfig/webAccess").text = "0"
    settings, diags = revert(device)
    assert settings["end_media_port"] == "8012"
    assert settings["dial_template"] == "dialplan"
    assert [d.code for d in diags] == ["MIG101"]
    assert "vendorConfig/webAccess" in diags[0].message


# -- properties ---------------------------------------------------------------------------------

_KNOWN = sorted(
    {r.key for r in km.SCALAR_RULES}
    | set(km.DROPPED_KEYS)
    | set(km.DECISION_KEYS)
    | km.LOSSY_DST_KEYS
    | set(km.LINE_GLOBAL_KEYS)
    | {"image_version", "phone_password", "time_zone", "date_format", "time_format_24hr"}
    | {f"line{n}_{f}" for n in range(1, 8) for f in km.LINE_FIELDS}
    | {f"proxy{n}_{f}" for n in range(1, 8) for f in ("address", "port")}
    | {f"speed_{f}{n}" for n in range(1, 6) for f in ("line", "label")}
)
_VALUES = st.one_of(
    st.sampled_from(["0", "1", "2", "3", "63", "", "UNPROVISIONED", "GMT", "M/D/Y", "x y"]),
    st.text(st.characters(codec="ascii", exclude_characters='"\r\n;'), max_size=12),
)
_PAIRS = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(_KNOWN), st.from_regex(r"[a-z_]{1,12}", fullmatch=True)), _VALUES
    ),
    max_size=40,
)


def _same(key: str, before: str, after: str) -> bool:
    if key == "user_info":
        return before.strip().lower() == after
    rule = next((r for r in km.SCALAR_RULES if r.key == key), None)
    if rule is not None and rule.conversion is not km.Conversion.COPY:
        return before.strip() == after
    return before == after


@given(default=_PAIRS, phone=_PAIRS, model=st.sampled_from(["7911", "7941", "7961", "7970"]))
def test_every_entry_is_carried_or_reported(
    default: list[tuple[str, str]], phone: list[tuple[str, str]], model: str
) -> None:
    layers = [_entries(default, "SIPDefault.cnf"), _entries(phone)]
    device, diags = convert(layers, phone_model(model))
    reported = {(d.source, d.line) for d in diags}
    settings, _ = revert(device)
    for entry in layers[0] + layers[1]:
        if (entry.source, entry.line) in reported:
            continue
        assert entry.key in settings, entry
        assert _same(entry.key, entry.value, settings[entry.key]), (entry, settings[entry.key])

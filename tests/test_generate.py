"""ciscocfg.generate: a phone's files from a few facts, checked by the library itself.

Every generated tree is written to a temporary folder and walked by the boot check
(``provision.check`` with the image the tree names as the running image); every file reads
back byte for byte through its codec; every bad description raises the one error class and
produces no files.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.phone_facts import (
    SIP_MODELS,
    broken_descriptions,
    descriptions,
    read_pjsip,
    round_trips,
)
from support.tftp_peers import peer_binary

from ciscocfg import CiscoCfgError, Diagnostic, cnf, dialplan, firmware, sepxml
from ciscocfg._phones import MODELS
from ciscocfg.generate import (
    DIALPLAN,
    OS79XX,
    SIPDEFAULT,
    PhoneSpec,
    PhoneSpecError,
    Proxy,
    default_dialplan,
    dnsmasq_conf,
    file_names,
    load_inventory,
    parse_line,
    parse_proxy,
    pjsip_conf,
    read_inventory,
    render,
    render_file,
    render_tree,
)
from ciscocfg.provision import check


def write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).write_bytes(data)


def boot_errors(root: Path, phone: PhoneSpec) -> list[Diagnostic]:
    """The error findings of the boot check of ``root`` for a phone running its named image."""
    found = check(root, running=phone.firmware.name, model=phone.model.name)
    return [d for d in found if d.severity == "error"]


def kitchen(model: str = "7940", **changes: Any) -> PhoneSpec:
    facts: dict[str, Any] = {
        "model": model,
        "mac": "00:1B:D4:12:34:56",
        "proxy": "pbx.example.net",
        "lines": ["201:s3cret-201:Kitchen"],
    }
    facts.update(changes)
    return PhoneSpec.create(**facts)


# -- every model -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", SIP_MODELS)
def test_every_model_gets_a_tree_that_boots(model: str, tmp_path: Path) -> None:
    keys = MODELS[model].line_keys
    phone = PhoneSpec.create(
        model=model,
        mac="001b.d412.3456",
        proxy="10.0.0.5:5062",
        lines=[f"{200 + n}:pw-{n}:Desk {n}" for n in range(1, keys + 1)],
        label="Desk",
        timezone="CET",
        ntp="pool.ntp.org",
    )
    result = render(phone)
    assert list(result.files) == list(file_names(phone))
    assert not [d for d in result.findings if d.severity == "error"]
    write_tree(tmp_path, result.files)
    assert boot_errors(tmp_path, phone) == []
    for name, data in result.files.items():
        assert round_trips(name, data), name
        assert render_file(phone, name) == data


@pytest.mark.parametrize("model", SIP_MODELS)
def test_every_model_defaults_to_the_newest_sip_image_of_its_family(model: str) -> None:
    phone = kitchen(model)
    image = phone.firmware
    assert image.protocol is firmware.Protocol.SIP
    assert image.role is firmware.Role.APPLICATION
    same_family = [
        firmware.parse(name)
        for name in firmware.KNOWN_IMAGES
        if firmware.parse(name).family == image.family
        and firmware.parse(name).protocol is firmware.Protocol.SIP
    ]
    assert all(other <= image for other in same_family)
    named = render(phone).files[file_names(phone)[0]].decode()
    assert image.name in named


def test_the_7940_files_say_what_the_phone_needs() -> None:
    phone = kitchen(lines=["201:s3cret-201:Kitchen"], label="Kitchen")
    files = render(phone).files
    own = cnf.loads(files["SIP001BD4123456.cnf"].decode())
    assert own["image_version"] == "P0S3-8-12-00"
    assert own["line1_name"] == own["line1_authname"] == "201"
    assert own["line1_password"] == "s3cret-201"
    assert own["line1_displayname"] == "Kitchen"
    assert own["proxy1_address"] == "pbx.example.net"
    assert own["proxy1_port"] == "5060"
    assert own["proxy_register"] == "1"
    assert own["line2_name"] == "UNPROVISIONED"  # the 7940's second key, cleared in flash
    assert "line3_name" not in own
    shared = cnf.loads(files[SIPDEFAULT].decode())
    assert shared["dial_template"] + ".xml" == DIALPLAN
    # The image an old loader fetches on its way: the universal loader of the release.
    assert files[OS79XX] == b"P003-8-12-00\r\n"
    assert files[DIALPLAN] == default_dialplan()


def test_a_7961_gets_every_line_and_its_load() -> None:
    phone = kitchen("7961", lines=["201:a", "202:b:Front <desk> & co"], timezone="EST")
    config = sepxml.loads(render(phone).files["SEP001BD4123456.cnf.xml"])
    assert config.protocol == "SIP"
    assert config.load_information == "SIP41.9-4-2SR3-1S"
    assert [(line.name, line.display_name) for line in config.lines] == [
        ("201", "201"),
        ("202", "Front <desk> & co"),
    ]
    assert [line.fields.get("authPassword") for line in config.lines] == ["a", "b"]
    assert config.dial_template == DIALPLAN
    assert config.time_zone == "Eastern Standard/Daylight Time"


@pytest.mark.parametrize(
    "spelling", ["00:1B:D4:12:34:56", "001b.d412.3456", "001BD4123456", "00-1b-d4-12-34-56"]
)
def test_mac_in_any_common_spelling_names_the_files_as_the_phone_asks(spelling: str) -> None:
    assert file_names(kitchen(mac=spelling))[0] == "SIP001BD4123456.cnf"
    assert file_names(kitchen("7941", mac=spelling))[0] == "SEP001BD4123456.cnf.xml"


def test_render_file_answers_only_for_the_phones_own_names() -> None:
    phone = kitchen()
    assert render_file(phone, "sip001bd4123456.cnf") is None
    assert render_file(phone, "SEP001BD4123456.cnf.xml") is None
    assert render_file(kitchen("7961"), SIPDEFAULT) is None
    assert render_file(kitchen("7961"), DIALPLAN) == default_dialplan()


def test_firmware_given_by_the_user_is_named(tmp_path: Path) -> None:
    phone = kitchen(firmware="P0S3-08-11-00.loads")
    assert phone.firmware.name == "P0S3-08-11-00"
    write_tree(tmp_path, render(phone).files)
    assert boot_errors(tmp_path, phone) == []
    assert (tmp_path / OS79XX).read_bytes() == b"P003-08-11-00\r\n"


def test_an_old_image_is_named_in_os79xx_itself() -> None:
    # SIP 6.3 predates the universal loader: the loader fetches it by its own name.
    phone = kitchen(firmware="P0S3-06-3-00")
    assert render(phone).files[OS79XX] == b"P0S3-06-3-00\r\n"


def test_a_dial_plan_of_ones_own_is_written_instead() -> None:
    plan = b'<DIALTEMPLATE>\n  <TEMPLATE MATCH="*" Timeout="2"/>\n</DIALTEMPLATE>\n'
    assert render(kitchen(dialplan=plan)).files[DIALPLAN] == plan


# -- bad input: one error, naming the field, and no files -------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"mac": "00:1B:D4:12:34"}, "mac", "not a MAC address"),
        ({"mac": "00:1B:D4:12:34:5G"}, "mac", "not a MAC address"),
        ({"model": "7950"}, "model", "unknown phone model"),
        ({"lines": ["1:a", "2:b", "3:c"]}, "lines", "the 7940 has 2 lines; 3 given"),
        ({"lines": []}, "lines", "at least one line"),
        ({"lines": ['201:pa"ss']}, "line1_password", "double quote"),
        ({"lines": ["201:pass", '202:x:Say "hi"']}, "line2_display_name", "double quote"),
        ({"lines": ["201:pa\nss"]}, "line1_password", "line break"),
        ({"lines": ["201:pass:Kit\r\nchen"]}, "line1_display_name", "line break"),
        ({"lines": ["201:pass:\x07bell"]}, "line1_display_name", "control character"),
        ({"lines": ["201:pass "]}, "line1_password", "blanks at one end"),
        ({"lines": ["2 01:pass"]}, "line1_user", "not a SIP user name"),
        ({"lines": ["201:"]}, "line1_password", "no password"),
        ({"lines": [":pass"]}, "line1_user", "no user"),
        ({"lines": ["201"]}, "line1_user", "USER:PASSWORD"),
        ({"label": 'My "desk"'}, "label", "double quote"),
        ({"proxy": "pbx.example.net:50x"}, "proxy", "not HOST[:PORT]"),
        ({"proxy": "pbx.example.net:0"}, "proxy", "not 1-65535"),
        ({"proxy": "pbx.example.net:70000"}, "proxy", "not 1-65535"),
        ({"proxy": ":5060"}, "proxy", "no host"),
        ({"proxy": "pbx example"}, "proxy", "not a dotted IPv4 address or a host name"),
        ({"proxy": "[::1]:5060"}, "proxy", "not a dotted IPv4 address or a host name"),
        ({"firmware": "POS3-8-12-00"}, "firmware", "letter O"),
        ({"firmware": "SIP41.9-4-2SR3-1S"}, "firmware", "not for the 7940"),
        ({"firmware": "P00308010200"}, "firmware", "not a SIP phone application image"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not a time zone"),
        ({"ntp": "ntp server"}, "ntp", "not a dotted IPv4 address or a host name"),
        ({"dialplan": b"<DIALTEMPLATE><TEMPLATE"}, "dialplan", ""),
        ({"dialplan": b"<DIALPLAN/>"}, "dialplan", "would not use it"),
    ],
)
def test_bad_input_names_its_field(changes: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(PhoneSpecError) as caught:
        kitchen(**changes)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert "\n" not in str(caught.value).strip()
    assert str(caught.value).startswith(f"{field}: ")


def test_a_79x1_holds_what_a_cnf_cannot() -> None:
    phone = kitchen("7961", lines=['201:pa"ss:Say "hi"'])
    assert phone.lines[0].password == 'pa"ss'
    config = sepxml.loads(render(phone).files["SEP001BD4123456.cnf.xml"])
    assert config.lines[0].fields["authPassword"] == 'pa"ss'


def test_errors_pickle_with_their_field() -> None:
    import pickle

    err = PhoneSpecError("bad", field="mac", row=3)
    again = pickle.loads(pickle.dumps(err))
    assert (again.field, again.row, str(again)) == ("mac", 3, "row 3, column mac: bad")


def test_parse_helpers() -> None:
    assert parse_proxy("pbx") == Proxy("pbx", 5060)
    assert parse_proxy("10.0.0.5:5062") == Proxy("10.0.0.5", 5062)
    assert parse_line("201:pw:Name: with colon") == ("201", "pw", "Name: with colon")
    assert parse_line("201:pw") == ("201", "pw", "")


# -- a tree that already has shared files -----------------------------------------------------


def test_an_existing_sipdefault_is_kept_and_its_contradictions_reported() -> None:
    existing = {SIPDEFAULT: b'dial_template: "cisco_dialplan"\ntime_zone: PST\n'}
    result = render(kitchen(timezone="CET", ntp="pool.ntp.org"), existing=existing)
    assert SIPDEFAULT not in result.files
    assert result.kept == (SIPDEFAULT,)
    found = {(d.code, d.line, d.suggestion) for d in result.findings}
    assert ("GEN001", 1, "dialplan") in found
    assert ("GEN001", 2, "CET") in found
    assert ("GEN002", None, 'sntp_server: "pool.ntp.org"') in found


def test_an_existing_sipdefault_that_agrees_gives_no_finding() -> None:
    phone = kitchen(timezone="CET")
    agreeing = render(phone).files[SIPDEFAULT]
    result = render(phone, existing={SIPDEFAULT: agreeing})
    assert [d for d in result.findings if d.code.startswith("GEN")] == []


def test_existing_os79xx_and_dialplan_are_kept_with_a_finding() -> None:
    existing = {OS79XX: b"P003-08-2-00\r\n", DIALPLAN: b"<DIALTEMPLATE/>\n"}
    result = render(kitchen(), existing=existing)
    assert set(result.kept) == {OS79XX, DIALPLAN}
    assert {d.code for d in result.findings} >= {"GEN003", "GEN004"}
    assert OS79XX not in result.files
    assert DIALPLAN not in result.files


def test_a_tree_of_many_phones_renders_shared_files_once(tmp_path: Path) -> None:
    phones = [
        kitchen(mac="001BD4000001"),
        kitchen("7960", mac="001BD4000002", lines=["202:b"], timezone="CET"),
        kitchen("7961", mac="001BD4000003", lines=["203:c"]),
    ]
    result = render_tree(phones)
    assert list(result.files).count(SIPDEFAULT) == 1
    assert {"SIP001BD4000001.cnf", "SIP001BD4000002.cnf", "SEP001BD4000003.cnf.xml"} <= set(
        result.files
    )
    # The second phone asked for a time zone the first one's SIPDefault.cnf does not set.
    assert [d.code for d in result.findings if d.code.startswith("GEN")] == ["GEN002"]
    write_tree(tmp_path, result.files)
    for phone in phones:
        assert [d for d in boot_errors(tmp_path, phone) if phone.mac in (d.source or "")] == []


def test_a_tree_refuses_a_mac_twice() -> None:
    with pytest.raises(PhoneSpecError, match="given for two phones"):
        render_tree([kitchen(), kitchen("7961")])


# -- the default dial plan, against the library's simulator -----------------------------------


def test_default_dialplan_lints_clean() -> None:
    plan = dialplan.loads(default_dialplan())
    assert [d for d in dialplan.validate(plan) if d.severity != "info"] == []


@given(st.text(alphabet="0123456789*", min_size=1, max_size=16))
def test_default_dialplan_never_waits_the_phones_default(digits: str) -> None:
    plan = dialplan.loads(default_dialplan())
    decision = plan.match(digits)
    assert decision.action == "dial", decision.describe()
    assert decision.timeout != dialplan.DEFAULT_TIMEOUT
    if digits in dialplan.EMERGENCY_NUMBERS:
        assert decision.timeout == 0
        assert decision.dial_string == digits
    else:
        assert decision.timeout in (0, 3)
        assert decision.dial_string == digits


@given(st.text(alphabet="0123456789*", min_size=1, max_size=16))
def test_pound_dials_at_once_without_itself(digits: str) -> None:
    decision = dialplan.loads(default_dialplan()).match(digits + "#")
    assert (decision.action, decision.timeout, decision.dial_string) == ("dial", 0, digits)


@pytest.mark.parametrize("number", dialplan.EMERGENCY_NUMBERS)
def test_emergency_numbers_never_wait_on_the_way(number: str) -> None:
    plan = dialplan.loads(default_dialplan())
    for cut in range(1, len(number)):
        decision = plan.match(number[:cut])
        assert (decision.action, decision.timeout) == ("dial", 3), decision.describe()
    assert plan.match(number).timeout == 0


def test_default_dialplan_pause_is_a_parameter() -> None:
    plan = dialplan.loads(default_dialplan(pause=5, emergency=["110", "112"]))
    assert plan.match("1").timeout == 5
    assert plan.match("110").timeout == 0
    assert plan.match("999").timeout == 5


# -- the inventory --------------------------------------------------------------------------

INVENTORY = (
    "mac,model,proxy,line1_user,line1_password,line1_display_name,"
    "line2_user,line2_password,line2_display_name,label\r\n"
    "00:1B:D4:00:00:01,7940,pbx.example.net,201,pw-201,Kitchen,,,,Kitchen\r\n"
    "001b.d400.0002,7960,pbx.example.net:5062,202,pw-202,Office,212,pw-212,Office 2,\r\n"
    ",,,,,,,,,\r\n"
    '001BD4000003,CP-7961G,10.0.0.5,203,"pw,203",Hall,,,,Hall\r\n'
)


def test_inventory_reads_every_row_with_bom_and_crlf() -> None:
    phones = read_inventory(("\ufeff" + INVENTORY).encode("utf-8"))
    assert [p.mac for p in phones] == ["001BD4000001", "001BD4000002", "001BD4000003"]
    assert [p.model.name for p in phones] == ["7940", "7960", "7961"]
    assert phones[1].proxy == Proxy("pbx.example.net", 5062)
    assert [line.user for line in phones[1].lines] == ["202", "212"]
    assert phones[2].lines[0].password == "pw,203"
    assert phones[0].label == "Kitchen"
    assert phones[1].label is None


def test_inventory_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(INVENTORY, encoding="utf-8", newline="")
    assert len(load_inventory(path, firmware="P0S3-08-11-00", timezone="GMT")) == 3


@pytest.mark.parametrize(
    ("edit", "row", "column"),
    [
        (lambda t: t.replace("00:1B:D4:00:00:01", "00:1B:D4:00:00"), 2, "mac"),
        (lambda t: t.replace("7960", "7950"), 3, "model"),
        (lambda t: t.replace("pw-201", '"pw""201"'), 2, "line1_password"),
        (lambda t: t.replace("pbx.example.net:5062", "pbx.example.net:x"), 3, "proxy"),
        (lambda t: t.replace("001BD4000003", "001BD4000002"), 5, "mac"),
        (lambda t: t.replace("label\r\n", "lable\r\n"), 1, "lable"),
        (lambda t: t.replace("mac,", "", 1), 1, "mac"),
        (lambda t: t.replace("202,pw-202,Office,212", ",,,212"), 3, "line2_user"),
        (lambda t: t.replace(",Kitchen,,,,Kitchen", ",Kitchen,,,Kitchen"), 2, "(row)"),
        (lambda t: t + "001BD4000009,7940,pbx,1,a,,2,b,,\r\n", 6, ""),
    ],
)
def test_inventory_errors_name_row_and_column(edit: Any, row: int, column: str) -> None:
    text = edit(INVENTORY)
    if not column:  # a 7940 with two lines is fine: the control case
        assert len(read_inventory(text)) == 4
        return
    with pytest.raises(PhoneSpecError) as caught:
        read_inventory(text)
    assert (caught.value.row, caught.value.field) == (row, column)
    assert str(caught.value).startswith(f"row {row}, column {column}: ")


def test_a_line_needs_a_password_in_the_inventory() -> None:
    with pytest.raises(PhoneSpecError) as caught:
        read_inventory("mac,model,proxy,line1_user,line1_password\n001BD4000001,7940,pbx,201,\n")
    assert (caught.value.row, caught.value.field) == (2, "line1_password")


# -- dnsmasq and Asterisk --------------------------------------------------------------------


def test_dnsmasq_snippet_passes_dnsmasqs_own_syntax_check(tmp_path: Path) -> None:
    binary = peer_binary("dnsmasq")
    conf = tmp_path / "dnsmasq-ciscocfg.conf"
    conf.write_bytes(dnsmasq_conf("192.0.2.10", tftp_root=str(tmp_path)))
    done = subprocess.run(
        [binary, "--test", f"--conf-file={conf}"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = conf.read_text().splitlines()
    assert "enable-tftp" in lines
    assert f"tftp-root={tmp_path}" in lines
    assert "dhcp-option=150,192.0.2.10" in lines
    assert 'dhcp-option=66,"192.0.2.10"' in lines


@pytest.mark.parametrize(
    ("server", "root", "field"),
    [
        ("192.0.2", "/srv/tftp", "dnsmasq"),
        ("::1", "/srv/tftp", "dnsmasq"),
        ("192.0.2.10", "srv/tftp", "tftp_root"),
        ("192.0.2.10", "/srv/tftp,eth0", "tftp_root"),
        ("192.0.2.10", "/srv/tftp\n", "tftp_root"),
    ],
)
def test_dnsmasq_refuses_what_it_cannot_take(server: str, root: str, field: str) -> None:
    with pytest.raises(PhoneSpecError) as caught:
        dnsmasq_conf(server, tftp_root=root)
    assert caught.value.field == field


def test_pjsip_sections_match_the_generated_credentials() -> None:
    phones = [
        kitchen(lines=["201:pa;ss:Kitchen", "211:x#y"]),
        kitchen("7961", mac="001BD4000003", lines=["203:c:Hall; east"]),
    ]
    sections = read_pjsip(pjsip_conf(phones, context="from-phones").decode())
    by_type = {(name, body["type"]): body for name, body in sections}
    assert len(sections) == 9
    for phone in phones:
        config = next(iter(render(phone).files.values())).decode()
        for line in phone.lines:
            endpoint = by_type[(line.user, "endpoint")]
            auth = by_type[(line.user, "auth")]
            assert endpoint["auth"] == line.user
            assert endpoint["aors"] == line.user
            assert endpoint["context"] == "from-phones"
            assert endpoint["allow"] == "ulaw,alaw"
            assert endpoint["direct_media"] == "no"
            assert endpoint["callerid"] == f'"{line.display_name}" <{line.user}>'
            assert (auth["username"], auth["password"]) == (line.user, line.password)
            assert by_type[(line.user, "aor")]["max_contacts"] == "1"
            assert line.password in config


@pytest.mark.parametrize(
    ("phones", "field"),
    [
        ([kitchen(), kitchen("7961", mac="001BD4000003")], "line1_user"),
        ([kitchen("7961", lines=['201:a:Say "hi"'])], "line1_display_name"),
    ],
)
def test_pjsip_refuses_what_asterisk_cannot_hold(phones: list[PhoneSpec], field: str) -> None:
    with pytest.raises(PhoneSpecError) as caught:
        pjsip_conf(phones)
    assert caught.value.field == field


# -- Hypothesis: any valid description boots, any invalid one raises our error -----------------


@settings(max_examples=40)
@given(facts=descriptions())
def test_any_valid_description_gives_a_tree_that_boots(
    facts: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    phone = PhoneSpec.create(**facts)
    result = render(phone)
    root = tmp_path_factory.mktemp("tree")
    write_tree(root, result.files)
    assert boot_errors(root, phone) == []
    for name, data in result.files.items():
        assert round_trips(name, data), name


@settings(max_examples=200)
@given(broken_descriptions())
def test_any_invalid_description_raises_our_one_error(case: tuple[dict[str, Any], str]) -> None:
    facts, how = case
    error: PhoneSpecError | None = None
    try:
        phone = PhoneSpec.create(**facts)
    except PhoneSpecError as err:
        error = err
    except CiscoCfgError as err:  # pragma: no cover - the failure message shows which
        raise AssertionError(f"{how}: not a PhoneSpecError: {err!r}") from err
    if error is not None:
        assert str(error)
        assert "\n" not in str(error)
        return
    # A broken MAC or model text may still spell a real one ("7940G", "00-00-...").
    assert how in ("mac", "model"), (how, phone)


def test_check_no_longer_asks_for_the_running_image(tmp_path: Path) -> None:
    phone = kitchen()
    write_tree(tmp_path, render(phone).files)
    found = check(tmp_path, running=phone.firmware.name, model="7940")
    assert [d for d in found if d.severity == "error"] == []


@pytest.mark.parametrize(
    ("changes", "hint"),
    [
        ({"mac": "00:1b:d4:12:34:5O"}, "did you mean '00:1b:d4:12:34:50'?"),
        ({"mac": "001bd4l23456"}, "did you mean '001bd4123456'?"),
        ({"model": "7490"}, "did you mean '7940'?"),
        ({"model": "CP-7690G"}, "did you mean '7960'?"),
        ({"model": "7961x"}, "did you mean '7961'?"),
    ],
)
def test_a_slip_in_a_mac_or_a_model_gets_a_suggestion(changes: dict[str, Any], hint: str) -> None:
    with pytest.raises(PhoneSpecError) as caught:
        kitchen(**changes)
    assert str(caught.value).endswith(hint)


@pytest.mark.parametrize(
    "changes",
    [{"mac": "00:1b:d4:12:34"}, {"mac": "zz1bd4123456"}, {"model": "794"}, {"model": "8841"}],
)
def test_no_suggestion_where_no_single_slip_explains_it(changes: dict[str, Any]) -> None:
    with pytest.raises(PhoneSpecError) as caught:
        kitchen(**changes)
    assert "did you mean" not in str(caught.value)

"""SEP<MAC>.cnf.xml and XMLDefault.cnf.xml: corpus round trips, typed view, edits, validation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import corpus_params
from support.xmlgen import TEXT, documents

from ciscocfg import ParseError, ValidationError, sepxml

# What every corpus file must do: load, round-trip byte-exact and get exactly these findings,
# or (an int) raise a ParseError on that line. A new corpus file fails until it is listed here.
# Templates give one TPL001 (info): what their placeholders stand for is not judged.
CORPUS_EXPECTATIONS: dict[str, set[str] | int] = {
    # Every device-type id of this file is in the table since the 39xx ids were added to it.
    "Cynjut__SCCP_Manager__XMLDefault.cnf.xml": {"XML002", "XML203"},
    "IssabelFoundation__endpointconfig2__setup__usr__share__issabel__endpoint-classes__tpl__"
    "Cisco_local_797X.tpl": {"XML105", "TPL001"},
    "IssabelFoundation__endpointconfig2__setup__usr__share__issabel__endpoint-classes__tpl__"
    "Cisco_local_SEP.tpl": {"TPL001"},
    "altf4arnold__Cisco-VOIP-Templates__7911-TFTP-folder__SEP<Phone-Mac>.cnf.xml": {"TPL001"},
    "chan-sccp__chan-sccp__conf__tftp__SEP0000000000.cnf.xml_7940_7960_template": {"XML003"},
    # The 7914 module's load given to the 7915/7916 modules, a 7911 load given to the 7910.
    "chan-sccp__chan-sccp__conf__tftp__XMLDefault.cnf.xml": {"XML201", "XML202", "XML203"},
    "fusionpbx__fusionpbx__resources__templates__provision__cisco__79x1__SEP{$mac}.cnf.xml": {
        "TPL001"
    },
    "julianhead__CiscoPhones__SEPBASE.cnf.xml": {"TPL001"},
    "provisioner__Provisioner__endpoint__cisco__sip79x1G__SEP$mac.cnf.xml": {"TPL001"},
    # <loadInformation115 ...> closed by </loadInformation8>: shipped broken.
    "provisioner__Provisioner__endpoint__cisco__sip79x1G__XMLDefault.cnf.xml": 14,
    "weslleycsil__provisionamento-cisco__SEP{MAC}.cnf.xml": {"XML101", "XML105"},
}

SIP_FILE = """<?xml version="1.0" encoding="UTF-8"?>\r
<device xsi:type="axl:XIPPhone" ctiid="94">\r
  <fullConfig>true</fullConfig>\r
  <deviceProtocol>SIP</deviceProtocol>\r
  <devicePool>\r
    <dateTimeSetting>\r
      <timeZone>GMT Standard/Daylight Time</timeZone>\r
    </dateTimeSetting>\r
    <callManagerGroup>\r
      <members>\r
        <member  priority='0'>\r
          <callManager>\r
            <name>cm1</name>\r
            <ports>\r
              <ethernetPhonePort>2000</ethernetPhonePort>\r
              <sipPort>5060</sipPort>\r
              <securedSipPort>5061</securedSipPort>\r
            </ports>\r
            <processNodeName>pbx.example.net</processNodeName>\r
          </callManager>\r
        </member>\r
      </members>\r
    </callManagerGroup>\r
  </devicePool>\r
  <sipProfile>\r
    <sipProxies>\r
      <backupProxy>10.0.0.2</backupProxy>\r
      <backupProxyPort>5060</backupProxyPort>\r
      <registerWithProxy>true</registerWithProxy>\r
    </sipProxies>\r
    <sipStack>\r
      <timerT1>500</timerT1>\r
      <timerRegisterExpires>3600</timerRegisterExpires>\r
    </sipStack>\r
    <natEnabled>false</natEnabled>\r
    <phoneLabel>Reception</phoneLabel>\r
    <sipLines>\r
      <line button="1" lineIndex="1">\r
        <featureID>9</featureID>\r
        <featureLabel>Reception</featureLabel>\r
        <proxy>USECALLMANAGER</proxy>\r
        <port>5060</port>\r
        <name>1001</name>\r
        <displayName>Front desk</displayName>\r
        <authName>1001</authName>\r
        <authPassword>s3cret</authPassword>\r
        <!-- keep -->\r
        <futureElement a="b"/>\r
      </line>\r
      <line button="2">\r
        <featureID>2</featureID>\r
        <featureLabel>Home</featureLabel>\r
        <speedDialNumber>5551234</speedDialNumber>\r
      </line>\r
    </sipLines>\r
    <dialTemplate>dialplan.xml</dialTemplate>\r
  </sipProfile>\r
  <loadInformation>SIP41.9-4-2SR3-1S</loadInformation>\r
  <vendorConfig>\r
    <webAccess>0</webAccess>\r
    <sshAccess>1</sshAccess>\r
  </vendorConfig>\r
  <userLocale><name>English_United_States</name></userLocale>\r
  <networkLocale>United_Kingdom</networkLocale>\r
  <servicesURL>http://10.0.0.1/services.xml</servicesURL>\r
  <directoryURL>http://10.0.0.1/dir.xml?a=1&amp;b=2</directoryURL>\r
</device>"""


@pytest.mark.parametrize("path", corpus_params("xmlcfg"))
def test_corpus_file_round_trips_or_fails_as_expected(path: Path) -> None:
    expected = CORPUS_EXPECTATIONS[path.name]
    data = path.read_bytes()
    if isinstance(expected, set):
        config = sepxml.loads(data, source=path.name)
        assert config.dumps().encode("utf-8", "surrogateescape") == data
        out = io.BytesIO()
        sepxml.dump(sepxml.load(path), out)
        assert out.getvalue() == data
        assert config.root_name.lower() in ("device", "default")
        assert {d.code for d in sepxml.validate(config)} == expected
    else:
        with pytest.raises(ParseError) as info:
            sepxml.loads(data, source=path.name)
        assert info.value.line == expected


def test_typed_view() -> None:
    config = sepxml.loads(SIP_FILE)
    assert config.dumps() == SIP_FILE
    assert config.protocol == "SIP"
    assert not config.is_default
    assert config.load_information == "SIP41.9-4-2SR3-1S"
    [cm] = config.call_managers
    assert (cm.priority, cm.name, cm.process_node_name) == (0, "cm1", "pbx.example.net")
    assert (cm.ethernet_phone_port, cm.sip_port, cm.secured_sip_port) == (2000, 5060, 5061)
    assert cm.line == 11
    assert config.sip_proxies == {
        "backupProxy": "10.0.0.2",
        "backupProxyPort": "5060",
        "registerWithProxy": "true",
    }
    assert config.sip_stack == {"timerT1": "500", "timerRegisterExpires": "3600"}
    line, speed = config.lines
    assert (line.button, line.line_index, line.feature_id) == (1, "1", 9)
    assert (line.name, line.display_name, line.auth_name, line.auth_password) == (
        "1001",
        "Front desk",
        "1001",
        "s3cret",
    )
    assert (line.proxy, line.port, line.feature_label) == ("USECALLMANAGER", 5060, "Reception")
    assert line.is_line
    assert line.fields["futureElement"] == ""
    assert config.speed_dials == [speed]
    assert (speed.speed_dial_number, speed.feature_label) == ("5551234", "Home")
    assert config.urls == {
        "servicesURL": "http://10.0.0.1/services.xml",
        "directoryURL": "http://10.0.0.1/dir.xml?a=1&b=2",
    }
    assert config.user_locale == "English_United_States"
    assert config.network_locale == "United_Kingdom"
    assert config.time_zone == "GMT Standard/Daylight Time"
    assert config.vendor_config == {"webAccess": "0", "sshAccess": "1"}
    assert config.dial_template == "dialplan.xml"
    assert config.sip_profile["phoneLabel"] == "Reception"
    assert config.version_stamp is None
    assert sepxml.validate(config) == []
    assert sepxml.validate(config, model="7961") == []


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split("\r\n"), after.split("\r\n")
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_edit_changes_only_the_touched_element() -> None:
    config = sepxml.loads(SIP_FILE)
    config.set("sipProfile/sipStack/timerT1", "1000")
    assert _changed_lines(SIP_FILE, config.dumps()) == [
        ("      <timerT1>500</timerT1>", "      <timerT1>1000</timerT1>")
    ]
    config.load_information = "SIP41.9-4-2SR4-3S"
    config.set_line(1, displayName="Desk & Co", authPassword="n3w")
    assert config.lines[0].display_name == "Desk & Co"
    assert _changed_lines(SIP_FILE, config.dumps()) == [
        ("      <timerT1>500</timerT1>", "      <timerT1>1000</timerT1>"),
        (
            "        <displayName>Front desk</displayName>",
            "        <displayName>Desk &amp; Co</displayName>",
        ),
        ("        <authPassword>s3cret</authPassword>", "        <authPassword>n3w</authPassword>"),
        (
            "  <loadInformation>SIP41.9-4-2SR3-1S</loadInformation>",
            "  <loadInformation>SIP41.9-4-2SR4-3S</loadInformation>",
        ),
    ]


def test_new_elements_take_the_siblings_indentation_and_line_ending() -> None:
    config = sepxml.loads(SIP_FILE)
    config.set("sipProfile/sipStack/timerT2", "4000")
    assert (
        "      <timerRegisterExpires>3600</timerRegisterExpires>\r\n"
        "      <timerT2>4000</timerT2>\r\n" in config.dumps()
    )
    config.set("sipProfile/sipCallFeatures/cnfJoinEnabled", "true")
    assert config.sip_call_features == {"cnfJoinEnabled": "true"}
    assert config.dumps().count("\n") == config.dumps().count("\r\n")
    config.set_line(3, name="1003", proxy="USECALLMANAGER", port="5060")
    new = config.lines[-1]
    assert (new.button, new.feature_id, new.name, new.port) == (3, 9, "1003", 5060)
    assert sepxml.loads(config.dumps()).lines[-1] == new
    assert config.remove_line(2)
    assert not config.remove_line(2)
    assert [line.button for line in config.lines] == [1, 3]
    assert config.remove("vendorConfig")
    assert "vendorConfig" not in config.dumps()
    assert not config.remove("vendorConfig")


def test_setting_an_empty_element_expands_it() -> None:
    config = sepxml.loads("<device><certHash/><ipAddr2 /></device>")
    config.set("certHash", "abc")
    config.set("ipAddr2", "1.2.3.4")
    assert config.dumps() == "<device><certHash>abc</certHash><ipAddr2 >1.2.3.4</ipAddr2></device>"


def test_elements_holding_elements_refuse_text() -> None:
    config = sepxml.loads(SIP_FILE)
    with pytest.raises(ValidationError):
        config.set("sipProfile", "x")


def test_xmldefault_loads() -> None:
    text = (
        "<Default>\n"
        "  <loadInformation8 model='IP Phone 7940'>P0S3-8-12-00</loadInformation8>\n"
        '  <loadInformation434  model="Cisco 7941">SCCP42.9-4-2SR3-1S</loadInformation434>\n'
        '  <loadInformation115 model="Cisco 7941">SIP70.9-4-2S</loadInformation115>\n'
        '  <loadInformation5 model="Cisco 7961">SCCP41.8-3-3S</loadInformation5>\n'
        '  <loadInformation99999 model="Future">X</loadInformation99999>\n'
        '  <loadInformation7 model="Cisco 7960">P0S3-8-12-00.loads</loadInformation7>\n'
        '  <loadInformation8 model="Cisco 7940">P0S3-8-12-00</loadInformation8>\n'
        "</Default>\n"
    )
    config = sepxml.loads(text)
    assert config.is_default
    loads = config.default_loads
    assert [(d.device_type, d.known_model) for d in loads][:3] == [
        (8, "7940"),
        (434, "7942"),
        (115, "7941"),
    ]
    assert loads[0].model == "IP Phone 7940"
    assert loads[0].load == "P0S3-8-12-00"
    codes = [(d.code, d.line) for d in sepxml.validate(config)]
    assert codes == [
        ("XML202", 3),  # 434 is the 7942, labelled 7941
        ("XML203", 4),  # a 7970 load for the 7941
        ("XML202", 5),  # id 5 is not the 7961
        ("XML201", 6),  # unknown id
        ("XML205", 7),  # extension given
        ("XML204", 8),  # 8 twice
    ]
    config.set_default_load(436, "SIP45.9-4-2SR3-1S")
    config.set_default_load(8, "P0S3-8-12-00", model="Cisco 7940")
    assert config.default_loads[-1] == sepxml.DefaultLoad(
        436, "Cisco 7965", "SIP45.9-4-2SR3-1S", line=9
    )
    assert '<loadInformation8 model="Cisco 7940">P0S3-8-12-00</loadInformation8>' in config.dumps()


def test_device_type_table_matches_the_spec() -> None:
    assert sepxml.DEVICE_TYPES[30018] == "7961"
    assert sepxml.DEVICE_TYPES[434] == "7942"
    assert sepxml.DEVICE_TYPES[307] == "7911"
    assert sepxml.DEVICE_TYPES[369] == "7906"


@pytest.mark.parametrize(
    ("load", "family"),
    [
        ("SIP41.9-4-2SR3-1S", {"7941", "7961"}),
        ("SCCP41.8-3-3S", {"7941", "7961"}),
        ("term61.default", {"7941", "7961"}),
        ("SIP70.8-0-3S", {"7970", "7971"}),
        ("SCCP11.9-0-2SR1S", {"7911", "7906"}),
        ("P0S3-8-12-00", {"7940", "7960"}),
        ("P00308010100", {"7940", "7960"}),
        ("CP7912080004SCCP080108A", {"7912"}),
        ("nonsense", None),
    ],
)
def test_load_family(load: str, family: set[str] | None) -> None:
    assert sepxml.load_family(load) == (frozenset(family) if family else None)


def _codes(text: str, **kwargs: str | None) -> list[str]:
    return [d.code for d in sepxml.validate(sepxml.loads(text), **kwargs)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<phone/>", "XML001"),
        ("<default/>", "XML002"),
        ("<device/>", "XML003"),
        ("<device><deviceProtocol>sip</deviceProtocol></device>", "XML004"),
        ("<device><fullConfig>True</fullConfig></device>", "XML101"),
        ("<device><sipProfile><enableVad>1</enableVad></sipProfile></device>", "XML101"),
        ("<device><deviceProtocol>SIP</deviceProtocol></device>", "XML102"),
        (
            "<device><sipProfile><phoneLabel>ReceptionDesk1</phoneLabel></sipProfile></device>",
            "XML104",
        ),
        ("<device><sipProfile><phoneLabel>Front desk</phoneLabel></sipProfile></device>", "XML105"),
        (
            "<device><sipProfile><natRecievedProcessing>true</natRecievedProcessing></sipProfile>"
            "</device>",
            "XML106",
        ),
        (
            "<device><sipProfile><sipStack><timerT1>5s</timerT1></sipStack></sipProfile></device>",
            "XML107",
        ),
        (
            "<device><sipProfile><sipLines><line button='1'><maxNumCalls>60</maxNumCalls></line>"
            "</sipLines></sipProfile></device>",
            "XML108",
        ),
        (
            "<device><sipProfile><sipLines><line button='1'/><line button='1'/></sipLines>"
            "</sipProfile></device>",
            "XML109",
        ),
        ("<Default><loadInformation777 model='x'>X</loadInformation777></Default>", "XML201"),
        (
            "<Default><loadInformation434 model='Cisco 7941'>SIP42.9-4-2S</loadInformation434>"
            "</Default>",
            "XML202",
        ),
        (
            "<Default><loadInformation115 model='Cisco 7941'>SIP70.9-4-2S</loadInformation115>"
            "</Default>",
            "XML203",
        ),
        (
            "<Default><loadInformation8>P0S3-8-12-00</loadInformation8><loadInformation8>P0S3-8-12-00</loadInformation8></Default>",
            "XML204",
        ),
        ("<Default><loadInformation8>P0S3-8-12-00.loads</loadInformation8></Default>", "XML205"),
        (
            "<device><sipProfile><sipStack><userInfo>dialstring</userInfo></sipStack>"
            "</sipProfile></device>",
            "XML110",
        ),
        (
            "<device><deviceProtocol>SCCP</deviceProtocol>"
            "<loadInformation>SIP41.9-4-2SR3-1S</loadInformation></device>",
            "XML206",
        ),
    ],
)
def test_each_code_is_triggered(text: str, code: str) -> None:
    assert code in _codes(text)


def test_loadinformation_checked_against_the_given_model() -> None:
    text = (
        "<device><deviceProtocol>SCCP</deviceProtocol>"
        "<loadInformation>SCCP70.9-4-2S</loadInformation></device>"
    )
    assert _codes(text) == []
    assert _codes(text, model="7961") == ["XML203"]
    assert _codes(text, model="7971") == []
    [diag] = sepxml.validate(sepxml.loads(text), model="7961")
    assert "7970/7971" in diag.message


def test_misspelled_nat_element_is_read_and_flagged() -> None:
    config = sepxml.loads(
        "<device><sipProfile><natRecievedProcessing>true</natRecievedProcessing></sipProfile></device>"
    )
    assert config.sip_profile == {"natRecievedProcessing": "true"}
    [diag] = [d for d in sepxml.validate(config) if d.code == "XML106"]
    assert diag.suggestion == "natReceivedProcessing"


def test_template_placeholders_are_not_flagged() -> None:
    assert _codes(
        "<device><fullConfig>{$full}</fullConfig><deviceProtocol>SCCP</deviceProtocol></device>"
    ) == ["TPL001"]
    # Every style, in every element that is checked, and in deviceProtocol itself.
    for placeholder in ("{{ x }}", "{$x}", "{x}", "###X###", "$X", "%X%", "#X Y#", "[SERVER-IP]"):
        text = (
            f"<device><deviceProtocol>{placeholder}</deviceProtocol>"
            f"<sipProfile><phoneLabel>{placeholder}</phoneLabel>"
            f"<sipStack><userInfo>{placeholder}</userInfo><timerT1>{placeholder}</timerT1>"
            f"</sipStack><sipLines><line button='1'><featureID>9</featureID>"
            f"<name>{placeholder}</name><proxy>{placeholder}</proxy><port>{placeholder}</port>"
            f"</line></sipLines></sipProfile>"
            f"<loadInformation>{placeholder}</loadInformation></device>"
        )
        found = sepxml.validate(sepxml.loads(text), model="7961")
        assert [(d.code, d.severity) for d in found] == [("TPL001", "info")], placeholder


STUB_79X0 = """<?xml version="1.0" encoding="UTF-8"?>
<device>
  <deviceProtocol>SIP</deviceProtocol>
  <loadInformation model="Cisco 7940">P0S3-08-12-00</loadInformation>
</device>
"""


@pytest.mark.parametrize("model", ["7940", "7960", "CP-7940G", None])
def test_a_79x0_sip_stub_names_only_the_load(model: str | None) -> None:
    # A 7940/7960 on SIP takes its lines from SIP<MAC>.cnf: the XML file only pins the image.
    assert sepxml.validate(sepxml.loads(STUB_79X0), model=model) == []


def test_a_79x1_sip_file_still_needs_a_line() -> None:
    stub = STUB_79X0.replace("P0S3-08-12-00", "SIP41.9-4-2SR3-1S").replace("7940", "7961")
    for model in ("7961", None):
        assert _codes(stub, model=model) == ["XML102"]
    # A 79x0 load on a 79x1 is refused outright, and that is what is said.
    assert "XML203" in _codes(STUB_79X0, model="7961")


def test_new_sip_is_minimal_and_clean() -> None:
    config = sepxml.new_sip(
        name="1001",
        password="pw&<",
        proxy="pbx.example.net",
        display_name="Desk",
        load="SIP41.9-4-2SR3-1S",
    )
    assert sepxml.validate(config, model="7961") == []
    assert config.protocol == "SIP"
    [line] = config.lines
    assert (line.name, line.auth_password, line.proxy, line.port) == (
        "1001",
        "pw&<",
        "pbx.example.net",
        5060,
    )
    assert config.sip_proxies["registerWithProxy"] == "true"
    assert config.call_managers[0].sip_port == 5060
    assert sepxml.loads(config.dumps()).dumps() == config.dumps()


def test_new_sccp_is_minimal_and_clean() -> None:
    config = sepxml.new_sccp(call_manager="10.0.0.1", load="SCCP41.9-4-2SR3-1S")
    assert sepxml.validate(config, model="7941") == []
    assert config.protocol == "SCCP"
    assert config.call_managers[0].ethernet_phone_port == 2000
    assert config.lines == []


def test_load_and_dump_paths(tmp_path: Path) -> None:
    path = tmp_path / "SEP001122334455.cnf.xml"
    path.write_bytes(SIP_FILE.encode())
    config = sepxml.load(path)
    assert config.source == str(path)
    out = tmp_path / "out.xml"
    sepxml.dump(config, out)
    assert out.read_bytes() == path.read_bytes()
    assert sepxml.dumps(config) == SIP_FILE
    assert config == sepxml.loads(SIP_FILE)


@given(documents())
def test_generated_configs_round_trip(doc: str) -> None:
    assert sepxml.loads(doc).dumps() == doc


@given(documents(), TEXT)
def test_editing_a_leaf_changes_only_that_leaf(doc: str, value: str) -> None:
    config = sepxml.loads(doc)
    leaves = [e for e in config.root.iter() if not e.children and e is not config.root]
    if not leaves or leaves[0].has_markup:
        return
    leaf = leaves[0]
    before, after = doc[: leaf.start], doc[leaf.end :]
    path_names = []
    node = leaf
    while node.parent is not None:
        path_names.append(node.name)
        node = node.parent
    path = "/".join(reversed(path_names))
    if config.find(path) is not leaf:
        return  # an earlier sibling of the same name would be the one addressed
    config.set(path, value)
    text = config.dumps()
    assert text.startswith(before)
    assert text.endswith(after)
    assert config.get(path) == value


@given(st.text(max_size=80))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    try:
        config = sepxml.loads(text)
    except ParseError:
        return
    assert config.dumps() == text


def test_common_setters_touch_one_element_each() -> None:
    config = sepxml.loads(SIP_FILE)
    config.set_sip_proxy("backupProxy", "10.0.0.3")
    config.set_sip_stack("timerT1", 750)
    config.set_vendor_config("webAccess", 1)
    config.set_url("servicesURL", "http://10.0.0.9/s.xml")
    config.user_locale = "German_Germany"
    config.time_zone = "W. Europe Standard/Daylight Time"
    config.protocol = "SIP"
    assert config.sip_proxies["backupProxy"] == "10.0.0.3"
    assert config.sip_stack["timerT1"] == "750"
    assert config.vendor_config["webAccess"] == "1"
    assert config.urls["servicesURL"] == "http://10.0.0.9/s.xml"
    assert (config.user_locale, config.time_zone) == (
        "German_Germany",
        "W. Europe Standard/Daylight Time",
    )
    assert len(_changed_lines(SIP_FILE, config.dumps())) == 6  # protocol was already SIP
    with pytest.raises(ValidationError):
        config.set_url("homepageURL", "x")


def test_set_call_manager() -> None:
    config = sepxml.loads(SIP_FILE)
    config.set_call_manager("pbx2.example.net", priority=0, sip_port=5070)
    [cm] = config.call_managers
    assert (cm.process_node_name, cm.sip_port, cm.ethernet_phone_port) == (
        "pbx2.example.net",
        5070,
        2000,
    )
    config.set_call_manager("pbx3.example.net", priority=1, sip_port=5060, ethernet_phone_port=2000)
    second = config.call_managers[1]
    assert (second.priority, second.process_node_name, second.sip_port) == (
        1,
        "pbx3.example.net",
        5060,
    )
    assert second.ethernet_phone_port == 2000
    assert sepxml.validate(config) == []
    fresh = sepxml.loads("<device><deviceProtocol>SCCP</deviceProtocol></device>")
    fresh.set_call_manager("10.1.1.1", ethernet_phone_port=2000)
    assert fresh.call_managers[0].process_node_name == "10.1.1.1"
    default = sepxml.loads("<Default>\n  <callManagerGroup>\n  </callManagerGroup>\n</Default>")
    default.set_call_manager("10.1.1.2")
    assert default.find("devicePool") is None
    assert default.call_managers[0].process_node_name == "10.1.1.2"


@pytest.mark.parametrize(
    ("load", "protocol"),
    [
        ("SIP41.9-4-2SR3-1S", "SIP"),
        ("SCCP70.9-4-2S", "SCCP"),
        ("P0S3-8-12-00", "SIP"),
        ("P00308010100", "SCCP"),
        ("P0M3-07-4-00", "MGCP"),
        ("term61.default", None),
    ],
)
def test_load_protocol(load: str, protocol: str | None) -> None:
    assert sepxml.load_protocol(load) == protocol


SAFE = st.text(alphabet=st.sampled_from(list("abcXYZ019 .-_@&<>\"'é")), min_size=1, max_size=34)


@given(SAFE, SAFE, st.integers(1, 65535), st.sampled_from(["SIP41.9-4-2SR3-1S", None]))
def test_built_sip_configs_read_back(name: str, password: str, port: int, load: str | None) -> None:
    config = sepxml.new_sip(name=name, password=password, proxy="pbx", port=port, load=load)
    again = sepxml.loads(config.dumps())
    assert again.dumps() == config.dumps()
    [line] = again.lines
    assert (line.name, line.auth_name, line.auth_password, line.port) == (
        name,
        name,
        password,
        port,
    )
    codes = {d.code for d in sepxml.validate(again, model="7941")}
    assert ("XML104" in codes) == (len(name) > 30 or len(password) > 30)
    assert codes <= {"XML104"}


@pytest.mark.parametrize("value", ["a\x01b", "\ud800", "x\x00"])
def test_values_xml_cannot_carry_are_refused(value: str) -> None:
    config = sepxml.loads(SIP_FILE)
    with pytest.raises(ValidationError):
        config.set("sipProfile/sipStack/timerT1", value)
    with pytest.raises(ValidationError):
        config.set_line(1, name=value)
    assert config.dumps() == SIP_FILE


@pytest.mark.parametrize("path", ["sipProfile/bad name", "1abc", "sipProfile/a<b"])
def test_names_xml_cannot_carry_are_refused(path: str) -> None:
    config = sepxml.loads(SIP_FILE)
    with pytest.raises(ValidationError):
        config.set(path, "x")
    assert config.dumps() == SIP_FILE

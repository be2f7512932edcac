"""XML codecs against a bare lxml floor: load + dump of a typical SEP<MAC>.cnf.xml and of a dial
plan, and dial-plan decisions per second.

The floor (``lxml.etree.fromstring`` then ``tostring``) is what any lxml-based reader pays at
least; it neither checks for DTDs nor keeps the original bytes. Run:

    python benchmarks/bench_xml.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from ciscocfg import dialplan, sepxml  # noqa: E402
from ciscocfg._xml import hardened_parser  # noqa: E402


def typical_config() -> str:
    """A SIP SEP<MAC>.cnf.xml of the usual size (~5 KB), two lines and two speed dials."""
    config = sepxml.new_sip(
        name="1001",
        password="s3cret-pass",
        proxy="pbx.example.net",
        display_name="Reception",
        load="SIP41.9-4-2SR3-1S",
        phone_label="Reception",
    )
    for path, value in [
        ("devicePool/dateTimeSetting/dateTemplate", "D/M/Y"),
        ("devicePool/dateTimeSetting/timeZone", "GMT Standard/Daylight Time"),
        ("devicePool/dateTimeSetting/ntps/ntp/name", "pool.ntp.org"),
        ("devicePool/dateTimeSetting/ntps/ntp/ntpMode", "Unicast"),
        ("sipProfile/sipProxies/backupProxy", "USECALLMANAGER"),
        ("sipProfile/sipProxies/backupProxyPort", "5060"),
        ("sipProfile/sipProxies/emergencyProxy", ""),
        ("sipProfile/sipProxies/outboundProxy", ""),
        ("sipProfile/sipCallFeatures/cnfJoinEnabled", "true"),
        ("sipProfile/sipCallFeatures/rfc2543Hold", "false"),
        ("sipProfile/sipCallFeatures/semiAttendedTransfer", "true"),
        ("sipProfile/sipStack/sipInviteRetx", "6"),
        ("sipProfile/sipStack/sipRetx", "10"),
        ("sipProfile/sipStack/timerInviteExpires", "180"),
        ("sipProfile/sipStack/timerRegisterExpires", "3600"),
        ("sipProfile/sipStack/timerT1", "500"),
        ("sipProfile/sipStack/timerT2", "4000"),
        ("sipProfile/sipStack/remotePartyID", "true"),
        ("sipProfile/sipStack/userInfo", "None"),
        ("sipProfile/natEnabled", "false"),
        ("sipProfile/enableVad", "false"),
        ("sipProfile/preferredCodec", "g711ulaw"),
        ("sipProfile/dtmfAvtPayload", "101"),
        ("sipProfile/startMediaPort", "16384"),
        ("sipProfile/stopMediaPort", "32766"),
        ("vendorConfig/webAccess", "0"),
        ("vendorConfig/sshAccess", "0"),
        ("vendorConfig/pcPort", "0"),
        ("userLocale/name", "English_United_Kingdom"),
        ("userLocale/langCode", "en_GB"),
        ("networkLocale", "United_Kingdom"),
        ("servicesURL", "http://pbx.example.net/cisco/services.xml"),
        ("directoryURL", "http://pbx.example.net/cisco/directory.xml"),
        ("idleURL", ""),
    ]:
        config.set(path, value)
    config.set_line(2, name="1002", proxy="USECALLMANAGER", port="5060", authName="1002")
    config.set_line(3, featureID="2", featureLabel="Home", speedDialNumber="5551234")
    config.set_line(4, featureID="21", featureLabel="Boss", speedDialNumber="1005")
    return config.dumps()


PLAN = """<DIALTEMPLATE>
  <TEMPLATE MATCH="999" Timeout="0" Route="Emergency"/>
  <TEMPLATE MATCH="112" Timeout="0" Route="Emergency"/>
  <TEMPLATE MATCH="911" Timeout="0" Route="Emergency"/>
  <TEMPLATE MATCH="1..." Timeout="0"/>
  <TEMPLATE MATCH="2..." Timeout="0"/>
  <TEMPLATE MATCH="9,0.........." Timeout="0" User="Phone"/>
  <TEMPLATE MATCH="9,00*" Timeout="5" User="Phone"/>
  <TEMPLATE MATCH="0.........." Timeout="0" User="Phone"/>
  <TEMPLATE MATCH="00*" Timeout="5" User="Phone"/>
  <TEMPLATE MATCH="07........." Timeout="0" User="Phone"/>
  <TEMPLATE MATCH="08.........." Timeout="0" User="Phone"/>
  <TEMPLATE MATCH="\\*.." Timeout="0"/>
  <TEMPLATE MATCH="\\*\\*.." Timeout="0"/>
  <TEMPLATE MATCH="8.." Timeout="0" Rewrite="+4420.."/>
  <TEMPLATE MATCH="31." Timeout="0" Rewrite="1111%s"/>
  <TEMPLATE MATCH="*" Timeout="5"/>
</DIALTEMPLATE>
"""
NUMBERS = ["9", "999", "1001", "2", "901234567890", "0044", "07700900123", "*72", "801", "55"]


def latin1_crlf(text: str) -> bytes:
    """The same config as an ISO-8859-1 file with CRLF line ends and accented names: the
    tokenizer then re-reads bytes as Latin-1 and normalises every line end it hands out."""
    body = text.split("?>", 1)[1].lstrip() if text.startswith("<?xml") else text
    text = body.replace("Reception", "Réception")
    head = '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
    return (head + text).replace("\n", "\r\n").encode("latin-1")


def main() -> None:
    config_text = typical_config()
    config_bytes = config_text.encode()
    latin1_bytes = latin1_crlf(config_text)
    plan_bytes = PLAN.encode()
    plan = dialplan.loads(PLAN)
    parser = hardened_parser()

    def lxml_floor(data: bytes) -> object:
        return etree.tostring(etree.fromstring(data, parser))

    def edit() -> str:
        config = sepxml.loads(config_bytes)
        config.set("sipProfile/sipStack/timerT1", "1000")
        return config.dumps()

    def decide() -> None:
        for number in NUMBERS:
            plan.match(number)

    print(f"SEP<MAC>.cnf.xml: {len(config_bytes)} bytes; dial plan: {len(plan_bytes)} bytes\n")
    results = compare(
        [
            Case("lxml fromstring+tostring (floor)", lambda: lxml_floor(config_bytes)),
            Case("sepxml.loads + dumps", lambda: sepxml.loads(config_bytes).dumps()),
            Case(
                "sepxml.loads + dumps, ISO-8859-1 + CRLF",
                lambda: sepxml.loads(latin1_bytes).dumps(),
            ),
            Case("sepxml.loads + one edit + dumps", edit),
        ],
        baseline="lxml fromstring+tostring (floor)",
    )
    print(markdown_table("SEP<MAC>.cnf.xml load + dump", results, "files"))
    results = compare(
        [
            Case("lxml fromstring+tostring (floor)", lambda: lxml_floor(plan_bytes)),
            Case("dialplan.loads + dumps", lambda: dialplan.loads(plan_bytes).dumps()),
        ],
        baseline="lxml fromstring+tostring (floor)",
    )
    print(markdown_table("dialplan.xml load + dump", results, "files"))
    results = compare(
        [Case("DialPlan.match (16 rules)", decide, units=len(NUMBERS))],
        baseline="DialPlan.match (16 rules)",
    )
    print(markdown_table("dial-plan decisions", results, "decisions"))


if __name__ == "__main__":
    main()

"""Which models a load is built for: every device-type id the library knows, against every load.

The groups below are written out by hand from Cisco's packaging (one load per group: the 7941
and 7961 share ``SIP41``/``SCCP41``, the 8811/8841/8851/8861 share ``sip88xx`` ...), so that
the library's answer is compared with a table it did not produce. A load of one group given to
a model of another is a mismatch the phone refuses; where the library cannot know (a model
with no load family, a name it does not decode), it answers "unknown", never a guessed error.
"""

from __future__ import annotations

import pytest

from ciscocfg import firmware, sepxml
from ciscocfg._phones import MODELS

#: Load family → (a real load name, the models that run it).
GROUPS: dict[str, tuple[str, set[str]]] = {
    "79x0": ("P0S3-8-12-00", {"7940", "7960"}),
    "7910": ("P00405000700", {"7910"}),
    "7935": ("P00503021900", {"7935"}),
    "ATA 186": ("ATA030204SCCP090202A", {"ATA 186"}),
    "41": ("SCCP41.9-4-2SR3-1S", {"7941", "7961", "7941G-GE", "7961G-GE"}),
    "70": ("SIP70.8-0-3S", {"7970", "7971"}),
    "7914": ("S00105000400", {"7914"}),
    "7915": ("B015-1-0-4-2", {"7915"}),
    "7916": ("B016-1-0-4-2", {"7916"}),
    "7985": ("cmterm_7985.4-1-7-0", {"7985"}),
    "11": ("SIP11.9-4-2SR3-1S", {"7911", "7906"}),
    "31": ("SCCP31.9-2-1S", {"7931"}),
    "7921": ("CP7921G-1.4.6.3", {"7921"}),
    "3951": ("SIP3951.8-1-4a", {"3951", "3911"}),
    "42": ("SCCP42.9-4-2SR3-1S", {"7942", "7962"}),
    "7937": ("apps37sccp.1-4-5-7", {"7937"}),
    "45": ("SIP45.8-4-2S", {"7945", "7965"}),
    "75": ("SCCP75.9-4-2SR3-1S", {"7975"}),
    "7925": ("CP7925G-1.4.1SR1", {"7925"}),
    "9971": ("sip9971.9-4-2SR4-1", {"9971"}),
    "69xx": ("SIP69xx.9-4-1-3SR3", {"6921", "6941", "6961"}),
    "9951": ("sip9951.9-2-2SR1-9", {"9951"}),
    "8961": ("sip8961.9-4-1-9", {"8961"}),
    "6901": ("SCCP6901.9-2-1-a", {"6901"}),
    "6911": ("SCCP6911.9-3-1-SR1-3", {"6911"}),
    "ATA 187": ("ATA187.9-2-3-1", {"ATA 187"}),
    "6945": ("SCCP6945.9-4-1-3", {"6945"}),
    "894x": ("SCCP894x.9-4-2SR1-2", {"8941", "8945"}),
    "3905": ("CP3905.9-4-1-0", {"3905"}),
    "78xx": ("sip78xx.14-1-1-0001-136", {"7811", "7821", "7841", "7861"}),
    "DX650": ("sipdx650.10-1-2-33", {"DX650"}),
    "8831": ("sip8831.9-3-3-5", {"8831"}),
    "88xx": ("sip88xx.14-0-1-0101-145", {"8811", "8841", "8851", "8861"}),
    "7905": ("CP7905080003SCCP070409A", {"7905"}),
    "7920": ("cmterm_7920.4.0-03-02", {"7920"}),
    "7912": ("CP7912080004SCCP080108A", {"7912"}),
    "7902": ("CP7902080002SCCP060817A", {"7902"}),
    "7936": ("cmterm_7936.3-3-21-0", {"7936"}),
    "8845": ("sip8845_65.14-1-1-0001-125", {"8845", "8865"}),
    "8821": ("sip8821.11-0-6SR2-4", {"8821"}),
    "7832": ("sip7832.12-5-1SR2-2", {"7832"}),
}
#: Device ids whose model has no load the library can name.
NO_LOAD = {30016: "IP Communicator"}


def _group(model: str) -> str | None:
    return next((name for name, (_, models) in GROUPS.items() if model in models), None)


DEVICE_IDS = sorted(sepxml.DEVICE_TYPES)


def test_every_known_id_is_in_a_group() -> None:
    assert {m for m in sepxml.DEVICE_TYPES.values() if _group(m) is None} == set(NO_LOAD.values())
    for phone in MODELS.values():
        assert sepxml.DEVICE_TYPES[phone.device_type] == phone.name
        assert _group(phone.name) is not None


@pytest.mark.parametrize("device", DEVICE_IDS)
def test_each_id_against_every_load(device: int) -> None:
    model = sepxml.DEVICE_TYPES[device]
    own = _group(model)
    for name, (load, _) in GROUPS.items():
        image = firmware.parse(load)
        expected = None if own is None else (name == own)
        assert image.fits(model) is expected, (model, load)
        assert image.fits(f"Cisco {model}") is expected, (model, load)


@pytest.mark.parametrize("device", DEVICE_IDS)
def test_xmldefault_flags_a_foreign_load_for_each_id(device: int) -> None:
    model = sepxml.DEVICE_TYPES[device]
    own = _group(model)
    foreign = "S00105000400" if own != "7914" else "B015-1-0-4-2"

    def codes(load: str) -> list[str]:
        text = (
            f'<Default>\n  <loadInformation{device} model="Cisco {model}">{load}'
            f"</loadInformation{device}>\n</Default>\n"
        )
        return [d.code for d in sepxml.validate(sepxml.loads(text))]

    if own is None:
        assert codes(foreign) == ["XML207"]
        return
    assert codes(GROUPS[own][0]) == []
    assert codes(foreign) == ["XML203"]


def test_a_7914_load_for_a_7915_is_refused() -> None:
    text = (
        '<Default><loadInformation227 model="Cisco IP Phone 7915 12-Button Line Expansion '
        'Module">S00105000400</loadInformation227></Default>'
    )
    [finding] = sepxml.validate(sepxml.loads(text))
    assert (finding.code, finding.severity) == ("XML203", "error")
    assert "7914" in finding.message


@pytest.mark.parametrize(
    ("load", "model"),
    [
        ("sip78xx.14-1-1-0001-136", "Cisco 9999"),  # a model the library has no family for
        ("A00204000013", "Cisco 7961"),  # a gateway load names no phone
        ("SIP3951.8-1-4a", "IP Communicator"),
    ],
)
def test_unknown_is_none(load: str, model: str) -> None:
    assert firmware.parse(load).fits(model) is None


def test_undecodable_and_unmatched_loads_are_information() -> None:
    def found(load: str) -> list[tuple[str, str]]:
        text = f"<device><loadInformation>{load}</loadInformation></device>"
        diags = sepxml.validate(sepxml.loads(text), model="7961")
        return [(d.code, d.severity) for d in diags if d.code.startswith("XML2")]

    assert found("{firmware}") == []  # a template placeholder
    assert found("MYLOAD.1") == [("XML207", "info")]
    assert found("SCCP41.9-4-2SR3-1S") == []
    assert found("SCCP42.9-4-2SR3-1S") == [("XML203", "error")]


def test_models_of_a_family_written_with_x() -> None:
    assert firmware.parse("sip88xx.12-0-1MN-113").models == ("8811", "8841", "8851", "8861")
    assert firmware.parse("SCCP894x.9-2-2-0").models == ("8941", "8945")
    assert firmware.parse("A00204000013").models == ()
    assert sepxml.load_family("sip8845_65.14-1-1-0001-125") == frozenset({"8845", "8865"})


def test_the_phone_table_load_families_fit_their_models() -> None:
    for phone in MODELS.values():
        load = f"SIP{phone.load_family}.9-4-2SR3-1S" if phone.load_family else "P0S3-8-12-00"
        assert firmware.parse(load).fits(phone.label) is True, phone

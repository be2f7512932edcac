"""Firmware image names: the decode table of the spec, near misses, ordering, properties."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import corpus_cases, corpus_files

from ciscocfg import ParseError
from ciscocfg.firmware import FirmwareImage, FirmwareNameError, Protocol, Role, parse

SIP, SCCP, MGCP = Protocol.SIP, Protocol.SCCP, Protocol.MGCP
APP, LOADER, COMP, POINTER = Role.APPLICATION, Role.LOADER, Role.COMPONENT, Role.DEFAULT_POINTER

# Spec §7.3, row by row: name, family, protocol, version (None where the table gives none),
# service release, role.
TABLE: list[tuple[str, str, Protocol | None, tuple[int, ...] | None, int | None, Role]] = [
    ("P0S3-08-12-00", "7940/7960", SIP, (8, 12, 0), None, APP),
    ("P0S3-8-12-00", "7940/7960", SIP, (8, 12, 0), None, APP),
    ("P0S3-08-11-00", "7940/7960", SIP, (8, 11, 0), None, APP),
    ("P0S3-08-8-00", "7940/7960", SIP, (8, 8, 0), None, APP),
    ("P0S3-08-2-00", "7940/7960", SIP, (8, 2, 0), None, APP),
    ("P0S3-08-1-00", "7940/7960", SIP, (8, 1, 0), None, APP),
    ("P0S3-07-5-00", "7940/7960", SIP, (7, 5, 0), None, APP),
    ("P0S3-07-4-00", "7940/7960", SIP, (7, 4, 0), None, APP),
    ("P003-8-12-00.sbn", "7940/7960", None, (8, 12, 0), None, LOADER),
    ("P003-08-2-00", "7940/7960", None, (8, 2, 0), None, LOADER),
    ("P00308010200", "7940/7960", SCCP, (8, 1, 2, 0), None, APP),
    ("P00308010100", "7940/7960", SCCP, (8, 1, 1, 0), None, APP),
    ("P00308000500", "7940/7960", SCCP, (8, 0, 5, 0), None, APP),
    ("P0030801SR02", "7940/7960", SCCP, (8, 1, 2), 2, APP),
    ("P0M3-08-1-00", "7940/7960", MGCP, (8, 1, 0), None, APP),
    ("P00405000700", "7910", SCCP, (5, 0, 7, 0), None, APP),
    ("P00503021900", "7935", SCCP, (3, 2, 19, 0), None, APP),
    ("SIP41.9-4-2SR3-1S", "7941/7961", SIP, (9, 4, 2), 3, APP),
    ("SCCP41.9-4-2SR3-1S", "7941/7961", SCCP, (9, 4, 2), 3, APP),
    ("SIP41.8-5-4S", "7941/7961", SIP, (8, 5, 4), None, APP),
    ("SIP11.9-4-2SR1-1S", "7906/7911", SIP, (9, 4, 2), 1, APP),
    ("SCCP42.9-4-2SR3-1S", "7942/7962", SCCP, None, None, APP),
    ("SIP45.8-4-2S", "7945/7965", SIP, None, None, APP),
    ("SCCP45.9-3-1SR1-1S", "7945/7965", SCCP, None, None, APP),
    ("SIP70.8-0-3S", "7970/7971", SIP, None, None, APP),
    ("SCCP70.9-4-2SR3-1S", "7970/7971", SCCP, None, None, APP),
    ("SCCP75.9-4-2SR3-1S", "7975", SCCP, None, None, APP),
    ("SCCP31.9-2-1S", "7931", SCCP, None, None, APP),
    ("term41.default.loads", "7941/7961", None, (), None, POINTER),
    ("term61.default.loads", "7941/7961", None, (), None, POINTER),
    ("term06.default", "7906/7911", None, (), None, POINTER),
    ("term11.default", "7906/7911", None, (), None, POINTER),
    ("term42.default", "7942/7962", None, (), None, POINTER),
    ("term62.default", "7942/7962", None, (), None, POINTER),
    ("term45.default", "7945/7965", None, (), None, POINTER),
    ("term65.default", "7945/7965", None, (), None, POINTER),
    ("term70.default", "7970/7971", None, (), None, POINTER),
    ("term71.default", "7970/7971", None, (), None, POINTER),
    ("term75.default", "7975", None, (), None, POINTER),
    ("apps41.8-5-4TH1-6.sbn", "7941/7961", None, (8, 5, 4), None, COMP),
    ("cnu41.8-5-4TH1-6.sbn", "7941/7961", None, (8, 5, 4), None, COMP),
    ("cvm41sip.8-5-4TH1-6.sbn", "7941/7961", SIP, (8, 5, 4), None, COMP),
    ("dsp41.8-5-4TH1-6.sbn", "7941/7961", None, (8, 5, 4), None, COMP),
    ("jar41sip.8-5-4TH1-6.sbn", "7941/7961", SIP, (8, 5, 4), None, COMP),
    ("jar41sccp.8-5-4TH1-6.sbn", "7941/7961", SCCP, (8, 5, 4), None, COMP),
    ("CP7912080004SCCP080108A", "7912", SCCP, (8, 0, 4), None, APP),
    ("CP7912080000SIP060111A.sbin", "7912", SIP, (8, 0, 0), None, APP),
    ("CP7905080003SCCP070409A", "7905", SCCP, None, None, APP),
    ("CP7902080002SCCP060817A", "7902", SCCP, None, None, APP),
    ("ATA030204SCCP090202A", "ATA 186", SCCP, (3, 2, 4), None, APP),
    ("cmterm_7920.4.0-03-02", "7920", SCCP, None, None, APP),
    ("cmterm_7936.3-3-21-0", "7936", SCCP, None, None, APP),
    ("CP7921G-1.4.6.3", "7921", SCCP, None, None, APP),
    ("CP7925G-1.4.1SR1", "7925", SCCP, None, None, APP),
    ("apps37sccp.1-4-5-7", "7937", SCCP, (1, 4, 5, 7), None, APP),
    ("S00105000400", "7914", None, (5, 0, 4, 0), None, APP),
    ("B015-1-0-4-2", "7915", None, (1, 0, 4), None, APP),
    ("B016-1-0-4-2", "7916", None, (1, 0, 4), None, APP),
    ("sip78xx.10-1-1SR1-4", "78xx", SIP, None, None, APP),
    ("sip8831.9-3-3-5", "8831", SIP, None, None, APP),
    ("sip9971.9-4-1-9", "9971", SIP, None, None, APP),
]


@pytest.mark.parametrize(
    ("name", "family", "protocol", "version", "service_release", "role"),
    TABLE,
    ids=[row[0] for row in TABLE],
)
def test_spec_table(
    name: str,
    family: str,
    protocol: Protocol | None,
    version: tuple[int, ...] | None,
    service_release: int | None,
    role: Role,
) -> None:
    image = parse(name)
    assert image.family == family
    assert image.protocol is protocol
    if version is not None:
        assert image.version == version
        assert image.service_release == service_release
    assert image.role is role
    assert str(image) == name


def test_extension_and_name_are_split() -> None:
    image = parse("P0S3-8-12-00.loads")
    assert (image.name, image.extension, image.signed) == ("P0S3-8-12-00", ".loads", True)
    assert parse("P003-8-12-00.bin").signed is False
    assert parse("P0S3-8-12-00").extension is None
    assert parse("P0S3-8-12-00").signed is None
    # A dot inside a Java name is not an extension.
    assert parse("SIP41.8-5-4S").name == "SIP41.8-5-4S"
    assert parse("SIP41.8-5-4S").signed is True


def test_details_of_rich_names() -> None:
    java = parse("SIP41.9-4-2SR3-1S")
    assert (java.build, java.display_version) == ("1", "9.4(2)SR3")
    cp = parse("CP7912080004SCCP080108A")
    assert cp.build_date == datetime.date(2008, 1, 8)
    assert cp.build == "A"
    assert parse("CP7912080000SIP060111A.sbin").build_date == datetime.date(2006, 1, 11)
    assert parse("ATA030204SCCP090202A").build_date == datetime.date(2009, 2, 2)
    assert parse("apps41.8-5-4TH1-6.sbn").component == "apps"
    assert parse("apps41.8-5-4TH1-6.sbn").build == "TH1-6"
    assert parse("P0S3-8-12-00").display_version == "8.12(0)"
    assert parse("P00308010200").display_version == "8.1(2.0)"
    assert parse("P0S30203.bin").version == (2, 3)
    assert parse("P0S30203.bin").protocol is SIP


def test_loader_says_so() -> None:
    image = parse("P003-8-12-00.sbn")
    assert image.role is LOADER
    assert image.protocol is None
    assert any("loader" in note for note in image.notes)
    # The 12-digit and the old 8.3 P003 names are SCCP applications.
    assert parse("P00308010200").role is APP
    assert parse("P0030301.bin").protocol is SCCP


def test_versions_order_within_a_family() -> None:
    names = ["P0S3-08-12-00", "P0S3-07-4-00", "P0S3-8-2-00", "P0S3-08-11-00", "P0S3-06-3-00"]
    ordered = [str(i) for i in sorted(parse(n) for n in names)]
    assert ordered == ["P0S3-06-3-00", "P0S3-07-4-00", "P0S3-8-2-00", "P0S3-08-11-00",
                       "P0S3-08-12-00"]  # fmt: skip
    assert parse("P00308010100") < parse("P00308010200") < parse("P0030801SR02")
    assert parse("SIP41.9-4-2SR1-1S") < parse("SIP41.9-4-2SR3-1S")
    assert parse("SIP41.8-5-2S") <= parse("SCCP41.8-5-2S") <= parse("SIP41.8-5-2S")
    assert parse("SIP41.9-4-2S") > parse("SIP41.8-5-4S")
    assert parse("SIP41.9-4-2S") >= parse("SIP41.8-5-4S")


def test_different_families_do_not_order() -> None:
    with pytest.raises(TypeError):
        _ = parse("P0S3-08-12-00") < parse("SIP41.9-4-2SR3-1S")
    assert parse("P0S3-08-12-00") != parse("P0S3-8-12-00")
    assert parse("P0S3-08-12-00") == parse("P0S3-08-12-00")


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("POS3-08-12-00", "P0S3-08-12-00"),
        ("P0S3-O8-12-00", "P0S3-08-12-00"),
        ("POO308010200", "P00308010200"),
        ("P0S3-08-12-00 ", "P0S3-08-12-00"),
        ("P0S3-8-12-00\t", "P0S3-8-12-00"),
        (" P0S3-8-12-00", "P0S3-8-12-00"),
        ("P0S3-08-12", "P0S3-08-12-00"),
        ("P0S3-8-12.loads", "P0S3-8-12-00.loads"),
        ("p0s3-08-12-00", "P0S3-08-12-00"),
    ],
)
def test_near_misses_suggest_the_name(typed: str, suggestion: str) -> None:
    with pytest.raises(FirmwareNameError) as info:
        parse(typed)
    assert info.value.suggestion == suggestion
    assert repr(suggestion) in str(info.value)
    assert isinstance(info.value, ParseError)
    assert parse(suggestion) is not None


def test_letter_o_error_points_at_the_letter() -> None:
    with pytest.raises(FirmwareNameError) as info:
        parse("POS3-08-12-00")
    assert info.value.column == 2
    assert "letter O" in info.value.message


@pytest.mark.parametrize(
    "bad", ["", "hello", "P0X3-08-12-00", "SIP99.9-4-2S", "CP7912080004SCCP081308A", "P0S3-"]
)
def test_not_names(bad: str) -> None:
    with pytest.raises(FirmwareNameError) as info:
        parse(bad)
    assert info.value.suggestion is None


# --- properties -------------------------------------------------------------------------------

_d2 = st.integers(0, 99).map(lambda n: f"{n:02d}")
_d12 = st.integers(0, 99).map(str)
_ext = st.sampled_from(["", ".loads", ".sbn", ".sb2", ".bin", ".LOADS"])
_java_model = st.sampled_from(["06", "11", "31", "41", "42", "45", "61", "62", "65", "70", "75"])

valid_names = st.one_of(
    st.builds(
        lambda p, a, b, c, e: f"P0{p}3-{a}-{b}-{c}{e}",
        st.sampled_from("0SM"),
        st.one_of(_d2, _d12),
        _d12,
        _d2,
        _ext,
    ),
    st.builds(
        lambda f, a, b, c, d, e: f"P00{f}{a}{b}{c}{d}{e}",
        st.sampled_from("345"),
        _d2,
        _d2,
        _d2,
        _d2,
        _ext,
    ),
    st.builds(lambda a, b, sr: f"P003{a}{b}SR{sr}", _d2, _d2, _d2),
    st.builds(
        lambda pre, m, a, b, c, sr, bld, s, e: f"{pre}{m}.{a}-{b}-{c}{sr}{bld}{s}{e}",
        st.sampled_from(["SIP", "SCCP", "TERM"]),
        _java_model,
        _d12,
        _d12,
        _d12,
        st.sampled_from(["", "SR1", "SR3"]),
        st.sampled_from(["", "-1", "-12"]),
        st.sampled_from(["", "S"]),
        _ext,
    ),
    st.builds(
        lambda k, m, p, a: f"{k}{m}{p}.{a}-5-4TH1-6.sbn",
        st.sampled_from(["apps", "cnu", "dsp", "cvm", "jar"]),
        _java_model,
        st.sampled_from(["", "sip", "sccp"]),
        _d12,
    ),
    st.builds(
        lambda m, a, p, d: f"CP{m}{a}0004{p}{d:%y%m%d}A",
        st.sampled_from(["7902", "7905", "7912"]),
        _d2,
        st.sampled_from(["SIP", "SCCP"]),
        st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    ),
    st.builds(
        lambda a, p, d: f"ATA{a}0204{p}{d:%y%m%d}B",
        _d2,
        st.sampled_from(["SIP", "SCCP", "MGCP", "H323"]),
        st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    ),
    st.builds(lambda m, e: f"term{m}.default{e}", _java_model, _ext),
    st.builds(
        lambda m, a, b, sr: f"CP{m}G-{a}.{b}.1{sr}",
        st.sampled_from(["7921", "7925", "7926"]),
        _d12,
        _d12,
        st.sampled_from(["", "SR1", "SR12"]),
    ),
    st.builds(lambda m, a: f"cmterm_{m}.{a}.0-03-02", st.sampled_from(["7920", "7936"]), _d12),
    st.builds(lambda a, b: f"S001{a}{b}0400", _d2, _d2),
    st.builds(lambda k, a: f"{k}-1-0-{a}-2", st.sampled_from(["B015", "B016"]), _d12),
    st.builds(
        lambda p, m, sr: f"{p}{m}.10-1-1{sr}-4",
        st.sampled_from(["sip", "sccp"]),
        st.sampled_from(["78xx", "88xx", "8831", "9971"]),
        st.sampled_from(["", "SR1"]),
    ),
    st.builds(
        lambda p, m, a, b, tail, e: f"{p}{m}.{a}-{b}-1{tail}{e}",
        st.sampled_from(["sip", "SIP", "SCCP", "BOOT", "kern", "rootfs2.", "sboot"]),
        st.sampled_from(["69xx", "78xx", "88xx", "894x", "8845_65", "8821", "7832", "6901"]),
        _d12,
        _d12,
        st.sampled_from(
            ["", "-0101-145", "MPP0001-325", "MN-113", "SR2-4", "-a", "MSR1-1", "-3SR1"]
        ),
        st.sampled_from(["", ".loads", ".sbn", ".zz.sgn", ".zz"]),
    ),
)


@given(valid_names)
def test_generated_names_round_trip(name: str) -> None:
    image = parse(name)
    assert str(image) == name
    assert image.name + (image.extension or "") == name
    assert isinstance(image, FirmwareImage)


@given(st.text(max_size=40))
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    error: ParseError | None = None
    try:
        image = parse(text)
    except ParseError as err:
        error = err
    if error is None:
        assert str(image) == text
    else:
        assert error.message


@given(st.from_regex(r"P[0O][0SMO]3-[0-9O]{1,2}-[0-9O]{1,2}-[0-9O]{1,2}", fullmatch=True))
def test_letter_o_is_always_caught_with_a_working_suggestion(text: str) -> None:
    if "O" not in text:
        assert str(parse(text)) == text
        return
    with pytest.raises(FirmwareNameError) as info:
        parse(text)
    suggestion = info.value.suggestion
    assert suggestion is not None
    assert "O" not in suggestion
    assert str(parse(suggestion)) == suggestion


# --- names found in real provisioning files ---------------------------------------------------

_LOAD_INFORMATION = re.compile(r'<loadInformation\d*(?:\s+model="(?P<model>[^"]*)")?\s*>'
                               r"(?P<name>[^<]+)<")  # fmt: skip


def _corpus_load_names() -> list[tuple[str, str | None]]:
    found: set[tuple[str, str | None]] = set()
    for path in corpus_files("xmlcfg"):
        text = path.read_text("utf-8", "replace")
        found.update((m["name"].strip(), m["model"]) for m in _LOAD_INFORMATION.finditer(text))
    for path in corpus_files("cnf"):
        text = path.read_text("utf-8", "replace")
        found.update((m[1], None) for m in re.finditer(r'image_version\s*:\s*"?(P0[^\s";]+)', text))
    for path in corpus_files("seed"):
        text = path.read_text("utf-8", "replace")
        found.update((m[1], None) for m in re.finditer(r"<(P0[^>]+)>", text))
    return sorted(found, key=lambda pair: (pair[0], pair[1] or ""))


CORPUS_NAMES = _corpus_load_names()


def _family_covers(family: str, model: str) -> bool:
    """Does a decoded family (``7941/7961``, ``69xx``) name the model of the XML attribute?"""
    digits = re.search(r"\d{4}", model)
    if digits is None or not model.lower().startswith("cisco"):
        return True  # gateways and media resources: no phone model to compare
    number = digits[0]
    # The 3911 runs the 3951's load (one loadInformation line in the corpus says so).
    shared = {("3951", "3911")}
    return any(
        re.fullmatch(part.replace("x", r"\d"), number) or (part, number) in shared
        for part in re.split(r"[/ ]", family)
    )


# Published XMLDefault.cnf.xml files that give a model another family's load: a 7940/7960
# SCCP load for four 79x1 phones, the 7914 module's load for 7915/7916 modules, a 7911 load for
# the 7910. The decoder must see each mismatch.
KNOWN_MISMATCHES = {
    *{("P00308000600", f"CISCO {model}") for model in ("7942", "7962", "7945", "7965")},
    *{
        ("S00105000400", f"Cisco IP Phone {model} {size}-Button Line Expansion Module")
        for model in ("7915", "7916")
        for size in ("12", "24")
    },
    ("SCCP11.9-0-2SR1S", "Cisco 7910"),
}


@pytest.mark.parametrize(
    ("name", "model"), corpus_cases(CORPUS_NAMES, [n for n, _ in CORPUS_NAMES], width=2)
)
def test_corpus_load_names_decode(name: str, model: str | None) -> None:
    image = parse(name)
    assert str(image) == name
    if model is not None:
        covers = _family_covers(image.family, model)
        assert covers is ((name, model) not in KNOWN_MISMATCHES), (image.family, model)


# --- the families a 79xx tree holds beside its phones -----------------------------------------

# Real names, with where they were seen: the chan-sccp project's SCCP manager model table
# (install.php), CME router configurations serving phone loads (``tftp-server flash:…``),
# Cisco's multiplatform firmware guides, firmware inventories in public provisioning scripts,
# and names users reported the decoder refusing. Each: family, protocol, version, service
# release, role, device.
OTHER_FAMILIES: list[
    tuple[str, str, Protocol | None, tuple[int, ...], int | None, Role, str, str | None]
] = [
    # 89xx: the x stands for 8941 and 8945.
    ("SCCP894x.9-4-2SR1-2", "8941/8945", SCCP, (9, 4, 2), 1, APP, "phone", "2"),
    ("SCCP894x.9-2-2-0", "8941/8945", SCCP, (9, 2, 2), None, APP, "phone", "0"),
    ("SCCP8941_8945.9-4-1-9", "8941/8945", SCCP, (9, 4, 1), None, APP, "phone", "9"),
    ("sip8961.9-4-1-9", "8961", SIP, (9, 4, 1), None, APP, "phone", "9"),
    # 69xx, the 6901 with a letter build, the boot file inside a 69xx load.
    ("SCCP6901.9-2-1-a", "6901", SCCP, (9, 2, 1), None, APP, "phone", "a"),
    ("SCCP6901.9-3-1-SR1-3", "6901", SCCP, (9, 3, 1), 1, APP, "phone", "3"),
    ("SIP69xx.9-4-1-3SR3", "69xx", SIP, (9, 4, 1), 3, APP, "phone", "3"),
    ("SIP69xx.9-4-1-3SR3.zz.sgn", "69xx", SIP, (9, 4, 1), 3, APP, "phone", "3"),
    ("BOOT69xx.0-0-0-14.zz.sgn", "69xx", None, (0, 0, 0), None, COMP, "phone", "14"),
    # 88xx: enterprise (four-field builds), multiplatform (MPP), the video and wireless models.
    ("sip88xx.14-0-1-0101-145", "88xx", SIP, (14, 0, 1), None, APP, "phone", "0101-145"),
    ("sip88xx.12-0-5MPP0001-325", "88xx", SIP, (12, 0, 5), None, APP, "phone", "MPP0001-325"),
    ("sip88xx.11-1-1MPP-221.loads", "88xx", SIP, (11, 1, 1), None, APP, "phone", "MPP-221"),
    ("sip88xx.12-0-1MN-113.loads", "88xx", SIP, (12, 0, 1), None, APP, "phone", "MN-113"),
    ("sip88xx.11-2-3MSR1-1", "88xx", SIP, (11, 2, 3), 1, APP, "phone", "M-1"),
    ("sip88xx.12-8-1-0101.loads", "88xx", SIP, (12, 8, 1), None, APP, "phone", "0101"),
    ("sip8845_65.14-1-1-0001-125", "8845/8865", SIP, (14, 1, 1), None, APP, "phone", "0001-125"),
    ("sip8821.11-0-6SR2-4", "8821", SIP, (11, 0, 6), 2, APP, "wireless phone", "4"),
    ("sip8831.9-3-3-5", "8831", SIP, (9, 3, 3), None, APP, "phone", "5"),
    ("kern88xx.12-0-1MN-113.sbn", "88xx", None, (12, 0, 1), None, COMP, "phone", "MN-113"),
    ("rootfs88xx.12-0-1MN-113.sbn", "88xx", None, (12, 0, 1), None, COMP, "phone", "MN-113"),
    ("sb288xx.BE-01-020.sbn", "88xx", None, (1, 20), None, COMP, "phone", "BE"),
    ("fbi88xx.BE-01-010.sbn", "88xx", None, (1, 10), None, COMP, "phone", "BE"),
    ("vc488xx.12-0-1MN-113.sbn", "88xx", None, (12, 0, 1), None, COMP, "phone", "MN-113"),
    # 78xx and the 7832 conference phone.
    ("sip78xx.14-1-1-0001-136", "78xx", SIP, (14, 1, 1), None, APP, "phone", "0001-136"),
    ("sip78xx.12-1-1-12", "78xx", SIP, (12, 1, 1), None, APP, "phone", "12"),
    ("sip7832.14-4-1-0001-36", "7832", SIP, (14, 4, 1), None, APP, "phone", "0001-36"),
    ("sip7832.12-5-1SR2-2", "7832", SIP, (12, 5, 1), 2, APP, "phone", "2"),
    ("kern2.78xx.14-2-1-0101-26.sbn", "78xx", None, (14, 2, 1), None, COMP, "phone", "0101-26"),
    ("sboot78xx.12-5-1SR1-4.sbn", "78xx", None, (12, 5, 1), 1, COMP, "phone", "4"),
    # 99xx.
    ("sip9971.9-4-2SR4-1", "9971", SIP, (9, 4, 2), 4, APP, "phone", "1"),
    ("sip9951.9-2-2SR1-9", "9951", SIP, (9, 2, 2), 1, APP, "phone", "9"),
    # The 3905 and its application file, the ATA 187.
    ("CP3905.9-4-1SR3.loads", "3905", None, (9, 4, 1), 3, APP, "phone", None),
    ("APP3905.9-4-1SR3.zz", "3905", None, (9, 4, 1), 3, COMP, "phone", None),
    ("ATA187.9-2-3-1", "ATA 187", None, (9, 2, 3), None, APP, "analog adapter", "1"),
    # Sidecars, wireless and conference phones of the 79xx generation.
    ("S00105000400", "7914", None, (5, 0, 4, 0), None, APP, "expansion module", None),
    ("B015-1-0-4", "7915", None, (1, 0, 4), None, APP, "expansion module", None),
    ("B016-1-0-4-2", "7916", None, (1, 0, 4), None, APP, "expansion module", "2"),
    ("cmterm_7920.4.0-03-02", "7920", SCCP, (4, 0, 3, 2), None, APP, "wireless phone", None),
    ("CP7921G-1.4.6.3", "7921", SCCP, (1, 4, 6, 3), None, APP, "wireless phone", None),
    ("CP7925G-1.4.1SR1", "7925", SCCP, (1, 4, 1), 1, APP, "wireless phone", None),
    ("CP7926G-1.4.5.3", "7926", SCCP, (1, 4, 5, 3), None, APP, "wireless phone", None),
    ("apps37sccp.1-4-5-7", "7937", SCCP, (1, 4, 5, 7), None, APP, "conference phone", None),
    ("cmterm_7936.3-3-21-0", "7936", SCCP, (3, 3, 21, 0), None, APP, "conference phone", None),
]


@pytest.mark.parametrize(
    ("name", "family", "protocol", "version", "service_release", "role", "device", "build"),
    OTHER_FAMILIES,
    ids=[row[0] for row in OTHER_FAMILIES],
)
def test_other_families(
    name: str,
    family: str,
    protocol: Protocol | None,
    version: tuple[int, ...],
    service_release: int | None,
    role: Role,
    device: str,
    build: str | None,
) -> None:
    image = parse(name)
    assert (image.family, image.protocol, image.version) == (family, protocol, version)
    assert (image.service_release, image.role, image.device) == (service_release, role, device)
    assert image.build == build
    assert str(image) == name


def test_extensions_of_the_newer_families() -> None:
    assert parse("BOOT69xx.0-0-0-14.zz.sgn").extension == ".zz.sgn"
    assert parse("BOOT69xx.0-0-0-14.zz.sgn").signed is True
    assert parse("APP3905.9-4-1SR3.zz").signed is False
    assert parse("kern2.78xx.14-2-1-0101-26.sbn").component == "kern2"


def test_newer_families_order_by_version() -> None:
    names = ["sip88xx.14-0-1-0101-145", "sip88xx.11-2-3MSR1-1", "sip88xx.12-0-1MN-113"]
    assert [str(i) for i in sorted(parse(n) for n in names)] == [
        "sip88xx.11-2-3MSR1-1",
        "sip88xx.12-0-1MN-113",
        "sip88xx.14-0-1-0101-145",
    ]

"""79x0 → 79x1 migration of real files: valid output, every source line accounted for."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.paths import CORPUS, corpus_files, missing_corpus_param, no_corpus

from ciscocfg import ValidationError, cnf, sepxml
from ciscocfg._diagnostic import Diagnostic, has_errors
from ciscocfg.migrate import _keymap as km
from ciscocfg.migrate import cnf_entries, cnf_to_sepxml, sepxml_to_cnf

# Phone files of the corpus (SIP<MAC>.cnf and extension-less copies of one), each with the
# SIPDefault.cnf of its own deployment where there is one.
_DEFAULTS = {
    "julianhead": "julianhead__CiscoPhones__SIPDefault.cnf",
    "nikscave": "nikscave__freepbx_configs__SIPDefault.cnf",
    "fusionpbx": (
        "fusionpbx__fusionpbx__resources__templates__provision__cisco__7940__SIPDefault.cnf"
    ),
    "provisioner": "provisioner__Provisioner__endpoint__cisco__sip79xx__SIPDefault.cnf",
}
_TEMPLATE_MARKERS = ("{$", "{{", "#EXTENSION")

#: sepxml.validate's code for "a SIP config needs a line with name, proxy and port".
_NO_SIP_LINE = "XML102"


def _phone_files() -> list[object]:
    found: list[object] = []
    for path in corpus_files("cnf") + corpus_files("seed"):
        name = path.name
        if "SIPDefault" in name or not (
            "SIP" in name.split("__")[-1] or name.endswith(("SEPBASE", "SEPOLD"))
        ):
            continue
        if name.endswith((".md", ".log")):
            continue
        found.append(pytest.param(path, id=name))
    if not found:
        found.append(missing_corpus_param())
    return found


def _default_for(path: Path) -> Path | None:
    if path.parent.name == "seed":
        return path.parent / "SIPDefault.cnf"
    owner = path.name.split("__")[0]
    name = _DEFAULTS.get(owner)
    return path.parent / name if name else None


def _load(path: Path) -> cnf.Document:
    doc = cnf.load(path, strict=False)
    doc.source = path.name
    return doc


def _is_template(path: Path) -> bool:
    text = path.read_text(encoding="utf-8", errors="replace")
    return any(marker in text for marker in _TEMPLATE_MARKERS)


def _normal(key: str, value: str) -> str:
    rule = next((r for r in km.SCALAR_RULES if r.key == key), None)
    if key == "user_info":
        return value.strip().lower()
    if rule is not None and rule.conversion is not km.Conversion.COPY:
        return value.strip()
    return value


def _accounted(
    docs: list[cnf.Document], findings: list[Diagnostic], back: cnf.Document
) -> list[str]:
    """Source lines neither reported nor carried back unchanged."""
    reported = {(d.source, d.line) for d in findings}
    lost: list[str] = []
    for doc in docs:
        entries, _ = cnf_entries(doc)
        for entry in entries:
            if (entry.source, entry.line) in reported:
                continue
            if '"' in entry.value:
                # Carried into the XML; a .cnf writer cannot write it back (MIG108).
                continue
            if entry.key not in back or _normal(entry.key, back[entry.key]) != _normal(
                entry.key, entry.value
            ):
                lost.append(f"{entry.source}:{entry.line}: {entry.key}={entry.value!r}")
    return lost


@pytest.mark.parametrize("path", _phone_files())
def test_corpus_every_line_is_accounted_for(path: Path) -> None:
    """Templates included: whatever their placeholders, no line goes unaccounted for."""
    phone = _load(path)
    default_path = _default_for(path)
    default = _load(default_path) if default_path and default_path.is_file() else None
    config, findings = cnf_to_sepxml(phone, default, model="7961", fix=True)
    back, _ = sepxml_to_cnf(config)
    docs = [cnf.fix(d) for d in (default, phone) if d is not None]
    assert _accounted(docs, findings, back) == []
    invalid = {
        (doc.source, n)
        for doc in docs
        for n, line in enumerate(doc.lines, 1)
        if type(line) is cnf.InvalidLine
    }
    assert invalid <= {(d.source, d.line) for d in findings if d.code == "MIG011"}


@pytest.mark.parametrize("path", _phone_files())
@pytest.mark.parametrize("model", ["7961", "7941", "7911"])
def test_corpus_phone_file_migrates(path: Path, model: str) -> None:
    phone = _load(path)
    default_path = _default_for(path)
    default = _load(default_path) if default_path and default_path.is_file() else None
    config, findings = cnf_to_sepxml(phone, default, model=model, fix=True)
    problems = [d for d in sepxml.validate(config, model=model) if d.severity == "error"]
    if _is_template(path) and problems:
        # A template's line name is a placeholder ({$mac}, {{line}}), so no usable line can be
        # carried over: the only error the phone would raise is the missing SIP line.
        assert {d.code for d in problems} == {_NO_SIP_LINE}, problems
    else:
        assert problems == []
    assert config.protocol == "SIP"
    assert "P0S3" not in config.dumps()
    assert not has_errors(findings)
    back, _ = sepxml_to_cnf(config)
    docs = [cnf.fix(d) for d in (default, phone) if d is not None]
    assert _accounted(docs, findings, back) == []


def test_seed_story_migrates_with_reasons() -> None:
    seed = CORPUS / "seed"
    if not seed.is_dir():
        no_corpus()
    phone = _load(seed / "SIPmacaddress.cnf")
    default = _load(seed / "SIPDefault.cnf")
    config, findings = cnf_to_sepxml(phone, default, model="7961")
    codes = {d.code for d in findings}
    # image_version (never copied), telnet_level (no equivalent), time_zone/DST (lossy).
    assert {"MIG004", "MIG001", "MIG002"} <= codes
    assert config.get("sipProfile/stopMediaPort") == "8012"
    assert config.get("sipProfile/startMediaPort") == "8000"
    by_line = {(d.source, d.line) for d in findings if d.code == "MIG004"}
    assert ("SIPDefault.cnf", 1) in by_line or ("SIPmacaddress.cnf", 1) in by_line


def test_seed_as_published_has_no_line() -> None:
    seed = CORPUS / "seed"
    if not seed.is_dir():
        no_corpus()
    config, findings = cnf_to_sepxml(_load(seed / "SIPmacaddress.cnf"), model="7961")
    assert config.lines == []
    assert "MIG017" in {d.code for d in findings}
    hinted = [d for d in findings if d.code == "MIG005" and d.suggestion == "line1_name"]
    assert hinted
    assert hinted[0].line == 3


def test_round_trip_keeps_shared_settings() -> None:
    text = (
        "proxy_register: 1\n"
        "timer_t1: 500\n"
        "nat_enable: 0\n"
        "user_info: phone\n"
        "dial_template: dialplan\n"
        "end_media_port: 32766\n"
        "line1_name: 2001\n"
        "line1_authname: 2001\n"
        "line1_password: secret\n"
        "line1_displayname: Front Desk\n"
        "proxy1_address: 192.0.2.10\n"
        "proxy1_port: 5060\n"
        "messages_uri: *97\n"
        "date_format: D/M/Y\n"
        "time_format_24hr: 0\n"
        "sntp_server: pool.ntp.org\n"
    )
    phone = cnf.loads(text, source="SIP001122334455.cnf")
    config, findings = cnf_to_sepxml(phone, model="7961")
    assert findings == []
    back, lost = sepxml_to_cnf(config)
    assert lost == []
    assert dict(back) == dict(phone)


def test_model_must_be_79x1() -> None:
    with pytest.raises(ValidationError, match="79x1"):
        cnf_to_sepxml(cnf.loads("line1_name: 1\n"), model="7940")
    with pytest.raises(ValidationError, match="unknown phone model"):
        cnf_to_sepxml(cnf.loads("line1_name: 1\n"), model="1234")


def test_values_the_cnf_cannot_hold_are_reported() -> None:
    config = sepxml.new_sip(name="2001", password="x", proxy="pbx", phone_label='a"b')
    back, findings = sepxml_to_cnf(config)
    assert "phone_label" not in back
    assert "MIG108" in {d.code for d in findings}
    assert back["line1_name"] == "2001"


_KEYS = st.sampled_from(
    sorted({r.key for r in km.SCALAR_RULES} | set(km.DROPPED_KEYS) | {"line1_name", "x_y"})
)
_VALUE = st.text(st.characters(codec="ascii", exclude_characters='"\r\n;#'), max_size=10)


@given(st.lists(st.tuples(_KEYS, _VALUE), max_size=25))
def test_any_valid_document_migrates(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f'{k}: "{v}"\n' for k, v in pairs)
    phone = cnf.loads(text, source="SIP001122334455.cnf")
    config, findings = cnf_to_sepxml(phone, model="7961")
    back, _ = sepxml_to_cnf(config)
    assert _accounted([phone], findings, back) == []


_ANY_KEY = st.one_of(_KEYS, st.from_regex(r"(line|proxy|speed_line|speed_label)[1-9]_?[a-z]{0,8}"))


@given(
    lines=st.lists(
        st.one_of(
            st.tuples(_ANY_KEY, st.text(max_size=12)).map(lambda kv: f"{kv[0]}: {kv[1]}"),
            st.text(max_size=20),
        ),
        max_size=20,
    ),
    model=st.sampled_from(["7911", "7941", "7961", "7970"]),
)
def test_any_text_migrates_and_every_line_is_accounted_for(lines: list[str], model: str) -> None:
    phone = cnf.loads("\n".join(lines), strict=False, source="SIP001122334455.cnf")
    config, findings = cnf_to_sepxml(phone, model=model)
    assert config.protocol == "SIP"
    reported = {d.line for d in findings}
    entries, _ = cnf_entries(phone)
    back, _ = sepxml_to_cnf(config)
    unreadable = [d for d in findings if d.code.startswith("TXT")]
    if unreadable:
        # Not text (NUL bytes ...): one finding for the whole file, and nothing carried.
        assert [(d.source, d.line) for d in unreadable] == [("SIP001122334455.cnf", None)]
        assert entries == []
        return
    for number, line in enumerate(phone.lines, 1):
        if type(line) is cnf.InvalidLine:
            assert number in reported
    assert _accounted([phone], findings, back) == [], entries


def test_finding_about_the_whole_config_names_the_phone_file() -> None:
    default = cnf.loads("proxy1_address: 10.0.0.5\n", source="SIPDefault.cnf")
    phone = cnf.loads("phone_label: desk\n", source="SIP001122334455.cnf")
    _, findings = cnf_to_sepxml(phone, default, model="7961")
    no_line = [d for d in findings if d.code == "MIG017"]
    assert [d.source for d in no_line] == ["SIP001122334455.cnf"]


def test_what_the_phone_reads_is_what_is_carried() -> None:
    # A byte order mark makes the first key another one to the 79x0: it had no line 1 to carry.
    phone = cnf.loads("\ufeffline1_name: 2001\nproxy1_address: pbx\n", source="SIP001122334455.cnf")
    config, findings = cnf_to_sepxml(phone, model="7961")
    (unknown,) = [d for d in findings if d.code == "MIG005"]
    assert unknown.suggestion == "line1_name"
    assert "another key" in unknown.message
    # Repaired first, it is carried.
    config, findings = cnf_to_sepxml(phone, model="7961", fix=True)
    assert [line.name for line in config.lines] == ["2001"]
    assert "MIG021" in {d.code for d in findings}

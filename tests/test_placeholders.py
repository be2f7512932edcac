"""The one recogniser of template placeholders, in the styles the provisioning systems write."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg import Diagnostic, cnf, dialplan, os79xx, ringlist, ringxml, sepxml
from ciscocfg._placeholders import (
    Placeholders,
    find,
    has_placeholder,
    makes_text,
    without_placeholders,
)
from ciscocfg.sepxml._tables import BOOLEAN_ELEMENTS, INTEGER_ELEMENTS, LENGTH_LIMITS

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True)
upper_names = st.from_regex(r"[A-Z][A-Z0-9_]{2,12}", fullmatch=True)


@st.composite
def placeholders(draw: st.DrawFn) -> str:
    """One placeholder of any style the library recognises."""
    name = draw(names)
    upper = draw(upper_names)
    return draw(
        st.sampled_from(
            [
                f"{{{{ {name} }}}}",
                f"{{{{{name}}}}}",
                f"{{$ {name} }}",
                f"{{${name}}}",
                f"{{${name}.line.1}}",
                f"{{{name}}}",
                f"{{ {name} }}",
                f"###{name}###",
                f"${name}",
                f"${{{name}}}",
                f"%{upper}%",
                f"%%{name}{name}%%",
                f"#{upper}#",
                f"#{upper}",
                f"[{upper}X]",
            ]
        )
    )


@given(placeholders())
def test_every_style_is_recognised_on_its_own(placeholder: str) -> None:
    assert has_placeholder(placeholder)
    assert find(placeholder) == [placeholder]


@given(placeholders(), st.sampled_from(["sip:", "", " ", "10.0.0."]), st.sampled_from(["", "@x"]))
def test_embedded_styles_are_recognised_anywhere(placeholder: str, before: str, after: str) -> None:
    if placeholder.startswith(("#", "[")) and not placeholder.endswith("#"):
        return  # '#X' and '[X]' are placeholders only as a whole value
    if placeholder.startswith("$") and before.endswith(tuple("0123456789.")):
        return  # 'a$b' is not a placeholder
    assert has_placeholder(before + placeholder + after)


@given(
    st.one_of(
        st.from_regex(r"[0-9*#.,]{1,20}", fullmatch=True),  # dial strings and patterns
        st.from_regex(r"[a-z0-9][a-z0-9.-]{0,30}", fullmatch=True),  # host names
        st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){3}", fullmatch=True),  # addresses
        st.from_regex(r"[0-9%s.,*]{1,20}", fullmatch=True),  # rewrites: %s, %1
        st.from_regex(r"[A-Za-z0-9 ]{0,20}", fullmatch=True),  # names, labels
    )
)
def test_ordinary_values_are_not_placeholders(value: str) -> None:
    assert not has_placeholder(value)
    assert find(value) == []
    assert without_placeholders(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "Pa$$word",
        "pa$word",
        "#97",
        "*31#",
        "%s%1",
        "100%",
        "[0-9]",
        "[ABCD]",
        "{}",
        "a { b",
        "%d/%m",
        "http://192.0.2.1/logo%C2%AE%20x.bmp",
    ],
)
def test_look_alikes_are_not_placeholders(value: str) -> None:
    assert not has_placeholder(value)


@pytest.mark.parametrize(
    ("tag", "makes"),
    [
        ("{if $x}", False),
        ("{/foreach}", False),
        ("{% for line in lines %}", False),
        ("{{py:n = 1}}", False),
        ("{{endfor}}", False),
        ("{* a comment *}", False),
        ("{{ XX_fkeys }}", True),
        ('{include file="lines.tpl"}', True),
        ("{% include 'lines.tpl' %}", True),
        ("{$mac}", True),
    ],
)
def test_tags_that_steer_and_tags_that_make_text(tag: str, makes: bool) -> None:
    assert has_placeholder(tag)
    assert makes_text(tag) is makes


def test_one_finding_for_a_file() -> None:
    spots = Placeholders()
    assert not spots
    assert spots.finding("x.cnf") is None
    spots.add(7, 'proxy1_address: "{$server}"')
    spots.add(3, "{{ sntp }}")
    finding = spots.finding("x.cnf")
    assert finding is not None
    assert (finding.code, finding.severity, finding.line) == ("TPL001", "info", 3)
    assert "'{{ sntp }}'" in finding.message
    assert "2 lines" in finding.message


# -- every validator: a placeholder where a value belongs is one info, never a type error --------

_SEPXML_LEAVES = sorted(
    BOOLEAN_ELEMENTS
    | INTEGER_ELEMENTS
    | set(LENGTH_LIMITS)
    | {"userInfo", "maxNumCalls", "phoneLabel", "natRecievedProcessing"}
)


def _only_the_template_finding(found: list[Diagnostic]) -> None:
    assert [(d.code, d.severity) for d in found] == [("TPL001", "info")], found


@given(st.sampled_from(sorted(cnf.PARAMETERS)), placeholders(), st.booleans())
def test_cnf_any_key(key: str, placeholder: str, quoted: bool) -> None:
    value = f'"{placeholder}"' if quoted else placeholder
    text = f"{key}: {value}\n"
    found = cnf.validate(cnf.loads(text, source="SIPDefault.cnf"), model="7960")
    _only_the_template_finding(found)


@given(st.sampled_from(_SEPXML_LEAVES), placeholders(), st.sampled_from(["SIP", "SCCP"]))
def test_sepxml_any_element(element: str, placeholder: str, protocol: str) -> None:
    line = (
        "<sipProfile><sipLines><line button='1'><featureID>9</featureID><name>1001</name>"
        "<proxy>pbx.example.net</proxy><port>5060</port></line></sipLines></sipProfile>"
    )
    text = (
        f"<device><deviceProtocol>{protocol}</deviceProtocol>{line}"
        f"<{element}>{placeholder}</{element}></device>"
    )
    _only_the_template_finding(sepxml.validate(sepxml.loads(text), model="7961"))


@given(placeholders(), st.sampled_from(["deviceProtocol", "loadInformation"]))
def test_sepxml_protocol_and_load(placeholder: str, element: str) -> None:
    parts = {"deviceProtocol": "SCCP", "loadInformation": "SCCP41.9-4-2SR3-1S"}
    parts[element] = placeholder
    text = "<device>" + "".join(f"<{k}>{v}</{k}>" for k, v in parts.items()) + "</device>"
    _only_the_template_finding(sepxml.validate(sepxml.loads(text), model="7961"))


@given(
    st.sampled_from(["MATCH", "Timeout", "User", "Rewrite", "Route", "Tone", "Line"]),
    placeholders(),
)
def test_dialplan_any_attribute(attribute: str, placeholder: str) -> None:
    rule = {"MATCH": "2...", "Timeout": "0", attribute: placeholder}
    attributes = " ".join(f'{name}="{value}"' for name, value in rule.items())
    text = (
        '<DIALTEMPLATE>\n  <TEMPLATE MATCH="911" Timeout="0" User="Phone"/>\n'
        f"  <TEMPLATE {attributes}/>\n</DIALTEMPLATE>\n"
    )
    _only_the_template_finding(dialplan.validate(dialplan.loads(text)))


@given(placeholders(), st.booleans())
def test_ringlist_any_field(placeholder: str, in_name: bool) -> None:
    text = f"{placeholder}\tChirp.raw\r\n" if in_name else f"Chirp\t{placeholder}\r\n"
    _only_the_template_finding(ringlist.validate(ringlist.loads(text), source="RINGLIST.DAT"))


@given(placeholders(), st.sampled_from(["", "\r\n"]))
def test_os79xx_image_name(placeholder: str, newline: str) -> None:
    doc = os79xx.loads(placeholder + newline, strict=False)
    _only_the_template_finding(os79xx.validate(doc))


@given(placeholders(), st.booleans())
def test_ringxml_any_field(placeholder: str, in_name: bool) -> None:
    name, file = (placeholder, "Chirp.raw") if in_name else ("Chirp", placeholder)
    text = (
        "<CiscoIPPhoneRingList><Ring>"
        f"<DisplayName>{name}</DisplayName><FileName>{file}</FileName>"
        "</Ring></CiscoIPPhoneRingList>"
    )
    _only_the_template_finding(ringxml.validate(ringxml.loads(text), filename="Ringlist.xml"))

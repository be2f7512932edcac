"""The one recogniser of template placeholders, in the styles the provisioning systems write."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ciscocfg._placeholders import (
    Placeholders,
    find,
    has_placeholder,
    makes_text,
    without_placeholders,
)

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
                f"[{upper}]",
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
    ["Pa$$word", "pa$word", "#97", "*31#", "%s%1", "100%", "[0-9]", "{}", "a { b", "%d/%m"],
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

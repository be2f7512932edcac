"""``render_file``'s quick way to a phone's own file gives the codec's bytes, for any phone.

``render_file`` fills a checked template with the values of a description made by
``PhoneSpec.create``; ``render`` builds every file with its codec and runs its validator. The
properties here say the two give the same bytes for any description ``create`` accepts, with
values drawn from far more of Unicode than a person types (XML's special characters, ``;``
and ``#`` in ``.cnf`` values, letters beyond ASCII), every model, every number of lines.
"""

from __future__ import annotations

import string
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from ciscocfg._phones import MODELS
from ciscocfg.generate import PhoneSpec, PhoneSpecError, _render, file_names, render, render_file

SIP_MODELS = sorted(MODELS)

# Any character a config value may hold: no control or format characters, no line or
# paragraph separators, no lone surrogates; XML's and the .cnf's special characters on purpose.
_CHARACTERS = st.one_of(
    st.sampled_from(string.printable[:95]),
    st.sampled_from(list("&<>\"';#éßü€ñ漢字")),
    st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp", "Co", "Cn")),
)
_VALUES = st.text(_CHARACTERS, min_size=1, max_size=30).map(str.strip).filter(bool)
_USERS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~+-]{0,20}", fullmatch=True)
_HOSTS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9](\.[a-z][a-z0-9]{0,8}){0,2}", fullmatch=True),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t))),
)
_IMAGES = st.sampled_from(
    [
        None,
        None,
        "P0S3-8-12-00",
        "P0S3-08-11-00",
        "P0S3-07-5-00",
        "SIP41.9-4-2SR3-1S",
        "SIP70.9-4-2SR3-1S",
        "SIP45.9-3-1SR1-1S",
    ]
)


@st.composite
def descriptions(draw: st.DrawFn) -> dict[str, Any]:
    model = draw(st.sampled_from(SIP_MODELS))
    count = draw(st.integers(1, MODELS[model].line_keys))
    users = draw(st.lists(_USERS, min_size=count, max_size=count))
    lines = [(u, draw(_VALUES), draw(st.one_of(st.just(""), _VALUES))) for u in users]
    port = draw(st.one_of(st.none(), st.integers(1, 65535)))
    host = draw(_HOSTS)
    return {
        "model": model,
        "mac": draw(st.text(alphabet="0123456789abcdefABCDEF", min_size=12, max_size=12)),
        "proxy": host if port is None else f"{host}:{port}",
        "lines": lines,
        "label": draw(st.one_of(st.none(), _VALUES)),
        "firmware": draw(_IMAGES),
        "timezone": draw(st.one_of(st.none(), st.sampled_from(["GMT", "CET", "EST", "JST"]))),
        "ntp": draw(st.one_of(st.none(), _HOSTS)),
    }


def created(facts: dict[str, Any]) -> PhoneSpec:
    try:
        return PhoneSpec.create(**facts)
    except PhoneSpecError:
        reject()


@settings(max_examples=400, suppress_health_check=[HealthCheck.filter_too_much])
@given(facts=descriptions())
def test_every_file_on_request_is_the_codecs_file(facts: dict[str, Any]) -> None:
    phone = created(facts)
    built = render(phone).files
    assert list(built) == list(file_names(phone))
    for name, data in built.items():
        assert render_file(phone, name) == data, name


@settings(max_examples=60, suppress_health_check=[HealthCheck.filter_too_much])
@given(facts=descriptions())
def test_a_description_not_made_by_create_is_built_in_full(facts: dict[str, Any]) -> None:
    phone = created(facts)
    copy = attrs.evolve(phone)  # the plain constructor: nothing checked, no template
    assert copy == phone
    assert not copy._checked
    name = file_names(phone)[0]
    assert render_file(copy, name) == render_file(phone, name)


@pytest.mark.parametrize("model", SIP_MODELS)
@pytest.mark.parametrize("labelled", [False, True])
def test_every_model_and_shape_has_a_template(model: str, labelled: bool) -> None:
    for count in range(1, MODELS[model].line_keys + 1):
        phone = PhoneSpec.create(
            model=model,
            mac="001BD4123456",
            proxy="pbx.example.net",
            lines=[f"{200 + n}:pw{n}" for n in range(count)],
            label="Desk" if labelled else None,
        )
        template = _render._own_template(_render._template_key(phone))
        assert template is not None, (model, count)
        # Every value of the description has its place in the file.
        assert set(template.slots) == set(range(3 if labelled else 2)) | set(
            range(3, 3 + 3 * count)
        )


def test_a_user_named_unprovisioned_is_refused() -> None:
    with pytest.raises(PhoneSpecError, match="not provisioned") as caught:
        PhoneSpec.create(model="7940", mac="001BD4123456", proxy="pbx", lines=["UNPROVISIONED:pw"])
    assert caught.value.field == "line1_user"

"""Phone descriptions for the generator's tests: Hypothesis strategies for valid and broken
ones, and readers that take the generated files back (each codec's round trip, a pjsip.conf as
Asterisk reads it)."""

from __future__ import annotations

import re
import string
from typing import Any

from hypothesis import strategies as st

from ciscocfg import cnf, dialplan, os79xx, sepxml
from ciscocfg._phones import MODELS
from ciscocfg.generate import DIALPLAN, OS79XX

#: Every model of the phone table, all of which run SIP.
SIP_MODELS = sorted(MODELS)


def round_trips(name: str, data: bytes) -> bool:
    text = data.decode("utf-8", "surrogateescape")
    if name.endswith(".cnf"):
        return cnf.loads(text).dumps().encode("utf-8", "surrogateescape") == data
    if name.endswith(".cnf.xml"):
        return sepxml.loads(data).dumps().encode("utf-8") == data
    if name == DIALPLAN:
        return dialplan.loads(data).dumps().encode("utf-8") == data
    if name == OS79XX:
        return os79xx.loads(text).dumps().encode("ascii") == data
    raise AssertionError(name)


def read_pjsip(text: str) -> list[tuple[str, dict[str, str]]]:
    """Sections of a pjsip.conf read by Asterisk's rules: ``;`` starts a comment unless written
    ``\\;``, blanks around names and values are dropped, a section name may repeat."""
    sections: list[tuple[str, dict[str, str]]] = []
    for raw in text.splitlines():
        line = re.sub(r"(?<!\\);.*", "", raw).replace("\\;", ";").strip()
        if not line:
            continue
        if line.startswith("["):
            sections.append((line[1 : line.index("]")], {}))
            continue
        key, _, value = line.partition("=")
        sections[-1][1][key.strip().lstrip(">").strip()] = value.strip()
    return sections


_HEX = st.text(alphabet="0123456789abcdefABCDEF", min_size=12, max_size=12)


@st.composite
def spelled_macs(draw: st.DrawFn) -> str:
    digits = draw(_HEX)
    style = draw(st.sampled_from(["plain", "colon", "dot", "dash"]))
    if style == "colon":
        return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    if style == "dot":
        return ".".join(digits[i : i + 4] for i in range(0, 12, 4))
    if style == "dash":
        return "-".join(digits[i : i + 2] for i in range(0, 12, 2))
    return digits


_USERS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._~+-]{0,15}", fullmatch=True)
# Printable ASCII and a few letters beyond it; no double quote (a .cnf value cannot hold one)
# and no blanks at the ends.
_CHARS = st.sampled_from([c for c in string.printable[:95] if c != '"'] + list("éßü€"))
_WORDS = st.text(_CHARS, min_size=1, max_size=24).filter(lambda s: s == s.strip())
_HOSTS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9](\.[a-z][a-z0-9]{0,8}){0,2}", fullmatch=True),
    st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t))),
)


@st.composite
def descriptions(draw: st.DrawFn) -> dict[str, Any]:
    model = draw(st.sampled_from(SIP_MODELS))
    count = draw(st.integers(1, min(MODELS[model].line_keys, 4)))
    users = draw(st.lists(_USERS, min_size=count, max_size=count, unique=True))
    lines = [(u, draw(_WORDS), draw(st.one_of(st.just(""), _WORDS))) for u in users]
    host = draw(_HOSTS)
    port = draw(st.one_of(st.none(), st.integers(1, 65535)))
    return {
        "model": model,
        "mac": draw(spelled_macs()),
        "proxy": host if port is None else f"{host}:{port}",
        "lines": lines,
        "label": draw(st.one_of(st.none(), _WORDS)),
        "timezone": draw(st.one_of(st.none(), st.sampled_from(["GMT", "cet", "EST", "JST"]))),
        "ntp": draw(st.one_of(st.none(), _HOSTS)),
    }


_BREAKERS = st.sampled_from(['"', "\n", "\r", "\r\n", "\x00", "\x1b", " "])


@st.composite
def broken_descriptions(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    facts = draw(descriptions())
    how = draw(st.sampled_from(["mac", "model", "lines", "value", "proxy", "firmware", "no line"]))
    if how == "mac":
        facts["mac"] = draw(st.text(max_size=14).filter(lambda s: len(s.strip(" :.-")) != 12))
    elif how == "model":
        facts["model"] = draw(st.text(max_size=8).filter(lambda s: s.strip() not in MODELS))
    elif how == "lines":
        keys = MODELS[facts["model"]].line_keys
        facts["lines"] = [(f"u{n}", "pw", "") for n in range(keys + 1)]
    elif how == "no line":
        facts["lines"] = []
    elif how == "value":
        user, password, name = facts["lines"][0]
        breaker = draw(_BREAKERS)
        if breaker == '"' and MODELS[facts["model"]].is_79x1:
            breaker = "\n"  # XML holds a quote; nothing holds a line break here
        where = draw(st.sampled_from(["password", "name", "user"]))
        # A blank inside a value is fine (quoted in a .cnf); only one at either end breaks it.
        shapes = ["{}x", "x{}"] if breaker == " " else ["{}x", "x{}", "x{}y"]
        broken = draw(st.sampled_from(shapes)).format(breaker)
        line = {"user": (broken, password, name), "password": (user, broken, name)}.get(
            where, (user, password, broken)
        )
        facts["lines"] = [line, *facts["lines"][1:]]
    elif how == "proxy":
        facts["proxy"] = draw(st.sampled_from(["", ":5060", "pbx:", "pbx:99999", "a b", "[::1]"]))
    else:
        facts["firmware"] = draw(st.sampled_from(["", "P0S3", "SCCP41.9-4-2SR3-1S", "bogus"]))
    return facts, how

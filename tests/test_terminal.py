"""A peer's text shown on a terminal: one line, nothing a terminal acts on, cut short."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ciscocfg._terminal import MESSAGE_LIMIT, escape_for_terminal


def _unescape(shown: str) -> str:
    return shown.encode("ascii", "backslashreplace").decode("unicode_escape")


@given(st.text(max_size=300))
def test_anything_is_one_printable_line_that_says_what_was_sent(text: str) -> None:
    shown = escape_for_terminal(text, limit=1000)
    assert shown.isprintable()
    assert _unescape(shown) == text


@given(st.text(), st.integers(0, 400))
def test_longer_text_is_cut_at_an_escape_edge(text: str, limit: int) -> None:
    whole = escape_for_terminal(text, 10**6)
    shown = escape_for_terminal(text, limit)
    if len(whole) <= limit:
        assert shown == whole
        return
    kept, _, note = shown.rpartition("... (")
    left = int(note.removesuffix(" more characters)"))
    assert len(kept) <= limit
    assert 0 < left <= len(text)
    assert whole.startswith(kept)
    assert _unescape(kept) == text[: len(text) - left]


def test_escape_sequences_newlines_and_overrides_are_shown_not_obeyed() -> None:
    sent = "File not found\x1b]0;owned\x07\x1b[2J\r\nciscocfg get: ok\u202eexe.txt\x9b31m\\"
    assert escape_for_terminal(sent) == (
        "File not found\\x1b]0;owned\\x07\\x1b[2J\\r\\nciscocfg get: ok\\u202eexe.txt\\x9b31m\\\\"
    )


def test_undecodable_bytes_are_shown_as_bytes() -> None:
    sent = b"caf\xe9 \xff".decode("utf-8", "surrogateescape")
    assert escape_for_terminal(sent) == "caf\\xe9 \\xff"


def test_plain_messages_are_left_alone() -> None:
    assert escape_for_terminal("File not found") == "File not found"
    assert escape_for_terminal("Fichier introuvable: été") == "Fichier introuvable: été"


def test_three_thousand_characters_become_a_few_hundred() -> None:
    shown = escape_for_terminal("A" * 2990 + "\x1b[31m!")
    assert shown == "A" * MESSAGE_LIMIT + "... (2796 more characters)"

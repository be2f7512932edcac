"""The TFTP state diagrams and tables in the docs are those the engine's tables give now.

``docs/gen_diagrams.py`` writes them from ``ciscocfg.tftp._machine.TABLES``; a change to the
tables without running it again fails here.
"""

from __future__ import annotations

import pytest
from support.paths import PROJECT_ROOT
from support.scripts import load_script

from ciscocfg.tftp._machine import TABLES, EngineRole, Input, State

gen = load_script("docs/gen_diagrams.py")


@pytest.mark.parametrize("role", list(EngineRole), ids=lambda role: role.value)
def test_committed_dot_file_is_current(role: EngineRole) -> None:
    path = gen.dot_path(role)
    assert path.read_text(encoding="utf-8") == gen.dot_source(role), (
        f"{path.relative_to(PROJECT_ROOT)} is stale: run python3 docs/gen_diagrams.py"
    )


@pytest.mark.parametrize("role", list(EngineRole), ids=lambda role: role.value)
def test_committed_svg_is_there(role: EngineRole) -> None:
    svg = gen.dot_path(role).with_suffix(".svg").read_text(encoding="utf-8")
    # The rendering names every state of the table (Graphviz writes node titles as text).
    states = {state for state, _ in TABLES[role]} | set(TABLES[role].values())
    for state in states:
        assert f">{state.name}</text>" in svg


def test_tables_in_the_page_are_current() -> None:
    page = gen.PAGE.read_text(encoding="utf-8")
    start = page.index(gen.BEGIN)
    end = page.index(gen.END) + len(gen.END)
    assert page[start:end] == gen.tables_markdown(), (
        "docs/formats/tftp.md state tables are stale: run python3 docs/gen_diagrams.py"
    )


def test_dot_source_has_every_edge_of_the_table() -> None:
    dot = gen.dot_source(EngineRole.SERVER_WRITE)
    assert 'RECEIVING -> DALLYING [label="final DATA"];' in dot
    assert 'DALLYING -> COMPLETE [label="dally over"];' in dot
    assert 'RECEIVING -> STORING [label="final DATA, to store"];' in dot
    assert 'STORING -> DALLYING [label="stored, final ACK sent"];' in dot
    # Failures are folded: one edge per state that is not final, not four.
    assert dot.count('-> FAILED [label="ERROR / timeout / abort"]') == 5
    assert dot.count("->") == 8 + 5


def test_table_rows_follow_a_changed_table(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = dict(TABLES[EngineRole.CLIENT_WRITE])
    changed[(State.SENDING, Input.DALLY_END)] = State.COMPLETE
    monkeypatch.setitem(gen.TABLES, EngineRole.CLIENT_WRITE, changed)
    assert "| `SENDING` | dally over | `COMPLETE` |" in gen.tables_markdown()
    page = gen.PAGE.read_text(encoding="utf-8")
    assert gen.tables_markdown() not in page

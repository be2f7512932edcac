"""dialplan.validate: every code from where it is found, and reachability that agrees with match."""

from __future__ import annotations

import pytest

from ciscocfg import dialplan


@pytest.mark.parametrize(
    ("attribute", "code"),
    [
        ('Route="Timeout"', "DPL006"),
        ('Tone="User"', "DPL007"),
        ('User="Timeout"', "DPL005"),
        ('Line="User"', "DPL009"),
        ('Timeout="Route"', "DPL004"),
        ('Tone="Line"', "DPL007"),
        ('Colour="Timeout"', "DPL003"),
    ],
)
def test_a_problem_has_the_code_of_what_is_wrong_not_of_its_words(
    attribute: str, code: str
) -> None:
    plan = dialplan.loads(f'<DIALTEMPLATE><TEMPLATE MATCH="1" {attribute}/></DIALTEMPLATE>')
    assert [(d.code, d.severity) for d in dialplan.validate(plan)] == [(code, "error")]

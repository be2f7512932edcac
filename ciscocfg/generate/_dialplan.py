"""The dial plan a generated tree gets unless the user brings one (spec §5).

Every dialled string gets a decision of its own, so the phone never falls back on its
10-second inter-digit wait: emergency numbers dial at once, a number ended with ``#`` dials at
once (without the ``#``), and anything else dials after a short pause without a digit. The
first digits of an emergency number (``9``, ``91`` ...) have rules of their own, placed before
the emergency rules: without them those digits would only partly match ``911`` and the phone
would wait its default 10 seconds (spec §5.3: a partial match suppresses the ``*`` rule).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from ciscocfg._xml import escape_attribute

__all__ = ["DEFAULT_PAUSE", "default_dialplan"]

#: Seconds without a digit after which a number is dialled.
DEFAULT_PAUSE = 3


def _rule(match: str, timeout: int, **extra: str) -> str:
    attributes = f'MATCH="{escape_attribute(match, chr(34))}" Timeout="{timeout}"'
    attributes += "".join(f' {k}="{escape_attribute(v, chr(34))}"' for k, v in extra.items())
    return f"  <TEMPLATE {attributes}/>\n"


@functools.lru_cache(maxsize=8)
def _build(pause: int, emergency: tuple[str, ...]) -> bytes:
    from ciscocfg import dialplan

    prefixes = dict.fromkeys(number[:cut] for number in emergency for cut in range(1, len(number)))
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!-- dialplan.xml, written by ciscocfg: every number gets a rule of its own, so the\n"
        "     phone never waits its default 10 seconds for another digit. -->\n"
        "<DIALTEMPLATE>\n"
        f"  <!-- Any number: dialled {pause} s after its last digit. -->\n"
        + _rule("*", pause)
        + "  <!-- A number ended with #: dialled at once, without the #. -->\n"
        + _rule("*#", 0, Rewrite="%1")
        + "  <!-- The first digits of an emergency number: the same pause as any number. -->\n"
        + "".join(_rule(p, pause) for p in prefixes if p not in emergency)
        + "  <!-- Emergency numbers: dialled at once. -->\n"
        + "".join(_rule(number, 0) for number in emergency)
        + "</DIALTEMPLATE>\n"
    )
    data = text.encode("ascii")
    plan = dialplan.loads(data, source="dialplan.xml")
    errors = [d for d in dialplan.validate(plan, emergency=emergency) if d.severity == "error"]
    if errors:  # the rules above are fixed: a finding here is a bug
        raise AssertionError(f"the default dial plan fails its own lint: {errors}")
    return data


def default_dialplan(
    *, pause: int = DEFAULT_PAUSE, emergency: Iterable[str] | None = None
) -> bytes:
    """The bytes of the default ``dialplan.xml``.

    ``pause`` is the seconds after the last digit before a number is dialled; ``emergency`` the
    numbers dialled at once (default: :data:`ciscocfg.dialplan.EMERGENCY_NUMBERS`).
    """
    from ciscocfg import dialplan

    numbers = tuple(dialplan.EMERGENCY_NUMBERS if emergency is None else emergency)
    return _build(pause, numbers)

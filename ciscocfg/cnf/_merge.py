"""The phone's three layers: values stored in flash, then SIPDefault.cnf, then SIP<MAC>.cnf."""

from __future__ import annotations

from collections.abc import Mapping

from ciscocfg._diagnostic import Diagnostic
from ciscocfg.cnf._document import Document
from ciscocfg.cnf._validate import line1_problem
from ciscocfg.cnf._view import phone_view

__all__ = ["check_merged", "merge"]


def merge(*docs: Mapping[str, str]) -> dict[str, str]:
    """The settings the phone ends up with, later layers winning.

    Pass the layers in the order the phone applies them: what flash holds (any mapping, or a
    :class:`Document`), then ``SIPDefault.cnf``, then ``SIP<MAC>.cnf``. A key a layer omits keeps
    the value of the layers below: omitted is not "default". An empty value or
    ``UNPROVISIONED`` is a value, and overrides.

    A :class:`Document` gives the settings the phone reads from it (:func:`phone_view`): the
    first key of a file that starts with a byte order mark is another key to the phone, and a
    file that is not text gives nothing.
    """
    merged: dict[str, str] = {}
    for doc in docs:
        merged.update(phone_view(doc).values() if isinstance(doc, Document) else doc.items())
    return merged


def check_merged(*docs: Mapping[str, str], source: str | None = None) -> list[Diagnostic]:
    """Findings that only the merged layers show: no usable line 1 after every layer applied.

    ``SIPDefault.cnf`` alone normally has no line 1 and the phone's own file may inherit it, so
    this is the check to run on a whole chain (``source`` names it in the finding).
    """
    problem = line1_problem(merge(*docs))
    if problem is None:
        return []
    return [
        Diagnostic(
            "CNF401",
            "error",
            f"no usable line 1 after merging every layer ({problem}): the phone shows "
            "'No Valid Line Names Provisioned' and does not register",
            source=source,
        )
    ]

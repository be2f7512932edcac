"""Many phones' files at once: shared files once, every phone checked, all or nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ciscocfg._diagnostic import Diagnostic
from ciscocfg.generate._render import SHARED_FILES, Rendering, render
from ciscocfg.generate._spec import PhoneSpec, PhoneSpecError

__all__ = ["render_tree"]


def render_tree(
    phones: Iterable[PhoneSpec], *, existing: Mapping[str, bytes] | None = None
) -> Rendering:
    """The files of every phone of ``phones``, in one mapping, with every finding once.

    A shared file (``SIPDefault.cnf``, ``OS79XX.TXT``, ``dialplan.xml``) is rendered for the
    first phone that reads it, unless ``existing`` (the tree's shared files, by name) has it;
    the phones after it are judged against it like against a kept file (``GEN001``-``GEN004``).
    Raises :class:`PhoneSpecError` (field ``mac``) when two phones have the same MAC; nothing
    is returned then, so a caller writes nothing.
    """
    shared: dict[str, bytes] = dict(existing or {})
    files: dict[str, bytes] = {}
    findings: dict[tuple[object, ...], Diagnostic] = {}
    kept: list[str] = []
    seen: set[str] = set()
    for phone in phones:
        if phone.mac in seen:
            raise PhoneSpecError(f"{phone.mac} is given for two phones", field="mac")
        seen.add(phone.mac)
        result = render(phone, existing=shared)
        for name, data in result.files.items():
            files[name] = data
            if name in SHARED_FILES:
                shared[name] = data
        for name in result.kept:
            if name not in files and name not in kept:
                kept.append(name)
        for diag in result.findings:
            key = (diag.code, diag.source, diag.line, diag.column, diag.message)
            findings.setdefault(key, diag)
    return Rendering(files, tuple(findings.values()), tuple(kept))

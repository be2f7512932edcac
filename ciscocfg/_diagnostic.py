"""Lint findings as data: every ``validate``/``check`` function returns a list of these."""

from __future__ import annotations

from typing import Literal

import attrs

from ciscocfg._placeholders import Placeholders, has_placeholder

__all__ = ["Diagnostic", "Findings", "Severity", "has_errors"]

Severity = Literal["error", "warning", "info"]

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@attrs.frozen(order=False)
class Diagnostic:
    """One finding: a stable ``code`` (such as ``"CNF104"``), a severity and where it is.

    ``severity`` follows what the phone would do: ``"error"`` where the phone rejects the file or
    the setting, ``"warning"`` where it ignores or misreads it, ``"info"`` for style.
    """

    code: str
    severity: Severity
    message: str
    line: int | None = None
    column: int | None = None
    source: str | None = None
    #: A suggested replacement (a corrected key, value or file name), where one is known.
    suggestion: str | None = None

    def __str__(self) -> str:
        where = self.source or "<string>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity} {self.code}: {self.message}"
        if self.suggestion is not None:
            text += f" (did you mean {self.suggestion!r}?)"
        return text

    def to_json(self) -> dict[str, str | int | None]:
        """The finding as plain data for ``json.dumps``, the shape every command's
        ``--format json`` prints: ``code``, ``severity``, ``message``, ``source``, ``line``,
        ``column`` and ``suggestion`` (``null`` where unknown)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "suggestion": self.suggestion,
        }

    def sort_key(self) -> tuple[str, int, int, int, str]:
        """Order by file, position, then severity: the order a person reads a report in."""
        return (
            self.source or "",
            self.line or 0,
            self.column or 0,
            _SEVERITY_RANK[self.severity],
            self.code,
        )


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    """True when any finding has severity ``"error"`` (the CLI then exits with status 1)."""
    return any(d.severity == "error" for d in diagnostics)


class Findings:
    """The findings of one check, each added where it is found, with its code given there.

    Every check of the library collects into one of these. ``source`` is the file name the
    findings carry (a finding about another file names its own). A value holding a template
    placeholder is noted with :meth:`placeholder` instead of being judged; :meth:`result` turns
    what was noted into the one ``TPL001`` finding.
    """

    __slots__ = ("items", "placeholders", "source")

    def __init__(self, source: str | None = None) -> None:
        self.source = source
        self.items: list[Diagnostic] = []
        self.placeholders = Placeholders()

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        line: int | None = None,
        column: int | None = None,
        suggestion: str | None = None,
        *,
        source: str | None = None,
    ) -> None:
        """Add one finding; ``source`` names another file than the check's own."""
        self.items.append(
            Diagnostic(code, severity, message, line, column, source or self.source, suggestion)
        )

    def placeholder(self, text: str, line: int | None) -> bool:
        """True, having noted it, when ``text`` holds a template placeholder: what it stands for
        is unknown until the template is filled in, so the caller does not judge it."""
        if not has_placeholder(text):
            return False
        self.placeholders.add(line, text)
        return True

    def result(self) -> list[Diagnostic]:
        """Every finding in reading order, with the one ``TPL001`` for the placeholders noted."""
        template = self.placeholders.finding(self.source)
        found = self.items if template is None else [*self.items, template]
        return sorted(found, key=Diagnostic.sort_key)

"""Lint findings as data: every ``validate``/``check`` function returns a list of these."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["Diagnostic", "Severity", "has_errors"]

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

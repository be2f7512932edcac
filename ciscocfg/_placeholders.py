"""Template placeholders, in the styles the provisioning systems write them.

Provisioning systems keep their Cisco files as templates and fill them in per phone: FusionPBX,
Provisioner.net and FreePBX's endpoint manager with Smarty (``{$mac}``, ``{$server.ip.1}``,
``{if ...}``, ``{line_loop}``), Wazo provd and Elastix/Issabel with Jinja2 or Tempita
(``{{ XX_timezone }}``, ``{% for %}``, ``{{py:n = 1}}``), shell and ``sed`` scripts with
``$MAC``, ``${SERVER}`` or ``###DOMAIN_NAME###``, Windows tools and some PBX GUIs with
``%SERVER%``, and hand-made templates with ``#EXTENSION#`` or ``[EXTENSION]``.

What such a value becomes is unknown until the template is filled in, so a validator does not
judge it: it says once, at info level, that the file holds placeholders (``TPL001``). Every
validator (``.cnf``, ``SEP<MAC>.cnf.xml``, dial plans, ``RINGLIST.DAT``, ``Ringlist.xml``,
``OS79XX.TXT``) and the tree check ask this module. Standard library only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ciscocfg import _codes

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic

__all__ = [
    "CODES",
    "Placeholders",
    "find",
    "has_alternatives",
    "has_placeholder",
    "makes_text",
    "spans",
    "without_placeholders",
]

#: The code of the one finding about placeholders, shared by every validator.
CODES: dict[str, str] = {
    code: entry.meaning for code, entry in _codes.CODES.items() if code.startswith("TPL")
}

_EMBEDDED = re.compile(
    "|".join(
        [
            # Jinja2, Twig, Tempita, Mustache: {{ x }}, {% for %}, {# comment #}
            r"\{\{.*?\}\}",
            r"\{%.*?%\}",
            r"\{#.*?#\}",
            # Smarty: {$x}, {$x.y|default}, {* comment *}, tags {if ...} {/if} {line_loop}
            r"\{[ \t]*\$[^{}\r\n]*\}",
            r"\{\*.*?\*\}",
            r"\{[ \t]*/?[A-Za-z_][\w.]*(?:[ \t][^{}\r\n]*)?\}",
            # sed and shell: ###X###, ##X##, ${X}, $X (not $$ or a$b)
            r"#{2,}[A-Za-z_][\w.\-]*#{2,}",
            r"\$\{[^{}\r\n]+\}",
            r"(?<![\w$\\])\$[A-Za-z_]\w*",
            # %X% and %%X%%: a one-letter name in capitals only, so that a rewrite's %s%1 stays
            # one, and not two hex digits, so that a URL's %AE%20 stays one
            r"%%(?:[A-Za-z_][\w.\-]+|[A-Z])%%",
            r"%(?![0-9A-Fa-f]{2}%)(?:[A-Za-z_][\w.\-]+|[A-Z])%",
            # hand-made: #NAME#, #AN NTP SERVER#
            r"#[A-Za-z][\w .()/\-]*?#",
        ]
    )
)

# Styles that are placeholders only when they are the whole value: on their own, '#' and '['
# are ordinary characters of a dial string or a pattern (and '[A-D]' is a class of keys).
_WHOLE_VALUE = re.compile(r"#[A-Z][A-Z0-9_]{2,}|\[(?![A-D0-9*#\-]+\])[A-Z][A-Z0-9 _()\-]{3,}\]")


def find(text: str) -> list[str]:
    """The placeholders in ``text``, in order (a whole-value style only as the whole text)."""
    found = [m.group(0) for m in _EMBEDDED.finditer(text)]
    if not found and _WHOLE_VALUE.fullmatch(text.strip(" \t")):
        found.append(text.strip(" \t"))
    return found


def spans(text: str) -> list[tuple[int, int]]:
    """Where the placeholders of ``text`` start and end (whole-value styles not included)."""
    return [m.span() for m in _EMBEDDED.finditer(text)]


def has_placeholder(text: str) -> bool:
    """True when ``text`` holds a template placeholder of any style."""
    if ("{" in text or "$" in text or "#" in text or "%" in text) and _EMBEDDED.search(text):
        return True
    return ("#" in text or "[" in text) and _WHOLE_VALUE.fullmatch(text.strip(" \t")) is not None


# Template tags that steer the template and put no text of their own in the file.
_CONTROL = re.compile(
    r"\{%(?!-?\s*include\b).*%\}\Z"  # Jinja2 statements, except include
    r"|\{[#*].*[#*]\}\Z"  # Jinja2 and Smarty comments
    r"|\{\{\s*(?:py:|(?:if|elif|else|endif|for|endfor|while|endwhile|def|enddef|default|"
    r"inherit)\b).*\}\}\Z"  # Tempita directives
    r"|\{\s*/.*\}\Z"  # Smarty closing tags
    r"|\{\s*(?:if|elseif|else|foreach|foreachelse|section|sectionelse|while|for|literal|"
    r"assign|capture|strip|ldelim|rdelim|nocache|break|continue)\b.*\}\Z",  # Smarty tags
    re.DOTALL,
)


_ALTERNATIVE = re.compile(r"\{[{%]?-?\s*(?:else|elseif|elif)\b")


def has_alternatives(text: str) -> bool:
    """True when ``text`` holds ``{else}`` or the like: which of its branches the filled-in
    template keeps is unknown."""
    return any(_ALTERNATIVE.match(placeholder) for placeholder in find(text))


def makes_text(placeholder: str) -> bool:
    """True when a placeholder is replaced by text (a variable, an include), False for a tag
    that only steers the template (``{if ...}``, ``{/foreach}``, ``{% for %}``, a comment)."""
    return _CONTROL.match(placeholder) is None


def without_placeholders(text: str) -> str:
    """``text`` with every placeholder taken out: what is left around the template's parts."""
    return _EMBEDDED.sub("", text)


class Placeholders:
    """Where a file holds placeholders; :meth:`finding` turns them into the one ``TPL001``."""

    def __init__(self) -> None:
        self.spots: list[tuple[int | None, str]] = []

    def add(self, line: int | None, text: str) -> None:
        """Note the placeholders of ``text`` (a value, a name, a whole line) on ``line``."""
        found = find(text)
        self.spots.append((line, found[0] if found else text.strip()))

    def __bool__(self) -> bool:
        return bool(self.spots)

    def finding(self, source: str | None) -> Diagnostic | None:
        """The one info finding about every placeholder noted, or ``None`` when there is none."""
        if not self.spots:
            return None
        # Imported here: the shared collector (ciscocfg._diagnostic) holds a Placeholders.
        from ciscocfg._diagnostic import Diagnostic

        lines = sorted({line for line, _ in self.spots if line is not None})
        line, first = min(self.spots, key=lambda spot: spot[0] or 0)
        where = f" on {len(lines)} line{'s' if len(lines) != 1 else ''}" if lines else ""
        return Diagnostic(
            "TPL001",
            "info",
            f"a template: placeholders such as {first!r}{where}; what they stand for is unknown "
            "until the template is filled in, so those values are not checked",
            line=line,
            source=source,
        )

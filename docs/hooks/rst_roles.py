"""MkDocs hook: turn the reST roles of docstrings into cross-references.

The docstrings are written for readers of the source too, so they use Sphinx roles such as
``:class:`ParseError``` and ``:mod:`ciscocfg.cnf```. mkdocstrings renders them as Markdown, which
leaves ``:class:`` in front of a code span. This hook rewrites each such span into an optional
autorefs reference: a link where the object is documented, plain code where it is not.
"""

from __future__ import annotations

import re
from typing import Any

# ``~`` in front of a dotted name means "show only the last component", as in Sphinx.
_ROLE = re.compile(
    r":(?:py:)?(?:mod|class|func|meth|attr|data|exc|obj|const):<code>(~?)([^<]+)</code>"
)


def _reference(match: re.Match[str]) -> str:
    short, identifier = match.groups()
    shown = identifier.rsplit(".", 1)[-1] if short else identifier
    return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'


def on_page_content(html: str, **kwargs: Any) -> str:
    """Rewrite role-prefixed code spans after the page's Markdown has been rendered."""
    return _ROLE.sub(_reference, html)

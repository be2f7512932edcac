"""Find the Lark grammars in ``grammars/`` and build each parser once per process.

The grammars ship inside the wheel as ``ciscocfg/grammars/*.lark``; in a checkout (or an
editable install of this flat layout) they are read from ``grammars/`` beside the package.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

from lark import Lark

__all__ = ["grammar_text", "parser"]


def grammar_text(name: str) -> str:
    """The text of ``grammars/<name>``, from the installed package or from the checkout."""
    packaged = importlib.resources.files("ciscocfg") / "grammars" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent / "grammars" / name
    return checkout.read_text(encoding="utf-8")


@functools.cache
def parser(name: str, start: str = "start") -> Lark:
    """The LALR parser for ``grammars/<name>``, built on first use and then reused."""
    return Lark(
        grammar_text(name),
        parser="lalr",
        start=start,
        propagate_positions=False,
        maybe_placeholders=False,
        keep_all_tokens=True,
    )

"""Entry points: text and files to :class:`Document` and back."""

from __future__ import annotations

from ciscocfg._text import PathOrFile, decode_bytes, encode_text, read_source, write_target
from ciscocfg.cnf._document import Document
from ciscocfg.cnf._parse import BOM, first_invalid, parse_error, scan

__all__ = ["dump", "dumps", "load", "loads"]


def loads(text: str, *, strict: bool = True, source: str | None = None) -> Document:
    """Parse the text of a ``.cnf`` file.

    Strict: the first line that is not a comment, a blank line or ``key: value`` raises
    :class:`~ciscocfg.ParseError` (with ``source``, line and column). Not strict: such lines are
    kept verbatim as :class:`InvalidLine` nodes (``validate`` reports them), so every string
    whatsoever loads and dumps back unchanged.
    """
    bom = BOM if text.startswith(BOM) else ""
    body = text[len(bom) :]
    rows = scan(body)
    if strict:
        bad = first_invalid(rows)
        if bad is not None:
            raise parse_error(rows, bad, source=source, base_offset=len(bom))
    return Document._from_rows(body, rows, bom=bom, source=source)


def dumps(doc: Document) -> str:
    """The text of ``doc``: the parsed text, apart from edits."""
    return doc.dumps()


def load(source: PathOrFile, *, strict: bool = True) -> Document:
    """Read a ``.cnf`` file from a path or a binary file object.

    Bytes that are not UTF-8 survive (see :mod:`ciscocfg._text`), so :func:`dump` writes back
    the very bytes that were read.
    """
    data, name = read_source(source)
    return loads(decode_bytes(data), strict=strict, source=name)


def dump(doc: Document, target: PathOrFile) -> None:
    """Write ``doc`` to a path or a binary file object, byte for byte as it was read.

    A path is replaced whole or not at all (a temporary file renamed over it).
    """
    write_target(target, encode_text(doc.dumps()))

"""Paste damage repaired in an XML document, and nothing else.

What ``ciscocfg fmt`` does to a ``SEP<MAC>.cnf.xml``, a dial plan or a ring list copied from a
web page. The characters repaired are those of :data:`ciscocfg._reads.PASTE_DAMAGE`, and only
where the phone reads them:

- in character data and attribute values (CDATA included): ``<proxy>\\u00a0sip.example.com``
  and ``MATCH="9,\\u201d`` reach the phone as those characters, so a no-break space becomes a
  space, a typographic quote an ASCII quote and a zero-width character nothing. In an attribute
  value a repaired quote that is the value's own delimiter is written ``&quot;`` (``&apos;``), so
  that the value stays one value;
- in markup, where a word processor turned the quotes around attribute values into typographic
  ones (``<?xml version=\\u201c1.0\\u201d?>``, ``<TEMPLATE MATCH=\\u201c911\\u201d>``) or the blanks
  between attributes into no-break spaces: no XML reader reads that at all, and the repair is
  the one the author meant.

Comments, names, the document type declaration and processing instructions other than the XML
declaration are left as they are: the phone does not read comments, and a repair there would
change nothing it does. A byte order mark at the start of the document stays: libxml2, the
phones' XML reader, takes it as the encoding mark it is; anywhere else it is a zero-width
character and goes.

The result is checked before it is returned: it must be well-formed, and when the original
was, its tree (element names, attribute names, order, children) must be the original's, with
text and values that differ from the original's in pasted characters only. A repair that would
do anything else is refused. Character references (``&#160;``) are written on purpose and are
left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from ciscocfg._errors import ParseError
from ciscocfg._reads import BOM, PASTE_DAMAGE, RepairRefused, repair
from ciscocfg._text import decode_bytes, encode_text
from ciscocfg._xml import Element, _decode, parse

__all__ = ["RepairRefused", "repair_xml"]


_DOUBLE = '"\u201c\u201d\u201e'
_SINGLE = "'\u2018\u2019\u201a"
# Characters that stand where a blank stands in markup (between attributes, around "=").
_BLANKS = " \t\r\n" + "".join(
    char for char, damage in PASTE_DAMAGE.items() if damage.kind != "quote"
)
_TAG_END = ">"
_NAME_ENDS = frozenset(_BLANKS + "/?>" + _DOUBLE + _SINGLE)


def repair_xml(data: bytes, *, source: str | None = None) -> bytes:
    """``data`` with the paste damage of its text, values and markup repaired (see the module
    docstring); the same bytes when there is none. Raises :class:`RepairRefused`."""
    try:
        _, encoding = _decode(data, source)
    except ParseError as exc:
        raise RepairRefused(f"{exc.message}; not repaired") from None
    text = data.decode("latin-1") if encoding == "ISO-8859-1" else decode_bytes(data)
    fixed = _Scanner(text).run()
    if fixed == text:
        return data
    out = fixed.encode("latin-1") if encoding == "ISO-8859-1" else encode_text(fixed)
    _check(data, out, source)
    return out


def _check(before: bytes, after: bytes, source: str | None) -> None:
    """Refuse a repair that leaves the document unreadable or changes its structure."""
    try:
        repaired = parse(after, source=source)
    except ParseError as exc:
        raise RepairRefused(
            f"the document is not well-formed, and repairing its pasted characters does not "
            f"make it so ({exc.message}, line {exc.line}); not repaired"
        ) from None
    try:
        original = parse(before, source=source)
    except ParseError:
        return  # damage in the markup: the repair is what makes it readable
    if list(_shape(original.root)) != list(_shape(repaired.root)):
        raise RepairRefused(
            "repairing the pasted characters would change more than the values they are in; "
            "not repaired"
        )


def _shape(root: Element) -> Iterator[tuple[object, ...]]:
    """The tree with its text and values as a person means them: two documents have the same
    shape when they differ only in pasted characters (a reference such as ``&#160;`` is left
    as it is, and reads the same on both sides)."""
    for element in root.iter():
        yield (
            element.name,
            tuple((a.name, repair(a.value)) for a in element.attributes),
            repair(element.text),
            len(element.children),
        )


class _Scanner:
    """One pass over the document, copying what is not repaired as it is."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.out: list[str] = []

    def run(self) -> str:
        text = self.text
        if text.startswith(BOM):
            self.out.append(BOM)
            self.pos = 1
        while self.pos < len(text):
            if text.startswith("<!--", self.pos):
                self.copy_through("-->")
            elif text.startswith("<![CDATA[", self.pos):
                self.out.append("<![CDATA[")
                end = text.find("]]>", self.pos + 9)
                end = len(text) if end < 0 else end
                self.out.append(repair(text[self.pos + 9 : end]))
                self.pos = end
                self.copy_through("]]>")
            elif text.startswith("<!", self.pos):
                self.copy_doctype()
            elif text.startswith("<?", self.pos) and not text.startswith("<?xml", self.pos):
                self.copy_through("?>")
            elif text.startswith("<", self.pos):
                self.tag()
            else:
                end = text.find("<", self.pos)
                end = len(text) if end < 0 else end
                self.out.append(repair(text[self.pos : end]))
                self.pos = end
        return "".join(self.out)

    def copy_through(self, marker: str) -> None:
        end = self.text.find(marker, self.pos)
        end = len(self.text) if end < 0 else end + len(marker)
        self.out.append(self.text[self.pos : end])
        self.pos = end

    def copy_doctype(self) -> None:
        # An internal subset ends with "]>"; a plain declaration with ">".
        close = self.text.find(">", self.pos)
        bracket = self.text.find("[", self.pos)
        if bracket >= 0 and (close < 0 or bracket < close):
            self.copy_through("]>")
        else:
            self.copy_through(">")

    def tag(self) -> None:
        """A start tag, an end tag or the XML declaration, with its attributes."""
        text = self.text
        start = self.pos
        self.pos += 1
        while self.pos < len(text) and text[self.pos] not in _NAME_ENDS:
            self.pos += 1
        self.out.append(text[start : self.pos])  # "<" and the name, as written
        while self.pos < len(text):
            char = text[self.pos]
            if char == _TAG_END:
                self.out.append(char)
                self.pos += 1
                return
            if char == "<":
                return  # not closed: the next tag starts here, and the check will tell
            if char in _BLANKS:
                self.out.append(char if char in " \t\r\n" else " ")
                self.pos += 1
            elif char in _DOUBLE or char in _SINGLE:
                self.value(char)
            else:
                self.out.append(char)
                self.pos += 1

    def value(self, opening: str) -> None:
        """An attribute value from its opening quote to its closing one.

        A value in ASCII quotes ends at the same quote. One in typographic quotes ends at any
        quote of its kind, and at a ``<`` or ``>``, so that a quote left open cannot swallow
        the rest of the document.
        """
        double = opening in _DOUBLE
        quote = '"' if double else "'"
        text = self.text
        if opening == quote:
            end = text.find(quote, self.pos + 1)
            end = len(text) if end < 0 else end
        else:
            closing = (_DOUBLE if double else _SINGLE) + "<>"
            end = self.pos + 1
            while end < len(text) and text[end] not in closing:
                end += 1
        content = repair(text[self.pos + 1 : end])
        content = content.replace(quote, "&quot;" if double else "&apos;")
        self.out.append(quote + content)
        if end < len(text) and text[end] in (_DOUBLE if double else _SINGLE):
            self.out.append(quote)
            end += 1
        self.pos = end

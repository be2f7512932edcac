"""The one hardened XML entry point, and a lossless view of the source text.

Every XML file the library reads goes through :func:`parse`, which does three things:

1. It decodes the bytes the way libxml2 (and so lxml and the 79x1 phones) does: a UTF-8
   byte-order mark, else the encoding the XML declaration names, else UTF-8. Only the
   encodings a phone reads are accepted: UTF-8, US-ASCII and ISO-8859-1. UTF-16, UCS-4, EBCDIC,
   UTF-7 and every other name are a :class:`~ciscocfg.ParseError` that names the encoding, so
   that no file can mean one thing here and another on the phone (``+ADw-`` is ``<`` in UTF-7).
2. It tokenizes the text itself, recording for every element where its start tag, content and
   end tag sit. Reads come from that tree, normalised as XML 1.0 says (line ends read as
   ``\\n``, tabs and line ends in attribute values as spaces, references resolved); edits are
   spliced into the original text at those spans, so a document that is not edited is written
   back exactly as it was read (declaration, comments, attribute quoting, whitespace, line
   endings, BOM, bytes of any accepted encoding), and an edit changes only what it touches.
3. It hands the same bytes to lxml with every dangerous feature switched off (no entity
   expansion, no DTD loading or validation, no network, no huge trees), so that anything libxml2
   finds not well-formed (bad characters, bad names, duplicate attributes) is a
   :class:`~ciscocfg.ParseError` with a line and a column. A property test proves that the tree
   read here equals the tree lxml builds from the same bytes.

The text (:attr:`XmlText.text`, what ``dumps()`` returns) is the library's lossless form of the
bytes: UTF-8 decoded with ``surrogateescape`` (see :mod:`ciscocfg._text`), whatever the
declared encoding, so that encoding it back gives the file's bytes. For a UTF-8 or ASCII file
that is simply its text; in an ISO-8859-1 file a byte such as ``é`` (0xE9) stands in the text
as ``'\\udce9'``, while the tree reads it as ``'é'``. A ``str`` given to :func:`parse` is taken
in the same form, so ``parse(doc.text)`` reads the same document as the bytes did.

A document type declaration with an internal subset or an external identifier is refused before
lxml sees the text: that is where entity declarations (billion laughs, external entities) and
external DTDs live, and phones read no DTD at all. The file system and the network are never
touched.

CallManager writes ``<device xsi:type="axl:XIPPhone">`` without declaring the ``xsi`` prefix and
phones load such files. libxml2 calls that a namespace error, so before the well-formedness check
the root start tag of the copy given to lxml gets a declaration for each prefix that is used but
not declared there. This is narrower than lxml's recover mode, which would also accept truly
broken files (a close tag that does not match its start tag, for one).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree

from ciscocfg._errors import ArgumentTypeError, EmitError, ParseError, ValidationError
from ciscocfg._position import LineIndex
from ciscocfg._text import decode_bytes

__all__ = [
    "Attribute",
    "Element",
    "XmlDocument",
    "XmlText",
    "check_name",
    "escape_attribute",
    "escape_text",
    "hardened_parser",
    "parse",
]

# XML's white space is exactly these four characters (``\s`` would also take U+0085, U+00A0,
# U+1680 ... which are text, and U+1680 is even a name character).
_S = "[ \t\r\n]"
_NAME = r"[^ \t\r\n/>=<!?\"'&]+"
_START_TAG = re.compile(rf"<({_NAME})")
_FAST_START = re.compile(rf"<({_NAME}){_S}*(/?)>")
_SIMPLE_STEP = re.compile(rf"([^<&]*)<(/?)({_NAME}){_S}*(/?)>")
_ATTRIBUTE = re.compile(rf"({_S}+)({_NAME}){_S}*={_S}*(?:\"([^\"<]*)\"|'([^'<]*)')")
_TAG_CLOSE = re.compile(rf"{_S}*(/?)>")
_SPACE = re.compile(rf"{_S}*")
# Characters outside XML 1.0's Char production, lone surrogates included: a value set through
# the library is text, and no encoding can write a surrogate.
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
_TRAILING = re.compile(r"(?:[ \t]|<!--(?:(?!-->).)*-->)*")
_END_TAG = re.compile(rf"</({_NAME}){_S}*>")
_REFERENCE = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_DOCTYPE_EXTERNAL = re.compile(rf"<!DOCTYPE{_S}+[^ \t\r\n>\[]+{_S}+(SYSTEM|PUBLIC)\b")
# Tab, line feed and carriage return in an attribute value read as spaces (XML 1.0 3.3.3).
_ATTRIBUTE_SPACE = str.maketrans("\t\n\r", "   ")

# -- encodings ------------------------------------------------------------------------------------

#: Encoding names accepted in the XML declaration (compared without case), by the name the
#: document reports. These are the names every libxml2 knows without iconv (the phones' own
#: parser is a libxml2): other spellings of the same encodings (``latin1``, ``iso_8859-1``) are
#: refused with a hint, never guessed at.
_ENCODINGS = {
    "UTF-8": "UTF-8",
    "UTF8": "UTF-8",
    "US-ASCII": "US-ASCII",
    "ASCII": "US-ASCII",
    "ISO-8859-1": "ISO-8859-1",
    "ISO-LATIN-1": "ISO-8859-1",
}
_CODECS = {"UTF-8": "utf-8", "US-ASCII": "ascii", "ISO-8859-1": "latin-1"}
# What the first bytes say before any declaration is read (XML 1.0 appendix F, as libxml2
# applies it): byte-order marks, then the layouts of "<?" in encodings that are not ASCII.
_NOT_ASCII_STARTS = [
    (b"\x00\x00\xfe\xff", "UCS-4 (byte-order mark)"),
    (b"\xff\xfe\x00\x00", "UCS-4 (byte-order mark)"),
    (b"\xfe\xff", "UTF-16 (byte-order mark FE FF)"),
    (b"\xff\xfe", "UTF-16 (byte-order mark FF FE)"),
    (b"\x00\x00\x00<", "UCS-4"),
    (b"<\x00\x00\x00", "UCS-4"),
    (b"\x00\x00<\x00", "UCS-4"),
    (b"\x00<\x00\x00", "UCS-4"),
    (b"\x00<\x00?", "UTF-16"),
    (b"<\x00?\x00", "UTF-16"),
    (b"Lo\xa7\x94", "EBCDIC"),
]
_UTF8_BOM = b"\xef\xbb\xbf"
_ENCODING_NAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")  # XML 1.0's EncName
_DECLARED_ENCODING = re.compile(
    rb"<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:\"[^\"'<>?]*\"|'[^\"'<>?]*')"
    rb"[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:\"([^\"'<>?]*)\"|'([^\"'<>?]*)')"
)
_ADVICE = "the phones read UTF-8, US-ASCII and ISO-8859-1; save the file as UTF-8"


def hardened_parser() -> etree.XMLParser:
    """A fresh lxml parser that expands no entity and loads nothing from anywhere."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
        # collect_ids=False is NOT set: with libxml2 2.14 that option makes libxml2 read an
        # external DTD named by the document (a test guards this).
        recover=False,
    )


class Attribute:
    """One attribute of a start tag: its name, decoded value and where the raw value sits."""

    __slots__ = ("name", "quote", "value", "value_end", "value_start")

    def __init__(self, name: str, value: str, value_start: int, value_end: int, quote: str):
        self.name = name
        self.value = value
        #: Offsets of the raw value between the quotes.
        self.value_start = value_start
        self.value_end = value_end
        self.quote = quote


class Element:
    """One element with its spans in the source text.

    ``start``..``open_end`` is the start tag, ``open_end``..``close_start`` the content and
    ``close_start``..``end`` the end tag; an empty-element tag (``<a/>``) has
    ``open_end == close_start == end``.
    """

    __slots__ = (
        "attributes",
        "children",
        "close_start",
        "end",
        "has_markup",
        "name",
        "open_end",
        "parent",
        "start",
        "text_index",
        "text_parts",
    )

    def __init__(self, name: str, start: int, parent: Element | None) -> None:
        self.name = name
        self.start = start
        self.open_end = start
        self.close_start = start
        self.end = start
        self.parent = parent
        self.attributes: list[Attribute] = []
        self.children: list[Element] = []
        self.text_parts: list[str] = []
        #: How many of the parent's text parts come before this element.
        self.text_index = len(parent.text_parts) if parent is not None else 0
        #: True when the content holds comments, processing instructions or CDATA.
        self.has_markup = False

    @property
    def self_closing(self) -> bool:
        """True for an empty-element tag such as ``<certHash/>``."""
        return self.open_end == self.end

    @property
    def text(self) -> str:
        """The element's own character data as XML reads it (children's text excluded).

        References are resolved and line ends read as ``\\n``; unlike lxml's ``text``, this
        holds the text between and after the children too (see :attr:`head_text`).
        """
        return "".join(self.text_parts)

    @property
    def head_text(self) -> str:
        """The character data before the first child element (lxml's ``text``)."""
        if not self.children:
            return self.text
        return "".join(self.text_parts[: self.children[0].text_index])

    @property
    def tail(self) -> str:
        """The character data after this element, up to its next sibling element.

        Comments and processing instructions in between are skipped: this is lxml's ``tail``
        plus the tails of the comments and processing instructions that follow.
        """
        if self.parent is None:
            return ""
        siblings = self.parent.children
        after = siblings.index(self)
        stop = siblings[after + 1].text_index if after + 1 < len(siblings) else None
        return "".join(self.parent.text_parts[self.text_index : stop])

    def attribute(self, name: str) -> Attribute | None:
        """The attribute spelled exactly ``name``, or ``None``."""
        for attr in self.attributes:
            if attr.name == name:
                return attr
        return None

    def child(self, name: str) -> Element | None:
        """The first child element named exactly ``name``, or ``None``."""
        for kid in self.children:
            if kid.name == name:
                return kid
        return None

    def iter(self) -> Iterator[Element]:
        """This element and every descendant, in document order."""
        yield self
        for kid in self.children:
            yield from kid.iter()

    def __repr__(self) -> str:
        return f"<Element {self.name} at {self.start}>"


class XmlText:
    """The original text of an XML document plus the element tree read from it.

    ``encoding`` is how the bytes were read: ``"UTF-8"``, ``"US-ASCII"`` or ``"ISO-8859-1"``.
    """

    __slots__ = ("_lines", "encoding", "root", "source", "text")

    def __init__(
        self, text: str, root: Element, source: str | None, encoding: str = "UTF-8"
    ) -> None:
        self.text = text
        self.root = root
        self.source = source
        self.encoding = encoding
        self._lines: LineIndex | None = None

    def in_document(self, markup: str) -> str:
        """``markup`` (text of real characters) in this document's own form.

        In a UTF-8 document that is ``markup`` itself. In an ISO-8859-1 or US-ASCII document a
        character is written as the byte the encoding gives it (kept in :attr:`text` the way
        :mod:`ciscocfg._text` keeps bytes), and one the encoding cannot write as a character
        reference (``&#8364;``), so that markup holding only escaped values stays correct.
        """
        if self.encoding == "UTF-8" or markup.isascii():
            return markup
        data = markup.encode(_CODECS[self.encoding], "xmlcharrefreplace")
        return data.decode("utf-8", "surrogateescape")

    def _check_name(self, name: str) -> None:
        check_name(name)
        if self.encoding != "UTF-8" and not name.isascii():
            try:
                name.encode(_CODECS[self.encoding])
            except UnicodeEncodeError:
                raise EmitError(
                    f"{name!r} cannot be written in this {self.encoding} document"
                ) from None

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset in :attr:`text`."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.position(offset)

    def line_of(self, element: Element) -> int:
        """The line of ``element``'s start tag."""
        return self.position(element.start)[0]

    def find(self, path: str) -> Element | None:
        """The element at a ``/``-separated path of child names below the root."""
        node: Element | None = self.root
        for step in path.split("/"):
            if node is None:
                return None
            if step:
                node = node.child(step)
        return node

    @property
    def newline(self) -> str:
        """The line ending the document mostly uses (``\\r\\n`` or ``\\n``)."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"

    # -- edits: each returns the new text; callers parse it again -------------------------------

    def with_text(self, element: Element, value: str) -> str:
        """The document with ``element``'s content replaced by ``value`` (escaped)."""
        if element.children or element.has_markup:
            raise ValidationError(f"<{element.name}> holds elements; its text cannot be set")
        escaped = self.in_document(escape_text(value))
        t = self.text
        if element.self_closing:
            # ``<a x="1"/>`` becomes ``<a x="1">value</a>``: only the "/" goes.
            head = t[element.start : element.end - 2]
            close = self.in_document(f"</{element.name}>")
            return t[: element.start] + head + ">" + escaped + close + t[element.end :]
        return t[: element.open_end] + escaped + t[element.close_start :]

    def with_attribute(self, element: Element, name: str, value: str) -> str:
        """The document with attribute ``name`` of ``element`` set to ``value``."""
        self._check_name(name)
        attr = element.attribute(name)
        t = self.text
        if attr is not None:
            raw = self.in_document(escape_attribute(value, attr.quote))
            return t[: attr.value_start] + raw + t[attr.value_end :]
        if element.attributes:
            at = element.attributes[-1].value_end + 1  # after the closing quote
        else:
            match = _START_TAG.match(t, element.start)
            assert match is not None
            at = match.end()
        new = self.in_document(f' {name}="{escape_attribute(value, chr(34))}"')
        return t[:at] + new + t[at:]

    def with_child(self, parent: Element, name: str, content: str = "") -> str:
        """The document with a new ``<name>content</name>`` appended to ``parent``'s children.

        ``content`` is markup (already escaped). See :meth:`with_markup` for the placement.
        """
        self._check_name(name)
        return self.with_markup(parent, f"<{name}>{content}</{name}>")

    def with_markup(self, parent: Element, new: str) -> str:
        """The document with the element markup ``new`` appended to ``parent``'s children.

        The new element goes on its own line after the last child, indented like its siblings
        (or one step deeper than ``parent``), with the document's line ending.
        """
        t = self.text
        nl = self.newline
        new = self.in_document(new)
        if parent.children:
            last = parent.children[-1]
            indent = self._indent_of(last)
            # Insert after a comment that trails the last sibling on its line, so that the
            # comment stays with the element it describes.
            at = last.end
            eol = len(t)
            for stop in ("\n", "\r"):
                found = t.find(stop, at)
                if 0 <= found < eol:
                    eol = found
            trail = _TRAILING.match(t, at, eol)
            if trail is not None and trail.end() == eol and eol < len(t):
                at = len(t[:eol].rstrip(" \t"))
            return t[:at] + nl + indent + new + t[at:]
        indent = self._indent_of(parent)
        inner = indent + self._indent_unit()
        if parent.self_closing:
            head = t[parent.start : parent.end - 2]
            close = self.in_document(f"</{parent.name}>")
            return (
                t[: parent.start]
                + head
                + ">"
                + nl
                + inner
                + new
                + nl
                + indent
                + close
                + t[parent.end :]
            )
        body = t[parent.open_end : parent.close_start]
        if body.strip() == "":
            return t[: parent.open_end] + nl + inner + new + nl + indent + t[parent.close_start :]
        return t[: parent.close_start] + new + t[parent.close_start :]

    def without(self, element: Element) -> str:
        """The document with ``element`` removed, with its line when it stood alone on one."""
        t = self.text
        start, end = element.start, element.end
        line_start = max(t.rfind("\n", 0, start), t.rfind("\r", 0, start)) + 1
        if t[line_start:start].strip(" \t") == "":
            rest = end
            while rest < len(t) and t[rest] in " \t":
                rest += 1
            if t.startswith("\r\n", rest):
                return t[:line_start] + t[rest + 2 :]
            if rest < len(t) and t[rest] in "\r\n":
                return t[:line_start] + t[rest + 1 :]
        return t[:start] + t[end:]

    def _indent_of(self, element: Element) -> str:
        t = self.text
        line_start = max(t.rfind("\n", 0, element.start), t.rfind("\r", 0, element.start)) + 1
        lead = t[line_start : element.start]
        return lead if lead.strip(" \t") == "" else ""

    def _indent_unit(self) -> str:
        for kid in self.root.children:
            indent = self._indent_of(kid)
            if indent:
                return indent
        return "    "


def _check_chars(value: str) -> None:
    bad = _NOT_XML_CHAR.search(value)
    if bad is not None:
        raise EmitError(
            f"character {bad.group()!r} at {bad.start()} cannot be written in an XML document"
        )


def check_name(name: str) -> None:
    """Refuse an element or attribute name that XML cannot hold."""
    if not _XML_NAME.fullmatch(name):
        raise EmitError(f"{name!r} is not an XML name")


def escape_text(value: str) -> str:
    """Character data for element content; refuses characters XML cannot carry.

    A carriage return is written as ``&#13;``: a literal one would read back as a line feed.
    """
    _check_chars(value)
    out = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace("\r", "&#13;") if "\r" in out else out


def escape_attribute(value: str, quote: str) -> str:
    """An attribute value for a ``quote``-delimited attribute.

    Tabs and line ends are written as references: literal ones would read back as spaces.
    """
    _check_chars(value)
    out = value.replace("&", "&amp;").replace("<", "&lt;")
    out = out.replace('"', "&quot;") if quote == '"' else out.replace("'", "&apos;")
    if "\t" in out or "\n" in out or "\r" in out:
        out = out.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return out


def parse(data: str | bytes, *, source: str | None = None) -> XmlText:
    """Read an XML document, refusing DTDs, encodings the phones cannot read and anything not
    well-formed.

    ``data`` is the file's bytes, or its text in the library's lossless form (what ``dumps()``
    returns; see the module docstring). Raises :class:`~ciscocfg.ParseError` with a line and a
    column; never reads a file or opens a connection.
    """
    if isinstance(data, bytes):
        raw = data
    elif isinstance(data, str):
        try:
            raw = data.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as exc:
            raise _error(
                data, exc.start, "text holds a character that cannot be encoded", source
            ) from None
    else:
        raise ArgumentTypeError(f"expected str or bytes, not {type(data).__name__}")
    text, encoding = _decode(raw, source)
    root, prefixes = _Tokenizer(text, source, encoding).run()
    _check_with_lxml(text, raw, root, prefixes, encoding, source)
    return XmlText(text, root, source, encoding)


def _decode(raw: bytes, source: str | None) -> tuple[str, str]:
    """The lossless text of ``raw`` and the encoding it is read in, as libxml2 picks it."""
    for start, name in _NOT_ASCII_STARTS:
        if raw.startswith(start):
            raise ParseError(
                f"the document is encoded in {name}, which the phones cannot read ({_ADVICE})",
                line=1,
                column=1,
                offset=0,
                source=source,
            )
    bom = raw.startswith(_UTF8_BOM)
    encoding = "UTF-8"
    declared = _DECLARED_ENCODING.match(raw, 3 if bom else 0)
    if declared is not None:
        group = 1 if declared.group(1) is not None else 2
        name = declared.group(group).decode("ascii", "replace")
        found = _ENCODINGS.get(name.upper())
        # The offset in the text, where a byte-order mark is one character.
        at = declared.start(group) - (2 if bom else 0)
        if found is None:
            hint = ' (write encoding="ISO-8859-1")' if _is_latin1_alias(name) else ""
            raise ParseError(
                f"encoding {name!r} is not one the phones read{hint}; {_ADVICE}",
                line=1,
                column=at + 1,
                offset=at,
                source=source,
            )
        if bom and found != "UTF-8":
            raise ParseError(
                f"the document starts with a UTF-8 byte-order mark but declares encoding "
                f"{name!r}; readers disagree on which one wins: remove one of them",
                line=1,
                column=at + 1,
                offset=at,
                source=source,
            )
        encoding = found
    if encoding == "ISO-8859-1":
        # Every byte is a character; the text keeps non-UTF-8 bytes as surrogates so that it
        # encodes back to the same bytes, and the tokenizer reads them as Latin-1.
        return decode_bytes(raw), encoding
    try:
        return raw.decode(_CODECS[encoding]), encoding
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(_CODECS[encoding])
        line, column = LineIndex(before + " ").position(len(before))
        if declared is not None:
            why = "the encoding the document declares"
        else:
            why = (
                "a document without an encoding declaration is UTF-8; declare "
                'encoding="ISO-8859-1" if it is Latin-1'
            )
        raise ParseError(
            f"byte 0x{raw[exc.start]:02X} is not {encoding} ({why})",
            line=line,
            column=column,
            offset=exc.start,
            source=source,
        ) from None


def _is_latin1_alias(name: str) -> bool:
    if not _ENCODING_NAME.fullmatch(name):
        return False
    try:
        return codecs.lookup(name).name == "iso8859-1"
    except LookupError:
        return False


def _error(text: str, offset: int, message: str, source: str | None) -> ParseError:
    line, column = LineIndex(text).position(offset)
    return ParseError(message, line=line, column=column, offset=offset, source=source)


class _Tokenizer:
    """A small XML tokenizer that keeps offsets; lxml checks what it does not.

    It reads the lossless text; names and character data go into the tree as XML reads them:
    in an ISO-8859-1 document the bytes the text keeps as surrogates become Latin-1 characters,
    and line ends (and, in attribute values, tabs) are normalised (XML 1.0 2.11, 3.3.3).
    """

    def __init__(self, text: str, source: str | None, encoding: str = "UTF-8") -> None:
        self.text = text
        self.source = source
        self.prefixes: set[str] = set()
        # Only a Latin-1 document with bytes above 0x7F needs its names and text re-read, and
        # only one with a CR its line ends normalised; most CR documents hold CRLF only.
        self.latin1 = encoding == "ISO-8859-1" and not text.isascii()
        crs = text.count("\r")
        self.convert = self.latin1 or crs > 0
        self.crlf_only = not self.latin1 and crs > 0 and crs == text.count("\r\n")

    def typed(self, chunk: str) -> str:
        """Literal character data of the text as XML reads it."""
        if self.latin1 and not chunk.isascii():
            chunk = chunk.encode("utf-8", "surrogateescape").decode("latin-1")
        if "\r" in chunk:
            chunk = chunk.replace("\r\n", "\n").replace("\r", "\n")
        return chunk

    def name(self, raw: str) -> str:
        """A name of the text as XML reads it."""
        if self.latin1 and not raw.isascii():
            return raw.encode("utf-8", "surrogateescape").decode("latin-1")
        return raw

    def fail(self, offset: int, message: str) -> ParseError:
        return _error(self.text, offset, message, self.source)

    def run(self) -> tuple[Element, set[str]]:
        t = self.text
        n = len(t)
        pos = 0
        root: Element | None = None
        stack: list[Element] = []
        fast_start = _FAST_START.match
        end_tag = _END_TAG.match
        simple = _SIMPLE_STEP.match
        convert = self.convert
        crlf_only = self.crlf_only
        latin1 = self.latin1
        typed = self.typed
        while pos < n:
            # Fast path: plain text then a tag without attributes, in one regex call. Anything
            # else (references, comments, attributes, errors) takes the general path below.
            m = simple(t, pos)
            if m is not None and stack:
                chunk, slash, name, empty = m.groups()
                if chunk:
                    if "]]>" in chunk:
                        m = None
                    else:
                        if convert:
                            chunk = chunk.replace("\r\n", "\n") if crlf_only else typed(chunk)
                        stack[-1].text_parts.append(chunk)
                if m is not None:
                    if latin1:
                        name = self.name(name)
                    tag = m.start(2) - 1
                    if slash:
                        top = stack[-1]
                        if empty or name != top.name:
                            pos = tag  # let the general path report it
                        else:
                            stack.pop()
                            top.close_start = tag
                            pos = top.end = m.end()
                            continue
                    else:
                        element = Element(name, tag, stack[-1])
                        element.open_end = pos = m.end()
                        if ":" in name:
                            self._note_prefix(name)
                        stack[-1].children.append(element)
                        if empty:
                            element.close_start = element.end = pos
                        else:
                            stack.append(element)
                        continue
            lt = t.find("<", pos)
            if lt < 0:
                lt = n
            if lt > pos:
                chunk = t[pos:lt]
                if stack and "&" not in chunk and "]]>" not in chunk:
                    if convert:
                        chunk = chunk.replace("\r\n", "\n") if crlf_only else typed(chunk)
                    stack[-1].text_parts.append(chunk)
                else:
                    self._text(stack, pos, lt)
                pos = lt
                if pos >= n:
                    break
            after = t[pos + 1 : pos + 2]
            if after == "/":
                m = end_tag(t, pos)
                if m is None:
                    raise self.fail(pos, "malformed end tag")
                if not stack:
                    raise self.fail(pos, f"end tag </{m.group(1)}> without a start tag")
                top = stack.pop()
                name = self.name(m.group(1))
                if name != top.name:
                    line = LineIndex(t).position(top.start)[0]
                    raise self.fail(
                        pos,
                        f"end tag </{name}> does not match start tag <{top.name}> of line {line}",
                    )
                top.close_start = pos
                pos = top.end = m.end()
            elif after == "!" or after == "?":
                pos = self._markup(pos, stack, root)
            else:
                if root is not None and not stack:
                    raise self.fail(pos, "a second root element (only one is allowed)")
                m = fast_start(t, pos)
                if m is not None:
                    # The common case: a tag without attributes.
                    element = Element(self.name(m.group(1)), pos, stack[-1] if stack else None)
                    element.open_end = pos = m.end()
                    if m.group(2):
                        element.close_start = element.end = pos
                else:
                    m = _START_TAG.match(t, pos)
                    if m is None:
                        raise self.fail(pos, "'<' that starts no tag (write '&lt;' in text)")
                    element = Element(self.name(m.group(1)), pos, stack[-1] if stack else None)
                    pos = self._attributes(element, m.end())
                if ":" in element.name:
                    self._note_prefix(element.name)
                if stack:
                    stack[-1].children.append(element)
                else:
                    root = element
                if element.end == element.open_end:
                    element.close_start = element.end
                else:
                    stack.append(element)
        if stack:
            raise self.fail(n, f"element <{stack[-1].name}> is not closed")
        if root is None:
            raise self.fail(min(pos, n), "no root element")
        return root, self.prefixes

    def _markup(self, pos: int, stack: list[Element], root: Element | None) -> int:
        """Comments, processing instructions, CDATA and the document type declaration."""
        t = self.text
        if t.startswith("<!--", pos):
            end = t.find("-->", pos + 4)
            if end < 0:
                raise self.fail(pos, "comment is not closed (missing '-->')")
            if stack:
                stack[-1].has_markup = True
            return end + 3
        if t.startswith("<?", pos):
            end = t.find("?>", pos + 2)
            if end < 0:
                raise self.fail(pos, "processing instruction is not closed (missing '?>')")
            if stack:
                stack[-1].has_markup = True
            return end + 2
        if t.startswith("<![CDATA[", pos):
            end = t.find("]]>", pos + 9)
            if end < 0:
                raise self.fail(pos, "CDATA section is not closed (missing ']]>')")
            if not stack:
                raise self.fail(pos, "CDATA section outside the root element")
            stack[-1].text_parts.append(self.typed(t[pos + 9 : end]))
            stack[-1].has_markup = True
            return end + 3
        if t.startswith("<!DOCTYPE", pos):
            return self._doctype(pos, root is not None or bool(stack))
        raise self.fail(pos, "'<!' that starts no comment, CDATA section or DOCTYPE")

    def _note_prefix(self, name: str) -> None:
        if ":" in name:
            prefix = name.split(":", 1)[0]
            if prefix not in ("xml", "xmlns"):
                self.prefixes.add(prefix)

    def _attributes(self, element: Element, pos: int) -> int:
        t = self.text
        while True:
            m = _ATTRIBUTE.match(t, pos)
            if m is None:
                break
            name, double, single = m.group(2, 3, 4)
            if double is not None:
                quoted, quote, vstart = double, '"', m.start(3)
            else:
                quoted, quote, vstart = single, "'", m.start(4)
            if self.latin1:
                name = self.name(name)
            if self.convert or "&" in quoted or "\t" in quoted or "\n" in quoted:
                value = self._decode(quoted, vstart, attribute=True)
            else:
                value = quoted
            element.attributes.append(Attribute(name, value, vstart, vstart + len(quoted), quote))
            if not name.startswith("xmlns"):
                self._note_prefix(name)
            pos = m.end()
        close = _TAG_CLOSE.match(t, pos)
        if close is None:
            at = _SPACE.match(t, pos)
            raise self.fail(at.end() if at else pos, f"malformed start tag <{element.name}>")
        element.open_end = close.end()
        if close.group(1):
            element.close_start = element.end = close.end()
        else:
            element.end = -1
        return close.end()

    def _text(self, stack: list[Element], start: int, end: int) -> None:
        chunk = self.text[start:end]
        if not stack:
            # White space only, after a byte-order mark at the very start.
            lead = 1 if start == 0 and chunk.startswith("\ufeff") else 0
            if chunk.strip(" \t\r\n") if not lead else chunk[1:].strip(" \t\r\n"):
                body = chunk[lead:]
                bad = start + lead + len(body) - len(body.lstrip(" \t\r\n"))
                raise self.fail(bad, "text outside the root element")
            return
        if "]]>" in chunk:
            raise self.fail(start + chunk.index("]]>"), "']]>' is not allowed in text")
        stack[-1].text_parts.append(self._decode(chunk, start))

    def _literal(self, chunk: str, attribute: bool) -> str:
        chunk = self.typed(chunk)
        if attribute and ("\t" in chunk or "\n" in chunk):
            chunk = chunk.translate(_ATTRIBUTE_SPACE)
        return chunk

    def _decode(self, chunk: str, start: int, *, attribute: bool = False) -> str:
        """Character data with its references resolved; the characters references give are
        taken as they are, never normalised (XML 1.0 3.3.3)."""
        if "&" not in chunk:
            return self._literal(chunk, attribute)
        out: list[str] = []
        pos = 0
        while True:
            amp = chunk.find("&", pos)
            if amp < 0:
                out.append(self._literal(chunk[pos:], attribute))
                return "".join(out)
            out.append(self._literal(chunk[pos:amp], attribute))
            m = _REFERENCE.match(chunk, amp)
            if m is None:
                raise self.fail(start + amp, "'&' that starts no reference (write '&amp;')")
            ref = m.group(1)
            if ref.startswith("#"):
                try:
                    code = int(ref[2:], 16) if ref[1] == "x" else int(ref[1:])
                    out.append(chr(code))
                except (ValueError, OverflowError):
                    raise self.fail(start + amp, f"bad character reference &{ref};") from None
            elif ref in _PREDEFINED:
                out.append(_PREDEFINED[ref])
            else:
                raise self.fail(start + amp, f"entity &{ref}; is not defined (no DTD is read)")
            pos = m.end()

    def _doctype(self, pos: int, late: bool) -> int:
        t = self.text
        if late:
            raise self.fail(pos, "document type declaration inside the document")
        end = t.find(">", pos)
        bracket = t.find("[", pos)
        if 0 <= bracket < (end if end >= 0 else len(t)) or "<!ENTITY" in t:
            raise self.fail(
                pos, "document type declarations with a subset or entities are not accepted"
            )
        if _DOCTYPE_EXTERNAL.match(t, pos):
            raise self.fail(pos, "document type declarations naming an external DTD are refused")
        if end < 0:
            raise self.fail(pos, "document type declaration is not closed")
        return end + 1


def _check_with_lxml(
    text: str, raw: bytes, root: Element, prefixes: set[str], encoding: str, source: str | None
) -> None:
    feed, shift_line, shift_col, shift = _lxml_input(text, raw, root, prefixes, encoding)
    try:
        etree.fromstring(feed, hardened_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        if shift and line == shift_line and column > shift_col:
            column = max(shift_col, column - shift)
        message = str(exc.msg or exc).split(", line ")[0]
        raise ParseError(message, line=line or None, column=column or None, source=source) from None
    except (etree.LxmlError, ValueError) as exc:  # pragma: no cover - defensive
        raise ParseError(str(exc), source=source) from None


def _lxml_input(
    text: str, raw: bytes, root: Element, prefixes: set[str], encoding: str
) -> tuple[bytes, int, int, int]:
    """The bytes handed to lxml: ``raw`` with the undeclared prefixes declared on the root.

    Also returns the line and column of the insertion and its length, to map lxml's positions
    back to the original text.
    """
    declared = {a.name[6:] for a in root.attributes if a.name.startswith("xmlns:")}
    missing = sorted(prefixes - declared)
    if not missing:
        return raw, 0, 0, 0
    # One made-up namespace per prefix, so that ``a:x`` and ``b:x`` stay two attributes.
    inject = b"".join(
        b' xmlns:%s="urn:x-ciscocfg:undeclared:%d"' % (p.encode(_CODECS[encoding]), i)
        for i, p in enumerate(missing)
    )
    name = _START_TAG.match(text, root.start)
    assert name is not None
    at_char = name.end()
    at = len(text[:at_char].encode("utf-8", "surrogateescape"))
    line, column = LineIndex(text).position(at_char)
    return raw[:at] + inject + raw[at:], line, column, len(inject)


class XmlDocument:
    """Base of the XML codecs' documents: the source text, its tree, and splice-and-reparse edits.

    Every edit builds the new text by splicing at element spans and parses it again through
    :func:`parse`, so the tree and the text can never disagree.
    """

    __slots__ = ("_xml",)

    def __init__(self, xml: XmlText) -> None:
        self._xml = xml

    @property
    def source(self) -> str | None:
        """The file name the document was read from, when known."""
        return self._xml.source

    @property
    def encoding(self) -> str:
        """How the file's bytes are read: ``"UTF-8"``, ``"US-ASCII"`` or ``"ISO-8859-1"``.

        Values read from the document are text in any case; values set are written in this
        encoding (as character references where it has no byte for a character).
        """
        return self._xml.encoding

    @property
    def root(self) -> Element:
        """The root element (a read-only view; edit through the document's methods)."""
        return self._xml.root

    @property
    def root_name(self) -> str:
        """The root element's name as written."""
        return self._xml.root.name

    def dumps(self) -> str:
        """The document's text: exactly what was read, plus the edits made since."""
        return self._xml.text

    def _replace(self, text: str) -> None:
        self._xml = parse(text, source=self._xml.source)

    def find(self, path: str) -> Element | None:
        """The element at a ``/``-separated path of child names below the root, or ``None``."""
        return self._xml.find(path)

    def get(self, path: str, default: str | None = None) -> str | None:
        """The text of the element at ``path`` (see :meth:`find`), or ``default``."""
        element = self._xml.find(path)
        return default if element is None else element.text

    def set(self, path: str, value: str) -> None:
        """Set the text of the element at ``path``, creating it (and its parents) if missing.

        Only that element's content changes in the text; a new element goes after its last
        sibling with the siblings' indentation.
        """
        element = self._xml.find(path)
        if element is None:
            steps = [s for s in path.split("/") if s]
            if not steps:
                raise ValidationError("an empty path names the root, which holds elements")
            parent_path = "/".join(steps[:-1])
            parent = self._xml.find(parent_path)
            if parent is None:
                self.set_element(parent_path)
                parent = self._xml.find(parent_path)
                assert parent is not None
            self._replace(self._xml.with_child(parent, steps[-1], escape_text(value)))
            return
        self._replace(self._xml.with_text(element, value))

    def set_element(self, path: str) -> Element:
        """The element at ``path``, created empty (with its parents) when missing."""
        element = self._xml.find(path)
        if element is not None:
            return element
        steps = [s for s in path.split("/") if s]
        node = self._xml.root
        for i, step in enumerate(steps):
            kid = node.child(step)
            if kid is None:
                self._replace(self._xml.with_child(node, step))
                found = self._xml.find("/".join(steps[: i + 1]))
                assert found is not None
                kid = found
            node = kid
        return node

    def remove(self, path: str) -> bool:
        """Remove the element at ``path`` (with its line); ``False`` when there was none."""
        element = self._xml.find(path)
        if element is None or element.parent is None:
            return False
        self._replace(self._xml.without(element))
        return True

    def _set_attribute(self, element: Element, name: str, value: str) -> None:
        self._replace(self._xml.with_attribute(element, name, value))

    def _set_text(self, element: Element, value: str) -> None:
        self._replace(self._xml.with_text(element, value))

    def _add_child(self, parent: Element, name: str, markup: str = "") -> None:
        self._replace(self._xml.with_child(parent, name, markup))

    def _add_markup(self, parent: Element, markup: str) -> None:
        self._replace(self._xml.with_markup(parent, markup))

    def _remove_element(self, element: Element) -> None:
        self._replace(self._xml.without(element))

    def _line(self, element: Element) -> int:
        return self._xml.line_of(element)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, XmlDocument)
        return self._xml.text == other._xml.text

    __hash__ = None  # type: ignore[assignment]

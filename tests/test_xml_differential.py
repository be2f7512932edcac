"""The lossless tokenizer reads the tree lxml (libxml2, the phones' parser) reads, or both refuse.

``validate`` and ``check`` see the tokenizer's tree, the phone sees libxml2's: if the two could
differ, a file could pass every check here and mean something else on the phone (a password
element smuggled in as UTF-7, say). So for generated documents and for byte-mutated real files,
the two trees must be equal (names, attributes, namespaces in scope, text before the first child
and after each child, where comments and processing instructions are, lines), or both readers
must refuse the bytes.

The few places where the library deliberately reads differently are listed in
:data:`DELIBERATE`, each documented in docs/formats/sepxml.md and each pinned by an example
below, so that neither the behaviour nor its documentation can go away unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree
from support.mutations import mutated, xml_documents
from support.paths import PROJECT_ROOT, needs_corpus
from support.xmlgen import documents, encoded_documents

from ciscocfg import ParseError, ValidationError
from ciscocfg._text import encode_text
from ciscocfg._xml import Element, XmlText, parse

#: Every way the library reads differently from libxml2, with a phrase the documentation of
#: the difference in docs/formats/sepxml.md must hold.
DELIBERATE = {
    # libxml2 reports a prefix used without a declaration as a namespace error; CallManager
    # writes such files and phones load them, so the library reads them (as lxml's recover mode
    # builds them) and still refuses anything else that is not well-formed.
    "undeclared-prefix": "Prefixes used without a declaration",
    # libxml2 reads UTF-16, UCS-4, EBCDIC, UTF-7, windows-1252 and any name iconv knows; the
    # library reads only what a phone reads, and refuses the rest with the encoding's name.
    "encoding": "Encodings other than UTF-8, US-ASCII and ISO-8859-1",
    # libxml2 2.12+ lets a UTF-8 byte-order mark win over a declared ISO-8859-1; older ones
    # (and so some phones) may not: the library refuses the contradiction.
    "bom-conflict": "A UTF-8 byte-order mark with another declared encoding",
    # libxml2 (with entities and DTD loading off) still accepts internal subsets and external
    # identifiers; the library refuses them before lxml sees the text.
    "doctype": "Document type declarations with an internal subset or an external identifier",
}

_ACCEPTED_NAMES = {"UTF-8", "UTF8", "US-ASCII", "ASCII", "ISO-8859-1", "ISO-LATIN-1"}
_DECLARED = re.compile(rb"\A(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_LONE_CR = re.compile(rb"\r(?!\n)")
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)
_OTHER_STARTS = (b"\xfe\xff", b"\xff\xfe", b"\x00", b"<\x00", b"Lo\xa7\x94")


def _reference_parser(*, recover: bool = False) -> etree.XMLParser:
    """lxml as any careful reader would configure it: no entities, no DTD, no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
        recover=recover,
    )


@dataclass
class Reading:
    """What lxml makes of some bytes."""

    root: etree._Element | None
    errors: list[str]
    #: Well-formed but for prefixes used without a declaration (read in recover mode).
    undeclared_prefixes: bool = False


def lxml_reading(data: bytes) -> Reading:
    parser = _reference_parser()
    try:
        return Reading(etree.fromstring(data, parser), [])
    except etree.XMLSyntaxError:
        errors = [e.type_name for e in parser.error_log if e.level >= etree.ErrorLevels.ERROR]
    if errors and all(kind == "NS_ERR_UNDEFINED_NAMESPACE" for kind in errors):
        root = etree.fromstring(data, _reference_parser(recover=True))
        return Reading(root, errors, undeclared_prefixes=True)
    return Reading(None, errors)


# -- the two trees, in one shape ------------------------------------------------------------------


def _lxml_name(node: etree._Element) -> str:
    tag = str(node.tag)
    if not tag.startswith("{"):
        return tag  # no namespace (or, read in recover mode, an undeclared prefix kept as is)
    local = tag.split("}", 1)[1]
    return f"{node.prefix}:{local}" if node.prefix else local


def _lxml_view(node: etree._Element, lines: bool) -> tuple[object, ...]:
    values = node.xpath("@*")
    attributes = [(node.xpath(f"name(@*[{i}])"), str(v)) for i, v in enumerate(values, 1)]
    namespaces = {k: v for k, v in node.nsmap.items() if not (k is None and v == "")}
    segments = [node.text or ""]
    markup = False
    for kid in node:
        if isinstance(kid.tag, str):
            segments.append(kid.tail or "")
        else:
            markup = True
            segments[-1] += kid.tail or ""
    children = [_lxml_view(kid, lines) for kid in node if isinstance(kid.tag, str)]
    return (
        _lxml_name(node),
        node.sourceline if lines else None,
        attributes,
        namespaces,
        segments,
        markup,
        children,
    )


def _our_view(
    xml: XmlText, element: Element, scope: dict[str | None, str], lines: bool
) -> tuple[object, ...]:
    scope = dict(scope)
    attributes = []
    for attr in element.attributes:
        if attr.name == "xmlns":
            scope[None] = attr.value
        elif attr.name.startswith("xmlns:"):
            scope[attr.name[6:]] = attr.value
        else:
            attributes.append((attr.name, attr.value))
    if scope.get(None) == "":
        del scope[None]
    segments = [element.head_text] + [kid.tail for kid in element.children]
    return (
        element.name,
        # libxml2 gives an element the line its start tag ends on.
        xml.position(element.open_end - 1)[0] if lines else None,
        attributes,
        scope,
        segments,
        _markup_seen(xml, element),
        [_our_view(xml, kid, scope, lines) for kid in element.children],
    )


def _markup_seen(xml: XmlText, element: Element) -> bool:
    """Whether comments or processing instructions stand among the element's children (lxml
    keeps them as nodes; CDATA it merges into the text)."""
    direct = xml.text[element.open_end : element.close_start]
    for kid in reversed(element.children):
        lo, hi = kid.start - element.open_end, kid.end - element.open_end
        direct = direct[:lo] + direct[hi:]
    outside_cdata = _CDATA.sub("", direct)
    seen = "<!--" in outside_cdata or "<?" in outside_cdata
    assert element.has_markup == (seen or "<![CDATA[" in direct)
    return seen


def assert_same_reading(data: bytes) -> None:
    """The library's reading of ``data`` equals lxml's, or both refuse, or the difference is
    one of :data:`DELIBERATE` (checked from the bytes, not from our error message alone)."""
    reading = lxml_reading(data)
    refusal: ParseError | None = None
    try:
        ours = parse(data)
    except ParseError as err:
        refusal = err
    if refusal is not None:
        if reading.root is not None:
            # A document lxml reads only in recover mode (undeclared prefixes) may still hold
            # an attribute twice, which recover mode lets through and the library does not.
            duplicate = reading.undeclared_prefixes and "redefined" in refusal.message
            assert duplicate or _deliberate_refusal(refusal, data) is not None, (
                f"lxml reads {data!r} but the library refuses it: {refusal}"
            )
        return
    assert reading.root is not None, (
        f"the library reads {data!r}, lxml refuses it: {reading.errors}"
    )
    if reading.undeclared_prefixes:
        assert _uses_undeclared_prefix(ours.root, {})
    # What was read is what is written back, and reading the text gives the same tree.
    assert encode_text(ours.text) == data
    # libxml2 does not always count a lone CR as a line end (the phones and the library do).
    lines = _LONE_CR.search(data) is None
    expected = _lxml_view(reading.root, lines)
    assert _our_view(ours, ours.root, {}, lines) == expected
    again = parse(ours.text)
    assert _our_view(again, again.root, {}, lines) == expected


def _uses_undeclared_prefix(element: Element, scope: dict[str, str]) -> bool:
    scope = dict(scope)
    for attr in element.attributes:
        if attr.name.startswith("xmlns:"):
            scope[attr.name[6:]] = attr.value
    names = [element.name] + [a.name for a in element.attributes if not a.name.startswith("xmlns")]
    for name in names:
        prefix = name.split(":", 1)[0] if ":" in name else None
        if prefix not in (None, "xml") and prefix not in scope:
            return True
    return any(_uses_undeclared_prefix(kid, scope) for kid in element.children)


def _deliberate_refusal(err: ParseError, data: bytes) -> str | None:
    """Which documented difference explains refusing bytes lxml reads, if one does."""
    declared = _DECLARED.match(data)
    name = declared.group(1).decode("ascii", "replace").upper() if declared else None
    if "encod" in err.message:
        if data.startswith(_OTHER_STARTS) or (name is not None and name not in _ACCEPTED_NAMES):
            return "encoding"
        if data.startswith(b"\xef\xbb\xbf") and name not in (None, "UTF-8", "UTF8"):
            return "bom-conflict"
    if "document type declaration" in err.message:
        doctype = re.search(rb"<!DOCTYPE[^>]*", data)
        if b"<!ENTITY" in data or (
            doctype is not None and re.search(rb"\[|SYSTEM|PUBLIC", doctype.group())
        ):
            return "doctype"
    return None


# -- properties -----------------------------------------------------------------------------------

CORPUS = xml_documents()


@given(encoded_documents())
@example(b'<a b="x\r\ny\tz\nw">l1\r\nl2\rl3&#13;</a>')
@example(b'<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<a b="\xe9">Jos\xe9 \xc3\xa9</a>')
@example(b'<a xmlns:x="urn:x" x:b="&#9;&#10;&#13;"><x:c/>\r<!--c-->\r\n<?p?>t<![CDATA[\r\n]]></a>')
@example(b"<a\xe1\x9a\x80b/>")
def test_generated_documents_read_as_lxml_reads_them(data: bytes) -> None:
    assert_same_reading(data)


@given(documents())
def test_plain_generated_documents_read_as_lxml_reads_them(doc: str) -> None:
    assert_same_reading(doc.encode("utf-8"))


@needs_corpus(CORPUS)
@given(mutated(CORPUS or [b"<a/>"]))
def test_mutated_real_documents_read_as_lxml_reads_them(data: bytes) -> None:
    assert_same_reading(data)


@needs_corpus(CORPUS)
@pytest.mark.parametrize("data", CORPUS or [b"<a/>"], ids=lambda d: str(len(d)))
def test_real_documents_read_as_lxml_reads_them(data: bytes) -> None:
    assert_same_reading(data)


# -- the reported cases ---------------------------------------------------------------------------

SMUGGLED = (
    b'<?xml version="1.0" encoding="UTF-7"?>\n<device><vendorConfig>'
    b"<sshUserId>+ADw-/sshUserId+AD4-+ADw-sshPassword+AD4-letmein+ADw-/sshPassword+AD4-"
    b"+ADw-sshUserId+AD4-admin</sshUserId></vendorConfig></device>"
)


def test_utf7_cannot_smuggle_an_element() -> None:
    # lxml (through iconv) reads a second element the library must not silently miss.
    tree = etree.fromstring(SMUGGLED, _reference_parser())
    smuggled = tree.find("vendorConfig/sshPassword")
    assert smuggled is not None
    assert smuggled.text == "letmein"
    with pytest.raises(ParseError, match="'UTF-7'") as info:
        parse(SMUGGLED)
    assert (info.value.line, info.value.column) == (1, 31)


def test_latin1_is_read_as_latin1_and_written_back_as_it_was() -> None:
    data = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<name a="\xe9t\xe9">Jos\xe9</name>\n'
    xml = parse(data)
    assert xml.encoding == "ISO-8859-1"
    assert xml.root.text == "José"
    assert xml.root.attributes[0].value == "été"
    assert encode_text(xml.text) == data
    assert_same_reading(data)


def test_line_ends_and_attribute_white_space_are_normalised_as_xml_says() -> None:
    xml = parse(b'<a b="x\r\ny\tz\nw&#9;&#13;">l1\r\nl2\rl3&#13;<![CDATA[\r\n]]></a>')
    assert xml.root.text == "l1\nl2\nl3\r\n"
    assert xml.root.attributes[0].value == "x y z w\t\r"
    assert xml.text == '<a b="x\r\ny\tz\nw&#9;&#13;">l1\r\nl2\rl3&#13;<![CDATA[\r\n]]></a>'


def test_a_name_with_u1680_is_one_name_as_in_xml() -> None:
    # Python's \s takes U+1680 (OGHAM SPACE MARK) for white space; XML takes it for a name
    # character.
    xml = parse("<a\u1680b/>".encode())
    assert xml.root.name == "a\u1680b"


# -- the deliberate differences, one example each -------------------------------------------------


def test_deliberate_undeclared_prefix_is_read() -> None:
    data = b'<device xsi:type="axl:XIPPhone"><axl:x/></device>'
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(data, _reference_parser())
    assert parse(data).root.children[0].name == "axl:x"
    assert_same_reading(data)


def test_an_undeclared_prefix_does_not_excuse_a_duplicate_attribute() -> None:
    data = b'<device x:y="1" x:y="2"/>'
    # Recover mode keeps both; the library, declaring the prefix for lxml, refuses.
    assert len(etree.fromstring(data, _reference_parser(recover=True)).attrib) == 2
    with pytest.raises(ParseError, match="redefined"):
        parse(data)
    assert_same_reading(data)


@pytest.mark.parametrize(
    "data",
    [
        "<a>é</a>".encode("utf-16"),
        '<?xml version="1.0" encoding="UTF-16"?><a>é</a>'.encode("utf-16-le"),
        '<?xml version="1.0" encoding="windows-1252"?><a>\x80</a>'.encode("latin-1"),
        b'<?xml version="1.0" encoding="latin1"?><a>\xe9</a>',
        b'<?xml version="1.0" encoding="ISO-8859-2"?><a>\xe9</a>',
        SMUGGLED,
    ],
    ids=["utf-16-bom", "utf-16-no-bom", "windows-1252", "latin1-alias", "iso-8859-2", "utf-7"],
)
def test_deliberate_encoding_refused(data: bytes) -> None:
    assert etree.fromstring(data, _reference_parser()) is not None
    with pytest.raises(ParseError) as info:
        parse(data)
    assert _deliberate_refusal(info.value, data) == "encoding"


def test_deliberate_bom_conflict_refused() -> None:
    data = b'\xef\xbb\xbf<?xml version="1.0" encoding="ISO-8859-1"?><a>\xc3\xa9</a>'
    assert etree.fromstring(data, _reference_parser()).text == "é"
    with pytest.raises(ParseError) as info:
        parse(data)
    assert _deliberate_refusal(info.value, data) == "bom-conflict"


@pytest.mark.parametrize(
    "data",
    [b'<!DOCTYPE a [<!ENTITY e "x">]><a/>', b'<!DOCTYPE a SYSTEM "a.dtd"><a/>'],
    ids=["subset", "system"],
)
def test_deliberate_doctype_refused(data: bytes) -> None:
    assert etree.fromstring(data, _reference_parser()) is not None
    with pytest.raises(ParseError) as info:
        parse(data)
    assert _deliberate_refusal(info.value, data) == "doctype"


def test_every_deliberate_difference_is_documented() -> None:
    page = (PROJECT_ROOT / "docs" / "formats" / "sepxml.md").read_text(encoding="utf-8")
    section = page.split("## Where the reader differs from libxml2", 1)
    assert len(section) == 2, "docs/formats/sepxml.md lost its list of deliberate differences"
    body = section[1].split("\n## ", 1)[0]
    for key, phrase in DELIBERATE.items():
        assert phrase in body, f"deliberate difference {key!r} is not documented"


def test_examples_cover_every_deliberate_difference() -> None:
    tested = {
        name.removeprefix("test_deliberate_").split("_")[0]
        for name in globals()
        if name.startswith("test_deliberate_")
    }
    assert {key.split("-")[0] for key in DELIBERATE} == tested


# -- edits keep the two readings equal, in every encoding -----------------------------------------

EDITABLE = {
    "UTF-8": b"<device>\r\n  <name>x</name>\r\n  <empty/>\r\n</device>\r\n",
    "ISO-8859-1": b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<d\xe9vice>\n  <name a="\xe9">'
    b"Jos\xe9</name>\n  <empty/>\n</d\xe9vice>\n",
    "US-ASCII": b"<?xml version='1.0' encoding='US-ASCII'?><device><name>x</name><empty/></device>",
}
VALUES = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\ufffe\uffff")
    .filter(lambda c: c in "\t\n\r" or ord(c) >= 0x20)
    .filter(lambda c: not 0x7F <= ord(c) <= 0x9F or c == "\x85"),
    max_size=12,
)


@pytest.mark.parametrize("encoding", sorted(EDITABLE))
@given(text=VALUES, attribute=VALUES, new=VALUES)
def test_values_set_read_back_as_set_by_both_readers(
    encoding: str, text: str, attribute: str, new: str
) -> None:
    xml = parse(EDITABLE[encoding])
    name = xml.root.children[0]
    xml = parse(xml.with_text(name, text))
    xml = parse(xml.with_attribute(xml.root.children[0], "b", attribute))
    xml = parse(xml.with_text(xml.root.children[1], new))  # <empty/> gets content
    data = encode_text(xml.text)
    assert xml.encoding == encoding
    assert [kid.text for kid in xml.root.children] == [text, new]
    written = xml.root.children[0].attribute("b")
    assert written is not None
    assert written.value == attribute
    assert_same_reading(data)
    tree = etree.fromstring(data, _reference_parser())
    assert [tree[0].text or "", tree[1].text or ""] == [text, new]
    assert tree[0].get("b") == attribute


def test_a_name_the_encoding_cannot_write_is_refused() -> None:
    xml = parse(EDITABLE["ISO-8859-1"])
    with pytest.raises(ValidationError, match="ISO-8859-1"):
        xml.with_child(xml.root, "x名前")
    assert parse(xml.with_child(xml.root, "xé")).root.children[-1].name == "xé"
    with pytest.raises(ValidationError, match="cannot be written"):
        xml.with_text(xml.root.children[0], "\udce9")

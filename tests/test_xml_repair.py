"""``fmt`` on XML: pasted characters repaired where the phone reads them, and lxml (libxml2, the
phones' reader) reads the same tree before and after, values aside."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from support.mutations import mutated, xml_documents
from support.xmlgen import documents, encoded_documents

from ciscocfg._reads import PASTE_DAMAGE, repair
from ciscocfg._xml import hardened_parser
from ciscocfg._xml_repair import RepairRefused, repair_xml

DAMAGE = sorted(PASTE_DAMAGE)
_PROLOG = re.compile(r"(?:\ufeff|[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*", re.S)


def _tree(data: bytes) -> etree._Element:
    return etree.fromstring(data, hardened_parser())


def _same_but_values(before: etree._Element, after: etree._Element) -> None:
    """Same elements, attribute names and order; text and values equal once repaired."""
    assert before.tag == after.tag
    assert list(before.attrib) == list(after.attrib)
    for name, value in before.attrib.items():
        assert repair(value) == repair(after.attrib[name])
    assert repair(before.text or "") == repair(after.text or "")
    assert repair(before.tail or "") == repair(after.tail or "")
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        _same_but_values(old, new)


@st.composite
def damaged_documents(draw: st.DrawFn) -> bytes:
    """A well-formed document with pasted characters put into its text and values."""
    data = draw(st.one_of(documents().map(str.encode), encoded_documents()))
    declared = re.search(rb"encoding=[\"']([^\"']+)", data)
    if declared is not None and declared.group(1).upper() not in (b"UTF-8", b"UTF8"):
        return data  # Latin-1 or ASCII: no room for most pasted characters
    text = data.decode("utf-8")
    # Put pasted characters after some '>' of the root's content (text) and inside some '="'
    # (a value); before or after the root, text makes no document.
    # Prefixes without a declaration are a namespace error to lxml: names without them.
    for prefixed in ("xsi:type", "x:typed", "ns:item"):
        text = text.replace(prefixed, prefixed.replace(":", ""))
    start = _PROLOG.match(text).end()  # type: ignore[union-attr]
    end = text.rfind(">")
    head, body, tail = text[:start], text[start:end], text[end:]
    out = [head]
    for piece in re.split(r"(>|=\")", body):
        out.append(piece)
        if piece in (">", '="') and draw(st.booleans()):
            out.append(draw(st.sampled_from(DAMAGE)))
    return ("".join(out) + tail).encode("utf-8")


@given(damaged_documents())
def test_a_repaired_document_reads_as_the_original_in_lxml(data: bytes) -> None:
    try:
        before = _tree(data)
    except etree.XMLSyntaxError:
        return  # a pasted character landed in a comment or PI where it breaks nothing we read
    try:
        repaired = repair_xml(data)
    except RepairRefused as exc:
        pytest.fail(f"a well-formed document was refused: {exc}")
    after = _tree(repaired)
    _same_but_values(before, after)
    assert repair_xml(repaired) == repaired


@given(encoded_documents())
def test_a_document_without_pasted_characters_comes_back_byte_for_byte(data: bytes) -> None:
    text = data.decode("latin-1")
    if any(char in text for char in DAMAGE) or b"\xa0" in data or b"\xe2\x80" in data:
        return
    assert repair_xml(data) == data


@given(mutated(xml_documents()))
def test_damaged_real_documents_are_repaired_or_refused(data: bytes) -> None:
    try:
        repaired = repair_xml(data)
    except RepairRefused:
        return
    if repaired != data:
        _tree_or_refused = repaired  # the check inside made sure it parses
        assert repair_xml(_tree_or_refused) == repaired


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # Word turned the quotes of the declaration and of the attributes around.
        (
            "<?xml version=\u201c1.0\u201d encoding=\u201cUTF-8\u201d?>\n"
            "<DIALTEMPLATE>\n  <TEMPLATE MATCH=\u201c911\u201d Timeout=\u201d0\u201d/>\n"
            "</DIALTEMPLATE>\n",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<DIALTEMPLATE>\n  <TEMPLATE MATCH="911" Timeout="0"/>\n</DIALTEMPLATE>\n',
        ),
        # Text and values: the phone reads these characters; the comment it does not read.
        (
            "<device><proxy>\u00a0sip.example.com\u200b</proxy>"
            "<!-- \u201cas is\u201d\u00a0--><line title='it\u2019s' x=\"say \u201chi\u201d\">"
            "John\u2019s</line></device>",
            "<device><proxy> sip.example.com</proxy>"
            "<!-- \u201cas is\u201d\u00a0--><line title='it&apos;s' x=\"say &quot;hi&quot;\">"
            "John's</line></device>",
        ),
        # A no-break space between attributes is a blank the author meant.
        ('<TEMPLATE MATCH="9"\u00a0Timeout="0"/>', '<TEMPLATE MATCH="9" Timeout="0"/>'),
        # The mark at the start stays (libxml2 reads it as the encoding's); any other goes.
        ("\ufeff<a>\ufeffx</a>", "\ufeff<a>x</a>"),
        # CDATA is text the phone reads.
        ("<a><![CDATA[\u00a0x]]></a>", "<a><![CDATA[ x]]></a>"),
        # A reference is written on purpose: left as it is.
        ("<a>&#160;\u00a0</a>", "<a>&#160; </a>"),
    ],
)
def test_repairs(before: str, after: str) -> None:
    assert repair_xml(before.encode("utf-8")) == after.encode("utf-8")


def test_latin1_no_break_space_is_repaired_in_latin1() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><a>\xa0caf\xe9</a>'.encode("latin-1")
    assert repair_xml(data) == b'<?xml version="1.0" encoding="ISO-8859-1"?><a> caf\xe9</a>'


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("<a>\u00a0x</a>".encode("utf-16"), "UTF-16"),
        # Removing the zero-width space would end the CDATA section early.
        ("<a><![CDATA[x]]\u200b>]]></a>".encode(), "not well-formed"),
        ("<a>\u00a0<b></a>".encode(), "not well-formed"),
    ],
)
def test_refusals(data: bytes, why: str) -> None:
    with pytest.raises(RepairRefused, match=why):
        repair_xml(data)

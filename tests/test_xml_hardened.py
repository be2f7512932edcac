"""The hardened XML entry point: no entities, no DTDs, no network, exact positions, lossless."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from support.xmlgen import documents

from ciscocfg import ParseError
from ciscocfg._xml import hardened_parser, parse


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket on a loopback high port that records whether anything connected."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def _nobody_connected(sock: socket.socket) -> bool:
    try:
        conn, _ = sock.accept()
    except BlockingIOError:
        return True
    conn.close()
    return False


def test_external_entity_reads_no_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = (
        f'<!DOCTYPE device [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
        "<device><name>&leak;</name></device>"
    )
    with pytest.raises(ParseError) as info:
        parse(doc)
    assert "TOP-SECRET-CONTENT" not in str(info.value)
    assert (info.value.line, info.value.column) == (1, 1)
    # The lxml layer alone, as configured, does not expand it either.
    tree = etree.fromstring(doc.encode(), hardened_parser())
    assert b"TOP-SECRET-CONTENT" not in etree.tostring(tree)


def test_external_dtd_file_is_not_read(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ATTLIST device leaked CDATA "FROM-THE-DTD">')
    doc = f'<!DOCTYPE device SYSTEM "{dtd.as_uri()}"><device/>'
    with pytest.raises(ParseError, match="external DTD"):
        parse(doc)
    tree = etree.fromstring(doc.encode(), hardened_parser())
    assert tree.get("leaked") is None


@pytest.mark.parametrize(
    "template",
    [
        '<!DOCTYPE device SYSTEM "{uri}"><device>&x;</device>',
        '<!DOCTYPE device [<!ENTITY % p SYSTEM "{uri}"> %p;]><device>&x;</device>',
        '<!DOCTYPE device [<!ENTITY x SYSTEM "{uri}">]><device>&x;</device>',
    ],
)
def test_no_form_of_external_reference_reads_the_file(tmp_path: Path, template: str) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY x "LEAKED-ENTITY">')
    doc = template.format(uri=dtd.as_uri())
    with pytest.raises(ParseError):
        parse(doc)
    # The lxml layer alone keeps the reference unexpanded.
    with contextlib.suppress(etree.XMLSyntaxError):
        tree = etree.fromstring(doc.encode(), hardened_parser())
        assert b"LEAKED" not in etree.tostring(tree)


def test_billion_laughs_is_refused() -> None:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    doc = f"<!DOCTYPE lolz [{entities}]><lolz>&l9;</lolz>"
    with pytest.raises(ParseError, match="not accepted"):
        parse(doc)


@pytest.mark.parametrize(
    "template",
    [
        '<!DOCTYPE device SYSTEM "http://127.0.0.1:{port}/device.dtd"><device/>',
        '<!DOCTYPE device PUBLIC "-//X//Y" "http://127.0.0.1:{port}/d.dtd"><device/>',
        '<!DOCTYPE device [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p.ent"> %p;]><device/>',
        '<!DOCTYPE device [<!ENTITY e SYSTEM "http://127.0.0.1:{port}/e">]><device>&e;</device>',
    ],
)
def test_external_dtd_and_entities_touch_no_network(listener: socket.socket, template: str) -> None:
    port = listener.getsockname()[1]
    doc = template.format(port=port)
    with pytest.raises(ParseError):
        parse(doc)
    with pytest.raises(ParseError):
        parse(doc.encode())
    # Even handed straight to the configured lxml parser, nothing is fetched.
    with contextlib.suppress(etree.XMLSyntaxError):
        etree.fromstring(doc.encode(), hardened_parser())
    assert _nobody_connected(listener)


def test_plain_doctype_without_subset_is_accepted() -> None:
    doc = "<!DOCTYPE device>\n<device/>"
    assert parse(doc).text == doc


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("<device>\n  <a>\n  </b>\n</device>", 3, 3, "does not match start tag <a> of line 2"),
        ("<device>\n<a>&nbsp;</a></device>", 2, 4, "entity &nbsp; is not defined"),
        ("<device>\n  <a x='1' x='2'/></device>", 2, None, "redefined"),
        ("<device><a>", 1, 12, "<a> is not closed"),
        ("<device/><other/>", 1, 10, "second root"),
        ("junk<device/>", 1, 1, "text outside the root"),
        ("<device>\x01</device>", 1, None, "invalid Char"),
        ("", 1, 1, "no root element"),
        ("<device><!-- open", 1, 9, "comment is not closed"),
        ("<device a=1/>", 1, 9, "malformed start tag"),
    ],
)
def test_malformed_input_has_a_position(
    text: str, line: int, column: int | None, words: str
) -> None:
    with pytest.raises(ParseError) as info:
        parse(text, source="SEP001122334455.cnf.xml")
    err = info.value
    assert words in err.message
    assert err.line == line
    if column is not None:
        assert err.column == column
    assert str(err).startswith(f"SEP001122334455.cnf.xml:{line}:")


def test_undeclared_prefixes_from_callmanager_load_and_round_trip() -> None:
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n'
        "<device  xsi:type=\"axl:XIPPhone\" ctiid='94'>\r\n"
        "<axl:extra/>\r\n"
        "</device>"
    )
    tree = parse(doc)
    assert tree.text == doc
    assert tree.root.attribute("xsi:type") is not None
    assert tree.root.children[0].name == "axl:extra"
    assert parse(doc.encode()).text == doc


def test_undeclared_prefix_does_not_excuse_a_mismatched_tag() -> None:
    doc = '<device xsi:type="axl:XIPPhone">\n<loadInformation115>x</loadInformation8>\n</device>'
    with pytest.raises(ParseError) as info:
        parse(doc)
    assert info.value.line == 2


def test_position_after_the_injected_declaration_is_the_original_one() -> None:
    doc = '<device xsi:type="a" x="1" x="2"/>'
    with pytest.raises(ParseError) as info:
        parse(doc)
    assert info.value.line == 1
    assert info.value.column is not None
    assert info.value.column <= len(doc)


def test_bytes_in_other_encodings_survive() -> None:
    doc = '<?xml version="1.0" encoding="ISO-8859-1"?><device><name>Jos\xe9</name></device>'
    raw = doc.encode("latin-1")
    tree = parse(raw)
    assert tree.text.encode("utf-8", "surrogateescape") == raw
    assert tree.find("name") is not None
    assert tree.root.children[0].text == "José"
    assert parse(tree.text).root.children[0].text == "José"


def test_references_are_decoded_for_reading() -> None:
    tree = parse("<a b='&lt;&#65;&#x42;&apos;'>x &amp; y<![CDATA[<z>]]></a>")
    assert tree.root.attributes[0].value == "<AB'"
    assert tree.root.text == "x & y<z>"


@given(documents())
def test_generated_documents_round_trip(doc: str) -> None:
    assert parse(doc).text == doc
    assert parse(doc.encode("utf-8")).text == doc


@given(st.one_of(st.text(max_size=60), st.binary(max_size=60)))
def test_arbitrary_input_raises_only_parse_error(data: str | bytes) -> None:
    try:
        tree = parse(data)
    except ParseError:
        return
    assert tree.root.name


@given(documents(), st.integers(min_value=0, max_value=400), st.text(max_size=3))
def test_mangled_documents_raise_only_parse_error(doc: str, at: int, junk: str) -> None:
    at = min(at, len(doc))
    mangled = doc[:at] + junk + doc[at + 1 :]
    try:
        tree = parse(mangled)
    except ParseError:
        return
    assert tree.text == mangled


def test_deep_nesting_is_refused() -> None:
    depth = 300
    with pytest.raises(ParseError, match="depth"):
        parse("<a>" * depth + "</a>" * depth)


def test_new_child_goes_after_a_trailing_comment() -> None:
    tree = parse("<device>\n  <a>1</a>  <!-- about a -->\n</device>\n")
    assert tree.with_child(tree.root, "b", "2") == (
        "<device>\n  <a>1</a>  <!-- about a -->\n  <b>2</b>\n</device>\n"
    )
    same_line = parse("<device><a>1</a><!-- x --></device>")
    assert same_line.with_child(same_line.root, "b", "2") == (
        "<device><a>1</a>\n<b>2</b><!-- x --></device>"
    )

"""Hypothesis strategies for XML text in the many spellings real provisioning files use."""

from __future__ import annotations

from hypothesis import strategies as st

NAMES = st.sampled_from(
    [
        "device",
        "deviceProtocol",
        "sipProfile",
        "line",
        "name",
        "proxy",
        "port",
        "vendorConfig",
        "webAccess",
        "unknownThing",
        "x:typed",
    ]
)
# Text that needs escaping, non-ASCII, and template placeholders all occur in real files.
TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 .-_/:@{}$#é€&<>\"'")), min_size=0, max_size=12
)
SPACE = st.sampled_from(["", " ", "  ", "\t", "\n", "\r\n", "\n    ", "\r\n\t"])
NEWLINE = st.sampled_from(["\n", "\r\n", "\r"])


def escape(text: str, quote: str | None = None) -> str:
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote == '"':
        out = out.replace('"', "&quot;")
    elif quote == "'":
        out = out.replace("'", "&apos;")
    return out


@st.composite
def attributes(draw: st.DrawFn) -> str:
    names = draw(
        st.lists(st.sampled_from(["button", "model", "priority", "xsi:type"]), unique=True)
    )
    out = []
    for name in names:
        quote = draw(st.sampled_from(['"', "'"]))
        value = draw(TEXT)
        out.append(
            draw(st.sampled_from([" ", "  ", "\t", "\n"]))
            + name
            + draw(st.sampled_from(["=", " = "]))
            + quote
            + escape(value, quote)
            + quote
        )
    return "".join(out)


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    name = draw(NAMES)
    attrs = draw(attributes())
    kind = draw(st.sampled_from(["empty", "text", "children"] if depth < 3 else ["empty", "text"]))
    tail = draw(st.sampled_from(["", " ", "\t"]))
    if kind == "empty":
        return f"<{name}{attrs}{tail}/>"
    if kind == "text":
        body = escape(draw(TEXT))
        if draw(st.booleans()):
            body += "<!--" + draw(TEXT).replace("-", "") + "-->"
        return f"<{name}{attrs}{tail}>{body}</{name}>"
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts.append(draw(SPACE))
        parts.append(draw(element(depth + 1)))
    parts.append(draw(SPACE))
    return f"<{name}{attrs}{tail}>{''.join(parts)}</{name}>"


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A well-formed document with optional BOM, declaration, comments and any line ending."""
    head = ""
    if draw(st.booleans()):
        head += "\ufeff"
    if draw(st.booleans()):
        head += draw(
            st.sampled_from(
                [
                    '<?xml version="1.0"?>',
                    "<?xml version='1.0' encoding='UTF-8'?>",
                    '<?xml version="1.0" ?>',
                ]
            )
        )
        head += draw(NEWLINE)
    if draw(st.booleans()):
        head += "<!-- " + draw(TEXT).replace("-", "") + " -->" + draw(NEWLINE)
    tail = draw(st.sampled_from(["", "\n", "\r\n", "\n\n", "  "]))
    return head + draw(element()) + tail


# -- documents as bytes, in every encoding the library reads -------------------------------------

#: Declared names by the encoding they stand for, and the codec that writes them.
ENCODINGS = {
    "UTF-8": (["UTF-8", "utf-8", "UTF8"], "utf-8"),
    "ISO-8859-1": (["ISO-8859-1", "iso-8859-1", "ISO-LATIN-1"], "latin-1"),
    "US-ASCII": (["US-ASCII", "ascii"], "ascii"),
}
#: Characters that test normalisation and decoding: line ends, tabs, markup characters, Latin-1,
#: beyond Latin-1, C1 controls and Unicode spaces that XML does not treat as white space.
RICH = list("abcXZ019 .-_/:{}$#") + list("\t\n\r&<>\"'") + list("éÿ€Ω\x85\xa0\u1680\u2028名")
RICH_NAMES = ["device", "line", "a", "B.c-d", "é", "Ünï", "名前", "x:typed", "ns:item", "_u"]


def _writable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def character_data(draw: st.DrawFn, codec: str, quote: str | None = None) -> str:
    """Rich text written as markup: escaped where it must be, and sometimes where it need not
    be, as references (``&#13;`` keeps a carriage return that a literal one would lose)."""
    out = []
    for char in draw(st.lists(st.sampled_from(RICH), max_size=10)):
        reference = not _writable(char, codec) or draw(st.integers(0, 5)) == 0
        if char in "<&" or (quote is not None and char == quote):
            reference = True
        if reference:
            out.append(
                draw(st.sampled_from([f"&#{ord(char)};", f"&#x{ord(char):X};"]))
                if char not in "<>&\"'" or draw(st.booleans())
                else {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}[char]
            )
        else:
            out.append(char)
    return "".join(out)


@st.composite
def rich_element(draw: st.DrawFn, codec: str, depth: int = 0) -> str:
    names = [n for n in RICH_NAMES if _writable(n, codec)]
    name = draw(st.sampled_from(names))
    attrs = []
    used: set[str] = set()
    for attr in draw(st.lists(st.sampled_from([*names, "xmlns:ns", "xmlns"]), max_size=3)):
        if attr in used:
            continue
        used.add(attr)
        quote = draw(st.sampled_from(['"', "'"]))
        if attr.startswith("xmlns"):
            value = draw(st.sampled_from(["urn:a", "urn:b", "http://example.net/x"]))
        else:
            value = draw(character_data(codec, quote))
        space = draw(st.sampled_from([" ", "\t", "\n", "\r\n", "  "]))
        attrs.append(f"{space}{attr}{draw(st.sampled_from(['=', ' = ']))}{quote}{value}{quote}")
    gap = draw(st.sampled_from(["", " ", "\r\n"]))
    head = f"<{name}{''.join(attrs)}{gap}"
    kind = draw(st.sampled_from(["empty", "content"]))
    if kind == "empty":
        return head + "/>"
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 0))):
        piece = draw(st.sampled_from(["text", "text", "child", "comment", "pi", "cdata"]))
        if piece == "text":
            parts.append(draw(character_data(codec)))
        elif piece == "child" and depth < 3:
            parts.append(draw(rich_element(codec, depth + 1)))
        elif piece == "comment":
            parts.append("<!--" + draw(character_data(codec)).replace("-", "") + "-->")
        elif piece == "pi":
            parts.append("<?pi " + draw(character_data(codec)).replace("?", "") + "?>")
        elif piece == "cdata":
            body = "".join(draw(st.lists(st.sampled_from(RICH), max_size=8)))
            body = "".join(c for c in body if _writable(c, codec)).replace("]]>", "")
            parts.append(f"<![CDATA[{body}]]>")
    return f"{head}>{''.join(parts)}</{name}>"


@st.composite
def encoded_documents(draw: st.DrawFn) -> bytes:
    """A well-formed document as bytes, in UTF-8, ISO-8859-1 or US-ASCII, declared or not
    (UTF-8 only), with references, CR and CRLF line ends in text and attribute values,
    comments, processing instructions, CDATA, namespaces declared and not."""
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    spellings, codec = ENCODINGS[encoding]
    head = ""
    bom = encoding == "UTF-8" and draw(st.booleans())
    if encoding != "UTF-8" or draw(st.booleans()):
        name = draw(st.sampled_from(spellings))
        quote = draw(st.sampled_from(['"', "'"]))
        head = f"<?xml version={quote}1.0{quote} encoding={quote}{name}{quote}?>"
        head += draw(st.sampled_from(["", "\n", "\r\n", "\r"]))
    if draw(st.booleans()):
        head += "<!-- " + draw(character_data(codec)).replace("-", "") + " -->\r\n"
    tail = draw(st.sampled_from(["", "\n", "\r\n", " \t\r"]))
    text = head + draw(rich_element(codec)) + tail
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(codec)

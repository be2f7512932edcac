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

"""The size announced as tsize for each kind of content."""

from __future__ import annotations

import io
from pathlib import Path

from ciscocfg.aio._sources import content_size


def test_in_memory_content_announces_its_wire_size() -> None:
    text = b"line one\nline two\r\n"
    assert content_size(text, netascii=False) == len(text)
    # netascii sends every LF as CR LF and every CR as CR NUL, so each of the two LFs and the
    # one CR adds a byte: the wire size is what tsize means.
    assert content_size(text, netascii=True) == len(text) + 3
    assert content_size(memoryview(b"a\rb"), netascii=True) == 4


def test_a_file_announces_what_is_left_of_it(tmp_path: Path) -> None:
    path = tmp_path / "SIP001122334455.cnf"
    path.write_bytes(b"x" * 700)
    with path.open("rb") as handle:
        handle.seek(100)
        assert content_size(handle, netascii=False) == 600
        # Its translated size is not known without reading it all, as with tftp-hpa.
        assert content_size(handle, netascii=True) is None
    assert content_size(io.BytesIO(b"abc"), netascii=False) == 3

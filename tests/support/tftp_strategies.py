"""Hypothesis strategies for TFTP packets (valid ones: what ``encode`` accepts)."""

from __future__ import annotations

from hypothesis import strategies as st

from ciscocfg.tftp import Ack, Data, Error, OptionAck, Packet, ReadRequest, WriteRequest

__all__ = ["option_maps", "packets", "text_without_nul"]


def _random_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flags: "".join(c.upper() if f else c for c, f in zip(word, flags, strict=True))
    )


def text_without_nul(min_size: int = 0, max_size: int = 40) -> st.SearchStrategy[str]:
    """Any bytes but NUL, as the codec's text (UTF-8 with surrogateescape)."""
    return (
        st.binary(min_size=min_size, max_size=max_size)
        .map(lambda raw: raw.replace(b"\0", b""))
        .filter(lambda raw: len(raw) >= min_size)
        .map(lambda raw: raw.decode("utf-8", "surrogateescape"))
    )


_names = st.one_of(
    st.sampled_from(["blksize", "timeout", "tsize", "windowsize", "rollover", "multicast"]).flatmap(
        _random_case
    ),
    st.text(st.characters(min_codepoint=1, max_codepoint=127), min_size=1, max_size=12),
)


def option_maps(min_size: int = 0) -> st.SearchStrategy[dict[str, str]]:
    """Option mappings with names unique case-insensitively; empty values included."""
    return st.lists(
        st.tuples(_names, text_without_nul(max_size=10)),
        min_size=min_size,
        max_size=5,
        unique_by=lambda pair: pair[0].lower(),
    ).map(dict)


_modes = st.sampled_from(["octet", "netascii"]).flatmap(_random_case)


def _request(cls: type[ReadRequest] | type[WriteRequest]) -> st.SearchStrategy[Packet]:
    # Filenames of at most 60 raw bytes and at most 5 short options stay under 512 octets.
    return st.builds(cls, text_without_nul(min_size=1, max_size=60), _modes, option_maps())


packets: st.SearchStrategy[Packet] = st.one_of(
    _request(ReadRequest),
    _request(WriteRequest),
    st.builds(Data, st.integers(0, 0xFFFF), st.binary(max_size=1500)),
    st.builds(Ack, st.integers(0, 0xFFFF)),
    st.builds(Error, st.integers(0, 0xFFFF), text_without_nul(max_size=80)),
    st.builds(OptionAck, option_maps(min_size=1)),
)

"""Which new phone takes over which old phone's settings: a map of MAC addresses.

A 7961 that replaces a 7940 has a MAC address of its own, and it asks for
``SEP<its MAC>.cnf.xml``; the migrated file has to carry that name. The map is given as
``OLD=NEW`` pairs or as a CSV file of two columns (old, new; a header row is optional, and the
delimiter may be a comma, a semicolon or a tab). MAC addresses may be written in any of the
usual spellings (``00:1d:a2:19:af:a7``, ``001D.A219.AFA7``, ``SEP001DA219AFA7`` ...).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping

from ciscocfg._errors import ParseError, ValidationError
from ciscocfg._phones import normalize_mac

__all__ = ["MacMapError", "check_mac_map", "mac_map", "parse_mac_csv"]


class MacMapError(ValidationError):
    """A MAC map that cannot be used: an entry that is no pair of MACs, an old MAC that is no
    phone of the tree, two phones given one new MAC."""


_DELIMITERS = ",;\t"


def _mac(text: str, *, source: str | None, line: int | None) -> str:
    try:
        return normalize_mac(text)
    except ValueError as exc:
        raise ParseError(str(exc), line=line, source=source) from None


def _pair(text: str, *, source: str | None = None, line: int | None = None) -> tuple[str, str]:
    old, sep, new = text.partition("=")
    if not sep:
        raise ParseError(f"{text!r} is not OLD=NEW", line=line, source=source)
    return _mac(old, source=source, line=line), _mac(new, source=source, line=line)


def parse_mac_csv(text: str, *, source: str | None = None) -> list[tuple[str, str, int]]:
    """The ``(old, new, line)`` rows of a CSV text of MAC pairs, MACs normalised.

    Blank rows and rows starting with ``#`` are skipped; a first row whose cells are not MAC
    addresses is a header. Raises :class:`~ciscocfg.ParseError` (with the line) for a row that
    is not two MAC addresses.
    """
    sample = "\n".join(line for line in text.splitlines() if line.strip())[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, _DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[str, str, int]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    first = True
    try:
        for cells in reader:
            line = reader.line_num
            values = [cell.strip() for cell in cells]
            while values and not values[-1]:
                values.pop()
            if not values or values[0].startswith("#"):
                continue
            if len(values) != 2:
                raise ParseError(
                    f"{len(values)} column(s): a row holds the old MAC and the new one",
                    line=line,
                    source=source,
                )
            if first and not any(_is_mac(value) for value in values):
                first = False
                continue  # a header such as "old,new"
            first = False
            old, new = (_mac(value, source=source, line=line) for value in values)
            rows.append((old, new, line))
    except csv.Error as exc:
        raise ParseError(f"not CSV: {exc}", line=reader.line_num, source=source) from None
    return rows


def _is_mac(text: str) -> bool:
    try:
        normalize_mac(text)
    except ValueError:
        return False
    return True


def mac_map(entries: Iterable[str]) -> dict[str, str]:
    """The map given on the command line: each entry ``OLD=NEW`` or the path of a CSV file.

    Raises :class:`~ciscocfg.ParseError` for a pair or a row that is not two MACs (naming the
    file and line) and :class:`MacMapError` for a file that cannot be read, an old MAC given two
    different new ones, or two old MACs given the same new one.
    """
    pairs: list[tuple[str, str, str]] = []
    for entry in entries:
        if os.path.isfile(entry) or ("=" not in entry and entry.lower().endswith(".csv")):
            try:
                with open(entry, encoding="utf-8-sig", newline="") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
                raise MacMapError(f"{entry}: cannot be read ({reason})") from None
            pairs.extend(
                (old, new, f"{entry}:{line}")
                for old, new, line in parse_mac_csv(text, source=entry)
            )
        else:
            old, new = _pair(entry, source="--mac-map")
            pairs.append((old, new, f"--mac-map {entry}"))
    mapping: dict[str, str] = {}
    where: dict[str, str] = {}
    for old, new, origin in pairs:
        if old in mapping and mapping[old] != new:
            raise MacMapError(
                f"{origin}: {old} is mapped to {new}, and to {mapping[old]} by {where[old]}"
            )
        mapping[old] = new
        where.setdefault(old, origin)
    _one_new_each(mapping)
    return mapping


def _one_new_each(mapping: Mapping[str, str]) -> None:
    taken: dict[str, str] = {}
    for old, new in mapping.items():
        if new in taken:
            raise MacMapError(
                f"{taken[new]} and {old} are both mapped to {new}: one phone cannot take over two"
            )
        taken[new] = old


def check_mac_map(mapping: Mapping[str, str], phones: Iterable[str]) -> dict[str, str]:
    """``mapping`` normalised and checked against the MACs of the phones of the source tree.

    Raises :class:`MacMapError` when an old MAC is no phone of the tree, when two
    old MACs get the same new one, or when a new MAC is the MAC of another phone of the tree that
    keeps its own (both files would get one name).
    """
    normal: dict[str, str] = {}
    for old, new in mapping.items():
        try:
            key, value = normalize_mac(old), normalize_mac(new)
        except ValueError as exc:
            raise MacMapError(f"mac map: {exc}") from None
        if key in normal and normal[key] != value:
            raise MacMapError(f"{key} is mapped to both {normal[key]} and {value}")
        normal[key] = value
    _one_new_each(normal)
    present = set(phones)
    unknown = sorted(set(normal) - present)
    if unknown:
        raise MacMapError(
            f"no SIP<MAC>.cnf of the source tree is for {', '.join(unknown)} (mac map)"
        )
    kept = present - set(normal)
    for old, new in normal.items():
        if new in kept:
            raise MacMapError(
                f"{old} is mapped to {new}, which is the MAC of another phone of the source "
                "tree: both would be written as one file"
            )
    return normal

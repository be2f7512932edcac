"""What the library knows about each phone model, and how phones spell their MAC in file names.

Shared by :mod:`ciscocfg.migrate` (which model a config is written for) and
:mod:`ciscocfg.provision` (which boot a phone in the tree will walk). Standard library only.

Device-type ids are the CallManager ids that ``XMLDefault.cnf.xml`` encodes in its
``loadInformation<ID>`` element names (spec §4.5). Line-key counts are the buttons a model has
for lines and speed dials on the phone itself (no expansion module).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ciscocfg._errors import ValidationError
from ciscocfg._phonefiles import PREFIXES

__all__ = [
    "FAMILY_79X0",
    "FAMILY_79X1",
    "MODELS",
    "Family",
    "PhoneModel",
    "normalize_mac",
    "phone_model",
    "suggest_mac",
]

Family = Literal["79x0", "79x1"]
FAMILY_79X0: Family = "79x0"
FAMILY_79X1: Family = "79x1"


@dataclass(frozen=True, slots=True)
class PhoneModel:
    """One phone model: its name, family, CallManager device-type id and line keys."""

    #: Model number as users write it, e.g. ``"7961"``.
    name: str
    #: ``"79x0"`` for the native 7940/7960 firmware, ``"79x1"`` for the Java-based phones.
    family: Family
    #: CallManager device-type id (``loadInformation<ID>`` in ``XMLDefault.cnf.xml``).
    device_type: int
    #: Buttons next to the screen usable for lines and speed dials.
    line_keys: int
    #: The ``model`` attribute CallManager-style files put on ``loadInformation``.
    label: str
    #: Two-digit firmware family in Java-phone load names (``SIP41.…`` serves 7941 and 7961).
    load_family: str

    @property
    def is_79x1(self) -> bool:
        """True for the Java-based phones that read ``SEP<MAC>.cnf.xml`` for SIP too."""
        return self.family == FAMILY_79X1


def _model(
    name: str, family: Family, device_type: int, line_keys: int, load_family: str
) -> PhoneModel:
    return PhoneModel(name, family, device_type, line_keys, f"Cisco {name}", load_family)


#: Every model the library can write or check for, by model number (spec §4.5 table).
MODELS: dict[str, PhoneModel] = {
    m.name: m
    for m in (
        _model("7940", FAMILY_79X0, 8, 2, ""),
        _model("7960", FAMILY_79X0, 7, 6, ""),
        _model("7906", FAMILY_79X1, 369, 1, "11"),
        _model("7911", FAMILY_79X1, 307, 1, "11"),
        _model("7931", FAMILY_79X1, 348, 24, "31"),
        _model("7941", FAMILY_79X1, 115, 2, "41"),
        _model("7941G-GE", FAMILY_79X1, 309, 2, "41"),
        _model("7942", FAMILY_79X1, 434, 2, "42"),
        _model("7945", FAMILY_79X1, 435, 2, "45"),
        _model("7961", FAMILY_79X1, 30018, 6, "41"),
        _model("7961G-GE", FAMILY_79X1, 308, 6, "41"),
        _model("7962", FAMILY_79X1, 404, 6, "42"),
        _model("7965", FAMILY_79X1, 436, 6, "45"),
        _model("7970", FAMILY_79X1, 30006, 8, "70"),
        _model("7971", FAMILY_79X1, 119, 8, "70"),
        _model("7975", FAMILY_79X1, 437, 8, "75"),
    )
}


def phone_model(name: str) -> PhoneModel:
    """Look a model up by number, tolerating a ``CP-`` prefix and a ``G`` suffix.

    ``"7961"``, ``"CP-7961G"`` and ``"7961G"`` all give the 7961; ``"7961G-GE"`` the GE variant.
    Raises :class:`~ciscocfg.ValidationError` naming the known models for anything else.
    """
    key = name.strip().upper()
    key = key.removeprefix("CP-").removeprefix("CISCO").strip()
    if key.endswith("G") and key[:-1] in MODELS:
        key = key[:-1]
    if key in MODELS:
        return MODELS[key]
    raise ValidationError(f"unknown phone model {name!r}; known models: {', '.join(MODELS)}")


_SEPARATORS = re.compile(r"[\s:.\-]")
_MAC = re.compile(r"[0-9A-F]{12}")


def normalize_mac(text: str) -> str:
    """The MAC as the phone writes it in file names: 12 upper-case hex digits, no separators.

    Accepts ``00:1d:a2:19:af:a7``, ``001D.A219.AFA7``, ``00-1D-A2-19-AF-A7`` and a leading
    ``SEP``/``SIP`` prefix; raises :class:`~ciscocfg.ValidationError` for anything that is not
    12 hex digits.
    """
    cleaned = _SEPARATORS.sub("", text.strip()).upper()
    for prefix in PREFIXES:
        if len(cleaned) == 12 + len(prefix) and cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
            break
    if not _MAC.fullmatch(cleaned):
        raise ValidationError(f"{text!r} is not a MAC address (12 hexadecimal digits)")
    return cleaned


# Letters people type for the digits they look like.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def suggest_mac(text: str, known: Iterable[str] = ()) -> str | None:
    """The MAC ``text`` most likely means, or None: among ``known`` (MACs as the phone writes
    them) the one closest to it, else ``text`` with letters that look like digits read as
    those digits (``0O12D9A1B2C3``)."""
    cleaned = _SEPARATORS.sub("", text.strip()).upper()
    known = sorted(set(known))
    if cleaned in known:
        return None
    close = difflib.get_close_matches(cleaned, known, n=1, cutoff=0.75)
    if close:
        return close[0]
    try:
        fixed = normalize_mac(text.translate(_LOOKALIKES))
    except ValueError:
        return None
    return fixed if fixed != cleaned else None

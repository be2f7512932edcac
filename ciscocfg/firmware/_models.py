"""Which phone models an image is built for, and whether a load suits a given model.

A decoded name says its family (``7941/7961``, ``88xx``, ``8941/8945``); this module turns the
family into model numbers and answers "does this load suit that model?" for a model written
the way configuration files write it (``7961``, ``Cisco 7961G-GE``, ``Cisco IP Phone 7915
24-Button Line Expansion Module``, ``ATA 186``). The answer is ``None`` whenever the library
cannot know: a model it has no family for, or a load that names no phone model. A guess is
never turned into a "the phone refuses it".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ciscocfg.firmware._names import FirmwareImage

__all__ = ["KNOWN_MODELS", "fits", "model_key", "models_of"]

#: Families written with x, and the models whose loads they are. The 8845/8865 (video), 8821
#: (wireless), 8831/8832 (conference) and 7832 have loads of their own, so ``88xx`` and
#: ``78xx`` do not cover them; the 6901, 6911 and 6945 have their own loads too.
_X_MODELS: dict[str, tuple[str, ...]] = {
    "78xx": ("7811", "7821", "7841", "7861"),
    "88xx": ("8811", "8841", "8851", "8861"),
    "69xx": ("6921", "6941", "6961"),
}

# Models named by a family of their own (79xx, wireless, conference, 89xx, 99xx ...).
_OWN_FAMILY = """
    7902 7905 7906 7910 7911 7912 7914 7915 7916 7920 7921 7925 7926 7931 7935 7936 7937
    7940 7941 7942 7945 7960 7961 7962 7965 7970 7971 7975 7985 3905 3951 6901 6911 6945
    7832 8821 8831 8832 8845 8865 8941 8945 8961 9951 9971
"""

#: A model that runs another model's load: the 3911 takes the 3951's (real XMLDefault files).
_RUNS_LOAD_OF = {"3911": "3951"}

#: Models the library has a load family for: a load of another family given to one of these is
#: certainly not its own. A model outside this set gets "cannot tell".
KNOWN_MODELS: frozenset[str] = frozenset(
    {
        *(model for models in _X_MODELS.values() for model in models),
        *_OWN_FAMILY.split(),
        *_RUNS_LOAD_OF,
        "ATA 186",
        "ATA 187",
        "DX650",
    }
)


_ATA = re.compile(r"ATA\s*-?\s*(\d{3})(?!\d)", re.IGNORECASE)
_DX = re.compile(r"DX\s*-?\s*(\d{3})(?!\d)", re.IGNORECASE)
_NUMBER = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def model_key(label: str) -> str | None:
    """The model a label names, as :data:`KNOWN_MODELS` spells it, or ``None``.

    ``"Cisco 7961G-GE"`` → ``"7961"``, ``"CP-7941G"`` → ``"7941"``, ``"Cisco ATA 186"`` →
    ``"ATA 186"``, ``"Cisco DX650"`` → ``"DX650"``, ``"IP Communicator"`` → ``None``.
    """
    if (m := _ATA.search(label)) is not None:
        return f"ATA {m[1]}"
    if (m := _DX.search(label)) is not None:
        return f"DX{m[1]}"
    if (m := _NUMBER.search(label)) is not None:
        return m[1]
    return None


def models_of(image: FirmwareImage) -> tuple[str, ...]:
    """The models ``image`` is built for; empty for loads that name no phone model."""
    if image.device == "gateway":
        return ()
    family = image.family
    if family in _X_MODELS:
        return _X_MODELS[family]
    found: list[str] = []
    for part in family.split("/"):
        key = model_key(part)
        if key is not None:
            found.append(key)
    return tuple(found)


def fits(image: FirmwareImage, model: str) -> bool | None:
    """``True`` when ``image`` is built for ``model``, ``False`` when it certainly is not,
    ``None`` when the library cannot tell."""
    key = model_key(model)
    models = models_of(image)
    if key is None or not models:
        return None
    if key in models or _RUNS_LOAD_OF.get(key) in models:
        return True
    if key in KNOWN_MODELS and all(m in KNOWN_MODELS for m in models):
        return False
    return None

"""The phone application images the library knows by name, and the newest one per family.

Only names that appear in real file sets or in Cisco's release lists are here (spec §7.3, and
9.4(2)SR3, the last release of the Java-based 79xx phones). The list answers one question a
generator has: which image to name when the user names none.
"""

from __future__ import annotations

import functools

from ciscocfg.firmware._names import FirmwareImage, ImageRole, Protocol, parse
from ciscocfg.firmware._upgrade import _family

__all__ = ["KNOWN_IMAGES", "newest_image"]

#: Application images by name, as their files are named on a TFTP root (no extension).
KNOWN_IMAGES: tuple[str, ...] = (
    # 7940/7960 SIP; 8.12(0) is the last release.
    "P0S3-8-12-00",
    "P0S3-08-11-00",
    "P0S3-08-8-00",
    "P0S3-08-2-00",
    "P0S3-08-1-00",
    "P0S3-07-5-00",
    "P0S3-07-4-00",
    "P0S3-06-3-00",
    # 7940/7960 SCCP.
    "P00308010200",
    "P00308010100",
    "P00308000500",
    # Java-based phones, SIP: 9.4(2)SR3 is the last release of every family.
    "SIP11.9-4-2SR3-1S",
    "SIP11.9-4-2SR1-1S",
    "SIP31.9-4-2SR3-1S",
    "SIP41.9-4-2SR3-1S",
    "SIP41.8-5-4S",
    "SIP42.9-4-2SR3-1S",
    "SIP45.9-4-2SR3-1S",
    "SIP45.8-4-2S",
    "SIP70.9-4-2SR3-1S",
    "SIP70.8-0-3S",
    "SIP75.9-4-2SR3-1S",
    # Java-based phones, SCCP.
    "SCCP31.9-2-1S",
    "SCCP41.9-4-2SR3-1S",
    "SCCP42.9-4-2SR3-1S",
    "SCCP45.9-3-1SR1-1S",
    "SCCP70.9-4-2SR3-1S",
    "SCCP75.9-4-2SR3-1S",
)


def newest_image(model: str, protocol: Protocol = Protocol.SIP) -> FirmwareImage | None:
    """The newest application image of :data:`KNOWN_IMAGES` for ``model``'s family.

    ``model`` is a model (``"7940"``, ``"CP-7961G"``, ``"7941G-GE"``) or a family
    (``"7941/7961"``); ``protocol`` the one the image must speak. ``None`` when the library
    knows no such image. Raises
    :class:`~ciscocfg.ValidationError` for an unknown model.
    """
    return _newest(_family(model), protocol)


@functools.lru_cache(maxsize=64)
def _newest(family: str, protocol: Protocol) -> FirmwareImage | None:
    found = [
        image
        for image in map(parse, KNOWN_IMAGES)
        if image.family == family
        and image.protocol is protocol
        and image.role is ImageRole.APPLICATION
    ]
    return max(found, key=lambda image: image.sort_key, default=None)

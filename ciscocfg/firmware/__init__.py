"""Cisco firmware: image names, upgrade paths and the ``.loads`` descriptor.

* :func:`parse` decodes an image name (``P0S3-08-12-00``, ``SIP41.9-4-2SR3-1S``,
  ``CP7912080004SCCP080108A`` ...) into a :class:`FirmwareImage`.
* :func:`upgrade_path` plans the images a phone must run on its way to a target, with the file
  that names each one, and refuses jumps known to fail.
* :func:`reach` follows a phone from the image it runs to the one its configuration names,
  with the files a TFTP root holds, by the planner's rules: what it ends up running, what it
  shows, which file it misses.
* :func:`stage` copies the files of the next step of an upgrade from unpacked Cisco bundles
  into a TFTP root and writes ``OS79XX.TXT`` for it.
* :func:`parse_loads` lists the files a signed ``.loads`` descriptor names.
* :func:`newest_image` names the newest image the library knows for a model
  (:data:`KNOWN_IMAGES`).
"""

from __future__ import annotations

from ciscocfg.firmware._loads import LoadsManifest, parse_loads, read_loads
from ciscocfg.firmware._names import (
    EXTENSIONS,
    FirmwareImage,
    FirmwareNameError,
    ImageRole,
    Protocol,
    Role,
    parse,
)
from ciscocfg.firmware._reach import BootVerdict, Outcome, reach
from ciscocfg.firmware._releases import KNOWN_IMAGES, newest_image
from ciscocfg.firmware._stage import ConfigSetting, StagedFile, Staging, stage
from ciscocfg.firmware._upgrade import (
    UpgradePlan,
    UpgradeRefused,
    UpgradeStep,
    boots_by_loads,
    resolve,
    upgrade_path,
)

__all__ = [
    "EXTENSIONS",
    "KNOWN_IMAGES",
    "BootVerdict",
    "ConfigSetting",
    "FirmwareImage",
    "FirmwareNameError",
    "ImageRole",
    "LoadsManifest",
    "Outcome",
    "Protocol",
    "Role",
    "StagedFile",
    "Staging",
    "UpgradePlan",
    "UpgradeRefused",
    "UpgradeStep",
    "boots_by_loads",
    "newest_image",
    "parse",
    "parse_loads",
    "reach",
    "read_loads",
    "resolve",
    "stage",
    "upgrade_path",
]

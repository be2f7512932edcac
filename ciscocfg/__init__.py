"""ciscocfg: lossless codecs for Cisco 79xx IP phone provisioning files, and a sans-IO TFTP engine.

Importing the package is cheap: no codec (and so neither lark nor lxml) is imported until one
is used. The codecs live in submodules: :mod:`ciscocfg.cnf` (79x0 ``.cnf``),
:mod:`ciscocfg.sepxml` (79x1 XML configs), :mod:`ciscocfg.dialplan`, :mod:`ciscocfg.ringlist`,
:mod:`ciscocfg.ringtone`, :mod:`ciscocfg.os79xx`, :mod:`ciscocfg.firmware`,
:mod:`ciscocfg.migrate`, :mod:`ciscocfg.provision`, :mod:`ciscocfg.generate` and
:mod:`ciscocfg.tftp`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ciscocfg._errors import (
    ArgumentTypeError,
    CiscoCfgError,
    EmitError,
    LocalProtocolError,
    MalformedPacket,
    ParseError,
    RemoteProtocolError,
    TftpError,
    ValidationError,
    WriteRefused,
)

if TYPE_CHECKING:
    from ciscocfg._codes import CODES
    from ciscocfg._diagnostic import Diagnostic

__version__ = "0.1.0"

__all__ = [
    "CODES",
    "ArgumentTypeError",
    "CiscoCfgError",
    "Diagnostic",
    "EmitError",
    "LocalProtocolError",
    "MalformedPacket",
    "ParseError",
    "RemoteProtocolError",
    "TftpError",
    "ValidationError",
    "WriteRefused",
    "__version__",
]

# Names resolved on first use, so that ``import ciscocfg.tftp`` stays free of attrs, lark and lxml.
_LAZY_NAMES = {"CODES": "ciscocfg._codes", "Diagnostic": "ciscocfg._diagnostic"}
_SUBMODULES = frozenset(
    {
        "cnf",
        "dialplan",
        "firmware",
        "generate",
        "migrate",
        "os79xx",
        "provision",
        "ringlist",
        "ringtone",
        "ringxml",
        "sepxml",
        "tftp",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(_LAZY_NAMES[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"ciscocfg.{name}")
    raise AttributeError(f"module 'ciscocfg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY_NAMES) | _SUBMODULES)

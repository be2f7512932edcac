"""asyncio edge of the TFTP engine: sockets, clocks, files and handlers around ``ciscocfg.tftp``.

This package is the only part of ciscocfg that imports :mod:`asyncio`; the protocol itself lives
in the I/O-free :mod:`ciscocfg.tftp`.
"""

from __future__ import annotations

from ciscocfg.aio._paths import PathRejected, resolve, resolve_upload

__all__ = ["PathRejected", "resolve", "resolve_upload"]

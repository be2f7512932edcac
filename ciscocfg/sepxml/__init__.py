"""``SEP<MAC>.cnf.xml`` and ``XMLDefault.cnf.xml``: the XML configuration of the 79x1 phones
(7906/7911/7941/7961/7970 ...) and of the SCCP loads of the 7940/7960.

:func:`loads` keeps the text it was given: :meth:`DeviceConfig.dumps` gives it back byte for
byte until an edit is made, and an edit (:meth:`DeviceConfig.set`, the property setters,
:meth:`DeviceConfig.set_phone_line`) rewrites only the element it touches. Elements the model
does not know are kept as they are.

The typed properties (:attr:`DeviceConfig.protocol`, :attr:`DeviceConfig.phone_lines`,
:attr:`DeviceConfig.call_managers` ...) read the element tree the way the phone does: element
names are compared case-sensitively and values are the raw text. :func:`validate` reports what
the phone would reject or misread as :class:`~ciscocfg.Diagnostic` findings with ``XMLnnn``
codes (see ``docs/formats/sepxml.md``).
"""

from __future__ import annotations

from ciscocfg.sepxml._build import new_sccp, new_sip
from ciscocfg.sepxml._model import (
    CallManager,
    DefaultLoad,
    DeviceConfig,
    Line,
    PhoneLine,
    dump,
    dumps,
    load,
    loads,
)
from ciscocfg.sepxml._tables import DEVICE_TYPES, load_family, load_protocol
from ciscocfg.sepxml._validate import validate

__all__ = [
    "DEVICE_TYPES",
    "CallManager",
    "DefaultLoad",
    "DeviceConfig",
    "Line",
    "PhoneLine",
    "dump",
    "dumps",
    "load",
    "load_family",
    "load_protocol",
    "loads",
    "new_sccp",
    "new_sip",
    "validate",
]

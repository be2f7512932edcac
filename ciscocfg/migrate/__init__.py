"""Move 79x0 SIP configs (``SIP<MAC>.cnf`` over ``SIPDefault.cnf``) to 79x1 ``SEP<MAC>.cnf.xml``.

Every source key is either carried over or reported in a :class:`~ciscocfg.Diagnostic`
(codes ``MIG0nn`` forward, ``MIG1nn`` backward) that says why; ``image_version`` is never
copied across image families. See ``docs/formats/migration.md`` for the key map and the codes.
"""

from __future__ import annotations

from ciscocfg._phones import MODELS, PhoneModel, phone_model
from ciscocfg.migrate._forward import Entry, convert, date_template, normalize_phone_label
from ciscocfg.migrate._node import Node
from ciscocfg.migrate._reverse import revert

__all__ = [
    "MODELS",
    "Entry",
    "Node",
    "PhoneModel",
    "convert",
    "date_template",
    "normalize_phone_label",
    "phone_model",
    "revert",
]

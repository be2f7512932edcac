"""The 79x0 SIP key:value dialect: ``SIPDefault.cnf`` and ``SIP<MAC>.cnf``, lossless.

>>> import ciscocfg.cnf as cnf
>>> doc = cnf.loads('proxy1_address: "10.0.0.5" ; pbx\\nproxy1_port:5060\\n')
>>> doc["proxy1_address"]
'10.0.0.5'
>>> doc["proxy1_address"] = "sip.example.net"
>>> print(doc.dumps(), end="")
proxy1_address: "sip.example.net" ; pbx
proxy1_port:5060

The dialect is defined by ``grammars/cnf.lark``; ``docs/formats/cnf.md`` explains it.
"""

from __future__ import annotations

from ciscocfg.cnf._document import Document
from ciscocfg.cnf._fix import fix, fix_text
from ciscocfg.cnf._io import dump, dumps, load, loads
from ciscocfg.cnf._merge import check_merged, merge
from ciscocfg.cnf._model import Blank, Comment, Entry, InvalidLine, Line
from ciscocfg.cnf._schema import PARAMETERS, Param
from ciscocfg.cnf._validate import CODES, Kind, infer_kind, validate
from ciscocfg.cnf._view import PhoneView, Setting, phone_view

__all__ = [
    "CODES",
    "PARAMETERS",
    "Blank",
    "Comment",
    "Document",
    "Entry",
    "InvalidLine",
    "Kind",
    "Line",
    "Param",
    "PhoneView",
    "Setting",
    "check_merged",
    "dump",
    "dumps",
    "fix",
    "fix_text",
    "infer_kind",
    "load",
    "loads",
    "merge",
    "phone_view",
    "validate",
]

"""A phone's files from a few facts: model, MAC, proxy and lines.

>>> from ciscocfg.generate import PhoneSpec, render
>>> phone = PhoneSpec.create(
...     model="7940", mac="00:1b:d4:12:34:56", proxy="pbx.example.net",
...     lines=["201:s3cret:Kitchen"],
... )
>>> list(render(phone).files)
['SIP001BD4123456.cnf', 'SIPDefault.cnf', 'OS79XX.TXT', 'dialplan.xml']

:class:`PhoneSpec` checks every value once (:class:`PhoneSpecError` names the field);
:func:`render` and :func:`render_file` build the files with the library's codecs and check them
with its validators, without touching a disk; :func:`render_tree` does many phones at once,
all or nothing; :func:`read_inventory` reads a CSV inventory; :func:`dnsmasq_conf` and
:func:`pjsip_conf` write the DHCP/TFTP and Asterisk side. ``docs/reference/generate.md`` lists
the ``GENnnn`` codes.
"""

from __future__ import annotations

from ciscocfg.generate._asterisk import pjsip_conf
from ciscocfg.generate._dialplan import DEFAULT_PAUSE, default_dialplan
from ciscocfg.generate._dnsmasq import dnsmasq_conf
from ciscocfg.generate._inventory import COLUMNS, load_inventory, read_inventory
from ciscocfg.generate._render import (
    DIALPLAN,
    OS79XX,
    SHARED_FILES,
    SIPDEFAULT,
    Rendering,
    contradictions,
    file_names,
    os79xx_image,
    render,
    render_file,
    shared_settings,
)
from ciscocfg.generate._spec import (
    DEFAULT_SIP_PORT,
    LineSpec,
    PhoneSpec,
    PhoneSpecError,
    Proxy,
    parse_line,
    parse_proxy,
)
from ciscocfg.generate._tree import render_tree

__all__ = [
    "COLUMNS",
    "DEFAULT_PAUSE",
    "DEFAULT_SIP_PORT",
    "DIALPLAN",
    "OS79XX",
    "SHARED_FILES",
    "SIPDEFAULT",
    "LineSpec",
    "PhoneSpec",
    "PhoneSpecError",
    "Proxy",
    "Rendering",
    "contradictions",
    "default_dialplan",
    "dnsmasq_conf",
    "file_names",
    "load_inventory",
    "os79xx_image",
    "parse_line",
    "parse_proxy",
    "pjsip_conf",
    "read_inventory",
    "render",
    "render_file",
    "render_tree",
    "shared_settings",
]

"""Check a TFTP root the way a phone's boot walks it, before walking to the phone.

>>> from ciscocfg.provision import check
>>> for finding in check("examples/tftproot"):  # doctest: +SKIP
...     print(finding)

:func:`check` walks, for every phone provisioned in the tree (or the MAC given), the requests
the phone makes in its own order (spec §1) and reports, as :class:`~ciscocfg.Diagnostic`
findings with the file and line they are about, what the phone would miss, misread or refuse.
:func:`check_tree` gives the same findings grouped by phone; :func:`check_tftp` asks a live
TFTP server. ``docs/formats/provisioning-tree.md`` lists the ``PRVnnn`` codes.
"""

from __future__ import annotations

from ciscocfg._phonefiles import NameMatch, canonical_name, classify, find_case_variant, misnamed
from ciscocfg._phones import normalize_mac
from ciscocfg.provision._boot import BootTrace, Fetch, Request, run_walk, walk_79x0, walk_79x1
from ciscocfg.provision._check import NO_LINE_MESSAGE, check_trace
from ciscocfg.provision._live import NoAnswer, check_tftp, check_tftp_async
from ciscocfg.provision._tree import (
    PhoneReport,
    RequestOutcome,
    TreeReport,
    check,
    check_tree,
    phones_in,
)

__all__ = [
    "NO_LINE_MESSAGE",
    "BootTrace",
    "Fetch",
    "NameMatch",
    "NoAnswer",
    "PhoneReport",
    "Request",
    "RequestOutcome",
    "TreeReport",
    "canonical_name",
    "check",
    "check_tftp",
    "check_tftp_async",
    "check_trace",
    "check_tree",
    "classify",
    "find_case_variant",
    "misnamed",
    "normalize_mac",
    "phones_in",
    "run_walk",
    "walk_79x0",
    "walk_79x1",
]

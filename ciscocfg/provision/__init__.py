"""Check a TFTP root the way a phone's boot walks it, before walking to the phone.

See ``docs/formats/provisioning-tree.md`` for what is checked and the ``PRVnnn`` codes.
"""

from __future__ import annotations

from ciscocfg._phones import normalize_mac
from ciscocfg.provision._naming import NameMatch, canonical_name, classify, find_case_variant

__all__ = ["NameMatch", "canonical_name", "classify", "find_case_variant", "normalize_mac"]

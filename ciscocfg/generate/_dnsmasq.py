"""``dnsmasq-ciscocfg.conf``: dnsmasq's TFTP server on the tree, and DHCP options pointing at it.

The 7940 story's own set-up: one small Linux box running dnsmasq for DHCP and TFTP. The phones
take the TFTP server from DHCP option 150 (Cisco's, a list of addresses) or option 66 (the
standard TFTP server name, spec §1.1). dnsmasq knows 150 by number on every version; giving the
address of 66 in quotes keeps it a string, as the option's type is.
"""

from __future__ import annotations

import ipaddress
from pathlib import PurePosixPath

from ciscocfg.generate._spec import PhoneSpecError

__all__ = ["DNSMASQ_CONF", "dnsmasq_conf"]

#: The file name the snippet is meant to have.
DNSMASQ_CONF = "dnsmasq-ciscocfg.conf"


def dnsmasq_conf(tftp_server: str, *, tftp_root: str) -> bytes:
    """The snippet: ``enable-tftp``, ``tftp-root`` and options 150 and 66 naming ``tftp_server``.

    ``tftp_server`` is the IPv4 address the phones reach the TFTP server at (79xx phones speak
    IPv4 only); ``tftp_root`` the absolute path of the tree. Raises :class:`PhoneSpecError`
    (field ``dnsmasq`` or ``tftp_root``) for values dnsmasq cannot take.
    """
    try:
        address = ipaddress.IPv4Address(tftp_server.strip())
    except ValueError:
        raise PhoneSpecError(
            f"{tftp_server!r} is not an IPv4 address (DHCP option 150 holds addresses)",
            field="dnsmasq",
        ) from None
    root = PurePosixPath(tftp_root)
    if not root.is_absolute():
        raise PhoneSpecError(f"{tftp_root!r} is not an absolute path", field="tftp_root")
    # tftp-root=<dir>[,<interface>]: a comma would start an interface name.
    bad = next((ch for ch in tftp_root if ch == "," or not ch.isprintable()), None)
    if bad is not None or tftp_root != tftp_root.strip():
        raise PhoneSpecError(
            f"{tftp_root!r} cannot be written in a dnsmasq option (a comma, blanks at one end "
            "or a control character)",
            field="tftp_root",
        )
    text = (
        f"# {DNSMASQ_CONF}, written by ciscocfg: dnsmasq's TFTP server on the phones' tree, and\n"
        "# the DHCP options that tell the phones where it is. Put it in /etc/dnsmasq.d/ (or\n"
        "# name it with conf-file=); handing out addresses needs a dhcp-range of your own.\n"
        "enable-tftp\n"
        f"tftp-root={tftp_root}\n"
        "# Option 150: Cisco's list of TFTP server addresses, which the 79xx phones read first.\n"
        f"dhcp-option=150,{address}\n"
        "# Option 66: the standard TFTP server name, for loaders that read only that one.\n"
        f'dhcp-option=66,"{address}"\n'
    )
    return text.encode("utf-8")

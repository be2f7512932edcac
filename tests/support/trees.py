"""TFTP roots for the provisioning check: one correct tree, and ways to break it.

The correct tree is a 7940 on SIP 8.12 the way it should be served: ``OS79XX.TXT`` naming the
universal loader of the release, the ``.loads`` package with both images it names,
``SIPDefault.cnf`` and ``SIP<MAC>.cnf`` with a usable line 1, the dial plan and a ring list
with its audio. Each ``break_*`` function plants one problem a phone would hit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from ciscocfg.ringtone import linear_to_ulaw
from support.loads_builder import container

MAC = "0012D9A1B2C3"
IMAGE = "P0S3-08-12-00"
LOADER = "P003-08-12-00"

SIP_DEFAULT = (
    "# shared by every phone\n"
    f"image_version: {IMAGE}\n"
    "proxy_register: 1\n"
    "dial_template: dialplan\n"
    'sntp_server: "pool.ntp.org"\n'
    "sntp_mode: unicast\n"
    "time_zone: GMT\n"
    "nat_enable: 0\n"
)
SIP_PHONE = (
    'phone_label: "Desk 7"\n'
    'line1_name: "2001"\n'
    'line1_authname: "2001"\n'
    'line1_password: "s3cret"\n'
    'line1_displayname: "Front Desk"\n'
    'proxy1_address: "192.0.2.10"\n'
    "proxy1_port: 5060\n"
)
DIALPLAN = (
    "<DIALTEMPLATE>\n"
    '  <TEMPLATE MATCH="911" Timeout="0" User="Phone"/>\n'
    '  <TEMPLATE MATCH="2..." Timeout="0"/>\n'
    '  <TEMPLATE MATCH="*" Timeout="5"/>\n'
    "</DIALTEMPLATE>\n"
)
RINGLIST = "Chirp\tChirp.raw\r\n"


def ring_audio(samples: int = 2400) -> bytes:
    """A µ-law tone that starts and ends at silence, ``samples`` long (a multiple of 240)."""
    tone = (
        linear_to_ulaw(int(8000 * math.sin(math.pi * n / samples) * math.sin(n * 0.35)))
        for n in range(samples)
    )
    data = bytearray(tone)
    data[0] = data[-1] = 0xFF
    return bytes(data)


def build_tree(root: Path, mac: str = MAC) -> Path:
    """Write the correct 7940 tree under ``root`` and return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "OS79XX.TXT": f"{LOADER}\r\n".encode(),
        "SIPDefault.cnf": SIP_DEFAULT.encode(),
        f"SIP{mac}.cnf": SIP_PHONE.encode(),
        f"{IMAGE}.loads": container(
            f"{IMAGE}.loads", f"{LOADER}.sbn\n{IMAGE}.sb2\nLA_VERSION=PAS30830\n".encode()
        ),
        f"{LOADER}.sbn": container(f"{LOADER}.sbn", b"\x00" * 64),
        f"{IMAGE}.sb2": container(f"{IMAGE}.sb2", b"\x00" * 64),
        "dialplan.xml": DIALPLAN.encode(),
        "RINGLIST.DAT": RINGLIST.encode(),
        "Chirp.raw": ring_audio(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, (name, old)
    path.write_text(text.replace(old, new))


def break_lower_case_mac(root: Path) -> None:
    (root / f"SIP{MAC}.cnf").rename(root / f"SIP{MAC.lower()}.cnf")


#: The MAC as the phone's label prints it.
LABEL_MAC = ":".join(MAC[i : i + 2] for i in range(0, 12, 2))


def break_label_mac(root: Path) -> None:
    (root / f"SIP{MAC}.cnf").rename(root / f"SIP{LABEL_MAC}.cnf")


def break_editor_extension(root: Path) -> None:
    (root / f"SIP{MAC}.cnf").rename(root / f"SIP{MAC}.cnf.txt")


def break_extension_case(root: Path) -> None:
    (root / f"SIP{MAC}.cnf").rename(root / f"SIP{MAC}.CNF")


def break_stray_sep(root: Path) -> None:
    (root / f"SEP{MAC}.cnf.xml").write_text(
        "<device>\n  <deviceProtocol>SCCP</deviceProtocol>\n"
        "  <loadInformation>P00308010200</loadInformation>\n</device>\n"
    )


def break_image_absent(root: Path) -> None:
    (root / f"{IMAGE}.loads").unlink()


def break_loads_part_absent(root: Path) -> None:
    (root / f"{IMAGE}.sb2").unlink()


def break_os79xx_mismatch(root: Path) -> None:
    (root / "OS79XX.TXT").write_text("P0S3-08-11-00\r\n")


def break_upgrade_jump(root: Path) -> None:
    (root / "OS79XX.TXT").write_text("P00303020214\r\n")


def break_no_line_one(root: Path) -> None:
    _edit(root, f"SIP{MAC}.cnf", 'line1_name: "2001"\n', "")


def break_line_one_no_breaking_space(root: Path) -> None:
    _edit(root, f"SIP{MAC}.cnf", 'line1_name: "2001"', 'line1_name\u00a0: "2001"')


def break_dial_template_absent(root: Path) -> None:
    (root / "dialplan.xml").unlink()


def break_dial_template_not_xml(root: Path) -> None:
    (root / "dialplan.xml").write_text("<DIALTEMPLATE>\n  <TEMPLATE MATCH='9'>\n")


def break_dial_plan_rules(root: Path) -> None:
    (root / "dialplan.xml").write_text(
        '<DIALTEMPLATE>\n  <TEMPLATE MATCH="[2-9]XXX" Timeout="0"/>\n</DIALTEMPLATE>\n'
    )


def break_ring_absent(root: Path) -> None:
    (root / "Chirp.raw").unlink()


def break_ring_audio(root: Path) -> None:
    (root / "Chirp.raw").write_bytes(ring_audio(2400)[:2300])


def break_ringlist_case(root: Path) -> None:
    (root / "RINGLIST.DAT").rename(root / "ringlist.dat")


def break_ringlist_spaces(root: Path) -> None:
    (root / "RINGLIST.DAT").write_text("Chirp    Chirp.raw\r\n")


def break_image_letter_o(root: Path) -> None:
    _edit(root, "SIPDefault.cnf", f"image_version: {IMAGE}", "image_version: POS3-08-12-00")


def break_image_family(root: Path) -> None:
    _edit(root, "SIPDefault.cnf", f"image_version: {IMAGE}", "image_version: SIP41.8-5-4S")


def break_cfg_dir(root: Path) -> None:
    _edit(root, "SIPDefault.cnf", "nat_enable: 0\n", "nat_enable: 0\ntftp_cfg_dir: ./phones/\n")


def break_typographic_quotes(root: Path) -> None:
    _edit(root, f"SIP{MAC}.cnf", 'proxy1_address: "192.0.2.10"', "proxy1_address: “192.0.2.10”")


#: Each breaker with the code the check must report and the file it must point at.
BREAKERS: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "lower-case MAC": (break_lower_case_mac, "PRV010", f"SIP{MAC.lower()}.cnf"),
    "wrong case of .cnf": (break_extension_case, "PRV011", f"SIP{MAC}.CNF"),
    "MAC written as on the label": (break_label_mac, "PRV014", f"SIP{LABEL_MAC}.cnf"),
    ".txt added by an editor": (break_editor_extension, "PRV014", f"SIP{MAC}.cnf.txt"),
    "stray SEP<MAC>.cnf.xml": (break_stray_sep, "PRV020", f"SEP{MAC}.cnf.xml"),
    "image named but absent": (break_image_absent, "PRV033", f"{IMAGE}.loads"),
    "file of the load absent": (break_loads_part_absent, "PRV034", f"{IMAGE}.sb2"),
    "OS79XX.TXT does not match": (break_os79xx_mismatch, "PRV037", "OS79XX.TXT"),
    "upgrade jump": (break_upgrade_jump, "PRV038", "SIPDefault.cnf"),
    "no line 1": (break_no_line_one, "PRV040", f"SIP{MAC}.cnf"),
    "line 1 key with a no-break space": (
        break_line_one_no_breaking_space,
        "PRV040",
        f"SIP{MAC}.cnf",
    ),
    "dial template absent": (break_dial_template_absent, "PRV050", "dialplan.xml"),
    "dial template not XML": (break_dial_template_not_xml, "PRV090", "dialplan.xml"),
    "dial plan with CallManager patterns": (break_dial_plan_rules, "DPL101", "dialplan.xml"),
    "ring file absent": (break_ring_absent, "PRV061", "Chirp.raw"),
    "ring audio too short": (break_ring_audio, "RT103", "Chirp.raw"),
    "RINGLIST.DAT in lower case": (break_ringlist_case, "PRV011", "ringlist.dat"),
    "ring list with spaces": (break_ringlist_spaces, "RL101", "RINGLIST.DAT"),
    "letter O in the image name": (break_image_letter_o, "PRV031", "SIPDefault.cnf"),
    "79x1 image on a 7940": (break_image_family, "PRV032", "SIPDefault.cnf"),
    "tftp_cfg_dir without the file": (break_cfg_dir, "PRV012", f"phones/SIP{MAC}.cnf"),
    "typographic quotes": (break_typographic_quotes, "CNF301", f"SIP{MAC}.cnf"),
}

"""TFTP roots for the firmware part of the check: which image the configuration names, what
``OS79XX.TXT`` says, and which firmware files are there.

A 79x0 package is laid out as Cisco ships it (the SIP 8.12 zip, CME flash listings): for
``P0S3-08-12-00``, ``P0S3-08-12-00.loads`` naming ``P003-08-12-00.sbn`` (the universal loader)
and ``P0S3-08-12-00.sb2`` (the application), plus ``P003-08-12-00.bin`` for loaders older than
signed images. An image older than the universal loader ships as ``<name>.bin`` and
``<name>.sbn``. A Java-phone load is ``<name>.loads`` naming its components.
"""

from __future__ import annotations

from pathlib import Path

from ciscocfg import firmware
from support.loads_builder import container
from support.trees import IMAGE, MAC, SIP_DEFAULT, build_tree


def package(name: str) -> dict[str, bytes]:
    """Every file of the firmware package of ``name``, keyed by file name."""
    image = firmware.parse(name)
    stem = image.name
    if image.scheme == "java":
        model = stem.split(".")[0][-2:]
        version = stem.split(".", 1)[1].removesuffix("S")
        proto = (image.protocol or firmware.Protocol.SCCP).value.lower()
        parts = [f"jar{model}{proto}.{version}.sbn", f"apps{model}.{version}.sbn"]
        body = "".join(f"{part}\r\n" for part in parts).encode()
        files = {f"{stem}.loads": container(f"{stem}.loads", b"# load\r\n" + body)}
        files.update({part: container(part, b"\0" * 32) for part in parts})
        return files
    if not boots_by_loads(image):
        return {f"{stem}{ext}": container(f"{stem}{ext}", b"\0" * 32) for ext in (".bin", ".sbn")}
    # SIP and MGCP packages carry the hyphenated universal loader; SCCP ones a loader of the
    # application's own name (CME flash listings: P00308000100.sbn beside its .loads and .sb2).
    loader = "P003" + stem[4:] if "-" in stem else stem
    app = f"{stem}.sb2"
    payload = f"{loader}.sbn\n{app}\nLA_VERSION=PAS30830\n".encode()
    return {
        f"{stem}.loads": container(f"{stem}.loads", payload),
        f"{loader}.sbn": container(f"{loader}.sbn", b"\0" * 64),
        f"{loader}.bin": b"\xea" * 64,
        app: container(app, b"\0" * 64),
    }


def boots_by_loads(image: firmware.FirmwareImage) -> bool:
    if image.scheme == "79x0-legacy":
        return False
    if image.protocol is firmware.Protocol.SIP:
        return image.version[0] >= 7
    if image.protocol is firmware.Protocol.SCCP:
        return image.version[0] >= 6
    return True


def sip_tree(
    root: Path,
    *,
    named: str = IMAGE,
    selector: str | None = None,
    packages: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
) -> Path:
    """The correct 7940 tree, with ``image_version: named``, ``OS79XX.TXT`` naming ``selector``
    (no such file when ``None``), and only the firmware files of ``packages`` less ``drop``."""
    build_tree(root)
    for path in root.iterdir():
        if path.suffix in {".loads", ".sbn", ".sb2", ".bin"}:
            path.unlink()
    (root / "SIPDefault.cnf").write_text(
        SIP_DEFAULT.replace(f"image_version: {IMAGE}", f"image_version: {named}")
    )
    if selector is None:
        (root / "OS79XX.TXT").unlink()
    else:
        (root / "OS79XX.TXT").write_bytes(f"{selector}\r\n".encode())
    _lay(root, packages, drop)
    return root


def xml_tree(
    root: Path,
    *,
    named: str,
    protocol: str,
    packages: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
) -> Path:
    """A phone that reads ``SEP<MAC>.cnf.xml`` naming ``named`` (a 79x1, or a 7940 on SCCP)."""
    root.mkdir(parents=True, exist_ok=True)
    lines = (
        "<line button='1'><name>2001</name><proxy>192.0.2.10</proxy><port>5060</port></line>"
        if protocol == "SIP"
        else ""
    )
    (root / f"SEP{MAC}.cnf.xml").write_text(
        f"<device>\n  <deviceProtocol>{protocol}</deviceProtocol>\n"
        f"  <sipProfile><sipLines>{lines}</sipLines></sipProfile>\n"
        f"  <loadInformation>{named}</loadInformation>\n</device>\n"
    )
    _lay(root, packages, drop)
    return root


def _lay(root: Path, packages: tuple[str, ...], drop: tuple[str, ...]) -> None:
    for name in packages:
        for file, data in package(name).items():
            if file not in drop:
                (root / file).write_bytes(data)

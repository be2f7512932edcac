"""Folders of unpacked Cisco bundles, synthesized: each release's files as its zip unpacks
(:func:`support.firmware_trees.package`), and a snapshot of a folder to prove nothing moved."""

from __future__ import annotations

from pathlib import Path

from support.firmware_trees import package


def lay_bundles(folder: Path, *names: str, nested: bool = True) -> Path:
    """The bundles of the images ``names`` under ``folder``, one sub-folder each (as the zips
    unpack), or all side by side when not ``nested``."""
    for name in names:
        where = folder / f"cmterm-{name.lower()}" if nested else folder
        where.mkdir(parents=True, exist_ok=True)
        for file, data in package(name).items():
            (where / file).write_bytes(data)
    return folder


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (links read through)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

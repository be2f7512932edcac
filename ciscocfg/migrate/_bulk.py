"""A whole TFTP root at once: every ``SIP<MAC>.cnf`` becomes a ``SEP<MAC>.cnf.xml``.

Large fleets are converted on every core (one process per core, files handed out in chunks);
a few files are converted in this process, where starting workers would cost more than it
saves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError

__all__ = ["PARALLEL_THRESHOLD", "PhoneResult", "TreeResult", "find_phone_files", "migrate_tree"]

#: Below this many phones the conversion runs in one process.
PARALLEL_THRESHOLD = 48


@attrs.frozen
class PhoneResult:
    """One phone's conversion: where from, where to, and every finding."""

    mac: str
    source: str
    target: str
    findings: tuple[Diagnostic, ...]
    #: ``"written"``, ``"exists"`` (not overwritten without force) or ``"failed"``.
    status: str


@attrs.frozen
class TreeResult:
    """The conversion of a whole tree."""

    model: str
    phones: tuple[PhoneResult, ...]
    default: str | None

    @property
    def written(self) -> int:
        """How many ``SEP<MAC>.cnf.xml`` files were written."""
        return sum(1 for p in self.phones if p.status == "written")

    @property
    def failed(self) -> bool:
        """True when a file was not written (exists, or could not be read)."""
        return any(p.status != "written" for p in self.phones)

    def report(self) -> str:
        """The report as plain text: one block per phone, each finding on its own line."""
        out = [
            f"Migration to the Cisco {self.model}: {self.written} of {len(self.phones)} "
            "phone file(s) written"
            + (f", with {self.default} as the shared defaults" if self.default else ""),
            "",
        ]
        for phone in self.phones:
            out.append(f"{phone.source} -> {phone.target}: {phone.status}")
            out.extend(f"  {d}" for d in phone.findings)
            out.append("")
        return "\n".join(out)


def find_phone_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every ``SIP<MAC>.cnf`` below ``root`` (names spelled in any case) with its MAC."""
    from ciscocfg._phonefiles import classify

    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        match = classify(path.name)
        if match is not None and match.kind == "sip_cnf":
            yield match.mac, path


def _convert_one(
    job: tuple[str, str, str | None, str, str, bool, bool, str, str | None],
) -> PhoneResult:
    from ciscocfg import cnf
    from ciscocfg.migrate import cnf_to_sepxml

    mac, src, default_path, target, model, force, fix, root, load = job
    rel = os.path.relpath(src, root)
    if os.path.exists(target) and not force:
        message = f"{target} exists; not overwritten (use --force)"
        found = (Diagnostic("MIG030", "error", message, source=rel),)
        return PhoneResult(mac, rel, target, found, "exists")
    try:
        phone = cnf.load(src, strict=False)
        phone.source = rel
        default = None
        if default_path is not None:
            default = cnf.load(default_path, strict=False)
            default.source = os.path.relpath(default_path, root)
        config, findings = cnf_to_sepxml(phone, default, model=model, fix=fix, load=load)
    except (OSError, CiscoCfgError) as exc:
        found = (Diagnostic("MIG031", "error", f"cannot convert: {exc}", source=rel),)
        return PhoneResult(mac, rel, target, found, "failed")
    with open(target, "wb") as handle:
        handle.write(config.dumps().encode("utf-8", "surrogateescape"))
    return PhoneResult(mac, rel, target, tuple(findings), "written")


def migrate_tree(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    model: str,
    force: bool = False,
    fix: bool = False,
    jobs: int | None = None,
    load: str | None = None,
) -> TreeResult:
    """Convert every ``SIP<MAC>.cnf`` under ``src`` into ``dst/SEP<MAC>.cnf.xml``.

    ``SIPDefault.cnf`` at the top of ``src`` is merged under each phone's file, as the phone
    does. An existing target is left alone unless ``force``. ``jobs`` caps the worker
    processes (default: every core); fleets under :data:`PARALLEL_THRESHOLD` phones are
    converted in this process. ``load`` is written as every phone's ``loadInformation``.
    """
    from ciscocfg._phonefiles import canonical_name
    from ciscocfg.migrate import _check_load, _model

    target_model = _model(model)
    if load is not None:
        _check_load(load, target_model)
    root = Path(src)
    out = Path(dst)
    out.mkdir(parents=True, exist_ok=True)
    default = root / "SIPDefault.cnf"
    default_path = str(default) if default.is_file() else None
    work = [
        (
            mac,
            str(path),
            default_path,
            str(out / canonical_name("sep_xml", mac)),
            target_model.name,
            force,
            fix,
            str(root),
            load,
        )
        for mac, path in find_phone_files(root)
    ]
    workers = min(jobs or os.cpu_count() or 1, len(work))
    if workers > 1 and len(work) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(work) // (workers * 4))
            results = list(pool.map(_convert_one, work, chunksize=chunk))
    else:
        results = [_convert_one(job) for job in work]
    return TreeResult(target_model.name, tuple(results), "SIPDefault.cnf" if default_path else None)

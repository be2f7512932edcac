"""A whole TFTP root at once: every ``SIP<MAC>.cnf`` becomes a ``SEP<MAC>.cnf.xml``.

Large fleets are converted on every core (one process per core, files handed out in chunks);
a few files are converted in this process, where starting workers would cost more than it
saves.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError, WriteRefused
from ciscocfg._writing import check_files, write_files

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
    #: ``"written"``, or ``"failed"`` (the source could not be read or converted).
    status: str
    #: The MAC of the phone that takes over (``None``: the same phone, ``mac``).
    new_mac: str | None = None


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
        """True when a phone's file was not written (its source could not be converted)."""
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
            renamed = f" (MAC {phone.mac} → {phone.new_mac})" if phone.new_mac else ""
            out.append(f"{phone.source} -> {phone.target}{renamed}: {phone.status}")
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
    job: tuple[str, str, str | None, str, str, bool, str, str | None, str | None],
) -> tuple[PhoneResult, bytes | None]:
    """One phone's result and the bytes of its XML config (``None`` when it failed)."""
    from ciscocfg import cnf
    from ciscocfg.migrate import cnf_to_sepxml

    mac, src, default_path, target, model, fix, root, load, new_mac = job
    rel = os.path.relpath(src, root)
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
        return PhoneResult(mac, rel, target, found, "failed", new_mac), None
    data = config.dumps().encode("utf-8", "surrogateescape")
    return PhoneResult(mac, rel, target, tuple(findings), "written", new_mac), data


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _refuse_writing_into(source: Path, where: str | os.PathLike[str], what: str) -> None:
    """A migration never writes into the tree it reads (a 79x0 that finds a
    ``SEP<MAC>.cnf.xml`` beside its files boots SCCP from it). ``where`` is the destination
    folder, or (``what`` ``"report"``) the report's path."""
    tree = os.path.realpath(source)
    if what == "report":
        given = Path(where)
        place = os.path.join(os.path.realpath(given.parent), given.name)
    else:
        place = os.path.realpath(where)
    if place == tree:
        raise WriteRefused(where, f"is the tree being migrated; write the {what} elsewhere")
    if _inside(place, tree):
        raise WriteRefused(
            where, f"is inside the tree being migrated ({source}); write the {what} elsewhere"
        )


def migrate_tree(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    model: str,
    force: bool = False,
    fix: bool = False,
    jobs: int | None = None,
    load: str | None = None,
    report: str | os.PathLike[str] | None = None,
    mac_map: Mapping[str, str] | None = None,
) -> TreeResult:
    """Convert every ``SIP<MAC>.cnf`` under ``src`` into ``dst/SEP<MAC>.cnf.xml``.

    ``SIPDefault.cnf`` at the top of ``src`` is merged under each phone's file, as the phone
    does. ``jobs`` caps the worker processes (default: every core); fleets under
    :data:`PARALLEL_THRESHOLD` phones are converted in this process. ``load`` is written as
    every phone's ``loadInformation``. With ``report``, the report is written there too.

    Nothing is lost: ``dst`` may not be ``src`` or lie inside it, nor may the report; an
    existing file is replaced only with ``force`` (a link in ``dst`` is replaced, never
    followed), and a file of ``src`` never. Every target is checked before anything is
    converted (:class:`~ciscocfg.WriteRefused`), and the files are written all or nothing.

    ``mac_map`` maps the MAC of an old phone to the MAC of the new phone that replaces it (any
    spelling of either): that phone's file is written as ``SEP<new MAC>.cnf.xml``. It is checked
    before anything is written (:func:`~ciscocfg.migrate.check_mac_map`): an old MAC that is no
    phone of ``src``, two old MACs mapped to one new one, or a new MAC that is another phone's
    raise :class:`~ciscocfg.migrate.MacMapError` (a :class:`~ciscocfg.ValidationError`).
    """
    from ciscocfg._phonefiles import canonical_name
    from ciscocfg.migrate import _check_load, _model
    from ciscocfg.migrate._macmap import check_mac_map

    target_model = _model(model)
    if load is not None:
        _check_load(load, target_model)
    root = Path(src)
    out = Path(dst)
    _refuse_writing_into(root, out, "new configs")
    if report is not None:
        _refuse_writing_into(root, report, "report")
    default = root / "SIPDefault.cnf"
    default_path = str(default) if default.is_file() else None
    phones = list(find_phone_files(root))
    renames = check_mac_map(mac_map or {}, (mac for mac, _ in phones))
    inputs = [path for _, path in phones] + ([default] if default_path else [])
    targets = {mac: out / canonical_name("sep_xml", renames.get(mac, mac)) for mac, _ in phones}
    seen: dict[str, Path] = {}
    for mac, path in phones:
        if mac in seen:
            raise WriteRefused(
                targets[mac],
                f"would be written from both {seen[mac]} and {path}; migrate one of them",
            )
        seen[mac] = path

    def check() -> None:
        refused = []
        try:
            check_files(targets.values(), force=force, inputs=inputs, within=out, make_folders=True)
        except WriteRefused as exc:
            refused.append(exc)
        if report is not None:
            # Its folder is made only inside the destination (which may not exist yet).
            into_out = _inside(os.path.realpath(Path(report).parent), os.path.realpath(out))
            try:
                check_files([report], force=force, inputs=inputs, make_folders=into_out)
            except WriteRefused as exc:
                refused.append(exc)
        if refused:
            raise WriteRefused.first_of(refused)

    check()
    work = [
        (
            mac,
            str(path),
            default_path,
            str(targets[mac]),
            target_model.name,
            fix,
            str(root),
            load,
            renames.get(mac),
        )
        for mac, path in phones
    ]
    workers = min(jobs or os.cpu_count() or 1, len(work))
    if workers > 1 and len(work) >= PARALLEL_THRESHOLD:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(work) // (workers * 4))
            converted = list(pool.map(_convert_one, work, chunksize=chunk))
    else:
        converted = [_convert_one(job) for job in work]
    result = TreeResult(
        target_model.name,
        tuple(phone for phone, _ in converted),
        "SIPDefault.cnf" if default_path else None,
    )
    files: dict[str | os.PathLike[str], bytes] = {
        phone.target: data for phone, data in converted if data is not None
    }
    check()  # again: the tree may have changed while the phones were converted
    if report is not None:
        files[report] = result.report().encode("utf-8", "surrogateescape")
    if files:
        write_files(files, force=force, inputs=inputs, make_folders=True)
    else:
        out.mkdir(parents=True, exist_ok=True)
    return result

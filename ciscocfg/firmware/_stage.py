"""Staging the next step of an upgrade: the files a phone asks for on that step, copied from the
unpacked Cisco bundles into its TFTP root, and ``OS79XX.TXT`` naming what the step needs.

The step is the planner's (:func:`~ciscocfg.firmware.upgrade_path`) next step from the image
the phone runs; a step that boots the universal application loader is staged together with the
application the loader then fetches, since both happen in one go after one reboot. The files are
the ones the phone fetches on that step, by the rules :func:`~ciscocfg.firmware.reach` follows
(``<name>.bin`` or ``<name>.sbn`` for an image fetched by a loader older than the universal
one, ``<name>.loads`` and every file it names otherwise); once the files are placed,
:func:`~ciscocfg.firmware.reach` judges the root as it will be, so that the staging and the boot
check cannot disagree.

``OS79XX.TXT`` (79x0 only: the 79x1 never reads it) names the step's image where the planner
names the step there, and otherwise the image an old loader should fetch for it: the universal
application loader of a ``.loads`` package (what the 7940 story ended with), or the step's image
itself, whose first four characters are then the running image's, so that a loader that reads
the file leaves the phone be. An existing ``OS79XX.TXT`` that names the image the phone runs (or
its universal loader) holds the step already taken and is rewritten without ``force``, with only
its first line changed; any other content is kept unless ``force``.

Where the planner names the step in the configuration (``image_version`` of ``SIPDefault.cnf``
or ``SIP<MAC>.cnf``, ``loadInformation`` of ``SEP<MAC>.cnf.xml`` or ``XMLDefault.cnf.xml``),
the configuration is not edited: those files are shared by a fleet and each phone's own file
may override the shared one, so the staging reads them and says which file names what, and
exactly what to set where the step's image is not named.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError, ValidationError
from ciscocfg.firmware._names import FirmwareImage, Role
from ciscocfg.firmware._reach import BootVerdict, Outcome, reach
from ciscocfg.firmware._stage_config import config_findings, read_config
from ciscocfg.firmware._stage_files import Bundles, Needs, Root, collect, selector_file
from ciscocfg.firmware._stage_model import (
    BLOCKING,
    INPUT_CODES,
    WRITTEN,
    ConfigSetting,
    StagedFile,
    Staging,
)
from ciscocfg.firmware._upgrade import (
    OS79XX,
    SEP,
    XMLDEFAULT,
    UpgradePlan,
    UpgradeStep,
    upgrade_path,
)

__all__ = ["ConfigSetting", "StagedFile", "Staging", "stage"]


# --- the entry point ------------------------------------------------------------------------


def _plan(
    running: str | FirmwareImage, target: str | FirmwareImage, family: str | None
) -> UpgradePlan:
    try:
        return upgrade_path(running, target, family=family)
    except CiscoCfgError:
        raise
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def _staged_steps(plan: UpgradePlan) -> tuple[UpgradeStep, ...]:
    if not plan.steps:
        return ()
    if plan.steps[0].image.role is Role.LOADER and len(plan.steps) > 1:
        # The universal loader fetches the application after the same reboot.
        return plan.steps[:2]
    return plan.steps[:1]


def _file_findings(files: list[StagedFile], source: str, root: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for f in files:
        if f.status == "missing":
            found.append(
                Diagnostic(
                    "STG001",
                    "error",
                    f"{f.name} ({f.why}) is in neither {source} nor {root}",
                    source=f.name,
                )
            )
        elif f.status == "ambiguous":
            found.append(
                Diagnostic(
                    "STG002",
                    "error",
                    f"{source} holds different files named {f.name}: "
                    + ", ".join(f.candidates)
                    + "; keep the one of the bundle you mean",
                    source=f.name,
                )
            )
        elif f.status == "differs" and f.name == OS79XX:
            found.append(
                Diagnostic(
                    "STG004",
                    "error",
                    f"{root}/{OS79XX} names {f.previous or 'no image'}, not the image the phone "
                    "runs: it is not replaced without --force (it is shared by every phone "
                    "older than the universal loader that boots from this root)",
                    line=1,
                    source=OS79XX,
                )
            )
        elif f.status == "differs":
            found.append(
                Diagnostic(
                    "STG003",
                    "error",
                    f"{root}/{f.name} holds other bytes than {f.source}: it is not replaced "
                    "without --force",
                    source=f.name,
                )
            )
    return found


def _verdict_findings(verdict: BootVerdict) -> list[Diagnostic]:
    if verdict.outcome is Outcome.UNKNOWN:
        return [
            Diagnostic(
                "STG021", "info", f"unknown whether the phone takes the step: {verdict.reason}"
            )
        ]
    if verdict.boots:
        return []
    shown = f" (the phone shows '{verdict.phone_message}')" if verdict.phone_message else ""
    return [
        Diagnostic(
            "STG020",
            "error",
            f"with the files staged the phone does not reach {verdict.target}{shown}: "
            f"{verdict.reason}",
        )
    ]


def stage(
    root: str | os.PathLike[str],
    source: str | os.PathLike[str],
    *,
    running: str | FirmwareImage,
    target: str | FirmwareImage,
    family: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> Staging:
    """Stage the next step of the way from ``running`` to ``target`` into the TFTP ``root``.

    ``source`` is a folder of unpacked Cisco bundles (sub-folders are searched); ``running``
    and ``target`` are read as :func:`~ciscocfg.firmware.upgrade_path` reads them (release
    shorthands such as ``"SCCP 3.x"`` included, with ``family`` for a 79x1). The files the step
    needs are copied into ``root`` and, for a 79x0, ``OS79XX.TXT`` is written, all or nothing
    (:func:`ciscocfg._writing.write_files`): a file already in ``root`` with the same bytes is
    left alone, one with other bytes is replaced only with ``force``. Nothing is written when a
    file is missing or ambiguous, when the plan is refused, or with ``dry_run``.

    Everything found is in :attr:`Staging.diagnostics` (codes ``STGnnn``); what was written is in
    :attr:`Staging.written`. Raises :class:`~ciscocfg.ValidationError` for a ``root`` or
    ``source`` that is not a folder or an unknown ``family``,
    :class:`~ciscocfg.ParseError` for a name that is not an image name, and
    :class:`~ciscocfg._writing.WriteRefused` when the root changed under the write.
    """
    from ciscocfg._writing import write_files

    root_dir, source_dir = Path(root), Path(source)
    for given, what in ((root_dir, "the TFTP root"), (source_dir, "the folder of bundles")):
        if not given.is_dir():
            raise ValidationError(f"{os.fspath(given)}: not a directory ({what})")
    plan = _plan(running, target, family)
    shown_root, shown_source = os.fspath(root), os.fspath(source)
    if plan.refused:
        message = f"{plan.current} → {plan.target}: {plan.reason}"
        if plan.phone_message:
            message += f" (the phone shows '{plan.phone_message}')"
        refusal = Diagnostic("STG030", "error", message)
        return Staging(shown_root, shown_source, plan, (), diagnostics=(refusal,))
    steps = _staged_steps(plan)
    if not steps:
        return Staging(shown_root, shown_source, plan, ())
    tree = Root(root_dir)
    needs = Needs(Bundles(source_dir), tree, force=force)
    selector = collect(plan.current, steps, needs)
    files = list(needs.files.values())
    if selector is not None:
        files.append(selector_file(selector, plan.current, tree, force=force))
    findings = _file_findings(files, shown_source, shown_root)
    findings.extend(needs.findings)
    findings.extend(_spelling_hints(files, steps, needs.bundles))
    goal = steps[-1]
    settings: list[ConfigSetting] = []
    if goal.named_in != (OS79XX,):
        settings = read_config(tree, goal)
        findings.extend(config_findings(goal, settings))
    verdict = _judge(plan, steps, files, selector, tree)
    if not any(d.code in INPUT_CODES for d in findings):
        findings.extend(_verdict_findings(verdict))
    staging = Staging(
        shown_root,
        shown_source,
        plan,
        steps,
        tuple(files),
        _effective_selector(files, selector, tree),
        tuple(settings),
        verdict,
        tuple(findings),
        dry_run=dry_run,
    )
    if dry_run or staging.blocked:
        return staging
    writes: dict[str | os.PathLike[str], bytes] = {
        root_dir / f.name: f.data for f in files if f.status in WRITTEN and f.data is not None
    }
    if not writes:
        return staging
    sources = [Path(f.source) for f in files if f.source is not None]
    updates = [root_dir / f.name for f in files if f.status == "update"]
    write_files(writes, force=force, inputs=sources, within=root_dir, replace=updates)
    return attrs.evolve(staging, written=tuple(f.name for f in files if f.status in WRITTEN))


def _spelling_hints(
    files: list[StagedFile], steps: tuple[UpgradeStep, ...], bundles: Bundles
) -> Iterator[Diagnostic]:
    """For a missing image, the same release under another spelling (``P0S3-8-12-00`` for
    ``P0S3-08-12-00``): the phone asks for the name the configuration gives, letter for letter."""
    missing = {f.name for f in files if f.status == "missing"}
    for step in steps:
        for extension in (".loads", ".sbn", ".bin"):
            if step.image.name + extension not in missing:
                continue
            for other in bundles.same_release(step.image, extension):
                yield Diagnostic(
                    "STG005",
                    "info",
                    f"{bundles.folder} holds {other}, the same release spelled another way; "
                    f"the phone asks for {step.image.name}{extension} letter for letter: name "
                    f"the image {other.removesuffix(extension)} throughout (--target included)",
                    source=step.image.name + extension,
                    suggestion=other,
                )


def _effective_selector(
    files: list[StagedFile], selector: FirmwareImage | None, tree: Root
) -> FirmwareImage | None:
    """What OS79XX.TXT names once staged (the old file when it is kept)."""
    if selector is None:
        return None
    entry = next(f for f in files if f.name == OS79XX)
    if entry.status in BLOCKING:
        return _read_selector(tree.get(OS79XX))
    return selector


def _read_selector(data: bytes | None) -> FirmwareImage | None:
    from ciscocfg import os79xx
    from ciscocfg._text import decode_bytes

    if data is None:
        return None
    return os79xx.loads(decode_bytes(data), strict=False).image


def _judge(
    plan: UpgradePlan,
    steps: tuple[UpgradeStep, ...],
    files: list[StagedFile],
    selector: FirmwareImage | None,
    tree: Root,
) -> BootVerdict:
    """:func:`reach` with the root's files as they will be once staged."""
    staged = {f.name: f.data for f in files if f.status not in BLOCKING and f.data is not None}

    def get(name: str) -> bytes | None:
        return staged[name] if name in staged else tree.get(name)

    goal = steps[-1]
    config = "xml" if goal.named_in[0] in (SEP, XMLDEFAULT) else "sip"
    after = _effective_selector(files, selector, tree)
    return reach(plan.current, goal.image, get, selector=after, config=config)

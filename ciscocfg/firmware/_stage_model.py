"""What the staging of an upgrade step found and did: each file, what the configuration names,
the verdict on the root as staged, the findings (codes ``STGnnn``)."""

from __future__ import annotations

import shlex
from typing import Any, Literal

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg.firmware._names import FirmwareImage
from ciscocfg.firmware._reach import BootVerdict
from ciscocfg.firmware._upgrade import (
    UpgradePlan,
    UpgradeStep,
)

__all__ = [
    "BLOCKING",
    "INPUT_CODES",
    "WRITTEN",
    "ConfigSetting",
    "FileStatus",
    "StagedFile",
    "Staging",
]

#: What becomes of one file of the step.
FileStatus = Literal[
    "new",  # not in the root: written
    "same",  # in the root with the same bytes: nothing to do
    "in-root",  # not in the bundles, but the root has it: the phone finds it there
    "update",  # OS79XX.TXT naming the step already taken: its line is rewritten
    "replace",  # in the root with other bytes: replaced, as forced
    "differs",  # in the root with other bytes: kept, nothing is written without force
    "missing",  # neither in the bundles nor in the root
    "ambiguous",  # the bundles hold different files of that name
]

#: Statuses that stop the staging: nothing is written.
BLOCKING: frozenset[str] = frozenset({"differs", "missing", "ambiguous"})
#: Statuses whose bytes go to the root.
WRITTEN: frozenset[str] = frozenset({"new", "update", "replace"})

#: Findings about input the staging cannot use (exit status 2 on the command line).
INPUT_CODES = frozenset({"STG001", "STG002", "STG003", "STG004", "STG031"})


@attrs.frozen
class StagedFile:
    """One file of the step: its name in the root, where it comes from, what becomes of it."""

    name: str
    status: FileStatus
    #: What the file is to the phone, in words.
    why: str
    #: The file it is copied from (``None``: written by the staging, or found nowhere).
    source: str | None = None
    #: For ``OS79XX.TXT``: the image it named before (``None``: no such file or no name).
    previous: str | None = None
    #: Every file of the bundles by that name, for an ambiguous one.
    candidates: tuple[str, ...] = ()
    data: bytes | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class ConfigSetting:
    """What one file of the root's configuration names where the step is named."""

    file: str
    #: ``image_version``, ``loadInformation`` or ``loadInformation<ID>``.
    setting: str
    #: The image named, as written (``None``: the setting is not there).
    value: str | None
    line: int | None = None
    #: Whether a phone reads this value (a ``SIPDefault.cnf`` value every phone's own file
    #: overrides is read by none).
    used: bool = True


@attrs.frozen
class Staging:
    """The staging of the next step of ``plan`` into ``root`` from ``source``."""

    root: str
    source: str
    plan: UpgradePlan
    #: The planner's steps staged: none (already there, or refused), one, or the universal
    #: loader and the application it fetches.
    steps: tuple[UpgradeStep, ...]
    files: tuple[StagedFile, ...] = ()
    #: The image ``OS79XX.TXT`` names once staged (``None`` for phones that do not read it).
    selector: FirmwareImage | None = None
    config: tuple[ConfigSetting, ...] = ()
    #: :func:`reach` from the running image with the root's files as staged.
    verdict: BootVerdict | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    #: The files written, relative to the root (empty for a dry run or a blocked staging).
    written: tuple[str, ...] = ()
    #: True when nothing was to be written, only looked at.
    dry_run: bool = False

    @property
    def image(self) -> FirmwareImage | None:
        """The image the phone runs once the step is taken."""
        return self.steps[-1].image if self.steps else None

    @property
    def remaining(self) -> tuple[UpgradeStep, ...]:
        """The planner's steps after this one."""
        return self.plan.steps[len(self.steps) :]

    @property
    def blocking(self) -> tuple[Diagnostic, ...]:
        """The findings that stop the staging: a file missing, ambiguous or in the way, or no
        files known for the step (input the staging cannot use)."""
        return tuple(d for d in self.diagnostics if d.code in INPUT_CODES)

    @property
    def blocked(self) -> bool:
        """True when the staging writes nothing for the reasons of :attr:`blocking`."""
        return bool(self.blocking)

    @property
    def has_errors(self) -> bool:
        """True when some finding has severity error."""
        return any(d.severity == "error" for d in self.diagnostics)

    def shows(self) -> str:
        """What the phone does and shows on its next boot, in words."""
        from ciscocfg.firmware._stage_words import shows

        return shows(self)

    def next_command(self) -> str:
        """What to run once the phone has rebooted: the next step, or the check."""
        root, source = shlex.quote(self.root), shlex.quote(self.source)
        image = self.image
        if self.blocked:
            return (
                f"ciscocfg firmware stage {root} --running {shlex.quote(self.plan.current.name)} "
                f"--target {shlex.quote(self.plan.target.name)} --from {source}"
            )
        if self.plan.refused or image is None:
            running = self.plan.current if image is None else image
            return f"ciscocfg check {root} --running {shlex.quote(running.name)}"
        if self.remaining:
            return (
                f"ciscocfg firmware stage {root} --running {shlex.quote(image.name)} "
                f"--target {shlex.quote(self.plan.target.name)} --from {source}"
            )
        return f"ciscocfg check {root} --running {shlex.quote(image.name)}"

    def report(self) -> str:
        """The staging for a person: the steps, each file, the configuration, what next."""
        from ciscocfg.firmware._stage_words import report

        return report(self)

    def to_json(self) -> dict[str, Any]:
        """The staging as plain data for ``json.dumps``."""
        verdict = self.verdict
        return {
            "root": self.root,
            "source": self.source,
            "running": self.plan.current.name,
            "target": self.plan.target.name,
            "refused": self.plan.refused,
            "steps": [
                {
                    "image": step.image.name,
                    "named_in": list(step.named_in),
                    "setting": step.setting,
                    "reason": step.reason,
                    "uncertain": step.uncertain,
                }
                for step in self.steps
            ],
            "remaining": [step.image.name for step in self.remaining],
            "files": [
                {
                    "name": f.name,
                    "status": f.status,
                    "why": f.why,
                    "source": f.source,
                    "previous": f.previous,
                    "candidates": list(f.candidates),
                }
                for f in self.files
            ],
            "selector": self.selector.name if self.selector is not None else None,
            "config": [attrs.asdict(c) for c in self.config],
            "verdict": None
            if verdict is None
            else {
                "outcome": verdict.outcome.value,
                "reason": verdict.reason,
                "path": [image.name for image in verdict.path],
                "asked": list(verdict.asked),
            },
            "shows": self.shows(),
            "next": self.next_command(),
            "written": list(self.written),
            "dry_run": self.dry_run,
            "diagnostics": [attrs.asdict(d) for d in self.diagnostics],
        }

"""A staging in words: what the phone does and shows on its next boot, and the report."""

from __future__ import annotations

from ciscocfg.firmware._names import FirmwareImage, Role
from ciscocfg.firmware._reach import Outcome
from ciscocfg.firmware._stage_config import shown
from ciscocfg.firmware._stage_model import StagedFile, Staging
from ciscocfg.firmware._upgrade import (
    OS79XX,
    SIPDEFAULT,
    SIPMAC,
    UpgradeStep,
    _release,
    upgrade_path,
)

__all__ = ["report", "shows"]


def _boots(image: FirmwareImage) -> str:
    if image.role is Role.LOADER:
        return f"the universal application loader {image.name}"
    return f"{_release(image)} ({image.name})"


def _listed(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names) or "the files named"
    return ", ".join(names[:-1]) + " and " + names[-1]


def _setting(step: UpgradeStep) -> str:
    """The setting that names the step, in the file the planner names first."""
    return "image_version" if step.named_in[0] in (SIPMAC, SIPDEFAULT) else "loadInformation"


def _boot_story(staging: Staging, fetched: list[str]) -> str:
    """The phone's next boot, file by file, in the order it asks for them."""
    first, goal = staging.steps[0], staging.steps[-1]
    image = goal.image
    verdict = staging.verdict
    path = list(verdict.path) if verdict is not None and verdict.path else [image]
    it = "it" if len(fetched) == 1 else "them"
    if first.named_in != (OS79XX,):
        return (
            f"After a reboot it finds {_setting(goal)} naming {image.name} in "
            f"{' or '.join(goal.named_in)}, fetches {_listed(fetched)}, writes {it} to its flash "
            f"memory and boots {_boots(path[-1])}."
        )
    head, rest = fetched[:1], fetched[1:]
    story = f"After a reboot its loader reads OS79XX.TXT and fetches {_listed(head)}"
    if first.image.role is Role.LOADER:
        story += (
            f", then boots {_boots(first.image)}, which looks for the configuration, finds "
            f"{_setting(goal)} naming {image.name} and fetches {_listed(rest)}"
        )
    elif rest:
        story += f", then {_listed(rest)}"
    return f"{story}; it writes {it} to its flash memory and boots {_boots(path[-1])}."


def shows(staging: Staging) -> str:
    """What the phone does on its next boot, what it shows, and what a failure looks like."""
    plan = staging.plan
    if plan.refused:
        message = f" and shows '{plan.phone_message}'" if plan.phone_message else ""
        return f"The phone refuses the jump to {plan.target}{message}: {plan.reason}."
    image = staging.image
    if image is None:
        return f"Nothing changes: the phone already runs {plan.current}."
    if staging.blocked:
        return f"Nothing changes: nothing was staged, and the phone keeps {plan.current}."
    verdict = staging.verdict
    fetched = [
        name
        for name in (verdict.asked if verdict is not None else ())
        if any(f.name == name and f.status not in ("missing", "ambiguous") for f in staging.files)
    ]
    sentences = [_boot_story(staging, fetched)]
    if image.family == "7940/7960":
        sentences.append(
            f"Settings > Status > Firmware Versions then shows {image.name} as the application."
        )
    else:
        sentences.append(f"Settings > Model Information then shows {image.name} as the load.")
    if image.family == "7940/7960" and any(f.name.endswith(".loads") for f in staging.files):
        sentences.append(
            "'Protocol Application Invalid' means it did not get every file of the package."
        )
    if staging.steps[0].named_in == (OS79XX,) and any(
        f.name.endswith(".sbn") for f in staging.files
    ):
        sentences.append(
            "'Image Authentication Failed' means the signed image it got is not one its loader "
            "accepts."
        )
    direct = upgrade_path(plan.current, plan.target, direct=True)
    if staging.remaining and direct.refused and direct.phone_message:
        sentences.append(
            f"(A direct jump to {plan.target} would show '{direct.phone_message}': that is why "
            "this step comes first.)"
        )
    if verdict is not None and verdict.outcome is Outcome.UNKNOWN:
        sentences.append(f"Unverified: {verdict.reason}.")
    return " ".join(sentences)


_STATUS_WORDS: dict[str, str] = {
    "new": "copied from {source}",
    "same": "already there, same bytes",
    "in-root": "already there (not in the bundles)",
    "update": "rewritten: {previous} → {name}",
    "replace": "replaced by {source}",
    "differs": "NOT replaced: other bytes are there (use --force)",
    "missing": "MISSING",
    "ambiguous": "AMBIGUOUS: several different files of that name",
}


def _file_line(f: StagedFile, selector: FirmwareImage | None) -> str:
    source = f.source or "the staging"
    state = _STATUS_WORDS[f.status].format(
        source=source, previous=f.previous or "nothing", name=selector.name if selector else ""
    )
    if f.name == OS79XX and f.status in ("new", "replace"):
        state = f"written: names {selector}" + (f" (was {f.previous})" if f.previous else "")
    elif f.name == OS79XX and f.status == "differs":
        state = f"NOT rewritten: it names {f.previous or 'no image'} (use --force)"
    return f"{state} — {f.why}"


def report(staging: Staging) -> str:
    """The staging as text: the steps, each file, the configuration, the findings, what next."""
    plan = staging.plan
    out = [f"{plan.current} → {plan.target}, staged from {staging.source} into {staging.root}"]
    out.extend(f"  note: {note}" for note in plan.notes)
    total = len(plan.steps)
    for number, step in enumerate(staging.steps, start=1):
        out.append(f"  step {number} of {total}: {step}")
    if staging.files:
        out.append("files:")
        width = max(len(f.name) for f in staging.files)
        selector = next((f for f in staging.files if f.name == OS79XX), None)
        for f in staging.files:
            target = staging.selector if f is selector else None
            out.append(f"  {f.name.ljust(width)}  {_file_line(f, target)}")
    if staging.config:
        out.append("configuration:")
        for c in staging.config:
            where = f"{c.file}:{c.line}" if c.line else c.file
            value = shown(c.value) if c.value is not None else "(not set)"
            note = "" if c.used else " (overridden by every phone's own file)"
            out.append(f"  {where}: {c.setting} {value}{note}")
    if staging.diagnostics:
        out.append("findings:")
        out.extend(f"  {d}" for d in staging.diagnostics)
    if staging.written:
        out.append(f"written: {', '.join(staging.written)}")
    elif staging.blocked:
        out.append(f"nothing written to {staging.root}")
    elif staging.dry_run and staging.steps:
        out.append(f"nothing written to {staging.root}: a dry run")
    out.append(f"the phone: {staging.shows()}")
    if staging.blocked:
        out.append(f"once that is put right, run again: {staging.next_command()}")
    else:
        out.append(f"after it reboots: {staging.next_command()}")
    return "\n".join(out) + "\n"

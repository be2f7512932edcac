"""Upgrade planning: which images a phone must run, in which order, named in which file.

The rules are what Cisco documents and what people learned the hard way (spec §8):

* 79x0: old images (SCCP 3.x/5.x, SIP before 5.x) go through SIP 6.x before SIP 7.x/8.x; a
  direct jump fails with "Load ID Incorrect" (the exact intermediate, 6.3, comes from one
  report: uncertain).
* 79x0: old loaders (SIP up to 6.x, SCCP up to 5.x) cannot fetch a ``.loads`` package; to
  reach SIP 7.x/8.x or SCCP 6.x+ they are pointed by ``OS79XX.TXT`` at the universal
  application loader (``P003-…`` of the target version), which then fetches the target named
  in the configuration.
* 79x0: SCCP 8.1(2) needs 8.1(1) first ("File auth error").
* 79x0: SIP 5.x/6.x and later refuse to go back below 5.x.
* 79x1: loads older than 8.5(2) go through 8.5(2) before newer loads ("Auth Fail").

A plan that cannot work is returned with ``refused`` set (and the message the phone shows, where
one is known) rather than raised, so a tool can print it; :meth:`UpgradePlan.raise_for_refusal`
turns it into an :class:`UpgradeRefused` error.
"""

from __future__ import annotations

import re

import attrs

from ciscocfg._errors import CiscoCfgError, ValidationError
from ciscocfg.firmware._names import (
    _JAVA_FAMILY,
    FirmwareImage,
    FirmwareNameError,
    ImageRole,
    Protocol,
    parse,
)

__all__ = ["UpgradePlan", "UpgradeRefused", "UpgradeStep", "resolve", "upgrade_path"]

OS79XX = "OS79XX.TXT"
SEP = "SEP<MAC>.cnf.xml"
XMLDEFAULT = "XMLDefault.cnf.xml"
SIPMAC = "SIP<MAC>.cnf"
SIPDEFAULT = "SIPDefault.cnf"

_LOAD_ID_INCORRECT = "Load ID Incorrect"
_FILE_AUTH_ERROR = "File auth error"
_AUTH_FAIL = "Auth Fail"


@attrs.frozen
class UpgradeStep:
    """One image the phone must run, the file(s) that can name it, and why."""

    image: FirmwareImage
    #: Files that can name the image, the usual one first.
    named_in: tuple[str, ...]
    #: What in that file names it (``"the only line"``, ``"image_version"``, ``"loadInformation"``).
    setting: str
    reason: str
    #: True where the rule behind this step is not verified (spec confidence U).
    uncertain: bool = False

    def __str__(self) -> str:
        files = " or ".join(self.named_in)
        flag = " [uncertain]" if self.uncertain else ""
        return f"{self.image} — name it in {files} ({self.setting}): {self.reason}{flag}"


@attrs.frozen
class UpgradePlan:
    """The way from ``current`` to ``target``.

    ``steps`` is empty when the phone already runs the target or when the plan is ``refused``;
    ``phone_message`` is what the phone shows when the refused jump is tried anyway (``None``
    where no source records it); ``uncertain`` is true when any rule used is unverified.
    """

    current: FirmwareImage
    target: FirmwareImage
    steps: tuple[UpgradeStep, ...] = ()
    refused: bool = False
    reason: str = ""
    phone_message: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def uncertain(self) -> bool:
        """True when a step or the refusal rests on an unverified rule."""
        return any(step.uncertain for step in self.steps) or any(
            n.startswith("uncertain") for n in self.notes
        )

    def raise_for_refusal(self) -> None:
        """Raise :class:`UpgradeRefused` when the plan is refused."""
        if self.refused:
            raise UpgradeRefused(self)

    def __str__(self) -> str:
        head = f"{self.current} → {self.target}"
        lines = [head]
        if self.refused:
            lines.append(f"  refused: {self.reason}")
            if self.phone_message:
                lines.append(f"  the phone shows: {self.phone_message!r}")
        elif not self.steps:
            lines.append("  nothing to do: the phone already runs this image")
        for number, step in enumerate(self.steps, start=1):
            lines.append(f"  {number}. {step}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


class UpgradeRefused(CiscoCfgError):
    """An upgrade the phone is known to refuse; ``plan`` says why."""

    def __init__(self, plan: UpgradePlan) -> None:
        self.plan = plan
        self.phone_message = plan.phone_message
        message = f"{plan.current} → {plan.target}: {plan.reason}"
        if plan.phone_message:
            message += f" (the phone shows {plan.phone_message!r})"
        super().__init__(message)


# --- what an image is ---------------------------------------------------------------------------

_FAMILY_ALIASES: dict[str, str] = {}
for _fam in {*_JAVA_FAMILY.values(), "7940/7960", "7910", "7935", "7912", "7905", "7902"}:
    _FAMILY_ALIASES[_fam] = _fam
    for _model in _fam.split("/"):
        _FAMILY_ALIASES[_model] = _fam


def _family(name: str) -> str:
    key = name.strip().upper().removeprefix("CP-").removesuffix("G").removesuffix("G-GE")
    if key in _FAMILY_ALIASES:
        return _FAMILY_ALIASES[key]
    raise ValidationError(f"unknown phone family {name!r}")


_SHORTHAND = re.compile(
    r"(?P<proto>SIP|SCCP|MGCP)\s*v?(?P<major>\d{1,2})(?:\.(?P<minor>\d{1,2}|[xX]))?"
    r"(?:\((?P<maint>\d{1,2})(?:\.\d+)?\))?",
    re.IGNORECASE,
)


def _from_shorthand(text: str, family: str) -> FirmwareImage | None:
    """``"SCCP 3.x"``, ``"SIP 6.3"``, ``"SCCP 8.1(1)"``: an image name standing for that release."""
    m = _SHORTHAND.fullmatch(text.strip())
    if m is None:
        return None
    proto = m["proto"].upper()
    major = int(m["major"])
    minor = 0 if m["minor"] in (None, "x", "X") else int(m["minor"])
    maint = int(m["maint"] or 0)
    if family == "7940/7960":
        if proto == "SCCP":
            return parse(f"P003{major:02d}{minor:02d}{maint:02d}00")
        letter = "S" if proto == "SIP" else "M"
        return parse(f"P0{letter}3-{major:02d}-{minor}-{maint:02d}")
    models = [code for code, fam in _JAVA_FAMILY.items() if fam == family]
    if models and proto in ("SIP", "SCCP"):
        return parse(f"{proto}{models[0]}.{major}-{minor}-{maint}S")
    return None


def _coerce(value: str | FirmwareImage, family: str | None) -> FirmwareImage:
    if isinstance(value, FirmwareImage):
        return value
    try:
        return parse(value)
    except FirmwareNameError:
        image = _from_shorthand(value, family or "7940/7960")
        if image is None:
            raise
        return image


def resolve(text: str | FirmwareImage, *, family: str | None = None) -> FirmwareImage:
    """An image name (extension optional) or a release as the phone shows it, as an image.

    ``"P0S3-06-3-00"``, ``"P0S3-8-12-00.loads"``, ``"SCCP 3.x"``, ``"SIP 6.3"``,
    ``"SCCP 8.1(1)"``; ``family`` (a model such as ``"7961"`` or a family such as
    ``"7941/7961"``; 7940/7960 by default) says which phone a release shorthand is for. This is
    what :func:`upgrade_path` and ``ciscocfg check --running`` accept.

    Raises :class:`~ciscocfg.ParseError` for text that is neither, and
    :class:`~ciscocfg.ValidationError` for an unknown ``family`` or an image of another family.
    """
    fam = _family(family) if family is not None else None
    image = _stem(_coerce(text, fam))
    if fam is not None and image.family != fam:
        raise ValidationError(f"{image} is a {image.family} image, not {fam}")
    return image


def _major(image: FirmwareImage) -> int:
    return image.version[0] if image.version else 0


def boots_by_loads(image: FirmwareImage) -> bool:
    """Does this 79x0 image boot through the universal application loader (``.loads``)?

    Such an image cannot be fetched by a loader older than it, which asks for one ``.bin`` or
    ``.sbn`` file: the rule the planner, the boot check and the ``OS79XX.TXT`` lint share.
    """
    if image.scheme == "79x0-legacy":
        return False
    if image.protocol is Protocol.SIP:
        return _major(image) >= 7
    if image.protocol is Protocol.SCCP:
        return _major(image) >= 6
    return True  # MGCP images and loaders only exist in the .loads generation


def _release(image: FirmwareImage) -> str:
    protocol = image.protocol.value + " " if image.protocol else ""
    return protocol + image.display_version


def _split_name(text: str) -> str:
    try:
        return parse(text).name
    except FirmwareNameError:
        return text


def _stem(image: FirmwareImage) -> FirmwareImage:
    return parse(image.name) if image.extension else image


def _config_files(running: FirmwareImage, target: FirmwareImage) -> tuple[tuple[str, ...], str]:
    """Where a running 79x0 application looks for the name of its next image."""
    if running.protocol is Protocol.SIP and target.protocol is Protocol.SIP:
        return (SIPDEFAULT, SIPMAC), "image_version"
    return (SEP, XMLDEFAULT), "loadInformation (XMLDefault: loadInformation8/7)"


# --- 79x0 rules ----------------------------------------------------------------------------------


@attrs.frozen
class _Detour:
    via: FirmwareImage
    rule: str
    phone_message: str | None
    #: The stop on the way is not verified.
    uncertain: bool
    #: That the direct jump fails is not verified either (an inference from a nearby case).
    jump_uncertain: bool = False


@attrs.frozen
class _Refusal:
    reason: str
    phone_message: str | None
    uncertain: bool


def _rule_79x0(current: FirmwareImage, target: FirmwareImage) -> _Detour | _Refusal | None:
    sip = Protocol.SIP
    if current.protocol is sip and _major(current) >= 5 and _major(target) < 5:
        return _Refusal(
            "SIP 5.x and later images refuse to go back to images older than 5.x",
            None,
            False,
        )
    old = not boots_by_loads(current) and not (
        current.protocol is sip and 5 <= _major(current) <= 6
    )
    if old and target.protocol is sip and _major(target) >= 7:
        return _Detour(
            parse("P0S3-06-3-00"),
            "an old image must run SIP 6.x before SIP 7.x/8.x; SIP 6.3 is the release reported "
            "to work",
            _LOAD_ID_INCORRECT,
            True,
        )
    if (
        current.protocol is Protocol.SCCP
        and target.protocol is Protocol.SCCP
        and current.sort_key < parse("P00308010100").sort_key
        and target.sort_key >= parse("P00308010200").sort_key
    ):
        exact = target.version[:3] == (8, 1, 2) and not target.service_release
        return _Detour(
            parse("P00308010100"),
            "SCCP 8.1(2) and later need 8.1(1) first",
            _FILE_AUTH_ERROR,
            not exact,
            not exact,
        )
    return None


def _steps_79x0(running: FirmwareImage, target: FirmwareImage) -> list[UpgradeStep]:
    """The steps of one jump the rules allow."""
    files, setting = _config_files(running, target)
    if not boots_by_loads(running) and boots_by_loads(target) and target.scheme == "79x0":
        # The 7940 story: OS79XX.TXT naming P0S3-08-2-00 did nothing; naming the loader
        # P003-08-2-00 did, and the loader then fetched the SIP package.
        loader = parse("P003" + target.name[4:])
        if target.protocol is Protocol.SIP:
            files, setting = (SIPMAC, SIPDEFAULT, XMLDEFAULT), "image_version (XMLDefault: "
            setting += "loadInformation8/7)"
        return [
            UpgradeStep(
                loader,
                (OS79XX,),
                "the only line",
                f"{_release(running)} cannot fetch a .loads package: its loader reads "
                f"OS79XX.TXT and boots the universal application loader {loader.name} "
                "(naming the application there does nothing)",
            ),
            UpgradeStep(
                target,
                files,
                setting,
                f"the universal loader hunts for the configuration and fetches "
                f"{target.name}.loads, then the .sbn loader and the .sb2 application it names",
            ),
        ]
    if not boots_by_loads(running) and running.name[:4] != target.name[:4]:
        return [
            UpgradeStep(
                target,
                (OS79XX,),
                "the only line",
                "the loader compares the first four characters with the running image and "
                "loads the named image when they differ",
                uncertain=boots_by_loads(target),
            )
        ]
    if running.protocol is target.protocol:
        why = "the running application upgrades to the image its configuration names"
    else:
        why = (
            "the universal loader probes SEP<MAC>.cnf.xml first, so an image named there "
            "switches the protocol"
        )
    return [
        UpgradeStep(target, files, setting, why, boots_by_loads(running) != boots_by_loads(target))
    ]


def _sccp_oddity(current: FirmwareImage, target: FirmwareImage) -> bool:
    """The one 7960G on SIP 8.12 that kept its application when told SCCP 8.0(5) or later."""
    return (
        current.protocol is Protocol.SIP
        and current.sort_key >= parse("P0S3-08-12-00").sort_key
        and target.protocol is Protocol.SCCP
        and target.sort_key >= parse("P00308000500").sort_key
    )


def _plan_79x0(
    current: FirmwareImage, target: FirmwareImage, direct: bool
) -> tuple[list[UpgradeStep], _Refusal | None, list[str]]:
    steps: list[UpgradeStep] = []
    notes: list[str] = []
    running = current
    for _ in range(6):
        verdict = _rule_79x0(running, target)
        if isinstance(verdict, _Refusal):
            return [], verdict, notes
        if isinstance(verdict, _Detour):
            if direct:
                return (
                    [],
                    _Refusal(
                        f"{verdict.rule}; run {verdict.via} first",
                        verdict.phone_message,
                        verdict.uncertain,
                    ),
                    notes,
                )
            hop = _steps_79x0(running, verdict.via)
            hop[-1] = attrs.evolve(
                hop[-1], reason=verdict.rule, uncertain=hop[-1].uncertain or verdict.uncertain
            )
            steps.extend(hop)
            running = verdict.via
            continue
        steps.extend(_steps_79x0(running, target))
        break
    if _sccp_oddity(current, target):
        notes.append(
            "uncertain: one 7960G on SIP 8.12 fetched SCCP 8.0(5)+ twice and kept its old "
            "application without an error"
        )
    return steps, None, notes


# --- 79x1 rules ----------------------------------------------------------------------------------


def _java_gate(current: FirmwareImage, target: FirmwareImage) -> _Detour | None:
    """Loads older than 8.5(2) cannot jump past it ("Auth Fail", spec §8.2)."""
    model = target.name.split(".")[0][-2:]
    prefix = (target.protocol or Protocol.SCCP).value
    gate = parse(f"{prefix}{model}.8-5-2S")
    if current.sort_key < gate.sort_key < target.sort_key:
        return _Detour(
            gate, "loads older than 8.5(2) must run 8.5(2) before newer loads", _AUTH_FAIL, False
        )
    return None


def _plan_java(
    current: FirmwareImage, target: FirmwareImage, direct: bool
) -> tuple[list[UpgradeStep], _Refusal | None, list[str]]:
    files = (SEP, XMLDEFAULT)
    setting = "loadInformation"
    steps: list[UpgradeStep] = []
    gate = _java_gate(current, target)
    if gate is not None:
        if direct:
            return (
                [],
                _Refusal(
                    f"loads older than 8.5(2) cannot jump to newer loads; run {gate.via} first",
                    gate.phone_message,
                    False,
                ),
                [],
            )
        steps.append(UpgradeStep(gate.via, files, setting, gate.rule))
    why = "SIP or SCCP follows the load named in loadInformation (and deviceProtocol)"
    steps.append(UpgradeStep(target, files, setting, why))
    return steps, None, []


# --- the entry point -----------------------------------------------------------------------------


def upgrade_path(
    current: str | FirmwareImage,
    target: str | FirmwareImage,
    *,
    family: str | None = None,
    direct: bool = False,
) -> UpgradePlan:
    """Plan the images a phone running ``current`` must take to reach ``target``.

    ``current`` and ``target`` are image names (extension optional) or, with ``family`` (a
    model such as ``"7940"`` or a family such as ``"7941/7961"``; 7940/7960 by default),
    releases written like the phone shows them: ``"SCCP 3.x"``, ``"SIP 6.3"``,
    ``"SCCP 8.1(1)"``. ``direct=True`` judges the single jump instead of planning a path: a jump
    that needs a detour is then refused with the message the phone shows.

    Raises :class:`~ciscocfg.ParseError` for names that are not image names and
    :class:`~ciscocfg.ValidationError` for an unknown ``family``.
    """
    fam = _family(family) if family is not None else None
    cur = resolve(current, family=family)
    tgt = _stem(_coerce(target, fam))
    read_as = tuple(
        f"{given!r} read as {image}"
        for given, image in ((current, cur), (target, tgt))
        if isinstance(given, str) and _split_name(given) != image.name
    )

    def refused(
        reason: str, message: str | None = None, notes: tuple[str, ...] = ()
    ) -> UpgradePlan:
        return UpgradePlan(cur, tgt, (), True, reason, message, notes)

    if cur.family != tgt.family:
        return refused(f"{cur} is a {cur.family} image and {tgt} a {tgt.family} image")
    if tgt.role is ImageRole.LOADER:
        return refused(
            f"{tgt} is the universal application loader: plan towards the application image "
            "(the loader comes with it)"
        )
    if tgt.role in (ImageRole.COMPONENT, ImageRole.DEFAULT_POINTER):
        return refused(f"{tgt} is not a load a phone can be told to run; name the load")
    if cur.sort_key == tgt.sort_key and cur.protocol is tgt.protocol:
        return UpgradePlan(cur, tgt, notes=read_as)
    if cur.family == "7940/7960":
        steps, refusal, notes = _plan_79x0(cur, tgt, direct)
    elif cur.scheme == "java" and tgt.scheme == "java":
        steps, refusal, notes = _plan_java(cur, tgt, direct)
    else:
        steps = [
            UpgradeStep(
                tgt,
                (SEP, XMLDEFAULT),
                "loadInformation",
                "no upgrade rules are known for this family",
                uncertain=True,
            )
        ]
        refusal, notes = None, []
    if refusal is not None:
        extra = ("uncertain: the rule behind this refusal is not verified",)
        return refused(refusal.reason, refusal.phone_message, extra if refusal.uncertain else ())
    return UpgradePlan(cur, tgt, tuple(steps), notes=read_as + tuple(notes))

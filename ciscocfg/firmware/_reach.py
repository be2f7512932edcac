"""Does a phone running one image reach the image its configuration names, with the files a
TFTP root holds? What does it show, where does it stop?

:func:`reach` follows the phone boot after boot, with the same rules as the planner
(:func:`~ciscocfg.firmware.upgrade_path`: one rule function answers both) and the files it
would ask for:

* an image older than the universal loader reads ``OS79XX.TXT`` first: when its first four
  characters differ from the running image's, the loader fetches the image named there, as
  ``<name>.bin`` if the running image predates signed images (SIP and SCCP before 5.x) and as
  ``<name>.sbn`` otherwise; naming the universal application loader (``P003-…``) there makes
  it hunt for the configuration and fetch the target's ``.loads``;
* with the same first four characters (or no ``OS79XX.TXT``) an old application stays: an old
  SIP application cannot fetch a ``.loads`` package, an old SCCP one does not read
  ``SIP<MAC>.cnf``;
* the universal loader (SIP 7.x and later, SCCP 6.x and later) and the Java-based phones fetch
  ``<target>.loads`` and then every file it names; a phone that already runs the target asks
  for the ``.loads`` and, finding it or not, keeps its image (the story's boot log);
* a jump a rule refuses ends there, with the message the phone shows.

Where the rules or the files leave the outcome open (a rule inferred rather than reported,
a family with no known rules, a phone that may or may not take the other form of a file),
the verdict is :attr:`Outcome.UNKNOWN` rather than a guessed failure.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping

import attrs

from ciscocfg._errors import CiscoCfgError
from ciscocfg.firmware._loads import parse_loads
from ciscocfg.firmware._names import FirmwareImage, ImageRole, Protocol
from ciscocfg.firmware._upgrade import (
    OS79XX,
    UpgradePlan,
    _coerce,
    _Detour,
    _java_gate,
    _major,
    _Refusal,
    _release,
    _rule_79x0,
    _sccp_oddity,
    _stem,
    boots_by_loads,
    upgrade_path,
)

__all__ = ["BootVerdict", "Outcome", "reach"]

#: Where a phone gets a file: the bytes, or ``None`` when the server has no such file.
FileSource = Mapping[str, bytes] | Callable[[str], "bytes | None"]


class Outcome(enum.Enum):
    """How a boot ends, as far as the firmware goes."""

    #: The phone already runs the image named: it keeps it.
    ALREADY = "already"
    #: The files and the rules take the phone to the image named.
    REACHED = "reached"
    #: Nothing in the tree moves the phone on: it keeps the image it runs.
    STUCK = "stuck"
    #: The phone refuses a jump (``phone_message`` says what it shows, where known).
    REFUSED = "refused"
    #: A file the phone asks for on the way is not there (``missing``).
    MISSING = "missing"
    #: The library cannot tell what the phone does.
    UNKNOWN = "unknown"


#: Where a missing file stops the phone.
Stage = str  # "loads" (the .loads descriptor), "part" (a file it names), "image"


@attrs.frozen
class BootVerdict:
    """What a phone running ``current`` does when its configuration names ``target``."""

    #: The image the phone runs now (``None``: not known).
    current: FirmwareImage | None
    target: FirmwareImage
    outcome: Outcome
    #: Why, in words.
    reason: str
    #: The images the phone boots on its way, in order (a loader stage included).
    path: tuple[FirmwareImage, ...] = ()
    #: What the phone shows, where a source records it.
    phone_message: str | None = None
    #: The files the phone asks for in vain, the one that stops it first.
    missing: tuple[str, ...] = ()
    #: For a missing file: ``"loads"``, ``"part"`` (named by ``named_by``) or ``"image"`` (the one
    #: file an image older than the universal loader fetches for the image ``OS79XX.TXT`` or
    #: ``image_version`` names: ``.bin`` or ``.sbn``).
    stage: Stage | None = None
    named_by: str | None = None
    #: The files the phone asked for, found or not, in order.
    asked: tuple[str, ...] = ()
    #: The planner's way from ``current`` to ``target`` (``None`` when ``current`` is unknown
    #: or of another family).
    plan: UpgradePlan | None = None
    #: What the planner says of the single jump ``current`` → ``target``.
    direct: UpgradePlan | None = None

    @property
    def boots(self) -> bool:
        """True when the phone ends up running ``target``."""
        return self.outcome in (Outcome.ALREADY, Outcome.REACHED)

    @property
    def runs(self) -> FirmwareImage | None:
        """The image the phone runs at the end, as far as known."""
        if self.boots:
            return self.target
        apps = [image for image in self.path if image.role is ImageRole.APPLICATION]
        return apps[-1] if apps else self.current

    def advice(self) -> str:
        """The way to take, from the planner, in one phrase."""
        plan = self.plan
        if plan is None:
            return ""
        if plan.refused:
            return plan.reason
        if not plan.steps:
            return ""
        way = " → ".join([str(plan.current), *(str(step.image) for step in plan.steps)])
        selector = [str(s.image) for s in plan.steps if s.named_in == (OS79XX,)]
        named = f" (name {', then '.join(selector)} in {OS79XX})" if selector else ""
        return f"take the way {way}{named}"


def _getter(files: FileSource) -> Callable[[str], bytes | None]:
    if isinstance(files, Mapping):
        return files.get
    return files


def _same(a: FirmwareImage, b: FirmwareImage) -> bool:
    return (
        a.family == b.family
        and a.role is b.role
        and a.protocol is b.protocol
        and a.sort_key == b.sort_key
    )


def _signs(image: FirmwareImage) -> bool:
    """Does this 79x0 image check signatures (and so fetch ``.sbn`` rather than ``.bin``)?"""
    return image.scheme != "79x0-legacy" and _major(image) >= 5


def _ships_loads(image: FirmwareImage) -> bool:
    """Does the phone fetch this image as ``<name>.loads`` plus the files it names?"""
    if image.scheme in ("79x0", "79x0-sccp", "79x0-sccp-sr"):
        return image.family == "7940/7960" and boots_by_loads(image)
    return image.scheme in ("java", "other-phone")


class _Walk:
    """One phone's boots, file by file."""

    def __init__(
        self,
        current: FirmwareImage | None,
        target: FirmwareImage,
        get: Callable[[str], bytes | None],
        plan: UpgradePlan | None,
        direct: UpgradePlan | None,
    ) -> None:
        self.current = current
        self.target = target
        self._get = get
        self.plan = plan
        self.direct = direct
        self.asked: list[str] = []
        self.path: list[FirmwareImage] = []
        self._cache: dict[str, bytes | None] = {}

    def get(self, name: str) -> bytes | None:
        if name not in self._cache:
            self._cache[name] = self._get(name)
            self.asked.append(name)
        return self._cache[name]

    def verdict(self, outcome: Outcome, reason: str, **more: object) -> BootVerdict:
        return BootVerdict(
            self.current,
            self.target,
            outcome,
            reason,
            path=tuple(self.path),
            asked=tuple(self.asked),
            plan=self.plan,
            direct=self.direct,
            **more,  # type: ignore[arg-type]
        )

    def rule(self, running: FirmwareImage, verdict: _Detour | _Refusal) -> BootVerdict:
        """A jump a rule stops: refused, or unknown where the rule is an inference."""
        if isinstance(verdict, _Refusal):
            reason, uncertain = verdict.reason, verdict.uncertain
        else:
            reason, uncertain = verdict.rule, verdict.jump_uncertain
        if uncertain:
            return self.verdict(
                Outcome.UNKNOWN,
                f"{running} → {self.target} may be refused ({reason}: an inference, not a report)",
                phone_message=verdict.phone_message,
            )
        return self.verdict(Outcome.REFUSED, reason, phone_message=verdict.phone_message)

    def load(self, running: FirmwareImage | None) -> BootVerdict:
        """Fetch the target's ``.loads`` and the files it names; ``running`` keeps on failure."""
        target = self.target
        name = f"{target.name}.loads"
        keeps = f"keeps {running}" if running is not None else "keeps the image it runs"
        data = self.get(name)
        if data is None:
            return self.verdict(
                Outcome.MISSING,
                f"{name} is not there: the phone {keeps}",
                missing=(name,),
                stage="loads",
            )
        try:
            parts = parse_loads(data, source=name).files
        except CiscoCfgError as exc:
            return self.verdict(
                Outcome.MISSING,
                f"{name} is not a .loads descriptor the phone can read "
                f"({getattr(exc, 'message', exc)}): the phone {keeps}",
                missing=(name,),
                stage="loads",
            )
        absent = tuple(part for part in parts if self.get(part) is None)
        if absent:
            return self.verdict(
                Outcome.MISSING,
                f"{', '.join(absent)}, named by {name}, "
                + ("is" if len(absent) == 1 else "are")
                + " not there: the upgrade stops half way",
                missing=absent,
                stage="part",
                named_by=name,
                phone_message="Protocol Application Invalid",
            )
        self.path.append(target)
        return self.verdict(Outcome.REACHED, f"the phone fetches {name} and the files it names")


def _fetch_old(
    walk: _Walk, running: FirmwareImage, image: FirmwareImage, why: str
) -> BootVerdict | None:
    """An image older than the universal loader fetches ``image`` as one file; ``None`` when
    the file is there (the image then runs)."""
    wanted, other = (".sbn", ".bin") if _signs(running) else (".bin", ".sbn")
    name = image.name + wanted
    if walk.get(name) is None:
        spare = image.name + other
        if _signs(running) and walk.get(spare) is not None:
            return walk.verdict(
                Outcome.UNKNOWN,
                f"{why}; {_release(running)} checks signatures and asks for {name}, and only "
                f"{spare} is here, which it may refuse ('Image Authentication Failed')",
            )
        return walk.verdict(
            Outcome.MISSING,
            f"{why}, and {_release(running)} asks for {name}, which is not there: the phone "
            f"keeps {running}",
            missing=(name,),
            stage="image",
        )
    walk.path.append(image)
    return None


def _walk_79x0(walk: _Walk, selector: FirmwareImage | None, config: str) -> BootVerdict:
    target = walk.target
    running = walk.current
    assert running is not None
    application = running
    loader: FirmwareImage | None = None
    for _ in range(8):
        if loader is None and _same(running, target):
            return walk.verdict(Outcome.REACHED, f"the phone boots {target}")
        if loader is not None or boots_by_loads(running):
            verdict = _rule_79x0(application, target)
            if verdict is not None:
                return walk.rule(application, verdict)
            done = walk.load(running if loader is None else None)
            if done.boots and _sccp_oddity(application, target):
                return walk.verdict(
                    Outcome.UNKNOWN,
                    "one 7960G on SIP 8.12 fetched SCCP 8.0(5) and later twice and kept its old "
                    "application without an error; others take it",
                )
            if not done.boots and loader is not None:
                return attrs.evolve(
                    done,
                    reason=done.reason.replace("keeps the image it runs", f"stays in {loader}"),
                )
            return done
        # An image older than the universal loader: OS79XX.TXT first.
        if selector is not None and selector.name[:4].upper() != running.name[:4].upper():
            if selector.role is ImageRole.APPLICATION:
                verdict = _rule_79x0(running, selector)
                if verdict is not None:
                    return walk.rule(running, verdict)
                if boots_by_loads(selector):
                    # The planner marks this step unverified: the package of a .loads-era
                    # application is made for the universal loader, not for an old one.
                    return walk.verdict(
                        Outcome.UNKNOWN,
                        f"OS79XX.TXT names the .loads-era application {selector}; whether the "
                        f"loader of {_release(running)} boots it directly is not verified (the "
                        f"known way names the universal application loader there)",
                    )
            failed = _fetch_old(walk, running, selector, f"OS79XX.TXT names {selector}")
            if failed is not None:
                return failed
            if selector.role is ImageRole.LOADER:
                loader = selector
                running = selector
                continue
            running = application = selector
            continue
        # The old application runs: OS79XX.TXT does not move it.
        if selector is None:
            where = "there is no OS79XX.TXT"
        else:
            where = (
                f"OS79XX.TXT names {selector}, whose first four characters are those of "
                f"{running}, so the loader does nothing"
            )
        sip = running.protocol is Protocol.SIP
        if config == "xml":
            if sip:
                return walk.verdict(
                    Outcome.STUCK,
                    f"a {_release(running)} application does not read loadInformation, and "
                    f"{where}: the phone keeps {running}",
                )
            return walk.verdict(
                Outcome.UNKNOWN,
                f"how an {_release(running)} application fetches {target} named by "
                "loadInformation is not verified",
            )
        if not sip:
            return walk.verdict(
                Outcome.STUCK,
                f"an {_release(running)} application does not read SIP<MAC>.cnf, and {where}: "
                f"the phone keeps {running}",
            )
        if boots_by_loads(target):
            return walk.verdict(
                Outcome.STUCK,
                f"{_release(running)} cannot fetch a .loads package, and {where}: the phone "
                f"keeps {running}",
            )
        verdict = _rule_79x0(running, target)
        if verdict is not None:
            return walk.rule(running, verdict)
        failed = _fetch_old(walk, running, target, f"image_version names {target}")
        if failed is not None:
            return failed
        running = application = target
    return walk.verdict(Outcome.UNKNOWN, "OS79XX.TXT sends the phone round in a loop")


def reach(
    current: str | FirmwareImage | None,
    target: str | FirmwareImage,
    files: FileSource,
    *,
    selector: str | FirmwareImage | None = None,
    config: str = "sip",
    family: str | None = None,
) -> BootVerdict:
    """Follow a phone running ``current`` whose configuration names ``target``.

    ``files`` maps the names a TFTP root holds to their bytes (or is a function giving the bytes
    or ``None``); ``.loads`` descriptors are read to find the files they name. ``selector`` is
    the image ``OS79XX.TXT`` names (``None`` without that file); ``config`` says where the
    phone's configuration names ``target``: ``"sip"`` (``image_version`` of the ``.cnf`` files)
    or ``"xml"`` (``loadInformation``). ``current`` and ``target`` are
    read as :func:`resolve` reads them (``"SCCP 3.x"`` included, for ``family``);
    ``current=None`` means "not known": then only the files are judged.

    The rules are the planner's (:func:`upgrade_path`), and ``plan`` carries its way for
    advice. Raises :class:`~ciscocfg.ParseError` for a name that is not an image name.
    """
    from ciscocfg.firmware._upgrade import _family

    fam = _family(family) if family is not None else None
    cur = _stem(_coerce(current, fam)) if current is not None else None
    tgt = _stem(_coerce(target, fam))
    sel = _stem(_coerce(selector, fam)) if selector is not None else None
    get = _getter(files)
    if cur is None:
        walk = _Walk(None, tgt, get, None, None)
        if not _ships_loads(tgt):
            return walk.verdict(
                Outcome.UNKNOWN, f"which files a phone fetches for {tgt} is not known"
            )
        return walk.load(None)
    if cur.family != tgt.family:
        walk = _Walk(cur, tgt, get, None, None)
        return walk.verdict(
            Outcome.UNKNOWN,
            f"{cur} is a {cur.family} image and {tgt} a {tgt.family} image: this phone cannot be "
            "running the one given",
        )
    plan = upgrade_path(cur, tgt)
    direct = upgrade_path(cur, tgt, direct=True)
    walk = _Walk(cur, tgt, get, plan, direct)
    if _same(cur, tgt):
        name = f"{tgt.name}.loads"
        if _ships_loads(tgt) and walk.get(name) is None:
            return walk.verdict(
                Outcome.ALREADY,
                f"the phone already runs {tgt}: it asks for {name}, does not find it and keeps "
                "its image",
                missing=(name,),
                stage="loads",
            )
        return walk.verdict(Outcome.ALREADY, f"the phone already runs {tgt}")
    if tgt.role is not ImageRole.APPLICATION:
        return walk.verdict(Outcome.REFUSED, plan.reason)
    if cur.family == "7940/7960":
        return _walk_79x0(walk, sel, config)
    if cur.scheme == "java" and tgt.scheme == "java":
        gate = _java_gate(cur, tgt)
        if gate is not None:
            return walk.rule(cur, gate)
        return walk.load(cur)
    return walk.verdict(Outcome.UNKNOWN, f"no upgrade rules are known for the {cur.family}")

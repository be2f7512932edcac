"""What the root's configuration names where the planner names a step (``image_version``,
``loadInformation``), and what to set where it does not name the step's image."""

from __future__ import annotations

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._errors import CiscoCfgError
from ciscocfg.firmware._names import FirmwareImage
from ciscocfg.firmware._stage_files import Root
from ciscocfg.firmware._stage_model import ConfigSetting
from ciscocfg.firmware._upgrade import (
    SEP,
    SIPDEFAULT,
    SIPMAC,
    XMLDEFAULT,
    UpgradeStep,
)

__all__ = ["config_findings", "read_config", "shown"]


def _device_types(image: FirmwareImage) -> list[int]:
    from ciscocfg._phones import MODELS

    models = image.models
    return sorted(
        {m.device_type for name, m in MODELS.items() if any(name.startswith(x) for x in models)}
    )


def read_config(root: Root, step: UpgradeStep) -> list[ConfigSetting]:
    """What each file of ``root`` that can name ``step`` names, in the order the planner gives
    the files; a ``SIPDefault.cnf`` value is marked unused when every phone's own file sets
    ``image_version``."""
    from ciscocfg import cnf, sepxml
    from ciscocfg._phonefiles import classify
    from ciscocfg._text import decode_bytes

    kinds = {
        SIPMAC: "sip_cnf",
        SEP: "sep_xml",
    }
    from ciscocfg.provision._read import cfg_dir

    found: list[ConfigSetting] = []
    # The SIP application reads its own file in tftp_cfg_dir; the loader, at the top.
    folder = cfg_dir(root.get(SIPDEFAULT))
    names = root.names() + (root.names(folder) if folder else [])
    per_phone = {
        kind: [
            n
            for n in names
            if (m := classify(n.rsplit("/", 1)[-1])) is not None and m.exact and m.kind == kind
        ]
        for kind in kinds.values()
    }
    own_values: list[str | None] = []
    default: ConfigSetting | None = None
    for wanted in step.named_in:
        if wanted in (SIPMAC, SIPDEFAULT):
            files = per_phone["sip_cnf"] if wanted == SIPMAC else [SIPDEFAULT]
            for name in files:
                data = root.get(name)
                if data is None:
                    continue
                view = cnf.phone_view(cnf.loads(decode_bytes(data), strict=False, source=name))
                entries = [s for s in view.settings if s.key == "image_version"]
                value = entries[-1].value.strip(" \t") if entries else None
                line = entries[-1].line if entries else None
                setting = ConfigSetting(name, "image_version", value, line)
                if wanted == SIPMAC:
                    own_values.append(value)
                    found.append(setting)
                else:
                    default = setting
        elif wanted == SEP:
            for name in per_phone["sep_xml"]:
                data = root.get(name)
                if data is None:
                    continue
                try:
                    value = (sepxml.loads(data).load_information or "").strip() or None
                except CiscoCfgError:
                    value = None
                found.append(ConfigSetting(name, "loadInformation", value))
        elif wanted == XMLDEFAULT:
            data = root.get(XMLDEFAULT)
            if data is None:
                continue
            try:
                loads = sepxml.loads(data).default_loads
            except CiscoCfgError:
                continue
            types = _device_types(step.image)
            found.extend(
                ConfigSetting(
                    XMLDEFAULT,
                    f"loadInformation{entry.device_type}",
                    entry.load.strip() or None,
                    entry.line,
                )
                for entry in loads
                if entry.device_type in types
            )
    if default is not None:
        # A phone whose own file sets image_version does not read the shared one.
        used = not own_values or any(value is None for value in own_values)
        found.insert(0, attrs.evolve(default, used=used))
    return found


def config_findings(step: UpgradeStep, settings: list[ConfigSetting]) -> list[Diagnostic]:
    """Where the step's image is named (``STG011``), where another is (``STG012``: an error
    when no phone reads the right one), or that none is named where the phone reads
    (``STG010``), with what to set."""
    name = step.image.name
    findings: list[Diagnostic] = []
    right = [s for s in settings if s.used and s.value == name]
    for setting in settings:
        if not setting.used or setting.value is None:
            continue
        if setting.value == name:
            findings.append(
                Diagnostic(
                    "STG011",
                    "info",
                    f"{setting.setting} names {name}: a phone reading it takes the step",
                    line=setting.line,
                    source=setting.file,
                )
            )
        else:
            findings.append(
                Diagnostic(
                    "STG012",
                    "error" if not right else "warning",
                    f"{setting.setting} names {shown(setting.value)}: a phone reading it does "
                    f"not take the step to {name}; set {setting.setting} to {name}",
                    line=setting.line,
                    source=setting.file,
                )
            )
    if not any(s.used and s.value is not None for s in settings):
        usual = step.named_in[0]
        what = "image_version" if usual in (SIPMAC, SIPDEFAULT) else "loadInformation"
        line = f"image_version: {name}" if what == "image_version" else f"<{what}>{name}</{what}>"
        findings.append(
            Diagnostic(
                "STG010",
                "error",
                f"no file of the root names {name} where the phone reads it: the phone does not "
                f"take the step; name it in {' or '.join(step.named_in)} ({step.setting}), "
                f"e.g. {line!r} in {usual}",
                source=usual,
            )
        )
    return findings


def shown(value: str) -> str:
    """A value as written, quoted where blanks or invisible characters would hide in it."""
    plain = value.isascii() and value.isprintable() and value == value.strip()
    return value if plain else repr(value)

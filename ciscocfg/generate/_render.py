"""A phone's files from its description, as bytes, built and checked by the library's codecs.

Pure: nothing here reads or writes a file. :func:`render` gives every file a phone needs;
:func:`render_file` one file by the name the phone asks for (what a server generating files on
request calls). Each file is built with its codec (``cnf.Document`` edits, the ``sepxml``
builder, ``dialplan``, ``os79xx``) and checked by the codec's validator before it is returned:
the description was checked when it was made, so an error finding here is a bug, raised as
:class:`AssertionError`; warnings and notes are handed back with the files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import attrs

from ciscocfg._diagnostic import Diagnostic
from ciscocfg._phonefiles import canonical_name
from ciscocfg._text import encode_text
from ciscocfg._xml import escape_text
from ciscocfg.cnf._validate import Kind
from ciscocfg.firmware import FirmwareImage
from ciscocfg.generate._dialplan import default_dialplan
from ciscocfg.generate._spec import PhoneSpec

__all__ = [
    "DIALPLAN",
    "OS79XX",
    "SHARED_FILES",
    "SIPDEFAULT",
    "Rendering",
    "contradictions",
    "file_names",
    "os79xx_image",
    "render",
    "render_file",
    "shared_settings",
]

SIPDEFAULT = "SIPDefault.cnf"
OS79XX = "OS79XX.TXT"
DIALPLAN = "dialplan.xml"
#: Files every phone of a tree reads: written only where the tree has none.
SHARED_FILES = (SIPDEFAULT, OS79XX, DIALPLAN)
# dial_template names the stem; the phone adds ".xml".
_DIAL_TEMPLATE = DIALPLAN.removesuffix(".xml")


@attrs.frozen
class Rendering:
    """The files of one phone (or of a tree), in the order to write them, and the findings.

    ``files`` maps each name (relative to the TFTP root) to its bytes; shared files the tree
    already has are not in it but in ``kept``. ``findings`` holds the validators' warnings and
    notes about the files, and what a kept shared file contradicts (``GENnnn`` codes).
    """

    files: Mapping[str, bytes]
    findings: tuple[Diagnostic, ...] = ()
    kept: tuple[str, ...] = ()


def file_names(spec: PhoneSpec) -> tuple[str, ...]:
    """The names of every file ``spec``'s phone reads, its own first, as the phone spells them."""
    return _names(spec.is_79x1, spec.mac)


def _names(is_79x1: bool, mac: str) -> tuple[str, ...]:
    if is_79x1:
        return (canonical_name("sep_xml", mac), DIALPLAN)
    return (canonical_name("sip_cnf", mac), SIPDEFAULT, OS79XX, DIALPLAN)


def render_file(spec: PhoneSpec, name: str) -> bytes | None:
    """The bytes of the file ``name`` for ``spec``'s phone, or ``None`` when it reads no such file.

    Names are case-sensitive, as on the phone and a Unix TFTP server. The bytes are those of
    :func:`render`, made for a server that builds files on request: a shared file is built and
    checked once per distinct input; a phone's own file of a description made by
    :meth:`PhoneSpec.create` is its model's template (built by the codec and checked by its
    validator once per model, image and shape) with the description's values put in, values
    which ``create`` checked by the validator's own rules for those keys.
    """
    if name not in file_names(spec):
        return None
    if name in _BUILDERS:
        return _shared_bytes(spec, name)
    if spec._checked:
        template = _own_template(_template_key(spec))
        if template is not None:
            return template.fill(_own_values(spec))
    return _built(spec, name)[0]


@functools.lru_cache(maxsize=4096)
def _built(spec: PhoneSpec, name: str) -> tuple[bytes, tuple[Diagnostic, ...]]:
    """The file's bytes and its validator's findings (errors were refused as bugs)."""
    builder = _BUILDERS.get(name)
    if builder is None:
        builder = _sep_xml if spec.is_79x1 else _sip_cnf
    data, found = builder(spec)
    errors = [d for d in found if d.severity == "error"]
    if errors:
        raise AssertionError(f"{name} as generated fails its validator: {errors}")
    return data, tuple(d if d.source == name else attrs.evolve(d, source=name) for d in found)


def render(spec: PhoneSpec, *, existing: Mapping[str, bytes] | None = None) -> Rendering:
    """Every file ``spec``'s phone needs, checked, with findings.

    ``existing`` holds the shared files (:data:`SHARED_FILES`) the tree already has, by name:
    they are kept, not rendered, and what they contradict is reported (``GEN001``-``GEN004``).
    """
    have = existing or {}
    files: dict[str, bytes] = {}
    kept: list[str] = []
    findings: list[Diagnostic] = []
    for name in file_names(spec):
        if name in have:
            kept.append(name)
            findings.extend(contradictions(spec, name, have[name]))
            continue
        data, found = _built(spec, name)
        files[name] = data
        findings.extend(found)
    return Rendering(files, tuple(findings), tuple(kept))


# -- 79x0 ------------------------------------------------------------------------------------


def shared_settings(spec: PhoneSpec) -> dict[str, str]:
    """The ``SIPDefault.cnf`` settings a 79x0 phone of ``spec`` is made for, in file order.

    Settings of the whole tree: the dial plan, codec and DTMF, and the time the user gave.
    """
    settings = {
        "dial_template": _DIAL_TEMPLATE,
        "preferred_codec": "g711ulaw",
        "dtmf_outofband": "avt",
        "dtmf_avt_payload": "101",
        "time_format_24hr": "1",
    }
    if spec.ntp:
        settings["sntp_mode"] = "unicast"
        settings["sntp_server"] = spec.ntp
    if spec.timezone:
        settings["time_zone"] = spec.timezone
        settings["dst_auto_adjust"] = "1"
    return settings


# Settings whose value in an existing SIPDefault.cnf decides whether the phone works as made;
# the others (codec, DTMF, clock format) are the tree owner's to choose.
_MUST_AGREE = ("dial_template", "sntp_mode", "sntp_server", "time_zone")


@functools.lru_cache(maxsize=64)
def _cnf_template(header: str, keys: tuple[str, ...]) -> str:
    """The layout of a generated ``.cnf``: one quoted line per key, in order, after the header.

    Building it appends line by line (the document's style for new lines); each file then only
    rewrites values in place, which is cheap.
    """
    from ciscocfg import cnf

    doc = cnf.loads(header)
    for key in keys:
        doc[key] = "-"
    return doc.dumps()


def _cnf_file(
    header: str, settings: Mapping[str, str], model: str, name: str
) -> tuple[bytes, list[Diagnostic]]:
    from ciscocfg import cnf
    from ciscocfg._text import encode_text

    doc = cnf.loads(_cnf_template(header, tuple(settings)), source=name)
    for key, value in settings.items():
        doc[key] = value
    kind: Kind = "default" if name == SIPDEFAULT else "phone"
    return encode_text(doc.dumps()), cnf.validate(doc, model=model, kind=kind)


def _sip_default(spec: PhoneSpec) -> tuple[bytes, list[Diagnostic]]:
    return _sip_default_for(tuple(shared_settings(spec).items()), spec.model.name)


# Shared files depend on a few facts only: one build serves every phone that shares them.
@functools.lru_cache(maxsize=256)
def _sip_default_for(
    settings: tuple[tuple[str, str], ...], model: str
) -> tuple[bytes, list[Diagnostic]]:
    header = (
        "# SIPDefault.cnf, written by ciscocfg: settings every 7940/7960 of this TFTP root\n"
        "# reads first. Each phone's own SIP<MAC>.cnf is read after it and wins.\n"
    )
    return _cnf_file(header, dict(settings), model, SIPDEFAULT)


def _phone_settings(spec: PhoneSpec) -> dict[str, str]:
    settings = {"image_version": spec.firmware.name, "proxy_register": "1"}
    if spec.label:
        settings["phone_label"] = spec.label
    for n in range(1, spec.model.line_keys + 1):
        if n <= len(spec.lines):
            line = spec.lines[n - 1]
            settings.update(
                {
                    f"line{n}_name": line.user,
                    f"line{n}_authname": line.user,
                    f"line{n}_password": line.password,
                    f"line{n}_displayname": line.display_name,
                    f"line{n}_shortname": line.user,
                    f"proxy{n}_address": spec.proxy.host,
                    f"proxy{n}_port": str(spec.proxy.port),
                }
            )
        else:
            # A used phone keeps in flash what its last config set: clear the lines not used.
            settings.update(
                {
                    f"line{n}_name": "UNPROVISIONED",
                    f"line{n}_authname": "UNPROVISIONED",
                    f"line{n}_password": "UNPROVISIONED",
                }
            )
    return settings


def _sip_cnf(spec: PhoneSpec) -> tuple[bytes, list[Diagnostic]]:
    header = (
        f"# This {spec.model.name}'s own settings, written by ciscocfg. SIPDefault.cnf is read\n"
        "# first; every key here wins over it.\n"
    )
    return _cnf_file(
        header, _phone_settings(spec), spec.model.name, canonical_name("sip_cnf", spec.mac)
    )


def os79xx_image(spec: PhoneSpec) -> str:
    """The image ``OS79XX.TXT`` names for ``spec``'s firmware.

    Only images older than the universal loader read the file. The firmware planner says what
    such a phone must fetch on its way to the firmware: for a ``.loads``-era target the
    universal application loader of the same release (the 7940 story's fix), else the image
    itself. SIP 6.3 is the image the plan starts from: the newest one that still reads
    ``OS79XX.TXT``, and the one older images must pass through anyway.
    """
    return _os79xx_name(spec.firmware)


@functools.lru_cache(maxsize=256)
def _os79xx_name(image: FirmwareImage) -> str:
    from ciscocfg import firmware

    plan = firmware.upgrade_path("P0S3-06-3-00", image)
    for step in plan.steps:
        if "OS79XX.TXT" in step.named_in:
            return step.image.name
    return image.name


def _os79xx(spec: PhoneSpec) -> tuple[bytes, list[Diagnostic]]:
    return _os79xx_for(spec.firmware)


@functools.lru_cache(maxsize=256)
def _os79xx_for(image: FirmwareImage) -> tuple[bytes, list[Diagnostic]]:
    from ciscocfg import firmware, os79xx

    name = _os79xx_name(image)
    selector = os79xx.OsImage(text=name, image=firmware.parse(name), newline="\r\n")
    return selector.dumps().encode("ascii"), os79xx.validate(selector, source=OS79XX)


# -- 79x1 ------------------------------------------------------------------------------------


def _sep_xml(spec: PhoneSpec) -> tuple[bytes, list[Diagnostic]]:
    from ciscocfg import sepxml
    from ciscocfg._text import encode_text
    from ciscocfg.migrate._keymap import TIME_ZONES

    first = spec.lines[0]
    config = sepxml.new_sip(
        name=first.user,
        password=first.password,
        proxy=spec.proxy.host,
        port=spec.proxy.port,
        auth_name=first.user,
        display_name=first.display_name,
        load=spec.firmware.name,
        dial_template=DIALPLAN,
        phone_label=spec.label,
        more_lines=[(line.user, line.password, line.display_name) for line in spec.lines[1:]],
    )
    if spec.timezone:
        config.time_zone = TIME_ZONES[spec.timezone]
    if spec.ntp:
        config.set("devicePool/dateTimeSetting/ntps/ntp/name", spec.ntp)
        config.set("devicePool/dateTimeSetting/ntps/ntp/ntpMode", "unicast")
    return encode_text(config.dumps()), sepxml.validate(config, model=spec.model.name)


# -- shared by both families -----------------------------------------------------------------


def _dialplan_bytes(spec: PhoneSpec) -> bytes:
    return spec.dialplan if spec.dialplan is not None else default_dialplan()


def _dialplan(spec: PhoneSpec) -> tuple[bytes, list[Diagnostic]]:
    return _dialplan_for(_dialplan_bytes(spec))


@functools.lru_cache(maxsize=64)
def _dialplan_for(data: bytes) -> tuple[bytes, list[Diagnostic]]:
    from ciscocfg import dialplan

    return data, dialplan.validate(dialplan.loads(data, source=DIALPLAN))


_BUILDERS: dict[str, Callable[[PhoneSpec], tuple[bytes, list[Diagnostic]]]] = {
    SIPDEFAULT: _sip_default,
    OS79XX: _os79xx,
    DIALPLAN: _dialplan,
}


def _shared_bytes(spec: PhoneSpec, name: str) -> bytes:
    """A shared file's bytes: its builder keeps one build per distinct input."""
    data, found = _BUILDERS[name](spec)
    if any(d.severity == "error" for d in found):
        raise AssertionError(f"{name} as generated fails its validator: {found}")
    return data


# -- a phone's own file from a checked template ----------------------------------------------
#
# A phone's own file differs from another phone's of the same model, image and shape (label or
# not, how many lines, the 79x1's clock settings) only in the values of a few keys: the proxy,
# the label and each line's user, password and display name. The template is the codec's own
# file for a description whose values are markers, checked by the file's validator; a phone's
# file is the template with its values where the markers were, written as the codec writes
# them (as they are in a quoted .cnf value, escaped as XML character data). A second build
# with other markers must come out the same way, or the template is not used.

_PORT_MARKERS = ("49317", "38261")


@attrs.frozen
class _Template:
    """Fixed text between the places of the values; ``slots[i]`` is the value after
    ``pieces[i]``."""

    pieces: tuple[str, ...]
    slots: tuple[int, ...]
    xml: bool

    def fill(self, values: tuple[str, ...]) -> bytes:
        if self.xml:
            values = tuple(escape_text(value) for value in values)
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out.append(values[slot])
            out.append(piece)
        return encode_text("".join(out))


def _template_key(spec: PhoneSpec) -> tuple[object, ...]:
    """What a phone's own file depends on besides the values :func:`_own_values` gives."""
    shape = (spec.model, spec.firmware, spec.label is not None, len(spec.lines))
    if spec.is_79x1:
        return (*shape, spec.timezone, spec.ntp)
    return shape


def _own_values(spec: PhoneSpec) -> tuple[str, ...]:
    values = [spec.proxy.host, str(spec.proxy.port), spec.label or ""]
    for line in spec.lines:
        values.extend((line.user, line.password, line.display_name))
    return tuple(values)


def _marked(key: tuple[object, ...], which: int) -> PhoneSpec:
    """A description of the template's shape whose values are markers (set ``which``)."""
    from ciscocfg._phones import PhoneModel
    from ciscocfg.generate._spec import LineSpec, Proxy

    model, image, labelled, count = key[:4]
    assert isinstance(model, PhoneModel)
    assert isinstance(image, FirmwareImage)
    assert isinstance(count, int)
    timezone, ntp = key[4:] if len(key) > 4 else (None, None)
    mark = "zqab"[which]

    def marker(slot: int) -> str:
        return f"zq{mark}{slot}zq"

    lines = tuple(
        LineSpec(marker(3 + 3 * n), marker(4 + 3 * n), marker(5 + 3 * n)) for n in range(count)
    )
    return PhoneSpec(
        model=model,
        mac="000000000000",
        proxy=Proxy(marker(0), int(_PORT_MARKERS[which])),
        lines=lines,
        firmware=image,
        label=marker(2) if labelled else None,
        timezone=timezone if isinstance(timezone, str) else None,
        ntp=ntp if isinstance(ntp, str) else None,
    )


@functools.lru_cache(maxsize=512)
def _own_template(key: tuple[object, ...]) -> _Template | None:
    """The checked template of a phone's own file, or None when the codec's file cannot be
    split into fixed text and values (then every file of that shape is built in full)."""
    import re

    first, second = _marked(key, 0), _marked(key, 1)
    try:
        data, _ = _built(first, file_names(first)[0])
        expected, _ = _built(second, file_names(second)[0])
    except AssertionError:  # pragma: no cover - a marker the validator refuses
        return None
    values = _own_values(first)
    markers = {value: slot for slot, value in enumerate(values) if value}
    parts = re.split("(" + "|".join(map(re.escape, markers)) + ")", data.decode("ascii"))
    template = _Template(
        tuple(parts[0::2]), tuple(markers[marker] for marker in parts[1::2]), first.is_79x1
    )
    if template.fill(_own_values(second)) != expected:  # pragma: no cover
        return None  # the file depends on more than the key says
    return template


# -- what kept shared files contradict -------------------------------------------------------


def contradictions(spec: PhoneSpec, name: str, data: bytes) -> list[Diagnostic]:
    """What the shared file ``name`` a tree already has contradicts in ``spec`` (``GENnnn``)."""
    if name == SIPDEFAULT:
        return _sip_default_contradictions(spec, data)
    if name == OS79XX:
        from ciscocfg import os79xx
        from ciscocfg._errors import CiscoCfgError
        from ciscocfg._text import decode_bytes

        wanted = os79xx_image(spec)
        try:
            have = os79xx.loads(decode_bytes(data), strict=False).text
        except CiscoCfgError:  # pragma: no cover - a non-strict read takes any text
            have = ""
        if have == wanted:
            return []
        return [
            Diagnostic(
                "GEN003",
                "warning",
                f"OS79XX.TXT names {have or 'nothing'!r}, kept; this phone was made for "
                f"{wanted!r} (what an old loader must fetch on the way to {spec.firmware.name})",
                line=1,
                source=OS79XX,
                suggestion=wanted,
            )
        ]
    if name == DIALPLAN and data != _dialplan_bytes(spec):
        what = "the dial plan given" if spec.dialplan is not None else "the default dial plan"
        return [
            Diagnostic(
                "GEN004",
                "warning" if spec.dialplan is not None else "info",
                f"dialplan.xml differs from {what}; the tree's own dialplan.xml is kept",
                source=DIALPLAN,
            )
        ]
    return []


def _sip_default_contradictions(spec: PhoneSpec, data: bytes) -> list[Diagnostic]:
    from ciscocfg.provision._read import cnf_doc

    doc = cnf_doc(data, source=SIPDEFAULT)
    own = _phone_settings(spec)
    found: list[Diagnostic] = []
    for key, wanted in shared_settings(spec).items():
        if key not in _MUST_AGREE or key in own:
            continue
        entries = doc.entries(key)
        if not entries:
            found.append(
                Diagnostic(
                    "GEN002",
                    "warning",
                    f"SIPDefault.cnf does not set {key}; this phone was made for {wanted!r} "
                    "(the file is kept as it is)",
                    source=SIPDEFAULT,
                    suggestion=f'{key}: "{wanted}"',
                )
            )
            continue
        number, entry = entries[-1]
        if entry.value.strip(" \t") != wanted:
            found.append(
                Diagnostic(
                    "GEN001",
                    "warning",
                    f"SIPDefault.cnf sets {key} to {entry.value!r}; this phone was made for "
                    f"{wanted!r} (the file is kept as it is)",
                    line=number,
                    column=entry.value_column + 1,
                    source=SIPDEFAULT,
                    suggestion=wanted,
                )
            )
    return found

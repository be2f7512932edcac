"""Cisco firmware image names: decode every naming scheme into a :class:`FirmwareImage`.

Cisco never published one grammar for these names; each scheme below comes from a Cisco text or
from real file names (see ``docs/formats/firmware.md``). Decoding is deliberately strict: a name
that fits no scheme raises :class:`FirmwareNameError`, and the common slips people make (the
letter O for a zero, a trailing blank, a missing version field, lower case) come with the
corrected name as a suggestion, because a phone asked for the wrong name simply asks again.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Mapping

import attrs

from ciscocfg._errors import ArgumentTypeError, ParseError

__all__ = [
    "EXTENSIONS",
    "FirmwareImage",
    "FirmwareNameError",
    "ImageRole",
    "Protocol",
    "Role",
    "parse",
]


class Protocol(enum.Enum):
    """The call-control protocol an image speaks."""

    SIP = "SIP"
    SCCP = "SCCP"
    MGCP = "MGCP"


class ImageRole(enum.Enum):
    """What an image is for on the phone (:attr:`FirmwareImage.role`)."""

    #: The 79x0 universal application loader (``P003-…`` with hyphens).
    LOADER = "loader"
    #: A phone application (what ``image_version``/``loadInformation`` names).
    APPLICATION = "application"
    #: One file of a 79x1 load, listed inside the ``.loads`` descriptor (``apps41…``).
    COMPONENT = "component"
    #: ``termNN.default``: the load a 79x1 phone takes when its configuration names none.
    DEFAULT_POINTER = "default pointer"


#: The older name of :class:`ImageRole`.
Role = ImageRole


#: Known file extensions, longest first, and whether the file is signed.
EXTENSIONS: dict[str, bool] = {
    ".cop.sgn": True,
    ".zz.sgn": True,
    ".loads": True,
    ".sebn": True,
    ".sbin": True,
    ".sgn": True,
    ".sbn": True,
    ".sb2": True,
    ".bin": False,
    ".zup": False,
    ".zz": False,
}

_PROTOCOL_LETTER = {"0": None, "S": Protocol.SIP, "M": Protocol.MGCP}
_NAMED_PROTOCOL = {
    "SIP": Protocol.SIP,
    "SCCP": Protocol.SCCP,
    "MGCP": Protocol.MGCP,
    "TERM": None,
}

#: ``P00N``: the fourth character seems to be the hardware family (an inference, see §7.1).
_P0_FAMILY = {"3": "7940/7960", "4": "7910", "5": "7935"}

#: The two digits in Java-phone names (``SIP41.…``, ``term61.default``) name the phone type.
_JAVA_FAMILY = {
    "06": "7906/7911",
    "11": "7906/7911",
    "31": "7931",
    "37": "7937",
    "41": "7941/7961",
    "61": "7941/7961",
    "42": "7942/7962",
    "62": "7942/7962",
    "45": "7945/7965",
    "65": "7945/7965",
    "70": "7970/7971",
    "71": "7970/7971",
    "75": "7975",
}

_KEM_FAMILY = {"S001": "7914", "B015": "7915", "B016": "7916"}

_LOADER_NOTE = (
    "the hyphenated P003-… image is the universal application loader that ships inside the "
    "SIP and SCCP packages (named by the .loads file), not an SCCP application"
)


@attrs.frozen(eq=True, order=False)
class FirmwareImage:
    """One decoded image name.

    ``str(image)`` is exactly the name that was parsed, extension included. Images of one
    family order by version (then service release, then build); comparing images of two
    families raises :class:`TypeError`.
    """

    #: The name as given, without its extension.
    name: str
    #: The extension as given (``".loads"``, ``".sbn"`` ...), or ``None``.
    extension: str | None
    #: Which naming scheme matched (``"79x0"``, ``"79x0-legacy"``, ``"java"`` ...).
    scheme: str
    #: Phone family, e.g. ``"7940/7960"``, ``"7941/7961"``, ``"7912"``.
    family: str
    #: ``None`` where the name does not say (loaders, default pointers, some components).
    protocol: Protocol | None
    role: ImageRole
    #: Version fields as Cisco writes them, e.g. ``(8, 12, 0)`` for ``P0S3-8-12-00``.
    version: tuple[int, ...]
    service_release: int | None = None
    #: Build tag after the version (``"1"`` in ``9-4-2SR3-1S``, ``"TH1-6"``, ``"A"``).
    build: str | None = None
    #: Build date for ``CP79xx``/``ATA`` names.
    build_date: datetime.date | None = None
    #: ``True``/``False`` when the extension or an ``S`` suffix says so, else ``None``.
    signed: bool | None = None
    #: Component kind for 79x1 component files (``"apps"``, ``"jar"`` ...).
    component: str | None = None
    #: Caveats worth showing a person (the loader caveat, inferred fields).
    notes: tuple[str, ...] = ()
    #: The kind of device the image runs on: ``"phone"``, ``"wireless phone"``,
    #: ``"conference phone"``, ``"video phone"``, ``"expansion module"``, ``"analog adapter"``
    #: or ``"gateway"``.
    device: str = "phone"

    @property
    def models(self) -> tuple[str, ...]:
        """The model numbers the image is built for (``("7941", "7961")``), as far as known.

        Empty for gateway and media-resource loads, which name no phone model.
        """
        from ciscocfg.firmware._models import models_of

        return models_of(self)

    def fits(self, model: str) -> bool | None:
        """Is the image built for ``model`` (``"7961"``, ``"Cisco 7915 24-Button ..."``)?

        ``None`` when the library cannot tell: a model it has no family for, or an image that
        names no model.
        """
        from ciscocfg.firmware._models import fits

        return fits(self, model)

    def __str__(self) -> str:
        return self.name + (self.extension or "")

    @property
    def display_version(self) -> str:
        """The version the way Cisco prints it: ``8.12(0)``, ``8.1(2.0)``, ``9.4(2)SR3``."""
        v = self.version
        if not v:
            return ""
        if len(v) == 1:
            text = str(v[0])
        elif len(v) == 2:
            text = f"{v[0]}.{v[1]}"
        else:
            text = f"{v[0]}.{v[1]}(" + ".".join(str(x) for x in v[2:]) + ")"
        if self.service_release is not None:
            text += f"SR{self.service_release}"
        return text

    @property
    def sort_key(self) -> tuple[tuple[int, ...], int, str]:
        """Version padded to four fields, then service release, then build tag."""
        padded = self.version + (0,) * max(0, 4 - len(self.version))
        return (padded, self.service_release or 0, self.build or "")

    def _comparable(self, other: object) -> FirmwareImage | None:
        if isinstance(other, FirmwareImage):
            if other.family != self.family:
                raise TypeError(
                    f"cannot order images of different families ({self.family} and {other.family})"
                )
            return other
        return None

    def __lt__(self, other: object) -> bool:
        o = self._comparable(other)
        if o is None:
            return NotImplemented
        return self.sort_key < o.sort_key

    def __le__(self, other: object) -> bool:
        o = self._comparable(other)
        if o is None:
            return NotImplemented
        return self.sort_key <= o.sort_key

    def __gt__(self, other: object) -> bool:
        o = self._comparable(other)
        if o is None:
            return NotImplemented
        return self.sort_key > o.sort_key

    def __ge__(self, other: object) -> bool:
        o = self._comparable(other)
        if o is None:
            return NotImplemented
        return self.sort_key >= o.sort_key


class FirmwareNameError(ParseError):
    """A name that is not a Cisco image name; ``suggestion`` is the likely intended name."""

    def __init__(
        self,
        message: str,
        *,
        suggestion: str | None = None,
        column: int | None = None,
        source: str | None = None,
    ) -> None:
        self.suggestion = suggestion
        if suggestion is not None:
            message = f"{message}; did you mean {suggestion!r}?"
        super().__init__(
            message,
            line=None if column is None else 1,
            column=column,
            offset=None if column is None else column - 1,
            source=source,
        )


# --- the schemes -------------------------------------------------------------------------------

_Decoder = Callable[["re.Match[str]", str, "str | None"], FirmwareImage]

# Java-phone version text: fields, optional SRn, optional build tag, optional -build, optional S.
_JAVA_VERSION = (
    r"(?P<fields>\d{1,2}(?:-\d{1,2}){1,3})(?:-?SR(?P<sr>\d{1,2}))?"
    r"(?P<tag>[A-Z]{1,3}\d{1,2})?(?:-(?P<build>\d{1,2}))?(?P<letter>[a-z])?(?P<signed>S)?"
)


def _signed_from(extension: str | None, suffix: bool = False) -> bool | None:
    if extension is not None:
        return EXTENSIONS[extension.lower()]
    return True if suffix else None


def _java_fields(m: re.Match[str]) -> tuple[tuple[int, ...], int | None, str | None]:
    """Version, service release and build of a Java-style version text.

    Three fields are the version (``9-4-2`` is 9.4(2)); a fourth one, or the number after an
    ``SR``/build tag, is the build.
    """
    fields = tuple(int(x) for x in m["fields"].split("-"))
    build_parts: list[str] = []
    if len(fields) == 4:
        build_parts.append(str(fields[3]))
        fields = fields[:3]
    if len(fields) < 3:
        raise ParseError("too few version fields")  # not this scheme: the caller tries the next
    if m["tag"]:
        build_parts.append(m["tag"] + (f"-{m['build']}" if m["build"] else ""))
    elif m["build"]:
        build_parts.append(m["build"])
    if m["letter"]:
        build_parts.append(m["letter"])
    sr = int(m["sr"]) if m["sr"] else None
    return fields, sr, "-".join(build_parts) or None


def _p0_dashed(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    letter = m["proto"]
    version = (int(m["major"]), int(m["minor"]), int(m["sub"]))
    if letter == "0":
        return FirmwareImage(
            name=name,
            extension=ext,
            scheme="79x0",
            family="7940/7960",
            protocol=None,
            role=ImageRole.LOADER,
            version=version,
            signed=_signed_from(ext),
            notes=(_LOADER_NOTE,),
        )
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="79x0",
        family="7940/7960",
        protocol=_PROTOCOL_LETTER[letter],
        role=ImageRole.APPLICATION,
        version=version,
        signed=_signed_from(ext),
    )


def _p0_legacy(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    letter = m["proto"]
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="79x0-legacy",
        family="7940/7960",
        protocol=_PROTOCOL_LETTER[letter] if letter != "0" else Protocol.SCCP,
        role=ImageRole.APPLICATION,
        version=(int(m["major"]), int(m["minor"])),
        signed=_signed_from(ext),
    )


def _p0_digits(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    fam = m["fam"]
    notes = () if fam == "3" else ("family inferred from the fourth character",)
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="79x0-sccp",
        family=_P0_FAMILY[fam],
        protocol=Protocol.SCCP,
        role=ImageRole.APPLICATION,
        version=(int(m["a"]), int(m["b"]), int(m["c"]), int(m["d"])),
        signed=_signed_from(ext),
        notes=notes,
    )


def _p0_service_release(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    sr = int(m["sr"])
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="79x0-sccp-sr",
        family=_P0_FAMILY[m["fam"]],
        protocol=Protocol.SCCP,
        role=ImageRole.APPLICATION,
        # Users call P0030801SR02 "8.1(2)_SR2": the maintenance number follows the SR number.
        version=(int(m["a"]), int(m["b"]), sr),
        service_release=sr,
        signed=_signed_from(ext),
        notes=("maintenance number taken from how users name this release",),
    )


def _java_load(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    version, sr, build = _java_fields(m)
    prefix = m["prefix"]
    notes: tuple[str, ...] = ()
    if prefix == "TERM":
        notes = ("TERM loads predate the SIP/SCCP prefixes; the name does not say the protocol",)
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="java",
        family=_JAVA_FAMILY[m["model"]],
        protocol=_NAMED_PROTOCOL[prefix],
        role=ImageRole.APPLICATION,
        version=version,
        service_release=sr,
        build=build,
        signed=_signed_from(ext, bool(m["signed"])),
        notes=notes,
    )


def _default_pointer(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="java-default",
        family=_JAVA_FAMILY[m["model"]],
        protocol=None,
        role=ImageRole.DEFAULT_POINTER,
        version=(),
        signed=_signed_from(ext),
        notes=("names the load a phone takes when its configuration names none",),
    )


def _component(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    version, sr, build = _java_fields(m)
    proto = m["proto"]
    kind = m["kind"]
    notes: tuple[str, ...] = ()
    if m["tag"]:
        notes = (f"build tag {m['tag']} is not documented",)
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="java-component",
        family=_JAVA_FAMILY[m["model"]],
        protocol=Protocol(proto.upper()) if proto else None,
        role=ImageRole.COMPONENT,
        version=version,
        service_release=sr,
        build=build,
        signed=_signed_from(ext, bool(m["signed"])),
        component=kind,
        notes=notes,
    )


def _apps37(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="7937",
        family="7937",
        protocol=Protocol.SCCP,
        role=ImageRole.APPLICATION,
        version=tuple(int(x) for x in m["fields"].split("-")),
        signed=_signed_from(ext),
        device="conference phone",
    )


def _date(yymmdd: str) -> datetime.date:
    return datetime.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))


def _cp_or_ata(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    model = m["model"]
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="cp79xx" if model else "ata",
        family=model or "ATA 186",
        protocol=_NAMED_PROTOCOL.get(m["proto"]),
        role=ImageRole.APPLICATION,
        version=(int(m["a"]), int(m["b"]), int(m["c"])),
        build=m["letter"],
        build_date=_date(m["date"]),
        signed=_signed_from(ext),
        device="phone" if model else "analog adapter",
    )


def _wireless(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="79x5-wireless",
        family=m["model"],
        protocol=Protocol.SCCP,
        role=ImageRole.APPLICATION,
        version=tuple(int(x) for x in m["fields"].split(".")),
        service_release=int(m["sr"]) if m["sr"] else None,
        signed=_signed_from(ext),
        device="wireless phone",
    )


_CMTERM_DEVICE = {"7920": "wireless phone", "7936": "conference phone", "7985": "video phone"}


def _cmterm(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="cmterm",
        family=m["model"],
        protocol=Protocol.SCCP,
        role=ImageRole.APPLICATION,
        version=tuple(int(x) for x in re.split(r"[.-]", m["fields"])),
        signed=_signed_from(ext),
        device=_CMTERM_DEVICE.get(m["model"], "phone"),
    )


def _kem(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    prefix = m["prefix"]
    fields: tuple[int, ...]
    build: str | None
    if prefix == "S001":
        fields = (int(m["a"]), int(m["b"]), int(m["c"]), int(m["d"]))
        build = None
    else:
        # B015-1-0-4-2 is 1.0(4), build 2 (real tables also write B015-1-0-4).
        fields = (int(m["a"]), int(m["b"]), int(m["c"]))
        build = str(int(m["d"])) if m["d"] else None
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="expansion-module",
        family=_KEM_FAMILY[prefix],
        protocol=None,
        role=ImageRole.APPLICATION,
        version=fields,
        build=build,
        signed=_signed_from(ext),
        notes=("expansion-module firmware, loaded through the phone it is attached to",),
        device="expansion module",
    )


_DEVICE_LOADS = {
    "A": "Analog Access",
    "C": "Conference Bridge",
    "D": "Digital Access",
    "M": "Media Termination Point",
}


# Version text of the phones after the 79xx (69xx, 78xx, 88xx, 89xx, 99xx, 3905, ATA 187 ...):
# major-minor-maintenance, an optional fourth field (a build: ``3``, ``0101``, ``12001``), an
# optional service release (``SR1``, ``-SR1``, ``MSR1``), an optional tag (``MPP0001``, ``MN``,
# ``ES26``), an optional build after a hyphen (``-145``), an optional letter (``a``, ``-a``) and
# the ``S`` of signed 79x1-style names. A lone final ``S`` is the signed mark, not a tag.
_NEW_VERSION = (
    r"(?P<fields>\d{1,2}-\d{1,2}-\d{1,2})(?:-(?P<f4>\d{1,5}))?"
    r"(?:-?(?P<msr>M)?SR(?P<sr>\d{1,2}))?(?P<tag>(?!S$)[A-Z]{1,3}\d{0,4})?"
    r"(?:-(?P<build>\d{1,4}))?(?:-?(?P<letter>[a-z]))?(?P<signed>S)?"
)
# The model part: a family written with x (``88xx``, ``894x``), a model (``8831``, ``3905``,
# ``187``), two models joined by ``_`` (``8941_8945``, ``8845_65``) or a DX video phone.
_NEW_MODEL = r"(?P<model>\d\dxx|\d{3}x|\d{3,4}(?:_\d{2,4})?|dx\d{3})"

#: Families written with an x that stand for named models.
_X_FAMILY = {"894x": "8941/8945"}
_WIRELESS = {"8821"}


def _new_fields(
    groups: Mapping[str, str | None],
) -> tuple[tuple[int, ...], int | None, str | None]:
    version = tuple(int(x) for x in (groups["fields"] or "").split("-"))
    tag = (groups["msr"] or "") + (groups["tag"] or "")
    build = [groups["f4"], tag, groups["build"], groups["letter"]]
    sr = groups["sr"]
    return version, int(sr) if sr else None, "-".join(b for b in build if b) or None


def _new_family(model: str, prefix: str) -> str:
    lowered = model.lower()
    if prefix.upper() == "ATA":
        return f"ATA {model}"
    if lowered.startswith("dx"):
        return lowered.upper()
    if lowered in _X_FAMILY:
        return _X_FAMILY[lowered]
    if "_" in model:
        first, second = model.split("_", 1)
        return f"{first}/{first[: len(first) - len(second)]}{second}"
    return lowered


def _other_phone(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    version, sr, build = _new_fields(m.groupdict())
    prefix, model = m["proto"], m["model"]
    family = _new_family(model, prefix)
    protocol = Protocol(prefix.upper()) if prefix.upper() in ("SIP", "SCCP") else None
    if prefix.upper() == "ATA":
        device = "analog adapter"
    else:
        device = "wireless phone" if family in _WIRELESS else "phone"
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="other-phone",
        family=family,
        protocol=protocol,
        role=ImageRole.APPLICATION,
        version=version,
        service_release=sr,
        build=build,
        signed=_signed_from(ext, bool(m["signed"])),
        device=device,
    )


# Component files of those phones' loads, named in their .loads: ``kern88xx.…``,
# ``rootfs2.78xx.…`` (the second hardware platform), ``sb288xx.BE-01-020`` (a hardware-level
# version), ``BOOT69xx.0-0-0-14.zz.sgn``, ``APP3905.9-4-1SR3.zz``.
_NEW_COMPONENT = (
    r"(?P<kind>kern|rootfs|sboot|dkern|skern|sb2|fbi|vc4|BOOT|DSP|APP|boot|dsp|app)"
    r"(?P<platform>2\.)?"
    + _NEW_MODEL
    + r"\.(?:(?P<hw>[A-Z]{2})-(?P<a>\d{1,2})-(?P<b>\d{1,3})|"
    + _NEW_VERSION.replace("?P<", "?P<v_")
    + r")"
)


def _new_component(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    family = _new_family(m["model"], "")
    if m["hw"]:
        version: tuple[int, ...] = (int(m["a"]), int(m["b"]))
        sr: int | None = None
        build: str | None = m["hw"]
    else:
        fields = {key[2:]: value for key, value in m.groupdict().items() if key.startswith("v_")}
        version, sr, build = _new_fields(fields)
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="component",
        family=family,
        protocol=None,
        role=ImageRole.COMPONENT,
        version=version,
        service_release=sr,
        build=build,
        signed=_signed_from(ext),
        component=m["kind"].lower() + ("2" if m["platform"] else ""),
        device="wireless phone" if family in _WIRELESS else "phone",
    )


def _device_load(m: re.Match[str], name: str, ext: str | None) -> FirmwareImage:
    if m["a"] is None:
        version: tuple[int, ...] = ()
        build: str | None = m["code"]
    else:
        version = (int(m["a"]), int(m["b"]), int(m["c"]), int(m["d"]))
        build = None
    return FirmwareImage(
        name=name,
        extension=ext,
        scheme="device-load",
        family=_DEVICE_LOADS[m["kind"]],
        protocol=None,
        role=ImageRole.APPLICATION,
        version=version,
        build=build,
        signed=_signed_from(ext),
        notes=("a CallManager gateway or media-resource load, not a phone",),
        device="gateway",
    )


_SCHEMES: list[tuple[re.Pattern[str], _Decoder]] = [
    (
        re.compile(r"P0(?P<proto>[0SM])3-(?P<major>\d{1,2})-(?P<minor>\d{1,2})-(?P<sub>\d{1,2})"),
        _p0_dashed,
    ),
    (re.compile(r"P0(?P<proto>[0SM])3(?P<major>\d\d)(?P<minor>\d\d)"), _p0_legacy),
    (re.compile(r"P00(?P<fam>[345])(?P<a>\d\d)(?P<b>\d\d)(?P<c>\d\d)(?P<d>\d\d)"), _p0_digits),
    (re.compile(r"P00(?P<fam>[345])(?P<a>\d\d)(?P<b>\d\d)SR(?P<sr>\d\d)"), _p0_service_release),
    (
        re.compile(r"(?P<prefix>SIP|SCCP|TERM)(?P<model>\d\d)\." + _JAVA_VERSION),
        _java_load,
    ),
    (re.compile(r"term(?P<model>\d\d)\.default"), _default_pointer),
    (re.compile(r"apps37sccp\.(?P<fields>\d{1,2}(?:-\d{1,2}){3})"), _apps37),
    (
        re.compile(
            r"(?P<kind>apps|cnu|cvm|dsp|jar)(?P<model>\d\d)(?P<proto>sip|sccp)?\." + _JAVA_VERSION
        ),
        _component,
    ),
    (
        re.compile(
            r"(?:CP(?P<model>790[25]|7912)|ATA)(?P<a>\d\d)(?P<b>\d\d)(?P<c>\d\d)"
            r"(?P<proto>SCCP|SIP|MGCP|H323)(?P<date>\d{6})(?P<letter>[A-Z])"
        ),
        _cp_or_ata,
    ),
    (
        re.compile(
            r"CP(?P<model>792[0-9])G-(?P<fields>\d{1,2}(?:\.\d{1,2}){2,3})(?:SR(?P<sr>\d+))?"
        ),
        _wireless,
    ),
    (
        re.compile(r"cmterm[_-](?P<model>79\d\d)\.(?P<fields>\d{1,2}(?:[.-]\d{1,2}){2,3})"),
        _cmterm,
    ),
    (re.compile(r"(?P<prefix>S001)(?P<a>\d\d)(?P<b>\d\d)(?P<c>\d\d)(?P<d>\d\d)"), _kem),
    (
        re.compile(
            r"(?P<prefix>B01[56])-(?P<a>\d{1,2})-(?P<b>\d{1,2})-(?P<c>\d{1,2})(?:-(?P<d>\d{1,2}))?"
        ),
        _kem,
    ),
    (
        re.compile(r"(?P<proto>sip|sccp|SIP|SCCP|CP|ATA)" + _NEW_MODEL + r"\." + _NEW_VERSION),
        _other_phone,
    ),
    (re.compile(_NEW_COMPONENT), _new_component),
    (
        re.compile(
            r"(?P<kind>[ACDM])00\d(?:(?P<a>\d\d)(?P<b>\d\d)(?P<c>\d\d)(?P<d>\d\d)"
            r"|(?P<code>[A-Z]\d{3}))"
        ),
        _device_load,
    ),
]


def _split_extension(text: str) -> tuple[str, str | None]:
    lowered = text.lower()
    for ext in EXTENSIONS:
        if lowered.endswith(ext) and len(text) > len(ext):
            return text[: -len(ext)], text[-len(ext) :]
    return text, None


def _decode(text: str) -> FirmwareImage | None:
    stem, ext = _split_extension(text)
    if not stem.isascii():
        return None
    for pattern, decoder in _SCHEMES:
        m = pattern.fullmatch(stem)
        if m is not None:
            try:
                return decoder(m, stem, ext)
            except (ValueError, KeyError):
                # A field out of range (a month 13, an unknown model number): not this scheme.
                continue
    return None


def _near_miss(text: str) -> tuple[str, str, int | None] | None:
    """A likely intended name, why, and the 1-based column of the first slip."""
    stripped = text.strip()
    if stripped != text and stripped and _decode(stripped) is not None:
        if text.rstrip() != text:
            return stripped, "trailing blank after the name", len(text.rstrip()) + 1
        return stripped, "blank before the name", 1
    candidate = stripped
    # The letter O typed for a zero: in the P0 prefix and between digits and separators.
    fixed = re.sub(r"^[Pp][Oo]", "P0", candidate)
    while True:  # repeat so that runs of O ("-OO") are all caught
        again = re.sub(r"(?<=[0-9\-.])[Oo]|[Oo](?=[0-9\-.])", "0", fixed)
        if again == fixed:
            break
        fixed = again
    if fixed != candidate and _decode(fixed) is not None:
        column = next(i for i, (a, b) in enumerate(zip(candidate, fixed, strict=True)) if a != b)
        return fixed, "letter O where a zero belongs", column + 1 + (len(text) - len(text.lstrip()))
    upper = fixed.upper()
    if upper != fixed and upper.startswith("P0") and _decode(upper) is not None:
        return upper, "79x0 image names are upper case", 1
    # A missing last field: P0S3-08-12 instead of P0S3-08-12-00.
    stem, ext = _split_extension(fixed)
    if re.fullmatch(r"P0[0SM]3-\d{1,2}-\d{1,2}", stem.upper()):
        completed = stem.upper() + "-00" + (ext or "")
        return completed, "missing the last version field", len(stem) + 1
    return None


def parse(name: str, *, source: str | None = None) -> FirmwareImage:
    """Decode a Cisco firmware image name (extension optional).

    Raises :class:`FirmwareNameError` (a :class:`~ciscocfg.ParseError`) when the name fits no
    scheme; for a near miss its ``suggestion`` holds the corrected name.
    """
    if not isinstance(name, str):
        raise ArgumentTypeError(f"expected a str, got {type(name).__name__}")
    image = _decode(name)
    if image is not None:
        return image
    if not name:
        raise FirmwareNameError("empty firmware image name", source=source)
    miss = _near_miss(name)
    if miss is not None:
        suggestion, why, column = miss
        raise FirmwareNameError(
            f"{name!r} is not a Cisco image name: {why}",
            suggestion=suggestion,
            column=column,
            source=source,
        )
    raise FirmwareNameError(f"{name!r} is not a Cisco image name", source=source)

"""A phone to provision, from the few facts a person knows about it, checked once.

:meth:`PhoneSpec.create` is the one way in: it takes text as a person types it (any common
spelling of a MAC, ``HOST[:PORT]``, ``USER:PASSWORD[:DISPLAY NAME]``), asks the library's own
rules whether the files can hold each value (the ``.cnf`` quoting rule, the ``.cnf`` parameter
types, what XML can carry, the phone table, firmware names, the dial-plan lint), and raises
one :class:`PhoneSpecError` naming the field for the first value that cannot be used.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import attrs

from ciscocfg._errors import CiscoCfgError, ValidationError
from ciscocfg._phones import PhoneModel, normalize_mac, phone_model
from ciscocfg._xml import escape_text
from ciscocfg.cnf._emit import render_value
from ciscocfg.cnf._schema import PARAMETERS, UNSET, lines_for_model
from ciscocfg.firmware import FirmwareImage, Protocol, Role, newest_image, parse
from ciscocfg.firmware._upgrade import _family

__all__ = [
    "DEFAULT_SIP_PORT",
    "FIELDS",
    "LineSpec",
    "PhoneSpec",
    "PhoneSpecError",
    "Proxy",
    "parse_line",
    "parse_proxy",
]

DEFAULT_SIP_PORT = 5060

#: The fields a phone description has, named as the inventory's columns name them
#: (``lineN_user``, ``lineN_password`` and ``lineN_display_name`` for N = 1, 2 ...).
FIELDS = ("mac", "model", "proxy", "lines", "label", "firmware", "timezone", "ntp", "dialplan")

# A SIP user part that every file involved can hold as it is: the .cnf and XML configs, the
# pjsip.conf section names and `aors=` lists (where ',' ';' '[' ']' and blanks break), a URI.
_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~+-]*\Z")


class PhoneSpecError(ValidationError):
    """A phone description that cannot be provisioned, and which field (and row) says so.

    ``field`` is the name of the value at fault (``"mac"``, ``"line2_password"`` ...; the same
    names as the inventory's columns), ``row`` the inventory row (1 is the header, so data
    starts at 2) or ``None``. ``str(err)`` is one line: ``row 3, line1_password: message``.
    """

    def __init__(self, message: str, *, field: str, row: int | None = None) -> None:
        self.message = message
        self.field = field
        self.row = row
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"row {self.row}, column {self.field}" if self.row is not None else self.field
        return f"{where}: {self.message}"

    def __str__(self) -> str:
        return self._render()

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), self.message, self.field, self.row))

    def at_row(self, row: int) -> PhoneSpecError:
        """The same error, placed at inventory row ``row``."""
        return type(self)(self.message, field=self.field, row=row)


def _rebuild(
    cls: type[PhoneSpecError], message: str, field: str, row: int | None
) -> PhoneSpecError:
    return cls(message, field=field, row=row)


@attrs.frozen
class Proxy:
    """The registrar every line registers with."""

    host: str
    port: int = DEFAULT_SIP_PORT

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@attrs.frozen
class LineSpec:
    """One line: who registers, with which password, and the name the phone shows."""

    user: str
    password: str
    display_name: str


@attrs.frozen
class PhoneSpec:
    """Everything the files of one phone are made from.

    Build it with :meth:`create`, which checks every value; the plain constructor checks
    nothing. ``mac`` is 12 upper-case hex digits, ``firmware`` the image the phone must run (no
    extension), ``timezone`` a 79x0 ``time_zone`` abbreviation (``"CET"``), ``dialplan`` the
    bytes of a dial plan to use instead of the default one.
    """

    model: PhoneModel
    mac: str
    proxy: Proxy
    lines: tuple[LineSpec, ...]
    firmware: FirmwareImage
    label: str | None = None
    timezone: str | None = None
    ntp: str | None = None
    dialplan: bytes | None = None
    # Set by create() alone: every value passed the field rules, so the generator may put
    # them into a checked template as they are (a spec built otherwise is built the long way).
    _checked: bool = attrs.field(default=False, init=False, eq=False, repr=False)

    @property
    def is_79x1(self) -> bool:
        """True for the Java-based phones (``SEP<MAC>.cnf.xml``); False for the 7940/7960."""
        return self.model.is_79x1

    @classmethod
    def create(
        cls,
        *,
        model: str,
        mac: str,
        proxy: str | Proxy,
        lines: Sequence[str | LineSpec | Sequence[str]],
        label: str | None = None,
        firmware: str | FirmwareImage | None = None,
        timezone: str | None = None,
        ntp: str | None = None,
        dialplan: bytes | None = None,
    ) -> PhoneSpec:
        """Check every value and build the description; raises :class:`PhoneSpecError`.

        ``lines`` holds, per line, ``"USER:PASSWORD[:DISPLAY NAME]"``, a ``(user, password[,
        display name])`` sequence or a :class:`LineSpec`; a missing or empty display name is the
        user. ``firmware`` defaults to the newest SIP image the library knows for the model's
        family (:func:`ciscocfg.firmware.newest_image`).
        """
        try:
            found = phone_model(model)
        except ValueError as exc:
            raise PhoneSpecError(str(exc) + _model_hint(model), field="model") from None
        try:
            address = normalize_mac(mac)
        except ValueError as exc:
            raise PhoneSpecError(str(exc) + _mac_hint(mac), field="mac") from None
        registrar = proxy if isinstance(proxy, Proxy) else parse_proxy(proxy)
        _check_host(registrar.host, "proxy", "proxy1_address")
        if not 1 <= registrar.port <= 65535:
            raise PhoneSpecError(f"port {registrar.port} is not 1-65535", field="proxy")
        if not lines:
            raise PhoneSpecError("a phone needs at least one line", field="lines")
        if len(lines) > found.line_keys:
            raise PhoneSpecError(
                f"the {found.name} has {found.line_keys} line"
                f"{'s' if found.line_keys > 1 else ''}; {len(lines)} given",
                field="lines",
            )
        checked = tuple(_line(found, n, line) for n, line in enumerate(lines, 1))
        if label is not None:
            _check_value(found, "label", label, "phone_label", "phoneLabel")
        spec = cls(
            model=found,
            mac=address,
            proxy=registrar,
            lines=checked,
            firmware=_firmware(found, firmware),
            label=label or None,
            timezone=_timezone(timezone) if timezone else None,
            ntp=_check_host(ntp, "ntp", "sntp_server") if ntp else None,
            dialplan=_dialplan(dialplan) if dialplan is not None else None,
        )
        object.__setattr__(spec, "_checked", True)
        return spec


# Letters typed for the digits they look like, in a MAC copied from a label by hand.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def _mac_hint(text: str) -> str:
    """``; did you mean '...'?`` when replacing look-alike letters makes ``text`` a MAC."""
    guess = text.strip().translate(_LOOKALIKES)
    if guess == text.strip():
        return ""
    try:
        normalize_mac(guess)
    except ValueError:
        return ""
    return f"; did you mean {guess!r}?"


def _model_hint(text: str) -> str:
    """``; did you mean '7940'?`` for a model number one slip (a digit wrong, missing, extra,
    or two swapped) away from known ones."""
    from ciscocfg._phones import MODELS

    key = text.strip().upper().removeprefix("CP-").removesuffix("G")
    close = [name for name in MODELS if _one_slip(key, name)]
    if not close or len(close) > 3:
        return ""
    return "; did you mean " + " or ".join(map(repr, close)) + "?"


def _one_slip(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one typing slip (and is not ``b`` already)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        wrong = [i for i in range(len(a)) if a[i] != b[i]]
        return len(wrong) == 1 or (
            len(wrong) == 2
            and wrong[1] == wrong[0] + 1
            and a[wrong[0]] == b[wrong[1]]
            and a[wrong[1]] == b[wrong[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def parse_proxy(text: str) -> Proxy:
    """``HOST[:PORT]`` as a :class:`Proxy`; raises :class:`PhoneSpecError` (field ``proxy``)."""
    host, colon, port = text.strip().rpartition(":")
    if not colon:
        host, port = port, ""
    elif not port.isascii() or not port.isdigit():
        raise PhoneSpecError(
            f"{text!r} is not HOST[:PORT] (the port is not a number)", field="proxy"
        )
    if not host:
        raise PhoneSpecError(f"{text!r} is not HOST[:PORT] (no host)", field="proxy")
    return Proxy(host, int(port) if port else DEFAULT_SIP_PORT)


def parse_line(text: str) -> tuple[str, str, str]:
    """``USER:PASSWORD[:DISPLAY NAME]`` as (user, password, display name or ``""``).

    The display name may hold ``:``; the user and the password cannot (use an inventory for a
    password with a colon). Raises :class:`PhoneSpecError` (field ``lines``).
    """
    parts = text.split(":", 2)
    if len(parts) < 2:
        raise PhoneSpecError(f"{text!r} is not USER:PASSWORD[:DISPLAY NAME]", field="lines")
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def _line(model: PhoneModel, n: int, given: str | LineSpec | Sequence[str]) -> LineSpec:
    if isinstance(given, LineSpec):
        user, password, name = given.user, given.password, given.display_name
    elif isinstance(given, str):
        try:
            user, password, name = parse_line(given)
        except PhoneSpecError as exc:
            raise PhoneSpecError(exc.message, field=f"line{n}_user") from None
    else:
        if not 2 <= len(given) <= 3:
            raise PhoneSpecError(
                "a line is (user, password) or (user, password, display name)",
                field=f"line{n}_user",
            )
        user, password = given[0], given[1]
        name = given[2] if len(given) > 2 else ""
    if not user:
        raise PhoneSpecError(f"line {n} has no user", field=f"line{n}_user")
    if not _USER.match(user):
        raise PhoneSpecError(
            f"{user!r} is not a SIP user name this tool writes: letters, digits and . _ ~ + - "
            "only, starting with a letter or a digit",
            field=f"line{n}_user",
        )
    if user in UNSET:
        # The phone's own word for a line key without a line: it would not register.
        raise PhoneSpecError(f"{user!r} marks a line as not provisioned", field=f"line{n}_user")
    if not password:
        raise PhoneSpecError(f"line {n} has no password", field=f"line{n}_password")
    name = name or user
    _check_value(model, f"line{n}_user", user, f"line{n}_name", "name")
    _check_value(model, f"line{n}_password", password, f"line{n}_password", "authPassword")
    _check_value(model, f"line{n}_display_name", name, f"line{n}_displayname", "displayName")
    return LineSpec(user, password, name)


def _check_value(model: PhoneModel, field: str, value: str, cnf_key: str, xml_name: str) -> None:
    """Refuse a value the phone's config file cannot hold as it is."""
    if not value.isascii() or not value.isprintable():
        bad = next(
            (ch for ch in value if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")), None
        )
        if bad is not None:
            what = "a line break" if bad in "\r\n\u2028\u2029" else f"the control character {bad!r}"
            raise PhoneSpecError(f"{value!r} holds {what}", field=field)
    if value != value.strip():
        raise PhoneSpecError(f"{value!r} has blanks at one end", field=field)
    try:
        if model.is_79x1:
            escape_text(value)
        else:
            render_value(value, '"')
            param = PARAMETERS.get(cnf_key)
            problem = param.type.problem(value, _lines_of(model)) if param else None
            if problem is not None:
                raise ValidationError(f"{cnf_key} {problem[1]}")
    except ValidationError as exc:
        raise PhoneSpecError(str(exc), field=field) from None


@functools.lru_cache(maxsize=64)
def _lines_of(model: PhoneModel) -> int:
    return lines_for_model(model.name)


def _check_host(host: str, field: str, cnf_key: str) -> str:
    problem = PARAMETERS[cnf_key].type.problem(host, 6)
    if problem is not None:
        raise PhoneSpecError(problem[1], field=field)
    return host


def _firmware(model: PhoneModel, given: str | FirmwareImage | None) -> FirmwareImage:
    family = _family(model.name)
    if given is None:
        image = newest_image(model.name, Protocol.SIP)
        if image is None:
            raise PhoneSpecError(
                f"no SIP image of the {model.name} is known; name one", field="firmware"
            )
        return image
    try:
        image = given if isinstance(given, FirmwareImage) else parse(given.strip())
    except CiscoCfgError as exc:
        raise PhoneSpecError(getattr(exc, "message", str(exc)), field="firmware") from None
    if image.family != family:
        raise PhoneSpecError(
            f"{image.name} is a {image.family} image, not for the {model.name}", field="firmware"
        )
    if image.role is not Role.APPLICATION or image.protocol is not Protocol.SIP:
        raise PhoneSpecError(f"{image.name} is not a SIP phone application image", field="firmware")
    # A file name pasted with its extension names the same image.
    return parse(image.name) if image.extension else image


def _timezone(given: str) -> str:
    from ciscocfg.migrate._keymap import TIME_ZONES

    key = given.strip().upper()
    if key in TIME_ZONES:
        return key
    for abbreviation, name in TIME_ZONES.items():
        if name.lower() == given.strip().lower():
            return abbreviation
    raise PhoneSpecError(
        f"{given!r} is not a time zone this tool can write for both families; one of "
        + ", ".join(TIME_ZONES),
        field="timezone",
    )


def _dialplan(data: bytes) -> bytes:
    from ciscocfg import dialplan

    try:
        plan = dialplan.loads(data, source="dialplan.xml")
    except CiscoCfgError as exc:
        raise PhoneSpecError(str(exc), field="dialplan") from None
    errors = [d for d in dialplan.validate(plan) if d.severity == "error"]
    if errors:
        raise PhoneSpecError(f"the phone would not use it: {errors[0]}", field="dialplan")
    return data

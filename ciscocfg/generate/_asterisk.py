"""``asterisk-pjsip.conf``: an endpoint, an auth and an aor for every generated line.

The sections use the line's user as their name, as Asterisk's own examples do (one name, three
types): the phone's REGISTER and INVITE carry that user, which is what res_pjsip matches an
endpoint (``identify_by=username``) and an aor by. The options suit the 79xx phones: G.711 only
(what the 7940/7960 and the 79x1 all speak without a licence), RFC 4733 DTMF (the phones' AVT
payload 101), and media through Asterisk with symmetric RTP and a rewritten Contact, which
keeps phones behind NAT working. A transport section is left to the Asterisk configuration.
"""

from __future__ import annotations

from collections.abc import Iterable

from ciscocfg.generate._spec import PhoneSpec, PhoneSpecError

__all__ = ["PJSIP_CONF", "pjsip_conf"]

#: The file name the snippet is meant to have.
PJSIP_CONF = "asterisk-pjsip.conf"

_ENDPOINT_OPTIONS = (
    ("disallow", "all"),
    ("allow", "ulaw,alaw"),
    ("dtmf_mode", "rfc4733"),
    ("direct_media", "no"),
    ("rtp_symmetric", "yes"),
    ("force_rport", "yes"),
    ("rewrite_contact", "yes"),
    ("send_rpid", "yes"),
)


def _value(text: str) -> str:
    # Asterisk's config reader ends a value at ';' unless it is escaped; values were checked to
    # have no line breaks and no blanks at either end (which the reader would drop).
    return text.replace(";", r"\;")


def pjsip_conf(phones: Iterable[PhoneSpec], *, context: str = "phones") -> bytes:
    """The pjsip.conf sections for every line of ``phones``, matching their credentials.

    ``context`` is the dialplan context calls from the phones enter. Raises
    :class:`PhoneSpecError` for a user on two phones, or a display name Asterisk's caller-ID
    syntax cannot hold (a double quote, a backslash, ``<`` or ``>``).
    """
    if not context or not context.replace("-", "").replace("_", "").isalnum():
        raise PhoneSpecError(f"{context!r} is not a dialplan context name", field="context")
    out = [
        f"; {PJSIP_CONF}, written by ciscocfg: one endpoint, auth and aor per phone line.\n",
        "; #include it from pjsip.conf; the transport (UDP 5060) is configured there.\n",
    ]
    owners: dict[str, str] = {}
    for phone in phones:
        for n, line in enumerate(phone.lines, 1):
            if line.user in owners:
                raise PhoneSpecError(
                    f"user {line.user!r} of the phone {phone.mac} is also a line of "
                    f"{owners[line.user]}",
                    field=f"line{n}_user",
                )
            owners[line.user] = f"the phone {phone.mac}"
            bad = next((ch for ch in line.display_name if ch in '"\\<>'), None)
            if bad is not None:
                raise PhoneSpecError(
                    f"{line.display_name!r} of the phone {phone.mac}: Asterisk's callerid "
                    f"cannot hold {bad!r}",
                    field=f"line{n}_display_name",
                )
            user = line.user
            out.append(f"\n; {phone.model.name} {phone.mac}, line {n}\n")
            out.append(f"[{user}]\ntype=endpoint\ncontext={context}\n")
            out.extend(f"{key}={value}\n" for key, value in _ENDPOINT_OPTIONS)
            out.append(f'callerid="{_value(line.display_name)}" <{user}>\n')
            out.append(f"auth={user}\naors={user}\n")
            out.append(f"\n[{user}]\ntype=auth\nauth_type=userpass\nusername={user}\n")
            out.append(f"password={_value(line.password)}\n")
            out.append(f"\n[{user}]\ntype=aor\nmax_contacts=1\nremove_existing=yes\n")
            out.append("qualify_frequency=60\n")
    return "".join(out).encode("utf-8")

"""``ciscocfg new ROOT``: the files a new phone needs, from nothing to a phone that boots.

One phone from options (``--model --mac --proxy --line ...``) or a fleet from a CSV inventory
(``--csv FILE``). Every value is checked by :meth:`ciscocfg.generate.PhoneSpec.create` and every
file is built and checked by :mod:`ciscocfg.generate` before anything is written; the files are
then written all or nothing by :func:`ciscocfg._writing.write_files`, which never replaces a
file without ``--force``. The files every phone of a tree shares (``SIPDefault.cnf``,
``OS79XX.TXT``, ``dialplan.xml``) are written only where the tree has none: one the tree has is
kept, and what it contradicts is reported (``GEN001``-``GEN004``).

``--dnsmasq ADDR`` and ``--asterisk`` also write the peers' side, into ``--conf-dir`` (the
current folder by default), never into ROOT: a TFTP server hands out every file of its root to
whoever asks, and the Asterisk file holds the password of every line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ciscocfg._diagnostic import Diagnostic
    from ciscocfg.generate import PhoneSpec, PhoneSpecError, Rendering

__all__ = ["register"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

#: The options that describe one phone, which a CSV inventory gives as columns instead.
_ONE_PHONE = ("model", "mac", "proxy", "line", "label")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``new`` subcommand."""
    parser = subparsers.add_parser(
        "new",
        help="write the files a new phone (or a CSV inventory's phones) needs into a TFTP root",
        description="Write into ROOT every file a phone needs to boot and register: for a "
        "7940/7960 SIP<MAC>.cnf, SIPDefault.cnf, OS79XX.TXT and dialplan.xml, for the other "
        "models SEP<MAC>.cnf.xml and dialplan.xml. Every value and every file is checked "
        "first; on bad input nothing is written (exit status 2). A file is never replaced "
        "without --force; SIPDefault.cnf, OS79XX.TXT and dialplan.xml, which every phone of "
        "the tree reads, are written only where ROOT has none, and what the ones it has "
        "contradict is reported.",
    )
    parser.add_argument("root", metavar="ROOT", help="the TFTP root (made if missing)")
    one = parser.add_argument_group("one phone")
    one.add_argument("--model", help="7940, 7960, 7941, 7961, 7911, 7942, 7962, 7965, 7975 ...")
    one.add_argument("--mac", help="the phone's MAC, in any common spelling")
    one.add_argument(
        "--proxy", metavar="HOST[:PORT]", help="the SIP registrar every line uses (port 5060)"
    )
    one.add_argument(
        "--line",
        action="append",
        metavar="USER:PASSWORD[:DISPLAY NAME]",
        help="a line, once per line key used (2 on a 7940, 6 on a 7960 ...); the display name "
        "defaults to USER",
    )
    one.add_argument("--label", metavar="TEXT", help="the name the phone shows at the top")
    many = parser.add_argument_group("a fleet")
    many.add_argument(
        "--csv",
        metavar="FILE",
        help="the phones of a CSV inventory (columns mac, model, proxy, line1_user, "
        "line1_password, line1_display_name, ..., label), instead of the options above",
    )
    common = parser.add_argument_group("every phone")
    common.add_argument(
        "--firmware",
        metavar="IMAGE",
        help="the SIP image to run (default: the newest the library knows for the family)",
    )
    common.add_argument("--timezone", metavar="ZONE", help="e.g. CET, GMT, EST (default: none)")
    common.add_argument("--ntp", metavar="HOST", help="the time server (default: none)")
    common.add_argument(
        "--dialplan", metavar="FILE", help="a dialplan.xml to write instead of the default plan"
    )
    peers = parser.add_argument_group("the peers' side")
    peers.add_argument(
        "--dnsmasq",
        metavar="ADDR",
        help="also write dnsmasq-ciscocfg.conf: dnsmasq's TFTP server on ROOT, and DHCP "
        "options 150 and 66 naming ADDR (the IPv4 address the phones reach it at)",
    )
    peers.add_argument(
        "--asterisk",
        action="store_true",
        help="also write asterisk-pjsip.conf: an endpoint, auth and aor for every line",
    )
    peers.add_argument(
        "--conf-dir",
        metavar="DIR",
        default=".",
        help="where those two files go (default: the current folder; never inside ROOT, "
        "which a TFTP server hands out to anyone)",
    )
    parser.add_argument("--force", action="store_true", help="replace files that exist")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="text output: the findings and a summary only"
    )
    parser.set_defaults(handler=run)


class _Refused(Exception):
    """Input the command cannot use: one line for stderr, exit status 2."""


def run(args: argparse.Namespace) -> int:
    """Check everything, write the files all or nothing, report; 2 on bad input."""
    from ciscocfg._errors import CiscoCfgError

    try:
        plan = _plan(args)
    except _Refused as exc:
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except CiscoCfgError as exc:  # a refused write, a generator's refusal
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        written = _write(plan, force=args.force)
    except CiscoCfgError as exc:
        print(f"ciscocfg: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"ciscocfg: {_os_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    _report(plan, written, args)
    errors = any(d.severity == "error" for d in plan.rendering.findings)
    return EXIT_FINDINGS if errors else EXIT_OK


@dataclass(frozen=True)
class _Plan:
    """What the command will write, checked, before a byte is written."""

    root: str
    phones: list[PhoneSpec]
    rendering: Rendering
    #: The tree's files by name (in ROOT), and the peers' files by name (in ``conf_dir``).
    tree: dict[str, bytes]
    conf: dict[str, bytes]
    conf_dir: str
    #: The files the command read: never written onto.
    inputs: list[str]


def _plan(args: argparse.Namespace) -> _Plan:
    from ciscocfg.generate import dnsmasq_conf, pjsip_conf, render_tree
    from ciscocfg.generate._asterisk import PJSIP_CONF
    from ciscocfg.generate._dnsmasq import DNSMASQ_CONF
    from ciscocfg.generate._spec import PhoneSpecError

    root = args.root
    if not root:
        raise _Refused("ROOT is empty: name the TFTP root's folder")
    if os.path.lexists(root) and not os.path.isdir(root):
        raise _Refused(f"{root}: not a directory")
    dialplan = _read(args.dialplan, "--dialplan") if args.dialplan else None
    try:
        phones = _phones(args, dialplan)
    except PhoneSpecError as exc:
        raise _Refused(_where(exc, args)) from None
    existing = _shared_files(root)
    _refuse_other_family(root, phones)
    try:
        rendering = render_tree(phones, existing=existing)
    except PhoneSpecError as exc:
        raise _Refused(_where(exc, args)) from None
    conf: dict[str, bytes] = {}
    if args.dnsmasq is not None or args.asterisk:
        _refuse_conf_dir_in_root(args.conf_dir, root)
    if args.dnsmasq is not None:
        try:
            conf[DNSMASQ_CONF] = dnsmasq_conf(args.dnsmasq, tftp_root=os.path.abspath(root))
        except PhoneSpecError as exc:
            what = "--dnsmasq" if exc.field == "dnsmasq" else root
            raise _Refused(f"{what}: {exc.message}") from None
    if args.asterisk:
        try:
            conf[PJSIP_CONF] = pjsip_conf(phones)
        except PhoneSpecError as exc:
            where = _where(exc, args) if args.csv is None else f"{exc.field}: {exc.message}"
            raise _Refused(f"--asterisk: {where}") from None
    inputs = [path for path in (args.csv, args.dialplan) if path]
    return _Plan(root, phones, rendering, dict(rendering.files), conf, args.conf_dir, inputs)


def _phones(args: argparse.Namespace, dialplan: bytes | None) -> list[PhoneSpec]:
    from ciscocfg.generate import PhoneSpec, read_inventory

    given = [name for name in _ONE_PHONE if getattr(args, name) is not None]
    if args.csv is not None:
        if given:
            options = ", ".join(f"--{name}" for name in given)
            raise _Refused(f"--csv takes every phone from its rows: {options} cannot go with it")
        data = _read(args.csv, "--csv")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _Refused(f"{args.csv}: not UTF-8 text (byte {exc.start})") from None
        return read_inventory(
            text,
            firmware=args.firmware,
            timezone=args.timezone,
            ntp=args.ntp,
            dialplan=dialplan,
        )
    missing = [f"--{name}" for name in ("model", "mac", "proxy", "line") if name not in given]
    if missing:
        raise _Refused(f"a new phone needs {', '.join(missing)} (or --csv FILE for many phones)")
    phone = PhoneSpec.create(
        model=args.model,
        mac=args.mac,
        proxy=args.proxy,
        lines=args.line,
        label=args.label,
        firmware=args.firmware,
        timezone=args.timezone,
        ntp=args.ntp,
        dialplan=dialplan,
    )
    return [phone]


def _read(path: str, option: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise _Refused(f"{option} {_os_error(exc)}") from None


def _os_error(exc: OSError) -> str:
    where = f"{exc.filename}: " if exc.filename else ""
    return where + (exc.strerror or str(exc))


# Which option of one phone each field of a PhoneSpecError comes from.
_OPTIONS = {
    "model": "--model",
    "mac": "--mac",
    "proxy": "--proxy",
    "lines": "--line",
    "label": "--label",
    "firmware": "--firmware",
    "timezone": "--timezone",
    "ntp": "--ntp",
    "dialplan": "--dialplan",
}


def _where(exc: PhoneSpecError, args: argparse.Namespace) -> str:
    """The error with the option (one phone) or the file, row and column (a CSV) it is about."""
    if exc.row is not None:
        return f"{args.csv}: {exc}"
    if exc.field.startswith("line") and "_" in exc.field:
        number, part = exc.field.removeprefix("line").split("_", 1)
        return f"--line {number} ({part.replace('_', ' ')}): {exc.message}"
    option = _OPTIONS.get(exc.field)
    if option == "--dialplan":
        return f"--dialplan {args.dialplan}: {exc.message}"
    if option is not None:
        return f"{option}: {exc.message}"
    return str(exc)


def _shared_files(root: str) -> dict[str, bytes]:
    """The shared files ROOT has already, by name: they are kept, never replaced."""
    from ciscocfg.generate import SHARED_FILES

    found: dict[str, bytes] = {}
    for name in SHARED_FILES:
        path = os.path.join(root, name)
        if not os.path.lexists(path):
            continue
        try:
            with open(path, "rb") as handle:
                found[name] = handle.read()
        except OSError as exc:
            why = exc.strerror or str(exc)
            raise _Refused(f"{path}: cannot read the tree's own {name}: {why}") from None
    return found


def _refuse_other_family(root: str, phones: Sequence[PhoneSpec]) -> None:
    """Refuse a phone whose MAC has the other family's own file in ROOT (any case).

    A 7940/7960 asks for ``SEP<MAC>.cnf.xml`` before its ``SIP<MAC>.cnf`` and boots SCCP when
    it finds one; a ``SIP<MAC>.cnf`` beside a 79x1's file makes the tree say the MAC is a
    7940/7960. Either is left from an earlier description of the phone, and is not ours to
    delete.
    """
    try:
        names = os.listdir(root)
    except OSError:
        return
    by_case = {name.upper(): name for name in names}
    for phone in phones:
        other = f"SIP{phone.mac}.CNF" if phone.is_79x1 else f"SEP{phone.mac}.CNF.XML"
        found = by_case.get(other)
        if found is None:
            continue
        path = os.path.join(root, found)
        if phone.is_79x1:
            why = (
                f"a 7940/7960's file; the {phone.model.name} never reads it, and beside "
                "the new file it makes the tree say this phone is a 7940/7960"
            )
        else:
            why = (
                f"the {phone.model.name} asks for it before its SIP{phone.mac}.cnf and would "
                "boot SCCP with it"
            )
        raise _Refused(f"{path} is there for this MAC: {why}; move it out of ROOT first")


def _refuse_conf_dir_in_root(conf_dir: str, root: str) -> None:
    folder = os.path.realpath(conf_dir)
    tree = os.path.realpath(root)
    if folder == tree or folder.startswith(tree.rstrip(os.sep) + os.sep):
        raise _Refused(
            f"--conf-dir {conf_dir} is inside ROOT, where the TFTP server would hand "
            "dnsmasq-ciscocfg.conf and asterisk-pjsip.conf (every line's password) to anyone"
        )


def _write(plan: _Plan, *, force: bool) -> list[str]:
    """Write the tree's files and the peers' files, all or nothing; their paths, in order."""
    from ciscocfg._writing import PathLike, check_writable, write_files

    files: dict[PathLike, bytes] = {}
    for folder, group in ((plan.root, plan.tree), (plan.conf_dir, plan.conf)):
        for name, data in group.items():
            path = os.path.join(folder, name)
            # Each group is checked within its own folder; the write below repeats the rules.
            if os.path.isdir(folder):
                check_writable(path, force=force, inputs=plan.inputs, within=folder)
            files[path] = data
    write_files(files, force=force, inputs=plan.inputs, make_folders=True)
    return [os.fspath(path) for path in files]


def _report(plan: _Plan, written: list[str], args: argparse.Namespace) -> None:
    from ciscocfg.generate import file_names

    findings = sorted(plan.rendering.findings, key=lambda d: d.sort_key())
    if args.format == "json":
        data: dict[str, Any] = {
            "root": plan.root,
            "written": written,
            "kept": [os.path.join(plan.root, name) for name in plan.rendering.kept],
            "phones": [
                {
                    "mac": phone.mac,
                    "model": phone.model.name,
                    "firmware": phone.firmware.name,
                    "files": list(file_names(phone)),
                }
                for phone in plan.phones
            ],
            "diagnostics": [_diagnostic_json(d) for d in findings],
            "errors": any(d.severity == "error" for d in findings),
        }
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    out: list[str] = []
    if not args.quiet:
        out.extend(f"wrote {path}" for path in written)
        out.extend(
            f"kept {os.path.join(plan.root, name)}: the tree's own, read by every phone "
            "(not changed)"
            for name in plan.rendering.kept
        )
    out.extend(str(_placed(d, plan.root)) for d in findings)
    out.append(_summary(plan, written))
    if not args.quiet:
        out.extend(_next_steps(plan))
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # findings quote what the user typed
        reconfigure(errors="backslashreplace")
    sys.stdout.write("\n".join(out) + "\n")


def _diagnostic_json(diag: Diagnostic) -> dict[str, Any]:
    return {
        "code": diag.code,
        "severity": diag.severity,
        "message": diag.message,
        "source": diag.source,
        "line": diag.line,
        "column": diag.column,
        "suggestion": diag.suggestion,
    }


def _placed(diag: Diagnostic, root: str) -> Diagnostic:
    import attrs

    if diag.source is None:
        return diag
    return attrs.evolve(diag, source=os.path.join(root, diag.source))


def _summary(plan: _Plan, written: Sequence[str]) -> str:
    counts = {s: sum(1 for d in plan.rendering.findings if d.severity == s) for s in _SEVERITIES}
    phones = plan.phones
    if len(phones) == 1:
        (phone,) = phones
        who = f"the {phone.model.name} {phone.mac} ({phone.firmware.name})"
    else:
        who = f"{len(phones)} phones"
    found = ", ".join(f"{n} {_SEVERITIES[s]}" for s, n in counts.items() if n)
    return f"{len(written)} file(s) written for {who}" + (f"; {found}" if found else "")


_SEVERITIES: Mapping[str, str] = {"error": "error(s)", "warning": "warning(s)", "info": "note(s)"}


def _next_steps(plan: _Plan) -> list[str]:
    """What to do before a phone boots from the tree: its firmware, then the boot check."""
    import shlex

    images = sorted({phone.firmware.name for phone in plan.phones})
    packages = " and ".join(", ".join(f"{image}.loads" for image in images).rsplit(", ", 1))
    them = "it names" if len(images) == 1 else "they name"
    return [
        f"next: copy {packages} and the files {them} into {plan.root}",
        "      check the boot of a phone that runs IMAGE now: "
        f"ciscocfg check {shlex.quote(plan.root)} --running IMAGE",
    ]

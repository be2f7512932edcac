"""One error hierarchy: input read raises ParseError, a caller's mistake ValidationError (or a
narrower subclass) in every module, and no built-in exception escapes outside a few protocols."""

from __future__ import annotations

import ast
import builtins
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import PROJECT_ROOT

import ciscocfg
from ciscocfg import (
    ArgumentTypeError,
    CiscoCfgError,
    EmitError,
    LocalProtocolError,
    TftpError,
    ValidationError,
    cnf,
    dialplan,
    firmware,
    migrate,
    ringlist,
    sepxml,
    tftp,
)
from ciscocfg._phones import normalize_mac, phone_model
from ciscocfg.aio import PathRejected, TftpServer
from ciscocfg.inventory import schema_sql

_PACKAGE = PROJECT_ROOT / "ciscocfg"

#: (module, built-in exception) -> why raising it there is right. Everything else the package
#: raises is one of its own classes.
ALLOWED: dict[tuple[str, str], str] = {
    ("cnf/_document.py", "KeyError"): "the mapping protocol: del doc[key] of a key not there",
    ("cnf/_document.py", "IndexError"): "the sequence protocol: a line number past the end",
    ("firmware/_names.py", "TypeError"): (
        "the ordering protocol: images of different families do not compare, and sorted() "
        "expects TypeError"
    ),
    ("generate/_dialplan.py", "AssertionError"): "the library's own output failing its lint",
    ("generate/_render.py", "AssertionError"): "the library's own output failing its validator",
    ("tftp/_engine.py", "NotImplementedError"): "abstract methods of the engine base",
    ("tftp/server.py", "NotImplementedError"): "an abstract property of the server engines",
    ("tftp/testing.py", "RuntimeError"): "the harness's verdict on engines that never settle",
    ("__init__.py", "AttributeError"): "the module __getattr__ protocol, for a name not there",
    ("__main__.py", "SystemExit"): "python -m ciscocfg exits with the command's status",
}
#: The command line turns what it raises into an exit status of 2 before a caller sees it.
_NOT_SCANNED = ("cli/",)
#: The file system's and the network's answers stay OSErrors (FileNotFoundError, a resolver's
#: failure ...), as the standard library gives them; they are not scanned for.
_BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type)
    and issubclass(value, BaseException)
    and not issubclass(value, OSError)
}


def _raised_builtins(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id in _BUILTIN_EXCEPTIONS:
                found.add(target.id)
    return found


def test_no_builtin_exception_is_raised_outside_the_allowed_places() -> None:
    if not _PACKAGE.is_dir():
        pytest.skip("the sources are not beside the tests")
    raised: set[tuple[str, str]] = set()
    for path in sorted(_PACKAGE.rglob("*.py")):
        module = path.relative_to(_PACKAGE).as_posix()
        if not module.startswith(_NOT_SCANNED):
            raised |= {(module, name) for name in _raised_builtins(path)}
    assert raised - set(ALLOWED) == set(), (
        "raise a ciscocfg error instead (docs/reference/errors.md)"
    )
    assert set(ALLOWED) - raised == set(), "an allowance no longer needed"


def test_the_scan_sees_a_builtin_raise(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(x):\n    if x:\n        raise ValueError('no')\n    raise KeyError\n"
        "def g():\n    raise FileNotFoundError(2, 'gone')\n"
    )
    assert _raised_builtins(sample) == {"ValueError", "KeyError"}


def test_the_hierarchy() -> None:
    for cls in (ValidationError, EmitError, ArgumentTypeError, LocalProtocolError, PathRejected):
        assert issubclass(cls, CiscoCfgError), cls
    for cls in (ValidationError, EmitError, ArgumentTypeError, LocalProtocolError):
        assert issubclass(cls, ValueError), cls  # `except ValueError` callers keep working
    assert issubclass(EmitError, ValidationError)
    assert issubclass(ArgumentTypeError, TypeError)
    assert issubclass(LocalProtocolError, TftpError)
    assert issubclass(LocalProtocolError, ValidationError)
    assert set(ciscocfg.__all__) >= {"ArgumentTypeError", "EmitError", "ValidationError"}


def _config() -> sepxml.DeviceConfig:
    return sepxml.loads("<device><deviceProtocol>SIP</deviceProtocol></device>")


def _spec_error() -> None:
    from ciscocfg.generate import PhoneSpec

    PhoneSpec.create(mac="zz", model="7961", proxy="pbx", lines=[("100", "pw")])


#: One caller's mistake per module, and the class it must raise.
MISTAKES: list[tuple[str, Callable[[], object], type[ValidationError]]] = [
    ("tftp.encode block", lambda: tftp.encode(tftp.Data(70000, b"")), ValidationError),
    (
        "tftp.encode NUL",
        lambda: tftp.encode(tftp.ReadRequest("a\0b", "octet", {})),
        ValidationError,
    ),
    ("tftp.ServerPolicy", lambda: tftp.ServerPolicy(max_blksize=1), ValidationError),
    ("tftp.RetryPolicy", lambda: tftp.RetryPolicy(max_retries=-1), ValidationError),
    (
        "DialPlan.append",
        lambda: dialplan.loads("<DIALTEMPLATE/>").append("1", colour="red"),
        ValidationError,
    ),
    ("normalize_mac", lambda: normalize_mac("00:11:22"), ValidationError),
    ("phone_model", lambda: phone_model("7999"), ValidationError),
    (
        "firmware.resolve family",
        lambda: firmware.resolve("SIP 8.1", family="7999"),
        ValidationError,
    ),
    (
        "firmware.resolve other family",
        lambda: firmware.resolve("SIP41.9-4-2SR3-1S", family="7940"),
        ValidationError,
    ),
    (
        "firmware.upgrade_path",
        lambda: firmware.upgrade_path("SIP 8.1", "SIP 8.2", family="x"),
        ValidationError,
    ),
    ("sepxml.set_url", lambda: _config().set_url("homeURL", "http://x/"), ValidationError),
    ("migrate model", lambda: migrate.cnf_to_sepxml(cnf.loads(""), model="7940"), ValidationError),
    (
        "migrate unknown model",
        lambda: migrate.cnf_to_sepxml(cnf.loads(""), model="79"),
        ValidationError,
    ),
    ("inventory.schema_sql", lambda: schema_sql("sqlite", lines=0), ValidationError),
    ("TftpServer", lambda: TftpServer(), ValidationError),
    ("TftpServer.address", lambda: TftpServer(root=".").address, ValidationError),
    ("generate.PhoneSpec", _spec_error, ValidationError),
    ("cnf value", lambda: cnf.loads("a: 1\n").__setitem__("a", "x\ny"), EmitError),
    ("cnf key", lambda: cnf.loads("").__setitem__("a b", "1"), EmitError),
    ("ringlist name", lambda: ringlist.loads("").append("A\tB", "b.raw"), EmitError),
    ("xml name", lambda: _config().set("1bad", "x"), EmitError),
    ("xml character", lambda: _config().set("phoneLabel", "\x01"), EmitError),
    ("firmware.parse type", lambda: firmware.parse(3), ArgumentTypeError),  # type: ignore[arg-type]
    ("tftp.encode type", lambda: tftp.encode(object()), ArgumentTypeError),  # type: ignore[arg-type]
    ("sepxml.loads type", lambda: sepxml.loads(3), ArgumentTypeError),  # type: ignore[arg-type]
    ("cnf value type", lambda: cnf.loads("").__setitem__("a", b"1"), ArgumentTypeError),  # type: ignore[assignment]
    (
        "engine misuse",
        lambda: tftp.ClientRead("f", 0.0, server=("127.0.0.1", 69), mode="mail"),
        LocalProtocolError,
    ),
]


@pytest.mark.parametrize(("what", "call", "cls"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_callers_mistake_raises_the_documented_class(
    what: str, call: Callable[[], object], cls: type[ValidationError]
) -> None:
    with pytest.raises(cls) as raised:
        call()
    assert isinstance(raised.value, ValueError)
    assert str(raised.value)


def test_errors_with_their_own_fields_survive_pickling() -> None:
    refused = pickle.loads(pickle.dumps(PathRejected("../etc/passwd", "outside the root")))
    assert (refused.name, refused.reason) == ("../etc/passwd", "outside the root")
    assert str(refused) == "'../etc/passwd': outside the root"

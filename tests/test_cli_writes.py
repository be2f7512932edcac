"""No command loses a file: every command that writes, against every way a write can lose one.

The table ``WRITERS`` has one row per writing command. A row sets up its scene in an empty
folder (the command line, the file it writes, what that file holds after a successful write,
the command aimed at one of its own inputs) and names the cases that apply to it; a case that
does not apply says why in ``not_applicable``, so that each row is judged on every case. The
cases:

* ``exists``: the target is there: refused without ``--force`` (exit 2, one line
  ``ciscocfg: PATH: reason``, nothing changed), replaced with it;
* ``input``: the command is aimed at one of its inputs: refused, ``--force`` or not;
* ``dangling``: the target is a dangling link out of the destination: refused without
  ``--force``, the link replaced with it; never anything written where it points;
* ``folder_link``: a folder on the way into the destination is a link out of it: refused,
  ``--force`` or not, and nothing written anywhere;
* ``fsync_fails`` and ``rename_fails``: the disk fails while an existing target is replaced
  (``--force``): the command fails, the old file is whole, no temporary file is left.

Commands run in this process through :func:`ciscocfg.cli.main`, so that the failures can be
injected; ``get`` and ``check --save`` talk to one of our servers on loopback. A new writing
command is one more row: a scene function and its cases.
"""

from __future__ import annotations

import io
import math
import os
import struct
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.aio_server import background_server
from support.bundles import lay_bundles
from support.firmware_trees import sip_tree
from support.trees import MAC, build_tree

from ciscocfg import cnf, ringtone
from ciscocfg.cli import main

OLD = b"the user's own file, which must survive\n"
CASES = ("exists", "input", "dangling", "folder_link", "fsync_fails", "rename_fails")


@dataclass(frozen=True)
class Env:
    """What the scenes share: a TFTP server on loopback and the root it serves."""

    port: int
    served: Path


@dataclass
class Scene:
    """One command writing one file, set up in its own folder."""

    #: The command line that writes ``target`` (``--force`` is added where a case needs it).
    argv: list[str]
    target: Path
    #: What ``target`` holds after a successful write.
    expected: Callable[[bytes], bool]
    #: The command aimed at one of its own inputs, and that input.
    onto_input: tuple[list[str], Path] | None = None
    #: A folder of the destination the command writes into (made a link out of it by the
    #: ``folder_link`` case).
    folder_on_the_way: Path | None = None
    #: Exit statuses of a successful write (``check`` also says 1 when the phone will not boot).
    ok: frozenset[int] = frozenset({0})
    #: What replaces an existing target (nothing, for a command that rewrites its inputs).
    force: tuple[str, ...] = ("--force",)


@dataclass(frozen=True)
class Writer:
    """A row of the table: a writing command, its scene, and the cases it is judged on."""

    name: str
    scene: Callable[[Path, Env], Scene]
    cases: tuple[str, ...]
    not_applicable: dict[str, str] = field(default_factory=dict)


# --- the scenes ----------------------------------------------------------------------------


def _fmt(tmp: Path, env: Env) -> Scene:
    target = tmp / "SIPDefault.cnf"
    text = "phone_label: \u201cDesk 7\u201d\nproxy_register:\u00a01\n"
    target.write_text(text, encoding="utf-8")
    repaired = cnf.fix_text(text).encode("utf-8")
    return Scene(["fmt", "--write", str(target)], target, lambda data: data == repaired, force=())


def _wav() -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as song:
        song.setnchannels(1)
        song.setsampwidth(2)
        song.setframerate(8000)
        samples = (int(8000 * math.sin(n * 0.3)) for n in range(4000))
        song.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return out.getvalue()


def _ringtone(tmp: Path, env: Env) -> Scene:
    song = tmp / "song.wav"
    song.write_bytes(_wav())
    raw = ringtone.from_wav(song.read_bytes())
    target = tmp / "Song.raw"
    return Scene(
        ["ringtone", str(song), "-o", str(target)],
        target,
        lambda data: data == raw,
        onto_input=(["ringtone", str(song), "-o", str(song)], song),
    )


DEFAULT = 'proxy_register: 1\nimage_version: P0S3-8-12-00\ntime_zone: "EST"\n'
PHONE = 'line1_name: "2001"\nline1_authname: "2001"\nproxy1_address: "192.0.2.10"\n'


def _source_tree(tmp: Path) -> Path:
    src = tmp / "tftp"
    src.mkdir()
    (src / "SIPDefault.cnf").write_text(DEFAULT)
    (src / f"SIP{MAC}.cnf").write_text(PHONE)
    (tmp / "dst").mkdir()
    return src


def _migrate_tree(tmp: Path, env: Env) -> Scene:
    src = _source_tree(tmp)
    argv = ["migrate", str(src), str(tmp / "dst"), "--model", "7961", "--quiet"]
    return Scene(
        argv,
        tmp / "dst" / f"SEP{MAC}.cnf.xml",
        lambda data: b"<device>" in data and b"<name>2001</name>" in data,
        # `migrate tftp tftp`: a 7940 finding SEP<MAC>.cnf.xml beside its files boots SCCP.
        onto_input=(["migrate", str(src), str(src), "--model", "7961"], src / f"SIP{MAC}.cnf"),
    )


def _migrate_report(tmp: Path, env: Env) -> Scene:
    src = _source_tree(tmp)
    argv = ["migrate", str(src), str(tmp / "dst"), "--model", "7961", "--quiet"]
    default = src / "SIPDefault.cnf"
    return Scene(
        argv,
        tmp / "dst" / "migration-report.txt",
        lambda data: data.startswith(b"Migration to the Cisco 7961: 1 of 1"),
        onto_input=([*argv, "--report", str(default)], default),
    )


def _check_save(tmp: Path, env: Env) -> Scene:
    saved = tmp / "saved"
    saved.mkdir()
    served = (env.served / "SIPDefault.cnf").read_bytes()
    return Scene(
        ["check", f"tftp://127.0.0.1:{env.port}", "--mac", MAC, "--save", str(saved)],
        saved / "SIPDefault.cnf",
        lambda data: data == served,
        folder_on_the_way=saved / "sip_phone",  # tftp_cfg_dir: the SIP<MAC>.cnf read there
        ok=frozenset({0, 1}),
    )


def _get(tmp: Path, env: Env) -> Scene:
    served = (env.served / "SIPDefault.cnf").read_bytes()
    target = tmp / "SIPDefault.cnf"
    return Scene(
        ["get", "127.0.0.1", "SIPDefault.cnf", "-o", str(target), "--port", str(env.port), "-q"],
        target,
        lambda data: data == served,
    )


def _new(tmp: Path, env: Env) -> Scene:
    root = tmp / "tftp"
    root.mkdir()
    argv = ["new", str(root), "--model", "7940", "--mac", MAC, "--proxy", "192.0.2.10"]
    argv += ["--line", "201:s3cret:Kitchen", "-q"]
    return Scene(
        argv,
        root / f"SIP{MAC}.cnf",
        lambda data: b"line1_name" in data and b"201" in data,
    )


def _stage(tmp: Path, env: Env) -> Scene:
    bundles = lay_bundles(tmp / "bundles", "P0S3-06-3-00", nested=False)
    root = sip_tree(tmp / "root", named="P0S3-06-3-00", selector="P0S3-06-3-00")
    image = (bundles / "P0S3-06-3-00.bin").read_bytes()
    argv = ["firmware", "stage", str(root), "--running", "SCCP 3.x"]
    argv += ["--target", "P0S3-06-3-00", "--from", str(bundles)]
    return Scene(argv, root / "P0S3-06-3-00.bin", lambda data: data == image)


_NO_DESTINATION = "OUT is named by the user: no destination folder it must stay in"
_NO_INPUT = "its only input is what the server sends"

WRITERS = [
    Writer(
        "fmt --write",
        _fmt,
        ("fsync_fails", "rename_fails"),
        {
            "exists": "rewriting its input in place is what it is asked to do",
            "input": "rewriting its input in place is what it is asked to do",
            "dangling": "it rewrites files it has read; a dangling link cannot be read",
            "folder_link": "the user names each file: no destination folder",
        },
    ),
    Writer(
        "ringtone -o",
        _ringtone,
        ("exists", "input", "dangling", "fsync_fails", "rename_fails"),
        {"folder_link": _NO_DESTINATION},
    ),
    Writer(
        "migrate (configs)",
        _migrate_tree,
        ("exists", "input", "dangling", "fsync_fails", "rename_fails"),
        {"folder_link": "it writes SEP<MAC>.cnf.xml at the top of DST_TREE: no folder on the way"},
    ),
    Writer(
        "migrate (report)",
        _migrate_report,
        ("exists", "input", "dangling", "fsync_fails", "rename_fails"),
        {"folder_link": "the default report is at the top of DST_TREE; --report is the user's"},
    ),
    Writer(
        "check --save",
        _check_save,
        ("exists", "dangling", "folder_link", "fsync_fails", "rename_fails"),
        {"input": _NO_INPUT},
    ),
    Writer(
        "new",
        _new,
        ("exists", "dangling", "fsync_fails", "rename_fails"),
        {
            "input": "its inputs (a CSV, a dial plan) are read, never written; a dial plan "
            "in ROOT is the shared file it keeps",
            "folder_link": "it writes at the top of ROOT: no folder on the way",
        },
    ),
    Writer(
        "firmware stage",
        _stage,
        ("exists", "dangling", "fsync_fails", "rename_fails"),
        {
            "input": "a file of DIR already in ROOT with the same bytes is not written at all",
            "folder_link": "it writes at the top of ROOT: no folder on the way",
        },
    ),
    Writer(
        "get",
        _get,
        ("exists", "dangling", "fsync_fails", "rename_fails"),
        {"input": _NO_INPUT, "folder_link": _NO_DESTINATION},
    ),
]


# --- running a case ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    root = build_tree(tmp_path_factory.mktemp("served"))
    with (root / "SIPDefault.cnf").open("a") as default:
        default.write('tftp_cfg_dir: "./sip_phone/"\n')
    (root / "sip_phone").mkdir()
    (root / "sip_phone" / f"SIP{MAC}.cnf").write_bytes((root / f"SIP{MAC}.cnf").read_bytes())
    with background_server(root) as server:
        yield Env(server.port, root)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder out of every destination; nothing may ever appear in it."""
    place = tmp_path / "outside"
    place.mkdir()
    return place


def _snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry below ``folder``: a file's bytes, a link's target, ``"<dir>"``."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        if path.is_symlink():
            found[name] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[name] = "<dir>"
        else:
            found[name] = path.read_bytes()
    return found


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(argv)
    return status, capsys.readouterr().err


def _refused(status: int, err: str, *words: str) -> None:
    assert status == 2, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ciscocfg: "), err
    for word in words:
        assert word in lines[0], err


def _ok(scene: Scene, status: int, err: str) -> None:
    assert status in scene.ok, err
    assert not scene.target.is_symlink()
    assert scene.expected(scene.target.read_bytes())


def case_exists(scene: Scene, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scene.target.write_bytes(OLD)
    before = _snapshot(tmp)
    status, err = _run(scene.argv, capsys)
    # The file named, and what to do: its own wording where a command knows more (stage
    # names the bundle whose bytes differ).
    _refused(status, err, str(scene.target), "--force")
    assert _snapshot(tmp) == before
    status, err = _run([*scene.argv, "--force"], capsys)
    _ok(scene, status, err)


def case_input(scene: Scene, tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert scene.onto_input is not None
    argv, source = scene.onto_input
    kept = source.read_bytes()
    before = _snapshot(tmp)
    for force in ([], ["--force"]):
        status, err = _run([*argv, *force], capsys)
        _refused(status, err)
        assert "input" in err or "tree being migrated" in err, err
        assert _snapshot(tmp) == before
    assert source.read_bytes() == kept


def case_dangling(
    scene: Scene, tmp: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scene.target.symlink_to(outside / "victim")
    before = _snapshot(tmp)
    status, err = _run(scene.argv, capsys)
    # The file named, and what to do: its own wording where a command knows more (stage
    # names the bundle whose bytes differ).
    _refused(status, err, str(scene.target), "--force")
    assert _snapshot(tmp) == before
    status, err = _run([*scene.argv, "--force"], capsys)
    _ok(scene, status, err)  # the link itself was replaced
    assert list(outside.iterdir()) == []


def case_folder_link(
    scene: Scene, tmp: Path, outside: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert scene.folder_on_the_way is not None
    scene.folder_on_the_way.symlink_to(outside)
    before = _snapshot(tmp)
    for force in ([], ["--force"]):
        status, err = _run([*scene.argv, *force], capsys)
        _refused(status, err, "symbolic link on the way leads out of")
        assert _snapshot(tmp) == before
    assert list(outside.iterdir()) == []


def _failing(name: str, real: Callable[..., object], target: Path) -> Callable[..., object]:
    """``os.fsync`` failing every time, or ``os.replace`` failing whenever it would put a file
    on the target's name."""

    def fail(*args: object, **kwargs: object) -> object:
        if name == "fsync" or Path(str(args[1])).name == target.name:
            raise OSError(5, "Input/output error")
        return real(*args, **kwargs)

    return fail


def case_fails(
    scene: Scene,
    tmp: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    call: str,
) -> None:
    if not scene.target.exists():
        scene.target.write_bytes(OLD)
    before = _snapshot(tmp)
    with monkeypatch.context() as patch:
        patch.setattr(os, call, _failing(call, getattr(os, call), scene.target))
        status, err = _run([*scene.argv, *scene.force], capsys)
    assert status != 0, err
    # One line naming the file that failed (a file of the destination: the target, or the
    # first of several written at once), never a temporary name.
    (line,) = err.splitlines()
    assert line.startswith("ciscocfg: "), err
    assert "Input/output error" in line, err
    assert f"{tmp}{os.sep}" in line, err
    assert "/." not in line, err
    if call == "replace":
        assert str(scene.target) in line, err
    assert _snapshot(tmp) == before  # the old file whole, no temporary file, no new folder


@pytest.mark.parametrize(
    ("writer", "case"),
    [pytest.param(w, c, id=f"{w.name}-{c}") for w in WRITERS for c in w.cases],
)
def test_no_command_loses_a_file(
    writer: Writer,
    case: str,
    env: Env,
    tmp_path: Path,
    outside: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tmp = tmp_path / "work"
    tmp.mkdir()
    scene = writer.scene(tmp, env)
    if case == "exists":
        case_exists(scene, tmp, capsys)
    elif case == "input":
        case_input(scene, tmp, capsys)
    elif case == "dangling":
        case_dangling(scene, tmp, outside, capsys)
    elif case == "folder_link":
        case_folder_link(scene, tmp, outside, capsys)
    else:
        call = {"fsync_fails": "fsync", "rename_fails": "replace"}[case]
        case_fails(scene, tmp, capsys, monkeypatch, call)


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.name)
def test_every_writer_works_and_is_judged_on_every_case(
    writer: Writer, env: Env, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sorted([*writer.cases, *writer.not_applicable]) == sorted(CASES)
    tmp = tmp_path / "work"
    tmp.mkdir()
    scene = writer.scene(tmp, env)
    status, err = _run(scene.argv, capsys)
    _ok(scene, status, err)
    leftovers = [p.name for p in tmp.rglob(".*") if p.name.endswith((".part", ".old"))]
    assert leftovers == []

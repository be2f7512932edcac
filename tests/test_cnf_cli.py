"""``ciscocfg lint`` and ``ciscocfg fmt`` on .cnf files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ciscocfg.cli import main

BROKEN = "line1_name\u00a0: \u201c100\u201d\r\nproxy1_port: 5060\r\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_lint_reports_and_exits_1_on_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "SIP0012D9122138.cnf", BROKEN)
    assert main(["lint", "--model", "7940", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any("error CNF401" in line for line in out)
    assert f"{path}:1:1: warning CNF101: unknown key 'line1_name\\xa0'" in out[1]


def test_lint_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "SIPDefault.cnf", "proxy1_address: 10.0.0.5\nproxy1_port: 5060\n")
    assert main(["lint", str(path)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "1 file(s) linted: no findings\n"


def test_lint_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "SIPDefault.cnf", "proxy1_adress: 10.0.0.5\n")
    assert main(["lint", str(path)]) == 0
    assert "CNF101" in capsys.readouterr().out


def test_lint_kind_option_and_template_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A template tag is a placeholder line (info), not a line the phone misreads; an {if} makes
    # no key, so line 1 is known to be missing.
    path = write(tmp_path, "shared.cnf", "{if $x}\nproxy1_port: 5060\n")
    assert main(["lint", "--kind", "phone", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:1: info TPL001" in out
    assert "CNF001" not in out
    assert "CNF401" in out


def test_lint_tells_a_file_by_its_content_when_its_name_says_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "SEPBASE", "line1_name: 1\n")
    assert main(["lint", str(path)]) == 0
    prose = write(tmp_path, "notes", "Some prose, and nothing a phone reads.\n")
    assert main(["lint", str(prose)]) == 2
    assert "unknown file kind" in capsys.readouterr().err
    assert main(["lint", "--kind", "cnf", str(prose)]) == 1  # CNF001: not key: value
    # The old spelling of the input kind still works, with a word about the new one.
    assert main(["lint", "--format", "cnf", str(path)]) == 0
    assert "use --kind cnf" in capsys.readouterr().err


def test_lint_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A file that is not there is input the command cannot read (2), not a finding (1).
    assert main(["lint", str(tmp_path / "SIPDefault.cnf")]) == 2
    assert f"{tmp_path / 'SIPDefault.cnf'}: No such file" in capsys.readouterr().err


def test_fmt_prints_a_diff_and_leaves_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "SIPDefault.cnf", BROKEN)
    assert main(["fmt", str(path)]) == 0
    out = capsys.readouterr().out
    assert "-line1_name\u00a0: \u201c100\u201d\r\n" in out
    assert '+line1_name : "100"\r\n' in out
    assert path.read_bytes() == BROKEN.encode("utf-8")


def test_fmt_write_repairs_only_quotes_and_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "SIPDefault.cnf"
    # Latin-1 bytes in a comment are not UTF-8: they must come back untouched.
    path.write_bytes(BROKEN.encode("utf-8") + b"# caf\xe9 \xff")
    raw = path.read_bytes()
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_bytes() == raw.replace("\u00a0".encode(), b" ").replace(
        "\u201c".encode(), b'"'
    ).replace("\u201d".encode(), b'"')
    assert "repaired" in capsys.readouterr().out
    assert main(["fmt", "--check", str(path)]) == 0


def test_fmt_write_through_a_link_repairs_the_file_it_names(tmp_path: Path) -> None:
    # A tree whose SIPDefault.cnf is a link to a shared copy keeps the link; the copy is
    # repaired, with its permissions, and nothing else is left beside it.
    (tmp_path / "shared").mkdir()
    shared = write(tmp_path / "shared", "SIPDefault.cnf", BROKEN)
    shared.chmod(0o640)
    tree = tmp_path / "tftp"
    tree.mkdir()
    (tree / "SIPDefault.cnf").symlink_to(shared)
    assert main(["fmt", "--write", str(tree / "SIPDefault.cnf")]) == 0
    assert (tree / "SIPDefault.cnf").is_symlink()
    assert shared.read_bytes() == b'line1_name : "100"\r\nproxy1_port: 5060\r\n'
    assert shared.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in shared.parent.iterdir()] == ["SIPDefault.cnf"]


def test_fmt_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "SIPDefault.cnf", BROKEN)
    assert main(["fmt", "--check", str(path)]) == 1
    assert "would repair" in capsys.readouterr().out
    assert path.read_bytes() == BROKEN.encode("utf-8")


def test_fmt_removes_a_byte_order_mark_as_it_repairs_no_break_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path, "SIP001BD4123456.cnf", "\ufeffline1_name: 201\r\nproxy1_port:\u00a05060\r\n"
    )
    assert main(["lint", str(path)]) == 1  # the phone reads no line1_name
    assert "CNF003" in capsys.readouterr().out
    assert main(["fmt", "--check", str(path)]) == 1
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_bytes() == b"line1_name: 201\r\nproxy1_port: 5060\r\n"
    capsys.readouterr()
    assert main(["lint", str(path)]) == 0
    assert capsys.readouterr().out == ""
    # A mark alone is repaired too.
    path.write_bytes(b"\xef\xbb\xbfline1_name: 201\n")
    assert main(["fmt", str(path)]) == 0
    assert "-\ufeffline1_name: 201" in capsys.readouterr().out
    assert main(["fmt", "--write", str(path)]) == 0
    assert path.read_bytes() == b"line1_name: 201\n"


def test_fmt_leaves_a_file_that_is_not_text_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An ELF binary holding the bytes of a no-break space, and Notepad's UTF-16.
    elf = b"\x7fELF\x02\x01\x01\x00\xc2\xa0" + bytes(range(256))
    notepad = "line1_name:\u00a0201\r\n".encode("utf-16")
    for name, data in (("SIP001BD4123456.cnf", elf), ("SIPDefault.cnf", notepad)):
        path = tmp_path / name
        path.write_bytes(data)
        assert main(["fmt", "--write", str(path)]) == 2
        assert path.read_bytes() == data
        err = capsys.readouterr().err
        assert "not repaired" in err
    assert "UTF-16 text" in err
    assert main(["lint", str(tmp_path / "SIPDefault.cnf")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert "error TXT003" in out[0]

"""A new phone replacing an old one: ``migrate --mac-map`` names the migrated file for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ciscocfg import ParseError, ValidationError
from ciscocfg.cli import main
from ciscocfg.migrate import MacMapError, check_mac_map, mac_map, parse_mac_csv
from ciscocfg.migrate._bulk import migrate_tree
from ciscocfg.provision import check, check_tree

OLD = ["001122334455", "0011223344AA", "0011223344BB"]
NEW = "001DA219AFA7"


def fleet(root: Path, macs: list[str] = OLD) -> Path:
    root.mkdir()
    (root / "SIPDefault.cnf").write_text('proxy_register: 1\ntime_zone: "EST"\n')
    for n, mac in enumerate(macs):
        (root / f"SIP{mac}.cnf").write_text(
            f'line1_name: "{2000 + n}"\nline1_authname: "{2000 + n}"\n'
            f'line1_password: "pw{n}"\nproxy1_address: "192.0.2.10"\n'
        )
    return root


# --- reading the map ---------------------------------------------------------------------


def test_csv_with_or_without_header_any_delimiter_any_spelling() -> None:
    text = (
        "old,new\r\n00:11:22:33:44:55 , 001d.a219.afa7\r\n\r\n# spare\r\n"
        "SEP0011223344AA,00-1D-A2-19-AF-A8\r\n"
    )
    assert parse_mac_csv(text) == [
        ("001122334455", "001DA219AFA7", 2),
        ("0011223344AA", "001DA219AFA8", 5),
    ]
    assert parse_mac_csv("001122334455;001DA219AFA7\n") == [("001122334455", NEW, 1)]
    assert parse_mac_csv("001122334455\t001DA219AFA7\n") == [("001122334455", NEW, 1)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("old,new\n001122334455,00112233445\n", 2, "not a MAC address"),
        ("001122334455,001DA219AFA7,7961\n", 1, "3 column(s)"),
        ("001122334455\n", 1, "1 column(s)"),
        ("001122334455,001DA219AFA7\nxyz,001DA219AFA8\n", 2, "not a MAC address"),
    ],
)
def test_a_bad_row_is_named_with_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_mac_csv(text, source="map.csv")
    assert caught.value.line == line
    assert str(caught.value).startswith(f"map.csv:{line}: ")
    assert words in str(caught.value)


def test_pairs_and_files_make_one_map(tmp_path: Path) -> None:
    csv = tmp_path / "map.csv"
    csv.write_text("0011223344AA,001DA219AFA8\n", encoding="utf-8-sig")  # as Excel saves it
    found = mac_map(["00:11:22:33:44:55=001d.a219.afa7", str(csv), "001122334455=001DA219AFA7"])
    assert found == {"001122334455": NEW, "0011223344AA": "001DA219AFA8"}


@pytest.mark.parametrize(
    ("entries", "words"),
    [
        (["001122334455=001DA219AFA7", "001122334455=001DA219AFA8"], "mapped to 001DA219AFA8"),
        (["001122334455=001DA219AFA7", "0011223344AA=001d.a219.afa7"], "both mapped to"),
    ],
)
def test_one_old_one_new(entries: list[str], words: str) -> None:
    with pytest.raises(MacMapError, match=words):
        mac_map(entries)


def test_a_pair_that_is_not_one_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="is not OLD=NEW"):
        mac_map(["001122334455"])
    with pytest.raises(ParseError, match="not a MAC address"):
        mac_map(["001122334455=nope"])
    with pytest.raises(MacMapError, match="cannot be read"):
        mac_map([str(tmp_path / "absent.csv")])


def test_the_map_must_fit_the_tree() -> None:
    assert check_mac_map({"00:11:22:33:44:55": "001d.a219.afa7"}, OLD) == {"001122334455": NEW}
    # Two phones may swap MACs: the names stay one each.
    swap = {OLD[0]: OLD[1], OLD[1]: OLD[0]}
    assert check_mac_map(swap, OLD) == swap
    with pytest.raises(MacMapError, match=r"no SIP<MAC>\.cnf of the source tree is for 0000"):
        check_mac_map({"000000000001": NEW}, OLD)
    with pytest.raises(MacMapError, match="MAC of another phone"):
        check_mac_map({OLD[0]: OLD[2]}, OLD)
    with pytest.raises(ValidationError, match="both mapped"):
        check_mac_map({OLD[0]: NEW, OLD[1]: NEW.lower()}, OLD)


# --- the migration -----------------------------------------------------------------------


def test_the_migrated_file_is_named_for_the_new_phone(tmp_path: Path) -> None:
    src = fleet(tmp_path / "src")
    dst = tmp_path / "dst"
    result = migrate_tree(src, dst, model="7961", mac_map={"00:11:22:33:44:55": "001d.a219.afa7"})
    names = sorted(p.name for p in dst.iterdir())
    assert names == sorted(f"SEP{mac}.cnf.xml" for mac in (NEW, OLD[1], OLD[2]))
    report = result.report()
    assert (
        f"SIP{OLD[0]}.cnf -> {dst / f'SEP{NEW}.cnf.xml'} (MAC {OLD[0]} → {NEW}): written" in report
    )
    assert f"(MAC {OLD[1]}" not in report
    # The new phone finds its file and boots as configured; the old MAC has none.
    tree = check_tree(dst)
    assert sorted(p.mac for p in tree.phones) == sorted([NEW, OLD[1], OLD[2]])
    assert [d for d in check(dst, mac=NEW) if d.severity == "error"] == []
    assert any(d.code == "PRV080" for d in check(dst, mac=OLD[0]))


def test_a_map_that_does_not_fit_writes_nothing(tmp_path: Path) -> None:
    src = fleet(tmp_path / "src")
    with pytest.raises(MacMapError):
        migrate_tree(src, tmp_path / "dst", model="7961", mac_map={"000000000001": NEW})
    assert not (tmp_path / "dst").exists()


_MACS = st.from_regex(r"[0-9A-F]{12}", fullmatch=True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chosen=st.lists(st.sampled_from(OLD), unique=True),
    news=st.lists(
        st.from_regex(r"[0-9A-F]{12}", fullmatch=True), min_size=3, max_size=3, unique=True
    ),
    spelling=st.sampled_from(["{}", "SEP{}", "{}".lower(), "dotted", "colons"]),
)
def test_a_renamed_phone_gets_the_same_config_under_its_new_name(
    tmp_path_factory: pytest.TempPathFactory, chosen: list[str], news: list[str], spelling: str
) -> None:
    news = [new for new in news if new not in OLD]
    chosen = chosen[: len(news)]

    def spell(mac: str) -> str:
        if spelling == "dotted":
            return ".".join(mac[i : i + 4] for i in range(0, 12, 4)).lower()
        if spelling == "colons":
            return ":".join(re.findall("..", mac))
        if spelling == "lower":
            return mac.lower()
        return spelling.format(mac)

    tmp = tmp_path_factory.mktemp("map")
    src = fleet(tmp / "src")
    plain = migrate_tree(src, tmp / "plain", model="7941")
    renames = {spell(old): spell(new) for old, new in zip(chosen, news, strict=False)}
    mapped = migrate_tree(src, tmp / "mapped", model="7941", mac_map=renames)
    expected = dict(zip(chosen, news, strict=False))
    assert [p.new_mac for p in mapped.phones] == [expected.get(p.mac) for p in plain.phones]
    for phone in plain.phones:
        name = f"SEP{expected.get(phone.mac, phone.mac)}.cnf.xml"
        assert (tmp / "mapped" / name).read_bytes() == Path(phone.target).read_bytes()
    assert len(list((tmp / "mapped").iterdir())) == len(OLD)


# --- the command line --------------------------------------------------------------------


def test_mac_map_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = fleet(tmp_path / "src")
    csv = tmp_path / "replacements.csv"
    csv.write_text(f"old;new\n{OLD[1]};001DA219AFA8\n")
    dst = tmp_path / "dst"
    args = ["migrate", str(src), str(dst), "--model", "7961"]
    assert main([*args, "--mac-map", f"{OLD[0]}={NEW}", "--mac-map", str(csv)]) == 0
    out = capsys.readouterr().out
    assert f"(MAC {OLD[0]} → {NEW})" in out
    assert f"(MAC {OLD[1]} → 001DA219AFA8)" in out
    assert (dst / f"SEP{NEW}.cnf.xml").exists()
    assert (dst / "SEP001DA219AFA8.cnf.xml").exists()
    assert not (dst / f"SEP{OLD[0]}.cnf.xml").exists()
    assert f"(MAC {OLD[0]} → {NEW})" in (dst / "migration-report.txt").read_text()


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        ([f"{OLD[0]}=001DA219AFA"], "not a MAC address"),
        (["000000000001=001DA219AFA7"], "no SIP<MAC>.cnf of the source tree is for 000000000001"),
        ([f"{OLD[0]}={NEW}", f"{OLD[1]}={NEW}"], "both mapped to"),
        ([f"{OLD[0]}={OLD[1]}"], "MAC of another phone"),
    ],
)
def test_a_bad_map_is_a_usage_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mapping: list[str], words: str
) -> None:
    src = fleet(tmp_path / "src")
    dst = tmp_path / "dst"
    argv = ["migrate", str(src), str(dst), "--model", "7961"]
    for entry in mapping:
        argv += ["--mac-map", entry]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("ciscocfg: ")
    assert err.count("\n") == 1
    assert words in err
    assert not dst.exists()


def test_a_bad_csv_row_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = fleet(tmp_path / "src")
    csv = tmp_path / "map.csv"
    csv.write_text(f"{OLD[0]},{NEW}\n{OLD[1]},not-a-mac\n")
    argv = ["migrate", str(src), str(tmp_path / "dst"), "--model", "7961", "--mac-map", str(csv)]
    assert main(argv) == 2
    assert f"ciscocfg: {csv}:2: " in capsys.readouterr().err
    assert not (tmp_path / "dst").exists()

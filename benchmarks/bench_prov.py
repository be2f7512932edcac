"""Migration and tree-check throughput.

* One phone: ``cnf_to_sepxml`` on a typical SIPDefault.cnf + SIP<MAC>.cnf pair, against the
  floor of only reading the two files (``cnf.loads``) and writing XML text from them.
* A fleet: ``migrate_tree`` over 400 phones, in this process against worker processes on every
  core (what ``ciscocfg migrate`` does for large fleets).
* What writing costs: the fleet's 400 XML files written the way every command writes
  (``write_files``: checked first, each flushed to the disk and renamed into place, all or
  nothing), against plain ``open``/``write`` of the same files.
* The tree check: ``check_tree`` over roots of 1 and 100 phones.

Run:

    python benchmarks/bench_prov.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.trees import SIP_DEFAULT, SIP_PHONE, build_tree  # noqa: E402

from benchmarks._harness import Case, compare, markdown_table  # noqa: E402
from ciscocfg import cnf  # noqa: E402
from ciscocfg._writing import write_files  # noqa: E402
from ciscocfg.migrate import cnf_to_sepxml  # noqa: E402
from ciscocfg.migrate._bulk import migrate_tree  # noqa: E402
from ciscocfg.provision import check_tree  # noqa: E402

DEFAULT = SIP_DEFAULT + (
    "proxy_backup: 192.0.2.11\nproxy_backup_port: 5060\ntimer_t1: 500\ntimer_t2: 4000\n"
    "sip_retx: 10\nsip_invite_retx: 6\ntimer_invite_expires: 180\ntimer_register_expires: 3600\n"
    "cnf_join_enable: 1\nsemi_attended_transfer: 1\ncallerid_blocking: 0\ndnd_control: 0\n"
    "enable_vad: 0\npreferred_codec: g711ulaw\ndtmf_avt_payload: 101\ndtmf_db_level: 3\n"
    "dtmf_outofband: avt\nstart_media_port: 16384\nend_media_port: 32766\nvoip_control_port: "
    "5060\ntelnet_level: 0\ntos_media: 5\ndate_format: D/M/Y\ntime_format_24hr: 1\n"
)
PHONE = SIP_PHONE + (
    'line2_name: "2002"\nline2_authname: "2002"\nline2_password: "pw2"\n'
    'speed_line1: "911"\nspeed_label1: "Emergency"\nmessages_uri: "*97"\n'
)


def _floor() -> None:
    default = cnf.loads(DEFAULT)
    phone = cnf.loads(PHONE)
    text = "".join(f"<{k}>{v}</{k}>" for k, v in cnf.merge(default, phone).items())
    assert text


def _one() -> None:
    cnf_to_sepxml(cnf.loads(PHONE), cnf.loads(DEFAULT), model="7961")


def _plain_writes(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        with open(path, "wb") as handle:
            handle.write(data)


def _fleet(root: Path, count: int) -> Path:
    src = root / "fleet"
    src.mkdir()
    (src / "SIPDefault.cnf").write_text(DEFAULT)
    for n in range(count):
        (src / f"SIP0011{n:08X}.cnf").write_text(PHONE.replace("2001", str(10000 + n)))
    return src


def main() -> None:
    cores = os.cpu_count() or 1
    print(f"# ciscocfg provisioning benchmarks ({cores} cores, Python {sys.version.split()[0]})\n")
    single = compare(
        [Case("cnf.loads x2 + naive XML text (floor)", _floor), Case("cnf_to_sepxml", _one)],
        baseline="cnf.loads x2 + naive XML text (floor)",
    )
    print(markdown_table("One phone: SIPDefault.cnf + SIP<MAC>.cnf to XML", single, "phones"))
    with tempfile.TemporaryDirectory() as tmp:
        count = 400
        src = _fleet(Path(tmp), count)
        out = Path(tmp) / "out"
        fleet = compare(
            [
                Case(
                    "one process",
                    lambda: migrate_tree(src, out, model="7961", force=True, jobs=1),
                    count,
                ),
                Case(
                    f"{cores} worker processes",
                    lambda: migrate_tree(src, out, model="7961", force=True, jobs=cores),
                    count,
                ),
            ],
            baseline="one process",
            repeats=3,
            min_time=0.0,
        )
        print(markdown_table(f"A fleet of {count} phones (ciscocfg migrate)", fleet, "phones"))
        files = {path: path.read_bytes() for path in sorted(out.glob("SEP*.cnf.xml"))}
        writes = compare(
            [
                Case("open + write (floor)", lambda: _plain_writes(files), len(files)),
                Case(
                    "write_files (fsync + rename, all or nothing)",
                    lambda: write_files(files, force=True, within=out),
                    len(files),
                ),
            ],
            baseline="open + write (floor)",
            repeats=5,
            min_time=0.0,
        )
        print(markdown_table(f"Writing the fleet's {len(files)} files", writes, "files"))
        small = build_tree(Path(tmp) / "one")
        big = build_tree(Path(tmp) / "hundred")
        phone = (big / "SIP0012D9A1B2C3.cnf").read_bytes()
        for n in range(99):
            (big / f"SIP0012D9{n:06X}.cnf").write_bytes(phone)
        checks = compare(
            [
                Case("1 phone", lambda: check_tree(small), 1),
                Case("100 phones", lambda: check_tree(big), 100),
            ],
            baseline="1 phone",
            repeats=5,
        )
        print(markdown_table("check_tree (directory)", checks, "phones"))


if __name__ == "__main__":
    main()

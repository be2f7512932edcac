"""A generated tree served by the real dnsmasq, configured by the generated snippet.

dnsmasq runs in a network namespace of its own on 127.0.0.1:69 (its TFTP port is fixed), with
the ``dnsmasq-ciscocfg.conf`` the generator wrote for the tree; the phones' boot is walked over
TFTP with the library's own client (``provision.check_tftp_async``), in each phone's order,
from inside that namespace.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.tftp_peers import dnsmasq_server

from ciscocfg.generate import PhoneSpec, dnsmasq_conf, file_names, render_tree

_BOOT = """
import asyncio, json, sys
from ciscocfg.provision import check_tftp_async

async def main():
    out = []
    for mac, model, running, save in json.loads(sys.argv[1]):
        report = await check_tftp_async(
            "127.0.0.1", 69, mac=mac, model=model, running=running, save=save
        )
        phone = report.phones[0]
        out.append({
            "requests": [[r.name, r.found, r.error] for r in phone.requests],
            "diagnostics": [[d.code, d.severity, d.source, str(d)] for d in report.diagnostics],
        })
    print(json.dumps(out))

asyncio.run(main())
"""


def test_dnsmasq_serves_the_generated_tree_in_boot_order(tmp_path: Path) -> None:
    root = tmp_path / "tftproot"
    root.mkdir()
    phones = [
        PhoneSpec.create(
            model="7940",
            mac="00:1b:d4:12:34:56",
            proxy="127.0.0.1",
            lines=["201:s3cret:Kitchen", "202:other"],
        ),
        PhoneSpec.create(
            model="7961", mac="001b.d412.3457", proxy="127.0.0.1:5062", lines=["301:pw:Hall"]
        ),
    ]
    for name, data in render_tree(phones).files.items():
        (root / name).write_bytes(data)
    conf = tmp_path / "dnsmasq-ciscocfg.conf"
    conf.write_bytes(dnsmasq_conf("127.0.0.1", tftp_root=str(root)))
    saves = [tmp_path / f"got-{phone.mac}" for phone in phones]
    jobs = [
        [phone.mac, phone.model.name, phone.firmware.name, str(save)]
        for phone, save in zip(phones, saves, strict=True)
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    with dnsmasq_server(root, conf_file=conf) as server:
        done = subprocess.run(
            [*server.prefix, sys.executable, "-c", _BOOT, json.dumps(jobs)],
            capture_output=True,
            timeout=120,
            check=False,
            env=env,
            text=True,
        )
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)
    for phone, save, report in zip(phones, saves, reports, strict=True):
        fetched = [name for name, found, error in report["requests"] if found]
        assert [error for _, _, error in report["requests"]] == [None] * len(report["requests"])
        # Every file of the phone was asked for and served, in the phone's own order.
        assert sorted(set(fetched)) == sorted(file_names(phone))
        if phone.is_79x1:
            assert fetched == [f"SEP{phone.mac}.cnf.xml", "dialplan.xml"]
        else:
            assert fetched == [
                "OS79XX.TXT",
                f"SIP{phone.mac}.cnf",
                "SIPDefault.cnf",
                f"SIP{phone.mac}.cnf",
                "dialplan.xml",
            ]
        for name in fetched:
            assert (save / name).read_bytes() == (root / name).read_bytes(), name
        errors = [
            text for code, severity, source, text in report["diagnostics"] if severity == "error"
        ]
        assert errors == []

""".cnf documents that trigger each CNF code (and the shared TXT and TPL codes), with where."""

from __future__ import annotations

from ciscocfg._text import decode_bytes

PHONE = "SIP00120034ABCD.cnf"
LINE1 = "line1_name: 100\n"

#: (code, document, severity, line, column, suggestion), read as the phone file PHONE.
CASES = [
    ("CNF001", LINE1 + 'reg.1.displayName="x"\n', "error", 2, 19, None),
    ("CNF003", "\ufeff" + LINE1, "warning", 1, 1, None),
    ("CNF003", "\ufeff# Kitchen\n" + LINE1, "info", 1, 1, None),
    ("CNF101", LINE1 + "proxy1_adress: 10.0.0.5\n", "warning", 2, 1, "proxy1_address"),
    ("CNF101", LINE1 + "date_format\u00a0: D/M/Y\n", "warning", 2, 1, "date_format"),
    ("CNF102", LINE1 + "Line1_Password: x\n", "warning", 2, 1, "line1_password"),
    ("CNF103", LINE1 + "proxy_register: 0\n  proxy_register: 1\n", "warning", 3, 3, None),
    ("CNF104", LINE1 + "line7_name: 107\n", "warning", 2, 1, None),
    ("CNF201", LINE1 + "proxy1_port: 50x\n", "error", 2, 14, None),
    ("CNF201", LINE1 + "nat_enable: -1\n", "error", 2, 13, None),
    ("CNF202", LINE1 + "proxy1_port: 70000\n", "error", 2, 14, None),
    ("CNF202", LINE1 + "dnd_control: 4\n", "error", 2, 14, None),
    ("CNF202", LINE1 + "nat_enable: 2\n", "error", 2, 13, None),
    ("CNF202", LINE1 + "timer_register_expires: 0\n", "error", 2, 25, None),
    ("CNF203", LINE1 + "sntp_mode: broadcast\n", "error", 2, 12, None),
    ("CNF203", LINE1 + 'preferred_codec: "g722"\n', "error", 2, 18, None),
    ("CNF203", LINE1 + "dtmf_outofband: rfc2833\n", "error", 2, 17, None),
    ("CNF204", LINE1 + "phone_prompt: a-prompt-of-16-ch\n", "error", 2, 15, None),
    ("CNF205", LINE1 + "dyn_tftp_addr: tftp.example\n", "error", 2, 16, None),
    ("CNF205", LINE1 + "proxy1_address: sip example\n", "error", 2, 17, None),
    ("CNF206", LINE1 + "dst_start_month: Marchember2\n", "error", 2, 18, None),
    ("CNF206", LINE1 + "dst_stop_time: 25:00\n", "error", 2, 16, None),
    ("CNF207", LINE1 + "line1_password: abc;def\n", "warning", 2, 20, '"abc;def"'),
    ("CNF208", LINE1 + 'line1_password: "a;b"\n', "warning", 2, 19, None),
    ("CNF301", LINE1 + "sntp_server: \u201cntp.example\u201d\n", "warning", 2, 14, '"'),
    ("CNF302", LINE1 + "proxy1_port:\u00a05060\n", "warning", 2, 13, " "),
    ("CNF301", LINE1 + "# \u201cquoted\u201d\n", "info", 2, 3, '"'),
    ("CNF302", LINE1 + "#\u00a0remark\n", "info", 2, 2, " "),
    ("CNF303", LINE1 + "line1_displayname: J\u00f6rg\n", "warning", 2, 21, None),
    ("CNF401", "line1_name: UNPROVISIONED\n", "error", 1, 13, None),
    ("CNF401", 'line1_name: ""\n', "error", 1, 13, None),
    ("CNF402", LINE1 + "start_media_port: 20000\nend_media_port: 16384\n", "error", 3, 17, None),
    ("TPL001", LINE1 + 'proxy1_address: "###DOMAIN_NAME###"\n', "info", 2, None, None),
    (
        "TXT001",
        decode_bytes(b"\x7fELF\x02\x01\x01\x00" + b"line1_name: 1\n" * 50),
        "error",
        None,
        None,
        None,
    ),
    ("TXT002", decode_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256))), "error", None, None, None),
    ("TXT003", decode_bytes(LINE1.encode("utf-16")), "error", None, None, None),
]

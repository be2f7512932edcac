"""Serve a provisioning tree, building SEP<MAC>.cnf.xml for each phone from a table."""

import asyncio
import logging
import re
from xml.sax.saxutils import escape

from ciscocfg.aio import TftpServer, TransferRecord, TransferRequest

PHONES = {  # from your database
    "0011BB73AD61": {"name": "Reception", "line": "201", "proxy": "pbx.example.net"},
}

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<device>
  <deviceProtocol>SIP</deviceProtocol>
  <devicePool><callManagerGroup><members><member priority="0">
    <callManager><name>{proxy}</name></callManager>
  </member></members></callManagerGroup></devicePool>
  <sipProfile>
    <phoneLabel>{name}</phoneLabel>
    <sipLines><line button="1"><name>{line}</name><authName>{line}</authName></line></sipLines>
  </sipProfile>
</device>
"""

SEP_XML = re.compile(r"(?i)^/?SEP([0-9A-F]{12})\.cnf\.xml$")


def build(request: TransferRequest) -> bytes | None:
    match = SEP_XML.match(request.filename)
    if match is None:
        return None  # not generated: served from the directory
    phone = PHONES.get(match.group(1).upper())
    if phone is None:
        return None  # unknown phone: "file not found", it falls back to XMLDefault.cnf.xml
    fields = {key: escape(value) for key, value in phone.items()}
    return TEMPLATE.format(**fields).encode()


def account(record: TransferRecord) -> None:
    if record.ok and record.filename.upper().startswith("SEP"):
        print(f"{record.peer[0] if record.peer else '?'} fetched its config")


async def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    server = TftpServer("/srv/tftp", handler=build, host="0.0.0.0", port=69, on_transfer=account)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())

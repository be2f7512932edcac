"""A TFTP read handler that answers the files of an inventory's phones, made on request.

For each requested name: a phone's own file (``SIP<MAC>.cnf``, ``SEP<MAC>.cnf.xml``) is made
from that phone's row as it is now; a file the phones share (``SIPDefault.cnf``,
``OS79XX.TXT``, ``dialplan.xml``) from the rows of every phone that reads it, as long as they
agree. Any other name is not the inventory's: the handler answers ``None``, and the server
asks its root directory (firmware, ring tones) or answers "file not found".

A row that cannot become a valid file is refused: :class:`~ciscocfg.aio.PathRejected`, which
the server answers with ERROR 2 and logs as one line naming the phone and the problem. The
same goes for an inventory that cannot be read at that moment. Nothing is written anywhere.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Hashable, Sequence

from ciscocfg._errors import CiscoCfgError
from ciscocfg._phonefiles import classify
from ciscocfg._phones import phone_model
from ciscocfg.aio import PathRejected, TransferRequest
from ciscocfg.generate._inventory import _common_firmware, _phone
from ciscocfg.generate._render import SHARED_FILES, _names, file_names, render_file
from ciscocfg.generate._spec import PhoneSpec, PhoneSpecError, _check_host, _dialplan, _timezone
from ciscocfg.inventory._source import InventoryError, InventoryRow, InventorySource

__all__ = ["InventoryHandler"]

#: The phone's own files the inventory makes.
_OWN_KINDS = frozenset({"sip_cnf", "sep_xml"})
_SHARED_FOLDED = {name.casefold(): name for name in SHARED_FILES}
# What makes two phones' shared files differ, for the log line that says so.
_DIFFER_IN = {
    "SIPDefault.cnf": "timezone or ntp",
    "OS79XX.TXT": "firmware",
    "dialplan.xml": "dial plan",
}

_Defaults = tuple[str | None, str | None, str | None, bytes | None]


@functools.lru_cache(maxsize=65536)
def _spec_of(cells: tuple[tuple[str, str], ...], defaults: _Defaults) -> PhoneSpec | PhoneSpecError:
    """The row's description, or why it has none. Keyed by every cell: a changed row is a
    new key, never an old answer."""
    try:
        return _phone(dict(cells), *defaults)
    except PhoneSpecError as exc:
        return exc


class InventoryHandler:
    """Answers read requests from ``source`` (see :func:`ciscocfg.inventory.open_inventory`).

    Pass it as ``TftpServer(root, handler=InventoryHandler(source))``. ``firmware``,
    ``timezone``, ``ntp`` and ``dialplan`` apply to every phone whose row leaves them empty,
    as with :func:`ciscocfg.generate.read_inventory`; they are checked here (raises
    :class:`~ciscocfg.generate.PhoneSpecError`). ``case_insensitive`` matches names in any
    case, as phones spell the MAC both ways.
    """

    def __init__(
        self,
        source: InventorySource,
        *,
        case_insensitive: bool = True,
        firmware: str | None = None,
        timezone: str | None = None,
        ntp: str | None = None,
        dialplan: bytes | None = None,
    ) -> None:
        if firmware is not None:
            _common_firmware(firmware)
        if timezone is not None:
            _timezone(timezone)
        if ntp is not None:
            _check_host(ntp, "ntp", "sntp_server")
        if dialplan is not None:
            _dialplan(dialplan)
        self.source = source
        self.case_insensitive = case_insensitive
        self._defaults: _Defaults = (firmware, timezone, ntp, dialplan)
        self._shared_version: Hashable = object()
        self._shared: dict[str, bytes | str] = {}
        self._reading = asyncio.Lock()

    async def __call__(self, request: TransferRequest) -> bytes | None:
        return await self.file(request.filename)

    async def file(self, name: str) -> bytes | None:
        """The bytes of ``name`` as the phone asks for it, or ``None`` when the inventory has
        no such file; raises :class:`~ciscocfg.aio.PathRejected` for a file it refuses."""
        plain = name[1:] if name.startswith("/") else name
        shared = self._shared_name(plain)
        try:
            if shared is not None:
                return await self._shared_file(name, shared)
            match = classify(plain)
            if match is None or match.kind not in _OWN_KINDS:
                return None
            if not self.case_insensitive and match.mac_lower:
                return None
            return await self._own_file(name, plain, match.mac)
        except InventoryError as exc:
            raise PathRejected(name, f"inventory unavailable: {exc}") from None

    def _shared_name(self, plain: str) -> str | None:
        if self.case_insensitive:
            return _SHARED_FOLDED.get(plain.casefold())
        return plain if plain in SHARED_FILES else None

    def _same(self, plain: str, name: str) -> bool:
        return plain.casefold() == name.casefold() if self.case_insensitive else plain == name

    # -- a phone's own file ---------------------------------------------------------------------

    async def _own_file(self, name: str, plain: str, mac: str) -> bytes | None:
        row = await self.source.phone(mac)
        if row is None:
            return None
        spec = self._spec(row)
        if isinstance(spec, str):
            # The row's model may still say which file is the phone's own: another name (a
            # 7940 probing SEP<MAC>.cnf.xml) is "not found" as ever, so the phone goes on.
            try:
                own = _names(phone_model(dict(row.cells).get("model", "")).is_79x1, mac)[0]
            except ValueError:
                own = plain
            if not self._same(plain, own):
                return None
            raise PathRejected(name, spec)
        own = file_names(spec)[0]
        if not self._same(plain, own):
            return None
        return self._render(name, spec, own)

    def _spec(self, row: InventoryRow) -> PhoneSpec | str:
        """The row's description, or the log line's words for why it has none."""
        where = f"phone {row.mac} in {self.source.name}"
        if row.problem is not None:
            at = f", row {row.row}" if row.row is not None else ""
            return f"{where}{at}: {row.problem}"
        spec = _spec_of(row.cells, self._defaults)
        if isinstance(spec, PhoneSpecError):
            error = spec.at_row(row.row) if row.row is not None else spec
            return f"{where}: {error}"
        return spec

    def _render(self, name: str, spec: PhoneSpec, own: str) -> bytes:
        try:
            data = render_file(spec, own)
        except (CiscoCfgError, AssertionError) as exc:
            message = " ".join(str(exc).split())
            raise PathRejected(
                name, f"phone {spec.mac} in {self.source.name}: {own} cannot be made: {message}"
            ) from None
        assert data is not None
        return data

    # -- the files every phone shares ------------------------------------------------------------

    async def _shared_file(self, name: str, shared: str) -> bytes | None:
        version = await self.source.version()
        if version != self._shared_version:
            async with self._reading:
                version = await self.source.version()
                if version != self._shared_version:
                    self._shared = self._shared_files(await self.source.phones())
                    self._shared_version = version
        found = self._shared.get(shared)
        if isinstance(found, str):
            raise PathRejected(name, found)
        return found

    def _shared_files(self, rows: Sequence[InventoryRow]) -> dict[str, bytes | str]:
        """Each shared file as the phones that read it need it, or why they disagree."""
        needed: dict[str, dict[bytes, str]] = {}
        for row in rows:
            spec = self._spec(row)
            if isinstance(spec, str):
                continue  # its own file is refused; it decides nothing for the others
            for shared in file_names(spec)[1:]:
                data = self._render(shared, spec, shared)
                needed.setdefault(shared, {}).setdefault(data, spec.mac)
        files: dict[str, bytes | str] = {}
        for shared, variants in needed.items():
            if len(variants) == 1:
                files[shared] = next(iter(variants))
                continue
            first, second = list(variants.values())[:2]
            files[shared] = (
                f"{self.source.name}: phones {first} and {second} need different {shared} "
                f"({len(variants)} versions in all): give every phone that reads it the same "
                f"{_DIFFER_IN[shared]}"
            )
        return files

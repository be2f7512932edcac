"""What the adapter reports about each transfer: one record, one log line."""

from __future__ import annotations

from typing import Any

import attrs

from ciscocfg._errors import TftpError
from ciscocfg._terminal import escape_for_terminal
from ciscocfg.tftp import TransferFailed, TransferStats

__all__ = ["TransferError", "TransferRecord", "format_peer"]


def format_peer(peer: tuple[Any, ...] | None) -> str:
    """``host:port`` (``[host]:port`` for IPv6; IPv4-mapped IPv6 shown as IPv4)."""
    if peer is None:
        return "-"
    host = str(peer[0])
    if host.startswith("::ffff:") and "." in host:
        host = host[7:]
    return f"[{host}]:{peer[1]}" if ":" in host else f"{host}:{peer[1]}"


@attrs.frozen
class TransferRecord:
    """The outcome and statistics of one transfer.

    ``operation`` is ``"read"`` (RRQ: the file went to the client) or ``"write"`` (WRQ).
    ``options`` is the OACK (what both sides agreed on; empty when options were ignored).
    On failure ``error_code``/``error_message`` hold the ERROR sent or received, ``reason`` one
    of ``"error"`` (the peer sent ERROR), ``"timeout"``, ``"protocol"``, ``"negotiation"``,
    ``"rejected"`` (refused by the server), ``"aborted"`` (local abort, e.g. shutdown).
    """

    operation: str
    filename: str
    peer: tuple[Any, ...] | None
    mode: str
    ok: bool
    bytes: int
    blocks: int
    retransmits: int
    duration: float
    options: dict[str, str] = attrs.field(factory=dict, eq=False)
    error_code: int | None = None
    error_message: str | None = None
    reason: str | None = None
    by_peer: bool = False

    @classmethod
    def build(
        cls,
        operation: str,
        mode: str,
        stats: TransferStats,
        failure: TransferFailed | None,
        *,
        now: float,
        peer: tuple[Any, ...] | None = None,
    ) -> TransferRecord:
        """Assemble a record from an engine's statistics and its failure event, if any."""
        finished = stats.finished if stats.finished is not None else now
        return cls(
            operation=operation,
            filename=stats.filename,
            peer=stats.peer if stats.peer is not None else peer,
            mode=mode,
            ok=failure is None,
            bytes=stats.bytes,
            blocks=stats.blocks,
            retransmits=stats.retransmits,
            duration=max(0.0, finished - stats.started),
            options=dict(stats.options),
            error_code=None if failure is None else failure.code,
            error_message=None if failure is None else failure.message,
            reason=None if failure is None else failure.reason,
            by_peer=False if failure is None else failure.by_peer,
        )

    def log_line(self) -> str:
        """One line in the manner of in.tftpd's syslog lines, for the whole transfer."""
        kind = "RRQ" if self.operation == "read" else "WRQ"
        options = ",".join(f"{k}={v}" for k, v in self.options.items()) or "-"
        head = (
            f"{kind} from {format_peer(self.peer)} filename {self.filename} mode {self.mode} "
            f"options {options}"
        )
        moved = "sent" if self.operation == "read" else "received"
        counts = (
            f"{self.bytes} bytes in {self.blocks} blocks, {self.retransmits} retransmits, "
            f"{self.duration:.3f} s"
        )
        if self.ok:
            return f"{head}: {moved} {counts}"
        who = "by peer" if self.by_peer else "by us"
        return (
            f"{head}: failed ({self.reason}, error {self.error_code} {who}: "
            f"{self.error_message}) after {counts}"
        )


class TransferError(TftpError):
    """A client transfer that did not complete; ``record`` has the details.

    ``code``/``message`` are the TFTP error received (``by_peer``) or sent, as sent; ``reason``
    as in :class:`TransferRecord`. ``str()`` of the error is safe to print: the server's text is
    shown escaped on one line and cut to a few hundred characters.
    """

    def __init__(self, record: TransferRecord) -> None:
        self.record = record
        self.code = record.error_code if record.error_code is not None else 0
        self.message = record.error_message or ""
        self.reason = record.reason or "error"
        self.by_peer = record.by_peer
        where = "server" if record.by_peer else "client"
        super().__init__(
            f"{escape_for_terminal(record.filename)}: {self.reason}: {where} error {self.code}: "
            f"{escape_for_terminal(self.message)}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.record,))

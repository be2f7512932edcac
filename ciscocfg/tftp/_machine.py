"""The transfer state machines as data: ``(state, input) -> next state``, one table per role.

Rules (after h11's ``_state.py``):

1. Every state change of an engine goes through :func:`advance` and so through these tables;
   the docs draw the state diagrams from them (:func:`to_dot` renders one as Graphviz). A
   change written as code instead of table data would not appear there.
2. The tables know nothing about packets, sockets or time. Windows, retransmissions and block
   numbers are handled inside the SENDING and RECEIVING states by the engines; they never change
   the state.
3. A pair that is not in a table is impossible. For input the caller gives (``ACCEPT``,
   ``REJECT``) that is a :class:`~ciscocfg.LocalProtocolError`; the engines only feed peer-caused
   inputs that the table allows.

Failure inputs (``PEER_ERROR``, ``PROTOCOL_ERROR``, ``GIVE_UP``, ``ABORT``) go from every
non-terminal state to ``FAILED``; they are added to each table by :func:`_with_failures`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Final

from ciscocfg._errors import LocalProtocolError

__all__ = ["TABLES", "EngineRole", "Input", "Role", "State", "advance", "to_dot"]

#: Members are singletons (``==`` is identity for an Enum), so hashing by identity agrees with
#: equality; it is done in C, where Enum's own hash (of the member's name) is a Python call, and
#: every state change looks its members up in the tables.
_identity_hash = object.__hash__


class EngineRole(Enum):
    """Which side and direction an engine plays (a transfer engine's, not a firmware image's
    :class:`~ciscocfg.firmware.ImageRole`)."""

    __hash__ = _identity_hash

    SERVER_READ = "ServerRead"
    SERVER_WRITE = "ServerWrite"
    CLIENT_READ = "ClientRead"
    CLIENT_WRITE = "ClientWrite"


#: The older name of :class:`EngineRole`.
Role = EngineRole


class State(Enum):
    """Where a transfer is; see the tables for how it moves."""

    __hash__ = _identity_hash

    #: server: request decoded, the application has not answered yet
    PENDING = "pending"
    #: client: request sent, no answer yet
    REQUESTING = "requesting"
    #: server: OACK sent, waiting for ACK 0 (read) or DATA 1 (write)
    NEGOTIATING = "negotiating"
    #: sending DATA windows and waiting for ACKs
    SENDING = "sending"
    #: receiving DATA and acknowledging windows
    RECEIVING = "receiving"
    #: server: final DATA received, the application stores the file before the final ACK
    STORING = "storing"
    #: final ACK sent; answering a repeated final DATA for a while
    DALLYING = "dallying"
    #: all data delivered or acknowledged
    COMPLETE = "complete"
    #: ended by an ERROR, a timeout, a protocol violation or an abort
    FAILED = "failed"


class Input(Enum):
    """What moves a transfer from one state to the next (the value is the diagram label)."""

    __hash__ = _identity_hash

    ACCEPT = "accept"
    ACCEPT_WITH_OACK = "accept, OACK sent"
    REJECT = "reject"
    OACK_RECEIVED = "OACK received"
    CONFIRMED = "ACK 0 / DATA 1"
    FINAL_DATA = "final DATA"
    FINAL_DATA_TO_STORE = "final DATA, to store"
    STORED = "stored, final ACK sent"
    LAST_ACKED = "final block ACKed"
    DALLY_END = "dally over"
    PEER_ERROR = "ERROR received"
    PROTOCOL_ERROR = "illegal packet"
    GIVE_UP = "retries exhausted"
    ABORT = "local abort"


TERMINAL: Final = frozenset({State.COMPLETE, State.FAILED})
_FAILURES: Final = (Input.PEER_ERROR, Input.PROTOCOL_ERROR, Input.GIVE_UP, Input.ABORT)

Table = Mapping[tuple[State, Input], State]


def _with_failures(table: dict[tuple[State, Input], State]) -> Table:
    states = {state for state, _ in table} | set(table.values())
    for state in states - TERMINAL:
        for failure in _FAILURES:
            table.setdefault((state, failure), State.FAILED)
    return table


#: One transition table per role.
TABLES: Final[Mapping[EngineRole, Table]] = {
    EngineRole.SERVER_READ: _with_failures(
        {
            (State.PENDING, Input.ACCEPT): State.SENDING,
            (State.PENDING, Input.ACCEPT_WITH_OACK): State.NEGOTIATING,
            (State.PENDING, Input.REJECT): State.FAILED,
            (State.NEGOTIATING, Input.CONFIRMED): State.SENDING,
            (State.SENDING, Input.LAST_ACKED): State.COMPLETE,
        }
    ),
    EngineRole.SERVER_WRITE: _with_failures(
        {
            (State.PENDING, Input.ACCEPT): State.RECEIVING,
            (State.PENDING, Input.ACCEPT_WITH_OACK): State.NEGOTIATING,
            (State.PENDING, Input.REJECT): State.FAILED,
            (State.NEGOTIATING, Input.CONFIRMED): State.RECEIVING,
            (State.RECEIVING, Input.FINAL_DATA): State.DALLYING,
            (State.RECEIVING, Input.FINAL_DATA_TO_STORE): State.STORING,
            (State.STORING, Input.STORED): State.DALLYING,
            (State.DALLYING, Input.DALLY_END): State.COMPLETE,
        }
    ),
    EngineRole.CLIENT_READ: _with_failures(
        {
            (State.REQUESTING, Input.OACK_RECEIVED): State.RECEIVING,
            (State.REQUESTING, Input.CONFIRMED): State.RECEIVING,
            (State.RECEIVING, Input.FINAL_DATA): State.DALLYING,
            (State.DALLYING, Input.DALLY_END): State.COMPLETE,
        }
    ),
    EngineRole.CLIENT_WRITE: _with_failures(
        {
            (State.REQUESTING, Input.OACK_RECEIVED): State.SENDING,
            (State.REQUESTING, Input.CONFIRMED): State.SENDING,
            (State.SENDING, Input.LAST_ACKED): State.COMPLETE,
        }
    ),
}


def advance(role: EngineRole, state: State, event: Input) -> State:
    """The state after ``event``; raises :class:`LocalProtocolError` for an impossible pair."""
    try:
        return TABLES[role][(state, event)]
    except KeyError:
        raise LocalProtocolError(
            f"{role.value}: {event.value!r} is not possible in state {state.value!r}"
        ) from None


def to_dot(role: EngineRole) -> str:
    """The table of ``role`` as a Graphviz digraph (failure edges folded into one per state)."""
    lines = [f'digraph "{role.value}" {{', "  rankdir=LR;"]
    for (state, event), target in TABLES[role].items():
        if event in _FAILURES and event is not Input.PEER_ERROR:
            continue
        label = "ERROR / timeout / abort" if event is Input.PEER_ERROR else event.value
        lines.append(f'  {state.name} -> {target.name} [label="{label}"];')
    lines.append("}")
    return "\n".join(lines)

"""The exception hierarchy shared by every codec (standard library only).

Every error raised on bad input derives from :class:`CiscoCfgError`, so a tool can catch
one class around any call into the library. Two kinds of bad input are told apart: input that
is read (a file, a datagram, a name), which raises :class:`ParseError` or
:class:`MalformedPacket`, and a caller's mistake (an argument the library cannot take), which
raises :class:`ValidationError` in every module, or one of its narrower subclasses.
"""

from __future__ import annotations

import os

__all__ = [
    "ArgumentTypeError",
    "CiscoCfgError",
    "EmitError",
    "LocalProtocolError",
    "MalformedPacket",
    "ParseError",
    "RemoteProtocolError",
    "TftpError",
    "ValidationError",
    "WriteRefused",
]


class CiscoCfgError(Exception):
    """Root of every error the library raises on bad input."""


class ParseError(CiscoCfgError, ValueError):
    """Input that the format cannot hold.

    ``line`` and ``column`` are 1-based (``None`` where a format has no lines), ``offset`` is the
    0-based character (or byte) offset, ``source`` the file name when known.
    ``str(err)`` reads ``SOURCE:LINE:COLUMN: message``.
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        offset: int | None = None,
        source: str | None = None,
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = [self.source or "<string>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        elif self.offset is not None:
            where.append(f"byte {self.offset}")
        return ":".join(where) + ": " + self.message

    def __str__(self) -> str:
        return self._render()

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_parse_error, (type(self), self.message, self.__dict__.copy()))


def _rebuild_parse_error(
    cls: type[ParseError], message: str, state: dict[str, object]
) -> ParseError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class ValidationError(CiscoCfgError, ValueError):
    """A caller's mistake: an argument the library cannot take.

    An unknown phone model or family, a MAC address that is not one, a number out of range, a
    TFTP packet that must not be sent, an option the call does not know, an object of the wrong
    kind. Raised alike by every module; the subclasses narrow it down (:class:`EmitError`,
    :class:`ArgumentTypeError`, :class:`LocalProtocolError`, ``generate.PhoneSpecError``).
    """


class EmitError(ValidationError):
    """A value the format cannot hold, so the text cannot be written.

    A line break or a double quote in a ``.cnf`` value, a tab in a ring name, a name that is not
    an XML name, a character the document's encoding (or any file) cannot carry.
    """


class ArgumentTypeError(ValidationError, TypeError):
    """An argument of a type the call does not take (also a :class:`TypeError`)."""


class WriteRefused(CiscoCfgError):
    """A write that would lose a file, refused before anything was written: it would replace
    an existing file without ``force``, land on one of the command's inputs, go through a
    symbolic link out of the destination, or has no folder to go into. ``path`` is the (first)
    target refused, ``reason`` says why, ``more`` counts the other targets of the same write
    that were refused too; ``str(err)`` reads ``PATH: reason`` (``; N more refused too``)."""

    def __init__(self, path: str | os.PathLike[str], reason: str, more: int = 0) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        self.more = more
        tail = f"; {more} more refused too" if more else ""
        super().__init__(f"{self.path}: {reason}{tail}")

    @classmethod
    def first_of(cls, refused: list[WriteRefused]) -> WriteRefused:
        """One refusal for several: the first, counting the others."""
        first = refused[0]
        more = sum(1 + each.more for each in refused) - 1
        return first if more == first.more else cls(first.path, first.reason, more)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.reason, self.more))


class TftpError(CiscoCfgError):
    """Base of the TFTP errors."""


class MalformedPacket(TftpError, ValueError):
    """A datagram that is not a valid TFTP packet; ``offset`` is the byte where it goes wrong."""

    def __init__(self, message: str, offset: int = 0) -> None:
        self.message = message
        self.offset = offset
        super().__init__(f"byte {offset}: {message}")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.message, self.offset))


class LocalProtocolError(TftpError, ValidationError):
    """The caller used a transfer engine in a way the protocol does not allow (a caller's
    mistake, so also a :class:`ValidationError`)."""


class RemoteProtocolError(TftpError):
    """The peer broke the protocol; ``error_code`` is the TFTP error code to answer with."""

    def __init__(self, message: str, error_code: int = 4) -> None:
        self.message = message
        self.error_code = error_code
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.message, self.error_code))

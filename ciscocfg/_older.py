"""Older spellings of a call, kept working.

Where the library renamed a keyword argument, or made keyword-only an argument that was once
given by position, calls written the older way are mapped onto the current spelling, silently:
scripts written against an earlier release keep working. The function's signature (what
``inspect.signature``, ``help`` and the documentation show) is the current spelling; the older
one is declared with ``typing.overload`` for type checkers and named in the docstring.
Standard library only.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

from ciscocfg._errors import ArgumentTypeError

__all__ = ["older_spelling"]

P = ParamSpec("P")
R = TypeVar("R")


def older_spelling(
    *, positional: tuple[str, ...] = (), renamed: Mapping[str, str] | None = None
) -> Callable[[Callable[P, R]], Callable[..., R]]:
    """Accept the older spelling of a call.

    ``positional`` names keyword-only parameters that older calls gave by position, in order,
    after the parameters that are still positional; ``renamed`` maps an older keyword to the
    current one. Giving both spellings of one argument raises
    :class:`~ciscocfg.ArgumentTypeError` (a :class:`TypeError`, as Python's own "got multiple
    values").
    """
    old_names = dict(renamed or {})

    def wrap(func: Callable[P, R]) -> Callable[..., R]:
        parameters = inspect.signature(func).parameters.values()
        leading = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)
        name = func.__qualname__

        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> R:
            if len(args) > leading:
                extra = args[leading:]
                if len(extra) > len(positional):
                    raise ArgumentTypeError(
                        f"{name}() takes {leading + len(positional)} positional arguments "
                        f"but {len(args)} were given"
                    )
                for keyword, value in zip(positional, extra, strict=False):
                    _put(kwargs, keyword, value, name)
                args = args[:leading]
            for old, new in old_names.items():
                if old in kwargs:
                    _put(kwargs, new, kwargs.pop(old), name)
            return func(*args, **kwargs)

        return call

    return wrap


def _put(kwargs: dict[str, Any], keyword: str, value: object, name: str) -> None:
    if keyword in kwargs:
        raise ArgumentTypeError(f"{name}() got multiple values for argument {keyword!r}")
    kwargs[keyword] = value

"""What every command shares: the client it opens, JSON Lines output, usage errors."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from typing import IO, Any

import msgspec

from .. import HubClient
from ..types import HubStruct

__all__ = ["UsageError", "dump_line", "open_client", "plain", "write_lines"]

_ENCODER = msgspec.json.Encoder()


class UsageError(Exception):
    """A command line that parses but cannot be acted on (exit status 2)."""


def open_client(args: argparse.Namespace) -> HubClient:
    """The client described by the global options; unset ones resolve as HubClient does."""
    kwargs: dict[str, Any] = {}
    concurrency = getattr(args, "max_concurrency", None)
    if concurrency is not None:
        kwargs["max_concurrency"] = concurrency
    timeout = getattr(args, "timeout", None)
    if timeout is not None:
        kwargs["timeout"] = timeout
    return HubClient(getattr(args, "endpoint", None), getattr(args, "token", None), **kwargs)


def plain(value: Any) -> Any:
    """A Struct (or a container of them) as JSON-ready builtins.

    Top-level fields the Hub did not send (``None``) are left out so that a line
    holds what the Hub said, not forty ``null`` placeholders.
    """
    if isinstance(value, HubStruct):
        return {k: v for k, v in value.to_dict().items() if v is not None}
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def dump_line(value: Any) -> bytes:
    """One JSON Lines record (UTF-8, newline-terminated)."""
    return _ENCODER.encode(plain(value)) + b"\n"


def write_lines(stream: IO[str], values: Iterable[Any]) -> int:
    """Write each value as a JSON line to a text stream; return how many were written."""
    count = 0
    for value in values:
        stream.write(dump_line(value).decode("utf-8"))
        count += 1
    return count

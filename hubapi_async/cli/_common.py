"""What every command shares: the client it opens, JSON Lines output, usage errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import IO, Any, Protocol

import msgspec

from .. import HubClient
from ..types import HubStruct

__all__ = [
    "ByteSink",
    "UsageError",
    "count_arg",
    "dump_line",
    "open_client",
    "plain",
    "positive_int_arg",
    "raw_line",
    "seconds_arg",
    "stdout_bytes",
]

_ENCODER = msgspec.json.Encoder()


class UsageError(Exception):
    """A command line that parses but cannot be acted on (exit status 2)."""


def positive_int_arg(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    value = count_arg(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def count_arg(text: str) -> int:
    """An argparse type: a whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def seconds_arg(text: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text}")
    return value


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


def raw_line(raw: msgspec.Raw | bytes) -> bytes:
    """One JSON Lines record of JSON as the Hub sent it: its bytes unchanged, unless they
    span lines (whitespace between tokens; strings cannot hold a raw newline), then
    compacted onto one line."""
    data = bytes(raw)
    if b"\n" in data or b"\r" in data:
        data = msgspec.json.format(data, indent=-1)
    return data + b"\n"


class ByteSink(Protocol):
    """Where JSON Lines bytes go (``sys.stdout.buffer``, a file)."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


def stdout_bytes() -> ByteSink:
    """The binary stream under ``sys.stdout`` (text written so far flushed first)."""
    sys.stdout.flush()
    buffer: IO[bytes] | None = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return _TextBridge(sys.stdout)
    return buffer


class _TextBridge:
    """Bytes onto a text stream that has no ``buffer`` (UTF-8)."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        self._stream.write(data.decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self._stream.flush()

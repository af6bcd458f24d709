"""Query parameters as the Hub expects them, refusing what would be mangled."""

from __future__ import annotations

import math
from collections.abc import Mapping, Set
from typing import Any

__all__ = ["encode_params"]


def _check_text(what: str, text: str) -> None:
    """Text that UTF-8 cannot carry (a lone surrogate) would be sent as nothing at all."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"query parameter {what} is not valid Unicode (it holds a lone surrogate): "
            f"{text[:100]!r}"
        ) from None


def _query_value(key: str, value: object) -> str:
    """One query value as text: bools ``true``/``false``, numbers in decimal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = str.__str__(value)  # a str Enum's value, not its name
        _check_text(repr(key), text)
        return text
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TypeError(f"query parameter {key!r} must be a finite number, got {value!r}")
        return str(float(value))
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(f"query parameter {key!r} must be text, not bytes: decode it first")
    if isinstance(value, Mapping):
        raise TypeError(
            f"query parameter {key!r} cannot be a mapping: pass a str or a list of str "
            "(for tags, 'key:value' strings)"
        )
    if isinstance(value, Set):
        raise TypeError(
            f"query parameter {key!r} cannot be a set (it has no order): pass a list or tuple"
        )
    raise TypeError(
        f"query parameter {key!r} must be a str, int, float, bool or a list of them, "
        f"got {type(value).__name__}"
    )


def encode_params(params: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Query parameters as the Hub expects them: lists repeat the key, bools are
    ``true``/``false``, ``None`` is left out.

    Anything else is a ``TypeError`` (before any request): bytes, mappings, sets (no
    order), lists of lists, ``None`` inside a list, non-finite floats, other objects. Text
    that is not valid Unicode (a lone surrogate, which would reach the Hub as an empty
    value) is a ``ValueError``.
    """
    out: list[tuple[str, str]] = []
    if not params:
        return out
    for key, value in params.items():
        if not isinstance(key, str):
            raise TypeError(f"query parameter names must be str, got {type(key).__name__}")
        _check_text("name", key)
        if value is None:
            continue
        if isinstance(value, list | tuple | range):
            for item in value:
                if isinstance(item, list | tuple | range | Set | Mapping) or item is None:
                    raise TypeError(
                        f"query parameter {key!r} must be a flat list of str, int, float or "
                        f"bool, got an item of type {type(item).__name__}"
                    )
                out.append((key, _query_value(key, item)))
        else:
            out.append((key, _query_value(key, value)))
    return out

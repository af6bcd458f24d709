"""Checking and encoding the listing keywords of models, datasets and Spaces (pure).

Each helper raises before any request: ``TypeError`` for a value of the wrong type,
``ValueError`` for a value the Hub cannot mean. Wire forms follow the official client:
lists are repeated keys, booleans ``true``/``false``, tag conveniences go into ``filter``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

__all__ = [
    "StrOrList",
    "as_list",
    "check_num_parameters",
    "join_filters",
    "opt_bool",
    "opt_str",
    "wire_sort",
]

StrOrList = str | Sequence[str] | None

#: The official client's snake_case sort names → the Hub's.
_SORTS: Final = {
    "created_at": "createdAt",
    "last_modified": "lastModified",
    "trending_score": "trendingScore",
}
_COUNT: Final = r"[0-9]+(?:\.[0-9]+)?[KMBTkmbt]?"
_NUM_PARAMETERS: Final = re.compile(rf"(?:min:{_COUNT}(?:,max:{_COUNT})?|max:{_COUNT})")


def as_list(value: StrOrList, what: str) -> list[str]:
    """``None`` → ``[]``, a string → ``[it]``, a list or tuple of strings → a list.

    Bytes, mappings and sets (which have no order: the query would change from run to
    run) are a ``TypeError``.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    given: object = value
    if not isinstance(given, Sequence) or isinstance(given, bytes | bytearray | memoryview):
        unordered = " (a set has no order)" if isinstance(given, set | frozenset) else ""
        raise TypeError(
            f"{what} must be a string or a list of strings, not {type(given).__name__}" + unordered
        )
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{what} items must be strings, got {type(item).__name__}")
    return items


def opt_bool(value: bool | None, what: str) -> bool | None:
    """``value`` if it is ``None`` or a bool; else ``TypeError``."""
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, not {type(value).__name__}")
    return value


def opt_str(value: str | None, what: str) -> str | None:
    """``value`` if it is ``None`` or a string; else ``TypeError``."""
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a string, not {type(value).__name__}")
    return value


def join_filters(filter: StrOrList, **tags: StrOrList) -> list[str]:
    """``filter`` plus ``key:value`` tags for each convenience keyword given."""
    out = as_list(filter, "filter")
    for key, value in tags.items():
        for item in as_list(value, key):
            out.append(item if item.startswith(f"{key}:") else f"{key}:{item}")
    return out


def wire_sort(sort: str | None) -> str | None:
    """The Hub's name of a sort (``created_at`` → ``createdAt``; others unchanged)."""
    opt_str(sort, "sort")
    return _SORTS.get(sort, sort) if sort is not None else None


def check_num_parameters(value: str | None) -> str | None:
    """A parameter-count range as the Hub reads it: ``"min:6B,max:128B"``, ``"min:6B"``,
    ``"max:128B"`` (``K``, ``M``, ``B``, ``T`` suffixes)."""
    if value is None:
        return None
    opt_str(value, "num_parameters")
    if not _NUM_PARAMETERS.fullmatch(value.replace(" ", "")):
        raise ValueError(
            f"num_parameters must look like 'min:6B,max:128B', 'min:6B' or 'max:128B', "
            f"got {value!r}"
        )
    return value.replace(" ", "")

"""Tables for people: columns of a listing, and a ``field  value`` card for one object.

A listing is printed as it streams: the column widths are chosen from the first page
(and the terminal's width), later values that do not fit are cut with ``…``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any, Final

import msgspec

__all__ = [
    "Column",
    "TableWriter",
    "cell",
    "choose_columns",
    "column",
    "computed",
    "terminal_width",
    "write_card",
]

_MIN_TEXT: Final = 12
_GAP: Final = "  "


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table: where its value comes from and how it is shown."""

    #: Its name on the command line (``--columns id,downloads``).
    name: str
    #: The header printed above it.
    header: str
    #: Reads the value from an item (a Struct or a mapping).
    get: Callable[[Any], Any]
    #: The Hub's field to ask for (``expand=``) so that the value is sent, if any.
    wire: str | None = None
    #: Numbers are right-aligned.
    numeric: bool = False


def column(
    name: str,
    attr: str | None = None,
    *,
    header: str | None = None,
    wire: str | None = None,
    numeric: bool = False,
) -> Column:
    """A column reading attribute (or key) ``attr`` (default: ``name``)."""
    key = attr or name

    def get(item: Any) -> Any:
        if isinstance(item, Mapping):
            return item.get(key)
        return getattr(item, key, None)

    return Column(name, header or name.upper(), get, wire, numeric)


def computed(
    name: str, get: Callable[[Any], Any], *, header: str | None = None, numeric: bool = False
) -> Column:
    """A column whose value ``get`` computes from an item (a nested field, a count...)."""

    def safe(item: Any) -> Any:
        try:
            return get(item)
        except (AttributeError, KeyError, TypeError):
            return None

    return Column(name, header or name.upper(), safe, None, numeric)


def choose_columns(
    available: Mapping[str, Column], spec: str | None, default: Sequence[str]
) -> list[Column]:
    """The columns named in ``spec`` (``"id,likes"``), or the default ones.

    Raises ``ValueError`` naming the valid columns when a name is unknown.
    """
    names = [n.strip() for n in spec.split(",") if n.strip()] if spec else list(default)
    unknown = [n for n in names if n not in available]
    if unknown or not names:
        valid = ", ".join(available)
        raise ValueError(f"unknown column {', '.join(unknown) or '(none)'}; choose from: {valid}")
    return [available[n] for n in names]


def cell(value: Any, *, precise: bool = False) -> str:
    """A value as table text: ``1,234`` for counts, the day of a datetime (the whole UTC
    time with ``precise``), ``-`` for none."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, datetime):
        if precise:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return value.astimezone(UTC).strftime("%Y-%m-%d")
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list | tuple):
        return ", ".join(cell(v, precise=precise) for v in value) if value else "-"
    if isinstance(value, msgspec.Struct):
        value = msgspec.to_builtins(value)
    return msgspec.json.encode(value).decode("utf-8")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def terminal_width(stream: IO[str]) -> int:
    """The width of the terminal behind ``stream`` (``$COLUMNS``, else 80 when unknown)."""
    try:
        import os

        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return shutil.get_terminal_size().columns


class TableWriter:
    """Writes rows as aligned columns; widths are fixed by the first batch of rows."""

    def __init__(self, stream: IO[str], columns: Sequence[Column], *, width: int) -> None:
        self._stream = stream
        self._columns = list(columns)
        self._width = width
        self._widths: list[int] | None = None
        self.rows = 0

    def _fit(self, texts: list[list[str]]) -> list[int]:
        widths = [len(c.header) for c in self._columns]
        for row in texts:
            widths = [max(w, len(t)) for w, t in zip(widths, row, strict=True)]
        over = sum(widths) + len(_GAP) * (len(widths) - 1) - self._width
        # Shrink the widest text columns first, never below a readable minimum.
        while over > 0:
            text_cols = [
                i for i, c in enumerate(self._columns) if not c.numeric and widths[i] > _MIN_TEXT
            ]
            if not text_cols:
                break
            widest = max(text_cols, key=lambda i: widths[i])
            cut = min(over, widths[widest] - _MIN_TEXT)
            widths[widest] -= cut
            over -= cut
        return widths

    def _line(self, texts: Sequence[str], widths: Sequence[int]) -> str:
        parts = []
        for col, text, width in zip(self._columns, texts, widths, strict=True):
            text = _cut(text, width)
            parts.append(text.rjust(width) if col.numeric else text.ljust(width))
        return _GAP.join(parts).rstrip()

    def write(self, items: Iterable[Any]) -> None:
        """Print a batch of items (the header first, before the first batch)."""
        texts = [[cell(c.get(item)) for c in self._columns] for item in items]
        if self._widths is None:
            self._widths = self._fit(texts)
            self._stream.write(self._line([c.header for c in self._columns], self._widths) + "\n")
        for row in texts:
            self._stream.write(self._line(row, self._widths) + "\n")
        self.rows += len(texts)
        self._stream.flush()

    def finish(self) -> None:
        """Print the header of an empty table, so that no output still says something."""
        if self._widths is None:
            self.write([])


_SCALAR: Final = (str, int, float, bool, datetime)
_NAMES: Final = ("name", "rfilename", "id", "slug")


def _summary(values: list[Any]) -> str:
    """A list of objects as their names (``config.json, model.safetensors``), or a count."""
    names: list[str] = []
    for value in values:
        found = None
        for attr in _NAMES:
            found = value.get(attr) if isinstance(value, Mapping) else getattr(value, attr, None)
            if isinstance(found, str):
                break
        if not isinstance(found, str):
            return f"({len(values)} entries)"
        names.append(found)
    return f"({len(names)}) " + ", ".join(names)


def write_card(stream: IO[str], fields: Mapping[str, Any], *, width: int) -> None:
    """One object as ``field  value`` lines (fields left unset are skipped)."""
    shown = {k: v for k, v in fields.items() if v is not None and v != [] and v != {}}
    if not shown:
        return
    key_width = max(len(k) for k in shown)
    room = max(width - key_width - len(_GAP), 20)
    for key, value in shown.items():
        if isinstance(value, list) and value and not isinstance(value[0], _SCALAR):
            text = _summary(value)
        else:
            text = cell(value, precise=True)
        stream.write(f"{key.ljust(key_width)}{_GAP}{_cut(text, room)}\n")
    stream.flush()

"""What a command of ``hubapi`` is: one :class:`ReadCommand` or :class:`WriteCommand`.

Commands are data. The parser, the output (a table or card for people, JSON Lines for
pipes) and ``hubapi crawl`` are built from the tables of them (``_commands.py`` and the
``_commands_<family>.py`` modules); running one is generic (``_read.py``, ``_write.py``).
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ._table import Column

if TYPE_CHECKING:
    from .. import HubClient, Paginator

__all__ = [
    "Args",
    "ReadCommand",
    "WriteCommand",
    "columns_of",
    "no_arguments",
    "no_params",
]

Args = argparse.Namespace
Rows = Callable[["HubClient", Args], Awaitable[list[dict[str, Any]]]]


def no_params(args: Args) -> dict[str, Any]:
    """No query parameters."""
    return {}


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments of the command's own."""
    return None


def _nothing(args: Args) -> None:
    return None


def columns_of(*cols: Column) -> dict[str, Column]:
    """Columns by name, in the order given (the order ``--help`` lists them)."""
    return {c.name: c for c in cols}


@dataclass(frozen=True, slots=True)
class ReadCommand:
    """One read command: ``hubapi GROUP NAME ...`` (or ``hubapi NAME`` without a group).

    The answer is read either by the command itself (``path`` and ``params``: a GET), or
    through the SDK method that wraps the endpoint (``listing`` or ``fetch``, called on a
    view of the client that keeps the Hub's answers, so that ``--json`` prints them byte
    for byte while the SDK's own checks, query and paging apply).
    """

    #: The family (``models``), or ``None`` for a top-level command (``whoami``).
    group: str | None
    #: The action (``list``, ``info``...).
    name: str
    #: One line for ``--help`` listings.
    summary: str
    #: The command's own ``--help`` text.
    description: str
    #: ``listing``: a paginated list of items; ``object``: one JSON object; ``rows``: an
    #: answer turned into rows by :attr:`rows` (JSON Lines of those rows); ``items``: a
    #: JSON array read whole by :attr:`fetch` (JSON Lines, one element per line).
    shape: Literal["listing", "object", "rows", "items"]
    #: What the answer is decoded into for a table or ``--struct`` (a Struct type).
    struct: Any = None
    #: The API path to read (``listing``/``object``); may validate ids (``ValueError``).
    path: Callable[[HubClient, Args], str] | None = None
    #: The query parameters the options ask for (``None`` values are left out). For a
    #: listing read with :attr:`listing`, the options a crawl records and compares.
    params: Callable[[Args], dict[str, Any]] = no_params
    #: For ``rows``: reads the answer through the client and returns plain rows.
    rows: Rows | None = None
    #: For a listing: the SDK call that returns its ``Paginator`` (instead of ``path``).
    listing: Callable[[HubClient, Args], Paginator[Any]] | None = None
    #: For ``object``/``items``: the SDK call that reads the answer (instead of ``path``).
    fetch: Callable[[HubClient, Args], Awaitable[Any]] | None = None
    #: Columns a table may show (``--columns``), and those shown by default.
    columns: Mapping[str, Column] = field(default_factory=dict)
    default_columns: tuple[str, ...] = ()
    #: For an object shown as a table: the rows of that table (the items of a
    #: collection, the repos citing a paper...).
    table_rows: Callable[[Any], Iterable[Any]] | None = None
    #: For an object: the ``field  value`` card people see (default: every field); with
    #: :attr:`table_rows`, printed above the table.
    card_fields: Callable[[Any], Mapping[str, Any]] | None = None
    #: Adds the command's own arguments and options.
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    #: For a listing: whether ``expand=`` may ask for the table's columns.
    expandable: bool = False
    #: For a crawlable listing: the Hub's field that identifies an item (duplicates are
    #: dropped), and the Struct attribute holding it (``--struct``; default: the same).
    crawl_key: str | None = None
    crawl_attr: str | None = None
    #: For a crawlable listing: the query giving an order that does not move while a crawl
    #: runs, used when no ``--sort`` is given.
    stable_order: Mapping[str, Any] = field(default_factory=dict)
    #: For a crawlable listing: its name under ``hubapi crawl`` (default: the group).
    crawl_kind: str | None = None
    #: For a crawlable listing: what its positional arguments name (an organization),
    #: recorded so that a resume cannot continue another listing's crawl.
    crawl_target: Callable[[Args], str | None] = _nothing
    #: For a crawlable listing: the ``order:`` paragraph of its crawl's ``--help``.
    crawl_order: str = ""
    #: Whether one object is shown as a ``field  value`` card on a terminal (else JSON).
    card: bool = True

    @property
    def words(self) -> tuple[str, ...]:
        """The words that name the command (``("models", "list")``)."""
        return (self.name,) if self.group is None else (self.group, self.name)

    @property
    def kind(self) -> str:
        """Its name under ``hubapi crawl`` (``models``, ``org-members``)."""
        return self.crawl_kind or self.group or self.name

    @property
    def has_table(self) -> bool:
        """Whether people get a table or card (``--table``), not JSON, on a terminal."""
        return bool(self.columns) or (
            self.shape == "object" and self.card and self.struct is not None
        )


@dataclass(frozen=True, slots=True)
class WriteCommand:
    """One write command: ``hubapi GROUP NAME ...``, run through the SDK method.

    :attr:`call` calls the SDK on a view of the client that keeps the Hub's answers: the
    request sent is exactly the SDK's, its checks run before anything is sent, and
    ``--json`` prints the Hub's answer the result came from, byte for byte.
    """

    #: The family (``repos``, ``collections``).
    group: str
    #: The action (``create``, ``delete``...).
    name: str
    #: One line for ``--help`` listings.
    summary: str
    #: The command's own ``--help`` text.
    description: str
    #: Adds the command's own arguments and options.
    arguments: Callable[[argparse.ArgumentParser], None]
    #: Calls the SDK method and returns its result (a Struct, or ``None``).
    call: Callable[[HubClient, Args], Awaitable[Any]]
    #: The line people see once it is done, from ``args``, the result and whether the
    #: call acted: the result is the Hub's answer to the write itself (not an
    #: ``--exist-ok`` lookup), or, for a result of ``None``, the Hub answered (it was not a
    #: 404 that ``--missing-ok`` forgave).
    message: Callable[[Args, Any, bool], str]
    #: What the result is (a Struct type) when the SDK returns one, else ``None``.
    struct: Any = None
    #: For a result of ``None``: the JSON object printed with ``--json`` (what was done),
    #: from ``args`` and whether the call acted.
    outcome: Callable[[Args, bool], dict[str, Any]] | None = None
    #: Checks the identifiers before anything else (``ValueError``: exit 2).
    check: Callable[[Args], None] = _nothing
    #: For commands that destroy data: the question asked on a terminal (``--yes``
    #: skips it; without a terminal, ``--yes`` is required).
    confirm: Callable[[Args], str] | None = None

    @property
    def words(self) -> tuple[str, ...]:
        """The words that name the command (``("repos", "create")``)."""
        return (self.group, self.name)

"""Running a read command: ask the Hub, then print a table (people) or JSON Lines (pipes).

JSON output is the Hub's own JSON for each item or object, byte for byte as it was sent
(decoded as ``msgspec.Raw``, so nothing is dropped or renamed); ``--struct`` prints the
snake_case form of the library's Structs instead. Commands read through the SDK
(``listing``, ``fetch``) run on a :class:`~._view.HubView`, which keeps those bytes.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import msgspec

from .. import HubClient, Paginator
from ._commands import ReadCommand
from ._common import UsageError, dump_line, open_client, plain, raw_line, stdout_bytes
from ._table import TableWriter, choose_columns, terminal_width, write_card
from ._view import HubView

__all__ = ["output_mode", "run_read"]


def output_mode(args: argparse.Namespace, cmd: ReadCommand) -> str:
    """``table``, ``json`` or ``struct``: what the options ask for, else a table on a
    terminal and JSON Lines when stdout is a pipe or a file."""
    explicit: str | None = getattr(args, "output", None)
    columns = getattr(args, "columns", None)
    if columns and explicit in ("json", "struct"):
        raise UsageError("--columns chooses the columns of a table; drop --json/--struct")
    if explicit is None:
        explicit = "table" if columns or sys.stdout.isatty() else "json"
    # A command without a table form (Croissant's JSON-LD) has no --table option either.
    return explicit if explicit != "table" or cmd.has_table else "json"


def _table(cmd: ReadCommand, args: argparse.Namespace) -> TableWriter:
    columns = choose_columns(cmd.columns, args.columns, cmd.default_columns)
    return TableWriter(sys.stdout, columns, width=terminal_width(sys.stdout))


def _paginator(
    hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str
) -> Paginator[Any]:
    item_type: Any = msgspec.Raw if mode == "json" else cmd.struct
    if cmd.listing is not None:  # the SDK's own query and paging, items as asked
        return cmd.listing(HubView(hub, item_type=item_type).client, args)
    assert cmd.path is not None
    params = cmd.params(args)
    if mode == "table" and cmd.expandable and not params.get("expand") and not params.get("full"):
        # Ask for exactly the fields the table shows (a default listing item lacks
        # some, such as lastModified).
        columns = choose_columns(cmd.columns, args.columns, cmd.default_columns)
        wanted = sorted({c.wire for c in columns if c.wire and c.wire != "id"})
        params["expand"] = wanted or None
    return hub.paginate(
        cmd.path(hub, args), params=params, type=item_type, limit=getattr(args, "limit", None)
    )


async def _listing(hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str) -> None:
    table = _table(cmd, args) if mode == "table" else None
    paginator = _paginator(hub, cmd, args, mode)
    out = stdout_bytes()
    async with paginator:
        async for page in paginator.pages():
            if table is not None:
                table.write(page.items)
            elif mode == "json":
                out.write(b"".join([raw_line(item) for item in page.items]))
                out.flush()
            else:
                out.write(b"".join([dump_line(item) for item in page.items]))
                out.flush()
    if table is not None:
        table.finish()


async def _object(hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str) -> None:
    # Columns are checked before anything is sent.
    table = _table(cmd, args) if mode == "table" and cmd.table_rows is not None else None
    if cmd.fetch is not None:  # through the SDK, keeping the Hub's answer
        view = HubView(hub)
        value = await cmd.fetch(view.client, args)
        raw = view.last_answer()
    else:
        assert cmd.path is not None
        response = await hub.request("GET", cmd.path(hub, args), params=cmd.params(args))
        raw = response.decode(msgspec.Raw, "a JSON document")
        value = None if mode == "json" or cmd.struct is None else response.decode(cmd.struct)
    if value is None or mode == "json":
        out = stdout_bytes()
        out.write(raw_line(raw))
        out.flush()
        return
    if mode == "struct":
        sys.stdout.write(dump_line(value).decode("utf-8"))
        return
    if cmd.card_fields is not None:
        fields = cmd.card_fields(value)
    elif table is None:
        fields = {name: getattr(value, name) for name in value.__struct_fields__}
    else:
        fields = {}
    width = terminal_width(sys.stdout)
    if fields:
        write_card(sys.stdout, fields, width=width)
    if table is not None and cmd.table_rows is not None:
        if fields:
            sys.stdout.write("\n")
        table.write(list(cmd.table_rows(value)))
        table.finish()


async def _items(hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str) -> None:
    """A JSON array read whole: one line per element (the Hub's JSON), or a table."""
    assert cmd.fetch is not None
    table = _table(cmd, args) if mode == "table" else None
    view = HubView(hub)
    values = await cmd.fetch(view.client, args)
    if table is not None:
        table.write(values)
        table.finish()
        return
    out = stdout_bytes()
    if mode == "json":
        elements = view.answers[-1].decode(list[msgspec.Raw], "a JSON array")
        out.write(b"".join(raw_line(e) for e in elements))
    else:
        out.write(b"".join(dump_line(v) for v in values))
    out.flush()


async def _rows(hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str) -> None:
    assert cmd.rows is not None
    rows = await cmd.rows(hub, args)
    if mode == "table":
        table = _table(cmd, args)
        table.write(rows)
        table.finish()
        return
    out = stdout_bytes()
    out.write(
        b"".join(dump_line({k: v for k, v in plain(r).items() if v is not None}) for r in rows)
    )
    out.flush()


async def run_read(args: argparse.Namespace) -> int:
    """Run the read command the parser chose (``args.read_command``)."""
    cmd: ReadCommand = args.read_command
    mode = output_mode(args, cmd)
    async with open_client(args) as hub:
        if cmd.shape == "listing":
            await _listing(hub, cmd, args, mode)
        elif cmd.shape == "object":
            await _object(hub, cmd, args, mode)
        elif cmd.shape == "items":
            await _items(hub, cmd, args, mode)
        else:
            await _rows(hub, cmd, args, mode)
    return 0

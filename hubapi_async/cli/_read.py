"""Running a read command: ask the Hub, then print a table (people) or JSON Lines (pipes).

JSON output is the Hub's own JSON for each item or object, byte for byte as it was sent
(decoded as ``msgspec.Raw``, so nothing is dropped or renamed); ``--struct`` prints the
snake_case form of the library's Structs instead.
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
    can_table = bool(cmd.columns) or (cmd.shape == "object" and cmd.card and cmd.struct)
    # A command without a table form (Croissant's JSON-LD) has no --table option either.
    return explicit if explicit != "table" or can_table else "json"


async def _listing(hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str) -> None:
    assert cmd.path is not None
    params = cmd.params(args)
    table = None
    if mode == "table":
        columns = choose_columns(cmd.columns, args.columns, cmd.default_columns)
        if cmd.expandable and not params.get("expand") and not params.get("full"):
            # Ask for exactly the fields the table shows (a default listing item lacks
            # some, such as lastModified).
            wanted = sorted({c.wire for c in columns if c.wire and c.wire != "id"})
            params["expand"] = wanted or None
        table = TableWriter(sys.stdout, columns, width=terminal_width(sys.stdout))
    item_type: Any = msgspec.Raw if mode == "json" else cmd.struct
    paginator: Paginator[Any] = hub.paginate(
        cmd.path(hub, args), params=params, type=item_type, limit=getattr(args, "limit", None)
    )
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
    assert cmd.path is not None
    response = await hub.request("GET", cmd.path(hub, args), params=cmd.params(args))
    if mode == "json" or cmd.struct is None:
        raw = response.decode(msgspec.Raw, "a JSON document")
        out = stdout_bytes()
        out.write(raw_line(raw))
        out.flush()
        return
    value = response.decode(cmd.struct)
    if mode == "struct":
        sys.stdout.write(dump_line(value).decode("utf-8"))
        return
    fields = {name: getattr(value, name) for name in value.__struct_fields__}
    write_card(sys.stdout, fields, width=terminal_width(sys.stdout))


async def _rows(hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, mode: str) -> None:
    assert cmd.rows is not None
    rows = await cmd.rows(hub, args)
    if mode == "table":
        columns = choose_columns(cmd.columns, args.columns, cmd.default_columns)
        table = TableWriter(sys.stdout, columns, width=terminal_width(sys.stdout))
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
        else:
            await _rows(hub, cmd, args, mode)
    return 0

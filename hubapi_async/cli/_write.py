"""Running a write command: check, confirm, call the SDK, say what was done.

The SDK method runs on a :class:`~._view.HubView`: the request is exactly the SDK's, and
its checks (ids, option combinations) fail before anything is sent. On a terminal one
line says what was done; piped, or with ``--json``, the Hub's JSON answer the result was
decoded from is printed byte for byte (or, for a call whose answer carries nothing, a
JSON object saying what was done).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from ._common import UsageError, dump_line, open_client, raw_line, stdout_bytes
from ._spec import WriteCommand
from ._view import HubView, answer_for, wire_json

__all__ = ["run_write", "write_mode"]


def write_mode(args: argparse.Namespace) -> str:
    """``people``, ``json`` or ``struct``: the option given, else a line on a terminal and
    JSON when stdout is a pipe or a file."""
    explicit: str | None = getattr(args, "output", None)
    if explicit is not None:
        return explicit
    return "people" if sys.stdout.isatty() else "json"


def _interactive() -> bool:
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def confirm(cmd: WriteCommand, args: argparse.Namespace) -> None:
    """Ask before a command that destroys data (``UsageError`` unless the answer is yes).

    ``--yes`` answers in advance; without a terminal to ask on, ``--yes`` is required.
    """
    if cmd.confirm is None or getattr(args, "yes", False):
        return
    question = cmd.confirm(args)
    if not _interactive():
        raise UsageError(
            f"{question} Pass --yes to confirm (stdin is not a terminal: nothing can be asked)."
        )
    try:
        sys.stderr.write(f"{question} [y/N] ")
        sys.stderr.flush()
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        sys.stderr.write("\n")  # "interrupted" then goes on a line of its own
        raise
    if answer.strip().lower() not in ("y", "yes"):
        if not answer.endswith("\n"):
            sys.stderr.write("\n")
        raise UsageError("not confirmed: nothing was changed")


def run_write(args: argparse.Namespace) -> int:
    """Run the write command the parser chose (``args.write_command``).

    The identifiers are checked and the question asked before the event loop starts, so
    that Ctrl-C at the question interrupts at once.
    """
    cmd: WriteCommand = args.write_command
    cmd.check(args)
    confirm(cmd, args)
    return asyncio.run(_send(cmd, args))


async def _send(cmd: WriteCommand, args: argparse.Namespace) -> int:
    mode = write_mode(args)
    async with open_client(args) as hub:
        view = HubView(hub)
        result = await cmd.call(view.client, args)
    found = answer_for(view, result)
    # Whether the call acted: its result is the answer to the write itself (not a lookup
    # after an --exist-ok conflict), or, with nothing to return, an answer came back at
    # all (not a 404 that --missing-ok forgave).
    acted = found is not None and found[1].method != "GET"
    fresh = bool(view.answers) if result is None else acted
    if mode == "people":
        print(cmd.message(args, result, fresh))
        return 0
    out = stdout_bytes()
    if result is None:
        assert cmd.outcome is not None
        out.write(dump_line(cmd.outcome(args, fresh)))
    elif mode == "struct":
        out.write(dump_line(result))
    elif found is not None:
        out.write(raw_line(found[0]))
    else:
        out.write(wire_json(result) + b"\n")
    out.flush()
    return 0

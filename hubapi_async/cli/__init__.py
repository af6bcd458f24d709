"""``hubapi``: the command line of hubapi_async.

Read commands print a table on a terminal and JSON Lines (the Hub's own JSON, one item
per line) when piped or with ``--json`` (``hubapi models list --author google --limit
5``); write commands (``hubapi repos create``, ``hubapi collections add-item``...) say
what they did, or print the Hub's JSON answer; ``hubapi crawl`` writes a whole listing
to a file, kill-safe and resumable; ``hubapi serve`` runs the local Hub and ``hubapi
demo`` tours the client against one started in-process. Exit status: 0 on success, 1
for a Hub error (message on stderr), 2 for a wrong command line (or a command that
refuses to act: a crawl that would touch its output, an unconfirmed delete), 130 when
interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from ..errors import HubError
from ._common import UsageError
from ._parser import build_parser

__all__ = ["EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _run(args: argparse.Namespace) -> int:
    if args.handler == "serve":
        from ._serve import run_serve

        return run_serve(args)
    if args.handler == "crawl":
        from ._crawl import run_crawl

        return asyncio.run(run_crawl(args))
    if args.handler == "demo":
        from ._demo import run_demo

        return asyncio.run(run_demo(args))
    if args.handler == "write":
        from ._write import run_write

        return run_write(args)
    from ._read import run_read

    return asyncio.run(run_read(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``hubapi`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return _run(args)
    except HubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except (UsageError, ValueError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """After a closed pipe (``hubapi ... | head``), keep Python's exit flush quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

"""``hubapi``: the command line of hubapi_async.

Read commands print JSON Lines to stdout (``hubapi models list --author google --limit
5``), ``hubapi crawl`` writes a whole listing to a file with a kill-safe ``--resume``,
``hubapi serve`` runs the local Hub and ``hubapi demo`` tours the client against one
started in-process. Exit status: 0 on success, 1 for a Hub error (message on stderr),
2 for a wrong command line, 130 when interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from ..errors import HubError
from ._common import UsageError
from ._parser import build_parser

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _handler(name: str) -> Handler:
    if name == "crawl":
        from ._crawl import run_crawl

        return run_crawl
    if name == "demo":
        from ._demo import run_demo

        return run_demo
    from . import _read

    handlers: dict[str, Handler] = {
        "list": _read.run_list,
        "info": _read.run_info,
        "tags": _read.run_tags,
        "parquet": _read.run_parquet,
        "croissant": _read.run_croissant,
    }
    return handlers[name]


def _run(args: argparse.Namespace) -> int:
    if args.handler == "serve":
        from ._serve import run_serve

        return run_serve(args)
    return asyncio.run(_handler(args.handler)(args))


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
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
            return EXIT_ERROR
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def _silence_stdout() -> None:
    """After a closed pipe (``hubapi ... | head``), keep Python's exit flush quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass

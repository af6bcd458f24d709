"""``hubapi crawl``: a whole listing to a JSON Lines file, with progress and a kill-safe resume.

After each page is written, flushed and fsynced, a small state file beside the output
(``FILE.state``) records where to continue, how many items are in the file and the file's
size, replaced atomically. ``--resume`` truncates the output to the recorded size (dropping
a page written before a kill but not yet recorded) and continues from the recorded URL, so
a crawl killed at any point loses and repeats nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from .. import Paginator
from ._common import UsageError, dump_line, open_client
from ._read import family, list_kwargs

__all__ = [
    "CrawlState",
    "Progress",
    "append_page",
    "open_output",
    "plural",
    "read_state",
    "run_crawl",
    "state_path",
    "write_state",
]


@dataclass(frozen=True, slots=True)
class CrawlState:
    """What the state file records after each page."""

    #: The URL of the next page to read; ``None`` once the crawl is complete.
    next_url: str | None
    #: Items in the output file.
    items: int
    #: Size of the output file in bytes (everything past it is an unrecorded page).
    bytes: int
    #: Pages written so far.
    pages: int = 0
    #: ``models``, ``datasets`` or ``spaces``.
    kind: str | None = None
    #: The Hub endpoint the crawl reads from.
    endpoint: str | None = None
    #: The ``--limit`` of the crawl, if any (a total across resumes).
    limit: int | None = None


def state_path(out: Path) -> Path:
    """The state file of an output file: ``FILE.jsonl`` -> ``FILE.jsonl.state``."""
    return out.with_name(out.name + ".state")


def read_state(path: Path) -> CrawlState | None:
    """The recorded state, or ``None`` when there is no state file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw)
        return CrawlState(
            next_url=data["next_url"],
            items=int(data["items"]),
            bytes=int(data["bytes"]),
            pages=int(data.get("pages", 0)),
            kind=data.get("kind"),
            endpoint=data.get("endpoint"),
            limit=data.get("limit"),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"{path} is not a crawl state file ({exc}); delete it to start over"
        ) from None


def write_state(path: Path, state: CrawlState) -> None:
    """Replace the state file atomically: write a temporary file, fsync, rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_output(out: Path, spath: Path, state: CrawlState | None) -> IO[bytes]:
    """The output, ready to append: cut to the recorded size, or new and empty."""
    if state is None:
        spath.unlink(missing_ok=True)
        return open(out, "wb")
    fh = open(out, "r+b")  # noqa: SIM115 - returned to the caller's with-block
    try:
        fh.truncate(state.bytes)
        fh.seek(state.bytes)
    except BaseException:
        fh.close()
        raise
    return fh


def append_page(fh: IO[bytes], lines: list[bytes]) -> int:
    """Append a page's lines, flush and fsync; return the file's new size."""
    fh.write(b"".join(lines))
    fh.flush()
    os.fsync(fh.fileno())
    return fh.tell()


def plural(n: int, noun: str) -> str:
    """``1 page``, ``2 pages``, ``1,000 items``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


class Progress:
    """Items, pages and items/s on stderr: a ``\\r`` line on a TTY, periodic lines otherwise."""

    def __init__(
        self,
        stream: IO[str],
        *,
        enabled: bool,
        total: int | None = None,
        items: int = 0,
        pages: int = 0,
        interval: float = 2.0,
    ) -> None:
        self._stream = stream
        self._enabled = enabled
        self._tty = enabled and stream.isatty()
        self._total = total
        self._base_items = items
        self.items = items
        self.pages = pages
        self._interval = 0.1 if self._tty else interval
        self._start = time.monotonic()
        self._last = self._start

    @property
    def elapsed(self) -> float:
        """Seconds since this run started."""
        return time.monotonic() - self._start

    @property
    def rate(self) -> float:
        """Items per second in this run (resumed items not counted)."""
        return (self.items - self._base_items) / max(self.elapsed, 1e-9)

    def _line(self) -> str:
        counts = (
            f"{plural(self.items, 'item')}  {plural(self.pages, 'page')}  {self.rate:,.0f} items/s"
        )
        if self._total and self._tty:
            filled = min(20, 20 * self.items // self._total)
            return f"[{'#' * filled}{'.' * (20 - filled)}] {counts}"
        return counts

    def update(self, items: int, pages: int) -> None:
        """Record the totals after a page; redraw if it is time to."""
        self.items, self.pages = items, pages
        now = time.monotonic()
        if not self._enabled or now - self._last < self._interval:
            return
        self._last = now
        if self._tty:
            self._stream.write(f"\r{self._line()}\x1b[K")
        else:
            self._stream.write(self._line() + "\n")
        self._stream.flush()

    def finish(self, message: str) -> None:
        """End the progress line and print ``message`` (when enabled)."""
        if not self._enabled:
            return
        if self._tty:
            self._stream.write(f"\r{self._line()}\x1b[K\n")
        self._stream.write(message + "\n")
        self._stream.flush()


def _prepare(args: argparse.Namespace, out: Path, spath: Path) -> CrawlState | None:
    """The state to resume from (``None``: start from the beginning)."""
    state = read_state(spath)
    if not args.resume:
        if state is not None and state.next_url is not None:
            raise UsageError(
                f"{out} holds an unfinished crawl ({state.items:,} items); pass --resume "
                f"to continue it, or delete {spath.name} to start over"
            )
        return None
    if state is None:
        print(f"no state file {spath.name}: starting from the beginning", file=sys.stderr)
        return None
    if state.kind is not None and state.kind != args.kind:
        raise UsageError(f"{out} is a crawl of {state.kind}, not {args.kind}")
    size = out.stat().st_size if out.exists() else -1
    if size < state.bytes:
        raise UsageError(
            f"{out} is shorter ({max(size, 0):,} bytes) than its state records "
            f"({state.bytes:,}); it was changed since: delete {spath.name} to start over"
        )
    return state


async def run_crawl(args: argparse.Namespace) -> int:
    """``hubapi crawl KIND --out FILE``: write every listed repo as a JSON line."""
    out = Path(args.out)
    spath = state_path(out)
    state = _prepare(args, out, spath)
    if state is not None and state.next_url is None:
        print(f"crawl already complete: {state.items:,} items in {out}", file=sys.stderr)
        return 0
    limit = state.limit if state is not None else args.limit
    items = state.items if state is not None else 0
    pages = state.pages if state is not None else 0
    if state is not None and args.endpoint is None and state.endpoint:
        args.endpoint = state.endpoint
    progress = Progress(sys.stderr, enabled=args.progress, total=limit, items=items, pages=pages)
    with open_output(out, spath, state) as fh:
        async with open_client(args) as hub:
            endpoint = hub.endpoint
            resource = family(hub, args.kind)
            remaining = None if limit is None else max(limit - items, 0)
            if state is not None:
                paginator: Paginator[Any] = resource.list(
                    resume_from=state.next_url, limit=remaining, prefetch=True
                )
            else:
                paginator = resource.list(**{**list_kwargs(args), "prefetch": True})
            async with paginator:
                async for page in paginator.pages():
                    lines = [dump_line(item) for item in page.items]
                    # Written in the loop, not a thread: a cancellation (Ctrl-C) cannot
                    # land between the page and its state record.
                    size = append_page(fh, lines)
                    items += len(lines)
                    pages += 1
                    done = page.next_url is None or (limit is not None and items >= limit)
                    next_url = None if done else page.next_url
                    write_state(
                        spath,
                        CrawlState(next_url, items, size, pages, args.kind, endpoint, limit),
                    )
                    progress.update(items, pages)
                    if done:
                        break
        final = CrawlState(None, items, fh.tell(), pages, args.kind, endpoint, limit)
        write_state(spath, final)
    progress.finish(
        f"done: {plural(items, 'item')} in {plural(pages, 'page')} to {out} "
        f"({progress.elapsed:.1f} s, {progress.rate:,.0f} items/s)"
    )
    return 0

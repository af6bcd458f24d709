"""``hubapi crawl``: a whole listing to a JSON Lines file, lossless, kill-safe, resumable.

Pages are decoded into ``msgspec.Raw`` items, so each line is the item's JSON exactly as
the Hub sent it (``--struct`` writes the library's snake_case form). Items the Hub lists
twice (a listing sorted by a key that moves while the crawl runs) are written once and
counted. The files and their checks are in :mod:`._crawlfile`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from .. import HubClient, Paginator
from ..errors import HubError
from ._commands import MOVING_SORTS, ReadCommand
from ._common import UsageError, dump_line, open_client, raw_line
from ._crawlfile import STATE_VERSION, CrawlOutput, CrawlState, key_digest, read_state, write_state
from ._progress import ClientEvents, Progress, plural, retries
from ._view import HubView

__all__ = ["run_crawl"]


def _key_reader(key: str) -> Callable[[bytes], Any]:
    """Reads only ``key`` out of one item's JSON (every other field is skipped)."""
    decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
        msgspec.defstruct("Key", [(key, Any, None)])
    )

    def read(data: bytes) -> Any:
        return getattr(decoder.decode(data), key)

    return read


def _options(cmd: ReadCommand, args: argparse.Namespace) -> dict[str, Any]:
    return {k: v for k, v in cmd.params(args).items() if v is not None}


def _show(options: dict[str, Any]) -> str:
    return " ".join(f"{k}={v}" for k, v in options.items()) or "(none)"


def _prepare(
    args: argparse.Namespace,
    cmd: ReadCommand,
    output: CrawlOutput,
    fmt: str,
    key_of: Callable[[bytes], Any],
) -> tuple[CrawlState | None, set[int]]:
    """The state to continue from (``None``: start afresh) and the keys already written.

    Refuses (``UsageError``, nothing changed) whenever going on could lose data.
    """
    out, spath = output.path, output.state_path
    if args.force:
        return None, set()
    state = read_state(spath)
    size = output.size()
    if not args.resume:
        if state is not None and not state.done:
            raise UsageError(
                f"{out} holds an unfinished crawl ({state.items:,} items): pass --resume to "
                "continue it, or --force to start over (the file is overwritten)"
            )
        if state is not None or size > 0:
            what = f"a complete crawl ({state.items:,} items)" if state else f"{size:,} bytes"
            raise UsageError(
                f"{out} already holds {what}: pass --force to overwrite it, or choose another --out"
            )
        return None, set()
    if state is None:
        if size > 0:
            raise UsageError(
                f"cannot resume: there is no {spath.name} beside {out} ({size:,} bytes), so "
                "nothing says which part of it is good. It was left untouched; pass --force "
                "to overwrite it, or choose another --out"
            )
        print(f"no crawl to resume in {out}: starting one", file=sys.stderr)
        return None, set()
    if state.kind != cmd.kind:
        raise UsageError(f"{out} is a crawl of {state.kind}, not {cmd.kind}")
    target = cmd.crawl_target(args)
    if state.target != target:
        raise UsageError(f"{out} is a crawl of {state.kind} {state.target}, not {target}")
    if state.format != fmt:
        other = "--struct" if state.format == "struct" else "no --struct"
        raise UsageError(f"{out} was written in the {state.format} format: resume with {other}")
    given = _options(cmd, args)
    if given and given != state.options:
        raise UsageError(
            f"{out} is a crawl with {_show(state.options)}; resume it without listing "
            "options (they are kept) or with the same ones"
        )
    endpoint = getattr(args, "endpoint", None)
    if endpoint and endpoint.rstrip("/") != state.endpoint:
        raise UsageError(f"{out} is a crawl of {state.endpoint}, not {endpoint}")
    seen = output.verify(state, key_of)
    return state, seen


def _fresh(
    cmd: ReadCommand, args: argparse.Namespace, endpoint: str, fmt: str, options: dict[str, Any]
) -> CrawlState:
    return CrawlState(
        version=STATE_VERSION,
        kind=cmd.kind,
        target=cmd.crawl_target(args),
        endpoint=endpoint,
        format=fmt,  # type: ignore[arg-type]
        options=options,
        next_url=None,
        done=False,
        items=0,
        bytes=0,
        crc32=0,
        pages=0,
        duplicates=0,
    )


def _paginator(
    hub: HubClient, cmd: ReadCommand, args: argparse.Namespace, state: CrawlState, item_type: Any
) -> Paginator[Any]:
    """From the recorded next page, or from the start with the stable order by default.

    A listing read through the SDK starts with the SDK's own first request, with the
    options recorded in the state; its later pages follow the Hub's ``Link`` header.
    """
    if state.next_url is not None:
        return hub.paginate(state.next_url, type=item_type, prefetch=True)
    if cmd.listing is not None:
        view = HubView(hub, item_type=item_type, prefetch=True)
        return cmd.listing(view.client, argparse.Namespace(**{**vars(args), **state.options}))
    assert cmd.path is not None
    path = cmd.path(hub, args)
    query = dict(state.options)
    if "sort" not in query:
        query = {**cmd.stable_order, **query}
    return hub.paginate(path, params=query, type=item_type, prefetch=True)


class _Writer:
    """Turns a page into the lines to append, dropping items already written."""

    def __init__(self, fmt: str, key: str, key_of: Callable[[bytes], Any], seen: set[int]) -> None:
        self._raw = fmt == "hub"
        self._key = key
        self._key_of = key_of
        self.seen = seen

    def lines(self, items: list[Any], room: int | None) -> tuple[list[bytes], int, bool]:
        """(lines, duplicates, cut): at most ``room`` new lines; ``cut`` if items were left."""
        lines: list[bytes] = []
        duplicates = 0
        for n, item in enumerate(items):
            if room is not None and len(lines) >= room:
                return lines, duplicates, n < len(items)
            key = self._key_of(item) if self._raw else getattr(item, self._key, None)
            if key is not None:
                digest = key_digest(key)
                if digest in self.seen:
                    duplicates += 1
                    continue
                self.seen.add(digest)
            lines.append(raw_line(item) if self._raw else dump_line(item))
        return lines, duplicates, False


async def _crawl(
    hub: HubClient,
    args: argparse.Namespace,
    cmd: ReadCommand,
    output: CrawlOutput,
    state: CrawlState,
    writer: _Writer,
    progress: Progress,
) -> CrawlState:
    limit = state.options.get("limit")
    limit = limit if isinstance(limit, int) and not isinstance(limit, bool) else None
    if limit is not None and state.items >= limit:
        state = msgspec.structs.replace(state, next_url=None, done=True)
        write_state(output.state_path, state)
        return state
    item_type: Any = msgspec.Raw if state.format == "hub" else cmd.struct
    async with _paginator(hub, cmd, args, state, item_type) as paginator:
        async for page in paginator.pages():
            room = None if limit is None else limit - state.items
            lines, duplicates, cut = writer.lines(page.items, room)
            data = b"".join(lines)
            # No await between the page and its state record: a cancellation (Ctrl-C)
            # always finds the two in agreement.
            size = output.append(data) if data else state.bytes
            items = state.items + len(lines)
            done = page.next_url is None or cut or (limit is not None and items >= limit)
            state = msgspec.structs.replace(
                state,
                next_url=None if done else page.next_url,
                done=done,
                items=items,
                bytes=size,
                crc32=zlib.crc32(data, state.crc32),
                pages=state.pages + 1,
                duplicates=state.duplicates + duplicates,
            )
            write_state(output.state_path, state)
            progress.update(state.items, state.pages, state.duplicates)
            if done:
                break
    if not state.done:  # the listing ended without a last page (an empty answer)
        state = msgspec.structs.replace(state, next_url=None, done=True)
        write_state(output.state_path, state)
    return state


def _stopped(output: CrawlOutput, progress: Progress, why: str) -> None:
    """Say what a crawl that did not finish has saved, and how to go on."""
    progress.clear()
    saved = read_state(output.state_path)
    count = saved.items if saved else 0
    print(
        f"{why}: {plural(count, 'item')} saved in {output.path}; the same command with "
        "--resume continues the crawl",
        file=sys.stderr,
    )


def _progress_enabled(args: argparse.Namespace) -> bool:
    if args.progress is not None:
        return bool(args.progress)
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


async def run_crawl(args: argparse.Namespace) -> int:
    """``hubapi crawl KIND --out FILE``: every listed item, one JSON line each."""
    cmd: ReadCommand = args.read_command
    assert cmd.crawl_key is not None
    fmt = "struct" if args.struct else "hub"
    options = _options(cmd, args)  # a bad combination of options fails before any file work
    cmd.crawl_target(args)  # and so does a bad organization name
    key = cmd.crawl_key if fmt == "hub" else (cmd.crawl_attr or cmd.crawl_key)
    key_of = _key_reader(key)
    out = Path(args.out)
    with CrawlOutput(out) as output:
        state, seen = _prepare(args, cmd, output, fmt, key_of)
        if state is not None and state.done:
            print(
                f"crawl already complete: {plural(state.items, 'item')} in {out}", file=sys.stderr
            )
            return 0
        if state is not None:
            args.endpoint = state.endpoint
            options = state.options
        if options.get("sort") in MOVING_SORTS:
            print(
                f"note: sorting by {options['sort']}, which changes while the crawl runs: "
                "items may move between pages (duplicates are dropped and counted, but an "
                "item can also be missed). Leave out --sort for an order that does not move.",
                file=sys.stderr,
            )
        async with open_client(args) as hub:
            if state is None:
                output.truncate(0)
                state = _fresh(cmd, args, hub.endpoint, fmt, options)
                write_state(output.state_path, state)
            else:
                dropped = output.size() - state.bytes
                output.truncate(state.bytes)
                if dropped:
                    print(
                        f"resuming after {plural(state.items, 'item')}: {dropped:,} bytes "
                        "written after the last checkpoint are read again",
                        file=sys.stderr,
                    )
            writer = _Writer(fmt, key, key_of, seen)
            with ClientEvents() as events:
                limit = state.options.get("limit")
                progress = Progress(
                    sys.stderr,
                    enabled=_progress_enabled(args),
                    total=limit if isinstance(limit, int) and limit else None,
                    items=state.items,
                    pages=state.pages,
                    events=events,
                )
                try:
                    state = await _crawl(hub, args, cmd, output, state, writer, progress)
                except (asyncio.CancelledError, KeyboardInterrupt):
                    _stopped(output, progress, "interrupted")
                    raise
                except HubError:
                    _stopped(output, progress, "stopped by the error below")
                    raise
                progress.clear()
    summary = (
        f"done: {plural(state.items, 'item')} in {plural(state.pages, 'page')} to {out} "
        f"({progress.elapsed:.1f} s, {progress.rate:,.0f} items/s, "
        f"{retries(events.retries)}, {plural(events.waits, 'rate-limit wait')})"
    )
    if state.duplicates:
        summary += f"; {plural(state.duplicates, 'item')} listed twice, written once"
    print(summary, file=sys.stderr)
    return 0

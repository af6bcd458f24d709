"""``hubapi demo``: a short tour of the client against a local Hub started in-process."""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import time
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

import aiohttp

from .. import HubClient, RepositoryNotFoundError
from ..types import ModelInfo
from ._progress import Progress, plural

__all__ = ["DEMO_TOKEN", "gate_story", "run_demo"]

#: The token the demo's local Hub accepts (a local, made-up credential).
DEMO_TOKEN = "hf_local_token"
_REAL_MODEL = "google-bert/bert-base-uncased"
_GATED_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
_PARQUET_DATASET = "ibm/duorc"
_BULK = 200
#: The gate's part of the demo: so many calls from so many tasks against a small quota.
_GATE_QUOTA = 40
_GATE_WINDOW = 2.0
_GATE_CALLS = 160
_GATE_TASKS = 50

if TYPE_CHECKING:
    from ..testing import LocalHub


def _say(text: str = "") -> None:
    print(text, flush=True)


def _describe(m: ModelInfo) -> str:
    parts = [m.pipeline_tag or "-", m.library_name or "-"]
    if m.downloads is not None:
        parts.append(f"{m.downloads:,} downloads")
    if m.likes is not None:
        parts.append(f"{m.likes:,} likes")
    if m.siblings is not None:
        parts.append(f"{len(m.siblings)} files")
    if m.gated:
        parts.append(f"gated={m.gated}")
    return ", ".join(parts)


async def _crawl(hub: HubClient, limit: int) -> list[str]:
    progress = Progress(sys.stdout, enabled=sys.stdout.isatty(), total=limit, interval=0.05)
    ids: list[str] = []
    pages = 0
    async with hub.models.list(limit=limit, prefetch=True) as paginator:
        async for page in paginator.pages():
            ids.extend(m.id for m in page.items)
            pages += 1
            progress.update(len(ids), pages)
    progress.clear()
    _say(
        f"crawl: {plural(len(ids), 'model')} in {plural(pages, 'page')}, "
        f"{progress.elapsed:.2f} s, {progress.rate:,.0f} items/s"
    )
    return ids


async def _parquet(hub: HubClient) -> None:
    layout = await hub.datasets.parquet(_PARQUET_DATASET)
    shards = sum(len(urls) for splits in layout.values() for urls in splits.values())
    subsets = ", ".join(f"{s} ({'/'.join(splits)})" for s, splits in layout.items())
    _say(f"parquet {_PARQUET_DATASET}: {shards} shards in {subsets}")
    subset = next(iter(layout))
    split = next(iter(layout[subset]))
    size = 0
    head = b""
    async with hub.datasets.parquet_shard(_PARQUET_DATASET, subset, split, 0) as chunks:
        async for chunk in chunks:
            if not head:
                head = chunk[:4]
            size += len(chunk)
    magic = "a parquet file" if head == b"PAR1" else f"starts {head!r}"
    _say(f"  shard {subset}/{split}/0: {size:,} bytes streamed ({magic})")


async def _bulk_info(hub: HubClient, ids: list[str]) -> None:
    start = time.monotonic()
    results = [r async for r in hub.map(hub.models.info, ids, concurrency=32)]
    elapsed = time.monotonic() - start
    found = [r.value for r in results if r.value is not None]
    downloads = sum(m.downloads or 0 for m in found)
    _say(
        f"bulk info: {len(found)} repos, 32 at a time, in {elapsed:.2f} s "
        f"({len(found) / max(elapsed, 1e-9):,.0f} repos/s); {downloads:,} downloads in all"
    )


@dataclass(frozen=True, slots=True)
class GateRun:
    """What one run of the gate story measured."""

    #: Calls that got their answer.
    answered: int
    #: Requests the Hub refused with 429.
    refused: int
    #: Seconds from the first request to the last answer.
    elapsed: float
    #: Rate-limit windows the run spanned.
    windows: int


def _received(local: LocalHub) -> int:
    return sum(1 for r in local.requests if r.path.startswith("/api/models/"))


async def _without_gate(local: LocalHub, ids: list[str]) -> GateRun:
    """The same calls through plain aiohttp: no gate, no retry."""
    limiter = asyncio.Semaphore(_GATE_TASKS)
    statuses: list[int] = []
    before = _received(local)
    start = time.monotonic()
    headers = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    async with aiohttp.ClientSession(headers=headers) as session:

        async def one(repo_id: str) -> None:
            async with limiter, session.get(f"{local.url}/api/models/{repo_id}") as resp:
                await resp.read()
                statuses.append(resp.status)

        async with asyncio.TaskGroup() as tasks:
            for repo_id in ids:
                tasks.create_task(one(repo_id))
    elapsed = time.monotonic() - start
    answered = statuses.count(200)
    received = _received(local) - before
    return GateRun(answered, received - answered, elapsed, int(elapsed // _GATE_WINDOW) + 1)


async def _with_gate(local: LocalHub, ids: list[str]) -> GateRun:
    before = _received(local)
    start = time.monotonic()
    async with HubClient(local.url, token=DEMO_TOKEN) as hub:
        results = [r async for r in hub.map(hub.models.info, ids, concurrency=_GATE_TASKS)]
    elapsed = time.monotonic() - start
    answered = sum(1 for r in results if r.ok)
    received = _received(local) - before
    return GateRun(answered, received - answered, elapsed, _windows_with_traffic(local))


def _windows_with_traffic(local: LocalHub) -> int:
    """How many of the Hub's rate-limit windows saw a request (its own tally)."""
    return sum(1 for allowed, refused in local.rate_limiter.windows.values() if allowed + refused)


async def gate_story() -> tuple[GateRun, GateRun]:
    """Many tasks against a small quota, without a gate and with the client's: printed."""
    from ..testing import LocalHub

    quota, window = _GATE_QUOTA, _GATE_WINDOW
    calls = _GATE_CALLS
    _say(
        f"rate-limit gate: {calls} info calls from {_GATE_TASKS} tasks, against a Hub "
        f"allowing {quota} requests per {window:g} s"
    )
    local = LocalHub(
        models=calls, datasets=0, spaces=0, tokens=(DEMO_TOKEN,), rate_limit=(quota, window)
    )
    async with local:
        ids = list(islice(local.stores["model"].iter_ids(), calls))
        local.reset_rate_limits()
        bare = await _without_gate(local, ids)
        _say(f"  plain aiohttp, no gate: {bare.answered} answered, {bare.refused} refused with 429")
        local.reset_rate_limits()
        gated = await _with_gate(local, ids)
    fewest = math.ceil(calls / quota)
    used = gated.answered / (gated.windows * quota)
    _say(
        f"  hubapi_async:           {gated.answered} answered, {gated.refused} refused with "
        f"429, in {gated.elapsed:.1f} s: {gated.windows} windows (fewest possible: "
        f"{fewest}), {used:.0%} of their quota used"
    )
    _say("  (each window is waited out to 1 s past its announced reset: t is whole seconds)")
    return bare, gated


async def tour(url: str, args: argparse.Namespace) -> None:
    """Everything the demo shows, against the Hub at ``url``."""
    started = time.monotonic()
    async with HubClient(url, token=DEMO_TOKEN) as hub:
        _say(f"local Hub at {url}")
        ids = await _crawl(hub, args.limit)
        for repo_id in (_REAL_MODEL, _GATED_MODEL):
            info = await hub.models.info(repo_id)
            _say(f"info {info.id}: {_describe(info)}")
        authored = [d.id async for d in hub.datasets.list(author="google", limit=5)]
        _say(f"datasets by google: {', '.join(authored) or '(none)'}")
        await _parquet(hub)
        try:
            await hub.models.info("nobody-here/no-such-model")
        except RepositoryNotFoundError as exc:
            _say(f"missing repo -> {type(exc).__name__}: {exc}")
        else:
            _say("missing repo -> found?! (the local Hub should not have it)")
        await _bulk_info(hub, ids[:_BULK])
    await gate_story()
    _say(f"demo done in {time.monotonic() - started:.2f} s")


async def run_demo(args: argparse.Namespace) -> int:
    """Start a local Hub in this process and run :func:`tour` against it."""
    from ..testing import LocalHub

    async with LocalHub(
        models=args.models, datasets=500, spaces=200, seed=0, tokens=(DEMO_TOKEN,)
    ) as url:
        await tour(str(url), args)
    return 0

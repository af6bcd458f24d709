"""``hubapi demo``: a short tour of the client against a local Hub started in-process."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from .. import HubClient, RepositoryNotFoundError
from ..types import ModelInfo
from ._crawl import Progress, plural

__all__ = ["DEMO_TOKEN", "run_demo"]

#: The token the demo's local Hub accepts (a local, made-up credential).
DEMO_TOKEN = "hf_local_token"
_REAL_MODEL = "google-bert/bert-base-uncased"
_GATED_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
_PARQUET_DATASET = "ibm/duorc"
_BULK = 200


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
    progress = Progress(sys.stdout, enabled=True, total=limit, interval=0.05)
    ids: list[str] = []
    pages = 0
    async with hub.models.list(limit=limit, prefetch=True) as paginator:
        async for page in paginator.pages():
            ids.extend(m.id for m in page.items)
            pages += 1
            progress.update(len(ids), pages)
    progress.finish(
        f"crawl: {plural(len(ids), 'model')} in {plural(pages, 'page')}, "
        f"{progress.elapsed:.2f} s, "
        f"{progress.rate:,.0f} items/s"
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
    limiter = asyncio.Semaphore(32)
    results: dict[str, ModelInfo] = {}

    async def one(repo_id: str) -> None:
        async with limiter:
            results[repo_id] = await hub.models.info(repo_id)

    start = time.monotonic()
    async with asyncio.TaskGroup() as tasks:
        for repo_id in ids:
            tasks.create_task(one(repo_id))
    elapsed = time.monotonic() - start
    downloads = sum(m.downloads or 0 for m in results.values())
    _say(
        f"bulk info: {len(results)} repos, 32 at a time, in {elapsed:.2f} s "
        f"({len(results) / max(elapsed, 1e-9):,.0f} repos/s); {downloads:,} downloads in all"
    )


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
    _say(f"demo done in {time.monotonic() - started:.2f} s")


async def run_demo(args: argparse.Namespace) -> int:
    """Start a local Hub in this process and run :func:`tour` against it."""
    from ..testing import LocalHub

    async with LocalHub(
        models=args.models, datasets=500, spaces=200, seed=0, tokens=(DEMO_TOKEN,)
    ) as url:
        await tour(str(url), args)
    return 0

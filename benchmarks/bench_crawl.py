"""Crawl and bulk-info throughput against the local Hub, side by side with the peers.

Run: ``.venv/bin/python benchmarks/bench_crawl.py [--models 100000] [--items 30000]``

The local Hub runs in a child process (so the client under test has the main
process's interpreter to itself, with no lock shared with the server). Figures
printed in one run, with ratios:

- listing: items/s following ``Link`` pages of 1,000 (hubapi_async Structs; raw aiohttp +
  ``json.loads``; the official client's ``HfApi.list_models``);
- info: repos/s for N ``model_info`` calls (hubapi_async with ``hub.map``; the official
  client, sequentially, as it is synchronous).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp

from hubapi_async import HubClient
from hubapi_async.testing import LocalHub

TOKEN = "hf_local_token"


def _serve(models: int, queue: mp.Queue[str], stop: Any) -> None:
    server = LocalHub(models=models, datasets=10, spaces=10)
    with server.in_thread() as url:
        queue.put(url)
        stop.wait()


@contextmanager
def hub_process(models: int) -> Iterator[str]:
    """A local Hub in a child process; yields its URL."""
    ctx = mp.get_context("spawn")
    queue: mp.Queue[str] = ctx.Queue()
    stop = ctx.Event()
    proc = ctx.Process(target=_serve, args=(models, queue, stop), daemon=True)
    proc.start()
    try:
        yield queue.get(timeout=120)
    finally:
        stop.set()
        proc.join(10)
        if proc.is_alive():
            proc.kill()


def timed(fn: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    n = fn()
    return n, time.perf_counter() - start


async def ours_list(url: str, items: int) -> int:
    async with HubClient(url, token=TOKEN) as hub:
        return sum([1 async for _ in hub.models.list(limit=items)])


async def ours_list_prefetch(url: str, items: int) -> int:
    async with HubClient(url, token=TOKEN) as hub:
        paginator = hub.models.list(limit=items, prefetch=True)
        async with paginator:
            return sum([1 async for _ in paginator])


async def raw_list(url: str, items: int) -> int:
    count = 0
    next_url: str | None = f"{url}/api/models?limit=1000"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with aiohttp.ClientSession() as session:
        while next_url and count < items:
            async with session.get(next_url, headers=headers) as resp:
                body = await resp.read()
                link = resp.links.get("next")
                next_url = str(link["url"]) if link else None
            count += len(json.loads(body))
    return min(count, items)


def official_list(url: str, items: int) -> int:
    from huggingface_hub import HfApi

    api = HfApi(endpoint=url, token=TOKEN)
    return sum(1 for _ in api.list_models(limit=items))


async def ours_info(url: str, ids: list[str], concurrency: int) -> int:
    async with HubClient(url, token=TOKEN, max_concurrency=concurrency) as hub:
        ok = 0
        async for result in hub.map(hub.models.info, ids, concurrency=concurrency):
            ok += result.ok
        return ok


def official_info(url: str, ids: list[str]) -> int:
    from huggingface_hub import HfApi

    api = HfApi(endpoint=url, token=TOKEN)
    return sum(1 for repo_id in ids if api.model_info(repo_id).id == repo_id)


async def sample_ids(url: str, n: int) -> list[str]:
    async with HubClient(url, token=TOKEN) as hub:
        return [m.id async for m in hub.models.list(limit=n)]


def row(name: str, n: int, seconds: float, base: float | None) -> str:
    rate = n / seconds
    ratio = f"{rate / base:6.2f}x" if base else "  1.00x"
    return f"{name:<40} {n:>8,} {seconds:>8.2f} s {rate:>12,.0f}/s {ratio}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=30_000)
    parser.add_argument("--infos", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)

    with hub_process(args.models) as url:
        # warm the server's caches so every client meets the same server
        asyncio.run(raw_list(url, args.items))
        print(f"local Hub: {args.models:,} models at {url}\n")
        print(
            f"{'listing ' + format(args.items, ',') + ' models':<40} {'items':>8} "
            f"{'time':>10} {'rate':>14} vs ours"
        )
        n, t = timed(lambda: asyncio.run(ours_list(url, args.items)))
        base = n / t
        print(row("hubapi_async models.list (Structs)", n, t, None))
        n, t = timed(lambda: asyncio.run(ours_list_prefetch(url, args.items)))
        print(row("hubapi_async models.list prefetch=True", n, t, base))
        n, t = timed(lambda: asyncio.run(raw_list(url, args.items)))
        print(row("raw aiohttp + json.loads (dicts)", n, t, base))
        n, t = timed(lambda: official_list(url, args.items))
        print(row("huggingface_hub HfApi.list_models", n, t, base))

        ids = asyncio.run(sample_ids(url, args.infos))
        asyncio.run(ours_info(url, ids, args.concurrency))  # warm
        print(f"\n{'model info x ' + format(len(ids), ','):<40}")
        n, t = timed(lambda: asyncio.run(ours_info(url, ids, args.concurrency)))
        base = n / t
        print(row(f"hubapi_async hub.map, {args.concurrency} at a time", n, t, None))
        n, t = timed(lambda: asyncio.run(ours_info(url, ids, 1)))
        print(row("hubapi_async hub.map, serial", n, t, base))
        n, t = timed(lambda: official_info(url, ids))
        print(row("huggingface_hub HfApi.model_info, serial", n, t, base))


if __name__ == "__main__":
    main()

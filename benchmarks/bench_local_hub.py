"""How fast the local Hub serves ``/api/models`` pages, next to how fast the official
``huggingface_hub`` client consumes them.

    .venv/bin/python benchmarks/bench_local_hub.py [--models 200000] [--items 200000] [--writes 0]

The server runs in a background thread of this process (as tests and the demo run it),
so both measurements share one interpreter with the client that reads:

(a) raw: a plain aiohttp client walks ``/api/models?limit=1000`` by its ``Link`` headers,
    reading every body (items are counted, not decoded);
(b) official: ``HfApi(endpoint=url).list_models(limit=items)`` builds a ``ModelInfo`` per
    item.

Both walk the same number of items from a cold start (the server's item cache holds fewer
items than are walked). ``--writes N`` first changes the settings of N generated repos over
HTTP (each becomes a stored copy), to show that writes leave the listing fast paths alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import aiohttp

from hubapi_async.testing import LocalHub


async def apply_writes(url: str, hub: LocalHub, writes: int) -> int:
    """Gate up to ``writes`` generated models of ``demo``/``demo-org`` (the token's user
    administers both) over ``PUT /api/models/{id}/settings``; return how many."""
    gen = hub.stores["model"].gen
    ids: list[str] = []
    for owner in ("demo", "demo-org"):
        span = gen.author_range(owner)
        if span is not None:
            ids += [gen.repo_id(i) for i in range(*span) if not gen.private(i)]
    headers = {"Authorization": f"Bearer {hub.tokens[0]}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        for repo_id in ids[:writes]:
            settings = f"{url}/api/models/{repo_id}/settings"
            async with session.put(settings, json={"gated": "auto"}) as resp:
                resp.raise_for_status()
    return len(ids[:writes])


async def raw_rate(url: str, items: int) -> tuple[int, int, float]:
    """Walk pages until ``items`` items were read; return (pages, items, seconds)."""
    pages = count = 0
    next_url: str | None = f"{url}/api/models?limit=1000"
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while next_url and count < items:
            async with session.get(next_url) as resp:
                body = await resp.read()
                link = resp.links.get("next")
                next_url = str(link["url"]) if link else None
            pages += 1
            count += body.count(b',{"_id"') + (1 if len(body) > 2 else 0)
    return pages, count, time.perf_counter() - started


def official_rate(url: str, items: int) -> tuple[int, float]:
    """Consume ``items`` models with the official client; return (items, seconds)."""
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from huggingface_hub import HfApi

    api = HfApi(endpoint=url, token=False)
    started = time.perf_counter()
    count = sum(1 for _ in api.list_models(limit=items))
    return count, time.perf_counter() - started


def main() -> None:
    """Run both measurements and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=200_000, help="models on the local Hub")
    parser.add_argument("--items", type=int, default=200_000, help="items to walk per client")
    parser.add_argument("--writes", type=int, default=0, help="generated repos to change first")
    args = parser.parse_args()
    items = min(args.items, args.models)

    hub = LocalHub(models=args.models, datasets=1, spaces=1, record_requests=False)
    with hub.in_thread() as url:
        changed = asyncio.run(apply_writes(url, hub, args.writes)) if args.writes else 0
        pages, raw_items, raw_s = asyncio.run(raw_rate(url, items))
        official_items, official_s = official_rate(url, items)

    raw_ips, official_ips = raw_items / raw_s, official_items / official_s
    first = f", {changed:,} of them changed first" if changed else ""
    print(f"local Hub with {args.models:,} models{first}; {items:,} items walked per client\n")
    print(f"{'':28}{'pages/s':>10}{'items/s':>12}{'seconds':>10}")
    print(f"{'(a) server, raw aiohttp':28}{pages / raw_s:>10.1f}{raw_ips:>12,.0f}{raw_s:>10.2f}")
    official_pages = official_items / 1000 / official_s
    print(
        f"{'(b) huggingface_hub client':28}{official_pages:>10.1f}"
        f"{official_ips:>12,.0f}{official_s:>10.2f}"
    )
    print(f"\nserver / official client: {raw_ips / official_ips:.1f}x")


if __name__ == "__main__":
    main()

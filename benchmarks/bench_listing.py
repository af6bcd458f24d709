"""Listing: walk N models over ``Link`` pages of 1,000, against the local Hub in a child process.

Run: ``.venv/bin/python benchmarks/bench_listing.py [--items 50000]``

Contenders (items per second, median of ``--repeat`` runs, ratio to the floor):

- floor: a plain async generator on one ``aiohttp.ClientSession``: GET, read the page
  whole, decode it with msgspec into ``list[ModelInfo]`` (the same typed Struct), yield
  each item, follow ``resp.links["next"]`` (no retries, no gate, no loop checks); every
  contender's consumer is the same ``async for`` counting items;
- hubapi_async ``hub.models.list(limit=N)``, by default and with ``prefetch=True``;
- the same pages through ``hub.request`` + ``Response.decode`` without the Paginator (the
  request path's share of the cost, apart from the paginator's item iteration);
- ``huggingface_hub`` ``HfApi.list_models(limit=N)``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import msgspec
from _harness import TOKEN, Contender, hub_process, measure, parser, report, write_json

from hubapi_async import HubClient
from hubapi_async.types import ModelInfo


async def floor_items(url: str, items: int) -> AsyncIterator[ModelInfo]:
    """The floor: a plain async generator over pages, yielding each item."""
    decoder = msgspec.json.Decoder(list[ModelInfo])
    headers = {"Authorization": f"Bearer {TOKEN}"}
    left = items
    next_url: str | None = f"{url}/api/models?limit={min(items, 1000)}"
    async with aiohttp.ClientSession() as session:
        while next_url and left > 0:
            async with session.get(next_url, headers=headers) as resp:
                resp.raise_for_status()
                page = decoder.decode(await resp.read())
                link = resp.links.get("next")
                next_url = str(link["url"]) if link else None
            for item in page[:left]:
                yield item
            left -= len(page)


async def floor(url: str, items: int) -> int:
    count = 0
    async for _ in floor_items(url, items):
        count += 1
    return count


async def ours(url: str, items: int, prefetch: bool) -> int:
    async with HubClient(url, token=TOKEN) as hub:
        paginator = hub.models.list(limit=items, prefetch=prefetch)
        count = 0
        async with paginator:
            async for _ in paginator:
                count += 1
        return count


async def ours_transport_only(url: str, items: int) -> int:
    """The same pages through ``hub.request`` and ``Response.decode``, no Paginator: what
    the request path costs, apart from the paginator's item iteration."""
    async with HubClient(url, token=TOKEN) as hub:
        count = 0
        target: str | None = "/api/models?limit=1000"
        while target and count < items:
            response = await hub.request("GET", target)
            for _ in response.decode(list[ModelInfo]):
                count += 1
            target = response.next_url
        return min(count, items)


def official(url: str, items: int) -> int:
    from huggingface_hub import HfApi

    return sum(1 for _ in HfApi(endpoint=url, token=TOKEN).list_models(limit=items))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__)
    p.add_argument("--items", type=int, default=50_000)
    p.add_argument("--no-official", action="store_true", help="skip huggingface_hub")
    args = p.parse_args(argv)
    n = args.items
    with hub_process(n + 1000) as url:
        contenders = [
            Contender(
                "floor: aiohttp + msgspec list[ModelInfo]",
                lambda: asyncio.run(floor(url, n)),
                floor=True,
            ),
            Contender("hubapi_async models.list", lambda: asyncio.run(ours(url, n, False))),
            Contender(
                "hubapi_async models.list prefetch=True", lambda: asyncio.run(ours(url, n, True))
            ),
            Contender(
                "hubapi_async hub.request pages (no Paginator)",
                lambda: asyncio.run(ours_transport_only(url, n)),
            ),
        ]
        if not args.no_official:
            contenders.append(Contender("huggingface_hub list_models", lambda: official(url, n)))
        for c in contenders:  # warm-up: the server's pages, imports
            c.run()
        results = measure(contenders, repeat=args.repeat, unit="item")
    data = report(
        f"listing {n:,} models, pages of 1,000",
        results,
        params={"items": n, "repeat": args.repeat},
    )
    write_json(args.json, data)
    return data


if __name__ == "__main__":
    main()

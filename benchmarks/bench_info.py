"""Bulk info: N ``models.info`` calls, 32 in flight, against the local Hub in a child process.

Run: ``.venv/bin/python benchmarks/bench_info.py [--calls 3000] [--latency 0.03]``

Contenders (requests per second, median of ``--repeat`` runs, ratio to the floor):

- floor: a hand-written loop, 32 asyncio workers on one ``aiohttp.ClientSession``, each
  GET read whole and decoded by msgspec into the same ``ModelInfo`` Struct (no retries,
  no rate-limit gate, no error mapping);
- hubapi_async, 32 workers calling ``hub.models.info``;
- hubapi_async ``hub.map(hub.models.info, ids, concurrency=32)``;
- ``huggingface_hub`` ``HfApi.model_info`` on 32 threads.

``--latency`` delays every answer of the local Hub (a ``stall`` fault), to compare the
clients when the network, not the CPU, is the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import msgspec
from _harness import TOKEN, Contender, hub_process, measure, parser, report, write_json

from hubapi_async import HubClient
from hubapi_async.types import ModelInfo


async def _workers(ids: list[str], n: int, one: Callable[[str], Awaitable[Any]]) -> int:
    queue = iter(ids)
    done = 0

    async def worker() -> None:
        nonlocal done
        for repo_id in queue:
            await one(repo_id)
            done += 1

    await asyncio.gather(*(worker() for _ in range(n)))
    return done


async def floor(url: str, ids: list[str], n: int) -> int:
    decoder = msgspec.json.Decoder(ModelInfo)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    connector = aiohttp.TCPConnector(limit=n)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(repo_id: str) -> ModelInfo:
            async with session.get(f"{url}/api/models/{repo_id}", headers=headers) as resp:
                resp.raise_for_status()
                return decoder.decode(await resp.read())

        return await _workers(ids, n, one)


async def ours(url: str, ids: list[str], n: int) -> int:
    async with HubClient(url, token=TOKEN, max_concurrency=n) as hub:
        return await _workers(ids, n, hub.models.info)


async def ours_map(url: str, ids: list[str], n: int) -> int:
    async with HubClient(url, token=TOKEN, max_concurrency=n) as hub:
        ok = 0
        async with hub.map(hub.models.info, ids, concurrency=n) as results:
            async for result in results:
                ok += result.unwrap() is not None
        return ok


def official(url: str, ids: list[str], n: int) -> int:
    from huggingface_hub import HfApi

    api = HfApi(endpoint=url, token=TOKEN)
    with ThreadPoolExecutor(n) as pool:
        return sum(1 for info in pool.map(api.model_info, ids) if info.id)


async def sample_ids(url: str, count: int) -> list[str]:
    async with HubClient(url, token=TOKEN) as hub:
        ids = [m.id async for m in hub.models.list(limit=min(count, 5000))]
    return [ids[i % len(ids)] for i in range(count)]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__)
    p.add_argument("--calls", type=int, default=3000)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    p.add_argument("--no-official", action="store_true", help="skip huggingface_hub")
    args = p.parse_args(argv)
    n = args.concurrency
    with hub_process(5000, latency=args.latency) as url:
        ids = asyncio.run(sample_ids(url, args.calls))
        contenders = [
            Contender(
                "floor: aiohttp + msgspec, 32 workers",
                lambda: asyncio.run(floor(url, ids, n)),
                floor=True,
            ),
            Contender(
                "hubapi_async models.info, 32 workers", lambda: asyncio.run(ours(url, ids, n))
            ),
            Contender(
                "hubapi_async hub.map(models.info, 32)", lambda: asyncio.run(ours_map(url, ids, n))
            ),
        ]
        if not args.no_official:
            contenders.append(
                Contender("huggingface_hub model_info, 32 threads", lambda: official(url, ids, n))
            )
        for c in contenders:  # warm-up: server caches, imports
            c.run()
        results = measure(contenders, repeat=args.repeat, unit="req")
    latency = f", {args.latency * 1000:g} ms added latency" if args.latency else ", loopback"
    data = report(
        f"models.info x {args.calls:,}, {n} in flight{latency}",
        results,
        params=vars(args) | {"json": str(args.json) if args.json else None},
    )
    write_json(args.json, data)
    return data


if __name__ == "__main__":
    main()

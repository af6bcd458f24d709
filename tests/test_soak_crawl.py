"""Fault soak: a long crawl through a local Hub that fails one request in four.

The plan never fails the same request more often than the policy retries (a failed
attempt is always followed by one that goes through), so the crawl must end with every
item exactly once, in order, in exactly one extra request per fault, with nothing left
checked out of the pool. Faults rotate through every kind a real network produces:
5xx, connection resets, stalls past the read timeout, bodies cut mid-way, and 429s
carrying the Hub's ``RateLimit`` headers.
"""

from __future__ import annotations

import pytest

from hubapi_async import HubClient, RetryPolicy, Timeout
from hubapi_async.testing import Fault, LocalHub

from ._helpers import checked_out_connections, patch_sleep

TOKEN = "hf_local_token"
MODELS = 20_000
PAGE = 100


def _plan(pages: int) -> list[Fault]:
    kinds = [
        Fault(kind="status", status=503),
        Fault(kind="reset"),
        Fault(kind="stall", delay=1.5),
        Fault(kind="truncate"),
        Fault(kind="status", status=429, headers={"RateLimit": '"api";r=0;t=1'}),
    ]
    positions: list[list[int]] = [[] for _ in kinds]
    # One listing request in four fails; the next one (the retry) always goes through.
    # Stalls cost real time (the read timeout), so only the first few failures stall.
    for i, n in enumerate(range(1, pages * 2, 4)):
        kind = i % len(kinds)
        if kind == 2 and len(positions[2]) >= 4:
            kind = 3
        positions[kind].append(n)
    faults = []
    for fault, nth in zip(kinds, positions, strict=True):
        fault.path = r"^/api/models$"
        fault.nth = set(nth)
        fault.__post_init__()  # compile the path pattern set above
        faults.append(fault)
    return faults


async def test_a_long_crawl_through_one_fault_in_four_loses_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sleeps = patch_sleep(monkeypatch)
    hub_server = LocalHub(models=MODELS, datasets=1, spaces=1, page_size=PAGE)
    async with hub_server:
        async with HubClient(hub_server.url, token=TOKEN) as clean:
            expected = [m.id async for m in clean.models.list()]
        before = len(hub_server.requests)
        faults = _plan(len(expected) // PAGE + 1)
        for fault in faults:
            hub_server.faults.add(fault)
        policy = RetryPolicy(max_retries=2, initial_backoff=0.05, max_backoff=0.2)
        timeout = Timeout(connect=5, read=0.5)  # generous: a loaded machine is slow
        async with HubClient(hub_server.url, token=TOKEN, retry=policy, timeout=timeout) as hub:
            got = [m.id async for m in hub.models.list()]
            assert checked_out_connections(hub) == 0
            stats = hub.stats
        listing = [r for r in hub_server.requests[before:] if r.path == "/api/models"]
    fired = sum(f.fired for f in faults)
    pages = len(expected) // PAGE + (1 if len(expected) % PAGE else 0)
    assert len(expected) >= MODELS
    assert got == expected  # every item exactly once, in order
    assert fired >= pages // 4 and all(f.fired for f in faults)
    assert len(listing) == pages + fired  # one retry per fault, no more
    assert stats.retries == fired
    assert stats.rate_limited == faults[-1].fired
    assert sleeps.calls  # backoff and rate-limit pauses happened, on the virtual clock

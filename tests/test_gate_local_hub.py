"""The gate end to end: HubClient against the local Hub's fixed-window limiter.

The limiter and the gate share a clock that runs up to ten times faster than real time
(and the client's sleeps are as much shorter), so a 3 s window lasts a fraction of a
second; requests, connections and the skewed latencies injected by faults are real. The
local Hub and the client share one loop, which coverage tracing or a busy machine slow
down: the factor is chosen so that the loop can serve each window's quota in time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from hubapi_async import HubClient, HubTimeoutError, NotFoundError, RateLimitError, RetryPolicy
from hubapi_async._gate import RateLimitGate
from hubapi_async.testing import Fault, LocalHub

from ._gate_sim import OpenGate
from ._helpers import checked_out_connections

QUOTA, WINDOW = 60, 3.0
MODEL = "google-bert/bert-base-uncased"
TOKENS = ("hf_local_token", "hf_local_alice", "hf_local_bob")


class FastClock:
    """Monotonic time running ``factor`` times faster than the real one."""

    def __init__(self, factor: float) -> None:
        self.factor = factor
        self.origin = time.monotonic()

    def __call__(self) -> float:
        return self.origin + (time.monotonic() - self.origin) * self.factor

    async def sleep(self, delay: float) -> None:
        await asyncio.sleep(delay / self.factor)


async def loop_rate() -> float:
    """Requests per real second the running loop serves to itself from a local Hub now
    (with whatever load and tracing slow it down)."""
    async with LocalHub(models=5, datasets=1, spaces=1) as url, HubClient(url) as hub:
        await hub.models.info(MODEL)
        todo = list(range(200))

        async def worker() -> None:
            while todo:
                todo.pop()
                await hub.models.info(MODEL)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(20)))
        return 200 / (time.monotonic() - started)


@pytest.fixture
async def fast(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> FastClock:
    """A faster clock for the limiter and the gate (and the client's sleeps).

    ``param``: the requests per simulated second a test needs served; the factor leaves
    the loop 2.5 times that (a machine loaded by other work, or coverage, gets a slower
    clock and a longer test), within 1 to 10. No param: 10.
    """
    demand = getattr(request, "param", None)
    factor = 10.0 if demand is None else min(10.0, max(1.0, await loop_rate() / demand / 2.5))
    clock = FastClock(factor)
    monkeypatch.setattr("hubapi_async._clock.sleep", clock.sleep)
    return clock


def use_gate(monkeypatch: pytest.MonkeyPatch, clock: FastClock, cls: type[RateLimitGate]) -> None:
    def make(*, clock: Callable[[], float], sleep: Any) -> RateLimitGate:
        return cls(clock=fast_clock, sleep=sleep)

    fast_clock = clock
    monkeypatch.setattr("hubapi_async._transport.RateLimitGate", make)


POLICY = RetryPolicy(max_retries=8, initial_backoff=0.05, max_backoff=0.5, max_rate_limit_wait=60)


def per_window(hub: LocalHub, caller: str, bucket: str = "api") -> tuple[list[int], int]:
    """(allowed requests of each window with traffic, 429s) for one caller and bucket."""
    tally = {
        k: v for (c, b, k), v in hub.rate_limiter.windows.items() if (c, b) == (caller, bucket)
    }
    first, last = min(tally), max(tally)
    used = [tally.get(k, (0, 0))[0] for k in range(first, last + 1)]
    return used, sum(no for _, no in tally.values())


def skew(hub: LocalHub, clock: FastClock) -> None:
    """Slow arrivals (counted 0.3 s late, as on a new connection), slow answers (a stale
    RateLimit on arrival, 0.3 s after it was counted), and cut bodies (counted, retried)."""
    delay = 0.3 / clock.factor
    hub.faults.add(Fault(kind="stall", delay=delay, path="^/api/", rate=0.2))
    hub.faults.add(Fault(kind="late", delay=delay, path="^/api/", rate=0.25))
    hub.faults.add(Fault(kind="truncate", path="^/api/", rate=0.03))


async def crawl(client: HubClient, calls: list[Callable[[], Any]], tasks: int) -> list[object]:
    todo = list(reversed(calls))
    results: list[object] = []

    async def worker() -> None:
        while todo:
            call = todo.pop()
            try:
                results.append(await call())
            except (RateLimitError, NotFoundError) as exc:
                results.append(exc)

    await asyncio.gather(*(worker() for _ in range(tasks)))
    return results


@pytest.mark.parametrize("fast", [40], indirect=True, ids=["40/s"])
@pytest.mark.parametrize("skewed", [False, True], ids=["plain", "skewed"])
async def test_fifty_tasks_use_each_window_whole_without_a_429(
    monkeypatch: pytest.MonkeyPatch, fast: FastClock, skewed: bool
) -> None:
    use_gate(monkeypatch, fast, RateLimitGate)
    server = LocalHub(models=20, datasets=1, spaces=1, rate_limit=(QUOTA, WINDOW), clock=fast)
    if skewed:
        skew(server, fast)
    async with server, HubClient(server.url, token="hf_local_token", retry=POLICY) as hub:
        calls = [lambda: hub.models.info(MODEL)] * 330
        server.reset_rate_limits()  # window 0 starts with the crawl
        results = await crawl(hub, calls, tasks=50)
        assert checked_out_connections(hub) == 0
    used, refused = per_window(server, "hf_local_token")
    assert all(not isinstance(r, Exception) for r in results)
    assert refused == 0
    assert all(n >= 0.95 * QUOTA for n in used[:-1]), used
    assert sum(used) >= 330


@pytest.mark.parametrize("fast", [40], indirect=True, ids=["40/s"])
async def test_views_of_several_tokens_and_buckets_each_use_their_quota(
    monkeypatch: pytest.MonkeyPatch, fast: FastClock
) -> None:
    # five buckets at once (two tokens, anonymous; api, pages, resolvers) of 30 per 6 s
    quota = 30
    use_gate(monkeypatch, fast, RateLimitGate)
    server = LocalHub(models=20, datasets=1, spaces=1, rate_limit=(quota, 6.0), clock=fast)
    skew(server, fast)
    async with server, HubClient(server.url, token=False, retry=POLICY) as root:
        # two views of one token (they share its quota), another token, the client itself
        views = [root.with_options(token=t) for t in (TOKENS[0], TOKENS[0], TOKENS[1])]
        info = f"/api/models/{MODEL}"
        parts = [
            [(views[i % 2], info) for i in range(65)],  # one token through two views
            [(views[2], info)] * 65,
            [(root, info)] * 65,
            [(views[0], f"/{MODEL}/tree/x{i}") for i in range(65)],
            [(views[1], f"/{MODEL}/resolve/main/{i}") for i in range(65)],
        ]
        crawls = [
            crawl(root, [lambda v=v, p=p: v.request("GET", p) for v, p in part], tasks=20)
            for part in parts
        ]
        server.reset_rate_limits()
        results = [r for rs in await asyncio.gather(*crawls) for r in rs]
        assert checked_out_connections(root) == 0
    assert not any(isinstance(r, RateLimitError) for r in results)
    for caller, bucket in [
        (TOKENS[0], "api"),
        (TOKENS[1], "api"),
        ("ip:127.0.0.1", "api"),
        (TOKENS[0], "pages"),
        (TOKENS[0], "resolvers"),
    ]:
        used, refused = per_window(server, caller, bucket)
        assert refused == 0
        assert len(used) == 3, (caller, bucket, used)
        assert all(n >= 0.95 * quota for n in used[:-1]), (caller, bucket, used)


@pytest.mark.parametrize("fast", [40], indirect=True, ids=["40/s"])
async def test_with_the_gate_off_the_same_crawl_is_refused(
    monkeypatch: pytest.MonkeyPatch, fast: FastClock
) -> None:
    use_gate(monkeypatch, fast, OpenGate)
    server = LocalHub(models=20, datasets=1, spaces=1, rate_limit=(QUOTA, WINDOW), clock=fast)
    async with server, HubClient(server.url, token="hf_local_token", retry=POLICY) as hub:
        server.reset_rate_limits()
        await crawl(hub, [lambda: hub.models.info(MODEL)] * 330, tasks=50)
    used, refused = per_window(server, "hf_local_token")
    first = server.rate_limiter.windows[("hf_local_token", "api", 0)]
    assert first[1] >= 20, (used, first)  # 50 tasks looping on 60 per window
    assert refused > 50, (used, refused)


async def test_one_tenants_spent_quota_does_not_block_another() -> None:
    server = LocalHub(models=5, datasets=1, spaces=1, rate_limit=(5, 300))
    policy = RetryPolicy(max_retries=0, max_rate_limit_wait=0)
    async with server, HubClient(server.url, token=False, retry=policy) as root:
        alice, alice_too = (root.with_options(token="hf_local_alice") for _ in range(2))
        bob = root.with_options(token="hf_local_bob")
        for _ in range(5):
            await alice.models.info(MODEL)
        with pytest.raises(RateLimitError) as refused:
            await alice_too.models.info(MODEL)  # a view of the same token shares its quota
        assert refused.value.status is None  # the gate said so, the server was not asked
        assert (refused.value.remaining, refused.value.limit) == (0, 5)
        assert "hf_local_alice" not in str(refused.value) + repr(refused.value)
        assert all([await bob.models.info(MODEL) for _ in range(5)])
    assert sum(no for _, no in server.rate_limiter.windows.values()) == 0


async def test_a_gate_wait_beyond_the_deadline_is_refused_at_once() -> None:
    server = LocalHub(models=5, datasets=1, spaces=1, rate_limit=(1, 300))
    async with server, HubClient(server.url, token="hf_local_token") as hub:
        await hub.models.info(MODEL)
        started = time.monotonic()
        with pytest.raises(RateLimitError) as refused:
            await hub.models.info(MODEL, timeout=5)
        assert time.monotonic() - started < 0.5
        err = refused.value
        assert err.status is None and err.retry_after is not None and err.retry_after > 250
        assert (err.remaining, err.limit, err.window) == (0, 1, 300)
        assert err.reset_in is not None and 250 < err.reset_in <= 300


async def test_time_waiting_behind_the_probe_counts_against_the_deadline() -> None:
    server = LocalHub(models=5, datasets=1, spaces=1, rate_limit=(100, 300))
    server.faults.add(Fault(kind="stall", delay=1.5, path="^/api/", times=1))
    async with server, HubClient(server.url, token="hf_local_token") as hub:
        probe = asyncio.ensure_future(hub.models.info(MODEL))
        await asyncio.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(HubTimeoutError):
            await hub.models.info(MODEL, timeout=0.3)
        assert 0.25 < time.monotonic() - started < 1.0
        assert await probe  # the probe itself is unharmed
        assert await hub.models.info(MODEL, timeout=0.3)  # and the quota is known now


async def test_late_answers_and_the_window_tally_of_the_local_hub(fast: FastClock) -> None:
    server = LocalHub(models=5, datasets=1, spaces=1, rate_limit=(2, WINDOW), clock=fast)
    late = server.faults.add(Fault(kind="late", delay=0.2, path="^/api/", times=1))
    async with server, HubClient(server.url, token="hf_local_token") as hub:
        started = time.monotonic()
        first = await hub.request("GET", f"/api/models/{MODEL}")
        assert time.monotonic() - started >= 0.2
    assert late.fired == 1
    # counted before it was held back: its RateLimit says so
    assert first.headers["RateLimit"].startswith('"api";r=1;')
    assert server.rate_limiter.windows == {("hf_local_token", "api", 0): (1, 0)}
    with pytest.raises(ValueError, match="positive delay"):
        Fault(kind="late")

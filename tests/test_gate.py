"""The rate-limit gate in isolation (fake clock), then many tasks against the local Hub."""

from __future__ import annotations

import asyncio

import pytest

from hubapi_async import HubClient, RateLimitError, RetryPolicy
from hubapi_async._gate import GateRefused, RateLimitGate
from hubapi_async._protocol import RateLimitPolicy, RateLimitState
from hubapi_async.testing import LocalHub

from ._helpers import checked_out_connections


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        self.now += delay
        await asyncio.sleep(0)


def make_gate() -> tuple[RateLimitGate, FakeClock]:
    clock = FakeClock()
    return RateLimitGate(clock=clock, sleep=clock.sleep), clock


def state(r: int, t: float, bucket: str = "api") -> RateLimitState:
    return RateLimitState(bucket=bucket, remaining=r, reset_in=t)


async def test_first_request_probes_and_others_wait() -> None:
    gate, _ = make_gate()
    probe, _ = await gate.acquire("api", max_wait=60)
    waiter = asyncio.create_task(gate.acquire("api", max_wait=60))
    await asyncio.sleep(0.01)
    assert not waiter.done()  # held until the probe learns the quota
    gate.observe("api", probe, status=200, state=state(100, 200), policy=None, backoff=1)
    assert (await asyncio.wait_for(waiter, 1))[0] == probe + 1


async def test_bucket_without_headers_is_left_ungated() -> None:
    gate, _ = make_gate()
    probe, _ = await gate.acquire("pages", max_wait=60)
    gate.observe("pages", probe, status=200, state=None, policy=None, backoff=1)
    seqs = await asyncio.gather(*(gate.acquire("pages", max_wait=0) for _ in range(50)))
    assert len({seq for seq, _ in seqs}) == 50


async def test_counts_requests_sent_against_the_last_known_remaining() -> None:
    gate, clock = make_gate()
    first, _ = await gate.acquire("api", max_wait=60)
    gate.observe("api", first, status=200, state=state(3, 50), policy=None, backoff=1)
    for _ in range(3):
        await gate.acquire("api", max_wait=0)
    with pytest.raises(GateRefused) as refused:
        await gate.acquire("api", max_wait=10)
    assert refused.value.wait == pytest.approx(50)
    assert clock.sleeps == []


async def test_out_of_order_responses_keep_the_freshest_view() -> None:
    gate, _ = make_gate()
    a, _ = await gate.acquire("api", max_wait=60)
    gate.observe("api", a, status=200, state=state(10, 100), policy=None, backoff=1)
    b, _ = await gate.acquire("api", max_wait=0)
    c, _ = await gate.acquire("api", max_wait=0)
    gate.observe("api", c, status=200, state=state(5, 100), policy=None, backoff=1)
    gate.observe("api", b, status=200, state=state(6, 100), policy=None, backoff=1)  # older
    for _ in range(5):  # 5 left after c's answer, nothing sent since
        await gate.acquire("api", max_wait=0)
    with pytest.raises(GateRefused):
        await gate.acquire("api", max_wait=0)


async def test_success_with_zero_remaining_waits_t() -> None:
    gate, clock = make_gate()
    a, _ = await gate.acquire("api", max_wait=60)
    gate.observe("api", a, status=200, state=state(0, 12), policy=None, backoff=1)
    await gate.acquire("api", max_wait=60)
    assert clock.sleeps == [pytest.approx(12)]


async def test_429_pauses_the_whole_bucket_until_t_plus_one() -> None:
    gate, clock = make_gate()
    a, _ = await gate.acquire("api", max_wait=60)
    policy = RateLimitPolicy(bucket="api", quota=500, window=300)
    gate.observe("api", a, status=429, state=state(0, 20), policy=policy, backoff=1)
    with pytest.raises(GateRefused) as refused:
        await gate.acquire("api", max_wait=5)
    assert refused.value.wait == pytest.approx(21)
    assert refused.value.limit == 500
    assert refused.value.window == 300
    await gate.acquire("api", max_wait=60)
    assert clock.sleeps == [pytest.approx(21)]
    other, _ = await gate.acquire("resolvers", max_wait=0)  # other buckets are unaffected
    assert other >= 0


async def test_bare_429_pauses_with_backoff() -> None:
    gate, clock = make_gate()
    a, _ = await gate.acquire("api", max_wait=60)
    gate.observe("api", a, status=429, state=None, policy=None, backoff=2)
    await gate.acquire("api", max_wait=60)
    assert clock.sleeps == [pytest.approx(2)]


async def test_failed_probe_releases_the_next_waiter() -> None:
    gate, _ = make_gate()
    probe, _ = await gate.acquire("api", max_wait=60)
    waiter = asyncio.create_task(gate.acquire("api", max_wait=60))
    await asyncio.sleep(0.01)
    gate.release("api", probe)
    assert (await asyncio.wait_for(waiter, 1))[0] == probe + 1


async def test_many_tasks_do_not_provoke_a_429_storm() -> None:
    hub_server = LocalHub(models=50, datasets=1, spaces=1, rate_limit=(40, 300))
    async with hub_server:
        policy = RetryPolicy(max_retries=0, max_rate_limit_wait=0)
        async with HubClient(hub_server.url, token="hf_local_token", retry=policy) as hub:

            async def one() -> object:
                try:
                    return await hub.models.info("google-bert/bert-base-uncased")
                except RateLimitError as exc:
                    return exc

            results = await asyncio.gather(*(one() for _ in range(100)))
            assert checked_out_connections(hub) == 0
        served = [r for r in hub_server.requests if r.path.startswith("/api/models/")]
    ok = [r for r in results if not isinstance(r, RateLimitError)]
    refused = [r for r in results if isinstance(r, RateLimitError)]
    assert len(ok) == 40
    assert len(refused) == 60
    assert all(r.status is None for r in refused)  # refused by the gate, not by the server
    assert len(served) == 40  # not one request beyond the quota reached the server
    assert refused[0].limit == 40

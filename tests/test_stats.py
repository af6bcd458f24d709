"""hub.stats: what a client did, per bucket, cheap enough to leave on."""

from __future__ import annotations

import pytest

from hubapi_async import HubClient, RateLimitError, RetryPolicy
from hubapi_async.testing import Fault, LocalHub

from ._helpers import patch_sleep

TOKEN = "hf_local_token"
INFO = "google-bert/bert-base-uncased"


@pytest.fixture
async def lh() -> LocalHub:
    hub = LocalHub(models=40, datasets=3, spaces=3, page_size=10)
    async with hub:
        yield hub


async def test_counts_calls_requests_retries_bytes_and_failures(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=502, path=r"^/api/models/", times=2))
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_retries=3)) as hub:
        assert hub.stats.requests == 0 and dict(hub.stats.buckets) == {}
        await hub.models.info(INFO)
        items = [m async for m in hub.models.list(limit=25)]
        with pytest.raises(Exception, match="not found"):
            await hub.models.info("nobody/nothing")
        view = hub.with_options(token=False)
        await view.models.info(INFO)
        stats = hub.stats
    api = stats.buckets["api"]
    served = [r for r in lh.requests if r.path.startswith("/api/")]
    assert len(items) == 25
    assert api.calls == 1 + 3 + 1 + 1  # info, three pages, the missing repo, the view's info
    assert api.requests == len(served) == stats.requests
    assert api.retries == 2
    assert api.failures == 1
    assert api.rate_limited == 0
    assert api.bytes_received > 1000
    assert stats.calls == api.calls and stats.retries == 2


async def test_counts_429s_and_gate_waits(lh: LocalHub, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = patch_sleep(monkeypatch)
    headers = {"RateLimit": '"api";r=0;t=4', "RateLimit-Policy": '"fixed window";"api";q=5;w=10'}
    lh.faults.add(Fault(kind="status", status=429, headers=headers, path=r"^/api/models/", times=1))
    async with HubClient(lh.url, token=TOKEN) as hub:
        await hub.models.info(INFO)
        stats = hub.stats
    api = stats.buckets["api"]
    assert api.rate_limited == 1
    assert api.retries == 1
    assert api.gate_waits == 1
    assert api.gate_wait_seconds == pytest.approx(sum(sleeps.calls), abs=0.05)
    assert 4.9 <= api.gate_wait_seconds <= 5.1  # the 429 asked for t + 1 = 5 s


async def test_gate_refusals_are_failures_without_requests(lh: LocalHub) -> None:
    headers = {"RateLimit": '"api";r=0;t=250'}
    lh.faults.add(Fault(kind="status", status=429, headers=headers, path=r"^/api/models/", times=1))
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_rate_limit_wait=1)) as hub:
        with pytest.raises(RateLimitError):
            await hub.models.info(INFO)
        with pytest.raises(RateLimitError) as refused:
            await hub.models.info(INFO)
        api = hub.stats.buckets["api"]
    assert refused.value.status is None
    assert api.requests == 1 and api.calls == 2 and api.failures == 2


async def test_prometheus_text_has_one_series_per_bucket(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        await hub.models.info(INFO)
        text = hub.stats.to_prometheus(labels={"app": 'we"b'})
    assert "# TYPE hubapi_requests_total counter" in text
    assert 'hubapi_requests_total{bucket="api",app="we\\"b"} 1' in text
    assert 'hubapi_gate_wait_seconds_total{bucket="api",app="we\\"b"} ' in text
    assert text.endswith("\n")

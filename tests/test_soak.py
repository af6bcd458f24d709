"""Fault soak: long crawls and bulk calls through a Hub that fails a quarter of the time.

The local Hub injects failures of every kind the transport retries — 5xx answers, a
CDN's 502 page, connection resets, stalls past the read timeout, bodies cut short, 429s
with ``RateLimit`` headers — on 25% of the requests, but never more often for one request
than the retry policy retries (``FaultInjector.max_per_request``). So every call must
succeed: every item exactly once and in order, every value as the Hub holds it, exactly
one extra request per injected fault, no connection left checked out, no warning.

Backoff and rate-limit waits run on virtual time (the gate's clock advances with the
sleeps), so the soak costs only the requests and the stalls.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import pytest

from hubapi_async import HubClient, RepositoryNotFoundError, RetryPolicy, Timeout
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import ModelInfo

from ._helpers import (
    VirtualTime,
    checked_out_connections,
    patch_virtual_time,
    record_figures,
)

TOKEN = "hf_local_token"
MODELS = 20_000
PAGE = 100
BULK = 3_000
#: Long enough that a loaded machine never trips it by accident (only the stalls do).
READ = 1.0
#: The library's default policy: the sleeps are virtual, so its real backoff costs nothing.
POLICY = RetryPolicy()
TIMEOUT = Timeout(connect=5, read=READ, deadline=60)
RATE = 0.25
RETRY = {"Retry-After": "2"}
#: The Hub's quota as the local Hub reports it on every answer: a 10 s window, so that the
#: injected 429s (``t=7``) and the successes around them tell one consistent story.
WINDOW = (1_000_000, 10.0)
LIMITED = {
    "RateLimit": '"api";r=0;t=7',
    "RateLimit-Policy": '"fixed window";"api";q=1000000;w=10',
}

pytestmark = pytest.mark.slow


def fault_plan() -> list[tuple[str, float, dict[str, Any]]]:
    """(name, share of all requests, the fault's settings): together 25% of the requests."""
    return [
        ("HTTP 500", 0.015, {"kind": "status", "status": 500}),
        ("HTTP 502 page", 0.02, {"kind": "html", "status": 502}),
        ("HTTP 503 Retry-After", 0.015, {"kind": "status", "status": 503, "headers": RETRY}),
        ("connection reset", 0.075, {"kind": "reset"}),
        # Stalls cost real time (the read timeout): fewer of them.
        ("stall past the read timeout", 0.025, {"kind": "stall", "delay": READ * 1.5}),
        ("body cut short", 0.05, {"kind": "truncate"}),
        ("HTTP 429 with RateLimit", 0.05, {"kind": "status", "status": 429, "headers": LIMITED}),
    ]


def install(lh: LocalHub, path: str) -> list[tuple[str, Fault]]:
    """Add the plan's faults on ``path`` with conditional rates, so each kind gets its
    share of all requests, and no request fails more often than the policy retries."""
    plan = fault_plan()
    assert sum(share for _, share, _ in plan) == pytest.approx(RATE)
    lh.faults.max_per_request = POLICY.max_retries
    installed, left = [], 1.0
    for name, share, settings in plan:
        # A fault is only drawn when the ones before it did not fire.
        fault = Fault(path=path, rate=share / left, **settings)
        left -= share
        installed.append((name, lh.faults.add(fault)))
    return installed


def requests_to(lh: LocalHub, prefix: str, since: int = 0) -> int:
    return sum(1 for r in lh.requests[since:] if r.origin == "hub" and r.path.startswith(prefix))


class Watch:
    """Warnings (all of them, recorded) and log records at WARNING or above."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog
        self._catch = warnings.catch_warnings(record=True)
        self.warnings: list[warnings.WarningMessage] = []

    def __enter__(self) -> Watch:
        self._caplog.set_level(logging.INFO)
        self.warnings = self._catch.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc: object) -> None:
        gc.collect()  # unclosed sessions, sockets and never-awaited coroutines warn here
        self._catch.__exit__(*exc)

    def problems(self) -> list[str]:
        client = ("hubapi_async", "asyncio", "aiohttp.client")
        logged = [
            f"{r.name}: {r.getMessage()}"
            for r in self._caplog.records
            if r.levelno >= logging.WARNING and r.name.startswith(client)
        ]
        return [str(w.message) for w in self.warnings] + logged

    @staticmethod
    def client_tasks() -> list[str]:
        """Tasks of the client (not of the local Hub, not this test) still pending."""
        pending = []
        for task in asyncio.all_tasks():
            if task is asyncio.current_task() or task.done():
                continue
            code = getattr(task.get_coro(), "cr_code", None)
            where = code.co_filename if code is not None else ""
            ours = "hubapi_async" in where and str(Path("hubapi_async", "testing")) not in where
            if ours or "anyio" in where:
                pending.append(repr(task))
        return pending

    def retries_logged(self) -> int:
        return sum(1 for r in self._caplog.records if r.getMessage().startswith("retrying "))


def fired(installed: list[tuple[str, Fault]]) -> dict[str, int]:
    return {name: fault.fired for name, fault in installed}


async def test_crawl_of_20000_models_through_a_quarter_of_failures(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    virtual: VirtualTime = patch_virtual_time(monkeypatch)
    lh = LocalHub(models=MODELS, datasets=0, spaces=0, page_size=PAGE, rate_limit=WINDOW)
    started = time.perf_counter()
    async with lh, HubClient(lh.url, token=TOKEN, retry=POLICY, timeout=TIMEOUT) as hub:
        clean = [m async for m in hub.models.list()]
        pages = requests_to(lh, "/api/models")
        assert len(clean) == lh.model_count >= MODELS
        assert [m.id for m in clean] and virtual.calls == []

        installed = install(lh, r"^/api/models$")
        before, wire_before = len(lh.requests), hub._transport.wire_requests
        with Watch(caplog) as watch:
            async with asyncio.timeout(120):
                listing = hub.models.list(prefetch=True)
                crawled = [m async for m in listing]
            assert checked_out_connections(hub) == 0
            assert watch.client_tasks() == []
        sent = requests_to(lh, "/api/models", before)
        wire = hub._transport.wire_requests - wire_before
    elapsed = time.perf_counter() - started

    counts = fired(installed)
    faults = sum(counts.values())
    ids = [m.id for m in crawled]
    assert ids == [m.id for m in clean]  # every item, in order
    assert len(set(ids)) == len(ids)  # ... exactly once
    assert crawled == clean  # ... with the same values
    assert set(ids) == set(lh.stores["model"].iter_ids(include_private=True))
    assert listing.next_url is None
    assert all(counts.values()), counts  # every kind of fault happened
    assert faults / sent == pytest.approx(RATE, abs=0.08)
    assert sent == pages + faults  # exactly one retry per fault ...
    assert sent <= pages * (POLICY.max_retries + 1)  # ... within the policy's bound
    assert wire == sent  # aiohttp resent nothing on its own
    assert watch.retries_logged() == faults
    assert watch.problems() == []

    record_figures(
        "soak_crawl",
        {
            "items_checked": len(crawled),
            "pages": pages,
            "requests": sent,
            "faults_injected": faults,
            "faults_by_kind": counts,
            "fault_rate": round(faults / sent, 3),
            "items_lost": 0,
            "items_repeated": 0,
            "virtual_seconds_waited": round(virtual.offset, 1),
            "seconds": round(elapsed, 1),
        },
    )


async def test_bulk_info_over_3000_ids_through_a_quarter_of_failures(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    virtual = patch_virtual_time(monkeypatch)
    lh = LocalHub(models=BULK, datasets=0, spaces=0, rate_limit=WINDOW)
    store = lh.stores["model"]
    known = list(store.iter_ids(include_private=True))[:BULK]
    # One input in 50 names a repo that does not exist: its result is its error.
    inputs = [
        f"soak-missing/repo-{i}" if i % 50 == 49 else repo_id for i, repo_id in enumerate(known)
    ]
    missing = {x for x in inputs if x.startswith("soak-missing/")}
    started = time.perf_counter()
    async with lh, HubClient(lh.url, token=TOKEN, retry=POLICY, timeout=TIMEOUT) as hub:
        installed = install(lh, r"^/api/models/")
        before = len(lh.requests)
        with Watch(caplog) as watch:
            async with asyncio.timeout(120):
                results = [r async for r in hub.map(hub.models.info, inputs, concurrency=32)]
            assert checked_out_connections(hub) == 0
            assert watch.client_tasks() == []
        sent = requests_to(lh, "/api/models/", before)
    elapsed = time.perf_counter() - started

    counts = fired(installed)
    faults = sum(counts.values())
    seen = Counter(r.input for r in results)
    assert len(results) == len(inputs) and set(seen) == set(inputs)
    assert max(seen.values()) == 1  # each input exactly one result
    wrong: list[Any] = []
    for result in results:
        if result.input in missing:
            if not isinstance(result.error, RepositoryNotFoundError):
                wrong.append((result.input, result.error))
            continue
        ref = store.resolve(result.input)
        assert ref is not None
        expected = msgspec.json.decode(msgspec.json.encode(store.info(ref)), type=ModelInfo)
        if result.error is not None or result.value != expected:
            wrong.append((result.input, result.error))
    assert wrong == []
    assert all(counts.values()), counts
    assert sent == len(inputs) + faults
    assert sent <= len(inputs) * (POLICY.max_retries + 1)
    assert watch.retries_logged() == faults
    assert watch.problems() == []

    record_figures(
        "soak_bulk",
        {
            "inputs": len(inputs),
            "values_checked": len(inputs) - len(missing),
            "errors_expected_and_got": len(missing),
            "requests": sent,
            "faults_injected": faults,
            "faults_by_kind": counts,
            "fault_rate": round(faults / sent, 3),
            "results_lost": 0,
            "virtual_seconds_waited": round(virtual.offset, 1),
            "seconds": round(elapsed, 1),
        },
    )


async def test_an_older_429_does_not_close_the_bucket_past_its_own_reset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found by the bulk soak with the local Hub's default 300 s window: reduced to two calls.
    virtual = patch_virtual_time(monkeypatch)
    lh = LocalHub(models=5, datasets=0, spaces=0)
    patient = Timeout(connect=5, read=5, deadline=60)
    async with lh, HubClient(lh.url, token=TOKEN, retry=POLICY, timeout=patient) as hub:
        ids = list(lh.stores["model"].iter_ids(include_private=True))
        older, newer, probe = ids[0], ids[1], ids[2]
        await hub.models.info(probe)  # the gate learns the quota: r=99999, t~300
        lh.faults.add(
            Fault(
                kind="status",
                status=429,
                headers={"RateLimit": '"api";r=0;t=7'},
                delay=0.5,  # answered after the newer request's success
                path=f"^/api/models/{older}$",
                times=1,
            )
        )
        first = asyncio.create_task(hub.models.info(older))
        await asyncio.sleep(0)  # the older request has passed the gate and is on its way
        assert (await hub.models.info(newer)).id == newer
        assert (await first).id == older
    assert sum(virtual.calls) == pytest.approx(8.0, abs=0.5)  # the Hub's t + 1, no more

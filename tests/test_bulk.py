"""hub.map: bounded concurrency, results as they complete, failures isolated, release."""

from __future__ import annotations

import asyncio
import gc

import pytest

from hubapi_async import BulkResult, HubClient, RepositoryNotFoundError

TOKEN = "hf_local_token"


async def test_map_over_repo_infos_with_one_failure() -> None:
    from hubapi_async.testing import LocalHub

    async with LocalHub(models=40, datasets=1, spaces=1) as url:
        async with HubClient(url, token=TOKEN) as hub:
            ids = [m.id async for m in hub.models.list(limit=30)]
            inputs = [*ids, "nobody/missing-repo"]
            results = [r async for r in hub.map(hub.models.info, inputs, concurrency=8)]
    assert len(results) == len(inputs)
    assert {r.input for r in results} == set(inputs)
    failed = [r for r in results if not r.ok]
    assert len(failed) == 1
    assert isinstance(failed[0].error, RepositoryNotFoundError)
    with pytest.raises(RepositoryNotFoundError):
        failed[0].unwrap()
    good = [r for r in results if r.ok]
    assert all(r.unwrap().id == r.input for r in good)


async def test_concurrency_and_memory_are_bounded() -> None:
    running = 0
    peak = 0
    started = 0

    async def work(i: int) -> int:
        nonlocal running, peak, started
        started += 1
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1
        return i * 2

    def endless() -> object:
        i = 0
        while True:
            yield i
            i += 1

    hub = HubClient("http://127.0.0.1:9", token=False)
    got: list[BulkResult[int, int]] = []
    async with hub.map(work, endless(), concurrency=5) as results:  # type: ignore[arg-type]
        async for r in results:
            got.append(r)
            if len(got) == 50:
                break
    assert peak <= 5
    assert started <= 50 + 5 + 5  # never runs far ahead of the consumer
    assert all(r.value == r.input * 2 for r in got)


async def test_results_come_as_they_complete() -> None:
    async def work(delay: float) -> float:
        await asyncio.sleep(delay)
        return delay

    hub = HubClient("http://127.0.0.1:9", token=False)
    order = [r.value async for r in hub.map(work, [0.2, 0.01, 0.1], concurrency=3)]
    assert order == [0.01, 0.1, 0.2]


async def test_bare_break_releases_when_dropped() -> None:
    cancelled = 0

    async def work(i: int) -> int:
        nonlocal cancelled
        try:
            await asyncio.sleep(10 if i else 0)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return i

    hub = HubClient("http://127.0.0.1:9", token=False)
    async for _ in hub.map(work, range(4), concurrency=4):
        break
    gc.collect()
    await asyncio.sleep(0.05)
    assert cancelled == 3
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftovers == []


async def test_async_iterable_inputs_and_input_errors_surface() -> None:
    async def inputs() -> object:
        yield 1
        yield 2
        raise RuntimeError("input source failed")

    async def work(i: int) -> int:
        return i

    hub = HubClient("http://127.0.0.1:9", token=False)
    got = []
    with pytest.raises(RuntimeError, match="input source failed"):
        async for r in hub.map(work, inputs(), concurrency=2):  # type: ignore[arg-type]
            got.append(r.value)
    assert sorted(got) == [1, 2]


async def test_a_calls_own_cancelled_error_is_that_inputs_error() -> None:
    loop = asyncio.get_running_loop()
    abandoned: asyncio.Future[int] = loop.create_future()

    async def work(i: int) -> int:
        if i == 3:
            raise asyncio.CancelledError  # nobody cancelled the map
        if i == 5:
            loop.call_soon(abandoned.cancel)  # someone else cancels what it waits for
            return await abandoned
        await asyncio.sleep(0)
        return i

    hub = HubClient("http://127.0.0.1:9", token=False)
    results = [r async for r in hub.map(work, range(10), concurrency=4)]
    assert sorted(r.input for r in results) == list(range(10))
    failed = sorted((r for r in results if not r.ok), key=lambda r: r.input)
    assert [r.input for r in failed] == [3, 5]
    for r in failed:
        assert isinstance(r.error, RuntimeError)
        assert isinstance(r.error.__cause__, asyncio.CancelledError)
        assert "CancelledError" in str(r.error)
        with pytest.raises(RuntimeError):
            r.unwrap()
    assert all(r.value == r.input for r in results if r.ok)
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftovers == []


async def test_the_consumers_own_cancellation_cancels_every_call() -> None:
    started = 0
    cancelled = 0
    all_started = asyncio.Event()

    async def work(i: int) -> int:
        nonlocal started, cancelled
        started += 1
        if started == 4:
            all_started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        return i  # pragma: no cover

    hub = HubClient("http://127.0.0.1:9", token=False)
    got: list[BulkResult[int, int]] = []

    async def consume() -> None:
        async for r in hub.map(work, range(100), concurrency=4):
            got.append(r)  # pragma: no cover

    task = asyncio.create_task(consume())
    await all_started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (started, cancelled, got) == (4, 4, [])
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftovers == []

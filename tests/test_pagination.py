"""Paginator over real sockets: Link following, limit, resume, hostile links, release."""

from __future__ import annotations

import asyncio
import gc

import pytest

from hubapi_async import HubClient, Page, PaginationError, Paginator
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import ModelInfo

from ._helpers import checked_out_connections

TOKEN = "hf_local_token"


@pytest.fixture
async def lh() -> LocalHub:
    hub = LocalHub(models=120, datasets=5, spaces=5, page_size=1000)
    async with hub:
        yield hub


def list_requests(lh: LocalHub) -> list[str]:
    return [r.query_string for r in lh.requests if r.path == "/api/models"]


async def test_list_is_lazy_and_not_awaitable(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.models.list(limit=10)
        assert isinstance(paginator, Paginator)
        assert list_requests(lh) == []
        with pytest.raises(TypeError, match="not awaitable"):
            await paginator  # type: ignore[misc]
        assert paginator.next_url is None


async def test_follows_link_pages_until_the_end(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 25}, type=ModelInfo)
        items = [m async for m in paginator]
    assert len(items) == 120 + _extra_models(lh)
    assert len({m.id for m in items}) == len(items)
    queries = list_requests(lh)
    assert len(queries) >= 5
    assert all("cursor=" in q for q in queries[1:])
    assert paginator.next_url is None


def _extra_models(lh: LocalHub) -> int:
    return lh.model_count - 120 if hasattr(lh, "model_count") else 0


async def test_limit_caps_items_and_the_first_request(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        items = [m async for m in hub.models.list(limit=7)]
    assert len(items) == 7
    queries = list_requests(lh)
    assert len(queries) == 1
    assert "limit=7" in queries[0]


async def test_pages_and_next_url_resume(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        first = hub.paginate("/api/models", params={"limit": 30}, type=ModelInfo)
        seen: list[str] = []
        async for page in first.pages():
            assert isinstance(page, Page)
            seen += [m.id for m in page.items]
            break
        # the consumer never came back for page 2: the paginator's resume point is page 1
        assert first.next_url == page.url
        resume = page.next_url
        assert resume is not None and "cursor=" in resume
        rest = [m.id async for m in hub.models.list(resume_from=resume)]
        everything = [m.id async for m in hub.paginate("/api/models", type=ModelInfo)]
    assert seen + rest == everything


async def test_next_url_semantics_while_iterating(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo)
        urls = []
        count = 0
        async for _ in paginator:
            count += 1
            urls.append(paginator.next_url)
            if count == 25:
                break
    # while items 1-10 (page 1) are held, the resume point is page 1 itself
    assert urls[0] is not None and "cursor" not in urls[0]
    assert urls[9] == urls[0]
    # asking for item 11 moves it to page 2, which item 11 comes from
    assert urls[10] is not None and "cursor=" in urls[10]
    assert urls[19] == urls[10]
    assert urls[20] != urls[10]


async def test_a_consumer_failing_on_a_pages_last_item_resumes_at_that_page(
    lh: LocalHub,
) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        everything = [m.id async for m in hub.paginate("/api/models", type=ModelInfo)]
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo)
        done: list[str] = []
        with pytest.raises(RuntimeError):
            async for m in paginator:
                if len(done) == 19:  # the last item of page 2
                    raise RuntimeError("the consumer failed on this item")
                done.append(m.id)
        checkpoint = paginator.next_url
        assert checkpoint is not None and "cursor=" in checkpoint
        resumed = [m.id async for m in hub.models.list(resume_from=checkpoint)]
    # page 2 is read again from its first item: the failed item is not skipped
    assert resumed[:10] == everything[10:20]
    assert done[:10] + resumed == everything


async def test_pages_consumer_failing_on_a_page_resumes_at_that_page(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo)
        urls = []
        with pytest.raises(RuntimeError):
            async for page in paginator.pages():
                urls.append(page.url)
                if len(urls) == 3:
                    raise RuntimeError("the consumer failed on this page")
        assert paginator.next_url == urls[2]


async def test_foreign_origin_link_is_a_pagination_error(lh: LocalHub) -> None:
    link = '<http://evil.example/api/datasets?cursor=abc>; rel="next"'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=b"[]", path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(PaginationError, match="another origin"):
            [m async for m in hub.models.list()]
    assert len(list_requests(lh)) == 1


async def test_link_loop_is_a_pagination_error(lh: LocalHub) -> None:
    link = f'<{lh.url}/api/models?limit=1>; rel="next"'
    body = b'[{"_id": "1", "id": "a/b"}]'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=body, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        got = []
        with pytest.raises(PaginationError, match="loop"):
            async for m in hub.paginate("/api/models", params={"limit": 1}, type=ModelInfo):
                got.append(m.id)
    assert got == ["a/b"]  # the page's items are delivered before the error
    assert len(list_requests(lh)) == 1


async def test_relative_link_is_resolved_against_the_response(lh: LocalHub) -> None:
    link = '</api/models?cursor=relative-second>; rel="next"'
    body = b'[{"_id": "1", "id": "a/first"}]'
    lh.faults.add(
        Fault(
            kind="status",
            status=200,
            headers={"Link": link},
            body=body,
            path=r"^/api/models$",
            nth=[1],
        )
    )
    lh.faults.add(
        Fault(
            kind="status",
            status=200,
            body=b'[{"_id": "2", "id": "a/second"}]',
            path=r"^/api/models$",
            nth=[2],
        )
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        ids = [m.id async for m in hub.paginate("/api/models", type=ModelInfo)]
    assert ids == ["a/first", "a/second"]
    assert list_requests(lh)[1] == "cursor=relative-second"


async def test_resume_from_another_origin_is_refused(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(ValueError, match="origin"):
            hub.models.list(resume_from="http://evil.example/api/models?cursor=x")


@pytest.mark.parametrize("prefetch", [False, True])
async def test_early_break_leaves_nothing_behind(lh: LocalHub, prefetch: bool) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        async for _ in hub.paginate(
            "/api/models", params={"limit": 10}, type=ModelInfo, prefetch=prefetch
        ):
            break
        gc.collect()
        await asyncio.sleep(0.05)
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        assert not [t for t in pending if "next_page" in repr(t)]
        assert checked_out_connections(hub) == 0


async def test_prefetch_reads_one_page_ahead_and_async_with_releases(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo, prefetch=True)
        async with paginator:
            async for _ in paginator:
                await asyncio.sleep(0.05)
                break
            assert len(list_requests(lh)) == 2  # page 1 and the read-ahead of page 2
        assert checked_out_connections(hub) == 0
        items = [m async for m in hub.models.list(limit=35, prefetch=True)]
    assert len(items) == 35


async def test_exception_in_consumer_releases(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(RuntimeError):
            async for _ in hub.paginate(
                "/api/models", params={"limit": 10}, type=ModelInfo, prefetch=True
            ):
                raise RuntimeError("consumer failed")
        gc.collect()
        await asyncio.sleep(0.05)
        assert checked_out_connections(hub) == 0


async def test_cancellation_mid_iteration(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="stall", delay=2, path=r"^/api/models$", nth=[2]))
    async with HubClient(lh.url, token=TOKEN) as hub:

        async def crawl() -> int:
            n = 0
            async for _ in hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo):
                n += 1
            return n

        task = asyncio.create_task(crawl())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.05)
        assert checked_out_connections(hub) == 0


async def test_a_paginator_iterates_once(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.models.list(limit=3)
        assert len([m async for m in paginator]) == 3
        with pytest.raises(RuntimeError, match="already"):
            [m async for m in paginator]


async def test_pages_next_url_moves_only_when_the_consumer_comes_back(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo)
        pages = paginator.pages()
        first = await pages.__anext__()
        assert paginator.next_url == first.url  # page 1 is still being processed
        second = await pages.__anext__()
        assert second.url == first.next_url
        assert paginator.next_url == second.url
        await pages.aclose()  # type: ignore[attr-defined]


async def test_pages_with_limit_sends_no_extra_request(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo, limit=20)
        sizes = [len(p.items) async for p in paginator.pages()]
    assert sizes == [10, 10]
    assert len(list_requests(lh)) == 2


async def test_resume_from_with_filters_is_refused(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(ValueError, match="author"):
            hub.models.list(author="google", resume_from=f"{lh.url}/api/models?cursor=x")


@pytest.mark.parametrize(
    "link",
    [
        '<javascript:alert(1)>; rel="next"',
        '<https://127.0.0.1.evil.example/api/other>; rel="next"',
        '<//evil.example/api/other?cursor=1>; rel="next"',
        '<file:///etc/passwd>; rel="next"',
        '<http://127.0.0.1:1/api/other>; rel="next"',
        '<http://user:pw@127.0.0.1/api/models>; rel="next"',
        '<http://127.0.0.1:99999/api/models?cursor=1>; rel="next"',
        '<http://127.0.0.1:8a/api/models?cursor=1>; rel="next"',
        '<http://b\u00fccher.example/api/other>; rel="next"',
        '<http://\u3002/api/models?cursor=1>; rel="next"',
        '<http://a..b/api/models?cursor=1>; rel="next"',
        '<http://%31%32%37.0.0.1/api/models?cursor=1>; rel="next"',
        '<http://[::1/api/models?cursor=1>; rel="next"',
        '<http://[fe80::1%25eth0]/api/models?cursor=1>; rel="next"',
        '<http://xn--/api/other>; rel="next"',
    ],
)
async def test_hostile_links_are_never_followed(lh: LocalHub, link: str) -> None:
    body = b'[{"_id": "1", "id": "a/first"}]'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=body, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        got: list[str] = []
        with pytest.raises(PaginationError):
            async for m in hub.paginate("/api/models", type=ModelInfo):
                got.append(m.id)
    assert got == ["a/first"]
    assert len(list_requests(lh)) == 1


async def test_garbage_link_header_ends_the_listing(lh: LocalHub) -> None:
    body = b'[{"_id": "1", "id": "a/first"}]'
    for link in ("<<<>>>; rel=next", "no brackets; rel=next", '<x>; rel="prev"', ""):
        lh.faults.add(
            Fault(
                kind="status",
                status=200,
                headers={"Link": link},
                body=body,
                path=r"^/api/models$",
                times=1,
            )
        )
    async with HubClient(lh.url, token=TOKEN) as hub:
        for _ in range(4):
            ids = [m.id async for m in hub.paginate("/api/models", type=ModelInfo)]
            assert ids == ["a/first"]


async def test_prefetch_stops_reading_ahead_once_the_limit_is_covered(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate(
            "/api/models", params={"limit": 10}, type=ModelInfo, limit=15, prefetch=True
        )
        items = [m async for m in paginator]
        await asyncio.sleep(0.05)
    assert len(items) == 15
    assert len(list_requests(lh)) == 2


@pytest.mark.parametrize("how", ["async with", "aclose"])
async def test_nothing_is_pending_right_after_release(how: str) -> None:
    # The Hub runs in its own thread, so every task of this loop is the client's.
    with LocalHub(models=60, datasets=1, spaces=1).in_thread() as url:
        async with HubClient(url, token=TOKEN) as hub:
            paginator = hub.paginate(
                "/api/models", params={"limit": 10}, type=ModelInfo, prefetch=True
            )
            if how == "async with":
                async with paginator:
                    async for _ in paginator:
                        break  # a bare break: the read-ahead of page 2 is in flight
            else:
                async for _ in paginator:
                    break
                await paginator.aclose()
            pending = [
                t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()
            ]
            assert pending == []
            assert checked_out_connections(hub) == 0


async def test_aclose_while_holding_an_item_stops_the_iteration(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo, prefetch=True)
        items = aiter(paginator)
        await anext(items)
        resume = paginator.next_url
        await paginator.aclose()
        with pytest.raises(StopAsyncIteration):
            await anext(items)
        assert paginator.next_url == resume  # closing is not the end of the listing
        assert checked_out_connections(hub) == 0


async def test_aclose_from_another_task_ends_a_waiting_consumer_quietly(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="stall", delay=30, path=r"^/api/models$", nth=[2]))
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 10}, type=ModelInfo, prefetch=True)
        page_done = asyncio.Event()

        async def consume() -> int:
            n = 0
            async for _ in paginator:
                n += 1
                if n == 10:
                    page_done.set()  # next: wait for the (stalled) read-ahead of page 2
            return n

        consumer = asyncio.create_task(consume())
        await page_done.wait()
        await paginator.aclose()
        assert await consumer == 10  # ended, not cancelled
        assert paginator.next_url is not None and "cursor=" in paginator.next_url
        assert checked_out_connections(hub) == 0

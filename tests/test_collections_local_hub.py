"""The local Hub's collections routes on the wire: bad bodies, bad queries, paging, routes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import pytest

from hubapi_async import BadRequestError, ConflictError, HubClient, HubHTTPError, NotFoundError
from hubapi_async.testing import LocalHub

AUTH = {"Authorization": "Bearer hf_local_token"}
MISSING = "demo/nothing-" + "0" * 24


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=20, datasets=5, spaces=5, page_size=5)
    async with hub:
        yield hub


@pytest.fixture
async def hub(lh: LocalHub) -> AsyncIterator[HubClient]:
    async with HubClient(lh.url, token="hf_local_token") as client:
        yield client


async def refused(hub: HubClient, method: str, path: str, **kwargs: Any) -> HubHTTPError:
    with pytest.raises(HubHTTPError) as info:
        await hub.request(method, path, **kwargs)
    return info.value


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        ({"title": 5, "namespace": "demo"}, 400, "title must be a non-empty string"),
        ({"title": "  ", "namespace": "demo"}, 400, "title must be a non-empty string"),
        ({"namespace": "demo"}, 400, "title is required"),
        ({"title": "t", "namespace": "demo", "private": "yes"}, 400, "private must be a boolean"),
        ({"title": "t", "namespace": "demo", "item": "model"}, 400, "item must be an object"),
        ({"title": "t", "namespace": "demo", "item": {"type": "model", "id": ""}}, 400, "item.id"),
        ({"title": "t", "namespace": "demo", "item": {"type": "paper", "id": "hi"}}, 400, "paper"),
        (
            {"title": "t", "namespace": "demo", "item": {"type": "bucket", "id": "a/b"}},
            404,
            "Bucket",
        ),
        (
            {"title": "t", "namespace": "demo", "item": {"type": "collection", "id": "0" * 24}},
            404,
            "Collection not found",
        ),
        (
            {"title": "t", "namespace": "demo", "item": {"type": "collection", "id": MISSING}},
            404,
            "Collection not found",
        ),
        (
            {"title": "t", "namespace": "demo", "description": 3},
            400,
            "description must be a string",
        ),
    ],
)
async def test_create_refuses_malformed_bodies(
    hub: HubClient, body: dict[str, Any], status: int, message: str
) -> None:
    error = await refused(hub, "POST", "/api/collections", json=body)
    assert error.status == status and message in (error.server_message or "")


async def test_non_json_bodies_are_400(lh: LocalHub) -> None:
    async with aiohttp.ClientSession(headers=AUTH) as session:
        for body in (b"{not json", b"[1, 2]"):
            async with session.post(f"{lh.url}/api/collections", data=body) as resp:
                assert resp.status == 400
                assert (await resp.json())["error"] in (
                    "Invalid JSON body",
                    "The request body must be a JSON object",
                )


async def test_patch_bodies_are_checked(hub: HubClient) -> None:
    made = await hub.collections.create(title="Checked", namespace="demo")
    path = f"/api/collections/{made.slug}"
    for body, message in (
        ({"position": -1}, "position"),
        ({"position": True}, "position"),
        ({"position": "1"}, "position"),
        ({"title": None}, "title is required"),
        ({"theme": "plaid"}, "theme"),
        ({"description": "x" * 151}, "at most 150"),
    ):
        error = await refused(hub, "PATCH", path, json=body)
        assert error.status == 400 and message in (error.server_message or ""), body
    made = await hub.collections.add_item(made.slug, "ibm/duorc", "dataset")
    assert made.items is not None
    item_path = f"{path}/items/{made.items[0].object_id}"
    error = await refused(hub, "PATCH", item_path, json={"note": "x" * 501})
    assert error.status == 400 and "at most 500" in (error.server_message or "")
    unchanged = await hub.request_json("PATCH", path, json={})
    assert unchanged["success"] is True and unchanged["data"]["slug"] == made.slug
    cleared = await hub.collections.update(made.slug, description="")
    assert cleared.description == ""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"cursor": "garbage"}, "Invalid cursor"),
        ({"limit": "abc"}, "Invalid limit"),
        ({"limit": "0"}, "positive"),
        ({"sort": "downloads"}, "Invalid sort"),
        ({"item": "gemma"}, "Invalid item"),
        ({"item": "widgets/x"}, "Invalid item"),
    ],
)
async def test_listing_refuses_bad_queries(
    hub: HubClient, query: dict[str, str], message: str
) -> None:
    error = await refused(hub, "GET", "/api/collections", params=query)
    assert isinstance(error, BadRequestError) and message in (error.server_message or "")


async def test_link_is_absolute_keeps_the_query_and_binds_the_sort(
    lh: LocalHub, hub: HubClient
) -> None:
    first = await hub.request("GET", "/api/collections", params={"sort": "upvotes", "limit": 50})
    assert len(first.json()) == 5  # the page size caps any limit
    assert first.next_url is not None
    link = urlsplit(first.next_url)
    assert f"{link.scheme}://{link.netloc}" == lh.url and link.path == "/api/collections"
    query = dict(parse_qsl(link.query))
    assert query["sort"] == "upvotes" and query["limit"] == "50" and query["cursor"]
    second = await hub.request("GET", first.next_url)
    assert {c["slug"] for c in second.json()}.isdisjoint(c["slug"] for c in first.json())
    error = await refused(hub, "GET", "/api/collections", params={"cursor": query["cursor"]})
    assert error.status == 400  # a cursor of another sort


async def test_filters_on_the_wire(hub: HubClient) -> None:
    made = await hub.collections.create(title="Wire filters", namespace="demo")
    await hub.collections.add_item(made.slug, "2307.09288v2", "paper")
    with pytest.raises(ConflictError):
        await hub.collections.add_item(made.slug, "2307.09288", "paper")  # same paper
    holder = await hub.collections.create(title="Holder", namespace="demo")
    await hub.collections.add_item(holder.slug, made.slug, "collection")
    by_version = await hub.request_json(
        "GET", "/api/collections", params={"item": "papers/2307.09288v1", "owner[]": "demo"}
    )
    by_slug = await hub.request_json(
        "GET", "/api/collections", params={"item": f"collections/{made.slug}"}
    )
    by_id = await hub.request_json(
        "GET", "/api/collections", params={"item": f"collections/{made.id}"}
    )
    assert {c["title"] for c in by_version} == {"Reading list", "Wire filters"}
    assert [c["title"] for c in by_slug] == [c["title"] for c in by_id] == ["Holder"]


async def test_unrouted_paths_and_methods_are_the_hubs_404(hub: HubClient) -> None:
    made = await hub.collections.create(title="Routes", namespace="demo")
    for method, path in (
        ("GET", "/api/collections/demo"),
        ("PUT", f"/api/collections/{made.slug}"),
        ("GET", f"/api/collections/{made.slug}/items"),
        ("POST", f"/api/collections/{made.slug}/things"),
    ):
        error = await refused(hub, method, path)
        assert isinstance(error, NotFoundError), (method, path)
    error = await refused(hub, "GET", "/api/collections/alice/" + made.slug.partition("/")[2])
    assert error.server_message == "Collection not found"  # the id belongs to demo


async def test_concurrent_adds_keep_every_item(hub: HubClient) -> None:
    made = await hub.collections.create(title="Busy", namespace="demo")
    papers = ["1706.03762", "1810.04805", "1908.10084", "2005.14165", "2106.09685"]
    repos = ["facebook/bart-base", "openai-community/gpt2", "google-bert/bert-base-uncased"]
    calls = [hub.collections.add_item(made.slug, p, "paper") for p in papers]
    calls += [hub.collections.add_item(made.slug, r, "model") for r in repos]
    await asyncio.gather(*calls)
    full = await hub.collections.get(made.slug)
    assert full.items is not None and len(full.items) == 8
    assert sorted(i.id for i in full.items) == sorted(papers + repos)
    assert [i.position for i in full.items] == list(range(8))
    assert len({i.object_id for i in full.items}) == 8

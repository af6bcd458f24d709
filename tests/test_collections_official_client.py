"""The official ``huggingface_hub`` client, unmodified, on the local Hub's collections."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hubapi_async.testing import LocalHub

TOKEN = "hf_local_token"


@pytest.fixture
def server() -> Iterator[LocalHub]:
    hub = LocalHub(models=60, datasets=20, spaces=20, page_size=5)
    with hub.in_thread():
        yield hub


@pytest.fixture
def api(server: LocalHub) -> HfApi:
    return HfApi(endpoint=server.url, token=TOKEN)


def status_of(excinfo: pytest.ExceptionInfo[HfHubHTTPError]) -> int:
    response = excinfo.value.response
    assert response is not None
    return int(response.status_code)


def test_list_collections_walks_every_page_with_filters(api: HfApi, server: LocalHub) -> None:
    every = list(api.list_collections())
    pages = [r for r in server.requests if r.path == "/api/collections"]
    assert len(pages) >= 8 and all("cursor=" in r.query_string for r in pages[1:])
    assert len({c.slug for c in every}) == len(every) > 35
    assert all(len(c.items) <= 4 for c in every)
    assert [c.position for c in every] == list(range(len(every)))  # the client numbers them
    mine = list(api.list_collections(owner=["demo", "demo-org"], sort="upvotes"))
    assert {c.owner["name"] for c in mine} == {"demo", "demo-org"}
    assert [c.upvotes for c in mine] == sorted((c.upvotes for c in mine), reverse=True)
    holding = list(api.list_collections(item="models/google-bert/bert-base-uncased", limit=2))
    assert len(holding) == 2
    anonymous = HfApi(endpoint=server.url, token=False)
    assert not any(c.private for c in anonymous.list_collections())


def test_get_collection_returns_every_item(api: HfApi) -> None:
    listed = next(c for c in api.list_collections(owner="demo") if c.title == "Favourite models")
    full = api.get_collection(listed.slug)
    assert len(listed.items) == 4 and len(full.items) == 7
    assert {i.item_type for i in full.items} == {"model", "dataset", "space", "paper"}
    assert full.items[0].item_id == "google-bert/bert-base-uncased"
    assert full.items[0].note == "The one that started it all."
    assert full.url.endswith(f"/collections/{full.slug}") and full.last_updated.tzinfo
    with pytest.raises(HfHubHTTPError) as missing:
        api.get_collection("demo/nothing-" + "0" * 24)
    assert status_of(missing) == 404


def test_create_collection_and_exists_ok(api: HfApi, server: LocalHub) -> None:
    made = api.create_collection("ICCV 2023", description="Portfolio", private=True)
    assert made.slug.startswith("demo/iccv-2023-") and made.private and made.items == []
    assert server.requests[-1].json() == {
        "title": "ICCV 2023",
        "namespace": "demo",
        "private": True,
        "description": "Portfolio",
    }
    with pytest.raises(HfHubHTTPError) as twice:
        api.create_collection("ICCV 2023")
    assert status_of(twice) == 409
    assert api.create_collection("ICCV 2023", exists_ok=True).slug == made.slug
    org = api.create_collection("Org picks", namespace="demo-org")
    assert org.owner["type"] == "org"


def test_collection_items_add_update_delete(api: HfApi, server: LocalHub) -> None:
    slug = api.create_collection("Workbench").slug
    api.add_collection_item(slug, "facebook/bart-base", "model", note="Base")
    assert server.requests[-1].path == f"/api/collections/{slug}/items"
    api.add_collection_item(slug, "2307.09288", "paper")
    got = api.add_collection_item(slug, slug, "collection")
    assert [(i.item_type, i.item_id) for i in got.items] == [
        ("model", "facebook/bart-base"),
        ("paper", "2307.09288"),
        ("collection", slug),
    ]
    with pytest.raises(HfHubHTTPError) as dup:
        api.add_collection_item(slug, "facebook/bart-base", "model")
    assert status_of(dup) == 409
    assert (
        len(api.add_collection_item(slug, "facebook/bart-base", "model", exists_ok=True).items) == 3
    )
    with pytest.raises(HfHubHTTPError) as ghost:
        api.add_collection_item(slug, "nobody/nothing", "model")
    assert status_of(ghost) == 404

    last = got.items[-1].item_object_id
    api.update_collection_item(slug, last, note="Me!", position=0)
    assert server.requests[-1].json() == {"position": 0, "note": "Me!"}
    moved = api.get_collection(slug)
    assert [i.item_type for i in moved.items] == ["collection", "model", "paper"]
    assert moved.items[0].note == "Me!" and moved.items[1].note == "Base"

    api.delete_collection_item(slug, last)
    api.delete_collection_item(slug, last, missing_ok=True)
    with pytest.raises(HfHubHTTPError) as gone:
        api.delete_collection_item(slug, last)
    assert status_of(gone) == 404
    assert [i.item_type for i in api.get_collection(slug).items] == ["model", "paper"]


def test_update_collection_metadata_renames_and_keeps_the_id(api: HfApi) -> None:
    made = api.create_collection("ICCV 2023")
    updated = api.update_collection_metadata(
        made.slug, title="ICCV Oct. 2023", description="Updated", private=False, theme="pink"
    )
    assert updated.slug == "demo/iccv-oct-2023-" + made.slug[-24:]
    assert (updated.title, updated.description, updated.theme) == (
        "ICCV Oct. 2023",
        "Updated",
        "pink",
    )
    assert api.get_collection(updated.slug).title == "ICCV Oct. 2023"


def test_delete_collection_and_missing_ok(api: HfApi, server: LocalHub) -> None:
    slug = api.create_collection("Temporary").slug
    bob = HfApi(endpoint=server.url, token="hf_local_bob")
    with pytest.raises(HfHubHTTPError) as denied:
        bob.delete_collection(slug)
    assert status_of(denied) == 403
    api.delete_collection(slug)
    api.delete_collection(slug, missing_ok=True)
    with pytest.raises(HfHubHTTPError) as gone:
        api.get_collection(slug)
    assert status_of(gone) == 404

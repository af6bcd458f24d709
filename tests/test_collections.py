"""hub.collections over real sockets against the local Hub: reads, writes, rights, payloads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from urllib.parse import parse_qsl

import msgspec
import pytest

from hubapi_async import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    HubClient,
    NotFoundError,
    PermissionDeniedError,
    RepositoryNotFoundError,
)
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import (
    Collection,
    CollectionItem,
    CollectionOwner,
    DatasetsServerInfo,
    SpaceRuntime,
)

TOKENS = {
    "demo": "hf_local_token",
    "alice": "hf_local_alice",
    "bob": "hf_local_bob",
    "carol": "hf_local_carol",
}


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=80, datasets=30, spaces=30)
    async with hub:
        yield hub


def client(lh: LocalHub, user: str | None = "demo") -> HubClient:
    return HubClient(lh.url, token=TOKENS[user] if user else False)


async def everything(hub: HubClient, **kwargs: object) -> list[Collection]:
    return [c async for c in hub.collections.list(**kwargs)]  # type: ignore[arg-type]


async def fresh(hub: HubClient, title: str = "Scratch", **kwargs: object) -> Collection:
    return await hub.collections.create(title=title, namespace="demo", **kwargs)  # type: ignore[arg-type]


# -- listing -----------------------------------------------------------------------------------
async def test_listed_collections_are_typed_and_carry_at_most_four_items(lh: LocalHub) -> None:
    async with client(lh) as hub:
        listed = await everything(hub)
        assert len(listed) > 30
        assert all(c.items is not None and len(c.items) <= 4 for c in listed)
        assert all(c.position is None and c.share_url is None for c in listed)
        big = next(c for c in listed if c.title == "Favourite models")
        assert big.owner == CollectionOwner(
            name="demo",
            object_id=big.owner.object_id if big.owner else None,
            fullname="Demo User",
            type="user",
            avatar_url=big.owner.avatar_url if big.owner else None,
            is_pro=False,
            is_hf=False,
            is_hf_admin=False,
            is_mod=False,
            follower_count=big.owner.follower_count if big.owner else None,
            is_user_following=False,
        )
        full = await hub.collections.get(big.slug)
    assert big.items is not None and [i.id for i in big.items] == [
        "google-bert/bert-base-uncased",
        "openai-community/gpt2",
        "facebook/bart-base",
        "sentence-transformers/all-MiniLM-L6-v2",
    ]
    assert full.items is not None and len(full.items) == 7
    assert full.position == 0 and full.share_url == f"{lh.url}/collections/demo/favourite-models"
    assert isinstance(full.last_updated, datetime) and full.last_updated.tzinfo is not None
    assert full.id == full.slug[-24:] and full.namespace == "demo"


async def test_owner_filter_single_and_repeated(lh: LocalHub) -> None:
    async with client(lh) as hub:
        org = await everything(hub, owner="demo-org")
        two = await everything(hub, owner=["alice", "bob"])
    assert org and {c.namespace for c in org} == {"demo-org"}
    assert {c.namespace for c in two} == {"alice", "bob"}
    assert "owner=alice&owner=bob" in lh.requests[-1].query_string


async def test_item_filter_finds_the_collections_holding_it(lh: LocalHub) -> None:
    async with client(lh) as hub:
        bert = await everything(hub, item="models/google-bert/bert-base-uncased")
        papers = await everything(hub, item=["papers/1706.03762", "papers/2307.09288"])
        query = lh.requests[-1].query_string
        holders = [await hub.collections.get(c.slug) for c in bert]
    assert {c.title for c in bert} >= {"Favourite models", "Team picks", "Gemma release"}
    for c in holders:
        assert c.items and any(i.id == "google-bert/bert-base-uncased" for i in c.items)
    assert {c.title for c in papers} >= {"Favourite models", "Reading list", "Llama 3.1"}
    assert parse_qsl(query) == [("item", "papers/1706.03762"), ("item", "papers/2307.09288")]


async def test_sorts_are_descending_and_trending_is_the_default(lh: LocalHub) -> None:
    async with client(lh) as hub:
        by_upvotes = await everything(hub, sort="upvotes")
        by_date = await everything(hub, sort="lastModified")
        default = await everything(hub)
        with pytest.raises(BadRequestError, match="sort"):
            await everything(hub, sort="bogus")
    upvotes = [c.upvotes or 0 for c in by_upvotes]
    assert upvotes == sorted(upvotes, reverse=True) and len(set(upvotes)) > 5
    dates = [c.last_updated for c in by_date if c.last_updated]
    assert len(dates) == len(by_date) and dates == sorted(dates, reverse=True)
    trending = {c.id: c.sort_value("trending") for c in lh._server.collections.all()}
    assert [trending[c.id] for c in default] == sorted(trending[c.id] for c in default)[::-1]
    assert {c.slug for c in default} == {c.slug for c in by_upvotes}


async def test_q_matches_titles_and_descriptions(lh: LocalHub) -> None:
    async with client(lh) as hub:
        reading = await everything(hub, q="READING")
        described = await everything(hub, q="production")
    async with client(lh, None) as anon:
        hidden = await everything(anon, q="reading")
    assert [c.title for c in reading] == ["Reading list"] and reading[0].private
    assert [c.title for c in described] == ["Team picks"]
    assert hidden == []


async def test_listing_follows_link_over_several_pages() -> None:
    lh = LocalHub(models=80, datasets=30, spaces=30, page_size=4)
    async with lh:
        async with client(lh) as hub:
            walked = await everything(hub)
            pages = [r for r in lh.requests if r.path == "/api/collections"]
            lh.requests.clear()
            capped = await everything(hub, limit=6, prefetch=True)
            capped_pages = [r for r in lh.requests if r.path == "/api/collections"]
            async with hub.collections.list() as first:
                async for page in first.pages():
                    head, after_head = page.items, page.next_url
                    break
            assert after_head is not None
            rest = await everything(hub, resume_from=after_head)
            stored = lh._server.collections.all()
    visible = {c.slug for c in stored if not c.private or c.namespace in ("demo", "demo-org")}
    assert len(walked) == len({c.slug for c in walked}) and {c.slug for c in walked} == visible
    assert len(visible) < len(stored)
    assert len(pages) == -(-len(walked) // 4) >= 5
    assert all("cursor=" in r.query_string for r in pages[1:])
    assert [c.slug for c in capped] == [c.slug for c in walked[:6]]
    assert "limit=6" in capped_pages[0].query_string and len(capped_pages) == 2
    assert [c.slug for c in head + rest] == [c.slug for c in walked]


async def test_private_collections_only_for_owners_and_org_members(lh: LocalHub) -> None:
    seen: dict[str | None, set[str]] = {}
    for user in ("demo", "bob", "carol", None):
        async with client(lh, user) as hub:
            seen[user] = {c.title for c in await everything(hub) if c.private}
    assert {"Reading list", "Internal benchmarks"} <= seen["demo"]
    assert "Internal benchmarks" in seen["bob"] and "Reading list" not in seen["bob"]
    assert "Drafts" not in seen["demo"]
    assert seen["carol"] == set() and seen[None] == set()
    reading = next(c for c in lh._server.collections.all() if c.title == "Reading list")
    async with client(lh, "carol") as carol:
        with pytest.raises(NotFoundError):
            await carol.collections.get(reading.slug)


async def test_get_decodes_every_item_type(lh: LocalHub) -> None:
    async with client(lh) as hub:
        favourite = next(c for c in await everything(hub, q="Favourite"))
        full = await hub.collections.get(favourite.slug)
        await hub.collections.add_item(full.slug, full.slug, "collection", note="Itself")
        again = await hub.collections.get(full.slug)
    assert full.items is not None and again.items is not None
    by_type: dict[str, CollectionItem] = {}
    for i in full.items:
        by_type.setdefault(i.type, i)
    assert set(by_type) == {"model", "dataset", "space", "paper"}
    model = by_type["model"]
    assert model.object_id and len(model.object_id) == 24 and model.position == 0
    assert model.note is not None and model.note.text == "The one that started it all."
    assert isinstance(model.downloads, int) and model.author_data is not None
    assert model.author_data.name == "google-bert" and model.repo_type == "model"
    dataset = by_type["dataset"]
    assert isinstance(dataset.datasets_server_info, DatasetsServerInfo)
    assert "parquet" in (dataset.datasets_server_info.formats or [])
    space = by_type["space"]
    assert isinstance(space.runtime, SpaceRuntime) and space.runtime.stage
    assert space.title and space.emoji and space.visibility == "public"
    paper = by_type["paper"]
    assert paper.id == "1706.03762" and paper.title == "Attention Is All You Need"
    assert paper.published_at is not None and paper.published_at.tzinfo is not None
    nested = again.items[-1]
    assert nested.type == "collection" and nested.slug == full.slug
    assert nested.item_id == full.slug and nested.id == full.id
    assert nested.number_items == 8 and nested.note is not None and nested.note.text == "Itself"
    assert [i.position for i in again.items] == list(range(8))


# -- create ------------------------------------------------------------------------------------
async def test_create_sends_only_what_was_passed(lh: LocalHub) -> None:
    async with client(lh, "alice") as hub:
        made = await hub.collections.create(
            title="Lab: Vision & Audio 2025",
            namespace="alice-lab",
            description="Multimodal work.",
            private=True,
        )
        assert lh.requests[-1].json() == {
            "title": "Lab: Vision & Audio 2025",
            "namespace": "alice-lab",
            "description": "Multimodal work.",
            "private": True,
        }
        minimal = await hub.collections.create(title="Bare", namespace="alice")
        assert lh.requests[-1].json() == {"title": "Bare", "namespace": "alice"}
    assert made.slug.startswith("alice-lab/lab-vision-audio-2025-") and len(made.id) == 24
    assert made.owner is not None and made.owner.type == "org"
    assert made.private is True and made.items == [] and made.position == 1
    assert made.description == "Multimodal work." and made.theme
    assert minimal.private is False and minimal.description is None


async def test_create_without_namespace_asks_whoami_first(lh: LocalHub) -> None:
    async with client(lh) as hub:
        lh.requests.clear()
        made = await hub.collections.create(title="Mine", item_id="2106.09685", item_type="paper")
    assert [(r.method, r.path) for r in lh.requests] == [
        ("GET", "/api/whoami-v2"),
        ("POST", "/api/collections"),
    ]
    assert lh.requests[-1].json() == {
        "title": "Mine",
        "namespace": "demo",
        "item": {"type": "paper", "id": "2106.09685"},
    }
    assert made.namespace == "demo" and made.items is not None
    assert [(i.type, i.id) for i in made.items] == [("paper", "2106.09685")]


async def test_create_conflict_and_exist_ok(lh: LocalHub) -> None:
    async with client(lh) as hub:
        first = await fresh(hub, "Twice")
        await hub.collections.add_item(first.slug, "facebook/bart-base", "model")
        with pytest.raises(ConflictError):
            await fresh(hub, "Twice")
        same = await fresh(hub, "Twice", exist_ok=True)
        alias = await fresh(hub, "Twice", exists_ok=True)
        with pytest.raises(TypeError):
            await fresh(hub, "Twice", exist_ok=True, exists_ok=False)
    assert same.slug == alias.slug == first.slug
    assert same.items is not None and [i.id for i in same.items] == ["facebook/bart-base"]


async def test_create_needs_a_token_and_rights(lh: LocalHub) -> None:
    async with client(lh, "bob") as bob:
        with pytest.raises(PermissionDeniedError):
            await bob.collections.create(title="Nope", namespace="demo-org")
        mine = await bob.collections.create(title="Mine", namespace="bob")
    async with client(lh, "carol") as carol:
        with pytest.raises(PermissionDeniedError):
            await carol.collections.create(title="Nope", namespace="demo-org")
    async with client(lh, None) as anon:
        with pytest.raises(AuthenticationError):
            await anon.collections.create(title="Nope", namespace="demo")
    assert mine.namespace == "bob"
    assert not any(c.title == "Nope" for c in lh._server.collections.all())


async def test_create_refuses_bad_bodies_and_unknown_items(lh: LocalHub) -> None:
    async with client(lh) as hub:
        with pytest.raises(BadRequestError, match="description"):
            await fresh(hub, "Long", description="x" * 151)
        with pytest.raises(RepositoryNotFoundError):
            await fresh(hub, "Ghost", item_id="nobody/nothing", item_type="model")
        with pytest.raises(NotFoundError):
            await fresh(hub, "Ghost", item_id="2101.00001", item_type="paper")
        with pytest.raises(BadRequestError, match=r"item\.type"):
            await hub.request_json(
                "POST",
                "/api/collections",
                json={"title": "T", "namespace": "demo", "item": {"type": "widget", "id": "a/b"}},
            )
        with pytest.raises(BadRequestError, match="namespace"):
            await hub.request_json("POST", "/api/collections", json={"title": "T"})


# -- update and delete -------------------------------------------------------------------------
async def test_update_changes_the_slug_but_not_the_id(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Old name")
        lh._server.collections.clock = lambda: 1_900_000_000.5
        changed = await hub.collections.update(made.slug, title="New name", theme="pink")
        assert lh.requests[-1].method == "PATCH"
        assert lh.requests[-1].json() == {"title": "New name", "theme": "pink"}
        more = await hub.collections.update(
            changed.slug, description="Now described.", private=True, position=0
        )
        assert lh.requests[-1].json() == {
            "description": "Now described.",
            "position": 0,
            "private": True,
        }
        fetched = await hub.collections.get(changed.slug)
    assert changed.slug == f"demo/new-name-{made.id}" and changed.id == made.id
    assert changed.theme == "pink" and changed.title == "New name"
    assert changed.last_updated == datetime.fromisoformat("2030-03-17T17:46:40.500+00:00")
    assert more.private is True and more.position == 0 and more.description == "Now described."
    assert fetched == more


async def test_update_errors(lh: LocalHub) -> None:
    team = next(c for c in lh._server.collections.all() if c.title == "Team picks")
    async with client(lh) as hub:
        taken = await fresh(hub, "Taken")
        other = await fresh(hub, "Other")
        with pytest.raises(ConflictError):
            await hub.collections.update(other.slug, title="Taken")
        with pytest.raises(NotFoundError):
            await hub.collections.update("demo/gone-" + "0" * 24, title="x")
        with pytest.raises(BadRequestError, match="theme"):
            await hub.collections.update(taken.slug, theme="plaid")
    async with client(lh, "alice") as alice:
        assert (await alice.collections.update(team.slug, theme="green")).theme == "green"
    async with client(lh, "bob") as bob:
        with pytest.raises(PermissionDeniedError):
            await bob.collections.update(team.slug, title="Mine now")
    async with client(lh, None) as anon:
        with pytest.raises(AuthenticationError):
            await anon.collections.update(team.slug, title="Mine now")
    assert team.title == "Team picks"


async def test_update_also_reads_a_bare_collection_answer(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Bare answer")
        bare = msgspec.json.encode(
            {"slug": made.slug, "title": "Renamed elsewhere", "items": [], "private": False}
        )
        lh.faults.add(Fault(kind="status", status=200, body=bare, method="PATCH", times=1))
        got = await hub.collections.update(made.slug, title="Renamed elsewhere")
    assert got.slug == made.slug and got.title == "Renamed elsewhere" and got.items == []


async def test_delete_and_missing_ok(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Short-lived")
        async with client(lh, "bob") as bob:
            with pytest.raises(PermissionDeniedError):
                await bob.collections.delete(made.slug)
        async with client(lh, None) as anon:
            with pytest.raises(AuthenticationError):
                await anon.collections.delete(made.slug)
        await hub.collections.delete(made.slug)
        assert (lh.requests[-1].method, lh.requests[-1].body) == ("DELETE", b"")
        with pytest.raises(NotFoundError):
            await hub.collections.get(made.slug)
        with pytest.raises(NotFoundError):
            await hub.collections.delete(made.slug)
        assert await hub.collections.delete(made.slug, missing_ok=True) is None


# -- items -------------------------------------------------------------------------------------
async def test_add_item_payload_result_and_errors(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Items")
        got = await hub.collections.add_item(made.slug, "ibm/duorc", "dataset", note="QA")
        sent = lh.requests[-1]
        assert sent.path == f"/api/collections/{made.slug}/items"
        assert sent.json() == {"item": {"type": "dataset", "id": "ibm/duorc"}, "note": "QA"}
        await hub.collections.add_item(made.slug, "2307.09288", "paper")
        assert lh.requests[-1].json() == {"item": {"type": "paper", "id": "2307.09288"}}
        team = next(c for c in await everything(hub, q="Team picks"))
        await hub.collections.add_item(made.slug, team.slug, "collection")
        assert lh.requests[-1].json() == {"item": {"type": "collection", "id": team.id}}
        with pytest.raises(ConflictError):
            await hub.collections.add_item(made.slug, "ibm/duorc", "dataset")
        kept = await hub.collections.add_item(made.slug, "ibm/duorc", "dataset", exist_ok=True)
        with pytest.raises(RepositoryNotFoundError):
            await hub.collections.add_item(made.slug, "nobody/nothing", "model")
        with pytest.raises(NotFoundError):
            await hub.collections.add_item(made.slug, "2101.00001", "paper")
        with pytest.raises(NotFoundError):
            await hub.collections.add_item("demo/gone-" + "0" * 24, "ibm/duorc", "dataset")
    async with client(lh, "bob") as bob:
        with pytest.raises(PermissionDeniedError):
            await bob.collections.add_item(made.slug, "facebook/bart-base", "model")
    async with client(lh, None) as anon:
        with pytest.raises(AuthenticationError):
            await anon.collections.add_item(made.slug, "facebook/bart-base", "model")
    assert got.items is not None and len(got.items) == 1
    assert got.items[0].note is not None and got.items[0].note.html == "QA"
    assert kept.items is not None and [i.type for i in kept.items] == [
        "dataset",
        "paper",
        "collection",
    ]


async def test_the_endpoint_pages_item_route_works_too(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Seed route")
        body = await hub.request_json(
            "POST",
            f"/api/collections/{made.slug}/item",
            json={"item": {"type": "model", "id": "facebook/bart-base"}},
        )
    assert body["slug"] == made.slug and [i["id"] for i in body["items"]] == ["facebook/bart-base"]


async def test_update_item_moves_and_annotates(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Order")
        for repo in (
            "facebook/bart-base",
            "openai-community/gpt2",
            "google-bert/bert-base-uncased",
        ):
            made = await hub.collections.add_item(made.slug, repo, "model")
        assert made.items is not None
        last = made.items[-1]
        done = await hub.collections.update_item(made.slug, last.object_id, note="Top", position=0)
        assert done is None
        assert lh.requests[-1].path == f"/api/collections/{made.slug}/items/{last.object_id}"
        assert lh.requests[-1].json() == {"note": "Top", "position": 0}
        await hub.collections.update_item(made.slug, last.object_id, note="Still top")
        assert lh.requests[-1].json() == {"note": "Still top"}
        after = await hub.collections.get(made.slug)
        with pytest.raises(NotFoundError):
            await hub.collections.update_item(made.slug, "0" * 24, note="x")
    async with client(lh, "carol") as carol:
        with pytest.raises(PermissionDeniedError):
            await carol.collections.update_item(made.slug, last.object_id, position=2)
    async with client(lh, None) as anon:
        with pytest.raises(AuthenticationError):
            await anon.collections.update_item(made.slug, last.object_id, position=2)
    assert after.items is not None
    assert [i.id for i in after.items] == [
        "google-bert/bert-base-uncased",
        "facebook/bart-base",
        "openai-community/gpt2",
    ]
    assert after.items[0].note is not None and after.items[0].note.text == "Still top"


async def test_delete_item_and_missing_ok(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Removal")
        made = await hub.collections.add_item(made.slug, "facebook/bart-base", "model")
        assert made.items is not None
        item = made.items[0].object_id
        async with client(lh, "bob") as bob:
            with pytest.raises(PermissionDeniedError):
                await bob.collections.delete_item(made.slug, item)
        await hub.collections.delete_item(made.slug, item)
        assert lh.requests[-1].method == "DELETE"
        assert lh.requests[-1].path.endswith(f"/items/{item}")
        with pytest.raises(NotFoundError):
            await hub.collections.delete_item(made.slug, item)
        assert await hub.collections.delete_item(made.slug, item, missing_ok=True) is None
        assert (await hub.collections.get(made.slug)).items == []


async def test_hidden_and_deleted_targets_drop_out_of_items(lh: LocalHub) -> None:
    async with client(lh) as hub:
        made = await fresh(hub, "Mixed visibility")
        private = next(c for c in await everything(hub, q="Reading list"))
        await hub.collections.add_item(made.slug, private.slug, "collection")
        await hub.collections.add_item(made.slug, "facebook/bart-base", "model")
        mine = await hub.collections.get(made.slug)
    async with client(lh, "carol") as carol:
        theirs = await carol.collections.get(made.slug)
    lh.stores["model"].delete("facebook/bart-base")
    async with client(lh) as hub:
        later = await hub.collections.get(made.slug)
    assert mine.items is not None and [i.type for i in mine.items] == ["collection", "model"]
    assert theirs.items is not None and [i.type for i in theirs.items] == ["model"]
    assert later.items is not None and [i.type for i in later.items] == ["collection"]

"""Collections: validators, bad arguments (no request sent), Structs and local Hub bodies
against the recorded answers."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest

from hubapi_async import ConflictError, HubClient, NotFoundError
from hubapi_async._resources._collections import (
    _slug_from_conflict,
    collection_item_ref,
    item_filter,
)
from hubapi_async._validation import validate_collection_slug, validate_object_id
from hubapi_async.testing import LocalHub
from hubapi_async.types import Collection, decode_json

from ._helpers import recordings_dir
from .test_recordings_drift import unmapped_keys

INFO = recordings_dir() / "collections" / "collection_info__huggingfacejs_test-collection.body.json"
LISTING = recordings_dir() / "collections" / "list_collections__owner_huggingfacejs.body.json"
SLUG = "huggingfacejs/test-collection-690df2897fa1945492b8cf42"


# -- validators --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "slug",
    [
        SLUG,
        "TheBloke/recent-models-64f9a55bb3115b4f513ec026",
        "user/a-0123456789abcdef01234567",
        "org.name/v1.2_beta-0123456789abcdef01234567",
        "user/café-crème-0123456789abcdef01234567",
    ],
)
def test_valid_slugs_pass_unchanged(slug: str) -> None:
    assert validate_collection_slug(slug) is slug


@pytest.mark.parametrize(
    ("slug", "why"),
    [
        ("test-collection-690df2897fa1945492b8cf42", "namespace/title"),
        ("huggingfacejs/test-collection", "24 lowercase hex"),
        ("huggingfacejs/test-collection-690df2897fa1945492b8cf4", "24 lowercase hex"),
        ("huggingfacejs/test-collection-690DF2897FA1945492B8CF42", "24 lowercase hex"),
        ("huggingfacejs/690df2897fa1945492b8cf42", "24 lowercase hex"),
        ("huggingfacejs/-690df2897fa1945492b8cf42", "title part"),
        ("huggingfacejs/a b-690df2897fa1945492b8cf42", "title part"),
        ("huggingfacejs/a?b-690df2897fa1945492b8cf42", "title part"),
        ("huggingfacejs/a%2F-690df2897fa1945492b8cf42", "title part"),
        ("huggingfacejs/a\n-690df2897fa1945492b8cf42", "title part"),
        ("a/b/c-690df2897fa1945492b8cf42", "namespace/title"),
        ("/test-690df2897fa1945492b8cf42", "namespace is empty"),
        ("bad--ns/test-690df2897fa1945492b8cf42", "namespace"),
        ("", "namespace/title"),
        (None, "expected a string"),
    ],
)
def test_invalid_slugs_are_value_errors(slug: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        validate_collection_slug(slug)


def test_object_ids() -> None:
    assert validate_object_id("690df2a467ea25a1a346d0ae") == "690df2a467ea25a1a346d0ae"
    for bad in ("690df2a467ea25a1a346d0a", "690DF2A467EA25A1A346D0AE", "../x", ""):
        with pytest.raises(ValueError, match=r"collection item id .*24 lowercase hex"):
            validate_object_id(bad, "collection item id")
    with pytest.raises(ValueError, match="expected a string"):
        validate_object_id(5)


@pytest.mark.parametrize(
    ("item_id", "item_type", "sent"),
    [
        ("google/gemma-2b", "model", "google/gemma-2b"),
        ("gpt2", "model", "gpt2"),
        ("rajpurkar/squad", "dataset", "rajpurkar/squad"),
        ("user/my-space", "space", "user/my-space"),
        ("2307.09288", "paper", "2307.09288"),
        ("2307.09288v2", "paper", "2307.09288v2"),
        ("hep-th/9901001", "paper", "hep-th/9901001"),
        (SLUG, "collection", "690df2897fa1945492b8cf42"),
        ("690df2897fa1945492b8cf42", "collection", "690df2897fa1945492b8cf42"),
        ("user/bucket", "bucket", "user/bucket"),
    ],
)
def test_item_refs(item_id: str, item_type: str, sent: str) -> None:
    assert collection_item_ref(item_id, item_type) == sent


@pytest.mark.parametrize(
    ("item_id", "item_type", "why"),
    [
        ("google/gemma-2b", "models", "item type"),
        ("google/gemma-2b", "Model", "item type"),
        ("google/gemma-2b", None, "item type"),
        ("google/gemma 2b", "model", "repo id"),
        ("a/b/c", "model", "repo id"),
        ("2307.092", "paper", "arXiv"),
        ("attention", "paper", "arXiv"),
        ("user/title", "collection", "24 lowercase hex"),
        ("not-an-id", "collection", "24 lowercase hex"),
        ("bucket", "bucket", "namespace/name"),
        (42, "model", "expected a string"),
    ],
)
def test_bad_item_refs(item_id: object, item_type: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        collection_item_ref(item_id, item_type)


def test_item_filters() -> None:
    for good in (
        "models/google/gemma-2b",
        "datasets/squad",
        "papers/2311.12983",
        f"collections/{SLUG}",
    ):
        assert item_filter(good) == good
    for bad in ("google/gemma-2b", "model/google/gemma-2b", "models/", "papers/hello", "widgets/x"):
        with pytest.raises(ValueError, match="item"):
            item_filter(bad)


def test_conflict_body_gives_the_existing_slug() -> None:
    exc = ConflictError("exists", status=409)
    assert _slug_from_conflict(exc) is None
    exc.body = json.dumps({"error": "exists", "slug": SLUG}).encode()  # type: ignore[attr-defined]
    assert _slug_from_conflict(exc) == SLUG
    exc.body = b'{"slug": "not a slug"}'  # type: ignore[attr-defined]
    assert _slug_from_conflict(exc) is None
    exc.body = b"<html>"  # type: ignore[attr-defined]
    assert _slug_from_conflict(exc) is None


# -- bad arguments never reach the wire --------------------------------------------------------
@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=5, datasets=2, spaces=2)
    async with hub:
        yield hub


async def test_bad_arguments_raise_before_any_request(lh: LocalHub) -> None:
    item = "0123456789abcdef01234567"
    async with HubClient(lh.url, token="hf_local_token") as hub:
        c = hub.collections
        calls: list[tuple[Any, type[Exception], str]] = [
            (lambda: c.get("no-slug"), ValueError, "namespace/title"),
            (lambda: c.get(SLUG + "?x=1"), ValueError, "24 lowercase hex"),
            (lambda: c.delete("a/b"), ValueError, "24 lowercase hex"),
            (lambda: c.update(SLUG), ValueError, "nothing to update"),
            (lambda: c.update(SLUG, title=""), ValueError, "title"),
            (lambda: c.update(SLUG, position=-1), ValueError, "position"),
            (lambda: c.update(SLUG, position=True), TypeError, "position"),
            (lambda: c.update(SLUG, private="yes"), TypeError, "private"),
            (lambda: c.create(title="  "), ValueError, "title"),
            (lambda: c.create(title="t", namespace="bad name"), ValueError, "namespace"),
            (lambda: c.create(title="t", item_id="a/b"), ValueError, "item_type"),
            (lambda: c.create(title="t", item_id="a/b", item_type="widget"), ValueError, "type"),
            (lambda: c.add_item(SLUG, "a/b", "models"), ValueError, "item type"),
            (lambda: c.add_item(SLUG, "../etc", "model"), ValueError, "repo id"),
            (lambda: c.add_item(SLUG, "a/b", "model", note=3), TypeError, "note"),
            (lambda: c.update_item(SLUG, "1234"), ValueError, "collection item id"),
            (lambda: c.update_item(SLUG, item), ValueError, "nothing to update"),
            (lambda: c.update_item(SLUG, item, position=-2), ValueError, "position"),
            (lambda: c.delete_item(SLUG, "../../x"), ValueError, "collection item id"),
        ]
        for call, error, why in calls:
            with pytest.raises(error, match=why):
                await call()
        listings: list[tuple[dict[str, Any], type[Exception]]] = [
            ({"owner": "bad owner"}, ValueError),
            ({"owner": ["ok", 3]}, TypeError),
            ({"item": "gemma-2b"}, ValueError),
            ({"limit": -1}, ValueError),
            ({"limit": 2.5}, TypeError),
            ({"resume_from": f"{lh.url}/api/collections?cursor=x", "owner": "demo"}, ValueError),
        ]
        for kwargs, error in listings:
            with pytest.raises(error):
                hub.collections.list(**kwargs)
        assert [x async for x in hub.collections.list(limit=0)] == []
    assert lh.requests == []


# -- Structs against the recordings ------------------------------------------------------------
_DATES = frozenset({"lastUpdated", "lastModified"})


def _filled(value: Any, key: str = "") -> Any:
    """The recording with its ``"<any Type>"`` placeholders replaced by plausible values."""
    if isinstance(value, dict):
        return {k: _filled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v) for v in value]
    placeholders = {
        "<any Number>": 7,
        "<any Boolean>": True,
        "<any Array>": [],
        "<any String>": "2025-11-07T13:22:17.000Z" if key in _DATES else "x",
    }
    return placeholders.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize(("path", "tp"), [(INFO, Collection), (LISTING, list[Collection])])
def test_structs_map_every_recorded_key(path: Any, tp: Any) -> None:
    body = json.loads(path.read_text("utf-8"))
    assert not unmapped_keys(body, mi.type_info(tp))
    decoded = decode_json(json.dumps(_filled(body)), tp)
    one = decoded if isinstance(decoded, Collection) else decoded[0]
    assert one.slug == SLUG and one.id == "690df2897fa1945492b8cf42"
    assert one.owner is not None and one.owner.name == "huggingfacejs"
    assert one.owner.is_user_following is True and one.gating is False
    assert one.items is not None
    types = [i.type for i in one.items]
    assert types == ["dataset", "collection", "space", "paper", "model"][: len(types)]
    nested = one.items[1]
    assert nested.item_id == SLUG and nested.number_items == 5 and nested.theme == "pink"
    space = one.items[2]
    assert space.runtime is not None and space.runtime.replicas is not None
    assert space.emoji == "🌎" and space.ai_category == "Model Benchmarking"
    paper = one.items[3]
    assert paper.published_at is not None and paper.published_at.year == 2025
    if isinstance(decoded, Collection):
        assert len(one.items) == 5 and one.position == 0 and one.share_url
    else:
        assert len(one.items) == 4 and one.position is None


def test_every_item_field_round_trips_through_to_dict() -> None:
    body = _filled(json.loads(INFO.read_text("utf-8")))
    one = decode_json(json.dumps(body), Collection)
    assert Collection.from_dict(one.to_dict()) == one


# -- the local Hub's bodies against the recordings ---------------------------------------------
def _keys_by_type(body: dict[str, Any]) -> dict[str, set[str]]:
    return {item["type"]: set(item) for item in body["items"]}


async def test_local_hub_bodies_have_the_recorded_keys(lh: LocalHub) -> None:
    info = json.loads(INFO.read_text("utf-8"))
    listing = json.loads(LISTING.read_text("utf-8"))
    recorded = _keys_by_type(info)
    async with HubClient(lh.url, token="hf_local_token") as hub:
        made = await hub.collections.create(
            title="Every type", namespace="demo-org", description="One of each."
        )
        for item_id, item_type in (
            ("ibm/duorc", "dataset"),
            (made.slug, "collection"),
            ("user/tmp_test_space", "space"),
            ("2510.04871", "paper"),
            ("facebook/bart-base", "model"),
        ):
            await hub.collections.add_item(made.slug, item_id, item_type)
        body = await hub.request_json("GET", f"/api/collections/{made.slug}")
        listed = await hub.request_json("GET", "/api/collections", params={"owner": "demo-org"})
    ours = _keys_by_type(body)
    assert set(body) == set(info)
    assert set(body["owner"]) == set(info["owner"])
    optional = {  # in the Hub's OpenAPI types, absent from this recording
        "model": {"pipeline_tag"},
        "space": {"ai_category", "ai_short_description"},
    }
    for kind, keys in recorded.items():
        extra = optional.get(kind, set())
        assert keys - extra <= ours[kind] <= keys | extra, kind
    mine = next(c for c in listed if c["slug"] == made.slug)
    assert set(mine) == set(listing[0]) and len(mine["items"]) == 4
    assert [i["position"] for i in body["items"]] == [0, 1, 2, 3, 4]
    msgspec.json.decode(json.dumps(body).encode(), type=Collection)


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    section = readme[readme.index("### Collections") :]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("demo-org/") and any(
        line.startswith("demo/reading-2025-") for line in out
    )
    assert out[-1] == str(
        [("model", "google-bert/bert-base-uncased", "Start here"), ("paper", "1706.03762", None)]
    )


async def test_non_ascii_title_parts_are_percent_encoded(lh: LocalHub) -> None:
    async with HubClient(lh.url, token="hf_local_token") as hub:
        with pytest.raises(NotFoundError):
            await hub.collections.get("demo/café-0123456789abcdef01234567")
    assert lh.requests[-1].path == "/api/collections/demo/caf%C3%A9-0123456789abcdef01234567"

"""The local Hub, seen from a plain aiohttp client over real loopback sockets."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import threading
import time
import urllib.request
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import aiohttp
import pytest

from hubapi_async.testing import Fault, LocalHub, _vocab, parse_rate_limit, serve

from ._helpers import recordings_dir

pytest_plugins = ["pytester"]

TOKEN = "hf_local_token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
DEFAULT_MODEL_KEYS = [
    "_id", "id", "likes", "trendingScore", "private", "downloads", "tags",
    "pipeline_tag", "library_name", "createdAt", "modelId",
]  # fmt: skip


MODEL_INFO = "models/model_info__"


def recording(name: str) -> Any:
    return json.loads((recordings_dir() / name).read_text("utf-8"))


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    server = LocalHub(models=300, datasets=40, spaces=30)
    async with server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def get_json(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[int, Any, aiohttp.ClientResponse]:
    async with session.get(url, **kwargs) as resp:
        body = await resp.read()
    return resp.status, json.loads(body) if body else None, resp


async def walk(
    session: aiohttp.ClientSession, url: str, **kwargs: Any
) -> tuple[list[dict[str, Any]], list[str]]:
    """Follow Link headers; return every item and every URL requested."""
    items: list[dict[str, Any]] = []
    urls: list[str] = []
    next_url: str | None = url
    while next_url:
        urls.append(next_url)
        async with session.get(next_url, **kwargs) as resp:
            assert resp.status == 200, await resp.text()
            items += await resp.json()
            link = resp.links.get("next")
            next_url = str(link["url"]) if link else None
    return items, urls


# -- listings and pagination ---------------------------------------------------------------
async def test_default_list_items_and_hub_headers(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    status, items, resp = await get_json(session, f"{lh.url}/api/models?limit=20")
    assert status == 200
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    generated = [i for i in items if i["id"].split("/")[0] != "google-bert"]
    assert all(list(i) == DEFAULT_MODEL_KEYS for i in generated)
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24}", resp.headers["X-Request-Id"])
    assert re.fullmatch(r'"api";r=\d+;t=\d+', resp.headers["RateLimit"])
    assert resp.headers["RateLimit-Policy"] == '"fixed window";"api";q=100000;w=300'
    assert "Link" in resp.headers["Access-Control-Expose-Headers"].split(",")
    item = items[0]
    assert re.fullmatch(r"[0-9a-f]{24}", item["_id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", item["createdAt"])
    assert item["modelId"] == item["id"]


async def test_link_is_absolute_and_carries_the_query_and_a_cursor(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    _, _, resp = await get_json(session, f"{lh.url}/api/models?limit=7&search=e&full=true")
    link = resp.headers["Link"]
    match = re.fullmatch(r'<(.+)>; rel="next"', link)
    assert match is not None
    url = match.group(1)
    assert url.startswith(f"{lh.url}/api/models?limit=7&search=e&full=true&sort=trendingScore&")
    cursor_raw = url.rsplit("cursor=", 1)[1]
    assert "=" not in cursor_raw  # padding is percent-encoded
    decoded = json.loads(base64.b64decode(unquote(cursor_raw)))
    assert isinstance(decoded, dict)
    # With an explicit sort, nothing is added.
    _, _, resp = await get_json(session, f"{lh.url}/api/models?limit=7&sort=likes")
    assert "sort=trendingScore" not in resp.headers["Link"]


async def test_walking_every_page_yields_each_visible_repo_once(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    anon, urls = await walk(session, f"{lh.url}/api/models?limit=40")
    assert len(anon) == lh.count("model", authenticated=False)
    assert len({i["id"] for i in anon}) == len(anon)
    assert all(not i["private"] for i in anon)
    assert all("cursor=" in u for u in urls[1:])
    authed, _ = await walk(session, f"{lh.url}/api/models?limit=40", headers=AUTH)
    assert len(authed) == lh.model_count > len(anon)
    assert any(i["private"] for i in authed)
    for kind in ("datasets", "spaces"):
        items, _ = await walk(session, f"{lh.url}/api/{kind}?limit=9", headers=AUTH)
        assert len(items) == lh.count(kind[:-1])


async def test_last_page_has_no_link(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    total = lh.count("model", authenticated=False)
    _, items, resp = await get_json(session, f"{lh.url}/api/models?limit={total}")
    assert len(items) == total
    assert "Link" not in resp.headers
    _, items, resp = await get_json(session, f"{lh.url}/api/models?limit={total - 1}")
    assert "Link" in resp.headers


async def test_page_size_default_and_maximum(session: aiohttp.ClientSession) -> None:
    async with LocalHub(models=2500, datasets=0, spaces=0) as url:
        _, items, _ = await get_json(session, f"{url}/api/models")
        assert len(items) == 1000
        _, items, _ = await get_json(session, f"{url}/api/models?limit=5000")
        assert len(items) == 1000
        for bad in ("0", "-3", "ten"):
            status, body, resp = await get_json(session, f"{url}/api/models?limit={bad}")
            assert status == 400
            assert body["error"] == resp.headers["X-Error-Message"]
    async with LocalHub(models=50, page_size=10) as url:
        _, items, _ = await get_json(session, f"{url}/api/models?limit=30")
        assert len(items) == 10


def _values(items: list[dict[str, Any]], key: str) -> list[Any]:
    if key in ("createdAt", "lastModified"):
        return [datetime.fromisoformat(i[key]) for i in items]
    return [i[key] for i in items]


@pytest.mark.parametrize(
    "key", ["downloads", "likes", "trendingScore", "createdAt", "lastModified", "id"]
)
async def test_sort_and_direction(lh: LocalHub, session: aiohttp.ClientSession, key: str) -> None:
    fields = "" if key == "id" else f"&expand={key}"
    base = f"{lh.url}/api/models?sort={key}&limit=25{fields}"
    desc, _ = await walk(session, base)  # no direction: descending
    assert _values(desc, key) == sorted(_values(desc, key), reverse=True)
    explicit, _ = await walk(session, base + "&direction=-1")
    assert [i["id"] for i in explicit] == [i["id"] for i in desc]
    asc, _ = await walk(session, base + "&direction=1")
    assert _values(asc, key) == sorted(_values(asc, key))
    assert {i["id"] for i in asc} == {i["id"] for i in desc}
    other, _ = await walk(session, base + "&direction=up")  # anything else: ascending
    assert [i["id"] for i in other] == [i["id"] for i in asc]


async def test_unknown_sort_is_a_400(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    status, _, _ = await get_json(session, f"{lh.url}/api/models?sort=bogus")
    assert status == 400
    status, _, _ = await get_json(session, f"{lh.url}/api/spaces?sort=downloads")
    assert status == 400
    status, _, _ = await get_json(session, f"{lh.url}/api/models?sort=last_modified")
    assert status == 200


async def test_author_filter_and_search(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    google, _ = await walk(session, f"{lh.url}/api/models?author=google&limit=10&sort=downloads")
    assert google and all(i["id"].startswith("google/") for i in google)
    facebook, _ = await walk(session, f"{lh.url}/api/models?author=facebook")
    assert "facebook/bart-base" in {i["id"] for i in facebook}  # recorded repo merged in
    nobody, _ = await walk(session, f"{lh.url}/api/models?author=nobody-at-all")
    assert nobody == []

    tagged, _ = await walk(session, f"{lh.url}/api/models?filter=text-classification&limit=15")
    assert tagged and all(i["pipeline_tag"] == "text-classification" for i in tagged)
    both, _ = await walk(session, f"{lh.url}/api/models?filter=transformers&filter=license:mit")
    assert both
    assert all({"transformers", "license:mit"} <= set(i["tags"]) for i in both)
    everything, _ = await walk(session, f"{lh.url}/api/models")
    expected = [i for i in everything if {"transformers", "license:mit"} <= set(i["tags"])]
    assert [i["id"] for i in both] == [i["id"] for i in expected]
    mine, _ = await walk(session, f"{lh.url}/api/models?author=google&filter=license:mit")
    assert mine == [
        i for i in everything if i["id"].startswith("google/") and "license:mit" in i["tags"]
    ]

    found, _ = await walk(session, f"{lh.url}/api/models?search=BERT-BASE")
    assert "google-bert/bert-base-uncased" in {i["id"] for i in found}
    assert all("bert-base" in i["id"].lower() for i in found)
    datasets, _ = await walk(session, f"{lh.url}/api/datasets?filter=language:en")
    assert datasets and all("language:en" in i["tags"] for i in datasets)


async def test_full_config_and_expand(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    _, full, _ = await get_json(session, f"{lh.url}/api/models?full=true&limit=5")
    assert all(
        {"sha", "lastModified", "author", "siblings", "gated", "disabled"} <= set(i) for i in full
    )
    assert "config" not in full[0]
    _, configs, _ = await get_json(session, f"{lh.url}/api/models?config=true&limit=50")
    assert any("config" in i for i in configs)
    for query in ("expand=downloads&expand=likes", "expand[]=downloads&expand[]=likes"):
        _, items, _ = await get_json(session, f"{lh.url}/api/models?{query}&limit=5")
        assert all(set(i) == {"_id", "id", "downloads", "likes"} for i in items)
    status, body, resp = await get_json(session, f"{lh.url}/api/models?expand=foo")
    assert status == 400
    assert "foo" in body["error"] and resp.headers["X-Error-Message"] == body["error"]
    status, _, _ = await get_json(session, f"{lh.url}/api/datasets?expand=pipeline_tag")
    assert status == 400
    _, info, _ = await get_json(
        session, f"{lh.url}/api/models/facebook/bart-base?expand[]=pipeline_tag"
    )
    assert info == recording(MODEL_INFO + "expand_array_syntax__facebook_bart-base.body.json")


async def test_garbage_cursor_is_a_400(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    for cursor in ("garbage!", base64.b64encode(b'{"k": 1}').decode(), "e30%3D"):
        status, body, _ = await get_json(session, f"{lh.url}/api/models?cursor={cursor}")
        assert status == 400
        assert body == {"error": "Invalid cursor"}
    # A cursor from one sort is refused by another.
    _, _, resp = await get_json(session, f"{lh.url}/api/models?limit=3&sort=likes")
    cursor = resp.links["next"]["url"].query["cursor"]
    status, _, _ = await get_json(session, f"{lh.url}/api/models", params={"cursor": cursor})
    assert status == 400


# -- repo info ------------------------------------------------------------------------------
async def test_info_serves_recorded_bodies(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    for repo_id, name in [
        ("google-bert/bert-base-uncased", "google-bert_bert-base-uncased"),
        ("gpt2", "gpt2_legacy_id_no_redirect"),
        ("openai-community/gpt2", "openai-community_gpt2__canonical"),
        ("meta-llama/Llama-3.1-8B-Instruct", "gated_manual__meta-llama_Llama-3.1-8B-Instruct"),
        ("sentence-transformers/all-MiniLM-L6-v2", "sentence-transformers_all-MiniLM-L6-v2"),
    ]:
        name = f"models/model_info__{name}.body.json"
        status, body, _ = await get_json(session, f"{lh.url}/api/models/{repo_id}")
        assert status == 200
        assert body == recording(name)
        assert list(body) == list(recording(name))
    _, body, _ = await get_json(
        session, f"{lh.url}/api/models/black-forest-labs/FLUX.1-dev?expand=inferenceProviderMapping"
    )
    assert body == recording(
        MODEL_INFO + "expand_inferenceProviderMapping__black-forest-labs_FLUX.1-dev.body.json"
    )


async def test_generated_info_shapes(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    _, first, _ = await get_json(session, f"{lh.url}/api/models?limit=1")
    _, info, _ = await get_json(session, f"{lh.url}/api/models/{first[0]['id']}")
    assert list(info)[:5] == ["_id", "id", "private", "pipeline_tag", "library_name"]
    assert {"siblings", "cardData", "sha", "lastModified", "model-index", "usedStorage"} <= set(
        info
    )
    assert info["model-index"] is None
    for kind in ("datasets", "spaces"):
        _, first, _ = await get_json(session, f"{lh.url}/api/{kind}?limit=1")
        status, info, _ = await get_json(session, f"{lh.url}/api/{kind}/{first[0]['id']}")
        assert status == 200 and info["id"] == first[0]["id"] and "siblings" in info


async def test_revisions(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    base = f"{lh.url}/api/models/google-bert/bert-base-uncased"
    _, main, _ = await get_json(session, base)
    _, same, _ = await get_json(session, f"{base}/revision/main")
    assert same == main
    _, by_sha, _ = await get_json(session, f"{base}/revision/{main['sha']}")
    assert by_sha["sha"] == main["sha"]
    status, pr, _ = await get_json(session, f"{base}/revision/refs%2Fpr%2F1")
    assert status == 200 and pr["id"] == main["id"] and pr["sha"] != main["sha"]
    status, _, _ = await get_json(session, f"{base}/revision/refs/pr/1")
    assert status == 404  # an unencoded slash is another path, as on the Hub
    status, body, resp = await get_json(session, f"{base}/revision/nope")
    assert status == 404
    assert resp.headers["X-Error-Code"] == "RevisionNotFound"
    assert body == {"error": "Invalid rev id: nope"}
    status, _, _ = await get_json(
        session, f"{lh.url}/api/datasets/ibm/duorc/revision/refs%2Fconvert%2Fparquet"
    )
    assert status == 200


async def test_renamed_repo_redirects_with_307_keeping_the_query(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{lh.url}/api/models/bert-base-uncased", allow_redirects=False) as r:
        assert r.status == 307
        assert r.headers["Location"] == "/api/models/google-bert/bert-base-uncased"
        assert r.headers["Vary"] == "Origin, Accept"
        assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert (
            await r.text()
            == "Temporary Redirect. Redirecting to /api/models/google-bert/bert-base-uncased"
        )
    url = (
        f"{lh.url}/api/models/meta-llama/Meta-Llama-3.1-8B-Instruct?expand=inferenceProviderMapping"
    )
    async with session.get(url, allow_redirects=False) as r:
        assert r.status == 307
        assert r.headers["Location"] == (
            "/api/models/meta-llama/Llama-3.1-8B-Instruct?expand=inferenceProviderMapping"
        )
    status, body, _ = await get_json(session, url)  # followed
    assert status == 200
    assert body == recording(
        MODEL_INFO + "expand_inferenceProviderMapping__meta-llama_Llama-3.1-8B-Instruct.body.json"
    )


async def test_missing_repo_anonymous_401_authenticated_404(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    status, body, resp = await get_json(session, f"{lh.url}/api/models/nobody/nothing")
    assert status == 401
    assert body == {"error": "Invalid username or password."}
    assert resp.headers["X-Error-Message"] == "Invalid username or password."
    assert "X-Error-Code" not in resp.headers
    assert resp.headers["WWW-Authenticate"].startswith("Bearer realm=")
    status, _, resp = await get_json(session, f"{lh.url}/api/datasets/nobody/nothing", headers=AUTH)
    assert status == 404
    assert resp.headers["X-Error-Code"] == "RepoNotFound"


async def test_bad_token_is_a_401(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    for header in ("Bearer hf_wrong", "Basic abc", "Bearer "):
        status, body, resp = await get_json(
            session, f"{lh.url}/api/models", headers={"Authorization": header}
        )
        assert status == 401
        assert body == {"error": "Invalid credentials in Authorization header"}
        assert "X-Error-Code" not in resp.headers


async def test_gated_repos_are_readable(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    status, body, _ = await get_json(
        session, f"{lh.url}/api/models/meta-llama/Llama-3.1-8B-Instruct"
    )
    assert status == 200 and body["gated"] == "manual"
    items, _ = await walk(session, f"{lh.url}/api/models?expand=gated")
    assert {"manual", "auto"} <= {i.get("gated") for i in items}
    gated, _ = await walk(session, f"{lh.url}/api/models?gated=true&full=true")
    assert gated and all(i["gated"] for i in gated)


async def test_private_repos_are_visible_only_to_their_owner(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    items, _ = await walk(session, f"{lh.url}/api/models?author=demo", headers=AUTH)
    private = [i["id"] for i in items if i["private"]]
    assert private and all(i.startswith("demo/") for i in private)
    status, _, _ = await get_json(session, f"{lh.url}/api/models/{private[0]}")
    assert status == 401
    status, body, _ = await get_json(session, f"{lh.url}/api/models/{private[0]}", headers=AUTH)
    assert status == 200 and body["private"] is True
    anonymous, _ = await walk(session, f"{lh.url}/api/models?author=demo")
    assert {i["id"] for i in anonymous} == {i["id"] for i in items} - set(private)


async def test_whoami(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    status, body, _ = await get_json(session, f"{lh.url}/api/whoami-v2", headers=AUTH)
    assert status == 200
    assert body["name"] == "demo"
    assert [o["name"] for o in body["orgs"]] == ["demo-org"]
    status, _, _ = await get_json(session, f"{lh.url}/api/whoami-v2")
    assert status == 401


async def test_unknown_routes_are_404(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    for path in ("/", "/api/nothing", "/api/models/google-bert/bert-base-uncased/tree/main"):
        status, body, _ = await get_json(session, f"{lh.url}{path}")
        assert status == 404 and "error" in body
    async with session.post(f"{lh.url}/api/models") as resp:
        assert resp.status == 404


async def test_head_answers_headers_only(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    async with session.head(f"{lh.url}/api/models?limit=2") as resp:
        assert resp.status == 200
        assert "Link" in resp.headers and await resp.read() == b""


# -- datasets: parquet and croissant ------------------------------------------------------
async def test_parquet_three_shapes(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    base = f"{lh.url}/api/datasets/ibm/duorc/parquet"
    expected = json.loads(
        json.dumps(recording("datasets/parquet__ibm_duorc__docs_example.body.json")).replace(
            "https://hf-mirror.492719920.workers.dev.", lh.url
        )
    )
    _, body, _ = await get_json(session, base)
    assert body == expected
    _, body, _ = await get_json(session, f"{base}/ParaphraseRC")
    assert body == expected["ParaphraseRC"]
    _, body, _ = await get_json(session, f"{base}/ParaphraseRC/train")
    assert body == [f"{lh.url}/api/datasets/ibm/duorc/parquet/ParaphraseRC/train/0.parquet"]
    for missing in ("/Nope", "/ParaphraseRC/nope", "/ParaphraseRC/train/7.parquet"):
        status, _, _ = await get_json(session, base + missing)
        assert status == 404
    status, _, _ = await get_json(session, f"{lh.url}/api/datasets/Bryceee/MM-Oral/parquet")
    assert status == 404  # no parquet export (see its croissant)


async def test_shard_redirects_to_the_cdn_which_honours_ranges(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    _, layout, _ = await get_json(session, f"{lh.url}/api/datasets/ibm/duorc/parquet")
    shard = layout["SelfRC"]["test"][0]
    async with session.get(shard, allow_redirects=False) as resp:
        assert resp.status == 302
        location = resp.headers["Location"]
    assert location.startswith(lh.cdn_url + "/")
    assert urlsplit(location).port != urlsplit(lh.url).port
    async with session.get(shard) as resp:  # followed
        assert resp.status == 200
        assert str(resp.url).startswith(lh.cdn_url)
        data = await resp.read()
        assert int(resp.headers["Content-Length"]) == len(data)
        assert resp.headers["Accept-Ranges"] == "bytes"
        assert "RateLimit" not in resp.headers
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    async with session.get(location, headers={"Range": "bytes=100-"}) as resp:
        assert resp.status == 206
        assert resp.headers["Content-Range"] == f"bytes 100-{len(data) - 1}/{len(data)}"
        assert await resp.read() == data[100:]
    async with session.get(location, headers={"Range": "bytes=10-19"}) as resp:
        assert resp.status == 206 and await resp.read() == data[10:20]
    async with session.get(location, headers={"Range": f"bytes={len(data)}-"}) as resp:
        assert resp.status == 416
    async with session.get(location.replace("Signature=", "Signature=0")) as resp:
        assert resp.status == 403
    assert [r.origin for r in lh.requests][-7:] == ["hub", "hub", "cdn"] + ["cdn"] * 4


async def test_generated_dataset_parquet_and_croissant(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    _, first, _ = await get_json(session, f"{lh.url}/api/datasets?limit=1")
    base = f"{lh.url}/api/datasets/{first[0]['id']}"
    _, layout, _ = await get_json(session, f"{base}/parquet")
    assert layout
    subset = next(iter(layout))
    _, splits, _ = await get_json(session, f"{base}/parquet/{subset}")
    assert splits == layout[subset]
    _, urls, _ = await get_json(session, f"{base}/parquet/{subset}/train")
    assert urls == layout[subset]["train"]
    async with session.get(urls[-1]) as resp:
        assert resp.status == 200 and (await resp.read())[:4] == b"PAR1"
    _, croissant, _ = await get_json(session, f"{base}/croissant")
    assert croissant["@type"] == "sc:Dataset"
    assert (
        croissant["@context"]
        == recording("datasets/croissant__Bryceee_MM-Oral.body.json")["@context"]
    )
    assert [r["@id"] for r in croissant["recordSet"]] == list(layout)


async def test_recorded_croissant(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    _, body, _ = await get_json(session, f"{lh.url}/api/datasets/Bryceee/MM-Oral/croissant")
    assert body == recording("datasets/croissant__Bryceee_MM-Oral.body.json")
    _, body, _ = await get_json(session, f"{lh.url}/api/datasets/ibm/duorc/croissant")
    assert body == recording("datasets/croissant__ibm_duorc__docs_example.body.json")


async def test_without_cdn_shards_are_served_directly(session: aiohttp.ClientSession) -> None:
    async with LocalHub(models=1, datasets=1, spaces=1, cdn=False) as url:
        shard = f"{url}/api/datasets/ibm/duorc/parquet/SelfRC/test/0.parquet"
        async with session.get(shard, allow_redirects=False) as resp:
            assert resp.status == 200 and (await resp.read())[:4] == b"PAR1"


# -- tags by type ---------------------------------------------------------------------------
async def test_tags_by_type_are_filterable(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    for kind in ("models", "datasets"):
        _, tags, _ = await get_json(session, f"{lh.url}/api/{kind}-tags-by-type")
        assert tags and all(
            {"id", "label", "type"} <= set(t) and t["type"] == group
            for group, entries in tags.items()
            for t in entries
        )
        some = next(iter(tags.values()))[0]["id"]
        items, _ = await walk(session, f"{lh.url}/api/{kind}?filter={some}&expand=tags")
        assert all(some in i["tags"] or f"language:{some}" in i["tags"] for i in items)
    _, tags, _ = await get_json(session, f"{lh.url}/api/models-tags-by-type")
    assert {"pipeline_tag", "library", "license", "language"} <= set(tags)


# -- rate limits ------------------------------------------------------------------------------
async def test_rate_limit_headers_and_429(session: aiohttp.ClientSession) -> None:
    async with LocalHub(models=5, datasets=1, spaces=1, rate_limit=(3, 300)) as url:
        seen = []
        for _ in range(3):
            async with session.get(f"{url}/api/models", headers=AUTH) as resp:
                assert resp.status == 200
                seen.append(resp.headers["RateLimit"])
                assert resp.headers["RateLimit-Policy"] == '"fixed window";"api";q=3;w=300'
        assert [s.split(";")[1] for s in seen] == ["r=2", "r=1", "r=0"]
        status, body, resp = await get_json(session, f"{url}/api/models", headers=AUTH)
        assert status == 429
        assert body["error"].startswith(
            "We had to rate limit you, you hit the quota of 3 api requests per 5 minutes period."
        )
        assert resp.headers["X-Error-Message"] == body["error"]
        assert re.fullmatch(r'"api";r=0;t=\d+', resp.headers["RateLimit"])
        # Anonymous callers count per IP, apart from the token.
        status, body, _ = await get_json(session, f"{url}/api/models")
        assert status == 200
        for _ in range(2):
            await get_json(session, f"{url}/api/models")
        status, body, _ = await get_json(session, f"{url}/api/models")
        assert status == 429 and "We had to rate limit your IP (127.0.0.1)" in body["error"]
        # Other buckets have their own count.
        status, _, resp = await get_json(session, f"{url}/somewhere", headers=AUTH)
        assert status == 404 and resp.headers["RateLimit"].startswith('"pages";r=2;')


async def test_rate_limit_window_and_reset(session: aiohttp.ClientSession) -> None:
    server = LocalHub(models=5, datasets=1, spaces=1, rate_limit=(1, 0.5))
    async with server as url:
        assert (await get_json(session, f"{url}/api/models", headers=AUTH))[0] == 200
        status, body, _ = await get_json(session, f"{url}/api/models", headers=AUTH)
        assert status == 429 and "per 0.5 seconds period" in body["error"]
        server.reset_rate_limits()
        assert (await get_json(session, f"{url}/api/models", headers=AUTH))[0] == 200
        await asyncio.sleep(0.6)
        assert (await get_json(session, f"{url}/api/models", headers=AUTH))[0] == 200


def test_parse_rate_limit() -> None:
    assert parse_rate_limit("1000/300") == (1000, 300.0)
    assert parse_rate_limit("10") == (10, 300.0)
    for bad in ("x/3", "0/3", "5/0", "5/", ""):
        with pytest.raises(ValueError, match="QUOTA/SECONDS"):
            parse_rate_limit(bad)


# -- faults -------------------------------------------------------------------------------------
async def test_status_fault(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    fault = lh.faults.add(
        Fault(
            kind="status", status=503, headers={"Retry-After": "1"}, path=r"^/api/models$", times=1
        )
    )
    status, body, resp = await get_json(session, f"{lh.url}/api/models")
    assert status == 503 and resp.headers["Retry-After"] == "1"
    assert body == {"error": "Service Unavailable"}
    assert "RateLimit" not in resp.headers and "X-Request-Id" in resp.headers
    assert (await get_json(session, f"{lh.url}/api/models"))[0] == 200
    assert fault.fired == 1 and fault.matched == 2 and lh.faults.fired == 1
    lh.faults.add(
        Fault(kind="status", status=429, body="slow down", headers={"RateLimit": '"api";r=0;t=3'})
    )
    async with session.get(f"{lh.url}/api/models") as resp:
        assert resp.status == 429 and await resp.text() == "slow down"
        assert resp.headers["RateLimit"] == '"api";r=0;t=3'


async def test_reset_fault_drops_the_connection(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    fault = lh.faults.add(Fault(kind="reset", path=r"^/api/models$"))
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await get_json(session, f"{lh.url}/api/models")
    assert fault.fired == 2  # aiohttp resends an idempotent request once by itself
    lh.faults.clear()
    assert (await get_json(session, f"{lh.url}/api/models"))[0] == 200


async def test_truncate_fault_cuts_the_body(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    lh.faults.add(Fault(kind="truncate", path=r"^/api/models$", times=1))
    async with session.get(f"{lh.url}/api/models") as resp:
        assert resp.status == 200
        assert int(resp.headers["Content-Length"]) > 0
        with pytest.raises(aiohttp.ClientPayloadError):
            await resp.read()


async def test_truncate_fault_on_the_cdn(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    fault = lh.faults.add(Fault(kind="truncate", origin="cdn", times=1))
    shard = f"{lh.url}/api/datasets/ibm/duorc/parquet/SelfRC/train/0.parquet"
    async with session.get(shard) as resp:
        assert resp.status == 200
        with pytest.raises(aiohttp.ClientPayloadError):
            await resp.read()
    assert fault.fired == 1
    assert [r.origin for r in lh.requests] == ["hub", "cdn"]


async def test_stall_fault_trips_a_client_timeout(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    lh.faults.add(Fault(kind="stall", delay=1.0, path=r"^/api/models/", times=1))
    timeout = aiohttp.ClientTimeout(total=0.2)
    with pytest.raises(asyncio.TimeoutError):
        await get_json(session, f"{lh.url}/api/models/gpt2", timeout=timeout)
    lh.faults.add(Fault(kind="stall", delay=0.1, path=r"^/api/models/", times=1))
    started = time.monotonic()
    assert (await get_json(session, f"{lh.url}/api/models/gpt2"))[0] == 200
    assert time.monotonic() - started >= 0.1


async def test_html_and_bad_json_faults(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    lh.faults.add(Fault(kind="html", status=502, times=1))
    async with session.get(f"{lh.url}/api/models") as resp:
        assert resp.status == 502
        assert resp.headers["Content-Type"].startswith("text/html")
        assert "502 Bad Gateway" in await resp.text()
    lh.faults.add(Fault(kind="html", status=200, times=1))
    async with session.get(f"{lh.url}/api/models") as resp:
        assert resp.status == 200 and resp.content_type == "text/html"
    lh.faults.add(Fault(kind="bad_json", times=1))
    async with session.get(f"{lh.url}/api/models") as resp:
        assert resp.status == 200 and resp.content_type == "application/json"
        text = await resp.text()
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


async def test_nth_times_rate_method_and_origin(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    nth = lh.faults.add(Fault(kind="status", status=500, path=r"^/api/spaces$", nth={2, 4}))
    statuses = [(await get_json(session, f"{lh.url}/api/spaces"))[0] for _ in range(5)]
    assert statuses == [200, 500, 200, 500, 200] and nth.fired == 2 and nth.matched == 5
    times = lh.faults.add(Fault(kind="status", status=502, path=r"^/api/datasets$", times=2))
    statuses = [(await get_json(session, f"{lh.url}/api/datasets"))[0] for _ in range(4)]
    assert statuses == [502, 502, 200, 200] and times.fired == 2
    head_only = lh.faults.add(Fault(kind="status", status=500, method="HEAD"))
    assert (await get_json(session, f"{lh.url}/api/models?limit=1"))[0] == 200
    async with session.head(f"{lh.url}/api/models?limit=1") as resp:
        assert resp.status == 500
    lh.faults.remove(head_only)
    cdn_only = lh.faults.add(Fault(kind="status", status=500, origin="cdn"))
    assert (await get_json(session, f"{lh.url}/api/models?limit=1"))[0] == 200
    assert cdn_only.matched == 0
    lh.faults.clear()

    async def fired_for(seed: int) -> list[int]:
        server = LocalHub(models=3, datasets=1, spaces=1, seed=seed)
        async with server as url:
            server.faults.add(Fault(kind="status", status=500, rate=0.5))
            return [(await get_json(session, f"{url}/api/models"))[0] for _ in range(20)]

    first, again = await fired_for(7), await fired_for(7)
    assert first == again  # seeded
    assert 0 < first.count(500) < 20


async def test_max_per_request_bounds_the_faults_of_each_request(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    lh.faults.max_per_request = 2
    always = lh.faults.add(Fault(kind="status", status=500, path=r"^/api/models$"))
    also = lh.faults.add(Fault(kind="status", status=503, path=r"^/api/models$"))
    first = [(await get_json(session, f"{lh.url}/api/models?limit=1"))[0] for _ in range(4)]
    # Another query is another request: its own budget of two faults.
    other = [(await get_json(session, f"{lh.url}/api/models?limit=2"))[0] for _ in range(3)]
    assert first == [500, 500, 200, 200]
    assert other == [500, 500, 200]
    assert always.fired == 4 and also.fired == 0  # the first eligible fault fires
    assert always.matched == also.matched == 7  # capped requests still count as matched
    lh.faults.clear()  # forgets the spent budgets too
    lh.faults.add(Fault(kind="status", status=500, path=r"^/api/models$", times=1))
    assert (await get_json(session, f"{lh.url}/api/models?limit=1"))[0] == 500


def test_fault_validation() -> None:
    with pytest.raises(ValueError, match="kind"):
        Fault(kind="explode")
    with pytest.raises(ValueError, match="origin"):
        Fault(kind="reset", origin="mars")
    with pytest.raises(ValueError, match="delay"):
        Fault(kind="stall")
    with pytest.raises(ValueError, match="probability"):
        Fault(kind="reset", rate=2)


async def test_requests_are_recorded(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    await get_json(
        session,
        f"{lh.url}/api/models/openai-community/gpt2/revision/refs%2Fpr%2F1?expand=sha",
        headers=AUTH,
    )
    async with session.get(f"{lh.url}/api/datasets/ibm/duorc/parquet/SelfRC/test/0.parquet") as r:
        assert r.status == 200
    first, second, third = lh.requests
    assert (first.method, first.path, first.query_string, first.origin, first.number) == (
        "GET", "/api/models/openai-community/gpt2/revision/refs%2Fpr%2F1", "expand=sha", "hub", 1,
    )  # fmt: skip
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert (second.origin, third.origin, third.number) == ("hub", "cdn", 3)
    assert parse_qs(third.query_string).keys() == {"Expires", "Signature"}


# -- ways to run it -------------------------------------------------------------------------------
def _sync_get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as resp:  # loopback only
        return resp.status, resp.read()


def test_thread_mode() -> None:
    server = LocalHub(models=10, datasets=1, spaces=1)
    with server.in_thread() as url:
        assert url == server.url and server.running
        status, body = _sync_get(f"{url}/api/models?limit=2")
        assert status == 200 and len(json.loads(body)) == 2
    assert not server.running
    url = server.start_in_thread()
    try:
        assert _sync_get(f"{url}/api/models/gpt2")[0] == 200
    finally:
        server.stop_thread()
    server.stop_thread()  # idempotent
    with LocalHub(models=1, datasets=1, spaces=1) as url:
        assert _sync_get(f"{url}/api/spaces")[0] == 200


async def test_thread_mode_from_async_code(session: aiohttp.ClientSession) -> None:
    server = LocalHub(models=10, datasets=1, spaces=1)
    url = server.start_in_thread()
    try:
        server.faults.add(Fault(kind="status", status=500, times=1))
        assert (await get_json(session, f"{url}/api/models"))[0] == 500
        assert (await get_json(session, f"{url}/api/models"))[0] == 200
    finally:
        await server.stop()  # from another loop: stops the thread without blocking this one
    assert not server.running


@pytest.mark.parametrize("n", [0, 1, 10])
async def test_tiny_hubs(session: aiohttp.ClientSession, n: int) -> None:
    async with LocalHub(models=n, datasets=n, spaces=n) as url:
        for kind in ("models", "datasets", "spaces"):
            for query in ("", "?sort=id&direction=1", "?author=demo", "?filter=license:mit"):
                items, _ = await walk(session, f"{url}/api/{kind}{query}", headers=AUTH)
                assert len(items) <= n + 7


async def test_start_twice_is_refused_and_stop_closes_stalled_connections(
    session: aiohttp.ClientSession,
) -> None:
    server = LocalHub(models=2, datasets=1, spaces=1)
    await server.start()
    with pytest.raises(RuntimeError, match="already running"):
        await server.start()
    server.faults.add(Fault(kind="stall", delay=30))
    pending = asyncio.create_task(get_json(session, f"{server.url}/api/models"))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await server.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(aiohttp.ClientError):
        await pending


def test_serve_runs_until_stopped() -> None:
    stop = threading.Event()
    lines: list[str] = []
    thread = threading.Thread(
        target=serve,
        kwargs={"port": 0, "models": 5, "datasets": 1, "spaces": 1, "rate_limit": "50/60",
                "stop": stop, "announce": lines.append},
    )  # fmt: skip
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not lines and time.monotonic() < deadline:
            time.sleep(0.01)
        url = re.search(r"http://127\.0\.0\.1:\d+", lines[0])
        assert url is not None
        status, _ = _sync_get(f"{url.group(0)}/api/models")
        assert status == 200
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


async def test_same_seed_same_bytes(session: aiohttp.ClientSession) -> None:
    async def snapshot(seed: int) -> list[bytes]:
        out = []
        async with LocalHub(models=500, datasets=20, spaces=20, seed=seed) as url:
            for path in (
                "/api/models?limit=50&full=true",
                "/api/datasets?sort=likes",
                "/api/spaces",
            ):
                async with session.get(url + path) as resp:
                    out.append(await resp.read())
            async with session.get(f"{url}/api/models?limit=1") as resp:
                first = (await resp.json())[0]["id"]
            async with session.get(f"{url}/api/models/{first}") as resp:
                out.append(await resp.read())
        return out

    assert await snapshot(3) == await snapshot(3)
    assert (await snapshot(4))[0] != (await snapshot(3))[0]


async def test_a_million_models(session: aiohttp.ClientSession) -> None:
    server = LocalHub(models=1_000_000, datasets=1, spaces=1, record_requests=False)
    async with server as url:
        started = time.perf_counter()
        _, items, resp = await get_json(session, f"{url}/api/models")
        first_page = time.perf_counter() - started
        assert len(items) == 1000 and "Link" in resp.headers
        _, nxt, _ = await get_json(session, resp.links["next"]["url"])
        assert len(nxt) == 1000 and not {i["id"] for i in items} & {i["id"] for i in nxt}
        started = time.perf_counter()
        _, google, _ = await get_json(session, f"{url}/api/models?author=google&limit=100")
        author_page = time.perf_counter() - started  # sorts google's 100k repos once
        assert len(google) == 100 and all(i["id"].startswith("google/") for i in google)
        started = time.perf_counter()
        _, google, _ = await get_json(session, f"{url}/api/models?author=google&sort=id&limit=100")
        id_page = time.perf_counter() - started
        assert len(google) == 100 and all(i["id"].startswith("google/") for i in google)
        _, info, _ = await get_json(session, f"{url}/api/models/{google[-1]['id']}")
        assert info["id"] == google[-1]["id"]
    print(
        f"1M models: first page {first_page:.3f} s, author pages {author_page:.3f} s (first"
        f" sorted by trendingScore), {id_page:.3f} s (sorted by id)"
    )


# -- the pytest plugin, in a strict-mode pytest-asyncio suite ------------------------------

_PLUGIN_USER_TESTS = """
import urllib.request

import aiohttp
import pytest

from hubapi_async.testing import Fault


def test_sync_test(local_hub_url):
    with urllib.request.urlopen(local_hub_url + "/api/models?limit=1", timeout=5) as resp:
        assert resp.status == 200


@pytest.mark.asyncio
async def test_async_test_in_strict_mode(local_hub):
    local_hub.faults.add(Fault(kind="status", status=503, times=1))
    async with aiohttp.ClientSession() as session:
        async with session.get(local_hub.url + "/api/models") as resp:
            assert resp.status == 503
        async with session.get(local_hub.url + "/api/models") as resp:
            assert resp.status == 200


@pytest.mark.local_hub(models=7, datasets=1, spaces=1, rate_limit=(1, 60))
def test_marker_configures_the_hub(local_hub):
    assert local_hub.stores["model"].gen.n == 7
    assert local_hub.rate_limiter.quota == 1


def test_factory(local_hub_factory):
    first, second = local_hub_factory(models=1), local_hub_factory(models=2)
    assert first.url != second.url and first.running and second.running
"""


def test_pytest_plugin_in_a_strict_mode_suite(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["hubapi_async.testing.pytest_plugin"]\n')
    pytester.makeini(
        "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n"
        "addopts = --strict-markers\nfilterwarnings = error\n"
    )
    pytester.makepyfile(test_user_suite=_PLUGIN_USER_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


# -- generated data, without a server --------------------------------------------------------
@pytest.mark.parametrize("kind", ["model", "dataset", "space"])
@pytest.mark.parametrize("n", [1, 7, 300, 20_000])
def test_generated_ids_are_sorted_unique_and_resolvable(kind: str, n: int) -> None:
    gen = LocalHub(models=n, datasets=n, spaces=n).stores[kind].gen
    ids = [gen.repo_id(i) for i in range(n)]
    assert ids == sorted(ids)
    assert len(set(ids)) == n
    step = max(1, n // 300)
    assert all(gen.index_of(ids[i]) == i for i in range(0, n, step))
    assert gen.index_of(ids[-1] + "-9") is None and gen.index_of("google/a-b-c") is None
    assert {i.split("/")[0] for i in ids} <= {a for a, _ in _vocab.AUTHORS}


async def test_delay_applies_before_other_kinds(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    lh.faults.add(Fault(kind="status", status=500, delay=0.2, times=1))
    started = time.monotonic()
    assert (await get_json(session, f"{lh.url}/api/models"))[0] == 500
    assert time.monotonic() - started >= 0.2

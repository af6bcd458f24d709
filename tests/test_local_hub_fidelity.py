"""The local Hub's read side as the official clients use it: revisions, every sort, every
filter (checked against the whole listing filtered here), strict parameters, file
metadata and security scans."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from hubapi_async.testing import LocalHub
from hubapi_async.testing._serving import apps_for, live_providers

TOKEN = "hf_local_token"


@pytest.fixture(scope="module")
def hub() -> Any:
    server = LocalHub(models=600, datasets=120, spaces=150)
    with server.in_thread():
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {TOKEN}"}) as s:
        yield s


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, Any]:
    async with session.get(url) as resp:
        return resp.status, json.loads(await resp.read())


async def walk(session: aiohttp.ClientSession, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        async with session.get(next_url) as resp:
            assert resp.status == 200, await resp.text()
            items += await resp.json()
            link = resp.links.get("next")
            next_url = str(link["url"]) if link else None
    return items


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


# -- revisions ------------------------------------------------------------------------------
async def test_head_and_known_shas_are_revisions(hub: LocalHub, session: Any) -> None:
    base = f"{hub.url}/api/models/openai-community/gpt2"
    _, main = await get(session, base)
    for revision in ("HEAD", "main", main["sha"]):
        status, body = await get(session, f"{base}/revision/{revision}")
        assert status == 200 and body == main, revision
    _, pr = await get(session, f"{base}/revision/refs%2Fpr%2F1")
    status, by_sha = await get(session, f"{base}/revision/{pr['sha']}")
    assert status == 200 and by_sha["sha"] == pr["sha"] != main["sha"]
    status, body = await get(session, f"{base}/revision/{'0' * 40}")
    assert status == 404 and body == {"error": f"Invalid rev id: {'0' * 40}"}
    _, first = await get(session, f"{hub.url}/api/spaces?limit=1")
    status, space = await get(session, f"{hub.url}/api/spaces/{first[0]['id']}/revision/HEAD")
    assert status == 200 and space["id"] == first[0]["id"]


# -- sorts ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "sort"),
    [
        ("models", "likes30d"),
        ("models", "num_parameters"),
        ("models", "mainSize"),
        ("datasets", "likes30d"),
        ("datasets", "mainSize"),
        ("datasets", "datasetsServerInfo.numRows"),
        ("spaces", "likes30d"),
        ("spaces", "mainSize"),
    ],
)
async def test_new_sorts_page_through_every_repo(
    hub: LocalHub, session: Any, kind: str, sort: str
) -> None:
    total = hub.count(kind[:-1])
    desc = await walk(session, f"{hub.url}/api/{kind}?sort={sort}&limit=37&expand=trendingScore")
    asc = await walk(session, f"{hub.url}/api/{kind}?sort={sort}&direction=1&limit=53")
    assert len(desc) == len(set(ids(desc))) == total
    assert ids(asc) == ids(desc)[::-1]
    if sort == "likes30d":  # recent likes drive the trending score
        gen = hub.stores[kind[:-1]].gen
        scores = [i["trendingScore"] for i in desc if gen.index_of(i["id"]) is not None]
        assert scores == sorted(scores, reverse=True)


async def test_sort_values_are_observable_where_the_hub_shows_them(
    hub: LocalHub, session: Any
) -> None:
    models = await walk(
        session, f"{hub.url}/api/models?sort=num_parameters&expand=safetensors&expand=gguf"
    )
    counts = [(m.get("safetensors") or m.get("gguf") or {}).get("total", 0) for m in models]
    assert counts == sorted(counts, reverse=True) and counts[0] > 60e9 and counts[-1] == 0
    datasets = await walk(session, f"{hub.url}/api/datasets?sort=mainSize&expand=mainSize")
    sizes = [d["mainSize"] for d in datasets]
    assert sizes == sorted(sizes, reverse=True)
    rows = await walk(
        session, f"{hub.url}/api/datasets?sort=datasetsServerInfo.numRows&direction=1&expand=tags"
    )
    order = ["n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M"]
    order.append("100M<n<1B")
    cats = [next(t.split(":", 1)[1] for t in d["tags"] if t.startswith("size_c")) for d in rows]
    assert [order.index(c) for c in cats] == sorted(order.index(c) for c in cats)


async def test_unknown_sort_and_expand_are_the_hubs_400(hub: LocalHub, session: Any) -> None:
    for url, needle in [
        ("/api/models?sort=numRows", "Invalid sort parameter: numRows"),
        ("/api/spaces?sort=downloads", "Invalid sort parameter: downloads"),
        ("/api/spaces?sort=num_parameters", "Invalid sort parameter"),
        ("/api/models?expand=nope", '"expand" must be one of'),
        ("/api/models/openai-community/gpt2?expand=nope", '"expand" must be one of'),
    ]:
        status, body = await get(session, hub.url + url)
        assert status == 400 and needle in body["error"], url


# -- filters, each checked against the whole listing ----------------------------------------
async def everything(hub: LocalHub, session: Any, kind: str, *fields: str) -> list[Any]:
    query = "&".join(f"expand={f}" for f in fields)
    return await walk(session, f"{hub.url}/api/{kind}?sort=id&{query}")


async def test_apps_filter(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "models", "library_name", "pipeline_tag", "tags")

    def runs(m: dict[str, Any], apps: set[str]) -> bool:
        return bool(apps_for(m.get("library_name"), m.get("pipeline_tag"), m["tags"]) & apps)

    for query, apps in [
        ("apps=ollama", {"ollama"}),
        ("apps=vllm&apps=mlx-lm", {"vllm", "mlx-lm"}),
        ("apps=vllm,mlx-lm", {"vllm", "mlx-lm"}),
        ("apps=drawthings", {"drawthings"}),
        ("apps=no-such-app", {"no-such-app"}),
    ]:
        got = await walk(session, f"{hub.url}/api/models?sort=id&{query}")
        expected = [m["id"] for m in every if runs(m, apps)]
        assert ids(got) == expected, query
        assert expected or apps == {"no-such-app"}, query


async def test_inference_filters(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "models", "inference", "inferenceProviderMapping")
    warm = await walk(session, f"{hub.url}/api/models?sort=id&inference=warm")
    assert ids(warm) == [m["id"] for m in every if m.get("inference") == "warm"] != []
    for query, wanted in [
        ("inference_provider=fal-ai", {"fal-ai"}),
        ("inference_provider=together&inference_provider=groq", {"together", "groq"}),
        ("inference_provider=together,groq", {"together", "groq"}),
        ("inference_provider=all", None),
    ]:
        got = await walk(session, f"{hub.url}/api/models?sort=id&{query}")
        expected = []
        for m in every:
            live = live_providers(m.get("inferenceProviderMapping"))
            if live if wanted is None else live & wanted:
                expected.append(m["id"])
        assert ids(got) == expected != [], query
    assert all(isinstance(m.get("inferenceProviderMapping", []), list) for m in every)
    status, body = await get(session, f"{hub.url}/api/models?inference=cold")
    assert status == 400 and "inference" in body["error"]


async def test_num_parameters_ranges(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "models", "safetensors", "gguf")
    count = {m["id"]: (m.get("safetensors") or m.get("gguf") or {}).get("total", 0) for m in every}
    for query, low, high in [
        ("min:6B,max:9B", 6e9, 9e9),
        ("min:6b", 6e9, 1e18),
        ("max:500M", 1, 5e8),
        ("min:0.3B,max:1.3B", 3e8, 1.3e9),
        ("max:1T", 1, 1e12),
    ]:
        got = await walk(session, f"{hub.url}/api/models?sort=id&num_parameters={query}")
        expected = [i for i, c in count.items() if c and low <= c <= high]
        assert ids(got) == expected != [], query
    for bad in ("lots", "min:6B,min:7B", "min:9B,max:6B", "between:1B", ""):
        status, body = await get(session, f"{hub.url}/api/models?num_parameters={bad}")
        assert status == 400 and "num_parameters" in body["error"], bad


async def test_gated_search_and_trained_dataset(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "models", "gated", "tags")
    for value, want in (("true", True), ("True", True), ("false", False)):
        got = await walk(session, f"{hub.url}/api/models?sort=id&gated={value}")
        assert ids(got) == [m["id"] for m in every if bool(m["gated"]) is want] != []
    status, _ = await get(session, f"{hub.url}/api/models?gated=perhaps")
    assert status == 400
    got = await walk(session, f"{hub.url}/api/models?sort=id&filter=dataset:imdb")
    assert ids(got) == [m["id"] for m in every if "dataset:imdb" in m["tags"]] != []
    both = await walk(session, f"{hub.url}/api/models?sort=id&search=bert&search=base")
    lowered = [(m["id"], m["id"].lower()) for m in every]
    assert ids(both) == [i for i, low in lowered if "bert" in low and "base" in low]
    assert "google-bert/bert-base-uncased" in ids(both)


async def test_dataset_card_tags_and_benchmarks(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "datasets", "tags", "cardData")
    tags = {t for d in every for t in d["tags"]}
    assert {"benchmark:official", "multilinguality:monolingual"} <= tags
    assert any(t.startswith("task_ids:") for t in tags)
    assert any(t.startswith("language_creators:") for t in tags)
    for tag in ("benchmark:official", "task_ids:extractive-qa", "multilinguality:monolingual"):
        got = await walk(session, f"{hub.url}/api/datasets?sort=id&filter={tag}")
        assert ids(got) == [d["id"] for d in every if tag in d["tags"]] != [], tag
    with_ids = next(d for d in every if any(t.startswith("task_ids:") for t in d["tags"]))
    assert with_ids["cardData"]["task_ids"]


async def test_space_links(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "spaces", "models", "datasets", "private")
    linked = await walk(session, f"{hub.url}/api/spaces?sort=id&linked=true")
    assert ids(linked) == [s["id"] for s in every if s["models"] or s["datasets"]]
    assert 0 < len(linked) < len(every)
    unfiltered = await walk(session, f"{hub.url}/api/spaces?sort=id&linked=false")
    assert len(unfiltered) == len(every)
    used = next(s["models"][0] for s in every if s["models"] and "/" in s["models"][0])
    for query in (f"models={used}", f"models={used},openai-community/gpt2"):
        wanted = set(query.removeprefix("models=").split(","))
        got = await walk(session, f"{hub.url}/api/spaces?sort=id&{query}")
        assert ids(got) == [s["id"] for s in every if wanted & set(s["models"])] != []
    dataset = next(d for s in every for d in s["datasets"])
    got = await walk(session, f"{hub.url}/api/spaces?sort=id&datasets={dataset}")
    assert ids(got) == [s["id"] for s in every if dataset in s["datasets"]] != []
    # The model lists the public Spaces that use it; they exist and list it back.
    gen = hub.stores["model"].gen
    generated = next(m for s in every for m in s["models"] if gen.index_of(m) is not None)
    _, model = await get(session, f"{hub.url}/api/models/{generated}")
    users = {s["id"] for s in every if generated in s["models"] and not s["private"]}
    assert set(model["spaces"]) == users != set()
    _, space = await get(session, f"{hub.url}/api/spaces/{next(iter(users))}")
    assert generated in space["models"] and generated in space["cardData"]["models"]


async def test_filters_of_another_kind_and_unknown_params_are_400(
    hub: LocalHub, session: Any
) -> None:
    for url in (
        "/api/models?linked=true",
        "/api/models?models=a/b",
        "/api/datasets?apps=ollama",
        "/api/spaces?num_parameters=min:1B",
        "/api/models?library=transformers",
        "/api/models?blobs=true",
        "/api/models/openai-community/gpt2?full=true",
        "/api/models/openai-community/gpt2/revision/main?limit=3",
        "/api/datasets/ibm/duorc?search=x",
    ):
        status, body = await get(session, hub.url + url)
        name = url.split("?")[1].split("=")[0]
        assert status == 400 and f'"{name}"' in body["error"], url
    harmless = "limit=3&full=true&direction=-1&config=true&cardData=true&sort=likes"
    status, items = await get(session, f"{hub.url}/api/models?{harmless}")
    assert status == 200 and len(items) == 3
    status, _ = await get(session, f"{hub.url}/api/models?full=maybe")
    assert status == 400


# -- info parameters ------------------------------------------------------------------------
async def test_blobs_give_sizes_blob_ids_and_lfs(hub: LocalHub, session: Any) -> None:
    _, first = await get(session, f"{hub.url}/api/models?filter=safetensors&limit=1")
    _, info = await get(session, f"{hub.url}/api/models/{first[0]['id']}?blobs=true")
    files = {s["rfilename"]: s for s in info["siblings"]}
    weights = files["model.safetensors"]
    total = info["safetensors"]["total"]
    per_param = 2 if "BF16" in info["safetensors"]["parameters"] else 4
    assert total * per_param < weights["size"] < total * per_param * 1.01
    lfs = weights["lfs"]
    assert lfs["size"] == weights["size"] and len(lfs["sha256"]) == 64
    pointer = (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{lfs['sha256']}\n"
        f"size {lfs['size']}\n"
    ).encode()
    assert lfs["pointerSize"] == len(pointer)
    assert weights["blobId"] == hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()
    config = files["config.json"]
    assert "lfs" not in config and 100 < config["size"] < 10_000 and len(config["blobId"]) == 40
    _, plain = await get(session, f"{hub.url}/api/models/{first[0]['id']}")
    assert all(set(s) == {"rfilename"} for s in plain["siblings"])
    _, again = await get(session, f"{hub.url}/api/models/{first[0]['id']}/revision/HEAD?blobs=1")
    assert again["siblings"] == info["siblings"]
    _, duorc = await get(session, f"{hub.url}/api/datasets/ibm/duorc?blobs=true")
    shards = [s for s in duorc["siblings"] if s["rfilename"].endswith(".parquet")]
    assert shards and all(s["lfs"]["size"] == s["size"] > 4096 for s in shards)


async def test_security_status_and_expand_only_fields(hub: LocalHub, session: Any) -> None:
    every = await everything(hub, session, "models", "siblings")
    flagged = None
    for model in every:
        if any(s["rfilename"].endswith(".bin") for s in model["siblings"]):
            _, info = await get(session, f"{hub.url}/api/models/{model['id']}?securityStatus=true")
            status = info["securityRepoStatus"]
            assert status["scansDone"] is True
            assert all(f["level"] in ("caution", "unsafe") for f in status["filesWithIssues"])
            flagged = flagged or (status["filesWithIssues"] and model["id"])
    assert flagged, "some pickle weights are flagged"
    url = f"{hub.url}/api/models/openai-community/gpt2?expand=downloadsAllTime&securityStatus=1"
    _, both = await get(session, url)
    assert set(both) == {"_id", "id", "downloadsAllTime", "securityRepoStatus"}
    for kind, repo in (("models", "openai-community/gpt2"), ("datasets", "ibm/duorc")):
        _, body = await get(session, f"{hub.url}/api/{kind}/{repo}?expand=downloadsAllTime")
        assert body["downloadsAllTime"] > 0, repo
    _, listing = await get(session, f"{hub.url}/api/spaces?expand=gitalyUid&limit=3")
    assert all(len(s["gitalyUid"]) == 64 for s in listing)

"""Thin unit tests of what the resources put on the wire (aioresponses, no server)."""

from __future__ import annotations

from typing import Any

import pytest
from yarl import URL

from hubapi_async import HubClient
from hubapi_async._client import encode_params

from ._mock import Mocked

BASE = "https://hub.test"


def sent_urls(m: Mocked) -> list[URL]:
    return [key[1] for key in m.requests]


def test_encode_params_repeats_lists_and_spells_booleans() -> None:
    assert encode_params(
        {"expand": ["a", "b"], "full": True, "config": False, "limit": 5, "x": None}
    ) == [("expand", "a"), ("expand", "b"), ("full", "true"), ("config", "false"), ("limit", "5")]


async def test_list_parameters_on_the_wire() -> None:
    with Mocked() as m:
        m.get(
            f"{BASE}/api/models?search=bert&author=google&filter=text-classification"
            f"&filter=library:pytorch&sort=downloads&direction=-1&limit=3&full=true",
            payload=[{"_id": "1", "id": "google/bert"}],
        )
        async with HubClient(BASE, token=False) as hub:
            items = [
                x
                async for x in hub.models.list(
                    search="bert",
                    author="google",
                    filter=["text-classification", "library:pytorch"],
                    sort="downloads",
                    direction=-1,
                    limit=3,
                    full=True,
                )
            ]
    assert [i.id for i in items] == ["google/bert"]


async def test_expand_is_repeated_keys() -> None:
    with Mocked() as m:
        m.get(
            f"{BASE}/api/models/google/gemma?expand=downloads&expand=likes",
            payload={"_id": "1", "id": "google/gemma", "downloads": 3, "likes": 2},
        )
        async with HubClient(BASE, token=False) as hub:
            info = await hub.models.info("google/gemma", expand=["downloads", "likes"])
    assert (info.downloads, info.likes, info.sha) == (3, 2, None)


async def test_dataset_tag_conveniences() -> None:
    with Mocked() as m:
        m.get(
            f"{BASE}/api/datasets?filter=task_categories:text-classification"
            f"&filter=language:en&filter=language:fr",
            payload=[],
        )
        async with HubClient(BASE, token=False) as hub:
            got = [
                d
                async for d in hub.datasets.list(
                    task_categories="text-classification", language=["en", "language:fr"]
                )
            ]
    assert got == []


async def test_revision_is_one_percent_encoded_segment() -> None:
    with Mocked() as m:
        m.get(
            f"{BASE}/api/models/org/name/revision/refs%2Fpr%2F1",
            payload={"_id": "1", "id": "org/name"},
        )
        async with HubClient(BASE, token=False) as hub:
            info = await hub.models.info("org/name", revision="refs/pr/1")
        assert info.id == "org/name"
        assert str(sent_urls(m)[0]).endswith("/revision/refs%2Fpr%2F1")


@pytest.mark.parametrize(
    "repo_id",
    [
        "a/b/c",
        "../x",
        "..",
        "",
        "a b",
        "a?b",
        "a#b",
        "a%2Fb",
        "a@b",
        "a\nb",
        "a\x00b",
        "/a",
        "a/",
        "a//b",
        "a--b",
        "a..b",
        "x" * 97,
    ],
)
async def test_invalid_repo_ids_never_reach_the_wire(repo_id: str) -> None:
    with Mocked() as m:
        async with HubClient(BASE, token=False) as hub:
            with pytest.raises(ValueError):
                await hub.models.info(repo_id)
        assert m.requests == {}


@pytest.mark.parametrize("revision", [".", "..", "", "main\n", "a\x00"])
async def test_invalid_revisions_never_reach_the_wire(revision: str) -> None:
    with Mocked() as m:
        async with HubClient(BASE, token=False) as hub:
            with pytest.raises(ValueError):
                await hub.models.info("gpt2", revision=revision)
        assert m.requests == {}


async def test_expand_with_full_is_refused() -> None:
    async with HubClient(BASE, token=False) as hub:
        with pytest.raises(ValueError, match="expand"):
            hub.models.list(expand=["likes"], full=True)


async def test_parquet_shapes_and_paths() -> None:
    shapes: dict[str, Any] = {
        "": {"default": {"train": [f"{BASE}/x/0.parquet"]}},
        "/default": {"train": [f"{BASE}/x/0.parquet"]},
        "/default/train": [f"{BASE}/x/0.parquet"],
    }
    with Mocked() as m:
        for suffix, body in shapes.items():
            m.get(f"{BASE}/api/datasets/ibm/duorc/parquet{suffix}", payload=body)
        async with HubClient(BASE, token=False) as hub:
            assert await hub.datasets.parquet("ibm/duorc") == shapes[""]
            assert await hub.datasets.parquet("ibm/duorc", "default") == shapes["/default"]
            assert (
                await hub.datasets.parquet("ibm/duorc", "default", "train")
                == shapes["/default/train"]
            )
            with pytest.raises(ValueError, match="subset"):
                await hub.datasets.parquet("ibm/duorc", None, "train")  # type: ignore[call-overload]

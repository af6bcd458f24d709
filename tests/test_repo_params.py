"""The listing and info keywords of hub.models/datasets/spaces: the official client's wire
form, the local Hub's filtered answers, and bad values refused before any request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import pytest

from hubapi_async import HubClient
from hubapi_async.testing import LocalHub
from hubapi_async.types import SecurityRepoStatus

TOKEN = "hf_local_token"


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=400, datasets=80, spaces=80)
    async with hub:
        yield hub


@pytest.fixture
async def hub(lh: LocalHub) -> AsyncIterator[HubClient]:
    async with HubClient(lh.url, token=TOKEN) as client:
        yield client


def sent(lh: LocalHub, path: str) -> list[tuple[str, str]]:
    """The query pairs of the last request to ``path``."""
    request = [r for r in lh.requests if r.path == path][-1]
    return parse_qsl(request.query_string, keep_blank_values=True)


async def test_model_keywords_in_the_official_wire_form(hub: HubClient, lh: LocalHub) -> None:
    items = [
        m
        async for m in hub.models.list(
            search="b",
            model_name="a",
            filter="license:mit",
            trained_dataset=["imdb", "dataset:glue"],
            pipeline_tag="text-generation",
            apps=["vllm", "mlx-lm"],
            inference_provider="all",
            inference="warm",
            num_parameters="min:1B, max:80B",
            gated=False,
            card_data=True,
            sort="trending_score",
            limit=5,
        )
    ]
    assert sent(lh, "/api/models") == [
        ("search", "a"),
        ("search", "b"),
        ("filter", "license:mit"),
        ("filter", "dataset:imdb"),
        ("filter", "dataset:glue"),
        ("sort", "trendingScore"),
        ("limit", "5"),
        ("cardData", "true"),
        ("gated", "false"),
        ("pipeline_tag", "text-generation"),
        ("apps", "vllm"),
        ("apps", "mlx-lm"),
        ("inference", "warm"),
        ("inference_provider", "all"),
        ("num_parameters", "min:1B,max:80B"),
    ]
    assert all(m.card_data is not None for m in items)  # whatever matched, with its card


async def test_model_filters_narrow_the_listing(hub: HubClient) -> None:
    gguf = [m async for m in hub.models.list(apps="ollama", limit=20)]
    assert gguf and all(m.library_name == "gguf" for m in gguf)
    warm = [m async for m in hub.models.list(inference="warm", expand=["inference"])]
    assert warm and all(m.inference == "warm" for m in warm)
    served = [
        m
        async for m in hub.models.list(
            inference_provider=["fal-ai", "replicate"], expand=["inferenceProviderMapping"]
        )
    ]
    assert served
    for model in served:
        live = {e.provider for e in model.inference_provider_entries() if e.status == "live"}
        assert live & {"fal-ai", "replicate"}
    big = [m async for m in hub.models.list(num_parameters="min:6B", expand=["safetensors"])]
    assert big and all(m.safetensors is None or (m.safetensors.total or 0) >= 6e9 for m in big)
    ranked = [m async for m in hub.models.list(sort="num_parameters", limit=5, expand=["gguf"])]
    assert len(ranked) == 5
    gated = [m async for m in hub.models.list(gated=True, expand=["gated"])]
    assert gated and all(m.gated for m in gated)
    trained = [m async for m in hub.models.list(trained_dataset="imdb")]
    assert trained and all("dataset:imdb" in (m.tags or []) for m in trained)
    tasks = [m async for m in hub.models.list(pipeline_tag="fill-mask", limit=10)]
    assert tasks and all(m.pipeline_tag == "fill-mask" for m in tasks)


async def test_dataset_and_space_keywords(hub: HubClient, lh: LocalHub) -> None:
    official = [d async for d in hub.datasets.list(benchmark=True, dataset_name="-", gated=False)]
    assert official and all("benchmark:official" in (d.tags or []) for d in official)
    assert sent(lh, "/api/datasets") == [
        ("search", "-"),
        ("filter", "benchmark:official"),
        ("gated", "false"),
    ]
    mono = [d async for d in hub.datasets.list(multilinguality="monolingual", sort="mainSize")]
    assert mono and all("multilinguality:monolingual" in (d.tags or []) for d in mono)
    by_rows = [d async for d in hub.datasets.list(sort="datasetsServerInfo.numRows", limit=3)]
    assert len(by_rows) == 3
    linked = [s async for s in hub.spaces.list(linked=True, expand=["models", "datasets"])]
    assert linked and all(s.models or s.datasets for s in linked)
    assert ("linked", "true") in sent(lh, "/api/spaces")
    gpt2 = [s async for s in hub.spaces.list(models=["openai-community/gpt2"], full=True)]
    assert gpt2 and all("openai-community/gpt2" in (s.card_data or {})["models"] for s in gpt2)
    assert sent(lh, "/api/spaces") == [("full", "true"), ("models", "openai-community/gpt2")]
    duorc = [s async for s in hub.spaces.list(datasets="ibm/duorc", expand=["datasets"])]
    assert all("ibm/duorc" in (s.datasets or []) for s in duorc)
    recent = [s async for s in hub.spaces.list(sort="likes30d", limit=4)]
    assert len(recent) == 4


async def test_info_security_status_and_file_metadata(hub: HubClient, lh: LocalHub) -> None:
    info = await hub.models.info(
        "openai-community/gpt2", revision="HEAD", security_status=True, files_metadata=True
    )
    assert sent(lh, "/api/models/openai-community/gpt2/revision/HEAD") == [
        ("blobs", "true"),
        ("securityStatus", "true"),
    ]
    assert isinstance(info.security_repo_status, SecurityRepoStatus)
    assert info.security_repo_status.scans_done is True
    assert info.security_repo_status.files_with_issues is not None
    assert info.siblings and all(s.size and s.blob_id for s in info.siblings)
    lfs = [s for s in info.siblings if s.lfs is not None]
    assert lfs and all(s.lfs is not None and s.lfs.size == s.size for s in lfs)
    assert all(s.lfs is not None and s.lfs.pointer_size and s.lfs.sha256 for s in lfs)
    counts = await hub.models.info("openai-community/gpt2", expand=["downloadsAllTime"])
    assert (counts.downloads_all_time or 0) > 0
    space = await hub.spaces.info("user/tmp_test_space", expand=["gitalyUid"])
    assert space.gitaly_uid is not None and len(space.gitaly_uid) == 64


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda h: h.models.list(apps=3), TypeError),
        (lambda h: h.models.list(apps=["ok", 3]), TypeError),
        (lambda h: h.models.list(gated="yes"), TypeError),
        (lambda h: h.models.list(card_data=1), TypeError),
        (lambda h: h.models.list(inference="cold"), ValueError),
        (lambda h: h.models.list(inference=True), TypeError),
        (lambda h: h.models.list(num_parameters="lots"), ValueError),
        (lambda h: h.models.list(num_parameters="max:1B,min:2B"), ValueError),
        (lambda h: h.models.list(num_parameters=6_000_000_000), TypeError),
        (lambda h: h.models.list(pipeline_tag=["a"]), TypeError),
        (lambda h: h.models.list(expand=["likes"], card_data=True), ValueError),
        (lambda h: h.models.list(sort=1), TypeError),
        (lambda h: h.models.list(resume_from="http://x/api/models", apps="ollama"), ValueError),
        (lambda h: h.datasets.list(benchmark=False), ValueError),
        (lambda h: h.datasets.list(task_ids=5), TypeError),
        (lambda h: h.spaces.list(linked="yes"), TypeError),
        (lambda h: h.spaces.list(models=[1]), TypeError),
    ],
)
async def test_bad_listing_values_fail_before_any_request(
    hub: HubClient, lh: LocalHub, call: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        call(hub)
    assert lh.requests == []


async def test_bad_info_values_fail_before_any_request(hub: HubClient, lh: LocalHub) -> None:
    with pytest.raises(ValueError, match="expand"):
        await hub.models.info("openai-community/gpt2", expand=["sha"], security_status=True)
    with pytest.raises(ValueError, match="expand"):
        await hub.datasets.info("ibm/duorc", expand=["sha"], files_metadata=True)
    with pytest.raises(TypeError):
        await hub.models.info("openai-community/gpt2", security_status="yes")  # type: ignore[arg-type]
    assert lh.requests == []

"""hub.models / hub.datasets / hub.spaces end to end against the local Hub."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from hubapi_async import (
    BadRequestError,
    HubClient,
    HubConnectionError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
    RetryPolicy,
    RevisionNotFoundError,
)
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import DatasetInfo, ModelInfo, SpaceInfo

from ._helpers import checked_out_connections, patch_sleep

TOKEN = "hf_local_token"


@pytest.fixture
async def lh() -> LocalHub:
    hub = LocalHub(models=300, datasets=60, spaces=40)
    async with hub:
        yield hub


@pytest.fixture
async def hub(lh: LocalHub) -> HubClient:
    async with HubClient(lh.url, token=TOKEN) as client:
        yield client


async def test_models_list_filters_and_sort(hub: HubClient) -> None:
    items = [m async for m in hub.models.list(author="google", sort="downloads", limit=20)]
    assert items and all(m.id.startswith("google/") for m in items)
    downloads = [m.downloads or 0 for m in items]
    assert downloads == sorted(downloads, reverse=True)  # sort without direction: descending
    asc = [m async for m in hub.models.list(sort="likes", direction=1, limit=20)]
    likes = [m.likes or 0 for m in asc]
    assert likes == sorted(likes)
    tagged = [m async for m in hub.models.list(filter="text-classification", limit=10)]
    assert tagged and all("text-classification" in (m.tags or []) for m in tagged)
    found = [m async for m in hub.models.list(search="bert", limit=10)]
    assert found and all("bert" in m.id.lower() for m in found)


async def test_default_list_items_are_lean_and_full_adds_data(hub: HubClient) -> None:
    lean = [m async for m in hub.models.list(limit=3)]
    full = [m async for m in hub.models.list(limit=3, full=True)]
    assert all(m.siblings is None for m in lean)
    assert all(m.siblings is not None for m in full)
    assert all(isinstance(m.created_at, datetime) and m.created_at.tzinfo for m in lean)


async def test_expand_returns_only_the_asked_fields(hub: HubClient) -> None:
    items = [m async for m in hub.models.list(expand=["downloads", "likes"], limit=5)]
    assert all(m.downloads is not None and m.likes is not None for m in items)
    assert all(m.tags is None and m.created_at is None for m in items)
    info = await hub.models.info("google-bert/bert-base-uncased", expand=["pipeline_tag"])
    assert info.pipeline_tag == "fill-mask"
    assert info.siblings is None


async def test_unknown_expand_is_a_bad_request(hub: HubClient) -> None:
    with pytest.raises(BadRequestError):
        [m async for m in hub.models.list(expand=["no-such-field"])]


async def test_model_info_of_a_recorded_repo(hub: HubClient) -> None:
    info = await hub.models.info("google-bert/bert-base-uncased")
    assert isinstance(info, ModelInfo)
    assert info.id == "google-bert/bert-base-uncased"
    assert info.siblings and any(s.rfilename == "config.json" for s in info.siblings)
    assert info.card_data is not None
    legacy = await hub.models.info("gpt2")  # legacy single-segment id
    assert legacy.id == "gpt2"


async def test_renamed_repo_follows_the_307(hub: HubClient, lh: LocalHub) -> None:
    info = await hub.models.info("bert-base-uncased")
    assert info.id == "google-bert/bert-base-uncased"
    paths = [r.path for r in lh.requests if r.path.startswith("/api/models/")]
    assert paths[-2:] == [
        "/api/models/bert-base-uncased",
        "/api/models/google-bert/bert-base-uncased",
    ]
    mapped = await hub.models.info(
        "meta-llama/Meta-Llama-3.1-8B-Instruct", expand=["inferenceProviderMapping"]
    )
    assert mapped.id == "meta-llama/Llama-3.1-8B-Instruct"
    assert "expand=inferenceProviderMapping" in lh.requests[-1].query_string


async def test_gated_missing_and_bad_revision(lh: LocalHub, hub: HubClient) -> None:
    gated = await hub.models.info("meta-llama/Llama-3.1-8B-Instruct")
    assert gated.gated == "manual"
    with pytest.raises(RepositoryNotFoundError) as authed:
        await hub.models.info("nobody/nothing-here")
    assert authed.value.status == 404
    async with HubClient(lh.url, token=False) as anon:
        with pytest.raises(RepositoryNotFoundOrPrivateError) as anon_err:
            await anon.datasets.info("nobody/nothing-here")
    assert anon_err.value.status == 401
    with pytest.raises(RevisionNotFoundError):
        await hub.models.info("google-bert/bert-base-uncased", revision="no-such-rev")


async def test_revision_with_a_slash(hub: HubClient, lh: LocalHub) -> None:
    info = await hub.models.info("google-bert/bert-base-uncased", revision="refs/pr/1")
    assert info.id == "google-bert/bert-base-uncased"
    assert lh.requests[-1].path.endswith("/revision/refs%2Fpr%2F1") or "refs/pr/1" in (
        lh.requests[-1].path
    )


async def test_datasets_and_spaces(hub: HubClient) -> None:
    datasets = [d async for d in hub.datasets.list(limit=5, full=True)]
    assert datasets and all(isinstance(d, DatasetInfo) for d in datasets)
    one = await hub.datasets.info(datasets[0].id)
    assert one.id == datasets[0].id
    spaces = [s async for s in hub.spaces.list(limit=5)]
    assert spaces and all(isinstance(s, SpaceInfo) for s in spaces)
    space = await hub.spaces.info(spaces[0].id)
    assert space.id == spaces[0].id


async def test_dataset_tag_filters(hub: HubClient) -> None:
    tags = await hub.datasets.tags_by_type()
    assert tags
    _kind, entries = next(iter(tags.items()))
    wanted = entries[0].id
    found = [d async for d in hub.datasets.list(filter=wanted, limit=5)]
    assert all(wanted in (d.tags or []) for d in found)


async def test_tags_by_type(hub: HubClient) -> None:
    model_tags = await hub.models.tags_by_type()
    assert "pipeline_tag" in model_tags or "library" in model_tags
    for entries in model_tags.values():
        assert all(t.id and t.type for t in entries)


async def test_parquet_shapes_and_croissant(hub: HubClient) -> None:
    by_subset = await hub.datasets.parquet("ibm/duorc")
    subset, splits = next(iter(by_subset.items()))
    split, urls = next(iter(splits.items()))
    assert urls and all(u.endswith(".parquet") for u in urls)
    assert await hub.datasets.parquet("ibm/duorc", subset) == splits
    assert await hub.datasets.parquet("ibm/duorc", subset, split) == urls
    croissant = await hub.datasets.croissant("ibm/duorc")
    assert "@context" in croissant


async def test_shard_stream_follows_redirect_without_token(hub: HubClient, lh: LocalHub) -> None:
    by_subset = await hub.datasets.parquet("ibm/duorc")
    subset, splits = next(iter(by_subset.items()))
    split = next(iter(splits))
    async with hub.datasets.parquet_shard("ibm/duorc", subset, split, 0) as chunks:
        data = b"".join([c async for c in chunks])
    assert data.startswith(b"PAR1") and data.endswith(b"PAR1")
    cdn = [r for r in lh.requests if r.origin == "cdn"]
    assert cdn and all("Authorization" not in r.headers for r in cdn)
    hub_side = [r for r in lh.requests if r.origin == "hub" and r.path.endswith(".parquet")]
    assert hub_side and hub_side[-1].headers.get("Authorization") == f"Bearer {TOKEN}"
    assert checked_out_connections(hub) == 0


async def test_shard_cut_mid_stream_raises_and_never_repeats(hub: HubClient, lh: LocalHub) -> None:
    by_subset = await hub.datasets.parquet("ibm/duorc")
    subset, splits = next(iter(by_subset.items()))
    split = next(iter(splits))
    lh.faults.add(Fault(kind="truncate", origin="cdn"))
    got = bytearray()
    with pytest.raises(HubConnectionError):
        async with hub.datasets.parquet_shard("ibm/duorc", subset, split, 0, chunk_size=64) as c:
            async for chunk in c:
                got += chunk
    assert len(got) > 0
    assert checked_out_connections(hub) == 0


async def test_download_is_atomic_and_resumes(
    hub: HubClient, lh: LocalHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    by_subset = await hub.datasets.parquet("ibm/duorc")
    subset, splits = next(iter(by_subset.items()))
    split = next(iter(splits))
    async with hub.datasets.parquet_shard("ibm/duorc", subset, split, 0) as chunks:
        expected = b"".join([c async for c in chunks])
    lh.faults.add(Fault(kind="truncate", origin="cdn", times=1))
    progress: list[tuple[int, int | None]] = []
    out = tmp_path / "out"
    out.mkdir()
    target = out / "shard.parquet"
    path = await hub.datasets.download_parquet_shard(
        "ibm/duorc", subset, split, 0, target, progress=lambda d, t: progress.append((d, t))
    )
    assert path == target
    assert target.read_bytes() == expected
    assert progress[-1][0] == len(expected)
    ranges = [r.headers.get("Range") for r in lh.requests if r.origin == "cdn"]
    assert any(r and r.startswith("bytes=") and r != "bytes=0-" for r in ranges)
    assert sorted(p.name for p in out.iterdir()) == ["shard.parquet"]


async def test_failed_download_leaves_nothing_behind(
    hub: HubClient, lh: LocalHub, tmp_path: Path
) -> None:
    lh.faults.add(Fault(kind="truncate", origin="cdn"))
    hub_no_retry = hub.with_options(retry=RetryPolicy(max_retries=1, initial_backoff=0.01))
    by_subset = await hub.datasets.parquet("ibm/duorc")
    subset, splits = next(iter(by_subset.items()))
    split = next(iter(splits))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(HubConnectionError):
        await hub_no_retry.datasets.download_parquet_shard(
            "ibm/duorc", subset, split, 0, out / "x.parquet"
        )
    assert list(out.iterdir()) == []


async def test_private_repos_are_visible_only_to_their_owner(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as owner:
        private = [m async for m in owner.models.list(author="demo", full=True) if m.private]
    assert private, "the local Hub seeds private repos owned by demo"
    async with HubClient(lh.url, token=False) as anon:
        with pytest.raises(RepositoryNotFoundOrPrivateError):
            await anon.models.info(private[0].id)
        public = {m.id async for m in anon.models.list(author="demo")}
    assert private[0].id not in public

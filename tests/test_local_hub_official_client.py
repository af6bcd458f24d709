"""The official ``huggingface_hub`` client, unmodified, against the local Hub in a thread."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import Any
from urllib.parse import urlsplit

import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError, RevisionNotFoundError

from hubapi_async.testing import LocalHub

from ._helpers import recordings_dir

TOKEN = "hf_local_token"


def recording(name: str) -> Any:
    return json.loads((recordings_dir() / name).read_text("utf-8"))


@pytest.fixture(scope="module")
def server() -> Iterator[LocalHub]:
    hub = LocalHub(models=2_500, datasets=60, spaces=40, page_size=1000)
    with hub.in_thread():
        yield hub


@pytest.fixture
def api(server: LocalHub, monkeypatch: pytest.MonkeyPatch) -> HfApi:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    server.requests.clear()
    return HfApi(endpoint=server.url, token=TOKEN)


def only_local_hosts(server: LocalHub) -> None:
    """Every request the client made reached this hub (nothing went elsewhere)."""
    host = urlsplit(server.url).netloc
    assert server.requests
    assert all(r.headers.get("Host") == host for r in server.requests if r.origin == "hub")


def test_list_models_over_several_pages(api: HfApi, server: LocalHub) -> None:
    models = list(api.list_models(limit=2_200, sort="downloads"))
    assert len(models) == 2_200
    assert len({m.id for m in models}) == 2_200
    downloads = [m.downloads for m in models]
    assert downloads == sorted(downloads, reverse=True)
    pages = [r for r in server.requests if r.path == "/api/models"]
    assert len(pages) == 3  # 1000 + 1000 + 200 of the third page
    assert all("cursor=" in r.query_string for r in pages[1:])
    only_local_hosts(server)


def test_list_models_by_author_with_sort(api: HfApi, server: LocalHub) -> None:
    models = list(api.list_models(author="google", sort="likes"))
    assert models and all(m.id.startswith("google/") for m in models)
    likes = [m.likes for m in models]
    assert likes == sorted(likes, reverse=True)
    every = list(api.list_models(author="google", sort="created_at", limit=10))
    created = [m.created_at for m in every]
    assert created == sorted(created, reverse=True)
    first = next(iter(api.list_models(filter="text-classification", full=True, limit=1)))
    assert first.pipeline_tag == "text-classification" and first.sha and first.siblings


def test_list_models_every_page_to_the_end(server: LocalHub) -> None:
    api = HfApi(endpoint=server.url, token=TOKEN)
    assert sum(1 for _ in api.list_models()) == server.model_count
    anonymous = HfApi(endpoint=server.url, token=False)
    assert sum(1 for _ in anonymous.list_models()) == server.count("model", authenticated=False)


def test_model_info(api: HfApi, server: LocalHub) -> None:
    info = api.model_info("google-bert/bert-base-uncased")
    recorded = recording("models/model_info__google-bert_bert-base-uncased.body.json")
    assert info.sha == recorded["sha"]
    assert info.pipeline_tag == "fill-mask"
    assert info.safetensors is not None and info.safetensors.total == 110106428
    assert info.card_data is not None and info.card_data.license == "apache-2.0"
    assert info.created_at is not None and info.created_at.tzinfo is not None
    gated = api.model_info("meta-llama/Llama-3.1-8B-Instruct")
    assert gated.gated == "manual"
    renamed = api.model_info("bert-base-uncased")  # 307, followed by the client
    assert renamed.id == "google-bert/bert-base-uncased"
    generated = api.model_info(next(iter(api.list_models(limit=1))).id)
    assert generated.siblings and generated.last_modified is not None
    only_local_hosts(server)


def test_model_info_with_revision(api: HfApi) -> None:
    main = api.model_info("openai-community/gpt2", revision="main")
    pr = api.model_info("openai-community/gpt2", revision="refs/pr/1")
    assert pr.id == main.id and pr.sha != main.sha
    with pytest.raises(RevisionNotFoundError):
        api.model_info("openai-community/gpt2", revision="no-such-branch")


def test_missing_repo_raises_repository_not_found(api: HfApi, server: LocalHub) -> None:
    with pytest.raises(RepositoryNotFoundError):
        api.model_info("nobody/nothing-here")
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info("nobody/nothing-here")
    # Anonymous callers get the Hub's 401; the official client maps it to
    # RepositoryNotFoundError only for https endpoints, so over http it stays an HTTP error.
    anonymous = HfApi(endpoint=server.url, token=False)
    with pytest.raises(HfHubHTTPError) as caught:
        anonymous.model_info("nobody/nothing-here")
    assert caught.value.response.status_code == 401


def test_list_datasets_and_dataset_info(api: HfApi, server: LocalHub) -> None:
    datasets = list(api.list_datasets(limit=30, sort="likes"))
    assert len(datasets) == 30
    assert all(d.tags for d in datasets)
    english = list(islice(api.list_datasets(language="en"), 5))
    assert english and all("language:en" in d.tags for d in english)
    info = api.dataset_info("ibm/duorc")
    assert info.id == "ibm/duorc" and info.siblings
    generated = api.dataset_info(datasets[0].id)
    assert generated.card_data is not None and generated.sha
    assert sum(1 for _ in api.list_datasets()) == server.dataset_count


def test_list_spaces_and_space_info(api: HfApi, server: LocalHub) -> None:
    spaces = list(api.list_spaces(sort="likes"))
    assert len(spaces) == server.space_count
    info = api.space_info(spaces[0].id)
    assert info.sdk and info.runtime is not None and info.runtime.stage
    recorded = api.space_info("user/tmp_test_space", expand=["xetEnabled"])
    assert recorded.id == "user/tmp_test_space"


def test_tags_by_type(api: HfApi) -> None:
    model_tags = api.get_model_tags()
    assert {"pipeline_tag", "library", "license"} <= set(model_tags)
    dataset_tags = api.get_dataset_tags()
    assert {"task_categories", "language"} <= set(dataset_tags)
    tag = dataset_tags["task_categories"][0]["id"]
    assert all(tag in d.tags for d in islice(api.list_datasets(filter=tag), 10))


def test_list_models_with_each_filter(api: HfApi, server: LocalHub) -> None:
    gguf = list(api.list_models(apps="ollama", limit=10))
    assert gguf and all(m.library_name == "gguf" for m in gguf)
    either = list(api.list_models(apps=["vllm", "mlx-lm"], limit=30))
    assert either and {m.library_name for m in either} <= {"transformers", "mlx"}
    assert "apps=vllm&apps=mlx-lm" in server.requests[-1].query_string
    warm = list(api.list_models(inference="warm", expand=["inference"], limit=20))
    assert warm and all(m.inference == "warm" for m in warm)
    served = list(api.list_models(inference_provider="fal-ai", expand=["inferenceProviderMapping"]))
    assert served and all(
        any(p.provider == "fal-ai" and p.status == "live" for p in m.inference_provider_mapping)
        for m in served
    )
    sized = list(api.list_models(num_parameters="min:6B,max:9B", expand=["safetensors", "gguf"]))
    totals = [(m.safetensors.total if m.safetensors else m.gguf["total"]) for m in sized]
    assert sized and all(6e9 <= t <= 9e9 for t in totals)
    gated = list(api.list_models(gated=True, expand=["gated"]))
    assert gated and all(m.gated in ("auto", "manual") for m in gated)
    open_ = list(islice(api.list_models(gated=False, expand=["gated"]), 50))
    assert open_ and all(m.gated is False for m in open_)
    trained = list(api.list_models(trained_dataset="imdb", cardData=True, limit=10))
    assert trained and all("imdb" in m.card_data.datasets for m in trained)
    tasks = list(api.list_models(pipeline_tag="summarization", search="t5", limit=10))
    assert all(m.pipeline_tag == "summarization" and "t5" in m.id for m in tasks)
    with pytest.raises(HfHubHTTPError) as caught:
        list(api.list_models(num_parameters="lots"))
    assert caught.value.response.status_code == 400


@pytest.mark.parametrize(
    ("kind", "sort"),
    [("model", "created_at"), ("model", "last_modified"), ("model", "trending_score"),
     ("dataset", "downloads"), ("dataset", "likes"), ("space", "likes")],
)  # fmt: skip
def test_every_official_sort(api: HfApi, kind: str, sort: str) -> None:
    lister = {"model": api.list_models, "dataset": api.list_datasets, "space": api.list_spaces}
    items = list(lister[kind](sort=sort, limit=40))  # type: ignore[operator]
    assert len(items) == 40 and len({i.id for i in items}) == 40
    attr = {"created_at": "created_at", "last_modified": "last_modified"}.get(sort, sort)
    values = [getattr(i, attr) for i in items if getattr(i, attr, None) is not None]
    assert values == sorted(values, reverse=True)


def test_list_datasets_conveniences(api: HfApi) -> None:
    for keyword, value in [
        ("task_categories", "text-classification"),
        ("size_categories", "1K<n<10K"),
        ("language_creators", "found"),
        ("multilinguality", "monolingual"),
        ("task_ids", "extractive-qa"),
        ("language", ["en"]),
    ]:
        found = list(api.list_datasets(**{keyword: value}, limit=10))
        tag = f"{keyword}:{value[0] if isinstance(value, list) else value}"
        assert found and all(tag in d.tags for d in found), keyword
    benchmarks = list(api.list_datasets(benchmark=True))
    assert benchmarks and all("benchmark:official" in d.tags for d in benchmarks)
    first, second = next(iter(api.list_datasets(author="google"))).id.split("/")[1].split("-")[:2]
    named = list(api.list_datasets(dataset_name=first, search=second, gated=False))
    assert named and all(first in d.id and second in d.id for d in named)
    assert len(named) < len(list(api.list_datasets(search=second)))


def test_list_spaces_by_models_datasets_and_linked(api: HfApi, server: LocalHub) -> None:
    linked = list(api.list_spaces(linked=True, expand=["models", "datasets"]))
    assert 0 < len(linked) < server.space_count
    assert all(s.models or s.datasets for s in linked)
    model = next(m for s in linked for m in (s.models or []))
    users = list(api.list_spaces(models=model, expand=["models"]))
    assert users and all(model in s.models for s in users)
    assert set(api.model_info(model).spaces or []) <= {s.id for s in users}
    dataset = next(d for s in linked for d in (s.datasets or []))
    readers = list(api.list_spaces(datasets=[dataset], expand=["datasets"]))
    assert readers and all(dataset in s.datasets for s in readers)


def test_model_info_security_status_and_files_metadata(api: HfApi) -> None:
    info = api.model_info("openai-community/gpt2", securityStatus=True, files_metadata=True)
    assert info.security_repo_status == {
        "scansDone": True,
        "filesWithIssues": info.security_repo_status["filesWithIssues"],
    }
    assert info.siblings and all(s.size and s.blob_id for s in info.siblings)
    weights = [s for s in info.siblings if s.rfilename.endswith(".safetensors")]
    assert weights and all(s.lfs and s.lfs.size == s.size and s.lfs.pointer_size for s in weights)
    head = api.model_info("openai-community/gpt2", revision="HEAD")
    at_sha = api.model_info("openai-community/gpt2", revision=head.sha)
    assert head.sha == at_sha.sha == info.sha
    dataset = api.dataset_info("ibm/duorc", files_metadata=True)
    assert all(s.size for s in dataset.siblings)
    space = api.space_info("user/tmp_test_space", files_metadata=True)
    assert space.siblings and space.siblings[0].blob_id
    counted = api.model_info("openai-community/gpt2", expand=["downloadsAllTime"])
    assert counted.downloads_all_time and counted.downloads_all_time > 0

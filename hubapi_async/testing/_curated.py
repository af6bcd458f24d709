"""Repos served from real recorded bodies (``recordings/``), listed beside the generated ones.

Where only a fragment was recorded (an ``expand=`` answer), the rest of the info body is
synthesized in the shape of the generated repos; such values are marked ``synthesized``.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any, Final

from ._data import gitaly_uid, iso, mix64, sha40
from ._serving import task_of

Item = dict[str, Any]


@dataclass(eq=False)
class Curated:
    """One repo with a fixed body (recorded or synthesized), or one added at run time.

    ``extra`` holds the fields that only appear in list items or through ``expand=``
    (``trendingScore``, ``inferenceProviderMapping``, ...). ``listed=False`` marks an alias
    that answers info requests but never appears in listings (``gpt2``).
    """

    kind: str
    info: Item
    extra: Item = field(default_factory=dict)
    listed: bool = True
    parquet: dict[str, dict[str, int]] | None = None
    croissant: Item | None = None

    @property
    def id(self) -> str:
        """The repo id."""
        return str(self.info["id"])

    @property
    def author(self) -> str:
        """The namespace (for a legacy id without one: the recorded ``author``)."""
        return self.id.split("/")[0] if "/" in self.id else str(self.info.get("author", ""))

    @property
    def private(self) -> bool:
        """Whether only the owner may see it."""
        return bool(self.info.get("private", False))

    def field(self, key: str) -> int | float | str:
        """The value of sort field ``key``."""
        if key == "id":
            return self.id
        if key in ("createdAt", "lastModified"):
            raw = self.info.get(key) or self.extra.get(key) or "2022-03-02T23:29:04.000Z"
            return datetime.fromisoformat(str(raw)).timestamp()
        value = self.info.get(key, self.extra.get(key, 0))
        return value if isinstance(value, int | float) else 0

    def expanded(self) -> Item:
        """Info plus the expand-only fields."""
        return {**self.info, **self.extra}


_MODELS: Final = "models/model_info__"


def _load(name: str) -> Any:
    path = resources.files(__package__).joinpath("recordings", *name.split("/"))
    text = path.read_text("utf-8")
    return json.loads(text)


def _seed_of(repo_id: str) -> int:
    return mix64(zlib.crc32(repo_id.encode()))


def _created_from_object_id(object_id: str) -> str:
    return iso(int(object_id[:8], 16))


def _synth_model(
    object_id: str, repo_id: str, pipe: str, lib: str, tags: list[str], **values: Any
) -> Item:
    """A model info body in the recorded key order (synthesized values)."""
    h = _seed_of(repo_id)
    return {
        "_id": object_id,
        "id": repo_id,
        "private": False,
        "pipeline_tag": pipe,
        "library_name": lib,
        "tags": tags,
        "downloads": values.get("downloads", 0),
        "likes": values.get("likes", 0),
        "modelId": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha40(h),
        "lastModified": values.get("lastModified", "2024-08-16T14:38:19.000Z"),
        "gated": values.get("gated", False),
        "disabled": False,
        "model-index": None,
        "cardData": values.get("cardData", {}),
        "siblings": [
            {"rfilename": f} for f in values.get("files", [".gitattributes", "README.md"])
        ],
        "spaces": [],
        "createdAt": _created_from_object_id(object_id),
        "usedStorage": values.get("usedStorage", 0),
    }


def _synth_dataset(object_id: str, repo_id: str, tags: list[str], **values: Any) -> Item:
    """A dataset info body in the generated shape (synthesized values)."""
    return {
        "_id": object_id,
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha40(_seed_of(repo_id)),
        "lastModified": values.get("lastModified", "2024-01-04T15:00:00.000Z"),
        "private": False,
        "gated": False,
        "disabled": False,
        "cardData": values.get("cardData", {}),
        "description": values.get("description", ""),
        "downloads": values.get("downloads", 0),
        "likes": values.get("likes", 0),
        "tags": tags,
        "createdAt": _created_from_object_id(object_id),
        "siblings": [
            {"rfilename": f} for f in values.get("files", [".gitattributes", "README.md"])
        ],
        "usedStorage": values.get("usedStorage", 0),
    }


def _models() -> list[Curated]:
    _MAPPING = "inferenceProviderMapping"
    flux = _load(
        "models/model_info__expand_inferenceProviderMapping__black-forest-labs_FLUX.1-dev.body.json"
    )
    llama_map = _load(
        "models/model_info__expand_inferenceProviderMapping__meta-llama_Llama-3.1-8B-Instruct.body.json"
    )
    bart = _load(_MODELS + "expand_array_syntax__facebook_bart-base.body.json")
    return [
        # trendingScore 13: the list item observed for this id (stored id 70375891585).
        Curated(
            "model",
            _load(_MODELS + "google-bert_bert-base-uncased.body.json"),
            {"trendingScore": 13},
        ),
        # trendingScore of the next ones was not recorded: synthesized.
        Curated(
            "model",
            _load(_MODELS + "openai-community_gpt2__canonical.body.json"),
            {"trendingScore": 21},
        ),
        Curated(
            "model",
            _load(_MODELS + "gpt2_legacy_id_no_redirect.body.json"),
            {"trendingScore": 21},
            listed=False,
        ),
        Curated(
            "model",
            _load(_MODELS + "gated_manual__meta-llama_Llama-3.1-8B-Instruct.body.json"),
            {"trendingScore": 55, "inferenceProviderMapping": llama_map[_MAPPING]},
        ),
        Curated(
            "model",
            _load(_MODELS + "sentence-transformers_all-MiniLM-L6-v2.body.json"),
            {"trendingScore": 48},
        ),
        Curated(
            "model",
            _synth_model(
                flux["_id"],
                flux["id"],
                "text-to-image",
                "diffusers",
                [
                    "diffusers",
                    "safetensors",
                    "text-to-image",
                    "image-generation",
                    "flux",
                    "en",
                    "license:other",
                    "endpoints_compatible",
                    "diffusers:FluxPipeline",
                    "region:us",
                ],
                downloads=1_214_021,
                likes=9_101,
                gated="auto",
                cardData={
                    "language": ["en"],
                    "license": "other",
                    "tags": ["text-to-image", "image-generation", "flux"],
                },
                files=[
                    ".gitattributes",
                    "README.md",
                    "flux1-dev.safetensors",
                    "model_index.json",
                    "transformer/config.json",
                    "vae/config.json",
                ],
                usedStorage=57_995_115_000,
            ),
            {"trendingScore": 90, "inferenceProviderMapping": flux["inferenceProviderMapping"]},
        ),
        Curated(
            "model",
            _synth_model(
                bart["_id"],
                bart["id"],
                bart["pipeline_tag"],
                "transformers",
                [
                    "transformers",
                    "pytorch",
                    "tf",
                    "jax",
                    "safetensors",
                    "bart",
                    "feature-extraction",
                    "en",
                    "arxiv:1910.13461",
                    "license:apache-2.0",
                    "endpoints_compatible",
                    "region:us",
                ],
                downloads=2_003_337,
                likes=190,
                lastModified="2022-11-16T23:23:10.000Z",
                cardData={"license": "apache-2.0", "language": "en"},
                files=[
                    ".gitattributes",
                    "README.md",
                    "config.json",
                    "flax_model.msgpack",
                    "merges.txt",
                    "model.safetensors",
                    "pytorch_model.bin",
                    "tf_model.h5",
                    "vocab.json",
                ],
                usedStorage=2_790_000_000,
            ),
            {"trendingScore": 3},
        ),
    ]


def _datasets() -> list[Curated]:
    duorc_parquet = _load("datasets/parquet__ibm_duorc__docs_example.body.json")
    layout = {
        s: {sp: len(urls) for sp, urls in splits.items()} for s, splits in duorc_parquet.items()
    }
    return [
        Curated(
            "dataset",
            _synth_dataset(
                "621ffdd236468d709f181e2a",
                "ibm/duorc",
                [
                    "task_categories:question-answering",
                    "task_categories:text2text-generation",
                    "language:en",
                    "license:mit",
                    "size_categories:100K<n<1M",
                    "format:parquet",
                    "modality:text",
                    "library:datasets",
                    "library:pandas",
                    "library:mlcroissant",
                    "croissant",
                    "region:us",
                ],
                downloads=2_961,
                likes=45,
                description=(
                    "The DuoRC dataset is an English language dataset of questions and answers"
                    " gathered from crowdsourced AMT workers on Wikipedia and IMDb movie plots."
                ),
                files=[
                    ".gitattributes",
                    "README.md",
                    "ParaphraseRC/test-00000-of-00001.parquet",
                    "ParaphraseRC/train-00000-of-00001.parquet",
                    "ParaphraseRC/validation-00000-of-00001.parquet",
                    "SelfRC/test-00000-of-00001.parquet",
                    "SelfRC/train-00000-of-00001.parquet",
                    "SelfRC/validation-00000-of-00001.parquet",
                ],
                usedStorage=121_000_000,
            ),
            {"trendingScore": 1},
            parquet=layout,
            croissant=_load("datasets/croissant__ibm_duorc__docs_example.body.json"),
        ),
        Curated(
            "dataset",
            _synth_dataset(
                "6847a1b2c3d4e5f60718293a",
                "Bryceee/MM-Oral",
                [
                    "task_categories:visual-question-answering",
                    "language:aa",
                    "license:apache-2.0",
                    "size_categories:100K<n<1M",
                    "medical",
                    "region:us",
                ],
                downloads=120,
                likes=4,
                description="MMOral",
            ),
            {"trendingScore": 0},
            croissant=_load("datasets/croissant__Bryceee_MM-Oral.body.json"),
        ),
    ]


def _spaces() -> list[Curated]:
    tmp = _load("spaces/space_revision__expand_xetEnabled.body.json")
    info = {
        "_id": tmp["_id"],
        "id": tmp["id"],
        "author": "user",
        "sha": sha40(_seed_of(tmp["id"])),
        "lastModified": "2025-03-07T12:23:20.000Z",
        "private": False,
        "gated": False,
        "disabled": False,
        "host": "https://user-tmp-test-space.hf.space",
        "subdomain": "user-tmp-test-space",
        "likes": 0,
        "sdk": "gradio",
        "tags": ["gradio", "region:us"],
        "runtime": {
            "stage": "BUILDING",
            "hardware": {"current": None, "requested": "cpu-basic"},
            "storage": None,
            "gcTimeout": 172800,
            "replicas": {"current": 1, "requested": 1},
            "devMode": False,
            "domains": [{"domain": "user-tmp-test-space.hf.space", "stage": "READY"}],
        },
        "cardData": {"sdk": "gradio"},
        "siblings": [{"rfilename": ".gitattributes"}],
        "models": [],
        "datasets": [],
        "createdAt": _created_from_object_id(tmp["_id"]),
        "usedStorage": 0,
    }
    return [Curated("space", info, {"trendingScore": 0, "xetEnabled": tmp["xetEnabled"]})]


#: Renamed repos: old id -> new id (answered with a 307, models/model_info__redirect_307__*).
REDIRECTS: Final[dict[str, dict[str, str]]] = {
    "model": {
        "bert-base-uncased": "google-bert/bert-base-uncased",
        "meta-llama/Meta-Llama-3.1-8B-Instruct": "meta-llama/Llama-3.1-8B-Instruct",
    },
    "dataset": {},
    "space": {},
}


def _complete(repo: Curated) -> Curated:
    """Add the expand-only fields no recording shows (synthesized): ``downloadsAllTime``
    (a year or two of the monthly downloads), ``gitalyUid``, and for a model the recording
    calls warm but whose mapping was not recorded, its hf-inference entry."""
    h = _seed_of(repo.id)
    extra = repo.extra
    if "downloads" in repo.info:
        extra.setdefault("downloadsAllTime", int(repo.info["downloads"]) * (12 + h % 12))
    extra.setdefault("gitalyUid", gitaly_uid(h))
    if repo.kind == "dataset":  # the main branch, without history and conversions
        extra.setdefault("mainSize", int(repo.info.get("usedStorage", 0)) * 4 // 5)
    if repo.kind == "model":
        mapping = extra.get("inferenceProviderMapping")
        if repo.info.get("inference") == "warm" and mapping is None:
            task = task_of(repo.info.get("pipeline_tag"))
            extra["inferenceProviderMapping"] = {
                "hf-inference": {"status": "live", "providerId": repo.id, "task": task}
            }
        elif mapping and "inference" not in repo.info:
            extra.setdefault("inference", "warm")
    return repo


def curated(kind: str) -> list[Curated]:
    """Fresh copies of the curated repos of ``kind``."""
    build = {"model": _models, "dataset": _datasets, "space": _spaces}[kind]
    return [_complete(r) for r in build()]


def croissant_context() -> Item:
    """The JSON-LD ``@context`` of a real croissant body (Bryceee/MM-Oral)."""
    context: Item = _load("datasets/croissant__Bryceee_MM-Oral.body.json")["@context"]
    return context


def now_iso() -> str:
    """The current time in the Hub's format."""
    return iso(datetime.now(UTC).timestamp())

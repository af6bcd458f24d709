"""The shapes of generated models, datasets and spaces.

Key order and the camelCase/snake_case mix follow the recordings:
``models/model_info__*.body.json`` (info), ``models/list_and_info_shape_observations.json``
(list items of models, and the head of dataset list items and dataset info). Where no
recording shows a shape (the tail of dataset items, every space shape, parquet layouts), the
keys follow the official client's ``DatasetInfo``/``SpaceInfo`` attributes and the seed page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from . import _vocab as V
from ._data import Generated, common_fields, iso, mix64

Item = dict[str, Any]

# Which keys the plain (no full/expand) list item carries, in order, per kind.
DEFAULT_LIST_KEYS: Final[dict[str, tuple[str, ...]]] = {
    # models/list_and_info_shape_observations.json: models_list_default_item_summary
    "model": (
        "_id",
        "id",
        "likes",
        "trendingScore",
        "private",
        "downloads",
        "tags",
        "pipeline_tag",
        "library_name",
        "createdAt",
        "modelId",
    ),
    # head observed (datasets_list_default_item); tail after the official client's DatasetInfo
    "dataset": (
        "_id",
        "id",
        "author",
        "disabled",
        "gated",
        "lastModified",
        "likes",
        "trendingScore",
        "private",
        "sha",
        "description",
        "downloads",
        "tags",
        "createdAt",
    ),
    # no recording: the official client's SpaceInfo attributes
    "space": ("_id", "id", "likes", "trendingScore", "private", "sdk", "tags", "createdAt"),
}
# What full=true adds to the default item (the seed: "all tags, the files, etc.").
FULL_LIST_EXTRA: Final[dict[str, tuple[str, ...]]] = {
    "model": (
        "author",
        "sha",
        "lastModified",
        "gated",
        "disabled",
        "widgetData",
        "cardData",
        "siblings",
    ),
    "dataset": ("cardData", "siblings"),
    "space": ("author", "sha", "lastModified", "gated", "disabled", "cardData", "siblings"),
}
# Values accepted by ?expand= (the official client's Expand*Property_T, plus xetEnabled,
# seen in spaces/space_revision__expand_xetEnabled).
EXPANDABLE: Final[dict[str, frozenset[str]]] = {
    "model": frozenset(
        {
            "author",
            "baseModels",
            "cardData",
            "childrenModelCount",
            "config",
            "createdAt",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "evalResults",
            "gated",
            "gguf",
            "inference",
            "inferenceProviderMapping",
            "lastModified",
            "library_name",
            "likes",
            "mask_token",
            "model-index",
            "pipeline_tag",
            "private",
            "resourceGroup",
            "safetensors",
            "sha",
            "siblings",
            "spaces",
            "tags",
            "transformersInfo",
            "trendingScore",
            "usedStorage",
            "widgetData",
            "xetEnabled",
        }
    ),
    "dataset": frozenset(
        {
            "author",
            "cardData",
            "citation",
            "createdAt",
            "description",
            "disabled",
            "downloads",
            "downloadsAllTime",
            "gated",
            "lastModified",
            "likes",
            "mainSize",
            "paperswithcode_id",
            "private",
            "resourceGroup",
            "sha",
            "siblings",
            "tags",
            "trendingScore",
            "usedStorage",
            "xetEnabled",
        }
    ),
    "space": frozenset(
        {
            "author",
            "cardData",
            "createdAt",
            "datasets",
            "disabled",
            "lastModified",
            "likes",
            "models",
            "private",
            "region",
            "resourceGroup",
            "runtime",
            "sdk",
            "sha",
            "siblings",
            "subdomain",
            "tags",
            "trendingScore",
            "usedStorage",
            "xetEnabled",
        }
    ),
}

_SIZES: Final = {
    "13b": 13_000_000_000,
    "1b": 1_200_000_000,
    "3b": 3_000_000_000,
    "70b": 70_000_000_000,
    "7b": 7_000_000_000,
    "8b": 8_000_000_000,
    "base": 110_000_000,
    "large": 335_000_000,
    "medium": 350_000_000,
    "mini": 22_000_000,
    "small": 60_000_000,
    "tiny": 4_400_000,
    "xl": 1_500_000_000,
}
_WIDGETS: Final = {
    "text-generation": [{"text": "Once upon a time, in a small village,"}],
    "fill-mask": [{"text": "The capital of France is [MASK]."}],
    "text-classification": [{"text": "I really enjoyed this movie!"}],
    "summarization": [{"text": "The tower is 324 metres tall, as tall as an 81-storey block."}],
    "translation": [{"text": "My name is Sarah and I live in London"}],
    "question-answering": [{"text": "Where do I live?", "context": "I am Sarah; I live in London"}],
}


# -- models ----------------------------------------------------------------------------
def _model_bits(gen: Generated, idx: int) -> tuple[int, str, str, str, str, str, bool]:
    h = gen.h(idx)
    lib = V.LIBRARY_TABLE[(h >> 6) & 63]
    if lib == "sentence-transformers":
        pipe = "sentence-similarity"
    elif lib == "diffusers":
        pipe = "text-to-image"
    else:
        pipe = V.PIPELINE_TABLE[h & 63]
    lic = V.LICENSE_TABLE[(h >> 12) & 15]
    lang = V.LANGUAGE_TABLE[(h >> 16) & 15]
    trained = V.TRAINED_ON_TABLE[(h >> 20) & 31]
    st = lib in ("transformers", "sentence-transformers", "diffusers", "mlx") and (h >> 25) & 3 != 0
    return h, lib, pipe, lic, lang, trained, st


def model_tags(gen: Generated, idx: int) -> list[str]:
    """The tags of generated model ``idx``, in the Hub's usual order."""
    _, lib, pipe, lic, lang, trained, st = _model_bits(gen, idx)
    tags = [lib]
    if st:
        tags.append("safetensors")
    if lib in ("transformers", "sentence-transformers", "mlx", "gguf"):
        tags.append(gen.family(idx))
    tags.append(pipe)
    if lang:
        tags.append(lang)
    if trained:
        tags.append("dataset:" + trained)
    tags.append("license:" + lic)
    if lib == "transformers":
        tags.append("autotrain_compatible")
        if pipe == "text-generation":
            tags.append("text-generation-inference")
    tags += ["endpoints_compatible", "region:us"]
    return tags


def model_list_item(gen: Generated, idx: int) -> Item:
    """The default ``/api/models`` item."""
    _, lib, pipe, *_ = _model_bits(gen, idx)
    rid = gen.repo_id(idx)
    return {
        "_id": gen.object_id(idx),
        "id": rid,
        "likes": gen.field("likes", idx),
        "trendingScore": gen.field("trendingScore", idx),
        "private": gen.private(idx),
        "downloads": gen.field("downloads", idx),
        "tags": model_tags(gen, idx),
        "pipeline_tag": pipe,
        "library_name": lib,
        "createdAt": _iso_field(gen, "createdAt", idx),
        "modelId": rid,
    }


def _iso_field(gen: Generated, key: str, idx: int) -> str:
    return iso(gen.field(key, idx))  # type: ignore[arg-type]


def _model_siblings(lib: str, name: str, st: bool, pipe: str) -> list[dict[str, str]]:
    files = [".gitattributes", "README.md"]
    weights = "model.safetensors" if st else "pytorch_model.bin"
    if lib in ("transformers", "mlx", "timm", "onnx"):
        files += ["config.json", weights if lib != "onnx" else "model.onnx"]
        if lib in ("transformers", "mlx"):
            files += ["special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]
        if pipe == "text-generation":
            files.append("generation_config.json")
    elif lib == "sentence-transformers":
        files += [
            "1_Pooling/config.json",
            "config.json",
            "modules.json",
            weights,
            "sentence_bert_config.json",
            "tokenizer.json",
            "tokenizer_config.json",
        ]
    elif lib == "diffusers":
        files += [
            "model_index.json",
            "scheduler/scheduler_config.json",
            "text_encoder/model.safetensors",
            "unet/diffusion_pytorch_model.safetensors",
            "vae/diffusion_pytorch_model.safetensors",
        ]
    elif lib == "gguf":
        files += [f"{name}.Q4_K_M.gguf", f"{name}.Q8_0.gguf"]
    elif lib == "peft":
        files += ["adapter_config.json", "adapter_model.safetensors"]
    return [{"rfilename": f} for f in sorted(files)]


def model_info(gen: Generated, idx: int) -> Item:
    """The full ``/api/models/{id}`` body, keys in the recorded order."""
    h, lib, pipe, lic, lang, trained, st = _model_bits(gen, idx)
    c = common_fields(gen, idx)
    family = gen.family(idx)
    item: Item = {
        "_id": c["_id"],
        "id": c["id"],
        "private": c["private"],
        "pipeline_tag": pipe,
        "library_name": lib,
        "tags": model_tags(gen, idx),
        "downloads": gen.field("downloads", idx),
        "likes": c["likes"],
        "modelId": c["id"],
        "author": c["author"],
        "sha": c["sha"],
        "lastModified": c["lastModified"],
        "gated": c["gated"],
    }
    if (h >> 40) & 7 == 0:
        item["inference"] = "warm"
    item["disabled"] = False
    if pipe == "fill-mask":
        item["mask_token"] = "[MASK]"
    if pipe in _WIDGETS:
        item["widgetData"] = _WIDGETS[pipe]
    item["model-index"] = None
    auto = V.PIPELINES[pipe][2]
    if lib in ("transformers", "sentence-transformers"):
        arch = family.capitalize() + (auto[len("AutoModel") :] if auto else "Model")
        item["config"] = {"architectures": [arch], "model_type": family, "tokenizer_config": {}}
    card: Item = {}
    if lang:
        card["language"] = lang
    card["license"] = lic
    card["library_name"] = lib
    if trained:
        card["datasets"] = [trained]
    card["pipeline_tag"] = pipe
    item["cardData"] = card
    if lib == "transformers" and auto:
        item["transformersInfo"] = {
            "auto_model": auto,
            "pipeline_tag": pipe,
            "processor": "AutoTokenizer",
        }
    item["siblings"] = _model_siblings(lib, c["id"].split("/")[1], st, pipe)
    item["spaces"] = []
    item["createdAt"] = c["createdAt"]
    params = _SIZES.get(gen.size_word(idx), 100_000_000)
    params += (h >> 44) % max(1, params // 50)
    if st:
        dtype = "BF16" if params > 1_000_000_000 else "F32"
        item["safetensors"] = {"parameters": {dtype: params}, "total": params}
    item["usedStorage"] = params * (2 if params > 1_000_000_000 else 4) + (h & 0xFFFFF)
    return item


def model_expanded(gen: Generated, idx: int) -> Item:
    """Every field ``expand=`` may ask for (info plus the expand-only ones)."""
    item = model_info(gen, idx)
    h = gen.h(idx)
    item["trendingScore"] = gen.field("trendingScore", idx)
    item["downloadsAllTime"] = int(item["downloads"]) * (3 + (h >> 50) % 7)
    item["childrenModelCount"] = (h >> 53) % 12
    item["xetEnabled"] = bool((h >> 57) & 1)
    if item["library_name"] == "gguf":
        item["gguf"] = {
            "total": item["usedStorage"] // 2,
            "architecture": gen.family(idx),
            "context_length": 4096,
        }
    return item


# -- datasets ---------------------------------------------------------------------------
def _dataset_bits(gen: Generated, idx: int) -> tuple[int, str, str, str, str, str]:
    h = gen.h(idx)
    task = V.DATASET_TASK_TABLE[h & 15]
    lang = V.LANGUAGE_TABLE[(h >> 4) & 15] or "en"
    lic = V.LICENSE_TABLE[(h >> 8) & 15]
    size = V.SIZE_CATEGORIES[(h >> 12) & 7]
    fmt = V.DATASET_FORMATS[(h >> 15) & 3]
    return h, task, lang, lic, size, fmt


def dataset_tags(gen: Generated, idx: int) -> list[str]:
    """The tags of generated dataset ``idx``."""
    _, task, lang, lic, size, fmt = _dataset_bits(gen, idx)
    return [
        f"task_categories:{task}",
        f"language:{lang}",
        f"license:{lic}",
        f"size_categories:{size}",
        f"format:{fmt}",
        f"modality:{V.DATASET_MODALITY.get(task, 'text')}",
        "library:datasets",
        "library:pandas",
        "library:mlcroissant",
        "croissant",
        "region:us",
    ]


def _dataset_description(gen: Generated, idx: int) -> str:
    _, task, lang, *_ = _dataset_bits(gen, idx)
    name = gen.repo_id(idx).split("/")[1]
    return (
        f"\n\t\n\t\t\n\t\t{name}\n\t\n\nA {V.DATASET_TASKS[task].lower()} dataset"
        f" ({V.LANGUAGES[lang]}) generated for the local Hub."
    )


def dataset_list_item(gen: Generated, idx: int) -> Item:
    """The default ``/api/datasets`` item."""
    c = common_fields(gen, idx)
    return {
        "_id": c["_id"],
        "id": c["id"],
        "author": c["author"],
        "disabled": False,
        "gated": c["gated"],
        "lastModified": c["lastModified"],
        "likes": c["likes"],
        "trendingScore": c["trendingScore"],
        "private": c["private"],
        "sha": c["sha"],
        "description": _dataset_description(gen, idx),
        "downloads": gen.field("downloads", idx),
        "tags": dataset_tags(gen, idx),
        "createdAt": c["createdAt"],
    }


def parquet_layout(gen: Generated, idx: int) -> dict[str, dict[str, int]]:
    """``{subset: {split: number of shards}}`` of a generated dataset's parquet export."""
    h = mix64(gen.h(idx) ^ 0x9A)
    count = 1 + ((h >> 1) % 3 == 0) + ((h >> 3) % 5 == 0)
    if count == 1:
        subsets = ["default"]
    else:
        pool = list(V.SUBSET_NAMES[1:])
        subsets = sorted(pool[(h >> (8 + 3 * k)) % len(pool)] for k in range(count))
        subsets = sorted(set(subsets))
    splits = (
        ["train"]
        + (["test"] if (h >> 20) & 1 else [])
        + (["validation"] if (h >> 21) & 3 == 0 else [])
    )
    train = 1 + (h >> 24) % 3
    return {s: {sp: (train if sp == "train" else 1) for sp in sorted(splits)} for s in subsets}


def dataset_info(gen: Generated, idx: int) -> Item:
    """The full ``/api/datasets/{id}`` body."""
    _, task, lang, lic, size, _fmt = _dataset_bits(gen, idx)
    c = common_fields(gen, idx)
    layout = parquet_layout(gen, idx)
    files = [".gitattributes", "README.md"]
    for subset, splits in layout.items():
        for split, shards in splits.items():
            files += [f"{subset}/{split}-{n:05d}-of-{shards:05d}.parquet" for n in range(shards)]
    card: Item = {
        "language": [lang],
        "license": lic,
        "size_categories": [size],
        "task_categories": [task],
        "pretty_name": c["id"].split("/")[1].replace("-", " ").title(),
        "configs": [
            {
                "config_name": subset,
                "data_files": [{"split": sp, "path": f"{subset}/{sp}-*"} for sp in splits],
            }
            for subset, splits in layout.items()
        ],
    }
    return {
        "_id": c["_id"],
        "id": c["id"],
        "author": c["author"],
        "sha": c["sha"],
        "lastModified": c["lastModified"],
        "private": c["private"],
        "gated": c["gated"],
        "disabled": False,
        "cardData": card,
        "description": _dataset_description(gen, idx),
        "downloads": gen.field("downloads", idx),
        "likes": c["likes"],
        "tags": dataset_tags(gen, idx),
        "createdAt": c["createdAt"],
        "siblings": [{"rfilename": f} for f in sorted(files)],
        "usedStorage": 4096 + (gen.h(idx) & 0xFFFFFFF),
    }


def dataset_expanded(gen: Generated, idx: int) -> Item:
    """Every field ``expand=`` may ask for on a dataset."""
    item = dataset_info(gen, idx)
    item["trendingScore"] = gen.field("trendingScore", idx)
    item["downloadsAllTime"] = int(item["downloads"]) * 4
    item["mainSize"] = item["usedStorage"] // 2
    item["xetEnabled"] = False
    return item


# -- spaces -----------------------------------------------------------------------------
def space_tags(gen: Generated, idx: int) -> list[str]:
    """The tags of generated space ``idx``."""
    h = gen.h(idx)
    tags = [V.SPACE_SDKS[h & 15]]
    if (h >> 12) & 7 == 0:
        tags.append("mcp-server")
    tags.append("region:us")
    return tags


def space_list_item(gen: Generated, idx: int) -> Item:
    """The default ``/api/spaces`` item."""
    return {
        "_id": gen.object_id(idx),
        "id": gen.repo_id(idx),
        "likes": gen.field("likes", idx),
        "trendingScore": gen.field("trendingScore", idx),
        "private": gen.private(idx),
        "sdk": V.SPACE_SDKS[gen.h(idx) & 15],
        "tags": space_tags(gen, idx),
        "createdAt": _iso_field(gen, "createdAt", idx),
    }


def space_info(gen: Generated, idx: int) -> Item:
    """The full ``/api/spaces/{id}`` body (runtime shaped like the semantic-search fixture)."""
    h = gen.h(idx)
    c = common_fields(gen, idx)
    sdk = V.SPACE_SDKS[h & 15]
    hardware = V.SPACE_HARDWARE[(h >> 4) & 7]
    stage = V.SPACE_STAGES[(h >> 7) & 7]
    subdomain = c["id"].replace("/", "-").replace(".", "-").replace("_", "-").lower()
    files = {
        "gradio": ["app.py", "requirements.txt"],
        "streamlit": ["app.py", "requirements.txt"],
        "docker": ["Dockerfile", "app.py"],
        "static": ["index.html", "style.css"],
    }[sdk]
    card: Item = {
        "title": c["id"].split("/")[1].replace("-", " ").title(),
        "emoji": V.SPACE_EMOJIS[(h >> 16) & 7],
        "colorFrom": V.SPACE_COLORS[(h >> 19) & 7],
        "colorTo": V.SPACE_COLORS[(h >> 22) & 7],
        "sdk": sdk,
        "pinned": False,
        "license": V.LICENSE_TABLE[(h >> 25) & 15],
    }
    if sdk in ("gradio", "streamlit"):
        card["sdk_version"] = "5.9.1" if sdk == "gradio" else "1.41.1"
        card["app_file"] = "app.py"
    return {
        "_id": c["_id"],
        "id": c["id"],
        "author": c["author"],
        "sha": c["sha"],
        "lastModified": c["lastModified"],
        "private": c["private"],
        "gated": False,
        "disabled": False,
        "host": f"https://{subdomain}.hf.space",
        "subdomain": subdomain,
        "likes": c["likes"],
        "sdk": sdk,
        "tags": space_tags(gen, idx),
        "runtime": {
            "stage": stage,
            "hardware": {
                "current": hardware if stage == "RUNNING" else None,
                "requested": hardware,
            },
            "storage": None,
            "gcTimeout": 172800,
            "replicas": {"current": 1, "requested": 1},
            "devMode": False,
            "domains": [{"domain": f"{subdomain}.hf.space", "stage": "READY"}],
            "sha": c["sha"],
        },
        "cardData": card,
        "siblings": [{"rfilename": f} for f in sorted([".gitattributes", "README.md", *files])],
        "models": [],
        "datasets": [],
        "createdAt": c["createdAt"],
        "usedStorage": 1024 + (h & 0xFFFFFF),
    }


def space_expanded(gen: Generated, idx: int) -> Item:
    """Every field ``expand=`` may ask for on a space."""
    item = space_info(gen, idx)
    item["trendingScore"] = gen.field("trendingScore", idx)
    item["region"] = "us"
    item["xetEnabled"] = False
    return item


# -- per-kind tables ----------------------------------------------------------------------
Builder = Callable[[Generated, int], Item]
LIST_ITEM: Final[dict[str, Builder]] = {
    "model": model_list_item,
    "dataset": dataset_list_item,
    "space": space_list_item,
}
INFO: Final[dict[str, Builder]] = {
    "model": model_info,
    "dataset": dataset_info,
    "space": space_info,
}
EXPANDED: Final[dict[str, Builder]] = {
    "model": model_expanded,
    "dataset": dataset_expanded,
    "space": space_expanded,
}
TAGS: Final[dict[str, Callable[[Generated, int], list[str]]]] = {
    "model": model_tags,
    "dataset": dataset_tags,
    "space": space_tags,
}


def tag_predicate(gen: Generated, tag: str) -> Callable[[int], bool]:
    """A fast membership test for ``tag`` on generated items (falls back to the tag list).

    Models also match ``language:xx`` against their bare ``xx`` language tag.
    """
    if gen.kind == "model":
        if tag in V.PIPELINES:
            return lambda i: _model_bits(gen, i)[2] == tag
        if tag in V.LIBRARIES:
            return lambda i: _model_bits(gen, i)[1] == tag
        if tag.startswith("license:"):
            lic = tag[len("license:") :]
            return lambda i: _model_bits(gen, i)[3] == lic
        lang = tag[len("language:") :] if tag.startswith("language:") else tag
        if lang in V.LANGUAGES:
            return lambda i: _model_bits(gen, i)[4] == lang
    tags_of = TAGS[gen.kind]
    return lambda i: tag in tags_of(gen, i)

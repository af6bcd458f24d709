"""Generated datasets. The head of list items and info bodies follows
``models/list_and_info_shape_observations.json``; the rest follows the official client's
``DatasetInfo`` attributes (no full recording exists)."""

from __future__ import annotations

from typing import Any

from . import _vocab as V
from ._data import Generated, common_fields, gitaly_uid, mix64

Item = dict[str, Any]


def _dataset_bits(gen: Generated, idx: int) -> tuple[int, str, str, str, str, str]:
    h = gen.h(idx)
    task = V.DATASET_TASK_TABLE[h & 15]
    lang = V.LANGUAGE_TABLE[(h >> 4) & 15] or "en"
    lic = V.LICENSE_TABLE[(h >> 8) & 15]
    size = V.SIZE_CATEGORIES[(h >> 12) & 7]
    fmt = V.DATASET_FORMATS[(h >> 15) & 3]
    return h, task, lang, lic, size, fmt


def _card_tags(gen: Generated, idx: int) -> dict[str, str]:
    """The older card fields some datasets declare (``task_ids``, ``language_creators``,
    ``multilinguality``), and the official benchmark mark of a few."""
    h, task, lang, *_ = _dataset_bits(gen, idx)
    bits = mix64(h ^ 0xCA4D)
    out: dict[str, str] = {}
    if bits & 1:
        ids = V.DATASET_TASK_IDS.get(task)
        if ids:
            out["task_ids"] = ids[(bits >> 4) % len(ids)]
        out["language_creators"] = V.LANGUAGE_CREATORS[(bits >> 8) & 7]
        multi = "translation" if task == "translation" else "monolingual"
        out["multilinguality"] = "multilingual" if lang == "multilingual" else multi
    if (bits >> 12) & 31 == 0 and task in ("question-answering", "text-classification"):
        out["benchmark"] = "official"
    return out


def dataset_rows(gen: Generated, idx: int) -> int:
    """Rows of the dataset (what the dataset viewer counts), inside its size category."""
    h, _, _, _, size, _ = _dataset_bits(gen, idx)
    lo, hi = V.SIZE_BOUNDS[size]
    return int(lo * (hi / lo) ** (((h >> 32) & 0xFFFF) / 65_536))


def dataset_main_size(gen: Generated, idx: int) -> int:
    """Bytes of the files on the main branch: rows times a row's size for the modality."""
    h, task, *_ = _dataset_bits(gen, idx)
    modality = V.DATASET_MODALITY.get(task, "text")
    per_row = {"image": 14_000, "audio": 40_000}.get(modality, 120 + (h >> 48) % 1_800)
    return 2_048 + min(dataset_rows(gen, idx) * per_row, 1_500_000_000_000 + (h & 0xFFFFFFF))


def dataset_tags(gen: Generated, idx: int) -> list[str]:
    """The tags of generated dataset ``idx``."""
    _, task, lang, lic, size, fmt = _dataset_bits(gen, idx)
    card = _card_tags(gen, idx)
    tags = [f"task_categories:{task}"]
    tags += [f"{key}:{card[key]}" for key in ("task_ids", "language_creators") if key in card]
    if "multilinguality" in card:
        tags.append(f"multilinguality:{card['multilinguality']}")
    if "benchmark" in card:
        tags.append("benchmark:official")
    return [
        *tags,
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


def _dataset_description(gen: Generated, idx: int, repo_id: str) -> str:
    _, task, lang, *_ = _dataset_bits(gen, idx)
    name = repo_id.split("/")[1]
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
        "description": _dataset_description(gen, idx, c["id"]),
        "downloads": c["downloads"],
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
        **{k: [v] for k, v in _card_tags(gen, idx).items() if k != "benchmark"},
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
        "description": _dataset_description(gen, idx, c["id"]),
        "downloads": c["downloads"],
        "likes": c["likes"],
        "tags": dataset_tags(gen, idx),
        "createdAt": c["createdAt"],
        "siblings": [{"rfilename": f} for f in sorted(files)],
        "usedStorage": _used_storage(gen, idx),
    }


def _used_storage(gen: Generated, idx: int) -> int:
    """The main branch, its history and the parquet conversion (a quarter more)."""
    main = dataset_main_size(gen, idx)
    return main + main // 4 + (gen.h(idx) & 0xFFFFF)


def dataset_expanded(gen: Generated, idx: int) -> Item:
    """Every field ``expand=`` may ask for on a dataset."""
    item = dataset_info(gen, idx)
    item["trendingScore"] = gen.field("trendingScore", idx)
    item["downloadsAllTime"] = int(item["downloads"]) * 4
    item["mainSize"] = dataset_main_size(gen, idx)
    item["xetEnabled"] = False
    item["gitalyUid"] = gitaly_uid(gen.h(idx))
    return item

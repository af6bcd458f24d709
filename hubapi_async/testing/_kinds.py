"""The shapes of generated models, datasets and spaces.

Key order and the camelCase/snake_case mix follow the recordings:
``models/model_info__*.body.json`` (info), ``models/list_and_info_shape_observations.json``
(list items of models, and the head of dataset list items and dataset info). Where no
recording shows a shape (the tail of dataset items, every space shape, parquet layouts), the
keys follow the official client's ``DatasetInfo``/``SpaceInfo`` attributes and the seed page.
"""

from collections.abc import Callable
from typing import Any, Final

from . import _vocab as V
from ._data import Generated
from ._gen_datasets import dataset_expanded, dataset_info, dataset_list_item, dataset_tags
from ._gen_models import model_bits, model_expanded, model_info, model_list_item, model_tags
from ._gen_spaces import space_expanded, space_info, space_list_item, space_tags

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
            return lambda i: model_bits(gen, i)[2] == tag
        if tag in V.LIBRARIES:
            return lambda i: model_bits(gen, i)[1] == tag
        if tag.startswith("license:"):
            lic = tag[len("license:") :]
            return lambda i: model_bits(gen, i)[3] == lic
        lang = tag[len("language:") :] if tag.startswith("language:") else tag
        if lang in V.LANGUAGES:
            return lambda i: model_bits(gen, i)[4] == lang
    tags_of = TAGS[gen.kind]
    return lambda i: tag in tags_of(gen, i)

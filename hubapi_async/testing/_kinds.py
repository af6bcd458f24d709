"""One data record per repo kind (model, dataset, space): everything that differs between them.

Key order and the camelCase/snake_case mix of the generated shapes follow the recordings:
``models/model_info__*.body.json`` (info), ``models/list_and_info_shape_observations.json``
(list items of models, and the head of dataset list items and dataset info). Where no
recording shows a shape (the tail of dataset items, every space shape, parquet layouts), the
keys follow the official client's ``DatasetInfo``/``SpaceInfo`` attributes and the seed page.
The store, the routes and the write side read a kind's :class:`KindSpec`; none of them
branches on the kind's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from . import _vocab as V
from ._data import SORT_KEYS, Generated, IndexedValue
from ._gen_datasets import (
    dataset_expanded,
    dataset_info,
    dataset_list_item,
    dataset_main_size,
    dataset_rows,
    dataset_tags,
    parquet_layout,
)
from ._gen_models import (
    model_bits,
    model_expanded,
    model_info,
    model_list_item,
    model_main_size,
    model_param_count,
    model_tags,
)
from ._gen_spaces import space_expanded, space_info, space_list_item, space_main_size, space_tags
from ._repo_bodies import FreshBuilder, fresh_dataset, fresh_model, fresh_space
from ._tags_by_type import TagsByType, dataset_tags_by_type, model_tags_by_type

Item = dict[str, Any]
Builder = Callable[[Generated, int], Item]
TagPredicate = Callable[[int], bool]


@dataclass(frozen=True)
class KindSpec:
    """What sets one repo kind apart: shapes, builders, listing and revision rules."""

    name: str
    """The singular repo type (``model``, ``dataset``, ``space``), as in write bodies."""
    section: str
    """The plural path section (``/api/models``...)."""
    web_prefix: str
    """What precedes a repo id in its web URL (``""``, ``"datasets/"``, ``"spaces/"``)."""
    default_list_keys: tuple[str, ...]
    """Keys of a plain (no ``full``/``expand``) list item, in order."""
    full_list_extra: tuple[str, ...]
    """What ``full=true`` adds to the plain item (the seed: "all tags, the files, etc.")."""
    expandable: frozenset[str]
    """Values ``?expand=`` accepts (the official client's ``Expand*Property_T``, plus
    ``xetEnabled``, seen in ``spaces/space_revision__expand_xetEnabled``)."""
    list_item: Builder
    """The plain list item of a generated repo."""
    info: Builder
    """The info body of a generated repo."""
    expanded: Builder
    """Every expandable field of a generated repo."""
    tags: Callable[[Generated, int], list[str]]
    """The tags of a generated repo."""
    sort_keys: tuple[str, ...]
    """The ``sort=`` values listings accept (both official clients' sort types)."""
    fresh: FreshBuilder
    """The ``(info, extra)`` bodies of a repo created now (``repo_id, private, sdk``)."""
    extra_revisions: frozenset[str] = frozenset()
    """Revisions besides ``main``, ``refs/pr/1`` and the sha that info answers."""
    tags_by_type: Callable[[], TagsByType] | None = None
    """The ``/api/{section}-tags-by-type`` body, for kinds that have one."""
    fast_tag: Callable[[Generated, str], TagPredicate | None] | None = None
    """A cheaper membership test than the tag list for some tags, or ``None``."""
    parquet_layout: Callable[[Generated, int], dict[str, dict[str, int]]] | None = None
    """``{subset: {split: shards}}`` of a generated repo's parquet export, for kinds with one."""
    needs_sdk: bool = False
    """Whether creating one needs an ``sdk`` (and only then may one be given)."""
    indexed_sorts: Mapping[str, IndexedValue] = field(default_factory=dict)
    """Sort keys computed from a generated repo's data (``{key: value_of(gen, idx)}``)."""
    list_params: frozenset[str] = frozenset()
    """Listing query parameters of this kind besides the shared ones (``_listing``)."""

    def tag_predicate(self, gen: Generated, tag: str) -> TagPredicate:
        """A fast membership test for ``tag`` on generated items (else the tag list)."""
        if self.fast_tag is not None:
            fast = self.fast_tag(gen, tag)
            if fast is not None:
                return fast
        tags_of = self.tags
        return lambda i: tag in tags_of(gen, i)

    def web_url(self, base: str, repo_id: str) -> str:
        """The repo's page on the Hub at ``base`` (``https://huggingface.co/spaces/a/b``)."""
        return f"{base}/{self.web_prefix}{repo_id}"


def _model_fast_tag(gen: Generated, tag: str) -> TagPredicate | None:
    """Models test pipelines, libraries, licenses and languages (``xx`` or ``language:xx``)
    on their hash bits."""
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
    return None


MODEL: Final = KindSpec(
    name="model",
    section="models",
    web_prefix="",
    # models/list_and_info_shape_observations.json: models_list_default_item_summary
    default_list_keys=(
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
    full_list_extra=(
        "author",
        "sha",
        "lastModified",
        "gated",
        "disabled",
        "widgetData",
        "cardData",
        "siblings",
    ),
    expandable=frozenset(
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
            "gitalyUid",
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
    list_item=model_list_item,
    info=model_info,
    expanded=model_expanded,
    tags=model_tags,
    sort_keys=(*SORT_KEYS, "likes30d", "num_parameters", "mainSize"),
    fresh=fresh_model,
    tags_by_type=model_tags_by_type,
    fast_tag=_model_fast_tag,
    indexed_sorts=MappingProxyType(
        {"num_parameters": model_param_count, "mainSize": model_main_size}
    ),
    list_params=frozenset(
        {"pipeline_tag", "apps", "inference", "inference_provider", "num_parameters"}
    ),
)

DATASET: Final = KindSpec(
    name="dataset",
    section="datasets",
    web_prefix="datasets/",
    # head observed (datasets_list_default_item); tail after the official client's DatasetInfo
    default_list_keys=(
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
    full_list_extra=("cardData", "siblings"),
    expandable=frozenset(
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
            "gitalyUid",
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
    list_item=dataset_list_item,
    info=dataset_info,
    expanded=dataset_expanded,
    tags=dataset_tags,
    sort_keys=(*SORT_KEYS, "likes30d", "mainSize", "datasetsServerInfo.numRows"),
    fresh=fresh_dataset,
    extra_revisions=frozenset({"refs/convert/parquet"}),
    tags_by_type=dataset_tags_by_type,
    parquet_layout=parquet_layout,
    indexed_sorts=MappingProxyType(
        {"mainSize": dataset_main_size, "datasetsServerInfo.numRows": dataset_rows}
    ),
)

SPACE: Final = KindSpec(
    name="space",
    section="spaces",
    web_prefix="spaces/",
    # no recording: the official client's SpaceInfo attributes; spaces have no downloads
    default_list_keys=(
        "_id",
        "id",
        "likes",
        "trendingScore",
        "private",
        "sdk",
        "tags",
        "createdAt",
    ),
    full_list_extra=("author", "sha", "lastModified", "gated", "disabled", "cardData", "siblings"),
    expandable=frozenset(
        {
            "author",
            "cardData",
            "createdAt",
            "datasets",
            "disabled",
            "gitalyUid",
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
    list_item=space_list_item,
    info=space_info,
    expanded=space_expanded,
    tags=space_tags,
    sort_keys=(*(k for k in SORT_KEYS if k != "downloads"), "likes30d", "mainSize"),
    fresh=fresh_space,
    needs_sdk=True,
    indexed_sorts=MappingProxyType({"mainSize": space_main_size}),
    list_params=frozenset({"models", "datasets", "linked"}),
)

#: Every kind by its singular name.
KINDS: Final[Mapping[str, KindSpec]] = MappingProxyType(
    {s.name: s for s in (MODEL, DATASET, SPACE)}
)
#: ``/api/{section}`` → kind name.
SECTIONS: Final[Mapping[str, str]] = MappingProxyType({s.section: s.name for s in KINDS.values()})

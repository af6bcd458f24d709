"""Model, dataset and Space info, tags by type, parquet listings and Croissant.

One shape per endpoint family: ``GET /api/{models,datasets,spaces}`` (listings,
with or without ``full``/``expand``) and ``GET /api/{type}s/{repo_id}[/revision/{rev}]``
decode into the same Struct; only ``id`` is required, so an ``expand=`` answer
(``_id``, ``id`` and the asked fields) decodes too, everything else ``None``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias

import msgspec

from ._base import HubStruct
from ._repo_parts import (
    AuthorData,
    BaseModels,
    InferenceProviderMapping,
    InferenceProviderMappingEntry,
    OriginSpace,
    RepoSibling,
    ResourceGroupRef,
    SafeTensorsInfo,
    SecurityRepoStatus,
    SpaceRuntime,
    TransformersInfo,
)

__all__ = [
    "Croissant",
    "DatasetInfo",
    "DatasetTagsByType",
    "GatedValue",
    "ModelInfo",
    "ModelTagsByType",
    "ParquetFiles",
    "ParquetFilesBySplit",
    "ParquetFilesBySubset",
    "RepoInfo",
    "SpaceInfo",
    "TagInfo",
    "TagsByType",
]

#: ``False`` for a repository anyone can read, else the approval mode as the
#: server names it (``"manual"``, ``"auto"``).
GatedValue: TypeAlias = bool | str


class RepoInfo(HubStruct, kw_only=True, frozen=True):
    """Fields every repository type shares; the base of the three info Structs.

    Shape: recordings ``models/model_info__*``, ``spaces/space_revision__*``,
    ``models/list_and_info_shape_observations.json`` (dataset info heads) and
    the official client's ``ModelInfo``/``DatasetInfo``/``SpaceInfo``.
    """

    #: Repository id, ``"namespace/name"`` (or a legacy single-segment id).
    id: str
    #: The Hub's internal object id (``_id``); stable across renames.
    object_id: str | None = msgspec.field(default=None, name="_id")
    #: Owner (user or organization) name.
    author: str | None = None
    #: Commit id of the revision described.
    sha: str | None = None
    #: When the repository was created (timezone-aware; the Hub's earliest is 2022-03-02).
    created_at: datetime | None = msgspec.field(default=None, name="createdAt")
    #: Date of the last commit (timezone-aware).
    last_modified: datetime | None = msgspec.field(default=None, name="lastModified")
    #: Whether the repository is private.
    private: bool | None = None
    #: Whether the repository was disabled by the Hub.
    disabled: bool | None = None
    #: ``False``, or the gating mode (``"manual"``, ``"auto"``).
    gated: GatedValue | None = None
    #: Number of likes.
    likes: int | None = None
    #: Trending score (an integer in model listings, fractional for some Spaces).
    trending_score: int | float | None = msgspec.field(default=None, name="trendingScore")
    #: Tags, including those the Hub computes (library, license, arXiv...).
    tags: list[str] | None = None
    #: Metadata of the repository card (README front matter); keys are data.
    card_data: dict[str, Any] | None = msgspec.field(default=None, name="cardData")
    #: Files of the repository.
    siblings: list[RepoSibling] | None = None
    #: Storage used by the repository on the Hub, in bytes.
    used_storage: int | None = msgspec.field(default=None, name="usedStorage")
    #: Resource group the repository belongs to.
    resource_group: ResourceGroupRef | None = msgspec.field(default=None, name="resourceGroup")
    #: Whether the repository stores files with Xet.
    xet_enabled: bool | None = msgspec.field(default=None, name="xetEnabled")
    #: The Hub's storage id of the repository (64 hex; ``expand=gitalyUid``).
    gitaly_uid: str | None = msgspec.field(default=None, name="gitalyUid")


class ModelInfo(RepoInfo, kw_only=True, frozen=True):
    """A model repository, from ``/api/models`` and ``/api/models/{repo_id}``.

    Shape: recordings ``models/model_info__*`` (info, gated, expand answers),
    ``models/list_and_info_shape_observations.json`` (listing items) and the
    fields of the official client's ``ModelInfo``.
    """

    #: Legacy duplicate of ``id`` sent by the Hub.
    model_id: str | None = msgspec.field(default=None, name="modelId")
    #: Downloads over the last 30 days.
    downloads: int | None = None
    #: Downloads since the repository was created.
    downloads_all_time: int | None = msgspec.field(default=None, name="downloadsAllTime")
    #: Main task, e.g. ``"text-generation"`` (server-controlled).
    pipeline_tag: str | None = None
    #: Library the model is for, e.g. ``"transformers"``.
    library_name: str | None = None
    #: Mask token of fill-mask models, e.g. ``"[MASK]"``.
    mask_token: str | None = None
    #: Example inputs of the model widget; shapes vary by task.
    widget_data: list[dict[str, Any]] | None = msgspec.field(default=None, name="widgetData")
    #: Evaluation results from the card's ``model-index``; keys are data.
    model_index: list[dict[str, Any]] | None = msgspec.field(default=None, name="model-index")
    #: Excerpt of the model's configuration (``architectures``, ``model_type``...); keys are data.
    config: dict[str, Any] | None = None
    #: How ``transformers`` loads the model.
    transformers_info: TransformersInfo | None = msgspec.field(
        default=None, name="transformersInfo"
    )
    #: Spaces that use the model (ids).
    spaces: list[str] | None = None
    #: Parameter counts of the safetensors weights.
    safetensors: SafeTensorsInfo | None = None
    #: GGUF details (``total``, ``architecture``, ``context_length``...); keys are data.
    gguf: dict[str, Any] | None = None
    #: ``"warm"`` when at least one Inference Provider serves the model.
    inference: str | None = None
    #: Inference Providers serving the model: a provider-keyed mapping on
    #: ``/api/models/{repo_id}``, a list of entries on listings.
    #: :meth:`inference_provider_entries` gives one form for both.
    inference_provider_mapping: (
        dict[str, InferenceProviderMapping] | list[InferenceProviderMappingEntry] | None
    ) = msgspec.field(default=None, name="inferenceProviderMapping")
    #: Evaluation results from the repository's ``.eval_results`` files; shape left to the server.
    eval_results: list[dict[str, Any]] | None = msgspec.field(default=None, name="evalResults")
    #: The models this model derives from.
    base_models: BaseModels | None = msgspec.field(default=None, name="baseModels")
    #: Number of models derived from this one.
    children_model_count: int | None = msgspec.field(default=None, name="childrenModelCount")
    #: Security scan summary (with ``security_status=True``).
    security_repo_status: SecurityRepoStatus | None = msgspec.field(
        default=None, name="securityRepoStatus"
    )

    def inference_provider_entries(self) -> list[InferenceProviderMappingEntry]:
        """Return :attr:`inference_provider_mapping` as a list, whichever form was sent.

        Keeps the server's order; empty when the field is absent.
        """
        mapping = self.inference_provider_mapping
        if mapping is None:
            return []
        if isinstance(mapping, list):
            return list(mapping)
        return [
            InferenceProviderMappingEntry(
                provider=provider,
                status=value.status,
                provider_id=value.provider_id,
                task=value.task,
                adapter=value.adapter,
                adapter_weights_path=value.adapter_weights_path,
                type=value.type,
            )
            for provider, value in mapping.items()
        ]


class DatasetInfo(RepoInfo, kw_only=True, frozen=True):
    """A dataset repository, from ``/api/datasets`` and ``/api/datasets/{repo_id}``.

    Shape: ``models/list_and_info_shape_observations.json`` (dataset listing and
    info heads) and the fields of the official client's ``DatasetInfo``.
    """

    #: Downloads over the last 30 days.
    downloads: int | None = None
    #: Downloads since the repository was created.
    downloads_all_time: int | None = msgspec.field(default=None, name="downloadsAllTime")
    #: Short description, taken from the dataset card.
    description: str | None = None
    #: BibTeX citation, taken from the dataset card.
    citation: str | None = None
    #: Papers with Code id of the dataset.
    paperswithcode_id: str | None = None
    #: Size of the main branch, in bytes.
    main_size: int | None = msgspec.field(default=None, name="mainSize")


class SpaceInfo(RepoInfo, kw_only=True, frozen=True):
    """A Space, from ``/api/spaces`` and ``/api/spaces/{repo_id}``.

    Shape: recordings ``spaces/space_revision__expand_xetEnabled`` and
    ``spaces/semantic_search__hf-mcp-server_fixture`` (Space objects with
    ``runtime``, ``authorData``, ``originSpace``...), and the fields of the
    official client's ``SpaceInfo``.
    """

    #: SDK the Space runs, e.g. ``"gradio"``, ``"docker"`` (server-controlled).
    sdk: str | None = None
    #: Runtime state (stage, hardware, replicas, domains).
    runtime: SpaceRuntime | None = None
    #: Models the Space uses (ids).
    models: list[str] | None = None
    #: Datasets the Space uses (ids).
    datasets: list[str] | None = None
    #: Host URL of the running Space.
    host: str | None = None
    #: Sub-domain of the running Space.
    subdomain: str | None = None
    #: Cloud region storing the Space, e.g. ``"us"``.
    region: str | None = None
    #: Title from the Space card.
    title: str | None = None
    #: Emoji from the Space card.
    emoji: str | None = None
    #: Thumbnail gradient start colour from the Space card.
    color_from: str | None = msgspec.field(default=None, name="colorFrom")
    #: Thumbnail gradient end colour from the Space card.
    color_to: str | None = msgspec.field(default=None, name="colorTo")
    #: Whether the owner pinned the Space on their profile.
    pinned: bool | None = None
    #: Short description from the Space card.
    short_description: str | None = msgspec.field(default=None, name="shortDescription")
    #: ``"space"``; sent with Space objects in some listings.
    repo_type: str | None = msgspec.field(default=None, name="repoType")
    #: Overview of the owner.
    author_data: AuthorData | None = msgspec.field(default=None, name="authorData")
    #: The Space this one was duplicated from.
    origin_space: OriginSpace | None = msgspec.field(default=None, name="originSpace")
    #: Whether the authenticated caller liked the Space.
    is_liked_by_user: bool | None = msgspec.field(default=None, name="isLikedByUser")
    #: One-line description generated by the Hub.
    ai_short_description: str | None = None
    #: Category generated by the Hub, e.g. ``"Image Generation"``.
    ai_category: str | None = None
    #: Relevance to the query, on semantic search answers.
    semantic_relevancy_score: float | None = msgspec.field(
        default=None, name="semanticRelevancyScore"
    )


class TagInfo(HubStruct, kw_only=True, frozen=True):
    """One tag of ``/api/models-tags-by-type`` or ``/api/datasets-tags-by-type``.

    Shape: the ``GET /api/models-tags-by-type`` entry of
    ``openapi/stainless_derived_schema_notes.json`` and the official client's
    ``get_model_tags`` (which returns the raw JSON). No recording here yet.
    """

    #: Tag id as used in filters, e.g. ``"license:mit"`` or ``"text-generation"``.
    id: str
    #: Human-readable label, e.g. ``"mit"``.
    label: str | None = None
    #: Tag type (``"pipeline_tag"``, ``"library"``, ``"license"``...; server-controlled).
    type: str | None = None
    #: Sub-type, for types that have them (e.g. a modality of a pipeline tag).
    sub_type: str | None = msgspec.field(default=None, name="subType")


#: Tags grouped by tag type: ``{"license": [TagInfo, ...], ...}``; the keys are data.
TagsByType: TypeAlias = dict[str, list[TagInfo]]
#: Answer of ``GET /api/models-tags-by-type``.
ModelTagsByType: TypeAlias = TagsByType
#: Answer of ``GET /api/datasets-tags-by-type``.
DatasetTagsByType: TypeAlias = TagsByType

#: ``GET /api/datasets/{repo_id}/parquet``: subset -> split -> shard URLs.
#: Shape: recording ``datasets/parquet__ibm_duorc__docs_example``.
ParquetFilesBySubset: TypeAlias = dict[str, dict[str, list[str]]]
#: ``GET /api/datasets/{repo_id}/parquet/{subset}``: split -> shard URLs.
#: Shape: recording ``datasets/parquet__ibm_duorc__config__docs_shape``.
ParquetFilesBySplit: TypeAlias = dict[str, list[str]]
#: ``GET /api/datasets/{repo_id}/parquet/{subset}/{split}``: shard URLs.
#: Shape: recording ``datasets/parquet__ibm_duorc__config_split__docs_example``.
ParquetFiles: TypeAlias = list[str]
#: ``GET /api/datasets/{repo_id}/croissant``: a Croissant JSON-LD document, kept as data.
#: Shape: recordings ``datasets/croissant__*``.
Croissant: TypeAlias = dict[str, Any]

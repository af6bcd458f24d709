"""Collections: ``GET /api/collections``, ``GET /api/collections/{slug}`` and the write answers.

Shape: recordings ``collections/collection_info__huggingfacejs_test-collection`` (all five
item types: dataset, collection, Space, paper, model) and
``collections/list_collections__owner_huggingfacejs`` (a listing: no ``position`` nor
``shareUrl``, at most 4 items per collection), both exact key sets of live answers; the
collection item union of ``openapi/stainless_derived_schema_notes.json`` (the Hub's own
OpenAPI types: notes, galleries, resource groups, model and Space extras); the official
client's ``Collection``/``CollectionItem``.

One :class:`CollectionItem` Struct serves every item type (``type`` says which); the fields
of the other types are ``None``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ._base import HubStruct
from ._repo_parts import AuthorData, OriginSpace, ResourceGroupRef, SpaceRuntime

__all__ = [
    "AvailableInferenceProvider",
    "Collection",
    "CollectionItem",
    "CollectionItemNote",
    "CollectionOwner",
    "DatasetsServerInfo",
]


class CollectionOwner(AuthorData, kw_only=True, frozen=True):
    """A user or organization as collections embed it (``owner``, an item's ``authorData``).

    Shape: ``owner`` and ``items[].authorData`` of recording
    ``collections/collection_info__huggingfacejs_test-collection``; the owner union of
    ``openapi/stainless_derived_schema_notes.json`` (``isPro`` for users, ``isEnterprise``
    for organizations).
    """

    #: Whether the authenticated caller follows this account.
    is_user_following: bool | None = msgspec.field(default=None, name="isUserFollowing")


class CollectionItemNote(HubStruct, kw_only=True, frozen=True):
    """The note attached to an item, as text and as rendered HTML.

    Shape: ``note`` of the item union in ``openapi/stainless_derived_schema_notes.json``
    (``{"html", "text"}``), as huggingface.js's live add-item test reads it back.
    """

    #: The note as the caller wrote it.
    text: str | None = None
    #: The note rendered as HTML.
    html: str | None = None


class DatasetsServerInfo(HubStruct, kw_only=True, frozen=True):
    """What the dataset viewer knows of a dataset item.

    Shape: ``datasetsServerInfo`` of recording
    ``collections/collection_info__huggingfacejs_test-collection`` and the Hub's OpenAPI
    types (``openapi/stainless_derived_schema_notes.json``).
    """

    #: ``viewer``, ``viewer-partial`` or ``preview`` (server-controlled).
    viewer: str | None = None
    #: Number of rows, when known.
    num_rows: int | None = msgspec.field(default=None, name="numRows")
    #: Libraries that can load it (``datasets``, ``pandas``, ``polars``...).
    libraries: list[str] | None = None
    #: File formats (``parquet``, ``json``, ``csv``...).
    formats: list[str] | None = None
    #: Modalities (``text``, ``image``, ``audio``...).
    modalities: list[str] | None = None


class AvailableInferenceProvider(HubStruct, kw_only=True, frozen=True):
    """An inference provider serving a model item.

    Shape: ``availableInferenceProviders[]`` of the model item in the Hub's OpenAPI types
    (``openapi/stainless_derived_schema_notes.json``).
    """

    #: Provider name, e.g. ``"together"`` (server-controlled).
    provider: str | None = None
    #: The model's id at the provider.
    provider_id: str | None = msgspec.field(default=None, name="providerId")
    #: ``live``, ``staging`` or ``error`` for the provider.
    provider_status: str | None = msgspec.field(default=None, name="providerStatus")
    #: ``live``, ``staging`` or ``error`` for the model at the provider.
    model_status: str | None = msgspec.field(default=None, name="modelStatus")
    #: The task served, e.g. ``"text-generation"``.
    task: str | None = None
    #: ``"lora"`` for adapters.
    adapter_type: str | None = msgspec.field(default=None, name="adapterType")
    #: Path of the adapter weights in the repo.
    adapter_weights_path: str | None = msgspec.field(default=None, name="adapterWeightsPath")
    #: Provider features (``toolCalling``...); keys are data.
    features: dict[str, Any] | None = None


class CollectionItem(HubStruct, kw_only=True, frozen=True):
    """One item of a collection: a model, dataset, Space, paper or another collection.

    ``object_id`` (``_id``) names the item *in the collection*: pass it to
    ``update_item``/``delete_item``. ``id`` is what the item points to: a repo id, an arXiv
    id, or (for a collection) its 24-hex-digit id; :attr:`item_id` gives a collection's
    slug instead, as the official client's ``CollectionItem.item_id`` does.

    Shape: ``items[]`` of recording ``collections/collection_info__huggingfacejs_test-collection``
    and the item union of ``openapi/stainless_derived_schema_notes.json``.
    """

    #: What the item points to (repo id, arXiv id, collection id).
    id: str
    #: ``model``, ``dataset``, ``space``, ``paper`` or ``collection`` (server-controlled).
    type: str
    #: The item's own id in the collection (for ``update_item``/``delete_item``).
    object_id: str = msgspec.field(name="_id")
    #: Position in the collection, from 0.
    position: int | None = None
    #: The note attached to the item.
    note: CollectionItemNote | None = None
    #: Image URLs attached to the item.
    gallery: list[str] | None = None

    # -- repositories (model, dataset, Space) ----------------------------------------------
    #: ``model``, ``dataset`` or ``space``.
    repo_type: str | None = msgspec.field(default=None, name="repoType")
    #: Owner of the repository.
    author: str | None = None
    #: Overview of the owner.
    author_data: CollectionOwner | None = msgspec.field(default=None, name="authorData")
    #: Whether the repository is private.
    private: bool | None = None
    #: ``False``, or the gating mode (``"manual"``, ``"auto"``).
    gated: bool | str | None = None
    #: Number of likes.
    likes: int | None = None
    #: Downloads over the last 30 days (models and datasets).
    downloads: int | None = None
    #: Date of the last commit.
    last_modified: datetime | None = msgspec.field(default=None, name="lastModified")
    #: Whether the authenticated caller liked the repository.
    is_liked_by_user: bool | None = msgspec.field(default=None, name="isLikedByUser")
    #: Resource group the repository belongs to.
    resource_group: ResourceGroupRef | None = msgspec.field(default=None, name="resourceGroup")
    #: Trending score (Spaces).
    trending_score: int | float | None = msgspec.field(default=None, name="trendingScore")
    #: Model: pipeline tag, e.g. ``"text-generation"``.
    pipeline_tag: str | None = None
    #: Model: number of parameters.
    num_parameters: int | None = msgspec.field(default=None, name="numParameters")
    #: Model: inference providers serving it.
    available_inference_providers: list[AvailableInferenceProvider] | None = msgspec.field(
        default=None, name="availableInferenceProviders"
    )
    #: Model: URLs of widget outputs.
    widget_output_urls: list[str] | None = msgspec.field(default=None, name="widgetOutputUrls")
    #: Dataset: what the dataset viewer knows of it.
    datasets_server_info: DatasetsServerInfo | None = msgspec.field(
        default=None, name="datasetsServerInfo"
    )
    #: Dataset: whether it is a benchmark.
    is_benchmark: bool | None = msgspec.field(default=None, name="isBenchmark")
    #: Dataset: whether it holds agent traces.
    is_traces: bool | None = msgspec.field(default=None, name="isTraces")
    #: Space: SDK (``gradio``, ``docker``, ``static``...).
    sdk: str | None = None
    #: Space: runtime state.
    runtime: SpaceRuntime | None = None
    #: Space: emoji from its card.
    emoji: str | None = None
    #: Space: thumbnail gradient start colour.
    color_from: str | None = msgspec.field(default=None, name="colorFrom")
    #: Space: thumbnail gradient end colour.
    color_to: str | None = msgspec.field(default=None, name="colorTo")
    #: Space: when it was created.
    created_at: datetime | None = msgspec.field(default=None, name="createdAt")
    #: Space: whether the Hub disabled it.
    disabled: bool | None = None
    #: Space: whether it is featured.
    featured: bool | None = None
    #: Space: whether its owner pinned it.
    pinned: bool | None = None
    #: Space: tags.
    tags: list[str] | None = None
    #: Space: ``public`` or ``private``.
    visibility: str | None = None
    #: Space: category generated by the Hub.
    ai_category: str | None = None
    #: Space: one-line description generated by the Hub.
    ai_short_description: str | None = None
    #: Space: short description from its card.
    short_description: str | None = msgspec.field(default=None, name="shortDescription")
    #: Space: the Space it was duplicated from.
    origin_space: OriginSpace | None = msgspec.field(default=None, name="originSpace")
    #: Space: relevance to a semantic search query.
    semantic_relevancy_score: float | None = msgspec.field(
        default=None, name="semanticRelevancyScore"
    )

    # -- papers, collections, Spaces -------------------------------------------------------
    #: Title (paper, collection, Space).
    title: str | None = None
    #: Number of upvotes (paper, collection).
    upvotes: int | None = None
    #: Whether the authenticated caller upvoted it (paper, collection).
    is_upvoted_by_user: bool | None = msgspec.field(default=None, name="isUpvotedByUser")
    #: Paper: publication date.
    published_at: datetime | None = msgspec.field(default=None, name="publishedAt")
    #: Paper: thumbnail image URL.
    thumbnail_url: str | None = msgspec.field(default=None, name="thumbnailUrl")
    #: Collection: its slug.
    slug: str | None = None
    #: Collection: its description.
    description: str | None = None
    #: Collection: its owner.
    owner: CollectionOwner | None = None
    #: Collection: when it last changed.
    last_updated: datetime | None = msgspec.field(default=None, name="lastUpdated")
    #: Collection: how many items it holds.
    number_items: int | None = msgspec.field(default=None, name="numberItems")
    #: Collection: short public URL.
    share_url: str | None = msgspec.field(default=None, name="shareUrl")
    #: Collection: colour theme.
    theme: str | None = None

    @property
    def item_id(self) -> str:
        """The id to add this item elsewhere with: a collection's slug, else :attr:`id`."""
        return self.slug if self.type == "collection" and self.slug else self.id


class Collection(HubStruct, kw_only=True, frozen=True):
    """A collection of models, datasets, Spaces, papers and collections.

    Listings (``hub.collections.list``) carry at most 4 items per collection and no
    ``position``/``share_url``; ``hub.collections.get(slug)`` returns every item.

    Shape: recordings ``collections/collection_info__huggingfacejs_test-collection`` and
    ``collections/list_collections__owner_huggingfacejs``; the collection type of
    ``openapi/stainless_derived_schema_notes.json``; the official client's ``Collection``.
    """

    #: ``namespace/title-slug-<24 hex digits>``; the id part never changes.
    slug: str
    #: Title.
    title: str | None = None
    #: Description (plain text).
    description: str | None = None
    #: The user or organization owning it.
    owner: CollectionOwner | None = None
    #: Items, in order (at most 4 in listings).
    items: list[CollectionItem] | None = None
    #: When it last changed.
    last_updated: datetime | None = msgspec.field(default=None, name="lastUpdated")
    #: Position among the owner's collections (not in listings).
    position: int | None = None
    #: Whether only the owner (and its organization's members) can see it.
    private: bool | None = None
    #: Colour theme (``orange``, ``blue``, ``green``, ``purple``, ``pink``, ``indigo``...).
    theme: str | None = None
    #: Number of upvotes.
    upvotes: int | None = None
    #: Whether the authenticated caller upvoted it.
    is_upvoted_by_user: bool | None = msgspec.field(default=None, name="isUpvotedByUser")
    #: Short public URL (not in listings).
    share_url: str | None = msgspec.field(default=None, name="shareUrl")
    #: ``False``, ``True``, or the gating settings (``{"mode": "manual", ...}``).
    gating: bool | dict[str, Any] | None = None

    @property
    def id(self) -> str:
        """The collection's 24-hex-digit id (the slug's last part; stable across renames)."""
        return self.slug.rpartition("-")[2]

    @property
    def namespace(self) -> str:
        """The owner's name, from the slug."""
        return self.slug.partition("/")[0]

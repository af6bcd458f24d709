"""Models, datasets and Spaces share one implementation of ``list`` and ``info``.

What differs between them is data: the extra listing keywords each kind takes (for models
``gated``, ``apps``, ``inference_provider``, ``num_parameters``...; for Spaces ``models``,
``datasets``, ``linked``), sent in the wire form of the official client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from .._options import Timeout
from .._pagination import Paginator
from .._validation import quote_revision, validate_repo_id
from ..types import DatasetInfo, ModelInfo, ModelTagsByType, SpaceInfo
from ._base import Resource
from ._listing import (
    StrOrList,
    as_list,
    check_num_parameters,
    join_filters,
    opt_bool,
    opt_str,
    wire_sort,
)

__all__ = ["Models", "RepoFamily", "Spaces", "StrOrList", "join_filters"]

InfoT = TypeVar("InfoT", ModelInfo, DatasetInfo, SpaceInfo)


class RepoFamily(Resource, Generic[InfoT]):
    """``list``/``info`` for one repo type; subclasses only set data."""

    #: The singular repo type (``model``, ``dataset``, ``space``).
    repo_type: ClassVar[str]
    _info_type: type[InfoT]

    @property
    def _base(self) -> str:
        return f"/api/{self.repo_type}s"

    def _list(
        self,
        *,
        search: StrOrList,
        author: str | None,
        filter: list[str],
        sort: str | None,
        direction: int | str | None,
        limit: int | None,
        full: bool | None,
        config: bool | None,
        expand: StrOrList,
        prefetch: bool,
        resume_from: str | None,
        timeout: Timeout | float | None,
        card_data: bool | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Paginator[InfoT]:
        expand_list = as_list(expand, "expand")
        searches = as_list(search, "search")
        opt_str(author, "author")
        for name, value in (("full", full), ("config", config), ("card_data", card_data)):
            opt_bool(value, name)
        if expand_list and (full or config or card_data):
            raise ValueError("expand cannot be combined with full, config or card_data: pick one")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit must be an int")
        if limit is not None and limit < 0:
            raise ValueError("limit must be >= 0")
        if isinstance(direction, bool) or not isinstance(direction, int | str | None):
            raise TypeError("direction must be -1, 1 or a string")
        params: dict[str, Any] = {
            "search": searches or None,
            "author": author,
            "filter": filter or None,
            "sort": wire_sort(sort),
            "direction": direction,
            "limit": limit,
            "full": full or None,
            "config": config or None,
            "cardData": card_data or None,
            "expand": expand_list or None,
            **(extra or {}),
        }
        if resume_from is not None:
            given = sorted(k for k, v in params.items() if v not in (None, []) and k != "limit")
            if given:
                raise ValueError(
                    f"resume_from already carries the listing's query; drop {', '.join(given)}"
                )
            return self._paginate(
                resume_from, type=self._info_type, limit=limit, prefetch=prefetch, timeout=timeout
            )
        return self._paginate(
            self._base,
            params=params,
            type=self._info_type,
            limit=limit,
            prefetch=prefetch,
            timeout=timeout,
        )

    def list(
        self,
        *,
        search: StrOrList = None,
        author: str | None = None,
        filter: StrOrList = None,
        sort: str | None = None,
        direction: int | str | None = None,
        limit: int | None = None,
        full: bool | None = None,
        config: bool | None = None,
        expand: StrOrList = None,
        gated: bool | None = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[InfoT]:
        """List repos, lazily, page by page (nothing is sent until iteration).

        ``search`` matches substrings of ids (several: all must match); ``author`` a user
        or org; ``filter`` tags (str or list, all must match); ``gated`` keeps only gated
        (``True``) or only open (``False``) repos; ``sort`` a property (``downloads``,
        ``likes``, ``likes30d``, ``trendingScore``, ``createdAt``, ``lastModified``,
        ``mainSize``, ``id``; ``created_at``/``last_modified``/``trending_score`` are
        accepted too) and ``direction`` ``-1`` for descending (the Hub's default when only
        ``sort`` is given); ``limit`` caps the items yielded; ``full``/``config`` ask for
        more data, ``expand`` for exactly the named properties (not with ``full``/
        ``config``). ``resume_from`` continues from a :attr:`Paginator.next_url`.
        """
        return self._list(
            search=search,
            author=author,
            filter=as_list(filter, "filter"),
            sort=sort,
            direction=direction,
            limit=limit,
            full=full,
            config=config,
            expand=expand,
            prefetch=prefetch,
            resume_from=resume_from,
            timeout=timeout,
            extra={"gated": opt_bool(gated, "gated")},
        )

    def info_path(self, repo_id: str, revision: str | None = None) -> str:
        """The API path of a repo (and revision); validates both."""
        path = f"{self._base}/{validate_repo_id(repo_id)}"
        if revision is not None:
            path += f"/revision/{quote_revision(revision)}"
        return path

    def _info_params(
        self, expand: StrOrList, files_metadata: bool, security_status: bool = False
    ) -> dict[str, Any]:
        expand_list = as_list(expand, "expand")
        opt_bool(files_metadata, "files_metadata")
        opt_bool(security_status, "security_status")
        if expand_list and (files_metadata or security_status):
            raise ValueError(
                "expand cannot be combined with files_metadata or security_status: pick one"
            )
        return {
            "expand": expand_list or None,
            "blobs": True if files_metadata else None,
            "securityStatus": True if security_status else None,
        }

    async def info(
        self,
        repo_id: str,
        revision: str | None = None,
        *,
        expand: StrOrList = None,
        files_metadata: bool = False,
        timeout: Timeout | float | None = None,
    ) -> InfoT:
        """Everything the Hub knows about one repo, at ``revision`` (default branch).

        ``revision`` may be a branch, tag, commit or ``refs/pr/N``; ``expand`` asks for
        exactly the named properties; ``files_metadata`` adds each file's ``size``,
        ``blob_id`` and, for LFS files, ``lfs`` to ``siblings`` (not with ``expand``).
        """
        params = self._info_params(expand, files_metadata)
        path = self.info_path(repo_id, revision)
        return await self._get(path, self._info_type, params=params, timeout=timeout)


class Models(RepoFamily[ModelInfo]):
    """``hub.models``: model repos."""

    repo_type = "model"
    _info_type = ModelInfo

    def list(
        self,
        *,
        search: StrOrList = None,
        author: str | None = None,
        filter: StrOrList = None,
        sort: str | None = None,
        direction: int | str | None = None,
        limit: int | None = None,
        full: bool | None = None,
        config: bool | None = None,
        card_data: bool | None = None,
        expand: StrOrList = None,
        gated: bool | None = None,
        pipeline_tag: str | None = None,
        library: StrOrList = None,
        language: StrOrList = None,
        trained_dataset: StrOrList = None,
        apps: StrOrList = None,
        inference: str | None = None,
        inference_provider: StrOrList = None,
        num_parameters: str | None = None,
        model_name: str | None = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[ModelInfo]:
        """List models (see :meth:`RepoFamily.list`; ``num_parameters`` also sorts).

        ``pipeline_tag`` a task (``"text-generation"``); ``library`` and ``language``
        tags added to ``filter``; ``trained_dataset`` datasets the model was trained on
        (``dataset:<id>`` tags); ``apps`` local apps that can run it (``"ollama"``,
        ``"vllm"``...: any of them); ``inference="warm"`` models some Inference Provider
        serves now; ``inference_provider`` a provider (``"together"``, a list: any of
        them, or ``"all"``); ``num_parameters`` a size range (``"min:6B,max:128B"``,
        ``"min:6B"``, ``"max:500M"``); ``model_name`` another id substring, like
        ``search``; ``card_data`` adds each model's card metadata (like ``full``).
        """
        if opt_str(inference, "inference") not in (None, "warm"):
            raise ValueError(f'inference can only be "warm", got {inference!r}')
        tags = join_filters(as_list(filter, "filter"), dataset=trained_dataset)
        tags += as_list(library, "library") + as_list(language, "language")
        searches = as_list(model_name, "model_name") + as_list(search, "search")
        return self._list(
            search=searches,
            author=author,
            filter=tags,
            sort=sort,
            direction=direction,
            limit=limit,
            full=full,
            config=config,
            card_data=card_data,
            expand=expand,
            prefetch=prefetch,
            resume_from=resume_from,
            timeout=timeout,
            extra={
                "gated": opt_bool(gated, "gated"),
                "pipeline_tag": opt_str(pipeline_tag, "pipeline_tag") or None,
                "apps": as_list(apps, "apps") or None,
                "inference": inference,
                "inference_provider": as_list(inference_provider, "inference_provider") or None,
                "num_parameters": check_num_parameters(num_parameters),
            },
        )

    async def info(
        self,
        repo_id: str,
        revision: str | None = None,
        *,
        expand: StrOrList = None,
        files_metadata: bool = False,
        security_status: bool = False,
        timeout: Timeout | float | None = None,
    ) -> ModelInfo:
        """Everything the Hub knows about one model (see :meth:`RepoFamily.info`).

        ``security_status`` adds the repo's scan summary
        (:attr:`ModelInfo.security_repo_status`; not with ``expand``).
        """
        params = self._info_params(expand, files_metadata, security_status)
        path = self.info_path(repo_id, revision)
        return await self._get(path, ModelInfo, params=params, timeout=timeout)

    async def tags_by_type(self, *, timeout: Timeout | float | None = None) -> ModelTagsByType:
        """Every model tag the Hub knows, grouped by type (``pipeline_tag``, ``library``...)."""
        return await self._get("/api/models-tags-by-type", ModelTagsByType, timeout=timeout)


class Spaces(RepoFamily[SpaceInfo]):
    """``hub.spaces``: Space repos."""

    repo_type = "space"
    _info_type = SpaceInfo

    def list(
        self,
        *,
        search: StrOrList = None,
        author: str | None = None,
        filter: StrOrList = None,
        sort: str | None = None,
        direction: int | str | None = None,
        limit: int | None = None,
        full: bool | None = None,
        config: bool | None = None,
        expand: StrOrList = None,
        gated: bool | None = None,
        models: StrOrList = None,
        datasets: StrOrList = None,
        linked: bool = False,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[SpaceInfo]:
        """List Spaces (see :meth:`RepoFamily.list`; Spaces have no ``downloads`` sort).

        ``models``/``datasets`` keep Spaces that use one of the named repos (ids);
        ``linked=True`` Spaces that use at least one model or dataset.
        """
        if not isinstance(linked, bool):
            raise TypeError(f"linked must be a bool, not {type(linked).__name__}")
        return self._list(
            search=search,
            author=author,
            filter=as_list(filter, "filter"),
            sort=sort,
            direction=direction,
            limit=limit,
            full=full,
            config=config,
            expand=expand,
            prefetch=prefetch,
            resume_from=resume_from,
            timeout=timeout,
            extra={
                "gated": opt_bool(gated, "gated"),
                "models": as_list(models, "models") or None,
                "datasets": as_list(datasets, "datasets") or None,
                "linked": True if linked else None,
            },
        )

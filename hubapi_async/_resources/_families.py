"""Models, datasets and Spaces share one implementation of ``list`` and ``info``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from typing import Any, ClassVar, Generic, TypeVar

from .._options import Timeout
from .._pagination import Paginator
from .._validation import quote_revision, validate_repo_id
from ..types import DatasetInfo, ModelInfo, ModelTagsByType, SpaceInfo
from ._base import Resource

__all__ = ["Models", "RepoFamily", "Spaces", "join_filters"]

InfoT = TypeVar("InfoT", ModelInfo, DatasetInfo, SpaceInfo)

StrOrList = str | Sequence[str] | None


def _text(what: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a str, got {type(value).__name__}")


def _as_list(value: StrOrList, what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    given: object = value
    if isinstance(given, bytes | bytearray | memoryview | Mapping | Set):
        raise TypeError(
            f"{what} must be a str or a list of str, got {type(given).__name__}"
            + (" (a set has no order)" if isinstance(given, Set) else "")
        )
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{what} items must be strings, got {type(item).__name__}")
    return items


def join_filters(filter: StrOrList, **tags: StrOrList) -> list[str]:
    """``filter`` plus ``key:value`` tags for each convenience keyword given."""
    out = _as_list(filter, "filter")
    for key, value in tags.items():
        for item in _as_list(value, key):
            out.append(item if item.startswith(f"{key}:") else f"{key}:{item}")
    return out


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
        search: str | None,
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
        extra: Mapping[str, Any] | None = None,
    ) -> Paginator[InfoT]:
        for name, value in (("search", search), ("author", author), ("sort", sort)):
            _text(name, value)
        if isinstance(direction, bool) or not isinstance(direction, int | str | None):
            raise TypeError(f"direction must be -1 (or 1), got {direction!r}")
        expand_list = _as_list(expand, "expand")
        if expand_list and (full or config):
            raise ValueError("expand cannot be combined with full or config: pick one")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit must be an int")
        if limit is not None and limit < 0:
            raise ValueError("limit must be >= 0")
        if resume_from is not None:
            given = [
                name
                for name, value in (
                    ("search", search),
                    ("author", author),
                    ("filter", filter),
                    ("sort", sort),
                    ("direction", direction),
                    ("full", full),
                    ("config", config),
                    ("expand", expand_list),
                )
                if value
            ]
            if given:
                raise ValueError(
                    f"resume_from already carries the listing's query; drop {', '.join(given)}"
                )
            return self._paginate(
                resume_from,
                type=self._info_type,
                limit=limit,
                prefetch=prefetch,
                timeout=timeout,
            )
        params: dict[str, Any] = {
            "search": search,
            "author": author,
            "filter": filter or None,
            "sort": sort,
            "direction": direction,
            "limit": limit,
            "full": full,
            "config": config,
            "expand": expand_list or None,
            **(extra or {}),
        }
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
        search: str | None = None,
        author: str | None = None,
        filter: StrOrList = None,
        sort: str | None = None,
        direction: int | str | None = None,
        limit: int | None = None,
        full: bool | None = None,
        config: bool | None = None,
        expand: StrOrList = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[InfoT]:
        """List repos, lazily, page by page (nothing is sent until iteration).

        ``search`` matches substrings of ids; ``author`` a user or org; ``filter`` tags
        (str or list); ``sort`` a property (``downloads``, ``likes``, ``createdAt``...)
        and ``direction`` ``-1`` for descending (the Hub's default when only ``sort``
        is given); ``limit`` caps the items yielded; ``full``/``config`` ask for more
        data, ``expand`` for exactly the named properties (not with ``full``/``config``).
        ``resume_from`` continues from a :attr:`Paginator.next_url`.
        """
        return self._list(
            search=search,
            author=author,
            filter=_as_list(filter, "filter"),
            sort=sort,
            direction=direction,
            limit=limit,
            full=full,
            config=config,
            expand=expand,
            prefetch=prefetch,
            resume_from=resume_from,
            timeout=timeout,
        )

    def info_path(self, repo_id: str, revision: str | None = None) -> str:
        """The API path of a repo (and revision); validates both."""
        path = f"{self._base}/{validate_repo_id(repo_id)}"
        if revision is not None:
            path += f"/revision/{quote_revision(revision)}"
        return path

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
        exactly the named properties; ``files_metadata`` adds sizes to ``siblings``.
        """
        params: dict[str, Any] = {"expand": _as_list(expand, "expand") or None}
        if files_metadata:
            params["blobs"] = True
        return await self._get(
            self.info_path(repo_id, revision), self._info_type, params=params, timeout=timeout
        )


class Models(RepoFamily[ModelInfo]):
    """``hub.models``: model repos."""

    repo_type = "model"
    _info_type = ModelInfo

    def list(
        self,
        *,
        search: str | None = None,
        author: str | None = None,
        filter: StrOrList = None,
        sort: str | None = None,
        direction: int | str | None = None,
        limit: int | None = None,
        full: bool | None = None,
        config: bool | None = None,
        expand: StrOrList = None,
        pipeline_tag: str | None = None,
        library: StrOrList = None,
        language: StrOrList = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[ModelInfo]:
        """List models (see :meth:`RepoFamily.list`); ``pipeline_tag``, ``library`` and
        ``language`` are added to ``filter`` as tags."""
        tags = _as_list(filter, "filter") + _as_list(library, "library")
        tags += _as_list(language, "language")
        _text("pipeline_tag", pipeline_tag)
        if pipeline_tag:
            tags.append(pipeline_tag)
        return self._list(
            search=search,
            author=author,
            filter=tags,
            sort=sort,
            direction=direction,
            limit=limit,
            full=full,
            config=config,
            expand=expand,
            prefetch=prefetch,
            resume_from=resume_from,
            timeout=timeout,
        )

    async def tags_by_type(self, *, timeout: Timeout | float | None = None) -> ModelTagsByType:
        """Every model tag the Hub knows, grouped by type (``pipeline_tag``, ``library``...)."""
        return await self._get("/api/models-tags-by-type", ModelTagsByType, timeout=timeout)


class Spaces(RepoFamily[SpaceInfo]):
    """``hub.spaces``: Space repos."""

    repo_type = "space"
    _info_type = SpaceInfo

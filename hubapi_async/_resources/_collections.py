"""``hub.collections``: collections and their items."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import quote

from .._options import Timeout
from .._pagination import Paginator
from .._validation import (
    validate_arxiv_id,
    validate_collection_slug,
    validate_namespace,
    validate_object_id,
    validate_repo_id,
)
from ..errors import ConflictError, NotFoundError
from ..types import Collection, HubStruct
from ._base import Resource, body_of

__all__ = ["ITEM_TYPES", "Collections", "collection_item_ref", "item_filter"]

#: Item types the Hub accepts in a collection (the official client's list).
ITEM_TYPES: Final = ("model", "dataset", "space", "paper", "collection", "bucket")
#: The Hub's largest listing page for collections.
MAX_PAGE: Final = 100


StrOrList = str | Sequence[str] | None


class _Envelope(HubStruct, kw_only=True, frozen=True):
    """``{"data": {...}}``: how the Hub wraps an updated collection (official client)."""

    data: Collection | None = None


def _slug_path(slug: str, tail: str = "") -> str:
    validate_collection_slug(slug)
    namespace, _, rest = slug.partition("/")
    return f"/api/collections/{namespace}/{quote(rest, safe='')}{tail}"


def _item_path(slug: str, item_object_id: str) -> str:
    validate_object_id(item_object_id, "collection item id")
    return _slug_path(slug, f"/items/{item_object_id}")


def _check_type(item_type: object) -> str:
    if item_type not in ITEM_TYPES:
        raise ValueError(
            f"Invalid item type {item_type!r}: expected one of {', '.join(ITEM_TYPES)}."
        )
    return str(item_type)


def _check_arxiv(value: str) -> str:
    try:
        return validate_arxiv_id(value)
    except ValueError:
        raise ValueError(
            f"Invalid paper id {value!r}: expected an arXiv id such as '2307.09288'"
            " (optionally with a version, 'v2') or 'hep-th/9901001'."
        ) from None


def collection_item_ref(item_id: object, item_type: object) -> str:
    """The id to send for an item of ``item_type``, checked (``ValueError`` if malformed).

    Repos take a repo id, papers an arXiv id, buckets ``namespace/name``; a collection takes
    its slug or its 24-hex-digit id, and is sent as the id (the form the Hub accepts).
    """
    kind = _check_type(item_type)
    if not isinstance(item_id, str):
        raise ValueError(f"Invalid item id {item_id!r}: expected a string.")
    if kind == "paper":
        return _check_arxiv(item_id)
    if kind == "collection":
        if "/" in item_id:
            return validate_collection_slug(item_id).rpartition("-")[2]
        return validate_object_id(item_id, "collection id")
    validate_repo_id(item_id)
    if kind == "bucket" and "/" not in item_id:
        raise ValueError(f"Invalid bucket id {item_id!r}: expected 'namespace/name'.")
    return item_id


def item_filter(value: object) -> str:
    """Check a listing's ``item`` filter (``models/google/gemma-2b``, ``papers/2311.12983``)."""
    if not isinstance(value, str):
        raise ValueError(f"Invalid item filter {value!r}: expected a string.")
    plural, sep, ident = value.partition("/")
    kind = plural[:-1] if plural.endswith("s") else ""
    if not sep or kind not in ITEM_TYPES:
        raise ValueError(
            f"Invalid item filter {value!r}: expected '<type>s/<id>' such as"
            " 'models/google/gemma-2b', 'datasets/rajpurkar/squad' or 'papers/2311.12983'."
        )
    try:
        collection_item_ref(ident, kind)
    except ValueError as exc:
        raise ValueError(f"Invalid item filter {value!r}: {exc}") from None
    return value


def _strings(value: StrOrList, what: str) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"{what} must be strings, got {type(item).__name__}")
    return items


def _check_str(value: object, what: str, *, empty: bool = True) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {type(value).__name__}")
    if not empty and not value.strip():
        raise ValueError(f"{what} must not be empty")


def _check_bool(value: object, what: str) -> None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, got {type(value).__name__}")


def _check_position(value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"position must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"position must be >= 0, got {value}")


def _pick_exist_ok(exist_ok: bool, exists_ok: bool | None) -> bool:
    if exists_ok is not None and exists_ok != exist_ok and exist_ok:
        raise TypeError("exist_ok and exists_ok disagree: pass one of them")
    return bool(exist_ok or exists_ok)


class Collections(Resource):
    """``hub.collections``: collections and their items.

    A collection is named by its slug, ``"namespace/title-part-<24 hex digits>"``; the id
    part never changes, the title part follows the title. Items are named in the collection
    by their own ``object_id`` (``CollectionItem.object_id``), not by the repo or paper they
    point to.
    """

    def list(
        self,
        *,
        owner: StrOrList = None,
        item: StrOrList = None,
        sort: str | None = None,
        limit: int | None = None,
        q: str | None = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[Collection]:
        """List collections, lazily, page by page following the Hub's ``Link`` header.

        Listed collections carry **at most 4 items** each: call :meth:`get` with a
        collection's slug for all of them. ``owner`` is a user or organization (or a list:
        any of them); ``item`` a ``"<type>s/<id>"`` such as ``"models/google/gemma-2b"``,
        ``"datasets/rajpurkar/squad"`` or ``"papers/2311.12983"`` (or a list); ``sort`` is
        ``"trending"`` (the Hub's default), ``"lastModified"`` or ``"upvotes"``; ``q``
        matches substrings of titles and descriptions; ``limit`` caps the collections
        yielded (pages hold at most 100). Private collections appear only to their owner and
        the owning organization's members. ``resume_from`` continues from a
        :attr:`Paginator.next_url`.
        """
        owners = _strings(owner, "owner")
        for name in owners:
            validate_namespace(name, "owner")
        items = [item_filter(x) for x in _strings(item, "item")]
        _check_str(sort, "sort")
        _check_str(q, "q")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
            raise TypeError("limit must be an int")
        if limit is not None and limit < 0:
            raise ValueError("limit must be >= 0")
        if resume_from is not None:
            given = [
                n for n, v in (("owner", owners), ("item", items), ("sort", sort), ("q", q)) if v
            ]
            if given:
                raise ValueError(
                    f"resume_from already carries the listing's query; drop {', '.join(given)}"
                )
            return self._paginate(
                resume_from, type=Collection, limit=limit, prefetch=prefetch, timeout=timeout
            )
        params: dict[str, Any] = {
            "owner": owners or None,
            "item": items or None,
            "sort": sort,
            "q": q,
            "limit": min(limit, MAX_PAGE) if limit else None,
        }
        return self._paginate(
            "/api/collections",
            params=params,
            type=Collection,
            limit=limit,
            prefetch=prefetch,
            timeout=timeout,
        )

    async def get(self, slug: str, *, timeout: Timeout | float | None = None) -> Collection:
        """One collection with all its items (``NotFoundError`` if unknown or hidden)."""
        return await self._get(_slug_path(slug), Collection, timeout=timeout)

    async def create(
        self,
        *,
        title: str,
        namespace: str | None = None,
        description: str | None = None,
        private: bool | None = None,
        item_id: str | None = None,
        item_type: str | None = None,
        exist_ok: bool = False,
        exists_ok: bool | None = None,
        timeout: Timeout | float | None = None,
    ) -> Collection:
        """Create a collection and return it.

        ``namespace`` is a user or an organization you can write to; without it, the token's
        user (one ``whoami`` call, as the official client does). ``item_id`` with
        ``item_type`` adds a first item. The Hub refuses a second collection with the same
        title in a namespace (``ConflictError``); with ``exist_ok=True`` (the official
        client's ``exists_ok`` is accepted too) the existing one is returned instead.
        """
        _check_str(title, "title", empty=False)
        _check_str(description, "description")
        _check_bool(private, "private")
        if (item_id is None) != (item_type is None):
            raise ValueError("item_id and item_type go together: pass both or neither")
        first = None
        if item_id is not None:
            first = {"type": item_type, "id": collection_item_ref(item_id, item_type)}
        wanted = _pick_exist_ok(exist_ok, exists_ok)
        if namespace is None:
            namespace = (await self._client.users.whoami(timeout=timeout)).name
        validate_namespace(namespace)
        body = body_of(
            title=title, namespace=namespace, description=description, private=private, item=first
        )
        try:
            return await self._post("/api/collections", Collection, json=body, timeout=timeout)
        except ConflictError as exc:
            if not wanted:
                raise
            slug = _slug_from_conflict(exc) or await self._find(namespace, title, timeout)
            if slug is None:
                raise
            return await self.get(slug, timeout=timeout)

    async def _find(
        self, namespace: str, title: str, timeout: Timeout | float | None
    ) -> str | None:
        async with self.list(owner=namespace, q=title, timeout=timeout) as found:
            async for collection in found:
                if collection.title == title:
                    return collection.slug
        return None

    async def update(
        self,
        slug: str,
        *,
        title: str | None = None,
        description: str | None = None,
        position: int | None = None,
        private: bool | None = None,
        theme: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Collection:
        """Change a collection's metadata and return it (items are changed with the item
        methods). A new ``title`` changes the slug's title part; the id part stays.
        ``position`` is the collection's place on its owner's profile; ``theme`` a colour
        the Hub knows (``orange``, ``blue``, ``green``, ``purple``, ``pink``, ``indigo``).
        """
        path = _slug_path(slug)
        _check_str(title, "title", empty=False)
        _check_str(description, "description")
        _check_position(position)
        _check_bool(private, "private")
        _check_str(theme, "theme", empty=False)
        body = body_of(
            title=title, description=description, position=position, private=private, theme=theme
        )
        if not body:
            raise ValueError(
                "nothing to update: pass title, description, position, private or theme"
            )
        response = await self._request("PATCH", path, json=body, timeout=timeout)
        wrapped = response.decode(_Envelope, "a collection")
        return wrapped.data if wrapped.data is not None else response.decode(Collection)

    async def delete(
        self, slug: str, *, missing_ok: bool = False, timeout: Timeout | float | None = None
    ) -> None:
        """Delete a collection for good (``missing_ok=True``: no error if it is gone)."""
        path = _slug_path(slug)
        try:
            await self._delete(path, timeout=timeout)
        except NotFoundError:
            if not missing_ok:
                raise

    async def add_item(
        self,
        slug: str,
        item_id: str,
        item_type: str,
        *,
        note: str | None = None,
        exist_ok: bool = False,
        exists_ok: bool | None = None,
        timeout: Timeout | float | None = None,
    ) -> Collection:
        """Add an item at the end of a collection and return the collection.

        ``item_type`` is ``model``, ``dataset``, ``space``, ``paper``, ``collection`` or
        ``bucket``; ``item_id`` a repo id, an arXiv id, or a collection's slug (or id).
        ``note`` is attached to the item. An item already there is a ``ConflictError``;
        with ``exist_ok=True`` (or ``exists_ok``) the collection is returned as it is.
        A missing repo or paper is a ``NotFoundError``.
        """
        path = _slug_path(slug, "/items")
        ref = collection_item_ref(item_id, item_type)
        _check_str(note, "note")
        wanted = _pick_exist_ok(exist_ok, exists_ok)
        body = body_of(item={"type": item_type, "id": ref}, note=note)
        try:
            return await self._post(path, Collection, json=body, timeout=timeout)
        except ConflictError:
            if not wanted:
                raise
            return await self.get(slug, timeout=timeout)

    async def update_item(
        self,
        slug: str,
        item_object_id: str,
        *,
        note: str | None = None,
        position: int | None = None,
        timeout: Timeout | float | None = None,
    ) -> None:
        """Change an item's note or move it to ``position`` (the others shift).

        ``item_object_id`` is the item's id in the collection (``CollectionItem.object_id``),
        not the repo or paper id. Call :meth:`get` for the new order.
        """
        path = _item_path(slug, item_object_id)
        _check_str(note, "note")
        _check_position(position)
        body = body_of(note=note, position=position)
        if not body:
            raise ValueError("nothing to update: pass note or position")
        await self._request("PATCH", path, json=body, timeout=timeout)

    async def delete_item(
        self,
        slug: str,
        item_object_id: str,
        *,
        missing_ok: bool = False,
        timeout: Timeout | float | None = None,
    ) -> None:
        """Remove an item (by ``CollectionItem.object_id``); ``missing_ok``: no error if gone."""
        path = _item_path(slug, item_object_id)
        try:
            await self._delete(path, timeout=timeout)
        except NotFoundError:
            if not missing_ok:
                raise


def _slug_from_conflict(exc: ConflictError) -> str | None:
    """The existing collection's slug, from a 409 body that carries it (as the Hub's does)."""
    body = getattr(exc, "body", None)
    if not isinstance(body, bytes | str) or not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    slug = data.get("slug") if isinstance(data, dict) else None
    if not isinstance(slug, str):
        return None
    try:
        return validate_collection_slug(slug)
    except ValueError:
        return None

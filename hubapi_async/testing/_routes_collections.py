"""Routes of the collections family: listing, info, create, update, delete, items.

The Hub's rules: writes need a token (401) and write rights in the collection's namespace
(the user's own, or an organization where they are ``write``/``admin``: 403 otherwise);
unknown or hidden collections and items are 404s; a second collection with the same title in
a namespace, or an item already in the collection, is a 409 (the collection's 409 carries the
existing ``slug``, which the official client's ``exists_ok`` reads). Items are added at
``.../items`` (the official client) or ``.../item`` (the endpoint page); an updated collection
comes back as ``{"success": true, "data": {...}}``, where the official client reads it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any, Final
from urllib.parse import quote

from aiohttp import web

from . import _collections_seed as seed_data
from ._collection_bodies import collection_body
from ._responses import encode, json_error, json_response
from ._router import BadRequest, Ctx, HubReply, Route
from ._state_collections import ITEM_TYPES, SORTS, Item, ListQuery, SortKey, StoredCollection

#: The Hub's largest collections page.
MAX_PAGE: Final = 100
DESCRIPTION_MAX: Final = 150
NOTE_MAX: Final = 500
TITLE_MAX: Final = 200
_OBJECT_ID: Final = re.compile(r"[0-9a-f]{24}")
_ARXIV: Final = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_SUCCESS: Final = encode({"success": True})


def _base(ctx: Ctx) -> str:
    return f"{ctx.request.scheme}://{ctx.request.host}"


def _not_found() -> HubReply:
    return HubReply(404, "Collection not found")


def _conflict(message: str, slug: str) -> web.Response:
    resp = json_response(encode({"error": message, "slug": slug}), status=409)
    resp.headers["X-Error-Message"] = message
    return resp


def _resolve(ctx: Ctx) -> StoredCollection:
    found = ctx.server.collections.find(ctx.params["namespace"], ctx.params["slug"])
    if found is None or not ctx.server.collections.visible(found, ctx.viewer):
        raise _not_found()
    return found


def _writable(ctx: Ctx) -> StoredCollection:
    ctx.require_user()
    found = _resolve(ctx)
    if not ctx.viewer.can_write(found.namespace):
        raise HubReply(403, f"You don't have the rights to edit collections of {found.namespace}")
    return found


def _collection(ctx: Ctx, c: StoredCollection) -> web.Response:
    return json_response(encode(collection_body(ctx.server.collections, c, ctx.viewer, _base(ctx))))


# -- body checks ---------------------------------------------------------------------------
def _text(body: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None:
        if required:
            raise BadRequest(f"{key} is required")
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise BadRequest(
            f"{key} must be a non-empty string" if required else f"{key} must be a string"
        )
    if len(value) > limit:
        raise BadRequest(f"{key} must be at most {limit} characters")
    return value


def _flag(body: dict[str, Any], key: str) -> bool | None:
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise BadRequest(f"{key} must be a boolean")
    return value


def _position(body: dict[str, Any]) -> int | None:
    value = body.get("position")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadRequest("position must be a non-negative integer")
    return value


def _target(ctx: Ctx, kind: object, ident: object) -> tuple[str, str]:
    """The ``(type, ref)`` an item body names; 400 if malformed, 404 if it does not exist."""
    if kind == "bucket":
        raise HubReply(404, "Bucket not found")
    if kind not in ITEM_TYPES:
        raise BadRequest(f"item.type must be one of {', '.join(ITEM_TYPES)}, got {kind!r}")
    if not isinstance(ident, str) or not ident:
        raise BadRequest("item.id must be a non-empty string")
    hub = ctx.server.collections
    if kind == "paper":
        if not _ARXIV.fullmatch(ident):
            raise BadRequest(f"Invalid paper id: {ident}")
        bare = seed_data.unversioned(ident)
        if hub.paper_lookup(bare) is None:
            raise HubReply(404, "Paper not found")
        return "paper", bare
    if kind == "collection":
        cid = ident.rpartition("-")[2] if "/" in ident else ident
        target = hub.by_id(cid) if _OBJECT_ID.fullmatch(cid) else None
        if target is None or not hub.visible(target, ctx.viewer):
            raise _not_found()
        return "collection", target.id
    store = ctx.server.stores[str(kind)]
    ref = store.resolve(store.redirects.get(ident, ident))
    if ref is None or not store.visible(ref, ctx.viewer):
        raise HubReply(404, "Repository not found", code="RepoNotFound")
    return str(kind), store.repo_id(ref)


def _item_of(body: dict[str, Any], ctx: Ctx) -> tuple[str, str]:
    item = body.get("item")
    if not isinstance(item, dict):
        raise BadRequest('item must be an object: {"type": ..., "id": ...}')
    return _target(ctx, item.get("type"), item.get("id"))


# -- listing -------------------------------------------------------------------------------
def _encode_cursor(key: SortKey, sort: str) -> str:
    raw = json.dumps({"s": sort, "v": key[0], "i": key[1]}, separators=(",", ":"))
    return quote(base64.urlsafe_b64encode(raw.encode()).decode(), safe="")


def _decode_cursor(cursor: str, sort: str) -> SortKey:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value, cid = float(data["v"]), data["i"]
        ok = data["s"] == sort and isinstance(cid, str) and _OBJECT_ID.fullmatch(cid) is not None
    except (ValueError, KeyError, TypeError, binascii.Error):
        ok = False
    if not ok:
        raise BadRequest("Invalid cursor")
    return (value, cid)


def _filter_item(value: str) -> tuple[str, str]:
    plural, sep, ident = value.partition("/")
    kind = plural.removesuffix("s")
    if not sep or not ident or not plural.endswith("s") or kind not in (*ITEM_TYPES, "bucket"):
        raise BadRequest(
            f"Invalid item parameter: {value} (expected e.g. models/google/gemma-2b or"
            " papers/2311.12983)"
        )
    if kind == "paper":
        return kind, seed_data.unversioned(ident)
    if kind == "collection" and "/" in ident:
        return kind, ident.rpartition("-")[2]
    return kind, ident


def _list_query(ctx: Ctx) -> ListQuery:
    q = ctx.request.query
    sort = q.get("sort") or "trending"
    if sort not in SORTS:
        raise BadRequest(f"Invalid sort parameter: {sort} (expected one of {', '.join(SORTS)})")
    limit = min(MAX_PAGE, ctx.server.page_size)
    raw = q.get("limit")
    if raw is not None:
        try:
            asked = int(raw)
        except ValueError:
            raise BadRequest(f"Invalid limit parameter: {raw}") from None
        if asked < 1:
            raise BadRequest("limit must be a positive integer")
        limit = min(asked, limit)
    owners = tuple(q.getall("owner", []) + q.getall("owner[]", []))
    items = tuple(_filter_item(v) for v in q.getall("item", []) + q.getall("item[]", []))
    return ListQuery(owners=owners, items=items, sort=sort, q=q.get("q") or None, limit=limit)


async def list_collections(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/collections``: a page of collections (4 items each) and its ``Link``."""
    request = ctx.request
    query = _list_query(ctx)
    cursor = request.query.get("cursor")
    after = _decode_cursor(cursor, query.sort) if cursor else None
    hub = ctx.server.collections
    found, last, more = hub.page(query, ctx.viewer, after)
    base = _base(ctx)
    body = [collection_body(hub, c, ctx.viewer, base, listing=True) for c in found]
    resp = json_response(encode(body))
    if more and last is not None:
        kept = [p for p in request.query_string.split("&") if p and not p.startswith("cursor=")]
        kept.append("cursor=" + _encode_cursor(last, query.sort))
        path = request.raw_path.partition("?")[0]
        resp.headers["Link"] = f'<{base}{path}?{"&".join(kept)}>; rel="next"'
    return resp


# -- one collection ------------------------------------------------------------------------
async def get_collection(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/collections/{namespace}/{slug}-{id}``: every item."""
    return _collection(ctx, _resolve(ctx))


async def create_collection(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/collections``."""
    ctx.require_user()
    body = await ctx.body()
    title = _text(body, "title", TITLE_MAX, required=True)
    namespace = _text(body, "namespace", 96, required=True)
    assert title is not None and namespace is not None
    description = _text(body, "description", DESCRIPTION_MAX)
    private = _flag(body, "private")
    first = _item_of(body, ctx) if body.get("item") is not None else None
    if not ctx.viewer.can_write(namespace):
        raise HubReply(403, f"You don't have the rights to create collections in {namespace}")
    hub = ctx.server.collections
    with hub.lock:
        existing = hub.by_title(namespace, title)
        if existing is not None:
            return _conflict("You already have a collection with this title", existing.slug)
        created = hub.create(
            namespace, title, description=description, private=bool(private), first=first
        )
    return _collection(ctx, created)


async def update_collection(ctx: Ctx) -> web.StreamResponse:
    """``PATCH /api/collections/{slug}``: metadata; answers ``{"success", "data"}``."""
    c = _writable(ctx)
    body = await ctx.body()
    changes: dict[str, Any] = {}
    title = _text(body, "title", TITLE_MAX, required="title" in body)
    if title is not None:
        changes["title"] = title
    if "description" in body:
        changes["description"] = _text(body, "description", DESCRIPTION_MAX)
    private = _flag(body, "private")
    if private is not None:
        changes["private"] = private
    theme = body.get("theme")
    if theme is not None:
        if theme not in seed_data.THEMES:
            raise BadRequest(f"theme must be one of {', '.join(seed_data.THEMES)}")
        changes["theme"] = theme
    position = _position(body)
    if position is not None:
        changes["position"] = position
    hub = ctx.server.collections
    with hub.lock:
        if title is not None:
            clash = hub.by_title(c.namespace, title)
            if clash is not None and clash is not c:
                return _conflict("You already have a collection with this title", clash.slug)
        hub.update(c, changes)
    data = collection_body(hub, c, ctx.viewer, _base(ctx))
    return json_response(encode({"success": True, "data": data}))


async def delete_collection(ctx: Ctx) -> web.StreamResponse:
    """``DELETE /api/collections/{slug}``."""
    c = _writable(ctx)
    ctx.server.collections.delete(c)
    return json_response(_SUCCESS)


# -- items ---------------------------------------------------------------------------------
async def add_item(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/collections/{slug}/items`` (or ``/item``): answers the collection."""
    c = _writable(ctx)
    body = await ctx.body()
    kind, ref = _item_of(body, ctx)
    note = _text(body, "note", NOTE_MAX)
    hub = ctx.server.collections
    with hub.lock:
        if c.has(kind, ref):
            return json_error(409, "Item already exists in this collection")
        hub.add_item(c, kind, ref, note)
    return _collection(ctx, c)


def _item(ctx: Ctx, c: StoredCollection) -> Item:
    wanted = ctx.params["item_id"]
    for item in c.items:
        if item.object_id == wanted:
            return item
    raise HubReply(404, "Item not found in this collection")


async def update_item(ctx: Ctx) -> web.StreamResponse:
    """``PATCH /api/collections/{slug}/items/{item_id}``: note and position."""
    c = _writable(ctx)
    body = await ctx.body()
    note = _text(body, "note", NOTE_MAX)
    position = _position(body)
    hub = ctx.server.collections
    with hub.lock:
        hub.update_item(c, _item(ctx, c), note=note, position=position)
    return json_response(_SUCCESS)


async def delete_item(ctx: Ctx) -> web.StreamResponse:
    """``DELETE /api/collections/{slug}/items/{item_id}``."""
    c = _writable(ctx)
    hub = ctx.server.collections
    with hub.lock:
        hub.delete_item(c, _item(ctx, c))
    return json_response(_SUCCESS)


_ONE: Final = "/api/collections/{namespace}/{slug}"

ROUTES: Final = [
    Route("GET", "/api/collections", list_collections),
    Route("POST", "/api/collections", create_collection),
    Route("GET", _ONE, get_collection),
    Route("PATCH", _ONE, update_collection),
    Route("DELETE", _ONE, delete_collection),
    Route("POST", _ONE + "/{items:items|item}", add_item),
    Route("PATCH", _ONE + "/items/{item_id}", update_item),
    Route("DELETE", _ONE + "/items/{item_id}", delete_item),
]

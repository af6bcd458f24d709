"""Read routes shared by models, datasets and Spaces: listings, info, tags by type."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Final
from urllib.parse import quote

from aiohttp import web

from ._data import mix64, sha40
from ._kinds import KINDS, KindSpec
from ._responses import encode, json_error, json_response
from ._router import KINDS_PATTERN, BadRequest, Ctx, Route
from ._store import ListQuery, Ref, RepoStore, SortKey

_SORT_ALIASES: Final = {
    "created_at": "createdAt",
    "last_modified": "lastModified",
    "trending_score": "trendingScore",
    "trending": "trendingScore",
    "author": "id",
    "modelId": "id",
}
_TRUE: Final = frozenset({"true", "True", "1", "yes"})


def truthy(value: str | None) -> bool:
    """Whether a query value means true."""
    return value is not None and value in _TRUE


def _encode_cursor(key: SortKey, sort: str, descending: bool) -> str:
    raw = json.dumps(
        {"k": list(key), "s": sort, "d": -1 if descending else 1}, separators=(",", ":")
    )
    return quote(base64.b64encode(raw.encode()).decode(), safe="")


def _decode_cursor(cursor: str, sort: str, descending: bool) -> SortKey:
    try:
        data = json.loads(base64.b64decode(cursor.encode(), validate=True))
        value, cls, tie = data["k"]
        ok = data["s"] == sort and data["d"] == (-1 if descending else 1) and cls in (0, 1)
        ok = ok and (isinstance(tie, int) if cls == 0 else isinstance(tie, str))
        ok = ok and (isinstance(value, str) if sort == "id" else isinstance(value, int | float))
    except (ValueError, KeyError, TypeError, binascii.Error):
        ok = False
    if not ok:
        raise BadRequest("Invalid cursor")
    return (value, cls, tie)


def parse_expand(request: web.Request, spec: KindSpec) -> tuple[str, ...] | None:
    """The ``expand`` (or ``expand[]``) values, checked against what the kind allows."""
    values = request.query.getall("expand", []) + request.query.getall("expand[]", [])
    if not values:
        return None
    allowed = spec.expandable
    for v in values:
        if v not in allowed:
            raise BadRequest(f'"expand" must be one of {", ".join(sorted(allowed))}; got "{v}"')
    return tuple(sorted(set(values)))


# -- info ----------------------------------------------------------------------------------
def _info_body(ctx: Ctx, revision: str | None) -> web.Response:
    assert ctx.repo is not None
    store, ref = ctx.repo
    expand = parse_expand(ctx.request, store.spec)
    body = store.expanded(ref) if expand else store.info(ref)
    if revision is not None:
        sha = body.get("sha")
        if revision not in {"main", "refs/pr/1", str(sha)} | store.spec.extra_revisions:
            return json_error(404, f"Invalid rev id: {revision}", code="RevisionNotFound")
        if revision not in ("main", sha) and "sha" in body:
            body["sha"] = sha40(mix64(zlib.crc32(f"{body['id']}@{revision}".encode())))
    if expand:
        wanted = set(expand)
        body = {"_id": body["_id"], "id": body["id"]} | {
            k: v for k, v in body.items() if k in wanted and v is not None
        }
    return json_response(encode(body))


async def repo_info(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/{type}s/{id}``."""
    return _info_body(ctx, None)


async def repo_info_at(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/{type}s/{id}/revision/{rev}``."""
    return _info_body(ctx, ctx.params["revision"])


# -- listings -------------------------------------------------------------------------------
def parse_list_query(ctx: Ctx, store: RepoStore) -> ListQuery:
    """Read the listing parameters the seed page and the official client send."""
    request = ctx.request
    q = request.query
    sort = q.get("sort") or "trendingScore"
    sort = _SORT_ALIASES.get(sort, sort)
    if sort not in store.sort_keys:
        raise BadRequest(f"Invalid sort parameter: {q.get('sort')}")
    direction = q.get("direction")
    limit_raw = q.get("limit")
    page_size = ctx.server.page_size
    limit = page_size
    if limit_raw is not None:
        try:
            limit = int(limit_raw)
        except ValueError:
            raise BadRequest(f"Invalid limit parameter: {limit_raw}") from None
        if limit < 1:
            raise BadRequest("limit must be a positive integer")
        limit = min(limit, page_size)
    filters = q.getall("filter", [])
    if q.get("pipeline_tag"):
        filters.append(q["pipeline_tag"])
    gated_raw = q.get("gated")
    expand = parse_expand(request, store.spec)
    if expand:
        shape: tuple[str, ...] = ("expand", *expand)
    else:
        flags = tuple(
            name
            for name, param in (("full", "full"), ("config", "config"), ("cardData", "cardData"))
            if truthy(q.get(param))
        )
        shape = flags or ("default",)
    return ListQuery(
        sort=sort,
        descending=direction is None or direction == "-1",
        limit=limit,
        search=q.get("search") or None,
        author=q.get("author") or None,
        filters=tuple(filters),
        gated=None if gated_raw is None else gated_raw in _TRUE,
        shape=shape,
    )


async def list_repos(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/models`` (and datasets, spaces): one page plus its ``Link``."""
    request = ctx.request
    store = ctx.server.stores[ctx.kind]
    query = parse_list_query(ctx, store)
    cursor = request.query.get("cursor")
    after = _decode_cursor(cursor, query.sort, query.descending) if cursor else None
    refs, last, more = store.page(query, ctx.viewer, after)
    item = store.item_bytes
    body = b"[" + b",".join([item(r, query.shape) for r in refs]) + b"]"
    resp = json_response(body)
    if more and last is not None:
        kept = [p for p in request.query_string.split("&") if p and not p.startswith("cursor=")]
        if "sort" not in request.query:
            kept.append("sort=trendingScore")
        kept.append("cursor=" + _encode_cursor(last, query.sort, query.descending))
        path = request.raw_path.partition("?")[0]
        url = f"{request.scheme}://{request.host}{path}?{'&'.join(kept)}"
        resp.headers["Link"] = f'<{url}>; rel="next"'
    return resp


_TAGS_CACHE: dict[str, bytes] = {}


async def tags_by_type(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/models-tags-by-type`` and ``/api/datasets-tags-by-type``."""
    spec = KINDS[ctx.params["family"]]
    cached = _TAGS_CACHE.get(spec.name)
    if cached is None:
        assert spec.tags_by_type is not None  # the route pattern names only such kinds
        cached = _TAGS_CACHE[spec.name] = encode(spec.tags_by_type())
    return json_response(cached)


def ref_of(ctx: Ctx) -> tuple[RepoStore, Ref]:
    """The resolved repo of a ``repo=True`` route."""
    assert ctx.repo is not None
    return ctx.repo


_KINDS = f"{{section:{KINDS_PATTERN}}}"
_TAGGED = "|".join(s.name for s in KINDS.values() if s.tags_by_type is not None)

ROUTES: Final = [
    Route("GET", f"/api/{_KINDS}", list_repos),
    Route("GET", f"/api/{_KINDS}/{{repo_id}}", repo_info, repo=True),
    Route("GET", f"/api/{_KINDS}/{{repo_id}}/revision/{{revision}}", repo_info_at, repo=True),
    Route("GET", f"/api/{{family:{_TAGGED}}}s-tags-by-type", tags_by_type),
]

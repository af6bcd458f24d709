"""Read routes shared by models, datasets and Spaces: listings, info, tags by type."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any, Final
from urllib.parse import quote

from aiohttp import web

from ._data import mix64, sha40
from ._files import security_status, with_blobs
from ._kinds import KINDS
from ._listing import INFO_PARAMS, check_params, flag, parse_expand, parse_list_query
from ._responses import encode, json_error, json_response
from ._router import KINDS_PATTERN, BadRequest, Ctx, Route
from ._store import Ref, RepoStore, SortKey


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


def revision_sha(body: dict[str, Any], revision: str, branches: frozenset[str]) -> str | None:
    """The commit ``revision`` names in the repo of ``body``, or ``None`` if it names none.

    ``main`` and ``HEAD`` (what huggingface.js asks for by default) name the head commit,
    as does its full sha. Each other known ref (``branches``: ``refs/pr/1`` and the kind's
    extra ones) has a commit of its own, derived from the repo id, which its sha names too.
    """
    sha = body.get("sha")
    if revision in ("main", "HEAD") or revision == sha:
        return str(sha) if sha is not None else revision
    repo_id = body["id"]
    commits = {sha40(mix64(zlib.crc32(f"{repo_id}@{ref}".encode()))) for ref in branches}
    if revision in branches:
        return sha40(mix64(zlib.crc32(f"{repo_id}@{revision}".encode())))
    return revision if revision in commits else None


def _info_body(ctx: Ctx, revision: str | None) -> web.Response:
    assert ctx.repo is not None
    store, ref = ctx.repo
    request = ctx.request
    check_params(request, INFO_PARAMS)
    expand = parse_expand(request, store.spec)
    blobs, security = flag(request, "blobs"), flag(request, "securityStatus")
    full = store.expanded(ref)
    body = full if expand else store.info(ref)
    if revision is not None:
        sha = revision_sha(body, revision, store.spec.extra_revisions | {"refs/pr/1"})
        if sha is None:
            return json_error(404, f"Invalid rev id: {revision}", code="RevisionNotFound")
        if "sha" in body:
            body = {**body, "sha": sha}
    if blobs:
        body = with_blobs(body, store.kind, full.get("mainSize"))
    if expand:
        wanted = set(expand)
        body = {"_id": body["_id"], "id": body["id"]} | {
            k: v for k, v in body.items() if k in wanted and v is not None
        }
    if security:
        body = {**body, "securityRepoStatus": security_status(full)}
    return json_response(encode(body))


async def repo_info(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/{type}s/{id}``."""
    return _info_body(ctx, None)


async def repo_info_at(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/{type}s/{id}/revision/{rev}``."""
    return _info_body(ctx, ctx.params["revision"])


# -- listings -------------------------------------------------------------------------------
async def list_repos(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/models`` (and datasets, spaces): one page plus its ``Link``."""
    request = ctx.request
    store = ctx.server.stores[ctx.kind]
    query = parse_list_query(request, store.spec, ctx.server.page_size)
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

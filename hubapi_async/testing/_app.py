"""The aiohttp applications of the local Hub (the Hub origin and its CDN origin)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Final
from urllib.parse import quote, unquote

from aiohttp import web
from multidict import CIMultiDict

from . import _datasets, _kinds, _vocab
from ._data import mix64, sha40
from ._faults import Fault, FaultInjector
from ._ratelimit import RateLimiter, bucket_for
from ._responses import (
    BAD_TOKEN_MESSAGE,
    RecordedRequest,
    abort_connection,
    encode,
    fault_response,
    hub_headers,
    json_error,
    json_response,
    not_found_page,
    repo_not_found,
    truncated,
)
from ._store import ListQuery, Ref, RepoStore, SortKey, Viewer

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
SECTIONS: Final = {"models": "model", "datasets": "dataset", "spaces": "space"}
_SORT_ALIASES: Final = {
    "created_at": "createdAt",
    "last_modified": "lastModified",
    "trending_score": "trendingScore",
    "trending": "trendingScore",
    "author": "id",
    "modelId": "id",
}
_TRUE: Final = frozenset({"true", "True", "1", "yes"})
_KEYWORDS: Final = frozenset({"revision", "parquet", "croissant"})


class BadRequest(Exception):
    """A query the Hub would refuse with a 400."""


def _truthy(value: str | None) -> bool:
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


class HubServer:
    """Request handling shared by both origins; state lives in the owning ``LocalHub``."""

    def __init__(
        self,
        stores: Mapping[str, RepoStore],
        tokens: Iterable[str],
        faults: FaultInjector,
        limiter: RateLimiter,
        *,
        page_size: int,
        seed: int,
        record_requests: bool = True,
    ) -> None:
        self.stores = stores
        viewer = Viewer(_vocab.DEMO_USER, _vocab.DEMO_ORGS)
        self.tokens = {t: viewer for t in tokens}
        self.faults = faults
        self.limiter = limiter
        self.page_size = page_size
        self.requests: list[RecordedRequest] = []
        self.record_requests = record_requests
        self.cdn_url: str | None = None
        self.secret = sha40(mix64(seed ^ 0x5EC)).encode()
        self._count = 0
        self._lock = threading.Lock()
        self._tags_cache: dict[str, bytes] = {}

    # -- plumbing -----------------------------------------------------------------------
    def _record(self, request: web.Request, origin: str) -> None:
        if not self.record_requests:
            return
        path, _, query = request.raw_path.partition("?")
        with self._lock:
            self._count += 1
            self.requests.append(
                RecordedRequest(
                    request.method, path, query, CIMultiDict(request.headers), origin, self._count
                )
            )

    async def _with_faults(
        self, request: web.Request, origin: str, serve: _Handler
    ) -> web.StreamResponse:
        self._record(request, origin)
        path = request.raw_path.partition("?")[0]
        fault: Fault | None = self.faults.pick(request.method, path, origin)
        if fault is not None:
            if fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault.kind == "reset":
                return abort_connection(request)
            if fault.kind in ("status", "html", "bad_json"):
                return fault_response(fault)
        resp: web.StreamResponse = await serve(request)
        if fault is not None and fault.kind == "truncate":
            return await truncated(request, resp)
        return resp

    async def handle_hub(self, request: web.Request) -> web.StreamResponse:
        """Entry point of the Hub origin."""
        return await self._with_faults(request, "hub", self._serve_hub)

    async def handle_cdn(self, request: web.Request) -> web.StreamResponse:
        """Entry point of the CDN origin."""
        return await self._with_faults(request, "cdn", self._serve_cdn)

    async def _serve_cdn(self, request: web.Request) -> web.StreamResponse:
        return _datasets.serve_cdn(self, request)

    async def _serve_hub(self, request: web.Request) -> web.StreamResponse:
        auth = request.headers.get("Authorization")
        viewer, token, bad = Viewer(), None, False
        if auth:
            scheme, _, token = auth.partition(" ")
            token = token.strip()
            if scheme.lower() == "bearer" and token in self.tokens:
                viewer = self.tokens[token]
            else:
                bad, token = True, None
        ip = request.remote or "127.0.0.1"
        path = request.raw_path.partition("?")[0]
        verdict = self.limiter.hit(
            token or f"ip:{ip}", bucket_for(path), anonymous=token is None, ip=ip
        )
        headers = hub_headers()
        headers.update(verdict.headers)
        if bad:
            resp = json_error(401, BAD_TOKEN_MESSAGE)
        elif not verdict.allowed:
            resp = json_error(429, verdict.message)
        else:
            try:
                resp = self._dispatch(request, path, viewer)
            except BadRequest as exc:
                resp = json_error(400, str(exc))
        for name, value in headers.items():
            resp.headers.setdefault(name, value)
        return resp

    # -- routing --------------------------------------------------------------------------
    def _dispatch(self, request: web.Request, path: str, viewer: Viewer) -> web.Response:
        segs = path.split("/")
        if len(segs) > 3 and segs[-1] == "":
            segs.pop()
        if len(segs) < 3 or segs[1] != "api" or request.method not in ("GET", "HEAD"):
            # The write side is not served yet: its routes are unknown pages, like any other.
            return not_found_page()
        section = segs[2]
        if section in SECTIONS:
            store = self.stores[SECTIONS[section]]
            if len(segs) == 3:
                return self.list_repos(request, store, viewer)
            return self._repo_route(request, store, viewer, segs[3:])
        if section in ("models-tags-by-type", "datasets-tags-by-type") and len(segs) == 3:
            kind = section.split("-")[0][:-1]
            cached = self._tags_cache.get(kind)
            if cached is None:
                cached = self._tags_cache[kind] = encode(_datasets.tags_by_type(kind))
            return json_response(cached)
        if section == "whoami-v2" and len(segs) == 3:
            return _datasets.whoami(viewer)
        return not_found_page()

    def _repo_route(
        self, request: web.Request, store: RepoStore, viewer: Viewer, raw: list[str]
    ) -> web.Response:
        dec = [unquote(s) for s in raw]
        n_id = 2 if len(dec) >= 2 else 1
        if n_id == 2 and dec[1] in _KEYWORDS:
            two = f"{dec[0]}/{dec[1]}"
            if store.resolve(two) is None and two not in store.redirects:
                n_id = 1
        repo_id, tail = "/".join(dec[:n_id]), dec[n_id:]
        target = store.redirects.get(repo_id)
        if target is not None:
            location = "/".join(["", "api", request.path.split("/")[2], target, *raw[n_id:]])
            if request.query_string:
                location += "?" + request.query_string
            resp = web.Response(
                status=307,
                text=f"Temporary Redirect. Redirecting to {location}",
                headers={"Location": location, "Vary": "Origin, Accept"},
            )
            return resp
        ref = store.resolve(repo_id)
        if ref is None or not store.visible(ref, viewer):
            return repo_not_found(viewer.user is not None)
        if not tail:
            return self.repo_info(request, store, ref, None)
        if tail[0] == "revision" and len(tail) == 2:
            return self.repo_info(request, store, ref, tail[1])
        if store.kind == "dataset" and tail[0] == "parquet" and len(tail) <= 5:
            return _datasets.parquet(self, request, store, ref, tail[1:])
        if store.kind == "dataset" and tail == ["croissant"]:
            return _datasets.croissant(request, store, ref)
        return not_found_page()

    # -- info ------------------------------------------------------------------------------
    def _expand(self, request: web.Request, kind: str) -> tuple[str, ...] | None:
        values = request.query.getall("expand", []) + request.query.getall("expand[]", [])
        if not values:
            return None
        allowed = _kinds.EXPANDABLE[kind]
        for v in values:
            if v not in allowed:
                raise BadRequest(f'"expand" must be one of {", ".join(sorted(allowed))}; got "{v}"')
        return tuple(sorted(set(values)))

    def repo_info(
        self, request: web.Request, store: RepoStore, ref: Ref, revision: str | None
    ) -> web.Response:
        """``GET /api/{type}s/{id}[/revision/{rev}]``."""
        expand = self._expand(request, store.kind)
        body = store.expanded(ref) if expand else store.info(ref)
        if revision is not None:
            sha = body.get("sha")
            valid = {"main", "refs/pr/1", str(sha)}
            if store.kind == "dataset":
                valid.add("refs/convert/parquet")
            if revision not in valid:
                return json_error(404, f"Invalid rev id: {revision}", code="RevisionNotFound")
            if revision not in ("main", sha) and "sha" in body:
                body["sha"] = sha40(mix64(zlib.crc32(f"{body['id']}@{revision}".encode())))
        if expand:
            wanted = set(expand)
            body = {"_id": body["_id"], "id": body["id"]} | {
                k: v for k, v in body.items() if k in wanted and v is not None
            }
        return json_response(encode(body))

    # -- listings --------------------------------------------------------------------------
    def parse_list_query(self, request: web.Request, store: RepoStore) -> ListQuery:
        """Read the listing parameters the seed page and the official client send."""
        q = request.query
        sort = q.get("sort") or "trendingScore"
        sort = _SORT_ALIASES.get(sort, sort)
        if sort not in store.sort_keys:
            raise BadRequest(f"Invalid sort parameter: {q.get('sort')}")
        direction = q.get("direction")
        limit_raw = q.get("limit")
        limit = self.page_size
        if limit_raw is not None:
            try:
                limit = int(limit_raw)
            except ValueError:
                raise BadRequest(f"Invalid limit parameter: {limit_raw}") from None
            if limit < 1:
                raise BadRequest("limit must be a positive integer")
            limit = min(limit, self.page_size)
        filters = q.getall("filter", [])
        if q.get("pipeline_tag"):
            filters.append(q["pipeline_tag"])
        gated_raw = q.get("gated")
        expand = self._expand(request, store.kind)
        if expand:
            shape: tuple[str, ...] = ("expand", *expand)
        else:
            flags = tuple(
                name
                for name, param in (
                    ("full", "full"),
                    ("config", "config"),
                    ("cardData", "cardData"),
                )
                if _truthy(q.get(param))
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

    def list_repos(self, request: web.Request, store: RepoStore, viewer: Viewer) -> web.Response:
        """``GET /api/models`` (and datasets, spaces): one page plus its ``Link``."""
        query = self.parse_list_query(request, store)
        cursor = request.query.get("cursor")
        after = _decode_cursor(cursor, query.sort, query.descending) if cursor else None
        refs, last, more = store.page(query, viewer, after)
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


def build_apps(server: HubServer, *, cdn: bool) -> tuple[web.Application, web.Application | None]:
    """The Hub application and, with ``cdn``, the CDN application."""
    hub = web.Application()
    hub.router.add_route("*", "/{tail:.*}", server.handle_hub)
    if not cdn:
        return hub, None
    cdn_app = web.Application()
    cdn_app.router.add_route("*", "/{tail:.*}", server.handle_cdn)
    return hub, cdn_app

"""The local Hub's server: its state, the middleware chain and the two aiohttp applications.

A request to the Hub origin passes ``record → faults → auth → rate limit → route``; the
route table (:mod:`._router`) is the concatenation of each family's ``ROUTES``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Final

from aiohttp import web
from multidict import CIMultiDict

from . import (
    _datasets,
    _routes_collections,
    _routes_groups,
    _routes_orgs,
    _routes_papers,
    _routes_repos,
    _routes_repos_write,
    _routes_users,
)
from ._accounts import Accounts, Viewer
from ._data import mix64, sha40
from ._faults import Fault, FaultInjector
from ._ratelimit import RateLimiter, bucket_for
from ._responses import (
    BAD_TOKEN_MESSAGE,
    RecordedRequest,
    abort_connection,
    fault_response,
    hub_headers,
    json_error,
    truncated,
)
from ._router import BAD_TOKEN, TOKEN, VIEWER, Router
from ._state_collections import Collections
from ._state_groups import ResourceGroups
from ._state_papers import Papers
from ._store import RepoStore

ORIGIN: Final = web.AppKey("origin", str)
_Next = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: The Hub origin's route table, family by family.
ROUTES: Final = [
    *_routes_repos.ROUTES,
    *_datasets.ROUTES,
    *_routes_repos_write.ROUTES,
    *_routes_users.ROUTES,
    *_routes_orgs.ROUTES,
    *_routes_groups.ROUTES,
    *_routes_collections.ROUTES,
    *_routes_papers.ROUTES,
]


class HubServer:
    """The state of one local Hub and the request handling shared by both origins."""

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
        self.accounts = Accounts(tokens)
        self.collections = Collections(self.accounts, stores, seed)
        self.resource_groups = ResourceGroups(self.accounts, stores, seed)
        self.papers = Papers(self.accounts, stores, seed)
        self.faults = faults
        self.limiter = limiter
        self.page_size = page_size
        self.seed = seed
        self.requests: list[RecordedRequest] = []
        self.record_requests = record_requests
        self.cdn_url: str | None = None
        self.secret = sha40(mix64(seed ^ 0x5EC)).encode()
        self.router = Router(ROUTES)
        self._count = 0
        self._lock = threading.Lock()

    # -- the middleware chain ---------------------------------------------------------------
    @web.middleware
    async def record(self, request: web.Request, handler: _Next) -> web.StreamResponse:
        """Keep a copy of every request (when ``record_requests``)."""
        if self.record_requests:
            path, _, query = request.raw_path.partition("?")
            body = await request.read() if request.can_read_body else b""
            with self._lock:
                self._count += 1
                self.requests.append(
                    RecordedRequest(
                        request.method,
                        path,
                        query,
                        CIMultiDict(request.headers),
                        request.app[ORIGIN],
                        self._count,
                        body,
                    )
                )
        return await handler(request)

    @web.middleware
    async def inject_faults(self, request: web.Request, handler: _Next) -> web.StreamResponse:
        """Misbehave as the :class:`FaultInjector` says."""
        path, _, query = request.raw_path.partition("?")
        fault: Fault | None = self.faults.pick(request.method, path, request.app[ORIGIN], query)
        if fault is not None and fault.kind == "late":
            resp = await handler(request)
            await asyncio.sleep(fault.delay)
            return resp
        if fault is not None:
            if fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault.kind == "reset":
                return abort_connection(request)
            if fault.kind in ("status", "html", "bad_json"):
                return fault_response(fault)
        resp = await handler(request)
        if fault is not None and fault.kind == "truncate":
            return await truncated(request, resp)
        return resp

    @web.middleware
    async def authenticate(self, request: web.Request, handler: _Next) -> web.StreamResponse:
        """Bearer tokens: a known one names a viewer, an unknown one is the Hub's 401."""
        auth = request.headers.get("Authorization")
        token = ""
        viewer: Viewer = Viewer()
        if auth:
            scheme, _, given = auth.partition(" ")
            given = given.strip()
            found = self.accounts.viewer_for(given) if scheme.lower() == "bearer" else None
            if found is None:
                request[TOKEN] = ""
                request[BAD_TOKEN] = True
                request[VIEWER] = viewer
                return await handler(request)
            token, viewer = given, found
        request[TOKEN] = token
        request[BAD_TOKEN] = False
        request[VIEWER] = viewer
        return await handler(request)

    @web.middleware
    async def rate_limit(self, request: web.Request, handler: _Next) -> web.StreamResponse:
        """Count the request per caller and bucket; the Hub's headers on every answer."""
        ip = request.remote or "127.0.0.1"
        path = request.raw_path.partition("?")[0]
        token = request[TOKEN]
        verdict = self.limiter.hit(
            token or f"ip:{ip}", bucket_for(path), anonymous=not token, ip=ip
        )
        if request[BAD_TOKEN]:
            resp: web.StreamResponse = json_error(401, BAD_TOKEN_MESSAGE)
        elif not verdict.allowed:
            resp = json_error(429, verdict.message)
        else:
            resp = await handler(request)
        for name, value in (*hub_headers().items(), *verdict.headers.items()):
            resp.headers.setdefault(name, value)
        return resp

    async def route(self, request: web.Request) -> web.StreamResponse:
        """The end of the chain: the route table."""
        return await self.router.dispatch(request, self)

    async def serve_cdn(self, request: web.Request) -> web.StreamResponse:
        """The CDN origin: signed parquet shard URLs only."""
        return _datasets.serve_cdn(self, request)


def build_apps(server: HubServer, *, cdn: bool) -> tuple[web.Application, web.Application | None]:
    """The Hub application and, with ``cdn``, the CDN application."""
    hub = web.Application(
        middlewares=[server.record, server.inject_faults, server.authenticate, server.rate_limit]
    )
    hub[ORIGIN] = "hub"
    hub.router.add_route("*", "/{tail:.*}", server.route)
    if not cdn:
        return hub, None
    cdn_app = web.Application(middlewares=[server.record, server.inject_faults])
    cdn_app[ORIGIN] = "cdn"
    cdn_app.router.add_route("*", "/{tail:.*}", server.serve_cdn)
    return hub, cdn_app

"""The local Hub's route table: ``(method, path pattern, handler)`` rows and their matching.

Patterns are matched against the raw (percent-encoded) path; each ``{name}`` is one path
segment, ``{repo_id}`` is one or two (``gpt2`` or ``namespace/name``), ``{name:regex}`` is
a segment matching ``regex``. Captured values reach handlers percent-decoded in
``Ctx.params``. A route marked ``repo=True`` has its ``{repo_id}`` resolved before the
handler runs: a renamed repo answers 307 to its new id (path tail and query kept), a missing
or hidden one the Hub's 404 (401 for anonymous callers), and the handler gets ``ctx.repo``.

A path no route knows is the Hub's 404 page; so is a known path asked with another method
(what the Hub answers there: its API has no 405).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

import msgspec
from aiohttp import web

from ._accounts import Viewer
from ._kinds import SECTIONS
from ._responses import json_error, not_found_page, repo_not_found

if TYPE_CHECKING:
    from ._app import HubServer
    from ._store import Ref, RepoStore

#: A ``{section}`` path parameter's values (``models|datasets|spaces``).
KINDS_PATTERN: Final = "|".join(SECTIONS)
#: A ``{section}`` value → repo kind; the seed's ``/api/repos/{type}/...`` paths name the
#: kind in the singular, so both forms are known.
KIND_OF: Final = {**SECTIONS, **{kind: kind for kind in SECTIONS.values()}}

#: What the auth middleware leaves on each request for the ones after it.
VIEWER: Final = web.RequestKey("viewer", Viewer)
TOKEN: Final = web.RequestKey("token", str)  # "" when anonymous
BAD_TOKEN: Final = web.RequestKey("bad_token", bool)

Handler = Callable[["Ctx"], Awaitable[web.StreamResponse]]
_SEGMENT: Final = r"[^/]+"
_PLACEHOLDER: Final = re.compile(r"\{(\w+)(?::([^}]+))?\}")


class HubReply(Exception):
    """Raised by handlers and helpers: answer with the Hub's JSON error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers

    def response(self) -> web.Response:
        """The error as a response."""
        return json_error(self.status, self.message, code=self.code, headers=self.headers)


class BadRequest(HubReply):
    """A request the Hub refuses with a 400."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


@dataclass(eq=False)
class Ctx:
    """What a handler gets: the request, its decoded path parameters and who asks."""

    request: web.Request
    server: HubServer
    params: dict[str, str]
    raw: dict[str, str]
    viewer: Viewer
    repo: tuple[RepoStore, Ref] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The repo kind named by the path's ``{section}`` (``model``, ``dataset``...)."""
        return KIND_OF[self.params["section"]]

    def require_user(self) -> str:
        """The caller's user name; anonymous callers get the Hub's 401."""
        if self.viewer.user is None:
            raise HubReply(401, "Invalid username or password.")
        return self.viewer.user

    async def body(self) -> dict[str, Any]:
        """The JSON object body (400 when it is not one)."""
        raw = await self.request.read()
        try:
            data = msgspec.json.decode(raw) if raw.strip() else {}
        except msgspec.DecodeError:
            raise BadRequest("Invalid JSON body") from None
        if not isinstance(data, dict):
            raise BadRequest("The request body must be a JSON object")
        return data


@dataclass(frozen=True)
class Route:
    """One row of the table; ``repo=True`` resolves ``{repo_id}`` first (see module doc)."""

    method: str
    pattern: str
    handler: Handler
    repo: bool = False
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        def sub(m: re.Match[str]) -> str:
            name, custom = m.group(1), m.group(2)
            if custom is not None:
                body = f"(?:{custom})"
            elif name == "repo_id":
                body = rf"{_SEGMENT}(?:/{_SEGMENT})?"
            else:
                body = _SEGMENT
            return f"(?P<{name}>{body})"

        out, i = [], 0
        for m in _PLACEHOLDER.finditer(self.pattern):
            out.append(re.escape(self.pattern[i : m.start()]))
            out.append(sub(m))
            i = m.end()
        out.append(re.escape(self.pattern[i:]))
        object.__setattr__(self, "regex", re.compile("^" + "".join(out) + "$"))

    def answers(self, method: str) -> bool:
        """Whether this route serves ``method`` (a GET route also serves HEAD)."""
        return method == self.method or (method == "HEAD" and self.method == "GET")


def _decoded(groups: dict[str, str]) -> dict[str, str]:
    return {k: unquote(v) for k, v in groups.items()}


class Router:
    """Finds the route for a request and runs it."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = tuple(routes)
        # Index by the first two path segments: most requests try a handful of rows.
        self._by_prefix: dict[str, list[Route]] = {}
        for route in self.routes:
            self._by_prefix.setdefault(_prefix(route.pattern), []).append(route)

    def _candidates(self, path: str) -> list[Route]:
        found = self._by_prefix.get(_prefix(path), [])
        dynamic = self._by_prefix.get("*", [])
        return found + dynamic if dynamic else found

    async def dispatch(self, request: web.Request, server: HubServer) -> web.StreamResponse:
        """Answer ``request`` with the first route matching its method and path."""
        path = request.raw_path.partition("?")[0]
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        viewer = request[VIEWER]
        fallback: tuple[Route, re.Match[str]] | None = None
        for route in self._candidates(path):
            if not route.answers(request.method):
                continue
            m = route.regex.match(path)
            if m is None:
                continue
            if route.repo and not _repo_known(server, m):
                fallback = fallback or (route, m)
                continue
            return await self._run(route, m, request, server, viewer)
        if fallback is not None:
            return await self._run(*fallback, request, server, viewer)
        return not_found_page()

    async def _run(
        self,
        route: Route,
        m: re.Match[str],
        request: web.Request,
        server: HubServer,
        viewer: Viewer,
    ) -> web.StreamResponse:
        raw = m.groupdict()
        ctx = Ctx(request, server, _decoded(raw), raw, viewer)
        try:
            if route.repo:
                early = _resolve_repo(ctx, m)
                if early is not None:
                    return early
            return await route.handler(ctx)
        except HubReply as reply:
            return reply.response()


def _prefix(path: str) -> str:
    segs = path.split("/", 4)
    head = "/".join(segs[:3])
    return "*" if "{" in head else head


def _repo_known(server: HubServer, m: re.Match[str]) -> bool:
    store = server.stores[KIND_OF[m.group("section")]]
    repo_id = unquote(m.group("repo_id"))
    return store.resolve(repo_id) is not None or repo_id in store.redirects


def _resolve_repo(ctx: Ctx, m: re.Match[str]) -> web.StreamResponse | None:
    store = ctx.server.stores[ctx.kind]
    repo_id = ctx.params["repo_id"]
    target = store.redirects.get(repo_id)
    if target is not None:
        path = ctx.request.raw_path.partition("?")[0]
        start, end = m.span("repo_id")
        location = path[:start] + target + path[end:]
        if ctx.request.query_string:
            location += "?" + ctx.request.query_string
        return web.Response(
            status=307,
            text=f"Temporary Redirect. Redirecting to {location}",
            headers={"Location": location, "Vary": "Origin, Accept"},
        )
    ref = store.resolve(repo_id)
    if ref is None or not store.visible(ref, ctx.viewer):
        return repo_not_found(ctx.viewer.user is not None)
    ctx.repo = (store, ref)
    return None

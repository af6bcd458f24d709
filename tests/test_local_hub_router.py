"""The local Hub's route table: pattern matching, methods, repo resolution, the chain."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from hubapi_async.testing import Fault, LocalHub
from hubapi_async.testing._app import ROUTES
from hubapi_async.testing._router import BadRequest, Ctx, HubReply, Route, Router

AUTH = {"Authorization": "Bearer hf_local_token"}


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=50, datasets=10, spaces=10)
    async with hub:
        yield hub


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def _ok(ctx: Ctx) -> web.StreamResponse:
    return web.json_response({"params": ctx.params})


def test_patterns_capture_segments_and_repo_ids() -> None:
    route = Route("GET", "/api/{section:models|spaces}/{repo_id}/revision/{revision}", _ok)
    m = route.regex.match("/api/models/gpt2/revision/main")
    assert m is not None and m.group("repo_id") == "gpt2"
    m = route.regex.match("/api/models/ns/name/revision/refs%2Fpr%2F1")
    assert m is not None
    assert (m.group("repo_id"), m.group("revision")) == ("ns/name", "refs%2Fpr%2F1")
    assert route.regex.match("/api/datasets/ns/name/revision/main") is None
    assert route.regex.match("/api/models/a/b/c/revision/main") is None
    # Literal text is matched literally, not as a regex.
    dotted = Route("GET", "/api/x.y", _ok)
    assert dotted.regex.match("/api/x.y") and not dotted.regex.match("/api/xzy")


def test_get_routes_answer_head_and_nothing_else() -> None:
    route = Route("GET", "/api/thing", _ok)
    assert route.answers("GET") and route.answers("HEAD")
    assert not route.answers("POST") and not route.answers("DELETE")
    assert not Route("POST", "/api/thing", _ok).answers("HEAD")


def test_the_table_has_no_duplicate_rows() -> None:
    rows = [(r.method, r.pattern) for r in ROUTES]
    assert len(rows) == len(set(rows))
    assert Router(ROUTES).routes == tuple(ROUTES)


def test_hub_replies_carry_the_hub_error_shape() -> None:
    resp = HubReply(409, "exists", code="Conflict").response()
    assert resp.status == 409
    assert resp.headers["X-Error-Message"] == "exists"
    assert resp.headers["X-Error-Code"] == "Conflict"
    assert BadRequest("nope").status == 400


async def test_unknown_paths_and_wrong_methods_are_the_404_page(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    for method, path in [
        ("GET", "/api/nothing/here"),
        ("DELETE", "/api/models"),
        ("PATCH", "/api/whoami-v2"),
        ("POST", "/api/models/openai-community/gpt2"),
    ]:
        async with session.request(method, f"{lh.url}{path}", headers=AUTH) as resp:
            body: Any = await resp.json()
        assert resp.status == 404, (method, path)
        assert body == {"error": "Sorry, we can't find the page you are looking for."}
        # The chain still ran: the rate limiter and the Hub's headers are there.
        assert "RateLimit" in resp.headers and "X-Request-Id" in resp.headers


async def test_trailing_slash_and_legacy_ids(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    async with session.get(f"{lh.url}/api/models/openai-community/gpt2/") as resp:
        assert resp.status == 200
        assert (await resp.json())["id"] == "openai-community/gpt2"
    # A legacy one-segment id followed by a keyword route resolves as the legacy id.
    async with session.get(f"{lh.url}/api/models/gpt2/revision/main") as resp:
        assert resp.status == 200
        assert (await resp.json())["id"] == "gpt2"


async def test_repo_routes_resolve_before_the_handler(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    # Renamed: 307 to the new id, the rest of the path and the query kept.
    url = f"{lh.url}/api/models/bert-base-uncased/revision/main?expand=likes"
    async with session.get(url, allow_redirects=False) as resp:
        assert resp.status == 307
        assert resp.headers["Location"] == (
            "/api/models/google-bert/bert-base-uncased/revision/main?expand=likes"
        )
    # Missing: the anonymous 401 and the authenticated 404.
    async with session.get(f"{lh.url}/api/datasets/nobody/nothing/croissant") as resp:
        assert resp.status == 401
    async with session.get(f"{lh.url}/api/datasets/nobody/nothing/croissant", headers=AUTH) as resp:
        assert resp.status == 404 and resp.headers["X-Error-Code"] == "RepoNotFound"


async def test_bad_token_is_refused_before_routing(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    bad = {"Authorization": "Bearer hf_not_a_token"}
    async with session.get(f"{lh.url}/api/nothing", headers=bad) as resp:
        assert resp.status == 401
        assert resp.headers["X-Error-Message"] == "Invalid credentials in Authorization header"


async def test_faults_come_before_auth_and_routing(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    lh.faults.add(Fault(kind="status", status=503, path="/api/nothing", times=1))
    bad = {"Authorization": "Bearer hf_not_a_token"}
    async with session.get(f"{lh.url}/api/nothing", headers=bad) as resp:
        assert resp.status == 503
        assert "RateLimit" not in resp.headers
    assert [r.path for r in lh.requests] == ["/api/nothing"]


async def test_each_seeded_user_has_a_token(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    seen = {}
    for token in ("hf_local_token", "hf_local_alice", "hf_local_bob", "hf_local_carol"):
        headers = {"Authorization": f"Bearer {token}"}
        async with session.get(f"{lh.url}/api/whoami-v2", headers=headers) as resp:
            body = await resp.json()
        seen[body["name"]] = {o["name"]: o["roleInOrg"] for o in body["orgs"]}
    assert seen == {
        "demo": {"demo-org": "admin"},
        "alice": {"demo-org": "write", "alice-lab": "admin"},
        "bob": {"demo-org": "read"},
        "carol": {},
    }


async def test_request_bodies_are_recorded(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    async with session.post(f"{lh.url}/api/nothing", json={"a": [1, "b"]}) as resp:
        assert resp.status == 404
    assert lh.requests[-1].body == b'{"a": [1, "b"]}'
    assert lh.requests[-1].json() == {"a": [1, "b"]}
    async with session.get(f"{lh.url}/api/nothing") as resp:
        assert resp.status == 404
    assert lh.requests[-1].body == b"" and lh.requests[-1].json() is None

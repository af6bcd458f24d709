"""The FastAPI example (examples/fastapi_app.py), served by uvicorn on loopback in-process,
against the local Hub: many tenants at once through one client and one connection pool."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import re
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import uvicorn

from hubapi_async import HubClient
from hubapi_async.testing import Fault, LocalHub

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "fastapi_app.py"
TENANTS = {
    "hf_local_token": "demo",
    "hf_local_alice": "alice",
    "hf_local_bob": "bob",
    "hf_local_carol": "carol",
}


def load_example() -> ModuleType:
    """A fresh copy of the example module (its app, its lifespan)."""
    spec = importlib.util.spec_from_file_location("fastapi_app_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Served:
    """The example app on a loopback port, the client it created, and an HTTP client."""

    def __init__(self, module: ModuleType, url: str, http: httpx.AsyncClient) -> None:
        self.module = module
        self.url = url
        self.http = http

    @property
    def hub(self) -> HubClient:
        hub: HubClient = self.module.app.state.hub
        return hub


@contextlib.asynccontextmanager
async def serve(local_url: str, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    monkeypatch.setenv("HF_ENDPOINT", local_url)
    module = load_example()
    clients: list[HubClient] = []
    real = module.HubClient

    def counting(*args: Any, **kwargs: Any) -> HubClient:
        client: HubClient = real(*args, **kwargs)
        clients.append(client)
        return client

    monkeypatch.setattr(module, "HubClient", counting)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        module.app, log_level="warning", lifespan="on", loop="asyncio", access_log=False
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30
        ) as http:
            yield Served(module, f"http://127.0.0.1:{port}", http)
            assert len(clients) == 1, "the app must create exactly one HubClient"
    finally:
        server.should_exit = True
        await task
        sock.close()
    assert clients[0].closed, "the lifespan must close its client"


@pytest.fixture
async def local() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=300, datasets=0, spaces=0)
    async with hub:
        yield hub


@pytest.fixture
async def app(local: LocalHub, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Served]:
    async with serve(local.url, monkeypatch) as served:
        yield served


def model_ids(local: LocalHub, n: int) -> list[str]:
    ids: list[str] = []
    for repo_id in local.stores["model"].iter_ids():
        ids.append(repo_id)
        if len(ids) == n:
            break
    return ids


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


# -- the README shows exactly the tested example ---------------------------------------------


def test_readme_fastapi_section_is_the_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- examples/fastapi_app\.py -->\n```python\n(.*?)```", readme, flags=re.DOTALL
    )
    assert found, "the README's FastAPI section must embed examples/fastapi_app.py"
    assert found.group(1) == EXAMPLE.read_text(encoding="utf-8")


# -- many tenants, one client ----------------------------------------------------------------


async def test_hundred_concurrent_requests_each_with_its_own_token(
    app: Served, local: LocalHub
) -> None:
    tokens: list[str | None] = [*TENANTS, None]
    ids = model_ids(local, 80)
    # Each model id belongs to one tenant: the Hub must see that tenant's token for it.
    owner = {repo_id: tokens[i % len(tokens)] for i, repo_id in enumerate(ids)}
    local.requests.clear()

    async def info(repo_id: str) -> tuple[str, httpx.Response]:
        return repo_id, await app.http.get(f"/models/{repo_id}", headers=auth(owner[repo_id]))

    async def me(token: str) -> tuple[str, httpx.Response]:
        return token, await app.http.get("/me", headers=auth(token))

    calls = [info(repo_id) for repo_id in ids]
    calls += [me(token) for _ in range(5) for token in TENANTS]
    assert len(calls) == 100
    answers = await asyncio.gather(*calls)

    for key, resp in answers:
        assert resp.status_code == 200, resp.text
        if key in TENANTS:
            assert resp.json()["name"] == TENANTS[key]  # whoami answers as the caller
        else:
            body = resp.json()
            assert body["id"] == key
            assert "_id" in body and "createdAt" in body  # the Hub's wire names

    seen = {r.path: r.headers.get("Authorization") for r in local.requests}
    for repo_id, token in owner.items():
        assert seen[f"/api/models/{repo_id}"] == (f"Bearer {token}" if token else None)
    whoami_auth = [r.headers.get("Authorization") for r in local.requests if "whoami" in r.path]
    assert sorted(whoami_auth) == sorted(f"Bearer {t}" for t in TENANTS for _ in range(5))
    # No token travels anywhere but its own Authorization header.
    for r in local.requests:
        others = [t for t in TENANTS if f"Bearer {t}" != r.headers.get("Authorization")]
        flat = f"{r.path}?{r.query_string} " + " ".join(
            f"{k}: {v}" for k, v in r.headers.items() if k.lower() != "authorization"
        )
        assert not any(t in flat for t in TENANTS), flat
        assert not any(t in (r.headers.get("Authorization") or "") for t in others)

    # One client, one pool: every connection it opened sits idle in that one connector.
    session = app.hub._transport._session
    assert session is not None and session.connector is not None
    pooled = sum(len(conns) for conns in session.connector._conns.values())
    assert 0 < pooled <= 64
    assert len(session.connector._acquired) == 0


async def test_listing_and_errors_become_http_answers(app: Served, local: LocalHub) -> None:
    resp = await app.http.get("/models", params={"author": "google", "limit": 3})
    assert resp.status_code == 200
    rows = resp.json()
    assert len(rows) == 3
    assert all(r["id"].startswith("google/") and "created_at" in r for r in rows)

    resp = await app.http.get("/models/nobody-here/nothing", headers=auth("hf_local_alice"))
    assert resp.status_code == 404
    assert "Repository not found" in resp.json()["error"]
    assert resp.json()["hub_request_id"]

    resp = await app.http.get("/me")  # anonymous: the Hub's 401 is kept
    assert resp.status_code == 401
    resp = await app.http.get("/me", headers=auth("hf_" + "x" * 34))
    assert resp.status_code == 401
    assert "x" * 34 not in resp.text
    resp = await app.http.get("/me", headers={"Authorization": "Basic abc"})
    assert resp.status_code == 401

    resp = await app.http.get("/models/a b/c")  # refused before any request
    assert resp.status_code == 400
    assert "Invalid repo id" in resp.json()["error"]

    target = model_ids(local, 1)[0]
    fault = local.faults.add(Fault("status", status=500, path=f"/api/models/{target}$"))
    resp = await app.http.get(f"/models/{target}")
    assert resp.status_code == 502
    assert fault.fired == 3  # the example's policy: two retries, then the Hub's error
    assert "500" in resp.json()["error"]


async def test_exhausted_quota_is_a_429_with_retry_after(
    local: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    local.rate_limiter.quota = 6
    local.rate_limiter.window = 60.0
    local.reset_rate_limits()
    ids = model_ids(local, 10)
    async with serve(local.url, monkeypatch) as app:
        carol = auth("hf_local_carol")
        statuses = [
            (await app.http.get(f"/models/{i}", headers=carol)).status_code for i in ids[:6]
        ]
        assert statuses == [200] * 6
        resp = await app.http.get(f"/models/{ids[6]}", headers=carol)
        assert resp.status_code == 429
        assert 1 <= int(resp.headers["Retry-After"]) <= 61
        assert "rate limit" in resp.json()["error"].lower()


async def test_one_tenants_exhausted_quota_does_not_block_another(
    local: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    local.rate_limiter.quota = 6
    local.rate_limiter.window = 60.0
    local.reset_rate_limits()
    ids = model_ids(local, 20)
    async with serve(local.url, monkeypatch) as app:
        carol = auth("hf_local_carol")
        for repo_id in ids[:6]:
            assert (await app.http.get(f"/models/{repo_id}", headers=carol)).status_code == 200
        assert (await app.http.get(f"/models/{ids[6]}", headers=carol)).status_code == 429
        # Carol is refused for a minute; Alice and Bob still have their whole quota.
        others = [
            app.http.get(f"/models/{repo_id}", headers=auth(token))
            for token in ("hf_local_alice", "hf_local_bob")
            for repo_id in ids[10:15]
        ]
        started = asyncio.get_running_loop().time()
        answers = await asyncio.gather(*others)
        elapsed = asyncio.get_running_loop().time() - started
        assert [r.status_code for r in answers] == [200] * 10
        assert elapsed < 3.0

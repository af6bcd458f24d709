"""The local Hub's repo write endpoints on the wire: both settings forms, the 400s, the
307 after a move, and copy-on-write of generated repos."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from hubapi_async import BadRequestError, HubClient
from hubapi_async.testing import LocalHub

from ._helpers import recordings_dir

DEMO, CAROL = "hf_local_token", "hf_local_carol"
AUTH = {"Authorization": f"Bearer {DEMO}"}


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=2_000, datasets=60, spaces=40)
    async with hub:
        yield hub


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as s:
        yield s


async def call(
    session: aiohttp.ClientSession,
    lh: LocalHub,
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = DEMO,
    raw: bytes | None = None,
) -> tuple[int, Any, aiohttp.ClientResponse]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    if data is not None:
        headers["Content-Type"] = "application/json"
    async with session.request(
        method, lh.url + path, data=data, headers=headers, allow_redirects=False
    ) as resp:
        text = await resp.text()
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = text
        return resp.status, parsed, resp


def generated(lh: LocalHub, author: str, offset: int = 1, kind: str = "model") -> str:
    """A public generated repo id of ``author`` (offsets divisible by 4 are private)."""
    gen = lh.stores[kind].gen
    span = gen.author_range(author)
    assert span is not None and span[0] + offset < span[1]
    return gen.repo_id(span[0] + offset)


# -- answers shaped like the recordings -----------------------------------------------------
async def test_create_answer_has_the_recorded_keys(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    recorded = json.loads((recordings_dir() / "repos/create__200__space.body.json").read_bytes())
    body = {"name": "tmp_test_space", "private": True, "type": "space", "sdk": "gradio"}
    status, answer, _ = await call(session, lh, "POST", "/api/repos/create", body)
    assert status == 200
    assert list(answer) == list(recorded)
    assert answer["url"] == f"{lh.url}/spaces/demo/tmp_test_space"
    assert answer["name"] == "demo/tmp_test_space"
    status, again, resp = await call(session, lh, "POST", "/api/repos/create", body)
    conflict = recordings_dir() / "repos/create__409__already_exists.body.json"
    assert status == 409 and list(again) == list(json.loads(conflict.read_bytes()))
    assert again["error"] == "You already created this space repo"
    assert "X-Error-Code" not in resp.headers


async def test_delete_answers_ok_as_text(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    await call(session, lh, "POST", "/api/repos/create", {"name": "gone", "type": "dataset"})
    status, text, resp = await call(
        session, lh, "DELETE", "/api/repos/delete", {"name": "gone", "type": "dataset"}
    )
    assert (status, text) == (200, "OK")
    assert resp.content_type == "text/plain"
    status, _, resp = await call(
        session, lh, "DELETE", "/api/repos/delete", {"name": "gone", "type": "dataset"}
    )
    assert status == 404 and resp.headers["X-Error-Code"] == "RepoNotFound"


# -- settings: both wire forms ------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/api/repos/model/{id}/settings",
        "/api/repos/models/{id}/settings",
        "/api/models/{id}/settings",
    ],
)
async def test_settings_at_the_seed_and_the_client_paths(
    lh: LocalHub, session: aiohttp.ClientSession, path: str
) -> None:
    repo_id = generated(lh, "demo")
    status, answer, _ = await call(session, lh, "PUT", path.format(id=repo_id), {"private": True})
    assert (status, answer) == (200, {"private": True, "gated": False})
    status, _, _ = await call(session, lh, "GET", f"/api/models/{repo_id}", token=CAROL)
    assert status == 404
    status, answer, _ = await call(
        session, lh, "PUT", path.format(id=repo_id), {"visibility": "public", "gated": "auto"}
    )
    assert (status, answer) == (200, {"private": False, "gated": "auto"})
    status, info, _ = await call(session, lh, "GET", f"/api/models/{repo_id}", token=CAROL)
    assert status == 200 and info["gated"] == "auto" and info["private"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Nothing to update"),
        ({"discussionsDisabled": True}, "Nothing to update"),
        ({"private": "private"}, '"private" must be a boolean'),
        ({"private": 1}, '"private" must be a boolean'),
        ({"gated": True}, '"gated" must be'),
        ({"gated": 0}, '"gated" must be'),
        ({"gated": "sometimes"}, '"gated" must be'),
        ({"visibility": "hidden"}, '"visibility" must be one of'),
        ({"visibility": "protected"}, "Only Spaces"),
        ({"private": True, "visibility": "public"}, "contradicts"),
    ],
)
async def test_bad_settings_bodies_are_400(
    lh: LocalHub, session: aiohttp.ClientSession, body: dict[str, Any], message: str
) -> None:
    repo_id = generated(lh, "demo")
    status, answer, resp = await call(session, lh, "PUT", f"/api/models/{repo_id}/settings", body)
    assert status == 400
    assert message in answer["error"] and resp.headers["X-Error-Message"] == answer["error"]
    _, info, _ = await call(session, lh, "GET", f"/api/models/{repo_id}")
    assert info["private"] is False


async def test_a_space_may_be_protected(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    body = {"name": "guarded-app", "type": "space", "sdk": "gradio", "visibility": "protected"}
    status, _, _ = await call(session, lh, "POST", "/api/repos/create", body)
    assert status == 200
    status, answer, _ = await call(
        session, lh, "PUT", "/api/spaces/demo/guarded-app/settings", {"visibility": "protected"}
    )
    assert status == 200 and answer["private"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "model"}, "Invalid repo name"),
        ({"name": "bad--name"}, "Invalid repo name"),
        ({"name": "x.git"}, "must not end with '.git'"),
        ({"name": "ok", "type": "kernel"}, "Invalid repo type"),
        ({"name": "ok", "organization": 3}, '"organization" must be'),
        ({"name": "ok", "type": "space"}, '"sdk" is required'),
        ({"name": "ok", "sdk": "gradio"}, "Spaces only"),
        ({"name": "ok", "private": "yes"}, '"private" must be a boolean'),
    ],
)
async def test_bad_create_bodies_are_400(
    lh: LocalHub, session: aiohttp.ClientSession, body: dict[str, Any], message: str
) -> None:
    status, answer, _ = await call(session, lh, "POST", "/api/repos/create", body)
    assert status == 400 and message in answer["error"]
    status, _, _ = await call(session, lh, "GET", "/api/models/demo/ok")
    assert status == 404


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"name"'])
async def test_malformed_bodies_are_400(
    lh: LocalHub, session: aiohttp.ClientSession, raw: bytes
) -> None:
    for method, path in (
        ("POST", "/api/repos/create"),
        ("DELETE", "/api/repos/delete"),
        ("POST", "/api/repos/move"),
        ("PUT", f"/api/models/{generated(lh, 'demo')}/settings"),
    ):
        status, answer, _ = await call(session, lh, method, path, raw=raw)
        assert status == 400 and answer["error"], (method, path)


async def test_a_400_explains_itself_through_the_sdk(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=DEMO) as hub:
        with pytest.raises(BadRequestError) as caught:
            await hub.request("POST", "/api/repos/create", json={"name": "bad--name"})
    err = caught.value
    assert err.server_message is not None and "Invalid repo name" in err.server_message
    assert json.loads(err.body)["error"] == err.server_message
    assert "Invalid repo name" in str(err)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/repos/create", {"name": "x"}),
        ("DELETE", "/api/repos/delete", {"name": "x"}),
        ("POST", "/api/repos/move", {"fromRepo": "demo/a", "toRepo": "demo/b"}),
    ],
)
async def test_anonymous_writes_get_the_hubs_401(
    lh: LocalHub, session: aiohttp.ClientSession, method: str, path: str, body: Any
) -> None:
    status, answer, _ = await call(session, lh, method, path, body, token=None)
    assert (status, answer) == (401, {"error": "Invalid username or password."})


# -- move ------------------------------------------------------------------------------------
async def test_moved_repo_redirects_with_307(lh: LocalHub, session: aiohttp.ClientSession) -> None:
    old = generated(lh, "demo", kind="dataset")
    body = {"fromRepo": old, "toRepo": "demo-org/relocated", "type": "dataset"}
    status, text, _ = await call(session, lh, "POST", "/api/repos/move", body)
    assert (status, text) == (200, "OK")
    status, _, resp = await call(session, lh, "GET", f"/api/datasets/{old}/parquet?x=1")
    assert status == 307
    assert resp.headers["Location"] == "/api/datasets/demo-org/relocated/parquet?x=1"
    status, info, _ = await call(session, lh, "GET", "/api/datasets/demo-org/relocated")
    assert status == 200 and info["id"] == "demo-org/relocated" and info["author"] == "demo-org"
    status, layout, _ = await call(session, lh, "GET", "/api/datasets/demo-org/relocated/parquet")
    assert status == 200 and layout  # the generated parquet export moved along
    status, _, _ = await call(session, lh, "POST", "/api/repos/move", body)
    assert status == 404  # the old id is only a redirect now
    recreate = {"name": old.split("/")[1], "type": "dataset"}
    status, _, _ = await call(session, lh, "POST", "/api/repos/create", recreate)
    assert status == 200  # creating at the old id ends the redirect
    status, _, _ = await call(session, lh, "GET", f"/api/datasets/{old}")
    assert status == 200


@pytest.mark.parametrize(
    "body",
    [
        {"fromRepo": "demo", "toRepo": "demo/b"},
        {"fromRepo": "demo/a", "toRepo": "b"},
        {"fromRepo": "demo/a", "toRepo": "demo/b/c"},
        {"fromRepo": "demo/a", "toRepo": "demo/a"},
        {"fromRepo": "demo/a", "toRepo": "demo/b", "type": "bucket"},
    ],
)
async def test_bad_move_bodies_are_400(
    lh: LocalHub, session: aiohttp.ClientSession, body: dict[str, Any]
) -> None:
    status, _, _ = await call(session, lh, "POST", "/api/repos/move", body)
    assert status == 400


# -- copy-on-write of generated repos ------------------------------------------------------
async def _page(session: aiohttp.ClientSession, lh: LocalHub, query: str) -> list[dict[str, Any]]:
    _, items, _ = await call(session, lh, "GET", f"/api/models?{query}", token=None)
    assert isinstance(items, list)
    return items


async def test_writes_to_a_generated_repo_are_copy_on_write(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    store = lh.stores["model"]
    target = generated(lh, "demo", 3)
    neighbour = generated(lh, "demo", 2)
    query = "author=demo&sort=likes&limit=1000&full=true"
    before = {m["id"]: m for m in await _page(session, lh, query)}
    ref_before = store.resolve(target)
    assert isinstance(ref_before, int)
    status, _, _ = await call(
        session, lh, "PUT", f"/api/models/{target}/settings", {"gated": "manual"}
    )
    assert status == 200
    after_items = await _page(session, lh, query)
    after = {m["id"]: m for m in after_items}
    assert set(after) == set(before) and len(after_items) == len(before)
    likes = [m["likes"] for m in after_items]
    assert likes == sorted(likes, reverse=True)
    assert after[target]["gated"] == "manual"
    assert {**after[target], "gated": before[target]["gated"]} == before[target]
    assert all(after[i] == before[i] for i in before if i != target)
    # the generated index is untouched: the arithmetic still names the same repo
    assert store.gen.repo_id(ref_before) == target
    assert not isinstance(store.resolve(target), int)
    assert isinstance(store.resolve(neighbour), int)
    _, info, _ = await call(session, lh, "GET", f"/api/models/{target}")
    assert info["gated"] == "manual" and info["siblings"]


async def test_deleting_and_hiding_generated_repos_keeps_counts_right(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    anonymous, owner = lh.count("model", authenticated=False), lh.count("model")
    gone, hidden = generated(lh, "demo", 5), generated(lh, "demo", 6)
    org, name = gone.split("/")
    body = {"name": name, "organization": org, "type": "model"}
    status, _, _ = await call(session, lh, "DELETE", "/api/repos/delete", body, token=CAROL)
    assert status == 403  # carol has no rights on demo's repos
    status, _, _ = await call(session, lh, "DELETE", "/api/repos/delete", body)
    assert status == 200
    status, _, _ = await call(
        session, lh, "PUT", f"/api/models/{hidden}/settings", {"private": True}
    )
    assert status == 200
    assert lh.count("model", authenticated=False) == anonymous - 2
    assert lh.count("model") == owner - 1
    public = [m["id"] for m in await _page(session, lh, "author=demo&limit=1000")]
    assert gone not in public and hidden not in public
    _, mine, _ = await call(session, lh, "GET", "/api/models?author=demo&limit=1000")
    assert gone not in [m["id"] for m in mine] and hidden in [m["id"] for m in mine]
    status, _, _ = await call(session, lh, "GET", f"/api/models/{gone}")
    assert status == 404


async def _walk(session: aiohttp.ClientSession, url: str) -> list[str]:
    ids: list[str] = []
    next_url: str | None = url
    while next_url:
        async with session.get(next_url, headers=AUTH) as resp:
            ids += [m["id"] for m in await resp.json()]
            link = resp.links.get("next")
            next_url = str(link["url"]) if link else None
    return ids


async def test_paging_stays_exact_after_copy_on_write(
    lh: LocalHub, session: aiohttp.ClientSession
) -> None:
    url = f"{lh.url}/api/models?sort=likes&limit=250"
    before = await _walk(session, url)
    changed = [generated(lh, "demo", k) for k in (1, 2, 3, 5, 7)]
    changed += [generated(lh, "demo-org", k) for k in (1, 2)]
    for repo_id in changed:
        status, _, _ = await call(
            session, lh, "PUT", f"/api/models/{repo_id}/settings", {"gated": "auto"}
        )
        assert status == 200
    after = await _walk(session, url)
    assert len(after) == len(set(after)) == len(before) == lh.count("model")
    assert set(after) == set(before)

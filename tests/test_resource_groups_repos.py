"""hub.resource_groups.get_repo_group / set_repo_group: the group a repo is in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from hubapi_async import (
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RepositoryNotFoundError,
)

from ._groups import ORG, UNKNOWN_ID, Env, group_env

DATASET = "demo-org/wiki-ner-small"
SPACE = "demo-org/ocr-assistant-pro"


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    async with group_env() as e:
        yield e


async def test_attach_read_and_detach_a_repo(env: Env) -> None:
    rg = env.demo.resource_groups
    model = env.model()
    gid = await env.research_id()
    assert await rg.get_repo_group(model, "model") is None
    assert (env.last.method, env.last.path) == ("GET", f"/api/models/{model}/resource-group")

    assert await rg.set_repo_group(model, "model", gid) is None
    assert (env.last.method, env.last.path, env.last.json()) == (
        "POST",
        f"/api/models/{model}/resource-group",
        {"resourceGroupId": gid},
    )
    group = await rg.get_repo_group(model, "model")
    assert group is not None and (group.id, group.name, group.num_users) == (gid, "research", 2)
    assert [r.repo_id for r in (await rg.get(ORG, gid)).repos or []] == [model]
    # members of the organization may read it
    seen = await env.bob.resource_groups.get_repo_group(model, "model")
    assert seen is not None and seen.id == gid

    await rg.set_repo_group(model, "model", None)
    assert env.last.json() == {"resourceGroupId": None}
    assert await rg.get_repo_group(model, "model") is None
    assert (await rg.get(ORG, gid)).repos == []


async def test_a_repo_is_in_one_group_at_most(env: Env) -> None:
    rg = env.demo.resource_groups
    research = await env.research_id()
    other = await rg.create(ORG, name="other", repos=[(DATASET, "dataset")])
    assert (await rg.get_repo_group(DATASET, "dataset")).id == other.id  # type: ignore[union-attr]
    await rg.set_repo_group(DATASET, "dataset", research)
    assert (await rg.get(ORG, other.id)).repos == []
    repos = (await rg.get(ORG, research)).repos or []
    assert [(r.repo_id, r.type) for r in repos] == [(DATASET, "dataset")]
    # a Space too; and the types stay apart
    await rg.set_repo_group(SPACE, "space", other.id)
    assert env.last.path == f"/api/spaces/{SPACE}/resource-group"
    assert (await rg.get_repo_group(SPACE, "space")).id == other.id  # type: ignore[union-attr]


async def test_deleting_a_group_leaves_its_repos_in_none(env: Env) -> None:
    rg = env.demo.resource_groups
    model = env.model()
    group = await rg.create(ORG, name="short-lived", repos=[model])
    await rg.delete(ORG, group.id)
    assert await rg.get_repo_group(model, "model") is None


async def test_repo_group_errors(env: Env) -> None:
    model = env.model()
    gid = await env.research_id()
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.get_repo_group(model, "model")
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.set_repo_group(model, "model", gid)
    with pytest.raises(PermissionDeniedError):
        await env.carol.resource_groups.get_repo_group(model, "model")
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.set_repo_group(model, "model", gid)
    with pytest.raises(NotFoundError, match="Resource group not found"):
        await env.demo.resource_groups.set_repo_group(model, "model", UNKNOWN_ID)
    with pytest.raises(RepositoryNotFoundError):
        await env.demo.resource_groups.get_repo_group("demo-org/no-such-model", "model")
    with pytest.raises(BadRequestError, match="organization"):
        await env.alice.resource_groups.set_repo_group("alice/whisper-medium-v2", "model", gid)
    # a private repo stays hidden from outsiders; members of its organization see it
    private = env.model(private=True)
    with pytest.raises(RepositoryNotFoundError):
        await env.carol.resource_groups.get_repo_group(private, "model")
    assert await env.bob.resource_groups.get_repo_group(private, "model") is None
    # a user's repo is in no group
    assert (
        await env.alice.resource_groups.get_repo_group("alice/whisper-medium-v2", "model") is None
    )
    with pytest.raises(BadRequestError, match="resourceGroupId"):
        await env.demo.request("POST", f"/api/models/{model}/resource-group", json={})
    assert await env.demo.resource_groups.get_repo_group(model, "model") is None


async def test_group_admins_move_repos_into_their_group(env: Env) -> None:
    model = env.model()
    gid = await env.research_id()
    with pytest.raises(PermissionDeniedError):
        await env.alice.resource_groups.set_repo_group(model, "model", gid)
    await env.demo.resource_groups.update_user_role(ORG, gid, "alice", role="admin")
    await env.alice.resource_groups.set_repo_group(model, "model", gid)
    group = await env.alice.resource_groups.get(ORG, gid)
    assert [(r.repo_id, r.added_by) for r in group.repos or []] == [(model, "alice")]


@pytest.mark.parametrize(
    ("repo_id", "repo_type"),
    [("demo-org/x", "models"), ("demo-org/x", "bucket"), ("a/b/c", "model"), ("x?y", "model")],
)
async def test_bad_repo_arguments_raise_before_any_request(
    env: Env, repo_id: str, repo_type: str
) -> None:
    sent = len(env.server.requests)
    with pytest.raises(ValueError):
        await env.demo.resource_groups.get_repo_group(repo_id, repo_type)
    with pytest.raises(ValueError):
        await env.demo.resource_groups.set_repo_group(repo_id, repo_type, None)
    assert len(env.server.requests) == sent

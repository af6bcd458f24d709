"""hub.resource_groups (the organization routes) over real sockets against the local Hub.

Accounts (see ``hubapi_async.testing._accounts``): ``demo`` admin of the Enterprise
organization ``demo-org``, ``alice`` write there, ``bob`` read, ``carol`` outside;
``alice-lab`` (``alice`` admin) is not Enterprise. ``demo-org`` starts with one group,
``research`` (``demo`` admin, ``alice`` write).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from hubapi_async import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    HubClient,
    NotFoundError,
    PermissionDeniedError,
)
from hubapi_async.testing import Fault

from ._groups import BASE, ORG, UNKNOWN_ID, Env, group_env, names


@pytest.fixture
async def env() -> AsyncIterator[Env]:
    async with group_env() as e:
        yield e


# -- list ----------------------------------------------------------------------------------
async def test_list_shows_the_groups_each_caller_may_see(env: Env) -> None:
    (research,) = await env.demo.resource_groups.list(ORG)
    assert research.name == "research" and names(research) == {"demo": "admin", "alice": "write"}
    assert research.auto_join is not None and research.auto_join.enabled is False
    assert (env.last.method, env.last.path, env.last.body) == ("GET", BASE, b"")
    assert [g.name for g in await env.alice.resource_groups.list(ORG)] == ["research"]
    assert await env.bob.resource_groups.list(ORG) == []  # a member, in no group


async def test_list_errors(env: Env) -> None:
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.list(ORG)
    with pytest.raises(PermissionDeniedError, match="not a member"):
        await env.carol.resource_groups.list(ORG)
    with pytest.raises(PermissionDeniedError, match="Enterprise"):
        await env.alice.resource_groups.list("alice-lab")
    with pytest.raises(NotFoundError):
        await env.demo.resource_groups.list("no-such-org")


# -- get -----------------------------------------------------------------------------------
async def test_get_a_group(env: Env) -> None:
    gid = await env.research_id()
    group = await env.alice.resource_groups.get(ORG, gid)
    assert group.id == gid and group.description == "Models and data of the research team"
    assert group.users is not None and group.users[0].added_by == "demo"
    assert (env.last.method, env.last.path) == ("GET", f"{BASE}/{gid}")
    assert (await env.demo.resource_groups.get(ORG, gid.upper())).id == gid


async def test_get_errors(env: Env) -> None:
    gid = await env.research_id()
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.get(ORG, gid)
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.get(ORG, gid)  # in the org, not in the group
    with pytest.raises(PermissionDeniedError):
        await env.carol.resource_groups.get(ORG, gid)
    with pytest.raises(NotFoundError, match="Resource group not found"):
        await env.demo.resource_groups.get(ORG, UNKNOWN_ID)


@pytest.mark.parametrize("gid", ["", "abc", "0123456789abcdef0123456z", "../" * 8, None, 12])
async def test_invalid_group_ids_raise_before_any_request(env: Env, gid: Any) -> None:
    sent = len(env.server.requests)
    rg = env.demo.resource_groups
    calls = [
        lambda: rg.get(ORG, gid),
        lambda: rg.delete(ORG, gid),
        lambda: rg.update(ORG, gid, name="x"),
        lambda: rg.update_settings(ORG, gid, auto_join="read"),
        lambda: rg.add_users(ORG, gid, users={"bob": "read"}),
        lambda: rg.remove_user(ORG, gid, "bob"),
        lambda: rg.update_user_role(ORG, gid, "bob", role="read"),
    ]
    if gid is not None:  # None is how set_repo_group detaches
        calls.append(lambda: rg.set_repo_group(env.model(), "model", gid))
    for call in calls:
        with pytest.raises(ValueError, match="resource group id"):
            await call()
    assert len(env.server.requests) == sent


# -- create --------------------------------------------------------------------------------
async def test_create_sends_exactly_what_was_given(env: Env) -> None:
    model = env.model()
    dataset = "demo-org/wiki-ner-small"
    group = await env.demo.resource_groups.create(
        ORG,
        name="vision",
        description="Vision models",
        users={"bob": "read", "alice": "custom-reviewer"},
        repos=[model, (dataset, "dataset")],
        auto_join=False,
    )
    assert env.last.method == "POST" and env.last.path == BASE
    assert env.last.json() == {
        "name": "vision",
        "description": "Vision models",
        "users": [{"user": "bob", "role": "read"}, {"user": "alice", "role": "custom-reviewer"}],
        "repos": [{"type": "model", "name": model}, {"type": "dataset", "name": dataset}],
        "autoJoin": {"enabled": False},
    }
    assert len(group.id) == 24 and group.name == "vision"
    assert names(group) == {"bob": "read", "alice": "custom-reviewer"}  # roles are strings
    assert [(r.repo_id, r.type) for r in group.repos or []] == [
        (model, "model"),
        (dataset, "dataset"),
    ]
    assert all(r.added_by == "demo" and r.private is not None for r in group.repos or [])
    assert [g.name for g in await env.demo.resource_groups.list(ORG)] == ["research", "vision"]

    minimal = await env.demo.resource_groups.create(ORG, name="minimal")
    assert env.last.json() == {"name": "minimal"}
    assert minimal.users == [] and minimal.repos == [] and minimal.description is None


async def test_create_with_auto_join_adds_every_member(env: Env) -> None:
    group = await env.demo.resource_groups.create(ORG, name="everyone", auto_join="read")
    assert env.last.json() == {"name": "everyone", "autoJoin": {"enabled": True, "role": "read"}}
    assert group.auto_join is not None and group.auto_join.role == "read"
    assert len(group.users or []) == 123 and names(group)["bob"] == "read"


async def test_create_errors(env: Env) -> None:
    rg = env.demo.resource_groups
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.create(ORG, name="x")
    with pytest.raises(PermissionDeniedError, match="admin"):
        await env.alice.resource_groups.create(ORG, name="x")  # write in the org is not enough
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.create(ORG, name="x")
    with pytest.raises(PermissionDeniedError):
        await env.carol.resource_groups.create(ORG, name="x")
    with pytest.raises(ConflictError, match="already exists"):
        await rg.create(ORG, name="Research")  # names are unique, whatever the case
    with pytest.raises(PermissionDeniedError, match="not members"):
        await rg.create(ORG, name="x", users={"carol": "read"})
    with pytest.raises(BadRequestError, match="not found"):
        await rg.create(ORG, name="x", users={"nobody-here": "read"})
    with pytest.raises(BadRequestError, match="is not in"):
        await rg.create(ORG, name="x", repos=["alice/whisper-medium-v2"])
    assert [g.name for g in await rg.list(ORG)] == ["research"]  # nothing half-made


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"name": ""}, ValueError),
        ({"name": "x", "users": "bob"}, TypeError),
        ({"name": "x", "users": {"bad name": "read"}}, ValueError),
        ({"name": "x", "users": [("bob", "read"), ("bob", "write")]}, ValueError),
        ({"name": "x", "users": [("bob",)]}, TypeError),
        ({"name": "x", "users": {"bob": ""}}, ValueError),
        ({"name": "x", "users": {"bob": 3}}, TypeError),
        ({"name": "x", "users": {}}, ValueError),
        ({"name": "x", "repos": "demo-org/m"}, TypeError),
        ({"name": "x", "repos": [("demo-org/m", "bucket")]}, ValueError),
        ({"name": "x", "repos": ["demo-org/m?x"]}, ValueError),
        ({"name": "x", "auto_join": True}, ValueError),
    ],
)
async def test_create_rejects_bad_arguments_before_any_request(
    env: Env, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    sent = len(env.server.requests)
    with pytest.raises(error):
        await env.demo.resource_groups.create(ORG, **kwargs)
    assert len(env.server.requests) == sent


# -- update, update_settings, delete -----------------------------------------------------
async def test_update_sends_only_what_changes(env: Env) -> None:
    gid = await env.research_id()
    renamed = await env.demo.resource_groups.update(ORG, gid, name="research-2")
    assert (env.last.method, env.last.path, env.last.json()) == (
        "PATCH",
        f"{BASE}/{gid}",
        {"name": "research-2"},
    )
    assert renamed.name == "research-2"
    described = await env.demo.resource_groups.update(ORG, gid, description="New")
    assert env.last.json() == {"description": "New"}
    assert (described.name, described.description) == ("research-2", "New")
    with pytest.raises(ValueError, match="nothing to update"):
        await env.demo.resource_groups.update(ORG, gid)


async def test_update_errors(env: Env) -> None:
    gid = await env.research_id()
    await env.demo.resource_groups.create(ORG, name="other")
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.update(ORG, gid, name="x")
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.update(ORG, gid, name="x")
    with pytest.raises(PermissionDeniedError):
        await env.alice.resource_groups.update(ORG, gid, name="x")  # a group member, not admin
    with pytest.raises(NotFoundError):
        await env.demo.resource_groups.update(ORG, UNKNOWN_ID, name="x")
    with pytest.raises(ConflictError):
        await env.demo.resource_groups.update(ORG, gid, name="OTHER")


async def test_a_write_whose_answer_is_not_the_group_reads_it_back(env: Env) -> None:
    gid = await env.research_id()
    env.server.faults.add(
        Fault("status", status=200, body=b'{"success":true}', method="PATCH", times=1)
    )
    group = await env.demo.resource_groups.update(ORG, gid, name="renamed")
    # the fault answered instead of the route, so the name is unchanged: what matters is
    # that the call returned the group as the Hub holds it, read with one GET
    assert group.id == gid and group.name == "research"
    assert [(r.method, r.path) for r in env.server.requests[-2:]] == [
        ("PATCH", f"{BASE}/{gid}"),
        ("GET", f"{BASE}/{gid}"),
    ]


async def test_update_settings_turns_auto_join_on_and_off(env: Env) -> None:
    gid = await env.research_id()
    group = await env.demo.resource_groups.update_settings(ORG, gid, auto_join="write")
    assert (env.last.method, env.last.path, env.last.json()) == (
        "POST",
        f"{BASE}/{gid}/settings",
        {"autoJoin": {"enabled": True, "role": "write"}},
    )
    assert group.auto_join is not None and (group.auto_join.enabled, group.auto_join.role) == (
        True,
        "write",
    )
    roles = names(group)
    assert len(roles) == 123 and roles["bob"] == "write" and roles["demo"] == "admin"
    off = await env.demo.resource_groups.update_settings(ORG, gid, auto_join=False)
    assert env.last.json() == {"autoJoin": {"enabled": False}}
    assert off.auto_join is not None and off.auto_join.enabled is False
    assert len(off.users or []) == 123  # turning it off keeps who joined


async def test_update_settings_errors(env: Env) -> None:
    gid = await env.research_id()
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.update_settings(ORG, gid, auto_join="read")
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.update_settings(ORG, gid, auto_join="read")
    with pytest.raises(NotFoundError):
        await env.demo.resource_groups.update_settings(ORG, UNKNOWN_ID, auto_join="read")
    with pytest.raises(ValueError, match="needs a role"):
        await env.demo.resource_groups.update_settings(ORG, gid, auto_join=True)  # type: ignore[arg-type]
    with pytest.raises(BadRequestError, match="autoJoin"):
        await env.demo.request("POST", f"{BASE}/{gid}/settings", json={"autoJoin": {"on": 1}})


async def test_delete_a_group(env: Env) -> None:
    gid = await env.research_id()
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.delete(ORG, gid)
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.delete(ORG, gid)
    with pytest.raises(PermissionDeniedError):
        await env.alice.resource_groups.delete(ORG, gid)
    assert await env.demo.resource_groups.delete(ORG, gid) is None
    assert (env.last.method, env.last.path, env.last.body) == ("DELETE", f"{BASE}/{gid}", b"")
    assert await env.demo.resource_groups.list(ORG) == []
    with pytest.raises(NotFoundError):
        await env.demo.resource_groups.get(ORG, gid)
    with pytest.raises(NotFoundError):
        await env.demo.resource_groups.delete(ORG, gid)


# -- members of a group --------------------------------------------------------------------
async def test_add_users(env: Env) -> None:
    gid = await env.research_id()
    group = await env.demo.resource_groups.add_users(
        ORG, gid, users=[("bob", "read"), ("member-0001", "contributor")]
    )
    assert (env.last.method, env.last.path, env.last.json()) == (
        "POST",
        f"{BASE}/{gid}/users",
        {
            "users": [
                {"user": "bob", "role": "read"},
                {"user": "member-0001", "role": "contributor"},
            ]
        },
    )
    assert names(group) == {
        "demo": "admin",
        "alice": "write",
        "bob": "read",
        "member-0001": "contributor",
    }
    # bob is in the group now: he sees it
    assert [g.name for g in await env.bob.resource_groups.list(ORG)] == ["research"]


async def test_group_admins_manage_members_too(env: Env) -> None:
    gid = await env.research_id()
    with pytest.raises(PermissionDeniedError):
        await env.alice.resource_groups.add_users(ORG, gid, users={"bob": "read"})
    await env.demo.resource_groups.update_user_role(ORG, gid, "alice", role="admin")
    group = await env.alice.resource_groups.add_users(ORG, gid, users={"bob": "read"})
    assert names(group)["bob"] == "read"
    await env.alice.resource_groups.update_user_role(ORG, gid, "bob", role="write")
    await env.alice.resource_groups.remove_user(ORG, gid, "bob")
    with pytest.raises(PermissionDeniedError):  # a group admin does not rename the group
        await env.alice.resource_groups.update(ORG, gid, name="mine")


async def test_add_users_errors(env: Env) -> None:
    gid = await env.research_id()
    rg = env.demo.resource_groups
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.add_users(ORG, gid, users={"bob": "read"})
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.add_users(ORG, gid, users={"bob": "read"})
    with pytest.raises(PermissionDeniedError):
        await env.carol.resource_groups.add_users(ORG, gid, users={"carol": "read"})
    with pytest.raises(PermissionDeniedError, match="already in the resource group: alice"):
        await rg.add_users(ORG, gid, users={"alice": "read"})
    with pytest.raises(PermissionDeniedError, match="not members of the organization: carol"):
        await rg.add_users(ORG, gid, users={"carol": "read"})
    with pytest.raises(BadRequestError, match="not found: nobody-here"):
        await rg.add_users(ORG, gid, users={"nobody-here": "read"})
    with pytest.raises(NotFoundError):
        await rg.add_users(ORG, UNKNOWN_ID, users={"bob": "read"})
    with pytest.raises(BadRequestError, match="users"):
        await env.demo.request("POST", f"{BASE}/{gid}/users", json={"users": []})
    assert names(await rg.get(ORG, gid)) == {"demo": "admin", "alice": "write"}


async def test_remove_user(env: Env) -> None:
    gid = await env.research_id()
    assert await env.demo.resource_groups.remove_user(ORG, gid, "alice") is None
    assert (env.last.method, env.last.path, env.last.body) == (
        "DELETE",
        f"{BASE}/{gid}/users/alice",
        b"",
    )
    assert names(await env.demo.resource_groups.get(ORG, gid)) == {"demo": "admin"}
    with pytest.raises(NotFoundError, match="not in the resource group"):
        await env.demo.resource_groups.remove_user(ORG, gid, "alice")
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.remove_user(ORG, gid, "demo")
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.remove_user(ORG, gid, "demo")
    with pytest.raises(ValueError, match="username"):
        await env.demo.resource_groups.remove_user(ORG, gid, "../alice")


async def test_update_user_role(env: Env) -> None:
    gid = await env.research_id()
    group = await env.demo.resource_groups.update_user_role(ORG, gid, "alice", role="read")
    assert (env.last.method, env.last.path, env.last.json()) == (
        "PATCH",
        f"{BASE}/{gid}/users/alice",
        {"role": "read"},
    )
    assert names(group)["alice"] == "read"
    with pytest.raises(NotFoundError):
        await env.demo.resource_groups.update_user_role(ORG, gid, "bob", role="read")
    with pytest.raises(AuthenticationError):
        await env.anon.resource_groups.update_user_role(ORG, gid, "alice", role="admin")
    with pytest.raises(PermissionDeniedError):
        await env.bob.resource_groups.update_user_role(ORG, gid, "alice", role="admin")
    with pytest.raises(ValueError, match="role"):
        await env.demo.resource_groups.update_user_role(ORG, gid, "alice", role=" ")


async def test_groups_persist_for_the_servers_life(env: Env) -> None:
    created = await env.demo.resource_groups.create(ORG, name="kept", users={"bob": "read"})
    async with HubClient(env.server.url, token="hf_local_bob") as again:
        assert [g.id for g in await again.resource_groups.list(ORG)] == [created.id]
    members = {m.username: m async for m in env.bob.organizations.members(ORG, limit=3)}
    assert [g.name for g in members["bob"].resource_groups or []] == ["kept"]


@pytest.mark.parametrize(
    ("method", "tail", "body", "message"),
    [
        ("POST", "", {}, '"name"'),
        ("POST", "", {"name": "x" * 201}, '"name"'),
        ("POST", "", {"name": "x", "description": 3}, '"description"'),
        ("POST", "", {"name": "x", "users": [{"user": "bob"}]}, "role"),
        ("POST", "", {"name": "x", "users": "bob"}, '"users"'),
        ("POST", "", {"name": "x", "repos": [{"type": "bucket", "name": "a/b"}]}, "repos"),
        ("POST", "", {"name": "x", "repos": {"name": "a/b"}}, '"repos"'),
        ("POST", "", {"name": "x", "autoJoin": {"enabled": True}}, "role"),
        ("PATCH", "/{gid}", {"name": " "}, '"name"'),
        ("POST", "/{gid}/settings", {}, "autoJoin"),
        ("POST", "/{gid}/users", {"users": [3]}, "users"),
        ("PATCH", "/{gid}/users/alice", {"role": 1}, "role"),
        ("GET", "/not-an-id", None, "Invalid resource group id"),
    ],
)
async def test_the_local_hub_refuses_malformed_bodies(
    env: Env, method: str, tail: str, body: Any, message: str
) -> None:
    path = BASE + tail.format(gid=await env.research_id())
    with pytest.raises(BadRequestError) as err:
        await env.demo.request(method, path, json=body)
    assert message in (err.value.server_message or "")

"""hub.repos end to end against the local Hub: create, delete, update_settings, move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from hubapi_async import (
    AuthenticationError,
    ConflictError,
    HubClient,
    PermissionDeniedError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
)
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import RepoUrl

DEMO, ALICE, BOB, CAROL = "hf_local_token", "hf_local_alice", "hf_local_bob", "hf_local_carol"


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=300, datasets=60, spaces=40)
    async with hub:
        yield hub


@pytest.fixture
async def hub(lh: LocalHub) -> AsyncIterator[HubClient]:
    async with HubClient(lh.url, token=DEMO) as client:
        yield client


def as_user(hub: HubClient, token: str | bool) -> HubClient:
    return hub.with_options(token=token)


def writes(lh: LocalHub) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in lh.requests if r.method != "GET"]


# -- create ------------------------------------------------------------------------------
async def test_create_model_sends_only_what_was_passed(hub: HubClient, lh: LocalHub) -> None:
    made = await hub.repos.create("demo/fresh-model")
    assert lh.requests[-1].method == "POST"
    assert lh.requests[-1].path == "/api/repos/create"
    assert lh.requests[-1].json() == {
        "name": "fresh-model",
        "organization": "demo",
        "type": "model",
    }
    assert isinstance(made, RepoUrl)
    assert made.url == f"{lh.url}/demo/fresh-model"
    assert (made.repo_id, made.namespace, made.name, made.repo_type) == (
        "demo/fresh-model",
        "demo",
        "fresh-model",
        "model",
    )
    assert made.object_id and len(made.object_id) == 24
    info = await hub.models.info("demo/fresh-model")
    assert info.object_id == made.object_id
    assert (info.author, info.private, info.gated, info.downloads, info.likes) == (
        "demo",
        False,
        False,
        0,
        0,
    )
    assert [s.rfilename for s in info.siblings or []] == [".gitattributes"]
    assert isinstance(info.created_at, datetime) and info.created_at.tzinfo is not None
    assert info.created_at == info.last_modified
    newest = [m.id async for m in hub.models.list(author="demo", sort="createdAt", limit=1)]
    assert newest == ["demo/fresh-model"]


async def test_create_in_the_callers_namespace_omits_organization(
    hub: HubClient, lh: LocalHub
) -> None:
    made = await hub.repos.create("bare-name", repo_type="dataset")
    assert lh.requests[-1].json() == {"name": "bare-name", "type": "dataset"}
    assert made.repo_id == "demo/bare-name"
    assert made.url == f"{lh.url}/datasets/demo/bare-name"
    assert made.repo_type == "dataset"
    info = await hub.datasets.info("demo/bare-name")
    assert info.id == "demo/bare-name" and info.private is False


async def test_private_create_is_sent_as_visibility_and_hidden_from_others(
    hub: HubClient, lh: LocalHub
) -> None:
    await hub.repos.create("demo/secret", private=True)
    assert lh.requests[-1].json() == {
        "name": "secret",
        "organization": "demo",
        "visibility": "private",
        "type": "model",
    }
    assert (await hub.models.info("demo/secret")).private is True
    with pytest.raises(RepositoryNotFoundError):
        await as_user(hub, CAROL).models.info("demo/secret")
    with pytest.raises(RepositoryNotFoundOrPrivateError):
        await as_user(hub, False).models.info("demo/secret")
    mine = [m.id async for m in hub.models.list(search="secret")]
    theirs = [m.id async for m in as_user(hub, CAROL).models.list(search="secret")]
    assert "demo/secret" in mine and "demo/secret" not in theirs


async def test_org_repo_created_by_a_writer_is_seen_by_a_reader(
    hub: HubClient, lh: LocalHub
) -> None:
    await as_user(hub, ALICE).repos.create("demo-org/team-model", private=True)
    seen = await as_user(hub, BOB).models.info("demo-org/team-model")  # read member
    assert seen.private is True and seen.author == "demo-org"


async def test_create_space(hub: HubClient, lh: LocalHub) -> None:
    made = await hub.repos.create("demo/my-app", repo_type="space", sdk="docker")
    assert lh.requests[-1].json() == {
        "name": "my-app",
        "organization": "demo",
        "type": "space",
        "sdk": "docker",
    }
    assert made.url == f"{lh.url}/spaces/demo/my-app" and made.repo_type == "space"
    info = await hub.spaces.info("demo/my-app")
    assert info.sdk == "docker" and info.host == "https://demo-my-app.hf.space"
    assert [s.rfilename for s in info.siblings or []] == [".gitattributes", "README.md"]
    assert info.runtime is not None and info.runtime.stage == "NO_APP_FILE"
    assert "docker" in (info.tags or [])


async def test_space_sdk_is_a_plain_string(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/future-app", repo_type="space", sdk="some-new-sdk")
    assert lh.requests[-1].json()["sdk"] == "some-new-sdk"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"repo_type": "space"}, "needs an sdk"),
        ({"repo_type": "space", "sdk": ""}, "needs an sdk"),
        ({"sdk": "gradio"}, "Spaces only"),
        ({"repo_type": "dataset", "sdk": "gradio"}, "Spaces only"),
        ({"repo_type": "models"}, "Invalid repo_type"),
        ({"visibility": "protected"}, "Only Spaces"),
        ({"private": True, "visibility": "public"}, "contradicts"),
        ({"private": False, "visibility": "private"}, "contradicts"),
    ],
)
async def test_create_refuses_bad_arguments_before_sending(
    hub: HubClient, lh: LocalHub, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        await hub.repos.create("demo/never-sent", **kwargs)  # type: ignore[arg-type]
    assert lh.requests == []


@pytest.mark.parametrize("repo_id", ["demo/bad--name", "a/b/c", "demo/x.git", "", "demo/ sp"])
async def test_invalid_ids_are_refused_before_sending(
    hub: HubClient, lh: LocalHub, repo_id: str
) -> None:
    with pytest.raises(ValueError):
        await hub.repos.create(repo_id)
    with pytest.raises(ValueError):
        await hub.repos.delete(repo_id)
    with pytest.raises(ValueError):
        await hub.repos.update_settings(repo_id, private=True)
    assert lh.requests == []


async def test_create_existing_is_a_conflict_with_its_url(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/twice", repo_type="space", sdk="gradio")
    with pytest.raises(ConflictError) as caught:
        await hub.repos.create("demo/twice", repo_type="space", sdk="gradio")
    err = caught.value
    assert err.status == 409
    assert err.repo_url == f"{lh.url}/spaces/demo/twice"
    assert err.server_message == "You already created this space repo"
    assert b'"url"' in err.body
    assert err.repo_url in str(err)
    assert writes(lh).count(("POST", "/api/repos/create")) == 2  # a 409 is never retried


async def test_exist_ok_returns_the_existing_repo(hub: HubClient, lh: LocalHub) -> None:
    first = await hub.repos.create("demo/again")
    again = await hub.repos.create("demo/again", exist_ok=True, private=True)
    assert again.url == first.url and again.repo_id == "demo/again"
    assert again.object_id is None  # the 409 names only the URL
    assert (await hub.models.info("demo/again")).private is False  # settings left alone
    bare = await hub.repos.create("again", exist_ok=True)
    assert bare.repo_id == "demo/again"  # the namespace read from the URL


async def test_exist_ok_does_not_mistake_a_busy_hub_for_an_existing_repo(
    hub: HubClient, lh: LocalHub
) -> None:
    busy = '{"error":"Cannot create repo: another conflicting operation is in progress"}'
    lh.faults.add(Fault(kind="status", status=409, body=busy, path="^/api/repos/create$"))
    with pytest.raises(ConflictError) as caught:
        await hub.repos.create("demo/busy", exist_ok=True)
    assert caught.value.repo_url is None


async def test_exist_ok_with_a_409_that_names_no_url(hub: HubClient, lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="status", status=409, body='{"error":"exists"}', path="create$"))
    found = await hub.repos.create("demo-org/elsewhere", repo_type="dataset", exist_ok=True)
    assert found.url == f"{lh.url}/datasets/demo-org/elsewhere"
    with pytest.raises(ConflictError):  # no namespace, no URL: which repo is unknown
        await hub.repos.create("elsewhere", exist_ok=True)


async def test_create_without_rights_is_refused(hub: HubClient, lh: LocalHub) -> None:
    with pytest.raises(PermissionDeniedError) as caught:
        await as_user(hub, BOB).repos.create("demo-org/by-a-reader")
    assert caught.value.status == 403
    assert caught.value.server_message == (
        'You don\'t have the rights to create a model under the namespace "demo-org"'
    )
    with pytest.raises(PermissionDeniedError):
        await as_user(hub, CAROL).repos.create("demo/not-carols")
    with pytest.raises(PermissionDeniedError):
        await hub.repos.create("no-such-org/x")
    made = await as_user(hub, ALICE).repos.create("demo-org/by-a-writer")
    assert made.namespace == "demo-org"


async def test_exist_ok_accepts_a_refusal_for_a_readable_repo(hub: HubClient, lh: LocalHub) -> None:
    made = await hub.repos.create("demo-org/shared", repo_type="dataset")
    found = await as_user(hub, BOB).repos.create(
        "demo-org/shared", repo_type="dataset", exist_ok=True
    )
    assert found.repo_id == "demo-org/shared" and found.object_id == made.object_id
    assert found.url == f"{lh.url}/datasets/demo-org/shared"
    with pytest.raises(PermissionDeniedError):  # missing: the refusal stands
        await as_user(hub, BOB).repos.create("demo-org/absent", exist_ok=True)


async def test_create_needs_a_token(hub: HubClient, lh: LocalHub) -> None:
    with pytest.raises(AuthenticationError) as caught:
        await as_user(hub, False).repos.create("demo/anonymous")
    assert caught.value.status == 401
    assert "Authorization" not in lh.requests[-1].headers


# -- delete ------------------------------------------------------------------------------
async def test_delete(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/doomed", repo_type="space", sdk="static")
    assert await hub.repos.delete("demo/doomed", repo_type="space") is None
    assert lh.requests[-1].method == "DELETE"
    assert lh.requests[-1].json() == {"name": "doomed", "organization": "demo", "type": "space"}
    with pytest.raises(RepositoryNotFoundError):
        await hub.spaces.info("demo/doomed")
    with pytest.raises(RepositoryNotFoundError):
        await hub.repos.delete("demo/doomed", repo_type="space")
    await hub.repos.delete("demo/doomed", repo_type="space", missing_ok=True)
    await hub.repos.create("demo/doomed", repo_type="space", sdk="static")  # the id is free


async def test_delete_without_rights_or_token(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/kept")
    await hub.repos.create("demo-org/kept")
    with pytest.raises(PermissionDeniedError):
        await as_user(hub, CAROL).repos.delete("demo/kept")
    with pytest.raises(PermissionDeniedError):
        await as_user(hub, BOB).repos.delete("demo-org/kept", missing_ok=True)
    with pytest.raises(AuthenticationError):
        await as_user(hub, False).repos.delete("demo/kept", missing_ok=True)
    await hub.models.info("demo/kept")
    await hub.models.info("demo-org/kept")
    await as_user(hub, ALICE).repos.delete("demo-org/kept")  # a writer may


async def test_delete_of_someone_elses_private_repo_is_not_found(
    hub: HubClient, lh: LocalHub
) -> None:
    await hub.repos.create("demo/private-one", private=True)
    with pytest.raises(RepositoryNotFoundError):
        await as_user(hub, CAROL).repos.delete("demo/private-one")
    await as_user(hub, CAROL).repos.delete("demo/private-one", missing_ok=True)
    assert (await hub.models.info("demo/private-one")).private is True


# -- update_settings -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "sent"),
    [
        ({"private": True}, {"visibility": "private"}),
        ({"private": False}, {"visibility": "public"}),
        ({"visibility": "private"}, {"visibility": "private"}),
        ({"gated": "manual"}, {"gated": "manual"}),
        ({"gated": False}, {"gated": False}),
        ({"gated": "auto", "private": False}, {"gated": "auto", "visibility": "public"}),
        ({"private": True, "visibility": "private"}, {"visibility": "private"}),
    ],
)
async def test_update_settings_wire_form(
    hub: HubClient, lh: LocalHub, kwargs: dict[str, object], sent: dict[str, object]
) -> None:
    await hub.repos.create("demo/tuned", repo_type="dataset")
    result = await hub.repos.update_settings("demo/tuned", repo_type="dataset", **kwargs)  # type: ignore[arg-type]
    assert result is None
    last = lh.requests[-1]
    assert (last.method, last.path) == ("PUT", "/api/datasets/demo/tuned/settings")
    assert last.json() == sent


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({}, ValueError),
        ({"gated": True}, ValueError),
        ({"gated": ""}, ValueError),
        ({"private": True, "visibility": "public"}, ValueError),
        ({"private": "yes"}, TypeError),
        ({"visibility": "protected"}, ValueError),
        ({"repo_type": "kernel", "private": True}, ValueError),
    ],
)
async def test_update_settings_refuses_bad_arguments_before_sending(
    hub: HubClient, lh: LocalHub, kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await hub.repos.update_settings("demo/anything", **kwargs)  # type: ignore[arg-type]
    assert lh.requests == []


async def test_settings_show_in_later_answers(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/gate-me")
    await hub.repos.update_settings("demo/gate-me", gated="manual")
    assert (await hub.models.info("demo/gate-me")).gated == "manual"
    listed = {m.id: m.gated async for m in hub.models.list(author="demo", full=True)}
    assert listed["demo/gate-me"] == "manual"
    await hub.repos.update_settings("demo/gate-me", gated=False, private=True)
    info = await hub.models.info("demo/gate-me")
    assert (info.gated, info.private) == (False, True)


async def test_a_repo_made_private_is_hidden_from_others(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/soon-hidden")
    before = lh.count("model", authenticated=False)
    await as_user(hub, CAROL).models.info("demo/soon-hidden")
    await hub.repos.update_settings("demo/soon-hidden", private=True)
    with pytest.raises(RepositoryNotFoundError):
        await as_user(hub, CAROL).models.info("demo/soon-hidden")
    with pytest.raises(RepositoryNotFoundOrPrivateError):
        await as_user(hub, False).models.info("demo/soon-hidden")
    listed = [m.id async for m in as_user(hub, False).models.list(author="demo")]
    assert "demo/soon-hidden" not in listed
    assert lh.count("model", authenticated=False) == before - 1
    assert (await hub.models.info("demo/soon-hidden")).private is True


async def test_update_settings_errors(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/guarded")
    with pytest.raises(PermissionDeniedError) as caught:
        await as_user(hub, CAROL).repos.update_settings("demo/guarded", private=True)
    assert "rights" in (caught.value.server_message or "")
    with pytest.raises(PermissionDeniedError):
        await as_user(hub, BOB).repos.update_settings(
            "demo-org/" + _generated(lh, "demo-org"), gated="auto"
        )
    with pytest.raises(RepositoryNotFoundError):
        await hub.repos.update_settings("demo/missing-repo", private=True)
    with pytest.raises(AuthenticationError):  # anonymous: the Hub's 401
        await as_user(hub, False).repos.update_settings("demo/guarded", private=True)
    assert (await hub.models.info("demo/guarded")).private is False


def _generated(lh: LocalHub, author: str, kind: str = "model") -> str:
    """The name of a public generated repo of ``author``."""
    gen = lh.stores[kind].gen
    span = gen.author_range(author)
    assert span is not None
    return gen.repo_id(span[0] + 1).split("/", 1)[1]


# -- move --------------------------------------------------------------------------------
async def test_move_then_the_old_id_redirects(hub: HubClient, lh: LocalHub) -> None:
    made = await hub.repos.create("demo/old-name", repo_type="space", sdk="gradio")
    assert await hub.repos.move("demo/old-name", "demo-org/new-name", repo_type="space") is None
    assert lh.requests[-1].json() == {
        "fromRepo": "demo/old-name",
        "toRepo": "demo-org/new-name",
        "type": "space",
    }
    moved = await hub.spaces.info("demo-org/new-name")
    assert moved.object_id == made.object_id and moved.author == "demo-org"
    assert moved.host == "https://demo-org-new-name.hf.space"
    lh.requests.clear()
    via_old = await hub.spaces.info("demo/old-name")
    assert via_old.id == "demo-org/new-name"
    assert [r.path for r in lh.requests] == [
        "/api/spaces/demo/old-name",
        "/api/spaces/demo-org/new-name",
    ]
    listed = [s.id async for s in hub.spaces.list(author="demo-org", limit=100)]
    assert "demo-org/new-name" in listed
    assert "demo/old-name" not in [s.id async for s in hub.spaces.list(author="demo")]


async def test_settings_at_an_old_id_follow_the_redirect(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/first")
    await hub.repos.move("demo/first", "demo/second")
    await hub.repos.move("demo/second", "demo/third")
    await hub.repos.update_settings("demo/first", private=True)  # 307 twice folded to one
    puts = [r for r in lh.requests if r.method == "PUT"]
    assert [r.path for r in puts] == [
        "/api/models/demo/first/settings",
        "/api/models/demo/third/settings",
    ]
    assert all(r.json() == {"visibility": "private"} for r in puts)
    assert (await hub.models.info("demo/third")).private is True


async def test_move_errors(hub: HubClient, lh: LocalHub) -> None:
    await hub.repos.create("demo/movable")
    await hub.repos.create("demo/taken")
    with pytest.raises(ConflictError):
        await hub.repos.move("demo/movable", "demo/taken")
    with pytest.raises(RepositoryNotFoundError):
        await hub.repos.move("demo/nowhere", "demo/somewhere")
    with pytest.raises(PermissionDeniedError):
        await as_user(hub, CAROL).repos.move("demo/movable", "carol/mine-now")
    with pytest.raises(PermissionDeniedError):
        await hub.repos.move("demo/movable", "carol/a-gift")
    name = _generated(lh, "demo-org")
    with pytest.raises(PermissionDeniedError):
        await as_user(hub, BOB).repos.move(f"demo-org/{name}", "demo-org/renamed-by-bob")
    with pytest.raises(AuthenticationError):
        await as_user(hub, False).repos.move("demo/movable", "demo/elsewhere")
    await hub.models.info("demo/movable")
    lh.requests.clear()
    for bad in (("movable", "demo/x"), ("demo/movable", "x"), ("demo/movable", "demo/movable")):
        with pytest.raises(ValueError):
            await hub.repos.move(*bad)
    assert lh.requests == []


def test_the_readme_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("### Repos\n", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(code, "README.md#repos", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out.splitlines()
    url, repo_type, object_id = out[0].split()
    assert url.endswith("/demo/my-model") and repo_type == "model" and len(object_id) == 24
    assert out[1].startswith("exists: http://127.0.0.1:") and out[1].endswith("/demo/my-model")
    assert out[2] == "demo-org/my-model auto"

"""The eleven resource-group routes: an organization's groups, their members, and the
group each repo is in.

Rules, after the Hub docs ("Resource groups", "Programmatic user access control"):

- a token is needed (anonymous: 401); the organization must exist (404), the caller must
  belong to it (403), and it must be an Enterprise organization (403 otherwise: ``demo-org``
  is, ``alice-lab`` is not);
- organization admins see and manage every group; other members see the groups they are
  in; creating, renaming, deleting a group and its settings are for organization admins;
  adding, removing and re-ranking members also for the group's own admins;
- unknown group or member of a group: 404; a group name in use: 409; users that do not
  exist or are listed twice: 400; users outside the organization or already in the group:
  403 (what the Hub answers there); a malformed body: 400;
- a repo is in at most one group of its organization; ``GET /api/{type}s/{id}/resource-group``
  answers the group (with ``numUsers``) or ``null``; the ``POST`` takes
  ``{"resourceGroupId": id}`` or ``null`` to detach, for organization admins and for admins
  of the groups involved.
"""

from __future__ import annotations

import re
from typing import Any, Final

from aiohttp import web

from ._accounts import Organization
from ._responses import encode, json_response
from ._router import KINDS_PATTERN, BadRequest, Ctx, HubReply, Route
from ._routes_orgs import org_or_404
from ._state_groups import Group

_GROUP_ID: Final = re.compile(r"[0-9a-fA-F]{24}")
NAME_MAX: Final = 200
DESCRIPTION_MAX: Final = 500
_REPO_TYPES: Final = ("model", "dataset", "space")


# -- who may do what -----------------------------------------------------------------------
def _org(ctx: Ctx) -> tuple[str, Organization]:
    """The caller and the organization of the path, for any resource-group route."""
    user = ctx.require_user()
    org = org_or_404(ctx, ctx.params["org"])
    if ctx.viewer.role_in(org.name) is None:
        raise HubReply(403, f"You are not a member of {org.name}")
    if not org.is_enterprise:
        raise HubReply(403, "Resource groups are only available to Enterprise organizations")
    return user, org


def _group(ctx: Ctx, org: Organization) -> Group:
    raw = ctx.params["group_id"]
    if not _GROUP_ID.fullmatch(raw):
        raise BadRequest(f"Invalid resource group id: {raw}")
    return ctx.server.resource_groups.get(org.name, raw)


def _can_see(ctx: Ctx, org: Organization, group: Group) -> bool:
    user = ctx.viewer.user
    return ctx.viewer.is_admin(org.name) or (user is not None and user in group.users)


def _require_org_admin(ctx: Ctx, org: Organization) -> None:
    if not ctx.viewer.is_admin(org.name):
        raise HubReply(403, f"You need to be an admin of {org.name} to manage resource groups")


def _require_group_admin(ctx: Ctx, org: Organization, group: Group) -> None:
    user = ctx.viewer.user
    member = group.users.get(user) if user is not None else None
    group_admin = member is not None and member.role == "admin"
    if not (ctx.viewer.is_admin(org.name) or (group_admin and ctx.viewer.token_role == "write")):
        raise HubReply(403, f"You need to be an admin of {org.name} or of this resource group")


def _visible_group(ctx: Ctx) -> tuple[str, Organization, Group]:
    user, org = _org(ctx)
    group = _group(ctx, org)
    if not _can_see(ctx, org, group):
        raise HubReply(403, "You do not have access to this resource group")
    return user, org, group


def _answer(ctx: Ctx, group: Group) -> web.Response:
    return json_response(encode(ctx.server.resource_groups.render(group)))


# -- bodies --------------------------------------------------------------------------------
def _text(body: dict[str, Any], key: str, limit: int, *, required: bool = False) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise BadRequest(f'"{key}" must be a string of at most {limit} characters')
    return value


def _role(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f'{where}: "role" must be a non-empty string')
    return value


def _users(body: dict[str, Any], *, required: bool) -> list[tuple[str, str]]:
    raw = body.get("users")
    if raw is None and not required:
        return []
    if not isinstance(raw, list) or (required and not raw):
        raise BadRequest('"users" must be a non-empty array of {"user", "role"} objects')
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("user"), str):
            raise BadRequest(f'users[{i}] must be an object with a "user" string and a "role"')
        out.append((item["user"], _role(item.get("role"), f"users[{i}]")))
    return out


def _repos(body: dict[str, Any]) -> list[tuple[str, str]]:
    raw = body.get("repos")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise BadRequest('"repos" must be an array of {"type", "name"} objects')
    out = []
    for i, item in enumerate(raw):
        ok = isinstance(item, dict) and isinstance(item.get("name"), str)
        if not ok or item.get("type", "model") not in _REPO_TYPES:
            raise BadRequest(f'repos[{i}] must be {{"type": model|dataset|space, "name": id}}')
        out.append((item.get("type", "model"), item["name"]))
    return out


def _auto_join(raw: Any) -> str | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("enabled"), bool):
        raise BadRequest('"autoJoin" must be {"enabled": true, "role": ...} or {"enabled": false}')
    if not raw["enabled"]:
        return None
    return _role(raw.get("role"), "autoJoin")


# -- organization routes -------------------------------------------------------------------
async def list_groups(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/organizations/{org}/resource-groups``."""
    _, org = _org(ctx)
    state = ctx.server.resource_groups
    groups = [state.render(g) for g in state.of_org(org.name) if _can_see(ctx, org, g)]
    return json_response(encode(groups))


async def create_group(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/organizations/{org}/resource-groups``."""
    user, org = _org(ctx)
    _require_org_admin(ctx, org)
    body = await ctx.body()
    name = _text(body, "name", NAME_MAX, required=True)
    assert name is not None
    auto = body.get("autoJoin")
    group = ctx.server.resource_groups.create(
        org.name,
        name,
        _text(body, "description", DESCRIPTION_MAX),
        _users(body, required=False),
        _repos(body),
        None if auto is None else _auto_join(auto),
        user,
    )
    return _answer(ctx, group)


async def get_group(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/organizations/{org}/resource-groups/{id}``."""
    _, _, group = _visible_group(ctx)
    return _answer(ctx, group)


async def update_group(ctx: Ctx) -> web.StreamResponse:
    """``PATCH /api/organizations/{org}/resource-groups/{id}``: name, description."""
    _, org = _org(ctx)
    group = _group(ctx, org)
    _require_org_admin(ctx, org)
    body = await ctx.body()
    name = _text(body, "name", NAME_MAX)
    if name is not None and not name.strip():
        raise BadRequest('"name" must not be empty')
    description = _text(body, "description", DESCRIPTION_MAX)
    ctx.server.resource_groups.update(group, name, description)
    return _answer(ctx, group)


async def group_settings(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/organizations/{org}/resource-groups/{id}/settings``: ``autoJoin``."""
    user, org = _org(ctx)
    group = _group(ctx, org)
    _require_org_admin(ctx, org)
    body = await ctx.body()
    if "autoJoin" not in body:
        raise BadRequest('Expected "autoJoin" in the body')
    ctx.server.resource_groups.set_auto_join(group, _auto_join(body["autoJoin"]), user)
    return _answer(ctx, group)


async def delete_group(ctx: Ctx) -> web.StreamResponse:
    """``DELETE /api/organizations/{org}/resource-groups/{id}``."""
    _, org = _org(ctx)
    group = _group(ctx, org)
    _require_org_admin(ctx, org)
    ctx.server.resource_groups.delete(group)
    return json_response(encode({"success": True}))


async def add_users(ctx: Ctx) -> web.StreamResponse:
    """``POST .../resource-groups/{id}/users``: ``{"users": [{"user", "role"}]}``."""
    user, org = _org(ctx)
    group = _group(ctx, org)
    _require_group_admin(ctx, org, group)
    body = await ctx.body()
    ctx.server.resource_groups.add_users(group, _users(body, required=True), user)
    return _answer(ctx, group)


async def remove_user(ctx: Ctx) -> web.StreamResponse:
    """``DELETE .../resource-groups/{id}/users/{username}``."""
    _, org = _org(ctx)
    group = _group(ctx, org)
    _require_group_admin(ctx, org, group)
    ctx.server.resource_groups.remove_user(group, ctx.params["username"])
    return json_response(encode({"success": True}))


async def update_user(ctx: Ctx) -> web.StreamResponse:
    """``PATCH .../resource-groups/{id}/users/{username}``: ``{"role"}``."""
    _, org = _org(ctx)
    group = _group(ctx, org)
    _require_group_admin(ctx, org, group)
    body = await ctx.body()
    ctx.server.resource_groups.set_role(
        group, ctx.params["username"], _role(body.get("role"), "body")
    )
    return _answer(ctx, group)


# -- repo routes ---------------------------------------------------------------------------
def _repo_org(ctx: Ctx) -> tuple[str, str, Organization | None]:
    """(kind, current repo id, its organization or ``None`` for a user's repo)."""
    ctx.require_user()
    assert ctx.repo is not None
    store, ref = ctx.repo
    org = ctx.server.accounts.orgs.get(store.author(ref))
    if org is not None and ctx.viewer.role_in(org.name) is None:
        raise HubReply(403, f"You are not a member of {org.name}")
    return store.kind, store.repo_id(ref), org


async def get_repo_group(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/{type}s/{id}/resource-group``: the repo's group, or ``null``."""
    kind, repo_id, org = _repo_org(ctx)
    state = ctx.server.resource_groups
    group = state.group_of_repo(kind, repo_id) if org is not None else None
    return json_response(encode(None if group is None else state.render_short(group)))


async def set_repo_group(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/{type}s/{id}/resource-group``: ``{"resourceGroupId": id | null}``."""
    user = ctx.require_user()
    kind, repo_id, org = _repo_org(ctx)
    if org is None:
        raise BadRequest("Only repositories of an organization can be in a resource group")
    if not org.is_enterprise:
        raise HubReply(403, "Resource groups are only available to Enterprise organizations")
    body = await ctx.body()
    if "resourceGroupId" not in body:
        raise BadRequest('Expected "resourceGroupId" (a resource group id, or null)')
    raw = body["resourceGroupId"]
    if raw is not None and (not isinstance(raw, str) or not _GROUP_ID.fullmatch(raw)):
        raise BadRequest('"resourceGroupId" must be a 24-hex-digit id or null')
    state = ctx.server.resource_groups
    target = None if raw is None else state.get(org.name, raw)
    current = state.group_of_repo(kind, repo_id)
    for involved in (current, target):
        if involved is not None:
            _require_group_admin(ctx, org, involved)
    if current is None and target is None:
        _require_org_admin(ctx, org)
    state.set_repo_group(kind, repo_id, target, user)
    return json_response(encode(None if target is None else state.render_short(target)))


_BASE = "/api/organizations/{org}/resource-groups"
_ONE = _BASE + "/{group_id}"
_REPO = f"/api/{{section:{KINDS_PATTERN}}}/{{repo_id}}/resource-group"

ROUTES: Final = [
    Route("GET", _BASE, list_groups),
    Route("POST", _BASE, create_group),
    Route("GET", _ONE, get_group),
    Route("PATCH", _ONE, update_group),
    Route("DELETE", _ONE, delete_group),
    Route("POST", _ONE + "/settings", group_settings),
    Route("POST", _ONE + "/users", add_users),
    Route("DELETE", _ONE + "/users/{username}", remove_user),
    Route("PATCH", _ONE + "/users/{username}", update_user),
    Route("GET", _REPO, get_repo_group, repo=True),
    Route("POST", _REPO, set_repo_group, repo=True),
]

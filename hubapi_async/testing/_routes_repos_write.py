"""Repo management: create, delete, move, and settings (visibility, gating).

The Hub's rules: every call needs a token (anonymous callers get the Hub's 401); only the
namespace's owner, or an organization's admins and writers, change its repos (403, also for
a read-role member); a repo that exists is a 409 ``{"error", "url"}`` (no ``X-Error-Code``,
as recorded in ``repos/create__409__already_exists``); a missing one, or a private one of
someone else, is a 404 ``RepoNotFound``. Settings answer at both wire forms: the seed page's
``PUT /api/repos/{type}/{id}/settings`` ``{"private"}`` and the official client's
``PUT /api/{type}s/{id}/settings`` ``{"visibility", "gated"}`` (``private`` too).

Answers: create ``{"url", "name", "id"}`` (``repos/create__200__space``), delete ``OK`` as
text (``repos/delete__200``). Move and settings answers are not recorded: move answers
``OK`` like delete, settings the repo's resulting ``{"private", "gated"}``.
"""

from __future__ import annotations

import re
from typing import Any, Final

from aiohttp import web

from ._curated import Curated
from ._kinds import KINDS, KindSpec
from ._repo_bodies import renamed
from ._responses import encode, json_response
from ._router import KINDS_PATTERN, BadRequest, Ctx, HubReply, Route
from ._store import Ref, RepoStore

_NAME: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?")
_VISIBILITIES: Final = ("public", "private", "protected")


# -- body checks ---------------------------------------------------------------------------
def _spec_of(body: dict[str, Any]) -> KindSpec:
    raw = body.get("type", "model")
    raw = "model" if raw is None else raw
    if not isinstance(raw, str) or raw not in KINDS:
        raise BadRequest(f'Invalid repo type {raw!r}: expected "model", "dataset" or "space"')
    return KINDS[raw]


def _check_name(name: object, what: str = "name") -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name) or "--" in name or ".." in name:
        raise BadRequest(
            f"Invalid repo {what} {name!r}: use letters, digits, '-', '_' and '.', at most 96"
            " characters, not starting or ending with '-' or '.', without '--' or '..'"
        )
    if name.endswith(".git"):
        raise BadRequest(f"Invalid repo {what} {name!r}: it must not end with '.git'")
    return name


def _full_id(value: object, what: str) -> str:
    if not isinstance(value, str) or value.count("/") != 1:
        raise BadRequest(f'"{what}" must be a full repo id "namespace/name", got {value!r}')
    namespace, name = value.split("/")
    _check_name(namespace, "namespace")
    _check_name(name)
    return value


def _target(body: dict[str, Any], user: str) -> tuple[KindSpec, str]:
    """The kind and full id a create/delete body names (``organization`` or the caller)."""
    spec = _spec_of(body)
    name = _check_name(body.get("name"))
    org = body.get("organization")
    if org is not None and (not isinstance(org, str) or not org):
        raise BadRequest(f'"organization" must be a namespace name, got {org!r}')
    namespace = _check_name(org, "namespace") if org else user
    return spec, f"{namespace}/{name}"


def _private_of(body: dict[str, Any], spec: KindSpec) -> bool | None:
    """``private`` from ``private`` and/or ``visibility`` (``None``: neither given)."""
    private, visibility = body.get("private"), body.get("visibility")
    if private is not None and not isinstance(private, bool):
        raise BadRequest(f'"private" must be a boolean, got {private!r}')
    if visibility is None:
        return private
    if visibility not in _VISIBILITIES:
        raise BadRequest('"visibility" must be one of "public", "private", "protected"')
    if visibility == "protected" and not spec.needs_sdk:
        raise BadRequest('Only Spaces can be "protected": use "public" or "private"')
    wanted: bool = visibility == "private"
    if private is not None and private != wanted:
        said = str(private).lower()
        raise BadRequest(f'"private": {said} contradicts "visibility": "{visibility}"')
    return wanted


def _refuse(ctx: Ctx, namespace: str, action: str) -> None:
    if not ctx.viewer.can_write(namespace):
        raise HubReply(403, f"You don't have the rights to {action}")


def _base(ctx: Ctx) -> str:
    return f"{ctx.request.scheme}://{ctx.request.host}"


def _visible(ctx: Ctx, store: RepoStore, repo_id: str) -> Ref:
    ref = store.resolve(repo_id)
    if ref is None or not store.visible(ref, ctx.viewer):
        raise HubReply(404, "Repository not found", code="RepoNotFound")
    return ref


def _exists(ctx: Ctx, spec: KindSpec, repo_id: str, message: str) -> web.Response:
    url = spec.web_url(_base(ctx), repo_id)
    return json_response(encode({"error": message, "url": url}), status=409)


# -- handlers ------------------------------------------------------------------------------
async def create_repo(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/repos/create`` ``{"name", "organization"?, "type"?, "private"?,
    "visibility"?, "sdk"?}``."""
    user = ctx.require_user()
    body = await ctx.body()
    spec, repo_id = _target(body, user)
    namespace = repo_id.split("/")[0]
    _refuse(ctx, namespace, f'create a {spec.name} under the namespace "{namespace}"')
    private = _private_of(body, spec)
    sdk = body.get("sdk")
    if spec.needs_sdk and (not isinstance(sdk, str) or not sdk):
        raise BadRequest('"sdk" is required for a Space: "gradio", "streamlit", "docker"...')
    if not spec.needs_sdk and sdk is not None:
        raise BadRequest(f'"sdk" applies to Spaces only, not to a {spec.name} repo')
    store = ctx.server.stores[spec.name]
    if store.resolve(repo_id) is not None:
        return _exists(ctx, spec, repo_id, f"You already created this {spec.name} repo")
    info, extra = spec.fresh(repo_id, bool(private), sdk)
    store.add(Curated(spec.name, info, extra))
    answer = {"url": spec.web_url(_base(ctx), repo_id), "name": repo_id, "id": info["_id"]}
    return json_response(encode(answer))


async def delete_repo(ctx: Ctx) -> web.StreamResponse:
    """``DELETE /api/repos/delete`` ``{"name", "organization"?, "type"?}``."""
    user = ctx.require_user()
    body = await ctx.body()
    spec, repo_id = _target(body, user)
    store = ctx.server.stores[spec.name]
    ref = _visible(ctx, store, repo_id)
    _refuse(ctx, store.author(ref), f"delete this {spec.name} repo")
    store.delete(repo_id)
    return web.Response(text="OK", content_type="text/plain", charset="utf-8")


async def move_repo(ctx: Ctx) -> web.StreamResponse:
    """``POST /api/repos/move`` ``{"fromRepo", "toRepo", "type"?}``."""
    ctx.require_user()
    body = await ctx.body()
    spec = _spec_of(body)
    from_id = _full_id(body.get("fromRepo"), "fromRepo")
    to_id = _full_id(body.get("toRepo"), "toRepo")
    if from_id == to_id:
        raise BadRequest(f'"fromRepo" and "toRepo" are the same repo: {from_id}')
    store = ctx.server.stores[spec.name]
    ref = _visible(ctx, store, from_id)
    _refuse(ctx, store.author(ref), f"move this {spec.name} repo")
    namespace = to_id.split("/")[0]
    _refuse(ctx, namespace, f'create a {spec.name} under the namespace "{namespace}"')
    if store.resolve(to_id) is not None:
        return _exists(ctx, spec, to_id, f"A {spec.name} repo named {to_id} already exists")
    store.move(ref, to_id, renamed(store.info(ref), to_id))
    return web.Response(text="OK", content_type="text/plain", charset="utf-8")


async def update_settings(ctx: Ctx) -> web.StreamResponse:
    """``PUT /api/{type}s/{id}/settings`` and ``PUT /api/repos/{type}/{id}/settings``
    with any of ``private``, ``visibility``, ``gated``."""
    assert ctx.repo is not None
    store, ref = ctx.repo
    ctx.require_user()
    _refuse(ctx, store.author(ref), f"change the settings of this {store.kind} repo")
    body = await ctx.body()
    changes: dict[str, Any] = {}
    private = _private_of(body, store.spec)
    if private is not None:
        changes["private"] = private
    if "gated" in body:
        gated = body["gated"]
        if not (gated is False or gated in ("auto", "manual")):
            raise BadRequest(f'"gated" must be "auto", "manual" or false, got {gated!r}')
        changes["gated"] = gated
    if not changes:
        raise BadRequest('Nothing to update: expected "private", "visibility" or "gated"')
    repo = store.update(ref, **changes)
    return json_response(encode({"private": repo.private, "gated": repo.info.get("gated", False)}))


_SEED_TYPES: Final = "|".join(KINDS) + "|" + KINDS_PATTERN
_SETTINGS: Final = "{repo_id}/settings"

ROUTES: Final = [
    Route("POST", "/api/repos/create", create_repo),
    Route("DELETE", "/api/repos/delete", delete_repo),
    Route("POST", "/api/repos/move", move_repo),
    Route("PUT", f"/api/{{section:{KINDS_PATTERN}}}/{_SETTINGS}", update_settings, repo=True),
    Route("PUT", f"/api/repos/{{section:{_SEED_TYPES}}}/{_SETTINGS}", update_settings, repo=True),
]

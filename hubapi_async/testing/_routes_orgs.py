"""``GET /api/organizations/{name}/members``: an organization's members, page by page.

As the Hub (its OpenAPI description of the route): a JSON array of members in join order,
``limit`` between 10 and 10,000 (default 500, and never more than the local Hub's
``page_size``), ``search`` (user or full name, case-insensitive) and ``email`` filters,
and a ``cursor`` carried by an absolute ``Link: <...>; rel="next"`` URL. Everyone sees the
public profile (``_id``, ``user``, ``fullname``, ``avatarUrl``, ``type``, ``isPro``;
``isFollowing`` when signed in); members of the organization also see each member's
``role``, ``resourceGroups`` and ``isExternalCollaborator``; its admins, in an Enterprise
organization, ``twoFaEnabled`` and ``verifiedEmail``. An unknown organization is a 404.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Final
from urllib.parse import quote

from aiohttp import web

from ._accounts import Organization
from ._responses import encode, json_response
from ._router import BadRequest, Ctx, HubReply, Route

DEFAULT_PAGE: Final = 500
MIN_PAGE: Final = 10
MAX_PAGE: Final = 10_000


def org_or_404(ctx: Ctx, name: str) -> Organization:
    """The organization ``name`` (the Hub's 404 when there is none)."""
    org = ctx.server.accounts.orgs.get(name)
    if org is None:
        raise HubReply(404, "Organization not found")
    return org


def _page_size(ctx: Ctx) -> int:
    raw = ctx.request.query.get("limit")
    cap = min(MAX_PAGE, ctx.server.page_size)
    if raw is None:
        return min(DEFAULT_PAGE, cap)
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest(f"Invalid limit parameter: {raw}") from None
    if not MIN_PAGE <= limit <= MAX_PAGE:
        raise BadRequest(f'"limit" must be between {MIN_PAGE} and {MAX_PAGE}')
    return min(limit, cap)


def _decode_cursor(raw: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode()))
        offset = data["o"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise BadRequest("Invalid cursor") from None
    if not isinstance(offset, int) or offset < 0:
        raise BadRequest("Invalid cursor")
    return offset


def _encode_cursor(offset: int) -> str:
    return quote(base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode(), safe="")


def _member(ctx: Ctx, org: Organization, name: str) -> dict[str, Any]:
    accounts = ctx.server.accounts
    user = accounts.users[name]
    viewer = ctx.viewer
    body: dict[str, Any] = {
        "avatarUrl": f"/avatars/{name}.svg",
        "fullname": user.fullname,
        "isPro": user.is_pro,
        "user": name,
        "type": "user",
        "_id": user.id,
    }
    if viewer.user is not None:
        body["isFollowing"] = False
    if viewer.role_in(org.name) is not None:
        body["role"] = org.members[name]
        groups = ctx.server.resource_groups
        body["resourceGroups"] = [
            {"name": g.name, "id": g.id, "numUsers": len(g.users), "role": g.users[name].role}
            for g in groups.of_org(org.name)
            if name in g.users
        ]
        body["isExternalCollaborator"] = False
    if org.is_enterprise and viewer.is_admin(org.name):
        body["twoFaEnabled"] = False
        body["verifiedEmail"] = f"{name}@localhost"
    return body


async def members(ctx: Ctx) -> web.StreamResponse:
    """One page of an organization's members, and the ``Link`` to the next."""
    org = org_or_404(ctx, ctx.params["org"])
    request = ctx.request
    size = _page_size(ctx)
    cursor = request.query.get("cursor")
    offset = _decode_cursor(cursor) if cursor else 0
    search = (request.query.get("search") or "").lower()
    email = (request.query.get("email") or "").lower()
    users = ctx.server.accounts.users
    names = [
        n for n in org.members
        if (not search or search in n.lower() or search in users[n].fullname.lower())
        and (not email or email == f"{n}@localhost")
    ]  # fmt: skip
    page = names[offset : offset + size]
    resp = json_response(encode([_member(ctx, org, n) for n in page]))
    if offset + size < len(names):
        kept = [p for p in request.query_string.split("&") if p and not p.startswith("cursor=")]
        kept.append("cursor=" + _encode_cursor(offset + size))
        path = request.raw_path.partition("?")[0]
        resp.headers["Link"] = (
            f'<{request.scheme}://{request.host}{path}?{"&".join(kept)}>; rel="next"'
        )
    return resp


ROUTES: Final = [Route("GET", "/api/organizations/{org}/members", members)]

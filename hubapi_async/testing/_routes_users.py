"""``GET /api/whoami-v2``: the account behind a token.

Shape of the recording ``users/whoami-v2__hub-ci_user_hub.js``.
"""

from __future__ import annotations

from typing import Final

from aiohttp import web

from ._responses import encode, json_error, json_response
from ._router import Ctx, Route


async def whoami(ctx: Ctx) -> web.StreamResponse:
    """The token's user, with its organizations and its role in each."""
    viewer = ctx.viewer
    if viewer.user is None:
        return json_error(401, "Invalid username or password.")
    accounts = ctx.server.accounts
    user = accounts.users[viewer.user]
    orgs = [accounts.orgs[name] for name in viewer.orgs]
    body = {
        "type": "user",
        "id": user.id,
        "name": user.name,
        "fullname": user.fullname,
        "email": f"{user.name}@localhost",
        "emailVerified": True,
        "canPay": False,
        "isPro": user.is_pro,
        "periodEnd": None,
        "avatarUrl": f"/avatars/{user.name}.svg",
        "billingMode": "postpaid",
        "orgs": [
            {
                "type": "org",
                "id": org.id,
                "name": org.name,
                "fullname": org.fullname,
                "email": None,
                "canPay": False,
                "isEnterprise": org.is_enterprise,
                "periodEnd": None,
                "avatarUrl": "/avatars/org.svg",
                "roleInOrg": viewer.roles.get(org.name, "read"),
            }
            for org in orgs
        ],
        "auth": {
            "type": "access_token",
            "accessToken": {
                "displayName": "local",
                "role": viewer.token_role,
                "createdAt": "2025-01-01T00:00:00.000Z",
            },
        },
    }
    return json_response(encode(body))


ROUTES: Final = [Route("GET", "/api/whoami-v2", whoami)]

"""``GET /api/whoami-v2``: who a token belongs to.

Shape: recording ``users/whoami-v2__hub-ci_user_hub.js`` (key set of a live answer) and the
``GET /api/whoami-v2`` entry of ``openapi/stainless_derived_schema_notes.json`` (the Hub's
own OpenAPI types), which adds the fine-grained token fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from ._base import HubStruct

__all__ = ["AccessTokenInfo", "OrgMembership", "TokenAuth", "WhoAmI"]


class AccessTokenInfo(HubStruct, kw_only=True, frozen=True):
    """The access token a call was made with.

    Shape: recording ``users/whoami-v2__hub-ci_user_hub.js`` and the Hub's OpenAPI types
    (``openapi/stainless_derived_schema_notes.json``).
    """

    #: The token's name as shown in the Hub's settings.
    display_name: str | None = msgspec.field(default=None, name="displayName")
    #: ``read``, ``write``, ``fineGrained``... (server-controlled).
    role: str | None = None
    #: When the token was created.
    created_at: datetime | None = msgspec.field(default=None, name="createdAt")
    #: Fine-grained scopes (entities and permissions); kept as data.
    fine_grained: dict[str, Any] | None = msgspec.field(default=None, name="fineGrained")


class TokenAuth(HubStruct, kw_only=True, frozen=True):
    """How the call was authenticated.

    Shape: recording ``users/whoami-v2__hub-ci_user_hub.js`` and the Hub's OpenAPI types
    (``openapi/stainless_derived_schema_notes.json``).
    """

    #: ``access_token`` for user tokens (server-controlled).
    type: str | None = None
    #: The token's details.
    access_token: AccessTokenInfo | None = msgspec.field(default=None, name="accessToken")
    #: When the credential expires, if it does.
    expires_at: datetime | None = msgspec.field(default=None, name="expiresAt")


class OrgMembership(HubStruct, kw_only=True, frozen=True):
    """An organization the user belongs to.

    Shape: recording ``users/whoami-v2__hub-ci_user_hub.js`` and the Hub's OpenAPI types
    (``openapi/stainless_derived_schema_notes.json``).
    """

    #: The organization's name (its namespace).
    name: str
    #: Object id.
    id: str | None = None
    #: Display name.
    fullname: str | None = None
    #: ``org``.
    type: str | None = None
    #: Avatar URL (may be relative to the endpoint).
    avatar_url: str | None = msgspec.field(default=None, name="avatarUrl")
    #: Whether it is an Enterprise organization.
    is_enterprise: bool | None = msgspec.field(default=None, name="isEnterprise")
    #: The user's role in it (``admin``, ``write``, ``read``...; server-controlled).
    role_in_org: str | None = msgspec.field(default=None, name="roleInOrg")


class WhoAmI(HubStruct, kw_only=True, frozen=True):
    """The account behind a token, with its organizations and token details.

    Shape: recording ``users/whoami-v2__hub-ci_user_hub.js`` and the Hub's OpenAPI types
    (``openapi/stainless_derived_schema_notes.json``).
    """

    #: The user name (namespace).
    name: str
    #: ``user`` (server-controlled).
    type: str | None = None
    #: Object id.
    id: str | None = None
    #: Display name.
    fullname: str | None = None
    #: E-mail address, for tokens allowed to read it.
    email: str | None = None
    #: Whether the e-mail address is verified.
    email_verified: bool | None = msgspec.field(default=None, name="emailVerified")
    #: Whether the account can pay.
    can_pay: bool | None = msgspec.field(default=None, name="canPay")
    #: Whether the account is PRO.
    is_pro: bool | None = msgspec.field(default=None, name="isPro")
    #: End of the billing period (a Unix timestamp when set).
    period_end: int | float | None = msgspec.field(default=None, name="periodEnd")
    #: Avatar URL (may be relative to the endpoint).
    avatar_url: str | None = msgspec.field(default=None, name="avatarUrl")
    #: ``prepaid`` or ``postpaid`` (server-controlled).
    billing_mode: str | None = msgspec.field(default=None, name="billingMode")
    #: Organizations the user belongs to.
    orgs: list[OrgMembership] | None = None
    #: How this call was authenticated.
    auth: TokenAuth | None = None

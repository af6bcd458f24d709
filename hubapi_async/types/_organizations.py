"""``GET /api/organizations/{name}/members``: the members of an organization.

No recording of this endpoint exists here. Shape: the Hub's OpenAPI description of the
route (``orgs`` tag: ``avatarUrl``, ``fullname``, ``isPro``, ``user``, ``type`` and ``_id``
always; ``isFollowing``, ``role``, ``resourceGroups``, ``twoFaEnabled``,
``verifiedEmail``, ``isExternalCollaborator`` when the Hub shares them with the caller) and
the official client's ``User`` type, which reads the same keys.
"""

from __future__ import annotations

import msgspec

from ._base import HubStruct

__all__ = ["MemberResourceGroup", "OrgMember"]


class MemberResourceGroup(HubStruct, kw_only=True, frozen=True):
    """A resource group an organization member belongs to, with the member's role in it.

    Shape: the Hub's OpenAPI description of the members route (no recording).
    """

    #: Resource group id (24 hex digits).
    id: str
    #: The group's name.
    name: str | None = None
    #: Number of users in the group.
    num_users: int | None = msgspec.field(default=None, name="numUsers")
    #: The member's role in the group (``admin``, ``write``, ``contributor``, ``read``,
    #: or a custom role; server-controlled).
    role: str | None = None


class OrgMember(HubStruct, kw_only=True, frozen=True):
    """One member of an organization.

    Shape: the Hub's OpenAPI description of ``GET /api/organizations/{name}/members`` and
    the official client's ``User`` (no recording). What beyond the public profile the
    Hub shares depends on who asks: ``role`` and ``resource_groups`` for members of the
    organization, ``two_fa_enabled`` and ``verified_email`` for its admins.
    """

    #: The user name (wire name ``user``).
    username: str = msgspec.field(name="user")
    #: Object id.
    id: str | None = msgspec.field(default=None, name="_id")
    #: Display name.
    fullname: str | None = None
    #: Avatar URL (may be relative to the endpoint).
    avatar_url: str | None = msgspec.field(default=None, name="avatarUrl")
    #: ``user`` (server-controlled).
    type: str | None = None
    #: Whether the account is PRO.
    is_pro: bool | None = msgspec.field(default=None, name="isPro")
    #: Whether the caller follows this user.
    is_following: bool | None = msgspec.field(default=None, name="isFollowing")
    #: The member's role in the organization (``admin``, ``write``, ``contributor``,
    #: ``read``, or a custom role; server-controlled).
    role: str | None = None
    #: The organization's resource groups this member belongs to.
    resource_groups: list[MemberResourceGroup] | None = msgspec.field(
        default=None, name="resourceGroups"
    )
    #: Whether the member has two-factor authentication on (shown to admins).
    two_fa_enabled: bool | None = msgspec.field(default=None, name="twoFaEnabled")
    #: The member's SSO e-mail (Team/Enterprise organizations, shown to admins).
    verified_email: str | None = msgspec.field(default=None, name="verifiedEmail")
    #: Whether the member is an external collaborator rather than a full member.
    is_external_collaborator: bool | None = msgspec.field(
        default=None, name="isExternalCollaborator"
    )

"""Resource groups of an organization (an Enterprise feature): members, roles, repos.

No recording of these endpoints exists here (no client, official or not, calls them).
Shape: the Hub's OpenAPI description of ``GET``/``POST
/api/organizations/{name}/resource-groups`` (each group: ``id``, ``name``,
``description``, ``autoJoin``, ``users``, ``repos``), the Hub docs ("Programmatic user
access control": adding users answers with the updated group), and the seed endpoint page
for the request bodies. ``numUsers`` is the short form a repo's ``resourceGroup`` carries.
"""

from __future__ import annotations

import msgspec

from ._base import HubStruct

__all__ = ["AutoJoin", "ResourceGroup", "ResourceGroupRepo", "ResourceGroupUser"]


class AutoJoin(HubStruct, kw_only=True, frozen=True):
    """Whether every organization member joins the group automatically, and as what.

    Shape: the Hub's OpenAPI description (``{"enabled": true, "role": ...}`` or
    ``{"enabled": false}``); no recording.
    """

    #: Whether auto-join is on.
    enabled: bool | None = None
    #: The role auto-joined members get (when enabled; server-controlled).
    role: str | None = None


class ResourceGroupUser(HubStruct, kw_only=True, frozen=True):
    """A member of a resource group and their role in it.

    Shape: the Hub's OpenAPI description of a group's ``users`` items; no recording.
    """

    #: The user name (wire name ``name``).
    username: str = msgspec.field(name="name")
    #: Object id.
    id: str | None = msgspec.field(default=None, name="_id")
    #: Display name.
    fullname: str | None = None
    #: Avatar URL (may be relative to the endpoint).
    avatar_url: str | None = msgspec.field(default=None, name="avatarUrl")
    #: ``user`` (server-controlled).
    type: str | None = None
    #: Role in the group (``admin``, ``write``, ``contributor``, ``read``, or a custom
    #: role; server-controlled).
    role: str | None = None
    #: Who added the user to the group.
    added_by: str | None = msgspec.field(default=None, name="addedBy")


class ResourceGroupRepo(HubStruct, kw_only=True, frozen=True):
    """A repository attached to a resource group.

    Shape: the Hub's OpenAPI description of a group's ``repos`` items; no recording.
    """

    #: The repo id (``namespace/name``; wire name ``name``).
    repo_id: str = msgspec.field(name="name")
    #: ``model``, ``dataset``, ``space`` (the Hub also has ``bucket`` and ``kernel``).
    type: str | None = None
    #: Whether the repo is private.
    private: bool | None = None
    #: Who attached the repo to the group.
    added_by: str | None = msgspec.field(default=None, name="addedBy")


class ResourceGroup(HubStruct, kw_only=True, frozen=True):
    """A resource group: its members with their roles, and its repositories.

    Shape: the Hub's OpenAPI description of the resource-group routes and the Hub docs; no
    recording. A repo's resource group (``get_repo_group``) may come in the short form
    ``{"id", "name", "numUsers"}``, without ``users`` and ``repos``.
    """

    #: Resource group id (24 hex digits).
    id: str
    #: The group's name.
    name: str | None = None
    #: Its description.
    description: str | None = None
    #: Auto-join settings.
    auto_join: AutoJoin | None = msgspec.field(default=None, name="autoJoin")
    #: Members and their roles.
    users: list[ResourceGroupUser] | None = None
    #: Repositories in the group.
    repos: list[ResourceGroupRepo] | None = None
    #: Number of users (in the short form a repo carries).
    num_users: int | None = msgspec.field(default=None, name="numUsers")

"""``hub.resource_groups``: resource groups of an organization (an Enterprise feature).

A resource group gathers some of an organization's repositories and the members who may
use them, each with a role in the group. Request bodies follow the seed endpoint page and
the Hub docs; roles are plain strings (``admin``, ``write``, ``contributor``, ``read``, or
whatever the Hub adds), never checked against a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

from .._options import Timeout
from .._response import Response
from .._validation import validate_namespace, validate_repo_id
from ..types import ResourceGroup
from ._base import Resource, body_of

__all__ = ["ResourceGroups", "users_body"]

_GROUP_ID: Final = re.compile(r"[0-9a-fA-F]{24}")
REPO_TYPES: Final = ("model", "dataset", "space")

#: ``users=``: ``{"alice": "write"}`` or ``[("alice", "write"), ...]``.
UsersArg = Mapping[str, str] | Iterable[tuple[str, str]]
#: ``repos=``: ``"org/model"`` (a model) or ``("org/data", "dataset")`` pairs.
ReposArg = Iterable[str | tuple[str, str]]


def _group_id(group_id: object) -> str:
    if not isinstance(group_id, str) or not _GROUP_ID.fullmatch(group_id):
        raise ValueError(
            f"Invalid resource group id {group_id!r}: expected 24 hexadecimal digits"
            " (the `id` of a ResourceGroup)."
        )
    return group_id


def _role(role: object, what: str = "role") -> str:
    if not isinstance(role, str):
        raise TypeError(f"{what} must be a string, got {type(role).__name__}")
    if not role.strip() or any(ord(c) < 0x20 or ord(c) == 0x7F for c in role):
        raise ValueError(f"Invalid {what} {role!r}: empty or with control characters.")
    return role


def _repo_type(repo_type: object) -> str:
    if repo_type not in REPO_TYPES:
        raise ValueError(f"repo_type must be one of {', '.join(REPO_TYPES)}; got {repo_type!r}")
    return str(repo_type)


def users_body(users: UsersArg) -> list[dict[str, str]]:
    """``[{"user": name, "role": role}, ...]`` from a mapping or ``(name, role)`` pairs."""
    given: Any = users  # checked at run time: callers may pass anything
    if isinstance(given, str | bytes):
        raise TypeError("users must be a mapping {username: role} or (username, role) pairs")
    pairs: Iterable[Any] = given.items() if isinstance(given, Mapping) else given
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"each user must be a (username, role) pair, got {pair!r}")
        name, role = pair
        validate_namespace(name, "username")
        if name in seen:
            raise ValueError(f"username {name!r} is given twice")
        seen.add(name)
        out.append({"user": name, "role": _role(role, f"role of {name}")})
    if not out:
        raise ValueError("users is empty: give at least one (username, role)")
    return out


def _repos_body(repos: ReposArg) -> list[dict[str, str]]:
    given: Any = repos  # checked at run time: callers may pass anything
    if isinstance(given, str | bytes):
        raise TypeError("repos must be a list of repo ids or (repo_id, repo_type) pairs")
    out: list[dict[str, str]] = []
    repo: Any
    for repo in given:
        if isinstance(repo, str):
            repo_id, repo_type = repo, "model"
        elif isinstance(repo, tuple) and len(repo) == 2:
            repo_id, repo_type = repo
        else:
            raise TypeError(f"each repo must be a repo id or a (repo_id, repo_type) pair: {repo!r}")
        out.append({"type": _repo_type(repo_type), "name": validate_repo_id(repo_id)})
    return out


def _auto_join(auto_join: str | bool) -> dict[str, Any]:
    if auto_join is False:
        return {"enabled": False}
    if auto_join is True:
        raise ValueError("auto_join=True needs a role: pass the role, e.g. auto_join='read'")
    return {"enabled": True, "role": _role(auto_join, "auto_join role")}


class ResourceGroups(Resource):
    """``hub.resource_groups``: groups of an organization, their members and repos.

    Methods: ``list``, ``get``, ``create``, ``update``, ``update_settings``, ``delete``,
    ``add_users``, ``remove_user``, ``update_user_role``, ``get_repo_group``,
    ``set_repo_group``. Organization names, usernames, repo ids and group ids (24
    hexadecimal digits) are checked before any request.
    """

    @staticmethod
    def _groups_path(org: str) -> str:
        return f"/api/organizations/{validate_namespace(org, 'organization name')}/resource-groups"

    def _path(self, org: str, group_id: str, *tail: str) -> str:
        return "/".join((self._groups_path(org), _group_id(group_id), *tail))

    async def _group_answer(
        self, response: Response, org: str, group_id: str, timeout: Timeout | float | None
    ) -> ResourceGroup:
        """The group a write answered with; when its answer is not one, read the group."""
        body = response.json() if response.body.strip() else None
        if isinstance(body, dict) and isinstance(body.get("id"), str):
            return response.decode(ResourceGroup)
        return await self.get(org, group_id, timeout=timeout)

    async def list(
        self, org: str, *, timeout: Timeout | float | None = None
    ) -> list[ResourceGroup]:
        """The groups of ``org`` the caller may see (all of them for organization admins).

        Needs a token; an organization without the feature answers ``PermissionDeniedError``.
        """
        return await self._get(self._groups_path(org), list[ResourceGroup], timeout=timeout)

    async def get(
        self, org: str, group_id: str, *, timeout: Timeout | float | None = None
    ) -> ResourceGroup:
        """One group with its members and repositories (``NotFoundError`` if unknown)."""
        return await self._get(self._path(org, group_id), ResourceGroup, timeout=timeout)

    async def create(
        self,
        org: str,
        *,
        name: str,
        description: str | None = None,
        users: UsersArg | None = None,
        repos: ReposArg | None = None,
        auto_join: str | Literal[False] | None = None,
        timeout: Timeout | float | None = None,
    ) -> ResourceGroup:
        """Create a group in ``org`` (organization admins) and return it.

        ``users``: ``{"alice": "write"}`` or ``[("alice", "write")]``; ``repos``: repo ids
        (models) or ``(repo_id, repo_type)`` pairs; ``auto_join``: a role to add every
        organization member with, or ``False``. Only the options given are sent.
        """
        if not isinstance(name, str) or not name.strip():  # type: ignore[redundant-expr]
            raise ValueError("name must be a non-empty string")
        body = body_of(
            name=name,
            description=description,
            users=None if users is None else users_body(users),
            repos=None if repos is None else _repos_body(repos),
            autoJoin=None if auto_join is None else _auto_join(auto_join),
        )
        return await self._post(self._groups_path(org), ResourceGroup, json=body, timeout=timeout)

    async def update(
        self,
        org: str,
        group_id: str,
        *,
        name: str | None = None,
        description: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> ResourceGroup:
        """Rename a group or change its description; returns the updated group."""
        if name is None and description is None:
            raise ValueError("nothing to update: pass name and/or description")
        if name is not None and (not isinstance(name, str) or not name.strip()):  # type: ignore[redundant-expr]
            raise ValueError("name must be a non-empty string")
        path = self._path(org, group_id)
        body = body_of(name=name, description=description)
        response = await self._request("PATCH", path, json=body, timeout=timeout)
        return await self._group_answer(response, org, group_id, timeout)

    async def update_settings(
        self,
        org: str,
        group_id: str,
        *,
        auto_join: str | Literal[False],
        timeout: Timeout | float | None = None,
    ) -> ResourceGroup:
        """Turn auto-join on with a role (``auto_join="read"``) or off (``False``).

        Turning it on adds every current organization member with that role; turning it
        off keeps the members it added. Returns the updated group.
        """
        path = self._path(org, group_id, "settings")
        body = {"autoJoin": _auto_join(auto_join)}
        response = await self._request("POST", path, json=body, timeout=timeout)
        return await self._group_answer(response, org, group_id, timeout)

    async def delete(
        self, org: str, group_id: str, *, timeout: Timeout | float | None = None
    ) -> None:
        """Delete a group (its repositories stay in the organization, in no group)."""
        await self._delete(self._path(org, group_id), timeout=timeout)

    async def add_users(
        self,
        org: str,
        group_id: str,
        *,
        users: UsersArg,
        timeout: Timeout | float | None = None,
    ) -> ResourceGroup:
        """Add organization members to a group: ``users={"alice": "write", "bob": "read"}``
        (or ``(username, role)`` pairs). Returns the updated group.

        The Hub refuses users outside the organization and users already in the group
        (``PermissionDeniedError``), and unknown users (``BadRequestError``).
        """
        path = self._path(org, group_id, "users")
        body = {"users": users_body(users)}
        response = await self._request("POST", path, json=body, timeout=timeout)
        return await self._group_answer(response, org, group_id, timeout)

    async def remove_user(
        self, org: str, group_id: str, username: str, *, timeout: Timeout | float | None = None
    ) -> None:
        """Remove ``username`` from a group (``NotFoundError`` if not in it)."""
        validate_namespace(username, "username")
        await self._delete(self._path(org, group_id, "users", username), timeout=timeout)

    async def update_user_role(
        self,
        org: str,
        group_id: str,
        username: str,
        *,
        role: str,
        timeout: Timeout | float | None = None,
    ) -> ResourceGroup:
        """Change the role of ``username`` in a group; returns the updated group."""
        validate_namespace(username, "username")
        path = self._path(org, group_id, "users", username)
        response = await self._request("PATCH", path, json={"role": _role(role)}, timeout=timeout)
        return await self._group_answer(response, org, group_id, timeout)

    @staticmethod
    def _repo_path(repo_id: str, repo_type: str) -> str:
        validate_repo_id(repo_id)
        return f"/api/{_repo_type(repo_type)}s/{repo_id}/resource-group"

    async def get_repo_group(
        self, repo_id: str, repo_type: str, *, timeout: Timeout | float | None = None
    ) -> ResourceGroup | None:
        """The resource group repo ``repo_id`` (``model``, ``dataset`` or ``space``) is in,
        or ``None`` when it is in none."""
        response = await self._request("GET", self._repo_path(repo_id, repo_type), timeout=timeout)
        body = response.json() if response.body.strip() else None
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            return None
        return response.decode(ResourceGroup)

    async def set_repo_group(
        self,
        repo_id: str,
        repo_type: str,
        group_id: str | None,
        *,
        timeout: Timeout | float | None = None,
    ) -> None:
        """Move repo ``repo_id`` into group ``group_id`` of its organization (a repo is in
        at most one group), or out of any group with ``None``."""
        path = self._repo_path(repo_id, repo_type)
        body = {"resourceGroupId": None if group_id is None else _group_id(group_id)}
        await self._request("POST", path, json=body, timeout=timeout)

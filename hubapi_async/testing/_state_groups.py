"""Resource groups of organizations, their members and the repos attached to them.

Kept in memory for the server's life; every read and change holds one lock, so a hub
running in a thread and a test poking its state never see a half-made change. Only
Enterprise organizations have groups. A repo is in at most one group; groups refer to
repos by id, resolved at read time (a moved repo is followed, a deleted one disappears).

Seeded: ``demo-org`` has one group, ``research`` (``demo`` admin, ``alice`` write).
The rules about who may do what live in :mod:`._routes_groups`; the data rules (unique
names, known users, members only) are checked here and raise :class:`HubReply`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._accounts import Accounts, object_id
from ._router import HubReply
from ._store import RepoStore

RepoKey = tuple[str, str]  # (kind, repo_id)


@dataclass(eq=False)
class Member:
    """A user's place in a group."""

    role: str
    added_by: str


@dataclass(eq=False)
class Group:
    """One resource group. ``users`` and ``repos`` keep insertion order."""

    id: str
    org: str
    name: str
    description: str | None = None
    auto_join: str | None = None  # the role members auto-join with, or None (off)
    users: dict[str, Member] = field(default_factory=dict)
    repos: dict[RepoKey, str] = field(default_factory=dict)  # -> added_by


def _not_found() -> HubReply:
    return HubReply(404, "Resource group not found")


class ResourceGroups:
    """Every resource group of one local Hub."""

    def __init__(self, accounts: Accounts, stores: Mapping[str, RepoStore], seed: int) -> None:
        self.accounts = accounts
        self.stores = stores
        self.seed = seed
        self.lock = threading.RLock()
        self._groups: dict[str, Group] = {}
        self._count = 0
        if "demo-org" in accounts.orgs:
            research = self._new("demo-org", "research", "Models and data of the research team")
            research.users["demo"] = Member("admin", "demo")
            research.users["alice"] = Member("write", "demo")

    # -- lookups ------------------------------------------------------------------------
    def _new(self, org: str, name: str, description: str | None) -> Group:
        self._count += 1
        group = Group(
            object_id(f"resource-group:{self.seed}:{self._count}"), org, name, description
        )
        self._groups[group.id] = group
        return group

    def of_org(self, org: str) -> list[Group]:
        """The groups of ``org``, oldest first."""
        with self.lock:
            return [g for g in self._groups.values() if g.org == org]

    def get(self, org: str, group_id: str) -> Group:
        """Group ``group_id`` of ``org`` (404 otherwise; ids match case-insensitively)."""
        with self.lock:
            group = self._groups.get(group_id.lower())
            if group is None or group.org != org:
                raise _not_found()
            return group

    def current_id(self, kind: str, repo_id: str) -> str | None:
        """Where ``repo_id`` lives now (moves followed), or ``None`` if it is gone."""
        store = self.stores[kind]
        seen = {repo_id}
        while repo_id in store.redirects:
            repo_id = store.redirects[repo_id]
            if repo_id in seen:
                return None
            seen.add(repo_id)
        return repo_id if store.resolve(repo_id) is not None else None

    def group_of_repo(self, kind: str, repo_id: str) -> Group | None:
        """The group repo ``repo_id`` (its current id) is in."""
        with self.lock:
            for group in self._groups.values():
                for k, rid in group.repos:
                    if k == kind and self.current_id(k, rid) == repo_id:
                        return group
            return None

    # -- rendering --------------------------------------------------------------------------
    def render(self, group: Group) -> dict[str, Any]:
        """The group as the Hub answers it."""
        users = self.accounts.users
        with self.lock:
            members = [
                {
                    "type": "user",
                    "_id": users[name].id,
                    "fullname": users[name].fullname,
                    "name": name,
                    "avatarUrl": f"/avatars/{name}.svg",
                    "role": m.role,
                    "addedBy": m.added_by,
                }
                for name, m in group.users.items()
                if name in users
            ]
            repos = []
            for (kind, rid), added_by in group.repos.items():
                current = self.current_id(kind, rid)
                if current is None:
                    continue
                store = self.stores[kind]
                ref = store.resolve(current)
                assert ref is not None
                repos.append(
                    {"name": current, "type": kind, "private": store.is_private(ref),
                     "addedBy": added_by}
                )  # fmt: skip
            auto: dict[str, Any] = {"enabled": False}
            if group.auto_join is not None:
                auto = {"enabled": True, "role": group.auto_join}
            return {
                "id": group.id,
                "name": group.name,
                "description": group.description,
                "autoJoin": auto,
                "users": members,
                "repos": repos,
            }

    def render_short(self, group: Group) -> dict[str, Any]:
        """The group as a repo carries it (with ``numUsers``)."""
        return {**self.render(group), "numUsers": len(group.users)}

    # -- changes ------------------------------------------------------------------------
    def _check_name(self, org: str, name: str, exclude: Group | None = None) -> None:
        for other in self.of_org(org):
            if other is not exclude and other.name.lower() == name.lower():
                raise HubReply(409, f"A resource group named '{name}' already exists in {org}")

    def _check_users(self, org: str, group: Group | None, users: Iterable[str]) -> None:
        names = list(users)
        unknown = [n for n in names if n not in self.accounts.users]
        if unknown:
            raise HubReply(400, f"User(s) not found: {', '.join(unknown)}")
        if len(set(names)) != len(names):
            raise HubReply(400, "The same user is listed more than once")
        members = self.accounts.orgs[org].members
        outside = [n for n in names if n not in members]
        if outside:
            raise HubReply(
                403, f"Some users are not members of the organization: {', '.join(outside)}"
            )
        if group is not None:
            already = [n for n in names if n in group.users]
            if already:
                raise HubReply(
                    403, f"Some users are already in the resource group: {', '.join(already)}"
                )

    def _attach(self, group: Group, kind: str, repo_id: str, by: str) -> None:
        """Put a repo in ``group``, taking it out of any other group first."""
        current = self.group_of_repo(kind, repo_id)
        if current is group:
            return
        if current is not None:
            self._detach(current, kind, repo_id)
        group.repos[(kind, repo_id)] = by

    def _detach(self, group: Group, kind: str, repo_id: str) -> None:
        group.repos = {
            key: v for key, v in group.repos.items()
            if not (key[0] == kind and self.current_id(*key) == repo_id)
        }  # fmt: skip

    def create(
        self,
        org: str,
        name: str,
        description: str | None,
        users: list[tuple[str, str]],
        repos: list[RepoKey],
        auto_join: str | None,
        by: str,
    ) -> Group:
        """A new group (409 for a name in use, 400/403 for unknown or outside users)."""
        with self.lock:
            self._check_name(org, name)
            self._check_users(org, None, [u for u, _ in users])
            for kind, rid in repos:
                store = self.stores[kind]
                ref = store.resolve(rid)
                if ref is None or store.author(ref) != org:
                    raise HubReply(400, f"Repository {rid} ({kind}) is not in {org}")
            group = self._new(org, name, description)
            for user, role in users:
                group.users[user] = Member(role, by)
            for kind, rid in repos:
                self._attach(group, kind, rid, by)
            if auto_join is not None:
                self.set_auto_join(group, auto_join, by)
            return group

    def update(self, group: Group, name: str | None, description: str | None) -> None:
        """Rename a group or change its description (409 for a name in use)."""
        with self.lock:
            if name is not None:
                self._check_name(group.org, name, exclude=group)
                group.name = name
            if description is not None:
                group.description = description

    def set_auto_join(self, group: Group, role: str | None, by: str) -> None:
        """Auto-join on with ``role`` (every org member joins now) or off (``None``)."""
        with self.lock:
            group.auto_join = role
            if role is None:
                return
            for user in self.accounts.orgs[group.org].members:
                if user not in group.users:
                    group.users[user] = Member(role, by)

    def delete(self, group: Group) -> None:
        """Forget a group (its repos stay, in no group)."""
        with self.lock:
            self._groups.pop(group.id, None)

    def add_users(self, group: Group, users: list[tuple[str, str]], by: str) -> None:
        """Add org members (400 unknown/duplicate, 403 outside the org or already in)."""
        with self.lock:
            self._check_users(group.org, group, [u for u, _ in users])
            for user, role in users:
                group.users[user] = Member(role, by)

    def member(self, group: Group, username: str) -> Member:
        """``username``'s place in ``group`` (404 when not in it)."""
        with self.lock:
            found = group.users.get(username)
            if found is None:
                raise HubReply(404, f"User {username} is not in the resource group")
            return found

    def remove_user(self, group: Group, username: str) -> None:
        """Take ``username`` out of ``group`` (404 when not in it)."""
        with self.lock:
            self.member(group, username)
            del group.users[username]

    def set_role(self, group: Group, username: str, role: str) -> None:
        """Change ``username``'s role in ``group`` (404 when not in it)."""
        with self.lock:
            self.member(group, username).role = role

    def set_repo_group(self, kind: str, repo_id: str, group: Group | None, by: str) -> None:
        """Move a repo into ``group``, or out of any group (``None``)."""
        with self.lock:
            if group is not None:
                self._attach(group, kind, repo_id, by)
                return
            current = self.group_of_repo(kind, repo_id)
            if current is not None:
                self._detach(current, kind, repo_id)

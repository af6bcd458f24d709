"""Users, organizations, their members and roles, and the tokens that name them.

The local Hub is seeded with a few accounts so that permissions are real:

============  ==================  ==========================================
user          token               organizations (role)
============  ==================  ==========================================
``demo``      ``tokens=`` given   ``demo-org`` (admin)
``alice``     ``hf_local_alice``  ``demo-org`` (write), ``alice-lab`` (admin)
``bob``       ``hf_local_bob``    ``demo-org`` (read)
``carol``     ``hf_local_carol``  none
============  ==================  ==========================================

Every token passed as ``LocalHub(tokens=...)`` (``hubapi serve --token``) is the user ``demo``;
the other users' tokens are fixed and always accepted, so a second user is one token away,
in tests (``HubClient(url, token="hf_local_bob")``) and against ``hubapi serve`` alike
(``HF_TOKEN=hf_local_alice``; the server prints them when it starts).

``demo-org`` is an Enterprise organization (it has resource groups; its seeded group
``research`` holds ``demo`` as admin and ``alice`` as write) with 123 members: the three
users above and ``member-0000`` to ``member-0119``, in that (join) order. ``alice-lab`` is
not Enterprise.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from . import _vocab

#: Roles, strongest first. The Hub may add others; unknown roles rank like ``read``.
ROLES: Final[tuple[str, ...]] = ("admin", "write", "contributor", "read")
_RANK: Final = {role: len(ROLES) - i for i, role in enumerate(ROLES)}

#: Tokens of the seeded users other than ``demo`` (always accepted).
USER_TOKENS: Final[Mapping[str, str]] = {
    "hf_local_alice": "alice",
    "hf_local_bob": "bob",
    "hf_local_carol": "carol",
}


def role_rank(role: str | None) -> int:
    """How strong ``role`` is (0 for none; unknown roles rank like ``read``)."""
    if role is None:
        return 0
    return _RANK.get(role, _RANK["read"])


def object_id(text: str) -> str:
    """A stable 24-hex-digit id in the Hub's ObjectId form, derived from ``text``."""
    h = zlib.crc32(text.encode())
    return f"65f0c0ff{h:08x}{zlib.crc32(text[::-1].encode()):08x}"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: ``user`` is ``None`` for anonymous callers.

    ``orgs`` are the organizations the user belongs to; ``roles`` the user's role in each.
    """

    user: str | None = None
    orgs: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict, compare=False)
    token_role: str = "write"

    def owns(self, author: str) -> bool:
        """Whether the viewer may see private repos of ``author``."""
        return self.user is not None and (author == self.user or author in self.orgs)

    def role_in(self, namespace: str) -> str | None:
        """The viewer's role in ``namespace`` (``admin`` for their own)."""
        if self.user is None:
            return None
        if namespace == self.user:
            return "admin"
        return self.roles.get(namespace)

    def can_write(self, namespace: str) -> bool:
        """Whether the viewer may create, change or delete repos of ``namespace``."""
        return self.token_role == "write" and role_rank(self.role_in(namespace)) >= role_rank(
            "write"
        )

    def is_admin(self, namespace: str) -> bool:
        """Whether the viewer administers ``namespace`` (their own, or an org as admin)."""
        return self.token_role == "write" and self.role_in(namespace) == "admin"


@dataclass
class User:
    """A seeded user."""

    name: str
    fullname: str
    is_pro: bool = False

    @property
    def id(self) -> str:
        """The user's ObjectId."""
        return object_id(f"user:{self.name}")


@dataclass
class Organization:
    """An organization and its members (``{username: role}``, in join order)."""

    name: str
    fullname: str
    members: dict[str, str] = field(default_factory=dict)
    is_enterprise: bool = False

    @property
    def id(self) -> str:
        """The organization's ObjectId."""
        return object_id(f"org:{self.name}")


def _seed_users() -> dict[str, User]:
    users = [
        User(_vocab.DEMO_USER, "Demo User"),
        User("alice", "Alice Martin", is_pro=True),
        User("bob", "Bob Dupont"),
        User("carol", "Carol Smith"),
    ]
    return {u.name: u for u in users}


def _seed_orgs(extra_members: int) -> dict[str, Organization]:
    demo = Organization(
        _vocab.DEMO_ORGS[0],
        "Demo Organization",
        {_vocab.DEMO_USER: "admin", "alice": "write", "bob": "read"},
        is_enterprise=True,
    )
    for i in range(extra_members):
        demo.members[f"member-{i:04d}"] = ROLES[i % len(ROLES)]
    lab = Organization("alice-lab", "Alice's Lab", {"alice": "admin"})
    return {o.name: o for o in (demo, lab)}


class Accounts:
    """The users, organizations and tokens of one local Hub (mutations are thread-safe)."""

    def __init__(self, tokens: Iterable[str], *, extra_members: int = 120) -> None:
        self.users = _seed_users()
        for i in range(extra_members):
            name = f"member-{i:04d}"
            self.users[name] = User(name, f"Member {i}")
        self.orgs = _seed_orgs(extra_members)
        self.tokens: dict[str, str] = dict(USER_TOKENS)
        for token in tokens:
            self.tokens[token] = _vocab.DEMO_USER
        self.lock = threading.Lock()

    def viewer_for(self, token: str | None) -> Viewer | None:
        """The viewer a token names (anonymous for ``None``), or ``None`` for a bad token."""
        if token is None:
            return Viewer()
        user = self.tokens.get(token)
        if user is None:
            return None
        return self.viewer_of(user)

    def viewer_of(self, user: str) -> Viewer:
        """The viewer for the user named ``user``."""
        roles = {o.name: o.members[user] for o in self.orgs.values() if user in o.members}
        return Viewer(user, tuple(roles), roles)

    def namespace_exists(self, name: str) -> bool:
        """Whether ``name`` is a user or an organization."""
        return name in self.users or name in self.orgs

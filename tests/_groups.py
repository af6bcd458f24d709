"""The accounts and clients the resource-group tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from hubapi_async import HubClient
from hubapi_async.testing import LocalHub
from hubapi_async.types import ResourceGroup

ORG = "demo-org"
BASE = f"/api/organizations/{ORG}/resource-groups"
UNKNOWN_ID = "0123456789abcdef01234567"


@dataclass
class Env:
    """The hub and a client for each seeded account."""

    server: LocalHub
    demo: HubClient
    alice: HubClient
    bob: HubClient
    carol: HubClient
    anon: HubClient

    @property
    def last(self) -> Any:
        """The last request the hub received."""
        return self.server.requests[-1]

    async def research_id(self) -> str:
        """The id of the seeded group ``research``."""
        groups = await self.demo.resource_groups.list(ORG)
        return next(g.id for g in groups if g.name == "research")

    def model(self, *, private: bool = False) -> str:
        """A (public, or private) model of ``demo-org``."""
        store = self.server.stores["model"]
        for repo_id in store.iter_ids(include_private=True):
            ref = store.resolve(repo_id)
            in_org = repo_id.startswith(f"{ORG}/")
            if in_org and ref is not None and store.is_private(ref) == private:
                return repo_id
        raise LookupError("no such model in this hub")


@asynccontextmanager
async def group_env() -> AsyncIterator[Env]:
    """A fresh local Hub and one client per seeded account (``anon`` without a token)."""
    server = LocalHub(models=200, datasets=50, spaces=50)
    async with server as url, AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(HubClient(url, token=token))
            for token in (
                "hf_local_token",
                "hf_local_alice",
                "hf_local_bob",
                "hf_local_carol",
                False,
            )
        ]
        yield Env(server, *clients)


def names(group: ResourceGroup) -> dict[str, str | None]:
    """``{username: role}`` of a group's members."""
    return {u.username: u.role for u in group.users or []}

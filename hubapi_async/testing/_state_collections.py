"""Collections: their items, owners and slugs, kept for the server's life."""

from __future__ import annotations

from collections.abc import Mapping

from ._accounts import Accounts
from ._store import RepoStore


class Collections:
    """Every collection of one local Hub."""

    def __init__(self, accounts: Accounts, stores: Mapping[str, RepoStore], seed: int) -> None:
        self.accounts = accounts
        self.stores = stores
        self.seed = seed

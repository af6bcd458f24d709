"""Resource groups of organizations, their members and the repos attached to them."""

from __future__ import annotations

from collections.abc import Mapping

from ._accounts import Accounts
from ._store import RepoStore


class ResourceGroups:
    """Every resource group of one local Hub."""

    def __init__(self, accounts: Accounts, stores: Mapping[str, RepoStore], seed: int) -> None:
        self.accounts = accounts
        self.stores = stores
        self.seed = seed

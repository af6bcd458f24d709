"""Papers, daily papers and the repos citing them."""

from __future__ import annotations

from collections.abc import Mapping

from ._store import RepoStore


class Papers:
    """The seeded papers of one local Hub."""

    def __init__(self, stores: Mapping[str, RepoStore], seed: int) -> None:
        self.stores = stores
        self.seed = seed

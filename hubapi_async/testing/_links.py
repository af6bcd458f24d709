"""Which Spaces use which models and datasets, computed both ways without a table.

About half the generated Spaces use one generated model, a quarter one generated dataset
(an affine map of the Space's index, so the Spaces of a model are found by inverting it),
and some use one of the popular recorded repos too. A Space lists them in ``models`` and
``datasets`` (and in its card); a model lists the public Spaces that use it in ``spaces``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from ._data import Generated, mix64

if TYPE_CHECKING:
    from ._store import RepoStore

#: Recorded repos that generated Spaces may use.
POPULAR: Final[Mapping[str, tuple[str, ...]]] = {
    "model": (
        "openai-community/gpt2",
        "google-bert/bert-base-uncased",
        "sentence-transformers/all-MiniLM-L6-v2",
        "meta-llama/Llama-3.1-8B-Instruct",
        "black-forest-labs/FLUX.1-dev",
    ),
    "dataset": ("ibm/duorc",),
}
_SALT: Final = {"model": 0x11A, "dataset": 0x2DB}


class _Map:
    """Space ``j`` → item ``(a*j + b) mod n`` of one generated kind, and back."""

    def __init__(self, target: Generated, salt: int) -> None:
        n = target.n
        self.target, self.n = target, n
        a = (mix64(target.seed ^ salt) | 1) % n if n > 1 else 1
        while n > 1 and math.gcd(a, n) != 1:
            a += 1
        self.a, self.b = a, mix64(target.seed ^ salt ^ 0xB) % n if n else 0
        self.a_inv = pow(a, -1, n) if n > 1 else 1

    def forward(self, j: int) -> int:
        return (self.a * j + self.b) % self.n

    def first_back(self, i: int) -> int:
        return ((i - self.b) * self.a_inv) % self.n


class Links:
    """The links between the generated Spaces and the generated models and datasets."""

    def __init__(self, spaces: Generated, models: Generated, datasets: Generated) -> None:
        self.spaces = spaces
        self._maps = {
            "model": _Map(models, _SALT["model"]),
            "dataset": _Map(datasets, _SALT["dataset"]),
        }

    def _bits(self, j: int) -> int:
        return mix64(self.spaces.h(j) ^ 0x11A)

    def _uses(self, kind: str, j: int) -> tuple[int | None, str | None]:
        """(generated target index or None, popular target id or None) of Space ``j``."""
        bits = self._bits(j)
        shift = 0 if kind == "model" else 16
        uses = (bits >> shift) & 1 if kind == "model" else (bits >> shift) & 3 == 0
        target: int | None = None
        m = self._maps[kind]
        if uses and m.n:
            i = m.forward(j)
            target = None if m.target.private(i) else i
        popular = POPULAR[kind]
        pick = None
        if (bits >> (shift + 4)) & 7 == 0:
            pick = popular[(bits >> (shift + 8)) % len(popular)]
        return target, pick

    def used_by_space(self, kind: str, j: int) -> list[str]:
        """Ids of the repos of ``kind`` (``model``/``dataset``) that Space ``j`` uses."""
        target, pick = self._uses(kind, j)
        ids = [] if target is None else [self._maps[kind].target.repo_id(target)]
        return ids + ([pick] if pick else [])

    def spaces_using(self, kind: str, idx: int) -> list[str]:
        """Ids of the public Spaces that use generated repo ``idx`` of ``kind``."""
        m, spaces = self._maps[kind], self.spaces
        out: list[str] = []
        if not m.n:
            return out
        for j in range(m.first_back(idx), spaces.n, m.n):
            if self._uses(kind, j)[0] == idx and not spaces.private(j):
                out.append(spaces.repo_id(j))
        return out


def link_stores(stores: Mapping[str, RepoStore]) -> Links:
    """Relate the generated Spaces of ``stores`` to its models and datasets."""
    links = Links(stores["space"].gen, stores["model"].gen, stores["dataset"].gen)
    for store in stores.values():
        store.gen.links = links
    return links

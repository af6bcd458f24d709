"""Deterministic generated repos: every field of item ``i`` is computed from ``(seed, i)``.

Nothing is precomputed, so a million repos cost nothing until they are asked for. Three
arrangements make listings cheap:

- Items are numbered in **id order**: each author owns a contiguous index range, and names
  inside it are generated in sorted order (``id`` sort and author listings are ranges).
- Each other sort key orders the items by a fixed **affine permutation** of the indices
  (``rank = (a*i + b) mod n``, inverted in O(1)), and its value is a non-decreasing function
  of the rank. Paging a sorted listing is therefore arithmetic, not a sort.
- Ties are broken by the rank itself, so the order is total without ``_id`` look-ups.

Sort keys whose values come from the item's own data (a parameter count follows the size
in the model's name) cannot be an arithmetic order: their values are computed once for
every item, on the first listing sorted by them, and kept as an index (order, position
and value arrays; a few bytes per item).
"""

from __future__ import annotations

import bisect
import math
import time
import zlib
from array import array
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from . import _vocab as V

if TYPE_CHECKING:
    from ._links import Links

MASK64: Final = (1 << 64) - 1
SortValue = int | float | str

# Sort keys every kind supports (spaces have no downloads).
SORT_KEYS: Final[tuple[str, ...]] = (
    "trendingScore",
    "likes",
    "downloads",
    "createdAt",
    "lastModified",
    "id",
)
#: Sort keys that follow another key's order (recent likes drive the trending score).
SORT_ALIASES: Final[Mapping[str, str]] = {"likes30d": "trendingScore"}
#: ``value_of(gen, idx)`` of a sort key computed from an item's data (see the module doc).
IndexedValue = Callable[["Generated", int], int]
_CREATED_START: Final = 1_609_459_200  # 2021-01-01T00:00:00Z
_CREATED_SPAN: Final = 126_230_400  # four years
_MODIFIED_START: Final = 1_735_689_600  # 2025-01-01T00:00:00Z
_MODIFIED_SPAN: Final = 44_582_400  # to mid-2026
_KIND_SALT: Final = {"model": 0x6D6F64656C, "dataset": 0x6461746173, "space": 0x7370616365}
_PRIMES: Final = (2_654_435_761, 2_246_822_519, 3_266_489_917, 668_265_263, 374_761_393)


def mix64(x: int) -> int:
    """Return a well-mixed 64-bit hash of ``x`` (the splitmix64 finaliser)."""
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


_DAYS: dict[int, str] = {}


def iso(ts: float) -> str:
    """Format epoch seconds as the Hub does: ``2024-02-19T11:06:12.000Z``."""
    whole = math.floor(ts)
    ms = round((ts - whole) * 1000)
    day_no, secs = divmod(whole, 86_400)
    day = _DAYS.get(day_no)
    if day is None:
        day = _DAYS[day_no] = time.strftime("%Y-%m-%d", time.gmtime(day_no * 86_400))
    hours, rest = divmod(secs, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{day}T{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}Z"


class Basics(NamedTuple):
    """The fields of a generated item that every shape needs, computed together."""

    idx: int
    h: int
    author: str
    id: str
    family: str
    size: str
    private: bool
    likes: int
    trending: int
    downloads: int
    created: int
    modified: int


def sha40(h: int) -> str:
    """Return a 40-hex commit-like id derived from ``h``."""
    return f"{mix64(h ^ 1):016x}{mix64(h ^ 2):016x}{mix64(h ^ 3) & 0xFFFFFFFF:08x}"


def gitaly_uid(h: int) -> str:
    """The 64-hex storage id the Hub sends as ``gitalyUid`` (derived from ``h``)."""
    return "".join(f"{mix64(h ^ (0x6A + k)):016x}" for k in range(4))


def _allocate(n: int, weights: list[int]) -> list[int]:
    """Split ``n`` items between weights (largest remainder; deterministic)."""
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [math.floor(e) for e in exact]
    rest = n - sum(counts)
    order = sorted(range(len(weights)), key=lambda k: (counts[k] - exact[k], k))
    for k in order[:rest]:
        counts[k] += 1
    return counts


class _AuthorLayout(NamedTuple):
    """How an author's ``m`` names spread over the word combinations, in sorted order.

    Item ``j`` gets combination ``start + (j // k_max) * span // m_eff`` (strictly
    increasing) and, when an author has more repos than combinations, a numeric suffix
    ``j % k_max``. ``start`` differs per author so authors do not share names.
    """

    lo: int
    m: int
    k_max: int
    m_eff: int
    start: int
    span: int
    width: int

    @classmethod
    def make(cls, lo: int, m: int, combos: int, salt: int, author: str) -> _AuthorLayout:
        k_max = max(1, -(-m // combos))
        m_eff = max(1, -(-m // k_max))
        start = mix64(salt ^ zlib.crc32(author.encode())) % (combos - m_eff + 1)
        return cls(lo, m, k_max, m_eff, start, combos - start, len(str(k_max - 1)))

    def combo(self, j: int) -> tuple[int, int]:
        """(combination index, suffix) of the author's ``j``-th name."""
        q, k = divmod(j, self.k_max)
        return self.start + q * self.span // self.m_eff, k

    def position(self, ci: int, k: int) -> int | None:
        """The ``j`` whose combination is ``ci`` with suffix ``k``, if any."""
        if k >= self.k_max or ci < self.start:
            return None
        q = -(-(ci - self.start) * self.m_eff // self.span)
        j = q * self.k_max + k
        return j if j < self.m else None


class _SortIndex(NamedTuple):
    """Items in ascending order of one data-driven key (ties by index)."""

    order: array[int]
    position: array[int]
    values: array[int]


class Generated:
    """The generated repos of one kind (``model``, ``dataset`` or ``space``).

    ``indexed`` names the sort keys computed from item data (``{key: value_of}``).
    ``links`` (set by the hub that owns the stores) relates Spaces to models and datasets.
    """

    def __init__(
        self, kind: str, n: int, seed: int, *, indexed: Mapping[str, IndexedValue] | None = None
    ) -> None:
        self.kind = kind
        self.n = n
        self.seed = seed
        self.links: Links | None = None
        self._indexed_fns: Mapping[str, IndexedValue] = dict(indexed or {})
        self._indexes: dict[str, _SortIndex] = {}
        self._salt = mix64(seed * 0x100000001B3 ^ _KIND_SALT[kind])
        parts = {
            "model": V.MODEL_NAME_PARTS,
            "dataset": V.DATASET_NAME_PARTS,
            "space": V.SPACE_NAME_PARTS,
        }[kind]
        self._parts = parts
        self._part_index = [{w: k for k, w in enumerate(p)} for p in parts]
        self._combos = len(parts[0]) * len(parts[1]) * len(parts[2])
        # Authors sorted the way their ids sort ("demo-org/..." < "demo/...").
        pairs = sorted(V.AUTHORS, key=lambda p: p[0] + "/")
        counts = _allocate(n, [w for _, w in pairs])
        self.authors: list[str] = []
        self._starts: list[int] = []
        self._ranges: dict[str, tuple[int, int]] = {}
        start = 0
        for (author, _), count in zip(pairs, counts, strict=True):
            if count:
                self.authors.append(author)
                self._starts.append(start)
                self._ranges[author] = (start, start + count)
            start += count
        self._perm: dict[str, tuple[int, int, int]] = {}
        for k, key in enumerate(SORT_KEYS[:-1]):
            a = _PRIMES[k] % n if n > 1 else 1
            while n > 1 and math.gcd(a, n) != 1:
                a += 1
            b = mix64(self._salt ^ (k + 1)) % n if n else 0
            self._perm[key] = (a, b, pow(a, -1, n) if n > 1 else 1)
        for alias, key in SORT_ALIASES.items():
            self._perm[alias] = self._perm[key]
        # Per author (by position in self.authors): (lo, size, suffix count, suffix width).
        self._layout: list[_AuthorLayout] = []
        for author in self.authors:
            lo, hi = self._ranges[author]
            self._layout.append(_AuthorLayout.make(lo, hi - lo, self._combos, self._salt, author))
        self._owner_spans = tuple(
            span for owner, span in self._ranges.items() if owner in V.PRIVATE_OWNERS
        )
        self._created_step = max(1, _CREATED_SPAN // max(n, 1))
        self._modified_step = max(1, _MODIFIED_SPAN // max(n, 1))

    # -- identity ---------------------------------------------------------------------
    def h(self, idx: int) -> int:
        """The item's 64-bit hash, the source of all its random-looking fields."""
        return mix64(self._salt ^ idx)

    def author_range(self, author: str) -> tuple[int, int] | None:
        """Index range ``[lo, hi)`` of the author's repos, or ``None``."""
        return self._ranges.get(author)

    def author_of(self, idx: int) -> str:
        """The author (namespace) of item ``idx``."""
        return self.authors[bisect.bisect_right(self._starts, idx) - 1]

    def _words(self, ci: int) -> tuple[str, str, str]:
        p0, p1, p2 = self._parts
        f, rest = divmod(ci, len(p1) * len(p2))
        s, v = divmod(rest, len(p2))
        return p0[f], p1[s], p2[v]

    def _name(self, layout: _AuthorLayout, j: int) -> str:
        ci, k = layout.combo(j)
        name = "-".join(self._words(ci))
        return f"{name}-{k:0{layout.width}d}" if k else name

    def repo_id(self, idx: int) -> str:
        """The repo id (``author/name``) of item ``idx``."""
        a = bisect.bisect_right(self._starts, idx) - 1
        layout = self._layout[a]
        return f"{self.authors[a]}/{self._name(layout, idx - layout.lo)}"

    def index_of(self, repo_id: str) -> int | None:
        """The index of a generated repo id, or ``None`` if it is not a generated one."""
        author, _, name = repo_id.partition("/")
        if author not in self._ranges or not name:
            return None
        layout = self._layout[self.authors.index(author)]
        parts = name.split("-")
        if len(parts) not in (3, 4):
            return None
        try:
            f, s, v = (self._part_index[k][parts[k]] for k in range(3))
            k = int(parts[3]) if len(parts) == 4 else 0
        except (KeyError, ValueError):
            return None
        p1, p2 = len(self._parts[1]), len(self._parts[2])
        j = layout.position((f * p1 + s) * p2 + v, k)
        if j is None or self._name(layout, j) != name:
            return None
        return layout.lo + j

    # -- ordering ---------------------------------------------------------------------
    def _index(self, key: str) -> _SortIndex:
        index = self._indexes.get(key)
        if index is None:
            value_of, n = self._indexed_fns[key], self.n
            values = array("q", [value_of(self, i) for i in range(n)])
            order = array("I", sorted(range(n), key=values.__getitem__))
            position = array("I", bytes(4 * n))
            for r, i in enumerate(order):
                position[i] = r
            index = self._indexes[key] = _SortIndex(order, position, values)
        return index

    def between(self, key: str, low: int, high: int) -> array[int]:
        """Items whose data-driven ``key`` lies in ``[low, high]``, in index order."""
        index = self._index(key)
        value_of = index.values.__getitem__
        lo = bisect.bisect_left(index.order, low, key=value_of)
        hi = bisect.bisect_right(index.order, high, key=value_of)
        return array("I", sorted(index.order[lo:hi]))

    def indexed_value(self, key: str, idx: int) -> int:
        """The value of a data-driven sort key for item ``idx`` (without building an index)."""
        index = self._indexes.get(key)
        return index.values[idx] if index is not None else self._indexed_fns[key](self, idx)

    def rank(self, key: str, idx: int) -> int:
        """Position of ``idx`` in ascending order of ``key``."""
        if key == "id":
            return idx
        perm = self._perm.get(key)
        if perm is None:
            return self._index(key).position[idx]
        return (perm[0] * idx + perm[1]) % self.n

    def at_rank(self, key: str, rank: int) -> int:
        """Index of the item at ``rank`` in ascending order of ``key``."""
        if key == "id":
            return rank
        perm = self._perm.get(key)
        if perm is None:
            return self._index(key).order[rank]
        return ((rank - perm[1]) * perm[2]) % self.n

    def value(self, key: str, rank: int) -> SortValue:
        """The value of ``key`` for the item at ``rank`` (non-decreasing in ``rank``)."""
        top = self.n - rank  # 1 for the most popular item
        if key == "downloads":
            return int(90_000_000 / top**1.2)
        if key == "likes":
            return int(12_000 / top**1.05)
        if key == "trendingScore":
            return int(9_000 / top**1.4)
        if key == "likes30d":
            return int(4_500 / top**1.35)
        if key == "createdAt":
            return _CREATED_START + rank * self._created_step
        if key == "lastModified":
            return _MODIFIED_START + rank * self._modified_step
        if key == "id":
            return self.repo_id(rank)
        index = self._index(key)
        return index.values[index.order[rank]]

    def field(self, key: str, idx: int) -> SortValue:
        """The value of sort field ``key`` for item ``idx``."""
        return self.value(key, self.rank(key, idx))

    def date(self, key: str, idx: int) -> str:
        """The ``createdAt`` or ``lastModified`` of item ``idx``, formatted."""
        return iso(float(self.field(key, idx)))

    def sort_key(self, key: str, idx: int) -> tuple[SortValue, int, int]:
        """The total-order key of item ``idx`` for sort ``key`` (ties broken by rank)."""
        r = self.rank(key, idx)
        return (self.value(key, r), 0, r)

    # -- visibility -------------------------------------------------------------------
    def private(self, idx: int) -> bool:
        """Whether the repo is private (a quarter of the repos of ``demo``/``demo-org``)."""
        author = self.author_of(idx)
        if author not in V.PRIVATE_OWNERS:
            return False
        return (idx - self._ranges[author][0]) % 4 == 0

    def gated(self, idx: int) -> str | bool:
        """``"manual"``, ``"auto"`` or ``False`` (about 3% each; spaces are never gated)."""
        if self.kind == "space" or self.private(idx):
            return False
        g = (self.h(idx) >> 30) & 63
        return "manual" if g < 2 else "auto" if g < 4 else False

    def object_id(self, idx: int) -> str:
        """A Mongo-like ``_id`` whose leading timestamp is the creation time."""
        created = int(self.field("createdAt", idx))
        return f"{created:08x}{self.h(idx):016x}"

    def basics(self, idx: int) -> Basics:
        """Everything most item shapes need, computed in one pass."""
        a = bisect.bisect_right(self._starts, idx) - 1
        author = self.authors[a]
        layout = self._layout[a]
        lo = layout.lo
        ci, k = layout.combo(idx - lo)
        family, size, variant = self._words(ci)
        repo_id = f"{author}/{family}-{size}-{variant}"
        if k:
            repo_id += f"-{k:0{layout.width}d}"
        n, perm = self.n, self._perm
        private = author in V.PRIVATE_OWNERS and (idx - lo) % 4 == 0
        pa, pb, _ = perm["likes"]
        likes = int(12_000 / (n - (pa * idx + pb) % n) ** 1.05)
        pa, pb, _ = perm["trendingScore"]
        trending = int(9_000 / (n - (pa * idx + pb) % n) ** 1.4)
        pa, pb, _ = perm["downloads"]
        downloads = int(90_000_000 / (n - (pa * idx + pb) % n) ** 1.2)
        pa, pb, _ = perm["createdAt"]
        created = _CREATED_START + ((pa * idx + pb) % n) * self._created_step
        pa, pb, _ = perm["lastModified"]
        modified = _MODIFIED_START + ((pa * idx + pb) % n) * self._modified_step
        return Basics(
            idx, mix64(self._salt ^ idx), author, repo_id, family, size, private,
            likes, trending, downloads, created, modified,
        )  # fmt: skip

    def maybe_private(self, idx: int) -> bool:
        """Cheap test: ``False`` means surely public."""
        return any(lo <= idx < hi for lo, hi in self._owner_spans)

    # -- tag helpers shared by the kind modules ----------------------------------------
    def family(self, idx: int) -> str:
        """First word of the repo name (the model type for models)."""
        return self._words(self._combo_of(idx))[0]

    def size_word(self, idx: int) -> str:
        """Second word of the repo name (a size for models)."""
        return self._words(self._combo_of(idx))[1]

    def _combo_of(self, idx: int) -> int:
        layout = self._layout[bisect.bisect_right(self._starts, idx) - 1]
        return layout.combo(idx - layout.lo)[0]


TagPredicate = Callable[[int], bool]


def common_fields(gen: Generated, idx: int) -> dict[str, Any]:
    """Fields every kind shares, computed once per item build."""
    b = gen.basics(idx)
    g = (b.h >> 30) & 63
    gated = "manual" if g < 2 else "auto" if g < 4 else False
    return {
        "_id": f"{b.created:08x}{b.h:016x}",
        "id": b.id,
        "author": b.author,
        "likes": b.likes,
        "trendingScore": b.trending,
        "downloads": b.downloads,
        "createdAt": iso(b.created),
        "lastModified": iso(b.modified),
        "private": b.private,
        "gated": False if gen.kind == "space" or b.private else gated,
        "sha": sha40(b.h),
    }

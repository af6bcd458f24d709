"""The in-memory repo store of one kind and its keyset-paged listings.

A listing is the merge of two sorted sources: the generated items (ordered by arithmetic,
see ``_data``) and a small sorted list of curated/added repos. A page resumes after the
sort key of the last item it returned, so pages stay correct while repos are added or
removed. Keys are ``(value, 0, rank)`` for generated items and ``(value, 1, id)`` for the
others: a total order without ties.

Writes never touch the generated index: a generated repo that is changed or moved is
first copied into a stored entry (:meth:`RepoStore.materialize`) and its index marked
deleted, so the arithmetic fast paths keep serving the million others. Stored entries are
replaced, never changed in place, so cached item bytes (keyed by entry) never go stale.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import msgspec

from . import _vocab
from ._accounts import Viewer
from ._conditions import Condition, generated_test, param_count, stored_test
from ._curated import REDIRECTS, Curated, curated
from ._data import Generated, SortValue
from ._kinds import KINDS, KindSpec
from ._serving import mapping_entries

Ref = int | Curated
SortKey = tuple[SortValue, int, int | str]
Shape = tuple[str, ...]
_INDEX_CACHE: Final = 64
_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True)
class ListQuery:
    """A parsed listing request."""

    sort: str = "trendingScore"
    descending: bool = True
    limit: int = 1000
    search: tuple[str, ...] = ()
    """Substrings every listed id contains (case-insensitive)."""
    author: str | None = None
    conditions: tuple[Condition, ...] = ()
    shape: Shape = ("default",)


def stored_sort_value(key: str, repo: Curated) -> SortValue:
    """The value of sort ``key`` for a stored repo (what its body says, else an estimate
    in the generated repos' scale)."""
    if key == "likes30d":  # the generated scale: both follow the same popularity rank
        trending = float(repo.field("trendingScore"))
        return int(4_500 / (9_000 / trending) ** (1.35 / 1.4)) if trending > 0 else 0
    if key == "num_parameters":
        return param_count(repo.expanded())
    if key == "mainSize":
        body = repo.expanded()
        size = body.get("mainSize", body.get("usedStorage", 0))
        return size if isinstance(size, int) else 0
    if key == "datasetsServerInfo.numRows":
        for tag in repo.info.get("tags", ()):
            bounds = _vocab.SIZE_BOUNDS.get(str(tag).removeprefix("size_categories:"))
            if bounds is not None and str(tag).startswith("size_categories:"):
                return int((bounds[0] * bounds[1]) ** 0.5)
        return 0
    return repo.field(key)


class _Source:
    """Generated items of one candidate set, in ascending sort order."""

    def __init__(self, gen: Generated, key: str, members: Sequence[int] | None) -> None:
        self.gen = gen
        self.key = key
        self.members = members
        self.length = gen.n if members is None else len(members)

    def idx(self, p: int) -> int:
        if self.members is None:
            return self.gen.at_rank(self.key, p)
        return self.members[p]

    def sort_key(self, p: int) -> SortKey:
        if self.members is None:
            return (self.gen.value(self.key, p), 0, p)
        return self.gen.sort_key(self.key, self.members[p])

    def bisect(self, target: SortKey, *, right: bool) -> int:
        lo, hi = 0, self.length
        while lo < hi:
            mid = (lo + hi) // 2
            k = self.sort_key(mid)
            if k < target or (right and k == target):
                lo = mid + 1
            else:
                hi = mid
        return lo


class RepoStore:
    """Models, datasets or spaces: generated items, curated ones, and run-time changes."""

    def __init__(self, kind: str, n: int, seed: int, *, cache_size: int = 65_536) -> None:
        self.kind = kind
        self.spec: KindSpec = KINDS[kind]
        self.gen = Generated(kind, n, seed, indexed=self.spec.indexed_sorts)
        self.sort_keys = self.spec.sort_keys
        self.redirects: dict[str, str] = dict(REDIRECTS[kind])
        self._extras: dict[str, Curated] = {}
        self._deleted: set[int] = set()
        for repo in curated(kind):
            if self.gen.index_of(repo.id) is not None:
                raise RuntimeError(f"curated id {repo.id} collides with a generated one")
            self._extras[repo.id] = repo
        self._extra_order: dict[str, tuple[list[SortKey], list[Curated]]] = {}
        self._members: dict[tuple[Any, ...], Sequence[int]] = {}
        self._list_item = self.spec.list_item
        self._info = self.spec.info
        self._expanded = self.spec.expanded
        self.item_bytes: Callable[[Ref, Shape], bytes] = functools.lru_cache(maxsize=cache_size)(
            self._build_item_bytes
        )

    # -- mutations (the write side builds on these) ----------------------------------------
    def add(self, repo: Curated) -> None:
        """Add a repo that is not generated, or replace the stored entry of its id.

        Pass a new object to change a repo (``dataclasses.replace``): entries are cache keys.
        """
        self._extras[repo.id] = repo
        self.redirects.pop(repo.id, None)  # a repo living at an id outranks a redirect
        self._changed()

    def delete(self, repo_id: str) -> bool:
        """Remove a repo; return whether it existed. Redirects to it are dropped."""
        if self._extras.pop(repo_id, None) is None:
            idx = self.gen.index_of(repo_id)
            if idx is None or idx in self._deleted:
                return False
            self._deleted.add(idx)
        for old in [old for old, new in self.redirects.items() if new == repo_id]:
            del self.redirects[old]
        self._changed()
        return True

    def materialize(self, ref: Ref) -> Curated:
        """The stored entry of ``ref``, copying a generated repo into one first (its index
        is then marked deleted; the generated data itself never changes)."""
        if isinstance(ref, Curated):
            return ref
        info = self.info(ref)
        extra = {k: v for k, v in self.expanded(ref).items() if k not in info}
        layout = self.spec.parquet_layout(self.gen, ref) if self.spec.parquet_layout else None
        repo = Curated(self.kind, info, extra, parquet=layout)
        self._deleted.add(ref)
        self.add(repo)
        return repo

    def update(self, ref: Ref, **info: Any) -> Curated:
        """Replace the info fields ``info`` of ``ref`` (copy-on-write); return the new entry."""
        repo = self.materialize(ref)
        changed = dataclasses.replace(repo, info={**repo.info, **info})
        self.add(changed)
        return changed

    def move(self, ref: Ref, new_id: str, info: dict[str, Any]) -> Curated:
        """Store ``ref`` under ``new_id`` with the info body ``info``; the old id redirects
        (as do the ids that redirected to the old one)."""
        repo = self.materialize(ref)
        old_id = repo.id
        moved = dataclasses.replace(repo, info=info)
        self._extras.pop(old_id, None)
        self.add(moved)
        for old, target in list(self.redirects.items()):
            if target == old_id:
                self.redirects[old] = new_id
        self.redirects[old_id] = new_id
        return moved

    def _changed(self) -> None:
        self._extra_order.clear()

    # -- lookups ---------------------------------------------------------------------------
    def resolve(self, repo_id: str) -> Ref | None:
        """The repo with this id, or ``None``."""
        extra = self._extras.get(repo_id)
        if extra is not None:
            return extra
        idx = self.gen.index_of(repo_id)
        return None if idx is None or idx in self._deleted else idx

    def repo_id(self, ref: Ref) -> str:
        """The id of ``ref``."""
        return self.gen.repo_id(ref) if isinstance(ref, int) else ref.id

    def author(self, ref: Ref) -> str:
        """The namespace of ``ref``."""
        return self.gen.author_of(ref) if isinstance(ref, int) else ref.author

    def is_private(self, ref: Ref) -> bool:
        """Whether ``ref`` is private."""
        return self.gen.private(ref) if isinstance(ref, int) else ref.private

    def visible(self, ref: Ref, viewer: Viewer) -> bool:
        """Whether ``viewer`` may see ``ref``."""
        return not self.is_private(ref) or viewer.owns(self.author(ref))

    def info(self, ref: Ref) -> dict[str, Any]:
        """The full info body."""
        return self._info(self.gen, ref) if isinstance(ref, int) else dict(ref.info)

    def expanded(self, ref: Ref) -> dict[str, Any]:
        """Every expandable field."""
        return self._expanded(self.gen, ref) if isinstance(ref, int) else ref.expanded()

    def tags(self, ref: Ref) -> list[str]:
        """The tags of ``ref``."""
        if isinstance(ref, int):
            return self.spec.tags(self.gen, ref)
        return list(ref.info.get("tags", []))

    def count(self, viewer: Viewer) -> int:
        """How many repos an unfiltered listing shows ``viewer``."""
        total = self.gen.n - len(self._deleted)
        for owner in _vocab.PRIVATE_OWNERS:
            span = self.gen.author_range(owner)
            if span is not None and not viewer.owns(owner):
                total -= sum(
                    1
                    for i in range(span[0], span[1], 4)
                    if i not in self._deleted and self.gen.private(i)
                )
        return total + sum(1 for r in self._extras.values() if r.listed and self.visible(r, viewer))

    def iter_ids(self, *, include_private: bool = False) -> Iterable[str]:
        """Every listed repo id (generated then curated), for tests and tools."""
        for idx in range(self.gen.n):
            if idx not in self._deleted and (include_private or not self.gen.private(idx)):
                yield self.gen.repo_id(idx)
        for repo in self._extras.values():
            if repo.listed and (include_private or not repo.private):
                yield repo.id

    # -- serialisation -----------------------------------------------------------------------
    def _build_item_bytes(self, ref: Ref, shape: Shape) -> bytes:
        return _encode(self.project(ref, shape))

    def project(self, ref: Ref, shape: Shape) -> dict[str, Any]:
        """The body of ``ref`` in a list ``shape``: ``("default",)``, ``("full", ...)`` with
        optional ``"config"``/``"cardData"`` flags, ``("config",)``, or ``("expand", *fields)``.
        """
        if shape[0] == "expand":
            full = self.expanded(ref)
            out = {"_id": full["_id"], "id": full["id"]}
            wanted = set(shape[1:])
            for key, value in full.items():
                if key in wanted and value is not None:
                    out[key] = value
            if "inferenceProviderMapping" in out:  # listings send the list form
                out["inferenceProviderMapping"] = mapping_entries(out["inferenceProviderMapping"])
            return out
        if isinstance(ref, int) and shape == ("default",):
            return self._list_item(self.gen, ref)
        full = self.expanded(ref)
        keys = list(self.spec.default_list_keys)
        if "full" in shape:
            keys += self.spec.full_list_extra
        if "config" in shape:
            keys.append("config")
        if "cardData" in shape and "cardData" not in keys:
            keys.append("cardData")
        return {k: full[k] for k in keys if k in full}

    # -- listings ----------------------------------------------------------------------------
    def _extras_sorted(self, key: str) -> tuple[list[SortKey], list[Curated]]:
        cached = self._extra_order.get(key)
        if cached is None:
            pairs = sorted(
                ((stored_sort_value(key, r), 1, r.id), r) for r in self._extras.values() if r.listed
            )
            cached = ([k for k, _ in pairs], [r for _, r in pairs])
            self._extra_order[key] = cached
        return cached

    def _cached(
        self, cache_key: tuple[Any, ...], build: Callable[[], Sequence[int]]
    ) -> Sequence[int]:
        members = self._members.get(cache_key)
        if members is None:
            if len(self._members) >= _INDEX_CACHE:
                self._members.pop(next(iter(self._members)))
            members = self._members[cache_key] = build()
        return members

    def _members_of(self, cond: Condition) -> Sequence[int]:
        gen = self.gen
        if cond.field == "params" and "num_parameters" in self.spec.indexed_sorts:
            low = max(1, cond.value[0])  # a model whose count is unknown matches no range
            return self._cached(
                ("cond", cond), lambda: gen.between("num_parameters", low, cond.value[1])
            )
        test = generated_test(self.spec, gen, cond)
        return self._cached(("cond", cond), lambda: array("I", filter(test, range(gen.n))))

    def _source(self, query: ListQuery) -> tuple[_Source, int]:
        """The narrowest indexed candidate set, and how many filters it already applies."""
        gen, key = self.gen, query.sort
        if query.author is not None:
            span = gen.author_range(query.author) or (0, 0)
            if key == "id":
                return _Source(gen, key, range(*span)), 0
            members = self._cached(
                ("author", query.author, key),
                lambda: array("I", sorted(range(*span), key=lambda i: gen.rank(key, i))),
            )
            return _Source(gen, key, members), 0
        if query.conditions:
            cond = query.conditions[0]
            matching = self._members_of(cond)
            members = self._cached(
                ("cond", cond, key),
                lambda: array("I", sorted(matching, key=lambda i: gen.rank(key, i))),
            )
            return _Source(gen, key, members), 1
        return _Source(gen, key, None), 0

    def _matcher(self, query: ListQuery, viewer: Viewer, indexed: int) -> Callable[[Ref], bool]:
        gen, spec = self.gen, self.spec
        author, conditions = query.author, query.conditions
        generated_tests = [generated_test(spec, gen, c) for c in conditions[indexed:]]
        needles = [s.lower() for s in query.search]

        deleted = self._deleted
        sees_private = all(viewer.owns(owner) for owner in _vocab.PRIVATE_OWNERS)
        simple = not (generated_tests or needles)

        def match(ref: Ref) -> bool:
            if isinstance(ref, int):
                if deleted and ref in deleted:
                    return False
                if simple and (sees_private or not gen.maybe_private(ref)):
                    return True
                if not sees_private and gen.private(ref) and not viewer.owns(gen.author_of(ref)):
                    return False
                if any(not t(ref) for t in generated_tests):
                    return False
                if needles:
                    repo_id = gen.repo_id(ref).lower()
                    return all(n in repo_id for n in needles)
                return True
            if author is not None and ref.author != author:
                return False
            if not self.visible(ref, viewer):
                return False
            if any(not stored_test(c, ref) for c in conditions):
                return False
            return all(n in ref.id.lower() for n in needles)

        return match

    def page(
        self, query: ListQuery, viewer: Viewer, after: SortKey | None
    ) -> tuple[list[Ref], SortKey | None, bool]:
        """Up to ``query.limit`` refs after ``after``; the last key; whether more follow."""
        source, indexed = self._source(query)
        ekeys, extras = self._extras_sorted(query.sort)
        match = self._matcher(query, viewer, indexed)
        desc = query.descending
        if desc:
            gp = source.length - 1 if after is None else source.bisect(after, right=False) - 1
            ep = len(extras) - 1 if after is None else bisect.bisect_left(ekeys, after) - 1
            step = -1
        else:
            gp = 0 if after is None else source.bisect(after, right=True)
            ep = 0 if after is None else bisect.bisect_right(ekeys, after)
            step = 1
        out: list[Ref] = []
        last_gen, last_ext = -1, -1  # position of the last item taken, in its source
        n_gen, n_ext, limit = source.length, len(extras), query.limit
        idx_at = source.idx
        while True:
            if 0 <= gp < n_gen:
                take_gen = not 0 <= ep < n_ext or ((source.sort_key(gp) < ekeys[ep]) != desc)
            elif 0 <= ep < n_ext:
                take_gen = False
            else:
                break
            if take_gen:
                ref: Ref = idx_at(gp)
                pos, gp = gp, gp + step
            else:
                ref = extras[ep]
                pos, ep = ep, ep + step
            if match(ref):
                if len(out) >= limit:
                    return out, self._last_key(source, ekeys, last_gen, last_ext), True
                out.append(ref)
                last_gen, last_ext = (pos, -1) if take_gen else (-1, pos)
        return out, self._last_key(source, ekeys, last_gen, last_ext), False

    @staticmethod
    def _last_key(
        source: _Source, ekeys: list[SortKey], last_gen: int, last_ext: int
    ) -> SortKey | None:
        if last_gen >= 0:
            return source.sort_key(last_gen)
        return ekeys[last_ext] if last_ext >= 0 else None

"""Collections: their items, owners and slugs, kept for the server's life.

Every collection has a fixed 24-hex-digit id; its slug is ``namespace/<title part>-<id>``,
the title part following the title (renaming changes the slug, never the id). A lookup goes
by id and namespace, so an old slug still finds a renamed collection. All reads and writes
hold one lock: the state is shared by the server's loop and whoever inspects it from another
thread (``LocalHub.in_thread()``).
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from . import _collections_seed as seed_data
from ._accounts import Accounts, Viewer, object_id
from ._data import mix64
from ._store import RepoStore

#: Sort keys of ``GET /api/collections`` (always descending; ``trending`` is the default).
SORTS: Final = ("trending", "lastModified", "upvotes")
#: Items per collection in a listing.
LISTED_ITEMS: Final = 4
#: Item types the local Hub stores (buckets do not exist here: adding one is a 404).
ITEM_TYPES: Final = ("model", "dataset", "space", "paper", "collection")

_EPOCH: Final = 1_704_067_200  # 2024-01-01: seeded collections change after this
_SPAN: Final = 60_000_000  # ... and before late 2025
SortKey = tuple[float, str]


def slug_title(title: str) -> str:
    """The slug's title part, as the Hub derives it: ``"ICCV Oct. 2023"`` → ``iccv-oct-2023``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    part = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return part[:80].rstrip("-") or "collection"


@dataclass(eq=False)
class Item:
    """One item: ``ref`` is the repo id, the arXiv id or the collection id it points to."""

    object_id: str
    type: str
    ref: str
    note: str | None = None


@dataclass(eq=False)
class StoredCollection:
    """One collection; ``position`` is its place on the owner's profile."""

    id: str
    namespace: str
    title: str
    description: str | None
    private: bool
    theme: str
    position: int
    upvotes: int
    trending: float
    updated_ms: int
    items: list[Item] = field(default_factory=list)
    gating: bool = False

    @property
    def slug(self) -> str:
        """``namespace/title-part-<id>``."""
        return f"{self.namespace}/{slug_title(self.title)}-{self.id}"

    def sort_value(self, sort: str) -> float:
        """The value ``sort`` orders by."""
        if sort == "upvotes":
            return float(self.upvotes)
        if sort == "lastModified":
            return float(self.updated_ms)
        return self.trending

    def has(self, kind: str, ref: str) -> bool:
        """Whether an item of ``kind`` points to ``ref``."""
        return any(i.type == kind and i.ref == ref for i in self.items)


@dataclass(frozen=True)
class ListQuery:
    """A parsed ``GET /api/collections``."""

    owners: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()
    sort: str = "trending"
    q: str | None = None
    limit: int = 100


class Collections:
    """Every collection of one local Hub.

    ``paper_lookup(arxiv_id)`` gives a paper item's fields (``title``, ``publishedAt``,
    ``thumbnailUrl``, ``upvotes``) or ``None`` for an unknown paper; ``clock()`` returns
    epoch seconds (replace both to taste).
    """

    def __init__(self, accounts: Accounts, stores: Mapping[str, RepoStore], seed: int) -> None:
        self.accounts = accounts
        self.stores = stores
        self.seed = seed
        self.lock = threading.RLock()
        self.clock: Callable[[], float] = time.time
        self.paper_lookup: Callable[[str], dict[str, Any] | None] = seed_data.paper_body
        self._by_id: dict[str, StoredCollection] = {}
        self._created = 0
        for spec in (*seed_data.CURATED, *seed_data.generated(stores, seed)):
            self._seed(spec)

    # -- ids and time --------------------------------------------------------------------
    def now_ms(self) -> int:
        """The clock in integer milliseconds."""
        return int(self.clock() * 1000)

    def _new_id(self, what: str) -> str:
        """A fresh id in the Hub's ObjectId form: time, a hash, a counter."""
        self._created += 1
        stamp = int(self.clock()) & 0xFFFFFFFF
        mixed = mix64(self.seed ^ seed_data.hash_text(what) ^ self._created) & 0xFFFFFFFF
        return f"{stamp:08x}{mixed:08x}{self._created & 0xFFFFFFFF:08x}"

    def _seed(self, spec: seed_data.SeedCollection) -> None:
        cid = object_id(f"collection:{spec.namespace}:{spec.title}:{self.seed}")
        h = mix64(self.seed ^ seed_data.hash_text(cid))
        owned = sum(1 for c in self._by_id.values() if c.namespace == spec.namespace)
        stored = StoredCollection(
            id=cid,
            namespace=spec.namespace,
            title=spec.title,
            description=spec.description,
            private=spec.private,
            theme=spec.theme,
            position=owned,
            upvotes=int(h % 400),
            trending=float((h >> 12) % 1000),
            updated_ms=(_EPOCH + (h >> 24) % _SPAN) * 1000,
        )
        for n, (kind, ref, note) in enumerate(spec.items):
            stored.items.append(Item(object_id(f"item:{cid}:{n}"), kind, ref, note))
        self._by_id[cid] = stored

    # -- lookups -------------------------------------------------------------------------
    def find(self, namespace: str, rest: str) -> StoredCollection | None:
        """The collection named by a slug's two parts (any title part: the id decides)."""
        with self.lock:
            found = self._by_id.get(rest.rpartition("-")[2])
            return found if found is not None and found.namespace == namespace else None

    def by_id(self, collection_id: str) -> StoredCollection | None:
        """The collection with this id."""
        with self.lock:
            return self._by_id.get(collection_id)

    def visible(self, c: StoredCollection, viewer: Viewer) -> bool:
        """Whether ``viewer`` may see ``c`` (private ones: the owner and the org's members)."""
        return not c.private or viewer.owns(c.namespace)

    def by_title(self, namespace: str, title: str) -> StoredCollection | None:
        """The collection of ``namespace`` with exactly this title."""
        with self.lock:
            for c in self._by_id.values():
                if c.namespace == namespace and c.title == title:
                    return c
        return None

    def all(self) -> list[StoredCollection]:
        """Every collection (a snapshot), for tests and tools."""
        with self.lock:
            return list(self._by_id.values())

    # -- writes --------------------------------------------------------------------------
    def create(
        self,
        namespace: str,
        title: str,
        *,
        description: str | None = None,
        private: bool = False,
        first: tuple[str, str] | None = None,
    ) -> StoredCollection:
        """A new collection, last on its owner's profile (titles are unique per namespace:
        callers check :meth:`by_title` first)."""
        with self.lock:
            owned = [c for c in self._by_id.values() if c.namespace == namespace]
            stored = StoredCollection(
                id=self._new_id(f"{namespace}/{title}"),
                namespace=namespace,
                title=title,
                description=description,
                private=private,
                theme=seed_data.THEMES[len(self._by_id) % len(seed_data.THEMES)],
                position=len(owned),
                upvotes=0,
                trending=0.0,
                updated_ms=self.now_ms(),
            )
            if first is not None:
                stored.items.append(Item(self._new_id("item"), first[0], first[1]))
            self._by_id[stored.id] = stored
            return stored

    def update(self, c: StoredCollection, changes: Mapping[str, Any]) -> None:
        """Apply checked metadata changes (``title``, ``description``, ``private``,
        ``theme``, ``position``)."""
        with self.lock:
            for key in ("title", "description", "private", "theme"):
                if key in changes:
                    setattr(c, key, changes[key])
            if "position" in changes:
                self._move_collection(c, int(changes["position"]))
            c.updated_ms = self.now_ms()

    def _move_collection(self, c: StoredCollection, position: int) -> None:
        owned = sorted(
            (o for o in self._by_id.values() if o.namespace == c.namespace),
            key=lambda o: o.position,
        )
        owned.remove(c)
        owned.insert(min(position, len(owned)), c)
        for n, o in enumerate(owned):
            o.position = n

    def delete(self, c: StoredCollection) -> None:
        """Remove ``c`` for good."""
        with self.lock:
            self._by_id.pop(c.id, None)

    def add_item(self, c: StoredCollection, kind: str, ref: str, note: str | None) -> Item:
        """Append an item (callers check :meth:`StoredCollection.has` first)."""
        with self.lock:
            item = Item(self._new_id(f"item:{c.id}"), kind, ref, note)
            c.items.append(item)
            c.updated_ms = self.now_ms()
            return item

    def update_item(
        self, c: StoredCollection, item: Item, *, note: Any = None, position: int | None = None
    ) -> None:
        """Change an item's note (``""`` clears it) or move it to ``position``."""
        with self.lock:
            if note is not None:
                item.note = note or None
            if position is not None:
                c.items.remove(item)
                c.items.insert(min(position, len(c.items)), item)
            c.updated_ms = self.now_ms()

    def delete_item(self, c: StoredCollection, item: Item) -> None:
        """Remove an item."""
        with self.lock:
            c.items.remove(item)
            c.updated_ms = self.now_ms()

    # -- listings ------------------------------------------------------------------------
    def page(
        self, query: ListQuery, viewer: Viewer, after: SortKey | None
    ) -> tuple[list[StoredCollection], SortKey | None, bool]:
        """Up to ``query.limit`` collections after ``after`` (keyset, descending); the last
        key; whether more follow."""
        with self.lock:
            matching = [c for c in self._by_id.values() if self._matches(c, query, viewer)]
        keyed = sorted(((c.sort_value(query.sort), c.id), c) for c in matching)
        keyed.reverse()
        if after is not None:
            keyed = [(k, c) for k, c in keyed if k < after]
        chunk = keyed[: query.limit]
        last = chunk[-1][0] if chunk else None
        return [c for _, c in chunk], last, len(keyed) > len(chunk)

    def _matches(self, c: StoredCollection, query: ListQuery, viewer: Viewer) -> bool:
        if not self.visible(c, viewer):
            return False
        if query.owners and c.namespace not in query.owners:
            return False
        if query.items and not any(c.has(kind, ref) for kind, ref in query.items):
            return False
        if query.q:
            needle = query.q.lower()
            text = f"{c.title}\n{c.description or ''}".lower()
            if needle not in text:
                return False
        return True

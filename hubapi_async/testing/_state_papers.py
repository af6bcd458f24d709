"""Papers, Daily Papers and the repos citing them, for one local Hub.

The papers are built on first use (:mod:`._gen_papers`): about 1,500 Daily Papers over the
90 days up to ``END_DATE`` (5-30 a day, fewer on weekends), submitted by the seeded users,
some authors linked to them, some papers in the seeded organizations; plus a few real
papers the recorded repos cite.

Who cites a paper is an index built once, and cheap whatever the number of repos: the
recorded repos cite the papers of their ``arxiv:`` tags (also papers the Hub has no page
for: ``/api/arxiv/{id}/repos`` is a tag index), and each generated paper is cited by a few
generated repos drawn deterministically from the paper's side (0-5 models, 0-2 datasets,
0-3 Spaces). Those generated repos do not carry the ``arxiv:`` tag in their own info
answers; the papers answers add it to the listing items they return. Citing repos are
resolved when asked, so a deleted or hidden repo drops out.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import msgspec

from . import _curated
from ._accounts import Accounts, Viewer
from ._data import iso
from ._gen_papers import END_DATE, PaperRecord, curated, day_start, generate
from ._store import RepoStore

Item = dict[str, Any]

#: How many citing repos of each kind ``/api/papers/{id}`` embeds (``linkedModels``...).
LINKED_MAX: Final = 10
_KINDS: Final = ("model", "dataset", "space")
_VERSION: Final = re.compile(r"v[1-9][0-9]*$")
_encode = msgspec.json.Encoder().encode
_END: Final = day_start(END_DATE + dt.timedelta(days=1))


def base_id(arxiv_id: str) -> str:
    """The id without its version suffix (``2409.11074v2`` → ``2409.11074``)."""
    return _VERSION.sub("", arxiv_id)


def _trending(record: PaperRecord) -> float:
    hours = max(0.0, (_END - (record.daily_at or 0.0)) / 3600)
    return record.upvotes / math.pow(hours + 2, 1.5)


@dataclass(frozen=True)
class DailyQuery:
    """A parsed ``/api/daily_papers`` request (``period`` is ``date``/``week``/``month``)."""

    page: int = 0
    limit: int = 50
    period: tuple[str, str] | None = None
    submitter: str | None = None
    sort: str = "publishedAt"


@dataclass(eq=False)
class _Index:
    records: list[PaperRecord]
    by_id: dict[str, PaperRecord]
    #: Daily papers, per sort key, in order.
    ordered: dict[str, list[PaperRecord]]
    #: arXiv id (no version) -> kind -> citing repo ids.
    citers: dict[str, dict[str, list[str]]]
    items: dict[str, bytes] = field(default_factory=dict)


def _in_period(record: PaperRecord, period: tuple[str, str] | None) -> bool:
    if period is None:
        return True
    day = record.day
    if day is None:
        return False
    kind, value = period
    if kind == "date":
        return day.isoformat() == value
    if kind == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}" == value
    return day.strftime("%Y-%m") == value


class Papers:
    """The papers of one local Hub: lookups, Daily Papers pages and the citing repos.

    ``link_header``: when true, Daily Papers pages followed by more carry a relative
    ``Link: </api/daily_papers?p=N&limit=L&...>; rel="next"`` (the form a test of
    huggingface/hf-mcp-server assumes); the Hub itself sends none, so it is off by default.
    """

    def __init__(self, accounts: Accounts, stores: Mapping[str, RepoStore], seed: int) -> None:
        self.accounts = accounts
        self.stores = stores
        self.seed = seed
        self.link_header = False
        self._index: _Index | None = None
        self._lock = threading.Lock()

    # -- building ---------------------------------------------------------------------------
    def _data(self) -> _Index:
        index = self._index
        if index is None:
            with self._lock:
                index = self._index
                if index is None:
                    index = self._index = self._build()
        return index

    def _build(self) -> _Index:
        users = self.accounts.users
        linkable = [(u.name, u.fullname) for u in users.values()]
        submitters = [("alice", 30), ("bob", 14), ("carol", 10), ("demo", 8)]
        submitters += [(name, 1) for name in users if name.startswith("member-")][:38]
        records = curated() + generate(self.seed, linkable, submitters, list(self.accounts.orgs))
        by_id = {r.id: r for r in records}
        daily = [r for r in records if r.daily_at is not None]
        ordered = {
            "publishedAt": sorted(daily, key=lambda r: (-(r.daily_at or 0.0), r.id)),
            "trending": sorted(daily, key=lambda r: (-_trending(r), -(r.daily_at or 0.0), r.id)),
        }
        return _Index(records, by_id, ordered, self._citing(records))

    def _citing(self, records: list[PaperRecord]) -> dict[str, dict[str, list[str]]]:
        citers: dict[str, dict[str, list[str]]] = {}
        for kind in _KINDS:
            for repo in _curated.curated(kind):
                if not repo.listed:
                    continue
                for tag in repo.info.get("tags", []):
                    if tag.startswith("arxiv:"):
                        paper = base_id(tag[len("arxiv:") :])
                        citers.setdefault(paper, {}).setdefault(kind, []).append(repo.id)
        for record in records:
            if not record.citers:
                continue
            rng = random.Random(f"citers:{self.seed}:{record.id}")
            for kind, count in record.citers.items():
                gen = self.stores[kind].gen
                if gen.n == 0 or count == 0:
                    continue
                picked = {gen.repo_id(rng.randrange(gen.n)) for _ in range(count)}
                citers.setdefault(record.id, {}).setdefault(kind, []).extend(sorted(picked))
        return citers

    # -- public helpers ---------------------------------------------------------------------
    def ids(self, *, daily: bool | None = None) -> list[str]:
        """Every paper id; ``daily=True`` only those on Daily Papers, ``False`` the others."""
        records = self._data().records
        if daily is None:
            return [r.id for r in records]
        return [r.id for r in records if (r.daily_at is not None) == daily]

    def record(self, arxiv_id: str) -> PaperRecord | None:
        """The paper with this id (a version suffix is ignored), or ``None``."""
        return self._data().by_id.get(base_id(arxiv_id))

    def daily_records(self, query: DailyQuery) -> list[PaperRecord]:
        """Every Daily Paper matching ``query``'s filters, in its sort order (all pages)."""
        rows = self._data().ordered[query.sort]
        return [
            r
            for r in rows
            if _in_period(r, query.period)
            and (query.submitter is None or r.submitter == query.submitter)
        ]

    # -- bodies ---------------------------------------------------------------------------
    def user_overview(self, name: str) -> Item:
        """A seeded user as papers answers embed them (``UserOverview``)."""
        user = self.accounts.users.get(name)
        fullname = user.fullname if user is not None else name
        return {
            "_id": user.id if user is not None else "",
            "avatarUrl": f"/avatars/{name}.svg",
            "isPro": bool(user and user.is_pro),
            "fullname": fullname,
            "user": name,
            "type": "user",
            "name": name,
        }

    def org_overview(self, name: str) -> Item:
        """A seeded organization as papers answers embed it."""
        org = self.accounts.orgs[name]
        return {
            "_id": org.id,
            "name": org.name,
            "fullname": org.fullname,
            "avatarUrl": "/avatars/org.svg",
            "type": "org",
        }

    def _authors(self, record: PaperRecord) -> list[Item]:
        out: list[Item] = []
        for entry, name, login in record.authors:
            author: Item = {"_id": entry, "name": name}
            if login is not None:
                author["status"] = "claimed_verified"
                author["statusLastChangedAt"] = iso(record.published + 3_600)
                author["user"] = self.user_overview(login)
            author["hidden"] = False
            out.append(author)
        return out

    def paper_body(self, record: PaperRecord) -> Item:
        """The ``paper`` object of a daily item (and the head of ``/api/papers/{id}``)."""
        body: Item = {"id": record.id, "authors": self._authors(record)}
        if record.media_urls:
            body["mediaUrls"] = list(record.media_urls)
        body["publishedAt"] = iso(record.published)
        if record.daily_at is not None:
            body["submittedOnDailyAt"] = iso(record.daily_at)
        body["title"] = record.title
        if record.submitter is not None:
            body["submittedOnDailyBy"] = self.user_overview(record.submitter)
        body["summary"] = record.summary
        body["upvotes"] = record.upvotes
        body["discussionId"] = record.discussion_id
        if record.project_page is not None:
            body["projectPage"] = record.project_page
        if record.github_repo is not None:
            body["githubRepo"] = record.github_repo
            body["githubStars"] = record.github_stars
        if record.ai_summary is not None:
            body["ai_summary"] = record.ai_summary
            body["ai_keywords"] = list(record.ai_keywords)
        if record.organization is not None:
            body["organization"] = self.org_overview(record.organization)
        return body

    def daily_item(self, record: PaperRecord) -> bytes:
        """One ``/api/daily_papers`` entry, encoded (built once per paper)."""
        index = self._data()
        cached = index.items.get(record.id)
        if cached is None:
            item: Item = {
                "paper": self.paper_body(record),
                "publishedAt": iso(record.daily_at or record.published),
                "title": record.title,
                "summary": record.summary,
                "thumbnail": (
                    "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/"
                    f"{record.id}.png"
                ),
                "numComments": record.num_comments,
            }
            if record.submitter is not None:
                item["submittedBy"] = self.user_overview(record.submitter)
            if record.organization is not None:
                item["organization"] = self.org_overview(record.organization)
            item["isAuthorParticipating"] = record.author_participating
            if record.media_urls:
                item["mediaUrls"] = list(record.media_urls)
            cached = index.items[record.id] = _encode(item)
        return cached

    def citing(self, arxiv_id: str, viewer: Viewer) -> dict[str, list[Item]]:
        """The listing items of the repos citing ``arxiv_id`` that ``viewer`` may see,
        per kind (``model``, ``dataset``, ``space``), most liked first."""
        paper = base_id(arxiv_id)
        found = self._data().citers.get(paper, {})
        out: dict[str, list[Item]] = {}
        for kind in _KINDS:
            store = self.stores[kind]
            items: list[Item] = []
            for repo_id in found.get(kind, ()):
                ref = store.resolve(repo_id)
                if ref is None or not store.visible(ref, viewer):
                    continue
                item = store.project(ref, ("default",))
                tags = list(item.get("tags") or [])
                tag = f"arxiv:{paper}"
                if tag not in tags:
                    at = next(
                        (i for i, t in enumerate(tags) if t.startswith(("license:", "region:"))),
                        len(tags),
                    )
                    tags.insert(at, tag)
                item["tags"] = tags
                items.append(item)
            items.sort(key=lambda it: (-int(it.get("likes") or 0), str(it["id"])))
            out[kind] = items
        return out

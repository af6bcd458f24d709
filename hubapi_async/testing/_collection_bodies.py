"""The JSON the local Hub answers for collections, in the shapes the Hub sends.

Shapes: recordings ``collections/collection_info__huggingfacejs_test-collection`` (a whole
collection, every item type) and ``collections/list_collections__owner_huggingfacejs`` (a
listed collection: no ``position`` nor ``shareUrl``, at most 4 items). Items whose target
is gone (a deleted repo or collection) or hidden from the caller (a private repo or
collection of someone else) are left out.
"""

from __future__ import annotations

import html
import time
from typing import Any

from . import _collections_seed as seed_data
from ._accounts import Accounts, Viewer, object_id
from ._state_collections import LISTED_ITEMS, Collections, Item, StoredCollection, slug_title

Body = dict[str, Any]


def iso_ms(ms: int) -> str:
    """Epoch milliseconds as the Hub writes dates: ``2025-11-07T13:22:17.123Z``."""
    whole, frac = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{frac:03d}Z"


def account(accounts: Accounts, name: str) -> Body:
    """A user's or organization's overview (``owner``, ``authorData``).

    An organization's has the recorded key set (no ``isEnterprise``, which the Hub's OpenAPI
    types list but the live answer lacks); a user's adds ``isPro``.
    """
    user = accounts.users.get(name)
    org = accounts.orgs.get(name)
    if user is not None:
        kind, oid, fullname = "user", user.id, user.fullname
    elif org is not None:
        kind, oid, fullname = "org", org.id, org.fullname
    else:
        kind = "user" if name in seed_data.USER_NAMESPACES else "org"
        oid, fullname = object_id(f"{kind}:{name}"), seed_data.FULLNAMES.get(name, name)
    body: Body = {
        "_id": oid,
        "avatarUrl": f"https://cdn-avatars.huggingface.co/v1/production/uploads/{oid}/avatar.png",
        "fullname": fullname,
        "name": name,
        "type": kind,
    }
    if kind == "user":
        body["isPro"] = bool(user.is_pro) if user is not None else False
    body.update(
        followerCount=int(seed_data.hash_text(name) % 5000),
        isHf=False,
        isHfAdmin=False,
        isMod=False,
        isUserFollowing=False,
    )
    return body


def share_url(base: str, c: StoredCollection) -> str:
    """The collection's short public URL (without its id, as the Hub's ``shareUrl``)."""
    return f"{base}/collections/{c.namespace}/{slug_title(c.title)}"


def collection_body(
    hub: Collections, c: StoredCollection, viewer: Viewer, base: str, *, listing: bool = False
) -> Body:
    """A collection as ``GET /api/collections/{slug}`` (or, ``listing``, a listing) has it."""
    with hub.lock:
        items = []
        for position, item in enumerate(c.items):
            body = item_body(hub, item, position, viewer, base)
            if body is not None:
                items.append(body)
                if listing and len(items) >= LISTED_ITEMS:
                    break
        out: Body = {"slug": c.slug, "title": c.title}
        if c.description is not None:
            out["description"] = c.description
        out.update(
            gating=c.gating,
            lastUpdated=iso_ms(c.updated_ms),
            owner=account(hub.accounts, c.namespace),
            items=items,
            theme=c.theme,
            private=c.private,
        )
        if not listing:
            out.update(position=c.position, shareUrl=share_url(base, c))
        out.update(upvotes=c.upvotes, isUpvotedByUser=False)
        return out


def item_body(
    hub: Collections, item: Item, position: int, viewer: Viewer, base: str
) -> Body | None:
    """One item, or ``None`` when its target is gone or hidden from ``viewer``."""
    if item.type == "paper":
        paper = hub.paper_lookup(item.ref)
        if paper is None:
            return None
        body: Body = {"_id": item.object_id, "id": item.ref, "isUpvotedByUser": False}
        body.update(position=position, **paper, type="paper")
    elif item.type == "collection":
        target = hub.by_id(item.ref)
        if target is None or not hub.visible(target, viewer):
            return None
        body = {
            "_id": item.object_id,
            "id": target.id,
            "isUpvotedByUser": False,
            "lastUpdated": iso_ms(target.updated_ms),
            "numberItems": len(target.items),
            "owner": account(hub.accounts, target.namespace),
            "position": position,
            "shareUrl": share_url(base, target),
            "slug": target.slug,
            "theme": target.theme,
            "title": target.title,
            "type": "collection",
            "upvotes": target.upvotes,
        }
        if target.description is not None:
            body["description"] = target.description
    else:
        found = repo_body(hub, item.type, item.ref, viewer)
        if found is None:
            return None
        body = {"_id": item.object_id, **found, "position": position}
    if item.note:
        body["note"] = {"html": html.escape(item.note), "text": item.note}
    return dict(sorted(body.items()))


def repo_body(hub: Collections, kind: str, repo_id: str, viewer: Viewer) -> Body | None:
    """The fields of a repo item, or ``None`` if the repo is gone or hidden."""
    store = hub.stores[kind]
    ref = store.resolve(store.redirects.get(repo_id, repo_id))
    if ref is None or not store.visible(ref, viewer):
        return None
    full = store.expanded(ref)
    author = store.author(ref)
    body: Body = {
        "author": author,
        "id": store.repo_id(ref),
        "isLikedByUser": False,
        "lastModified": full.get("lastModified"),
        "likes": full.get("likes", 0),
        "private": bool(full.get("private", False)),
        "repoType": kind,
        "type": kind,
    }
    if kind != "space":
        body.update(downloads=full.get("downloads", 0), gated=full.get("gated", False))
    if kind == "model":
        body.update(authorData=account(hub.accounts, author), availableInferenceProviders=[])
        if full.get("pipeline_tag"):
            body["pipeline_tag"] = full["pipeline_tag"]
    elif kind == "dataset":
        body.update(
            datasetsServerInfo=_viewer_info(full),
            isBenchmark=False,
            isTraces=False,
        )
    else:
        body.update(_space_fields(full))
        body["authorData"] = account(hub.accounts, author)
    return body


def _viewer_info(full: Body) -> Body:
    tags = [str(t) for t in full.get("tags") or []]

    def tagged(prefix: str) -> list[str]:
        return [t.removeprefix(prefix) for t in tags if t.startswith(prefix)]

    return {
        "formats": tagged("format:"),
        "libraries": tagged("library:"),
        "modalities": tagged("modality:"),
        "numRows": int(seed_data.hash_text(str(full.get("id"))) % 5_000_000),
        "viewer": "viewer",
    }


def _space_fields(full: Body) -> Body:
    card = full.get("cardData") or {}
    runtime = full.get("runtime") or {}
    name = str(full.get("id", "")).rpartition("/")[2]
    return {
        "colorFrom": card.get("colorFrom", "blue"),
        "colorTo": card.get("colorTo", "green"),
        "createdAt": full.get("createdAt"),
        "disabled": bool(full.get("disabled", False)),
        "emoji": card.get("emoji", "🚀"),
        "featured": False,
        "pinned": bool(card.get("pinned", False)),
        "runtime": {
            "hardware": runtime.get("hardware", {"current": None, "requested": None}),
            "replicas": runtime.get("replicas", {"current": 1, "requested": 1}),
            "stage": runtime.get("stage", "RUNNING"),
        },
        "sdk": full.get("sdk", card.get("sdk", "gradio")),
        "tags": list(full.get("tags") or []),
        "title": card.get("title", name.replace("-", " ").replace("_", " ").title()),
        "trendingScore": full.get("trendingScore", 0),
        "visibility": "private" if full.get("private") else "public",
    }

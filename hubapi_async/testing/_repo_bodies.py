"""Info bodies of repos created or renamed at run time, one builder per kind.

A new repo looks like one just made on the Hub: one initial commit, no downloads or likes,
``createdAt == lastModified`` (now), ``.gitattributes`` as its only file (a Space also gets
the ``README.md`` whose front matter is its card, and a static Space its ``index.html`` and
``style.css``). Key order follows the generated bodies of the same kind (``_gen_*``), which
follow the recordings. Each builder returns ``(info, extra)``: the info body and the fields
only ``expand=`` or list items show.
"""

from __future__ import annotations

import secrets
import time
import zlib
from collections.abc import Callable
from typing import Any

from . import _vocab as V
from ._data import iso

Item = dict[str, Any]
#: ``(repo_id, private, sdk) -> (info, extra)``.
FreshBuilder = Callable[[str, bool, "str | None"], tuple[Item, Item]]


def _identity() -> tuple[str, str, str]:
    """``(_id, sha, now)`` of a repo created now (the ``_id`` starts with the time)."""
    now = time.time()
    return f"{int(now):08x}{secrets.token_hex(8)}", secrets.token_hex(20), iso(now)


def _files(*names: str) -> list[dict[str, str]]:
    return [{"rfilename": n} for n in names]


def fresh_model(repo_id: str, private: bool, sdk: str | None) -> tuple[Item, Item]:
    """An empty model repo."""
    object_id, sha, now = _identity()
    info: Item = {
        "_id": object_id,
        "id": repo_id,
        "private": private,
        "tags": ["region:us"],
        "downloads": 0,
        "likes": 0,
        "modelId": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "lastModified": now,
        "gated": False,
        "disabled": False,
        "model-index": None,
        "siblings": _files(".gitattributes"),
        "spaces": [],
        "createdAt": now,
        "usedStorage": 0,
    }
    extra = {
        "trendingScore": 0,
        "downloadsAllTime": 0,
        "childrenModelCount": 0,
        "xetEnabled": True,
        "gitalyUid": secrets.token_hex(32),
    }
    return info, extra


def fresh_dataset(repo_id: str, private: bool, sdk: str | None) -> tuple[Item, Item]:
    """An empty dataset repo."""
    object_id, sha, now = _identity()
    info: Item = {
        "_id": object_id,
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "lastModified": now,
        "private": private,
        "gated": False,
        "disabled": False,
        "downloads": 0,
        "likes": 0,
        "tags": ["region:us"],
        "createdAt": now,
        "siblings": _files(".gitattributes"),
        "usedStorage": 0,
    }
    extra = {
        "trendingScore": 0,
        "downloadsAllTime": 0,
        "mainSize": 0,
        "xetEnabled": True,
        "gitalyUid": secrets.token_hex(32),
    }
    return info, extra


def subdomain_of(repo_id: str) -> str:
    """The Space's ``*.hf.space`` subdomain (``user/My_App`` → ``user-my-app``)."""
    return repo_id.replace("/", "-").replace(".", "-").replace("_", "-").lower()


def fresh_space(repo_id: str, private: bool, sdk: str | None) -> tuple[Item, Item]:
    """A new Space: its README card, and for a static Space the two default files."""
    object_id, sha, now = _identity()
    sdk = sdk or "gradio"
    h = zlib.crc32(repo_id.encode())
    card: Item = {
        "title": repo_id.split("/")[1],
        "emoji": V.SPACE_EMOJIS[h & 7],
        "colorFrom": V.SPACE_COLORS[(h >> 3) & 7],
        "colorTo": V.SPACE_COLORS[(h >> 6) & 7],
        "sdk": sdk,
        "pinned": False,
    }
    if sdk in ("gradio", "streamlit"):
        card["sdk_version"] = "5.9.1" if sdk == "gradio" else "1.41.1"
        card["app_file"] = "app.py"
    static = sdk == "static"
    files = (".gitattributes", "README.md", *(("index.html", "style.css") if static else ()))
    subdomain = subdomain_of(repo_id)
    info: Item = {
        "_id": object_id,
        "id": repo_id,
        "author": repo_id.split("/")[0],
        "sha": sha,
        "lastModified": now,
        "private": private,
        "gated": False,
        "disabled": False,
        "host": f"https://{subdomain}.hf.space",
        "subdomain": subdomain,
        "likes": 0,
        "sdk": sdk,
        "tags": [sdk, "region:us"],
        "runtime": {
            "stage": "RUNNING" if static else "NO_APP_FILE",
            "hardware": {"current": None, "requested": "cpu-basic"},
            "storage": None,
            "gcTimeout": 172800,
            "replicas": {"current": 1, "requested": 1},
            "devMode": False,
            "domains": [{"domain": f"{subdomain}.hf.space", "stage": "READY"}],
        },
        "cardData": card,
        "siblings": _files(*files),
        "models": [],
        "datasets": [],
        "createdAt": now,
        "usedStorage": 0,
    }
    extra = {"trendingScore": 0, "region": "us", "xetEnabled": True}
    return info, {**extra, "gitalyUid": secrets.token_hex(32)}


def renamed(info: Item, new_id: str) -> Item:
    """``info`` of a repo moved to ``new_id``: its ids, author and Space host follow."""
    out = dict(info)
    out["id"] = new_id
    if "author" in out:
        out["author"] = new_id.split("/")[0]
    if "modelId" in out:
        out["modelId"] = new_id
    if "subdomain" in out:
        subdomain = subdomain_of(new_id)
        out["subdomain"] = subdomain
        out["host"] = f"https://{subdomain}.hf.space"
        runtime = out.get("runtime")
        if isinstance(runtime, dict) and "domains" in runtime:
            out["runtime"] = {
                **runtime,
                "domains": [{"domain": f"{subdomain}.hf.space", "stage": "READY"}],
            }
    return out

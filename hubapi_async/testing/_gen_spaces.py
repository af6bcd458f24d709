"""Generated spaces. No recording shows a space list item or info body: the keys follow
the official client's ``SpaceInfo`` attributes, the runtime the semantic-search fixture
(``spaces/semantic_search__hf-mcp-server_fixture``)."""

from __future__ import annotations

from typing import Any

from . import _vocab as V
from ._data import Generated, common_fields, gitaly_uid, iso

Item = dict[str, Any]


def space_tags(gen: Generated, idx: int) -> list[str]:
    """The tags of generated space ``idx``."""
    h = gen.h(idx)
    tags = [V.SPACE_SDKS[h & 15]]
    if (h >> 12) & 7 == 0:
        tags.append("mcp-server")
    tags.append("region:us")
    return tags


def space_list_item(gen: Generated, idx: int) -> Item:
    """The default ``/api/spaces`` item."""
    b = gen.basics(idx)
    return {
        "_id": f"{b.created:08x}{b.h:016x}",
        "id": b.id,
        "likes": b.likes,
        "trendingScore": b.trending,
        "private": b.private,
        "sdk": V.SPACE_SDKS[b.h & 15],
        "tags": space_tags(gen, idx),
        "createdAt": iso(b.created),
    }


def space_info(gen: Generated, idx: int) -> Item:
    """The full ``/api/spaces/{id}`` body (runtime shaped like the semantic-search fixture)."""
    h = gen.h(idx)
    c = common_fields(gen, idx)
    sdk = V.SPACE_SDKS[h & 15]
    hardware = V.SPACE_HARDWARE[(h >> 4) & 7]
    stage = V.SPACE_STAGES[(h >> 7) & 7]
    subdomain = c["id"].replace("/", "-").replace(".", "-").replace("_", "-").lower()
    files = {
        "gradio": ["app.py", "requirements.txt"],
        "streamlit": ["app.py", "requirements.txt"],
        "docker": ["Dockerfile", "app.py"],
        "static": ["index.html", "style.css"],
    }[sdk]
    card: Item = {
        "title": c["id"].split("/")[1].replace("-", " ").title(),
        "emoji": V.SPACE_EMOJIS[(h >> 16) & 7],
        "colorFrom": V.SPACE_COLORS[(h >> 19) & 7],
        "colorTo": V.SPACE_COLORS[(h >> 22) & 7],
        "sdk": sdk,
        "pinned": False,
        "license": V.LICENSE_TABLE[(h >> 25) & 15],
    }
    if sdk in ("gradio", "streamlit"):
        card["sdk_version"] = "5.9.1" if sdk == "gradio" else "1.41.1"
        card["app_file"] = "app.py"
    links = gen.links
    models = links.used_by_space("model", idx) if links else []
    datasets = links.used_by_space("dataset", idx) if links else []
    if models:
        card["models"] = models
    if datasets:
        card["datasets"] = datasets
    return {
        "_id": c["_id"],
        "id": c["id"],
        "author": c["author"],
        "sha": c["sha"],
        "lastModified": c["lastModified"],
        "private": c["private"],
        "gated": False,
        "disabled": False,
        "host": f"https://{subdomain}.hf.space",
        "subdomain": subdomain,
        "likes": c["likes"],
        "sdk": sdk,
        "tags": space_tags(gen, idx),
        "runtime": {
            "stage": stage,
            "hardware": {
                "current": hardware if stage == "RUNNING" else None,
                "requested": hardware,
            },
            "storage": None,
            "gcTimeout": 172800,
            "replicas": {"current": 1, "requested": 1},
            "devMode": False,
            "domains": [{"domain": f"{subdomain}.hf.space", "stage": "READY"}],
            "sha": c["sha"],
        },
        "cardData": card,
        "siblings": [{"rfilename": f} for f in sorted([".gitattributes", "README.md", *files])],
        "models": models,
        "datasets": datasets,
        "createdAt": c["createdAt"],
        "usedStorage": space_main_size(gen, idx),
    }


def space_expanded(gen: Generated, idx: int) -> Item:
    """Every field ``expand=`` may ask for on a space."""
    item = space_info(gen, idx)
    item["trendingScore"] = gen.field("trendingScore", idx)
    item["region"] = "us"
    item["xetEnabled"] = False
    item["gitalyUid"] = gitaly_uid(gen.h(idx))
    return item


def space_main_size(gen: Generated, idx: int) -> int:
    """Bytes of the Space's main branch (its ``usedStorage``)."""
    return 1024 + (gen.h(idx) & 0xFFFFFF)

"""Read commands: ``list``, ``info``, ``tags``, ``parquet`` and ``croissant``, as JSON Lines."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import HubClient, Paginator
from ._common import dump_line, open_client, plain, write_lines

__all__ = [
    "family",
    "list_kwargs",
    "run_croissant",
    "run_info",
    "run_list",
    "run_parquet",
    "run_tags",
]


def family(hub: HubClient, kind: str) -> Any:
    """``hub.models``, ``hub.datasets`` or ``hub.spaces`` for ``models``/``datasets``/``spaces``."""
    return {"models": hub.models, "datasets": hub.datasets, "spaces": hub.spaces}[kind]


def list_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The ``list(...)`` keywords given by the listing options."""
    return {
        "search": args.search,
        "author": args.author,
        "filter": args.filter or None,
        "sort": args.sort,
        "direction": args.direction,
        "limit": args.limit,
        "full": True if args.full else None,
        "expand": args.expand or None,
    }


async def run_list(args: argparse.Namespace) -> int:
    """``hubapi KIND list``: one JSON line per repo, streamed page by page."""
    out = sys.stdout
    async with open_client(args) as hub:
        paginator: Paginator[Any] = family(hub, args.kind).list(**list_kwargs(args))
        async with paginator:
            async for page in paginator.pages():
                write_lines(out, page.items)
                out.flush()
    return 0


async def run_info(args: argparse.Namespace) -> int:
    """``hubapi KIND info REPO_ID``: one JSON line."""
    async with open_client(args) as hub:
        info = await family(hub, args.kind).info(
            args.repo_id, args.revision, expand=args.expand or None
        )
    sys.stdout.write(dump_line(info).decode("utf-8"))
    return 0


async def run_tags(args: argparse.Namespace) -> int:
    """``hubapi KIND tags``: one JSON line per tag (``id``, ``label``, ``type``...)."""
    async with open_client(args) as hub:
        by_type = await family(hub, args.kind).tags_by_type()
    write_lines(
        sys.stdout,
        (
            {**plain(tag), "type": tag.type or group}
            for group, tags in by_type.items()
            for tag in tags
        ),
    )
    return 0


async def run_parquet(args: argparse.Namespace) -> int:
    """``hubapi datasets parquet REPO_ID [SUBSET [SPLIT]]``: one JSON line per shard."""
    async with open_client(args) as hub:
        if args.subset is None:
            by_subset = await hub.datasets.parquet(args.repo_id)
        elif args.split is None:
            by_subset = {args.subset: await hub.datasets.parquet(args.repo_id, args.subset)}
        else:
            urls = await hub.datasets.parquet(args.repo_id, args.subset, args.split)
            by_subset = {args.subset: {args.split: urls}}
    write_lines(
        sys.stdout,
        (
            {"subset": subset, "split": split, "n": n, "url": url}
            for subset, splits in by_subset.items()
            for split, urls in splits.items()
            for n, url in enumerate(urls)
        ),
    )
    return 0


async def run_croissant(args: argparse.Namespace) -> int:
    """``hubapi datasets croissant REPO_ID``: the JSON-LD document on one line."""
    async with open_client(args) as hub:
        doc = await hub.datasets.croissant(args.repo_id)
    sys.stdout.write(dump_line(doc).decode("utf-8"))
    return 0

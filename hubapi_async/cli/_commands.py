"""The tables of commands: what each one asks the Hub and how its answer is shown.

Every read command of ``hubapi`` is one :class:`ReadCommand` in :data:`READ_COMMANDS`,
every write command one :class:`WriteCommand` in :data:`WRITE_COMMANDS`; the parser, the
output (table, JSON Lines) and ``hubapi crawl`` are built from them. The repo families'
reads are here; every other family has its module (``_commands_<family>.py``). A new
endpoint family adds its entries to the tables and nothing else: a ``listing`` with a
``crawl_key`` is crawlable too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from ..types import DatasetInfo, ModelInfo, SpaceInfo, WhoAmI
from . import _commands_collections, _commands_orgs, _commands_papers, _commands_repos
from ._common import count_arg
from ._spec import Args, ReadCommand, WriteCommand
from ._spec import columns_of as _columns
from ._table import Column, column

if TYPE_CHECKING:
    from .. import HubClient

__all__ = [
    "MOVING_SORTS",
    "READ_COMMANDS",
    "WRITE_COMMANDS",
    "ReadCommand",
    "WriteCommand",
    "crawlable",
    "find_command",
]

# -- repo families --------------------------------------------------------------------------
_SINGULAR: Final = {"models": "model", "datasets": "dataset", "spaces": "Space"}

#: Sort keys whose values change while a crawl runs (items move between pages).
MOVING_SORTS: Final = frozenset(
    {"downloads", "likes", "trendingScore", "trending_score", "trending", "lastModified",
     "last_modified"}
)  # fmt: skip


def _repo_listing_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("listing")
    group.add_argument("--search", metavar="S", help="only repos whose id contains S")
    group.add_argument("--author", metavar="A", help="only repos of this user or organization")
    group.add_argument(
        "--filter",
        metavar="TAG",
        nargs="+",
        action="extend",
        help="only repos with every one of these tags (e.g. text-classification "
        "license:mit); repeatable",
    )
    group.add_argument(
        "--sort",
        metavar="KEY",
        help="sort by a property: downloads, likes, trendingScore, createdAt, lastModified",
    )
    group.add_argument(
        "--direction",
        type=int,
        choices=(-1, 1),
        help="-1 for descending (the Hub's default with --sort), 1 for ascending",
    )
    group.add_argument("--limit", metavar="N", type=count_arg, help="stop after N repos")
    group.add_argument(
        "--full", action="store_true", help="ask for every property (siblings, card data...)"
    )
    group.add_argument(
        "--expand",
        metavar="FIELD",
        nargs="+",
        action="extend",
        help="ask for exactly these properties (e.g. downloads likes); not with --full",
    )


def repo_list_params(args: Args) -> dict[str, Any]:
    """The query of a repo listing, as ``hub.models.list(...)`` would send it."""
    if args.expand and args.full:
        raise ValueError("--expand cannot be combined with --full: pick one")
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


def _info_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo_id", metavar="REPO_ID", help="namespace/name (or a legacy name)")
    parser.add_argument(
        "--revision", metavar="R", help="branch, tag, commit or refs/pr/N (default: main)"
    )
    parser.add_argument(
        "--expand", metavar="FIELD", nargs="+", action="extend", help="only these properties"
    )


def _family(hub: HubClient, group: str) -> Any:
    return {"models": hub.models, "datasets": hub.datasets, "spaces": hub.spaces}[group]


_ID = column("id", wire="id")
_AUTHOR = column("author", wire="author")
_DOWNLOADS = column("downloads", wire="downloads", numeric=True)
_LIKES = column("likes", wire="likes", numeric=True)
_TRENDING = column("trending", "trending_score", wire="trendingScore", numeric=True)
_CREATED = column("created", "created_at", wire="createdAt")
_UPDATED = column("updated", "last_modified", wire="lastModified")
_PRIVATE = column("private", wire="private")
_GATED = column("gated", wire="gated")
_TAGS = column("tags", wire="tags")

_REPO_COLUMNS: Final[dict[str, dict[str, Column]]] = {
    "models": _columns(
        _ID,
        _AUTHOR,
        _DOWNLOADS,
        _LIKES,
        column("pipeline", "pipeline_tag", wire="pipeline_tag"),
        column("library", "library_name", wire="library_name"),
        _TRENDING,
        _CREATED,
        _UPDATED,
        _PRIVATE,
        _GATED,
        _TAGS,
    ),
    "datasets": _columns(
        _ID, _AUTHOR, _DOWNLOADS, _LIKES, _TRENDING, _CREATED, _UPDATED, _PRIVATE, _GATED, _TAGS
    ),
    "spaces": _columns(
        _ID,
        _AUTHOR,
        _LIKES,
        column("sdk", wire="sdk"),
        _TRENDING,
        _CREATED,
        _UPDATED,
        _PRIVATE,
        _TAGS,
    ),
}
_REPO_DEFAULT_COLUMNS: Final = {
    "models": ("id", "downloads", "likes", "pipeline", "updated"),
    "datasets": ("id", "downloads", "likes", "updated"),
    "spaces": ("id", "likes", "sdk", "updated"),
}
_STRUCTS: Final = {"models": ModelInfo, "datasets": DatasetInfo, "spaces": SpaceInfo}


def _list_path(group: str) -> Callable[[HubClient, Args], str]:
    def path(hub: HubClient, args: Args) -> str:
        return f"/api/{group}"

    return path


def _info_path(group: str) -> Callable[[HubClient, Args], str]:
    def path(hub: HubClient, args: Args) -> str:
        info_path: str = _family(hub, group).info_path(args.repo_id, args.revision)
        return info_path

    return path


def _info_params(args: Args) -> dict[str, Any]:
    return {"expand": args.expand or None}


_STABLE: Final = {"sort": "createdAt", "direction": 1}
_REPO_CRAWL_ORDER: Final = """\
order: without --sort the crawl asks for sort=createdAt&direction=1: a repo's creation time
never changes, so no item moves between pages while the crawl runs, and repos created
meanwhile arrive at the end. Sorting by a key that moves (downloads, likes,
trendingScore, lastModified) can shift items across pages during a long crawl: an item
may then be listed twice (written once; the count is reported) or not at all."""


def _repo_commands(group: str) -> list[ReadCommand]:
    one = _SINGULAR[group]
    return [
        ReadCommand(
            group,
            "list",
            f"list {group} (a table on a terminal, else JSON Lines)",
            f"List {group}, page after page: a table on a terminal, JSON Lines (the Hub's "
            "own JSON for each item, one per line) when piped or with --json.",
            "listing",
            struct=_STRUCTS[group],
            path=_list_path(group),
            params=repo_list_params,
            columns=_REPO_COLUMNS[group],
            default_columns=_REPO_DEFAULT_COLUMNS[group],
            arguments=_repo_listing_options,
            expandable=True,
            crawl_key="id",
            stable_order=_STABLE,
            crawl_order=_REPO_CRAWL_ORDER,
        ),
        ReadCommand(
            group,
            "info",
            f"one {one}'s details",
            f"Everything the Hub knows about one {one} repo: a card on a terminal, the "
            "Hub's JSON on one line when piped or with --json.",
            "object",
            struct=_STRUCTS[group],
            path=_info_path(group),
            params=_info_params,
            arguments=_info_options,
        ),
    ]


async def _tag_rows(hub: HubClient, args: Args) -> list[dict[str, Any]]:
    by_type = await _family(hub, args.group).tags_by_type()
    return [
        {"id": tag.id, "label": tag.label, "type": tag.type or group, "sub_type": tag.sub_type}
        for group, tags in by_type.items()
        for tag in tags
    ]


def _tags_command(group: str) -> ReadCommand:
    one = _SINGULAR[group]
    return ReadCommand(
        group,
        "tags",
        f"every {one} tag, by type",
        f"Every {one} tag the Hub knows: id, label and type (one JSON line per tag "
        "when piped or with --json).",
        "rows",
        rows=_tag_rows,
        columns=_columns(column("id"), column("label"), column("type"), column("sub_type")),
        default_columns=("id", "label", "type"),
    )


def _parquet_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo_id", metavar="REPO_ID", help="the dataset")
    parser.add_argument("subset", metavar="SUBSET", nargs="?", help="only this subset")
    parser.add_argument("split", metavar="SPLIT", nargs="?", help="only this split")


async def _parquet_rows(hub: HubClient, args: Args) -> list[dict[str, Any]]:
    if args.subset is None:
        by_subset = await hub.datasets.parquet(args.repo_id)
    elif args.split is None:
        by_subset = {args.subset: await hub.datasets.parquet(args.repo_id, args.subset)}
    else:
        urls = await hub.datasets.parquet(args.repo_id, args.subset, args.split)
        by_subset = {args.subset: {args.split: urls}}
    return [
        {"subset": subset, "split": split, "n": n, "url": url}
        for subset, splits in by_subset.items()
        for split, urls in splits.items()
        for n, url in enumerate(urls)
    ]


def _croissant_path(hub: HubClient, args: Args) -> str:
    return hub.datasets.info_path(args.repo_id) + "/croissant"


def _repo_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo_id", metavar="REPO_ID", help="the dataset")


def _whoami_path(hub: HubClient, args: Args) -> str:
    return "/api/whoami-v2"


#: Every read command, in the order ``--help`` lists them.
READ_COMMANDS: Final[tuple[ReadCommand, ...]] = (
    *_repo_commands("models"),
    _tags_command("models"),
    *_repo_commands("datasets"),
    _tags_command("datasets"),
    ReadCommand(
        "datasets",
        "parquet",
        "URLs of the auto-converted parquet shards",
        "The dataset's parquet shards: subset, split, n and url (one JSON line per shard "
        "when piped or with --json).",
        "rows",
        rows=_parquet_rows,
        columns=_columns(
            column("subset"), column("split"), column("n", numeric=True), column("url")
        ),
        default_columns=("subset", "split", "n", "url"),
        arguments=_parquet_options,
    ),
    ReadCommand(
        "datasets",
        "croissant",
        "Croissant (JSON-LD) metadata",
        "The dataset's Croissant metadata, as the Hub sent it, on one line.",
        "object",
        path=_croissant_path,
        arguments=_repo_id_argument,
        card=False,
    ),
    *_repo_commands("spaces"),
    *_commands_collections.READ,
    *_commands_papers.READ,
    *_commands_orgs.READ,
    ReadCommand(
        None,
        "whoami",
        "the account behind the token",
        "The user the token belongs to, with its organizations: a card on a terminal, "
        "the Hub's JSON when piped or with --json.",
        "object",
        struct=WhoAmI,
        path=_whoami_path,
    ),
)


#: Every write command, in the order ``--help`` lists them.
WRITE_COMMANDS: Final[tuple[WriteCommand, ...]] = (
    *_commands_repos.WRITE,
    *_commands_collections.WRITE,
)


def find_command(words: tuple[str, ...]) -> ReadCommand | WriteCommand:
    """The command named by ``words`` (``KeyError`` if none)."""
    every: tuple[ReadCommand | WriteCommand, ...] = (*READ_COMMANDS, *WRITE_COMMANDS)
    for cmd in every:
        if cmd.words == words:
            return cmd
    raise KeyError(words)


def crawlable() -> dict[str, ReadCommand]:
    """The listings ``hubapi crawl`` accepts, by kind (``models``, ``org-members``...)."""
    return {cmd.kind: cmd for cmd in READ_COMMANDS if cmd.shape == "listing" and cmd.crawl_key}

"""Commands of the collections family: ``hubapi collections list|get`` and the writes
(``create``, ``update``, ``delete``, ``add-item``, ``update-item``, ``delete-item``)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

from .._resources._collections import ITEM_TYPES
from .._validation import validate_collection_slug
from ..types import Collection, CollectionItem
from ._common import count_arg
from ._spec import Args, ReadCommand, WriteCommand, columns_of
from ._table import column, computed

if TYPE_CHECKING:
    from .. import HubClient, Paginator

__all__ = ["READ", "WRITE"]


# -- reads ----------------------------------------------------------------------------------
def _list_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("listing")
    group.add_argument(
        "--owner",
        metavar="NAME",
        nargs="+",
        action="extend",
        help="only collections of these users or organizations; repeatable",
    )
    group.add_argument(
        "--item",
        metavar="TYPE/ID",
        nargs="+",
        action="extend",
        help="only collections holding this item: models/google/gemma-2b, "
        "datasets/rajpurkar/squad, papers/2311.12983; repeatable",
    )
    group.add_argument(
        "--sort", metavar="KEY", help="trending (the Hub's default), lastModified or upvotes"
    )
    group.add_argument(
        "--q", "--search", dest="q", metavar="TEXT", help="only titles or descriptions with TEXT"
    )
    group.add_argument("--limit", metavar="N", type=count_arg, help="stop after N collections")


def _list_params(args: Args) -> dict[str, Any]:
    return {
        "owner": args.owner or None,
        "item": args.item or None,
        "sort": args.sort,
        "q": args.q,
        "limit": args.limit,
    }


def _list(hub: HubClient, args: Args) -> Paginator[Any]:
    return hub.collections.list(**_list_params(args))


def _slug_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "slug", metavar="SLUG", help="the collection's slug: namespace/title-<24 hex digits>"
    )


def _owner(c: Collection) -> str | None:
    return c.owner.name if c.owner else None


_COLLECTION_COLUMNS: Final = columns_of(
    column("slug"),
    column("title"),
    computed("owner", _owner),
    column("upvotes", numeric=True),
    column("updated", "last_updated"),
    column("private"),
    column("theme"),
    column("description"),
)


def _collection_card(c: Collection) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "title": c.title,
        "description": c.description,
        "owner": _owner(c),
        "upvotes": c.upvotes,
        "private": c.private,
        "theme": c.theme,
        "updated": c.last_updated,
        "url": c.share_url,
        "items": len(c.items or ()),
    }


def _note(item: CollectionItem) -> str | None:
    return item.note.text if item.note else None


_ITEM_COLUMNS: Final = columns_of(
    column("position", numeric=True),
    column("type"),
    column("id"),
    column("object_id"),
    computed("note", _note),
    column("likes", numeric=True),
    column("downloads", numeric=True),
    column("upvotes", numeric=True),
    column("updated", "last_modified"),
    column("title"),
)

_LIST_DESCRIPTION: Final = """\
List collections, page after page: a table on a terminal, JSON Lines (the Hub's own
JSON for each collection, one per line) when piped or with --json. A listed collection
carries at most 4 of its items: `hubapi collections get SLUG` has them all.

Not crawlable with `hubapi crawl`: every order the Hub offers for collections
(trending, lastModified, upvotes) moves while a long read runs, so collections would
slip between pages; read a bounded listing with --owner, --item, --q or --limit."""

READ: Final[tuple[ReadCommand, ...]] = (
    ReadCommand(
        "collections",
        "list",
        "list collections (a table on a terminal, else JSON Lines)",
        _LIST_DESCRIPTION,
        "listing",
        struct=Collection,
        listing=_list,
        params=_list_params,
        columns=_COLLECTION_COLUMNS,
        default_columns=("slug", "upvotes", "updated", "title"),
        arguments=_list_options,
    ),
    ReadCommand(
        "collections",
        "get",
        "one collection with all its items",
        "One collection: a card and a table of every item on a terminal (--columns "
        "chooses the item columns; object_id names an item for update-item and "
        "delete-item); the Hub's JSON on one line when piped or with --json.",
        "object",
        struct=Collection,
        fetch=lambda hub, args: hub.collections.get(args.slug),
        card_fields=_collection_card,
        table_rows=lambda c: c.items or (),
        columns=_ITEM_COLUMNS,
        default_columns=("type", "id", "object_id", "note"),
        arguments=_slug_argument,
    ),
)


# -- writes ---------------------------------------------------------------------------------
def _check_slug(args: Args) -> None:
    validate_collection_slug(args.slug)


def _create_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("title", metavar="TITLE", help="the collection's title")
    parser.add_argument(
        "--namespace", metavar="NAME", help="a user or organization (default: the token's user)"
    )
    parser.add_argument("--description", metavar="TEXT", help="a description (150 characters)")
    parser.add_argument("--private", action="store_true", help="visible only to its owner")
    parser.add_argument(
        "--item",
        nargs=2,
        metavar=("ITEM_ID", "ITEM_TYPE"),
        help=f"a first item: its id and type ({', '.join(ITEM_TYPES)})",
    )
    parser.add_argument(
        "--exist-ok",
        action="store_true",
        help="a collection with this title already there is success (it is printed)",
    )


def _create(hub: HubClient, args: Args) -> Any:
    item_id, item_type = args.item if args.item else (None, None)
    return hub.collections.create(
        title=args.title,
        namespace=args.namespace,
        description=args.description,
        private=True if args.private else None,
        item_id=item_id,
        item_type=item_type,
        exist_ok=args.exist_ok,
    )


def _visibility_options(parser: argparse.ArgumentParser) -> None:
    visibility = parser.add_mutually_exclusive_group()
    visibility.add_argument(
        "--private", dest="private", action="store_const", const=True, help="make it private"
    )
    visibility.add_argument(
        "--public", dest="private", action="store_const", const=False, help="make it public"
    )


def _update_options(parser: argparse.ArgumentParser) -> None:
    _slug_argument(parser)
    parser.add_argument("--title", metavar="TEXT", help="a new title (the slug follows it)")
    parser.add_argument("--description", metavar="TEXT", help="a new description")
    parser.add_argument(
        "--position", metavar="N", type=count_arg, help="its place on the owner's profile"
    )
    _visibility_options(parser)
    parser.add_argument("--theme", metavar="COLOR", help="orange, blue, green, purple, pink...")


def _update(hub: HubClient, args: Args) -> Any:
    return hub.collections.update(
        args.slug,
        title=args.title,
        description=args.description,
        position=args.position,
        private=args.private,
        theme=args.theme,
    )


def _delete_options(parser: argparse.ArgumentParser) -> None:
    _slug_argument(parser)
    parser.add_argument(
        "--missing-ok", action="store_true", help="a collection already gone is success"
    )


async def _delete(hub: HubClient, args: Args) -> None:
    await hub.collections.delete(args.slug, missing_ok=args.missing_ok)


def _add_item_options(parser: argparse.ArgumentParser) -> None:
    _slug_argument(parser)
    parser.add_argument(
        "item_id", metavar="ITEM_ID", help="a repo id, an arXiv id, or a collection's slug"
    )
    parser.add_argument("item_type", metavar="ITEM_TYPE", choices=ITEM_TYPES, help="its type")
    parser.add_argument("--note", metavar="TEXT", help="a note on the item (500 characters)")
    parser.add_argument("--exist-ok", action="store_true", help="an item already there is success")


def _add_item(hub: HubClient, args: Args) -> Any:
    return hub.collections.add_item(
        args.slug, args.item_id, args.item_type, note=args.note, exist_ok=args.exist_ok
    )


def _item_argument(parser: argparse.ArgumentParser) -> None:
    _slug_argument(parser)
    parser.add_argument(
        "item_object_id",
        metavar="ITEM_OBJECT_ID",
        help="the item's id in the collection (the object_id column of `collections get`)",
    )


def _update_item_options(parser: argparse.ArgumentParser) -> None:
    _item_argument(parser)
    parser.add_argument("--note", metavar="TEXT", help="a new note")
    parser.add_argument(
        "--position", metavar="N", type=count_arg, help="move it there (the others shift)"
    )


async def _update_item(hub: HubClient, args: Args) -> None:
    await hub.collections.update_item(
        args.slug, args.item_object_id, note=args.note, position=args.position
    )


def _delete_item_options(parser: argparse.ArgumentParser) -> None:
    _item_argument(parser)
    parser.add_argument("--missing-ok", action="store_true", help="an item already gone is success")


async def _delete_item(hub: HubClient, args: Args) -> None:
    await hub.collections.delete_item(args.slug, args.item_object_id, missing_ok=args.missing_ok)


def _where(result: Collection) -> str:
    return f"{result.slug} ({result.share_url})" if result.share_url else result.slug


def _given(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


WRITE: Final[tuple[WriteCommand, ...]] = (
    WriteCommand(
        "collections",
        "create",
        "create a collection",
        "Create a collection in your namespace (or --namespace, an organization you may "
        "write to) and print it: its slug on a terminal, the Hub's JSON answer when piped "
        "or with --json.",
        _create_options,
        _create,
        lambda args, c, fresh: (
            f"created collection {_where(c)}" if fresh else f"collection exists: {_where(c)}"
        ),
        struct=Collection,
    ),
    WriteCommand(
        "collections",
        "update",
        "change a collection's title, description, position, visibility or theme",
        "Change a collection's metadata (only the options given) and print it; a new "
        "title changes the slug's title part.",
        _update_options,
        _update,
        lambda args, c, fresh: f"updated collection {_where(c)}",
        struct=Collection,
        check=_check_slug,
    ),
    WriteCommand(
        "collections",
        "delete",
        "delete a collection, for good",
        "Delete a collection for good (its items' repos and papers stay). Asks first on a "
        "terminal; --yes skips the question and is required when stdin is not a terminal.",
        _delete_options,
        _delete,
        lambda args, _, fresh: (
            f"deleted collection {args.slug}"
            if fresh
            else f"no collection {args.slug}: none deleted"
        ),
        outcome=lambda args, fresh: {"slug": args.slug, "deleted": fresh},
        check=_check_slug,
        confirm=lambda args: f"Delete collection {args.slug} for good?",
    ),
    WriteCommand(
        "collections",
        "add-item",
        "add a model, dataset, Space, paper or collection to a collection",
        "Add an item at the end of a collection and print the collection.",
        _add_item_options,
        _add_item,
        lambda args, c, fresh: (
            f"added {args.item_type} {args.item_id} to {_where(c)}"
            if fresh
            else f"{args.item_type} {args.item_id} is already in {_where(c)}"
        ),
        struct=Collection,
        check=_check_slug,
    ),
    WriteCommand(
        "collections",
        "update-item",
        "change an item's note or position",
        "Change the note of an item, or move it (the others shift).",
        _update_item_options,
        _update_item,
        lambda args, _, fresh: f"updated item {args.item_object_id} of {args.slug}",
        outcome=lambda args, fresh: {
            "slug": args.slug,
            "item_object_id": args.item_object_id,
            **_given(note=args.note, position=args.position),
        },
        check=_check_slug,
    ),
    WriteCommand(
        "collections",
        "delete-item",
        "remove an item from a collection",
        "Remove an item (named by its object_id) from a collection.",
        _delete_item_options,
        _delete_item,
        lambda args, _, fresh: (
            f"removed item {args.item_object_id} from {args.slug}"
            if fresh
            else f"no item {args.item_object_id} in {args.slug}: none removed"
        ),
        outcome=lambda args, fresh: {
            "slug": args.slug,
            "item_object_id": args.item_object_id,
            "deleted": fresh,
        },
        check=_check_slug,
    ),
)

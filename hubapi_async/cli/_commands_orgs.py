"""Read commands of organizations: ``hubapi orgs members`` and ``hubapi resource-groups``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final

from .._validation import validate_namespace
from ..types import OrgMember, ResourceGroup
from ._common import count_arg
from ._spec import Args, ReadCommand, columns_of
from ._table import column, computed

if TYPE_CHECKING:
    from .. import HubClient, Paginator

__all__ = ["READ"]


def _org_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("org", metavar="ORG", help="the organization's name")


def _members_options(parser: argparse.ArgumentParser) -> None:
    _org_argument(parser)
    group = parser.add_argument_group("listing")
    group.add_argument("--search", metavar="S", help="only members whose user or full name has S")
    group.add_argument(
        "--email", metavar="ADDRESS", help="the member with this e-mail (the org's own domains)"
    )
    group.add_argument("--limit", metavar="N", type=count_arg, help="stop after N members")


def _members_params(args: Args) -> dict[str, Any]:
    return {"search": args.search, "email": args.email, "limit": args.limit}


def _members(hub: HubClient, args: Args) -> Paginator[Any]:
    return hub.organizations.members(args.org, **_members_params(args))


def _org_of(args: Args) -> str:
    return validate_namespace(args.org, "organization name")


def _group_names(member: OrgMember) -> list[str]:
    return [g.name or g.id for g in member.resource_groups or ()]


_MEMBER_COLUMNS: Final = columns_of(
    column("user", "username", wire="user"),
    column("fullname"),
    column("role"),
    column("type"),
    column("pro", "is_pro"),
    computed("groups", _group_names),
    column("two_fa", "two_fa_enabled"),
    column("email", "verified_email"),
    column("external", "is_external_collaborator"),
    column("object_id", "id"),
)

_MEMBERS_CRAWL_ORDER: Final = """\
order: members come in the order they joined the organization, the only order this
listing has; it does not move while the crawl runs, and members who join meanwhile
arrive at the end. Each member is written once (keyed by user name; one listed twice is
counted). What a line holds beyond the public profile depends on the token: the role
and resource groups for members of the organization, 2FA and SSO e-mail for admins."""


def _auto_join(group: ResourceGroup) -> str | None:
    if group.auto_join is None:
        return None
    return (group.auto_join.role or "on") if group.auto_join.enabled else "off"


def _group_card(group: ResourceGroup) -> dict[str, Any]:
    repos = [f"{r.repo_id} ({r.type})" if r.type else r.repo_id for r in group.repos or ()]
    return {
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "auto_join": _auto_join(group),
        "users": len(group.users or ()),
        "repos": f"({len(repos)}) " + ", ".join(repos) if repos else "(0)",
    }


_GROUP_COLUMNS: Final = columns_of(
    column("id"),
    column("name"),
    computed("users", lambda g: len(g.users or ()), numeric=True),
    computed("repos", lambda g: len(g.repos or ()), numeric=True),
    computed("auto_join", _auto_join),
    column("description"),
)

_GROUP_USER_COLUMNS: Final = columns_of(
    column("user", "username"),
    column("role"),
    column("added_by"),
    column("fullname"),
    column("type"),
)


def _groups_arguments(parser: argparse.ArgumentParser) -> None:
    _org_argument(parser)


def _group_arguments(parser: argparse.ArgumentParser) -> None:
    _org_argument(parser)
    parser.add_argument("group_id", metavar="GROUP_ID", help="the group's id (24 hex digits)")


READ: Final[tuple[ReadCommand, ...]] = (
    ReadCommand(
        "orgs",
        "members",
        "an organization's members",
        "The members of an organization, page after page, in the order they joined: a "
        "table on a terminal, JSON Lines (the Hub's own JSON for each member) when piped "
        "or with --json. Members see each other's roles; a whole listing goes to a file "
        "with `hubapi crawl org-members ORG --out FILE`.",
        "listing",
        struct=OrgMember,
        listing=_members,
        params=_members_params,
        columns=_MEMBER_COLUMNS,
        default_columns=("user", "fullname", "role"),
        arguments=_members_options,
        crawl_key="user",
        crawl_attr="username",
        crawl_kind="org-members",
        crawl_target=_org_of,
        crawl_order=_MEMBERS_CRAWL_ORDER,
    ),
    ReadCommand(
        "resource-groups",
        "list",
        "an organization's resource groups",
        "The resource groups of an organization (an Enterprise feature) the token may "
        "see: a table on a terminal (id, name, member and repo counts, auto-join), JSON "
        "Lines (the Hub's JSON for each group) when piped or with --json. Needs a token.",
        "items",
        struct=ResourceGroup,
        fetch=lambda hub, args: hub.resource_groups.list(args.org),
        columns=_GROUP_COLUMNS,
        default_columns=("id", "name", "users", "repos", "auto_join"),
        arguments=_groups_arguments,
    ),
    ReadCommand(
        "resource-groups",
        "get",
        "one resource group, its members and repos",
        "One resource group: a card (name, description, auto-join, repos) and a table of "
        "its members and their roles on a terminal; the Hub's JSON on one line when "
        "piped or with --json.",
        "object",
        struct=ResourceGroup,
        fetch=lambda hub, args: hub.resource_groups.get(args.org, args.group_id),
        card_fields=_group_card,
        table_rows=lambda group: group.users or (),
        columns=_GROUP_USER_COLUMNS,
        default_columns=("user", "role", "added_by"),
        arguments=_group_arguments,
    ),
)

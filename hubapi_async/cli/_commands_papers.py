"""Read commands of the papers family: ``hubapi papers info|repos|daily``."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from ..types import DailyPaper, PaperInfo, PaperRepos
from ._common import count_arg
from ._spec import Args, ReadCommand, columns_of
from ._table import column, computed

if TYPE_CHECKING:
    from .. import HubClient, Paginator

__all__ = ["READ"]


def _arxiv_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "arxiv_id", metavar="ARXIV_ID", help="an arXiv id: 2307.09288, 2307.09288v2, hep-th/9901001"
    )


def _names(values: Sequence[Any] | None) -> list[str]:
    return [v.name for v in values or () if getattr(v, "name", None)]


def _linked(repos: Sequence[Any] | None, total: int | None) -> str | None:
    """``(12) google/a, google/b, …``: how many repos cite the paper, and the first ones."""
    ids = [r.id for r in repos or ()]
    count = total if total is not None else len(ids)
    if not count:
        return None
    more = ", …" if count > len(ids) else ""
    return f"({count:,}) " + ", ".join(ids) + more


def _paper_card(p: PaperInfo) -> dict[str, Any]:
    github = p.github_repo
    if github and p.github_stars is not None:
        github = f"{github} ({p.github_stars:,} stars)"
    return {
        "id": p.id,
        "title": p.title,
        "authors": _names(p.authors),
        "published": p.published_at,
        "on_daily": p.submitted_on_daily_at,
        "submitted_by": p.submitted_on_daily_by.name if p.submitted_on_daily_by else None,
        "organization": p.organization.name if p.organization else None,
        "upvotes": p.upvotes,
        "comments": p.num_comments,
        "github": github,
        "project_page": p.project_page,
        "keywords": p.ai_keywords,
        "ai_summary": p.ai_summary,
        "summary": p.summary,
        "models": _linked(p.linked_models, p.num_total_models),
        "datasets": _linked(p.linked_datasets, p.num_total_datasets),
        "spaces": _linked(p.linked_spaces, p.num_total_spaces),
    }


def _citing_rows(value: PaperRepos) -> Iterable[dict[str, Any]]:
    for kind, repos in (
        ("model", value.models),
        ("dataset", value.datasets),
        ("space", value.spaces),
    ):
        for repo in repos or ():
            yield {
                "type": kind,
                "id": repo.id,
                "likes": repo.likes,
                "downloads": getattr(repo, "downloads", None),
                "updated": repo.last_modified,
                "created": repo.created_at,
            }


def _daily_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("listing")
    period = group.add_mutually_exclusive_group()
    period.add_argument("--date", metavar="YYYY-MM-DD", help="the papers of one day")
    period.add_argument("--week", metavar="YYYY-Www", help="the papers of one ISO week")
    period.add_argument("--month", metavar="YYYY-MM", help="the papers of one month")
    group.add_argument("--submitter", metavar="USER", help="only papers this user submitted")
    group.add_argument(
        "--sort", metavar="KEY", help="publishedAt (the Hub's default, newest first) or trending"
    )
    group.add_argument("--limit", metavar="N", type=count_arg, help="stop after N papers")


def _daily_params(args: Args) -> dict[str, Any]:
    return {
        "date": args.date,
        "week": args.week,
        "month": args.month,
        "submitter": args.submitter,
        "sort": args.sort,
        "limit": args.limit,
    }


def _daily(hub: HubClient, args: Args) -> Paginator[Any]:
    return hub.papers.daily(**_daily_params(args))


_DAILY_COLUMNS: Final = columns_of(
    computed("id", lambda d: d.paper.id),
    computed("upvotes", lambda d: d.paper.upvotes, numeric=True),
    column("comments", "num_comments", numeric=True),
    column("published", "published_at"),
    computed("submitted", lambda d: d.paper.submitted_on_daily_at),
    computed("submitter", lambda d: d.submitted_by.name),
    computed("organization", lambda d: d.organization.name),
    computed("github", lambda d: d.paper.github_repo),
    computed("stars", lambda d: d.paper.github_stars, numeric=True),
    computed("title", lambda d: d.title or d.paper.title),
)

_CITING_COLUMNS: Final = columns_of(
    column("type"),
    column("id"),
    column("likes", numeric=True),
    column("downloads", numeric=True),
    column("created"),
    column("updated"),
)

_DAILY_DESCRIPTION: Final = """\
Daily Papers, newest first (or --sort trending), page after page: a table on a
terminal, JSON Lines (the Hub's own JSON for each entry, one per line) when piped or
with --json. Without --limit every daily paper ever listed is read.

Not crawlable with `hubapi crawl`: the Hub pages Daily Papers by page number, newest
first, so every paper submitted while a long read runs pushes the others one place
down (and an entry removed pulls them up): no order this listing offers stays put.
A past --date, --week or --month is a fixed set, small enough for
`hubapi papers daily --month 2025-02 --json > papers.jsonl`."""

READ: Final[tuple[ReadCommand, ...]] = (
    ReadCommand(
        "papers",
        "info",
        "one paper's page",
        "A paper page: title, authors, dates, upvotes, links and the first repos citing "
        "it. A card on a terminal; the Hub's JSON on one line when piped or with --json.",
        "object",
        struct=PaperInfo,
        fetch=lambda hub, args: hub.papers.info(args.arxiv_id),
        card_fields=_paper_card,
        arguments=_arxiv_argument,
    ),
    ReadCommand(
        "papers",
        "repos",
        "every model, dataset and Space citing a paper",
        "Every repo citing the paper (a table on a terminal: type, id, likes, downloads); "
        "the Hub's JSON answer ({models, datasets, spaces}) on one line when piped or "
        "with --json. A paper nobody cites gives an empty table.",
        "object",
        struct=PaperRepos,
        fetch=lambda hub, args: hub.papers.repos(args.arxiv_id),
        table_rows=_citing_rows,
        columns=_CITING_COLUMNS,
        default_columns=("type", "id", "likes", "downloads"),
        arguments=_arxiv_argument,
    ),
    ReadCommand(
        "papers",
        "daily",
        "Daily Papers (a table on a terminal, else JSON Lines)",
        _DAILY_DESCRIPTION,
        "listing",
        struct=DailyPaper,
        listing=_daily,
        params=_daily_params,
        columns=_DAILY_COLUMNS,
        default_columns=("id", "upvotes", "comments", "published", "title"),
        arguments=_daily_options,
    ),
)

"""Routes of the papers family: paper pages, the repos citing a paper, Daily Papers.

``/api/daily_papers`` pages by number like the Hub: ``p`` (from 0) and ``limit`` (1-100,
default 50), no ``Link`` header (unless ``Papers.link_header`` is set). An old-style arXiv
id (``hep-th/9711200``) is accepted both as one percent-encoded segment and as two raw
segments (what the official client sends). A malformed id is a 400, an unknown paper the
Hub's 404 ``Paper not found``; an unknown but well-formed id has no citing repos (empty
lists), as on the Hub.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

from aiohttp import web

from ._responses import encode, json_response
from ._router import BadRequest, Ctx, HubReply, Route
from ._state_papers import LINKED_MAX, DailyQuery

_NEW: Final = re.compile(r"[0-9]{2}(?:0[1-9]|1[0-2])\.[0-9]{4,5}(?:v[1-9][0-9]*)?")
_OLD: Final = re.compile(
    r"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?/[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{3}"
    r"(?:v[1-9][0-9]*)?"
)
#: One segment, or two for a raw old-style id (no braces: the route syntax reserves them).
_ID: Final = r"[^/]+(?:/[^/]+)?"
_SORTS: Final = ("publishedAt", "trending")
_MAX_LIMIT: Final = 100
_DEFAULT_LIMIT: Final = 50


def _arxiv_id(ctx: Ctx) -> str:
    arxiv_id = ctx.params["arxiv_id"]
    if _NEW.fullmatch(arxiv_id) is None and _OLD.fullmatch(arxiv_id) is None:
        raise BadRequest(f'"{arxiv_id}" is not a valid arXiv id')
    return arxiv_id


async def paper_info(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/papers/{arxiv_id}``: the paper, with the first repos citing it."""
    papers = ctx.server.papers
    record = papers.record(_arxiv_id(ctx))
    if record is None:
        raise HubReply(404, "Paper not found")
    body = papers.paper_body(record)
    citing = papers.citing(record.id, ctx.viewer)
    for kind, key in (("model", "Models"), ("dataset", "Datasets"), ("space", "Spaces")):
        items = citing[kind]
        body[f"linked{key}"] = items[:LINKED_MAX]
        if kind != "space":  # the Hub's answer carries no numTotalSpaces
            body[f"numTotal{key}"] = len(items)
    return json_response(encode(body))


async def paper_repos(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/arxiv/{arxiv_id}/repos``: every model, dataset and Space citing it."""
    citing = ctx.server.papers.citing(_arxiv_id(ctx), ctx.viewer)
    body = {"models": citing["model"], "datasets": citing["dataset"], "spaces": citing["space"]}
    return json_response(encode(body))


def _int(ctx: Ctx, name: str, default: int, low: int, high: int | None) -> int:
    raw = ctx.request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise BadRequest(f'Invalid "{name}" parameter: expected an integer {bound}, got "{raw}"')
    return value


def _period(ctx: Ctx) -> tuple[str, str] | None:
    q = ctx.request.query
    given = [(name, q[name]) for name in ("date", "week", "month") if name in q]
    if len(given) > 1:
        raise BadRequest('Only one of "date", "week" and "month" can be given')
    if not given:
        return None
    name, value = given[0]
    try:
        if name == "date":
            ok = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) is not None
            ok = ok and dt.date.fromisoformat(value) is not None
        elif name == "week":
            m = re.fullmatch(r"([0-9]{4})-W([0-9]{2})", value)
            ok = m is not None and bool(dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
        else:
            m = re.fullmatch(r"([0-9]{4})-([0-9]{2})", value)
            ok = m is not None and 1 <= int(m[2]) <= 12
    except ValueError:
        ok = False
    if not ok:
        forms = {"date": "YYYY-MM-DD", "week": "YYYY-Www", "month": "YYYY-MM"}
        raise BadRequest(f'Invalid "{name}" parameter: expected {forms[name]}, got "{value}"')
    return name, value


def parse_daily_query(ctx: Ctx) -> DailyQuery:
    """Read the ``/api/daily_papers`` parameters (400 for a bad one)."""
    sort = ctx.request.query.get("sort") or "publishedAt"
    if sort not in _SORTS:
        raise BadRequest(f'Invalid "sort" parameter: expected one of {", ".join(_SORTS)}')
    return DailyQuery(
        page=_int(ctx, "p", 0, 0, None),
        limit=_int(ctx, "limit", _DEFAULT_LIMIT, 1, _MAX_LIMIT),
        period=_period(ctx),
        submitter=ctx.request.query.get("submitter") or None,
        sort=sort,
    )


async def daily_papers(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/daily_papers``: page ``p`` of ``limit`` daily papers."""
    query = parse_daily_query(ctx)
    papers = ctx.server.papers
    rows = papers.daily_records(query)
    start = query.page * query.limit
    page = rows[start : start + query.limit]
    resp = json_response(b"[" + b",".join(papers.daily_item(r) for r in page) + b"]")
    if papers.link_header and len(rows) > start + query.limit:
        kept = [
            part
            for part in ctx.request.query_string.split("&")
            if part and part.partition("=")[0] not in ("p", "limit", "sort")
        ]
        head = [f"p={query.page + 1}", f"limit={query.limit}", f"sort={query.sort}"]
        resp.headers["Link"] = f'</api/daily_papers?{"&".join(head + kept)}>; rel="next"'
    return resp


ROUTES: Final = [
    Route("GET", "/api/daily_papers", daily_papers),
    Route("GET", f"/api/papers/{{arxiv_id:{_ID}}}", paper_info),
    Route("GET", f"/api/arxiv/{{arxiv_id:{_ID}}}/repos", paper_repos),
]

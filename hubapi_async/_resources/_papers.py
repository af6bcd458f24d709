"""``hub.papers``: paper pages, the repos citing a paper, and Daily Papers.

``/api/daily_papers`` pages by number (``p=0, 1, 2...``, ``limit`` papers per page) and
sends no ``Link`` header, so :meth:`Papers.daily` walks the page numbers itself: it stops
at the first page shorter than the page size (or empty), and follows a ``Link`` instead if
the Hub ever sends one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from .._options import Timeout
from .._pagination import NextPage, Paginator
from .._response import Response
from .._validation import quote_segment, validate_arxiv_id, validate_namespace
from ..errors import PaginationError
from ..types import DailyPaper, PaperInfo, PaperRepos
from ._base import Resource

__all__ = ["DAILY_MAX_PAGE_SIZE", "Papers", "next_page_number"]

#: The largest page ``/api/daily_papers`` serves (its ``limit`` is 1 to 100).
DAILY_MAX_PAGE_SIZE: Final = 100
#: The Hub's page size when a request names none.
_DAILY_DEFAULT_LIMIT: Final = 50

_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEK: Final = re.compile(r"([0-9]{4})-W([0-9]{2})")
_MONTH: Final = re.compile(r"([0-9]{4})-([0-9]{2})")


def _arxiv_segment(arxiv_id: object) -> str:
    # Old-style ids (``hep-th/9901001``) travel as one segment: ``hep-th%2F9901001``.
    return quote_segment(validate_arxiv_id(arxiv_id))


def _query_pairs(url: str) -> tuple[str, list[str]]:
    base, _, query = url.partition("?")
    return base, [part for part in query.split("&") if part]


def _query_int(url: str, key: str) -> int | None:
    """The integer value of ``key`` in ``url``'s query (``None`` when absent)."""
    for part in _query_pairs(url)[1]:
        name, _, value = part.partition("=")
        if name == key:
            if not value.isdigit():
                raise ValueError(f"{key}={value!r} in {url!r} is not a page number")
            return int(value)
    return None


def next_page_number(page_size: int, key: str = "p") -> NextPage:
    """A :data:`~hubapi_async._pagination.NextPage` strategy for page-numbered listings.

    After a page of ``page_size`` items or more, the next page is the same URL with
    ``key`` (the page number, ``0`` when absent) plus one, every other parameter kept
    as sent; a shorter page, or an empty one, is the last. A page URL whose ``key`` is
    not a number raises ``PaginationError``.
    """

    def following(response: Response, count: int) -> str | None:
        if count < page_size:
            return None
        base, parts = _query_pairs(response.url)
        try:
            current = _query_int(response.url, key) or 0
        except ValueError as exc:
            raise PaginationError(str(exc), url=response.url) from None
        kept = [part for part in parts if part.partition("=")[0] != key]
        return f"{base}?{'&'.join([*kept, f'{key}={current + 1}'])}"

    return following


def _check_count(value: object, what: str, *, low: int, high: int | None = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f">= {low}"
        raise ValueError(f"{what} must be {bound}, got {value}")
    return value


def _day(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        raise TypeError("date takes a datetime.date or 'YYYY-MM-DD', not a datetime")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise ValueError(f"date must be a datetime.date or 'YYYY-MM-DD', got {value!r}")


def _week(value: object) -> str | None:
    if value is None:
        return None
    m = _WEEK.fullmatch(value) if isinstance(value, str) else None
    if m is not None:
        try:
            dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return str(value)
        except ValueError:
            pass
    raise ValueError(f"week must be an ISO week 'YYYY-Www' (e.g. '2025-W09'), got {value!r}")


def _month(value: object) -> str | None:
    if value is None:
        return None
    m = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if m is not None and 1 <= int(m.group(2)) <= 12:
        return str(value)
    raise ValueError(f"month must be 'YYYY-MM' (e.g. '2025-02'), got {value!r}")


class Papers(Resource):
    """``hub.papers``: paper pages, the repos citing a paper, and Daily Papers.

    arXiv ids are checked before any request (``2409.11074``, ``2409.11074v2``,
    ``hep-th/9901001``; see ``validate_arxiv_id``); an old-style id, which contains
    ``/``, is sent as one percent-encoded path segment (``hep-th%2F9901001``).
    """

    async def info(self, arxiv_id: str, *, timeout: Timeout | float | None = None) -> PaperInfo:
        """``GET /api/papers/{arxiv_id}``: the paper page, with the first repos citing it.

        Raises ``NotFoundError`` for a paper the Hub has not indexed, ``ValueError`` for
        a malformed id (before any request).
        """
        return await self._get(
            f"/api/papers/{_arxiv_segment(arxiv_id)}", PaperInfo, timeout=timeout
        )

    async def repos(self, arxiv_id: str, *, timeout: Timeout | float | None = None) -> PaperRepos:
        """``GET /api/arxiv/{arxiv_id}/repos``: every model, dataset and Space citing the paper.

        A paper nobody cites (or the Hub does not know) gives empty lists, not an error.
        """
        path = f"/api/arxiv/{_arxiv_segment(arxiv_id)}/repos"
        return await self._get(path, PaperRepos, timeout=timeout)

    def daily(
        self,
        *,
        p: int | None = None,
        limit: int | None = None,
        date: dt.date | str | None = None,
        week: str | None = None,
        month: str | None = None,
        submitter: str | None = None,
        sort: str | None = None,
        page_size: int | None = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[DailyPaper]:
        """``GET /api/daily_papers``: a lazy :class:`Paginator` of :class:`DailyPaper`.

        Filters, as the Hub takes them: ``date`` (a ``datetime.date`` or ``YYYY-MM-DD``),
        ``week`` (ISO ``YYYY-Www``) or ``month`` (``YYYY-MM``), at most one of the three;
        ``submitter`` (a user name); ``sort`` (``"publishedAt"``, the Hub's default, or
        ``"trending"``; passed as given). Malformed values raise ``ValueError`` before
        any request.

        Paging: the Hub serves page ``p`` (from 0) of ``page_size`` papers; the walk
        starts at page ``p`` (0 when omitted) and requests ``p+1, p+2...`` until a page
        comes back shorter than ``page_size`` or empty (a ``Link`` header, if the Hub
        sends one, is followed instead). ``limit``, as for ``hub.models.list``, caps the
        papers yielded, and the first request asks for no more than needed: without
        ``page_size`` the page size is ``limit`` or 100 (the Hub's largest), whichever
        is smaller, so ``daily(p=2, limit=20)`` sends ``p=2&limit=20``, one request, as the
        official client does; set ``page_size`` (1-100) to fix what ``p`` counts in
        whatever ``limit`` is. ``limit`` is always sent: it is the page size the walk
        relies on.

        ``resume_from`` takes a :attr:`Paginator.next_url` (which carries ``p=``) and
        continues from there; it already holds the filters, so pass none with it.
        """
        start_page = _check_count(p, "p", low=0)
        cap = _check_count(limit, "limit", low=0)
        size = _check_count(page_size, "page_size", low=1, high=DAILY_MAX_PAGE_SIZE)
        filters = {
            "date": _day(date),
            "week": _week(week),
            "month": _month(month),
        }
        given = [name for name, value in filters.items() if value is not None]
        if len(given) > 1:
            raise ValueError(f"pass at most one of date, week and month (got {', '.join(given)})")
        if submitter is not None:
            validate_namespace(submitter, "submitter")
        if resume_from is not None:
            passed = [
                name
                for name, value in (
                    ("p", p),
                    ("date", date),
                    ("week", week),
                    ("month", month),
                    ("submitter", submitter),
                    ("sort", sort),
                    ("page_size", page_size),
                )
                if value is not None
            ]
            if passed:
                raise ValueError(
                    f"resume_from already carries the listing's query; drop {', '.join(passed)}"
                )
            _query_int(resume_from, "p")
            size = _query_int(resume_from, "limit") or _DAILY_DEFAULT_LIMIT
            return self._paginate(
                resume_from,
                type=DailyPaper,
                limit=cap,
                prefetch=prefetch,
                timeout=timeout,
                next_page=next_page_number(size),
            )
        if size is None:
            size = DAILY_MAX_PAGE_SIZE if cap is None else max(1, min(cap, DAILY_MAX_PAGE_SIZE))
        # The official client's order: p, limit, sort, date, week, month, submitter.
        params: dict[str, Any] = {
            "p": start_page,
            "limit": size,
            "sort": sort,
            **filters,
            "submitter": submitter,
        }
        return self._paginate(
            "/api/daily_papers",
            params=params,
            type=DailyPaper,
            limit=cap,
            prefetch=prefetch,
            timeout=timeout,
            next_page=next_page_number(size),
        )

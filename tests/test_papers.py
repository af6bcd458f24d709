"""hub.papers end to end against the local Hub: paper pages, citing repos, Daily Papers."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hubapi_async import BadRequestError, HubClient, NotFoundError
from hubapi_async.testing import LocalHub
from hubapi_async.testing._state_papers import DailyQuery
from hubapi_async.types import DailyPaper, DatasetInfo, ModelInfo, PaperInfo, SpaceInfo

TOKEN = "hf_local_token"


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=300, datasets=60, spaces=40)
    async with hub:
        yield hub


@pytest.fixture
async def hub(lh: LocalHub) -> AsyncIterator[HubClient]:
    async with HubClient(lh.url, token=TOKEN) as client:
        yield client


def paper_requests(lh: LocalHub) -> list[str]:
    """The query strings of the Daily Papers requests, in order."""
    return [r.query_string for r in lh.requests if r.path == "/api/daily_papers"]


def expected(lh: LocalHub, **filters: Any) -> list[str]:
    """The ids the local Hub serves for these filters, every page, in order."""
    return [r.id for r in lh.papers.daily_records(DailyQuery(**filters))]


def day_counts(lh: LocalHub) -> dict[dt.date, int]:
    counts: dict[dt.date, int] = {}
    for paper_id in lh.papers.ids(daily=True):
        record = lh.papers.record(paper_id)
        assert record is not None and record.day is not None
        counts[record.day] = counts.get(record.day, 0) + 1
    return counts


# -- info ----------------------------------------------------------------------------------
async def test_info_has_every_field_typed(hub: HubClient, lh: LocalHub) -> None:
    records = [lh.papers.record(i) for i in lh.papers.ids(daily=True)]
    record = next(
        r
        for r in records
        if r is not None
        and r.github_repo
        and r.organization
        and r.project_page
        and any(login for _, _, login in r.authors)
        and r.citers.get("model")
    )
    lh.requests.clear()
    info = await hub.papers.info(record.id)
    assert isinstance(info, PaperInfo)
    assert [r.path for r in lh.requests] == [f"/api/papers/{record.id}"]
    assert info.id == record.id and info.title == record.title
    assert info.summary == record.summary and info.upvotes == record.upvotes
    assert info.published_at is not None and info.published_at.tzinfo is not None
    assert info.published_at.timestamp() == record.published
    assert info.submitted_on_daily_at is not None
    assert info.submitted_on_daily_at.timestamp() == record.daily_at
    assert info.submitted_on_daily_by is not None
    assert info.submitted_on_daily_by.name == record.submitter
    assert info.submitted_on_daily_by.user == record.submitter
    assert info.github_repo == record.github_repo and info.github_stars == record.github_stars
    assert info.project_page == record.project_page
    assert info.ai_summary == record.ai_summary and info.ai_keywords == record.ai_keywords
    assert info.organization is not None and info.organization.name == record.organization
    assert info.discussion_id == record.discussion_id
    assert info.authors is not None
    assert [a.name for a in info.authors] == [name for _, name, _ in record.authors]
    claimed = [a for a in info.authors if a.user is not None]
    assert claimed and all(a.status == "claimed_verified" for a in claimed)
    assert {a.user.name for a in claimed if a.user} == {u for _, _, u in record.authors if u}
    assert all(a.object_id and a.hidden is False for a in info.authors)
    repos = await hub.papers.repos(record.id)
    assert info.linked_models is not None and repos.models is not None
    assert [m.id for m in info.linked_models] == [m.id for m in repos.models][:10]
    assert info.num_total_models == len(repos.models) > 0
    assert all(isinstance(m, ModelInfo) for m in info.linked_models)


async def test_info_of_the_recorded_paper(hub: HubClient) -> None:
    info = await hub.papers.info("2409.11074")
    assert info.title == "RoMath: A Mathematical Reasoning Benchmark in Romanian"
    assert info.published_at == dt.datetime(2024, 9, 17, 11, 3, 46, tzinfo=dt.UTC)
    assert info.authors is not None
    assert [(a.object_id, a.name, a.hidden) for a in info.authors] == [
        ("66ead57361228b02f8144cdf", "Adrian Cosma", False),
        ("66ead57361228b02f8144ce0", "Ana-Maria Bucur", False),
        ("66ead57361228b02f8144ce1", "Emilian Radoi", False),
    ]
    versioned = await hub.papers.info("2409.11074v2")
    assert versioned.id == "2409.11074"


async def test_unknown_paper_is_a_not_found_error(hub: HubClient, lh: LocalHub) -> None:
    with pytest.raises(NotFoundError) as caught:
        await hub.papers.info("2101.00001")
    assert caught.value.status == 404
    assert caught.value.server_message == "Paper not found"
    assert lh.requests[-1].path == "/api/papers/2101.00001"


async def test_old_style_ids_travel_as_one_encoded_segment(hub: HubClient, lh: LocalHub) -> None:
    info = await hub.papers.info("hep-th/9711200")
    assert info.id == "hep-th/9711200"
    assert info.authors is not None and info.authors[0].name == "Juan M. Maldacena"
    repos = await hub.papers.repos("hep-th/9711200")
    assert repos.models == [] and repos.datasets == [] and repos.spaces == []
    assert [r.path for r in lh.requests] == [
        "/api/papers/hep-th%2F9711200",
        "/api/arxiv/hep-th%2F9711200/repos",
    ]


@pytest.mark.parametrize(
    "bad",
    ["", "../etc", "2409.11074?x=1", "2409.11074 ", " 2409.11074", "2409.11074/..", "2413.00001",
     "arXiv:2409.11074", "https://arxiv.org/abs/2409.11074", "hep-th/990100", "..", "a b"],
)  # fmt: skip
async def test_invalid_ids_are_refused_before_any_request(
    hub: HubClient, lh: LocalHub, bad: str
) -> None:
    with pytest.raises(ValueError, match="arXiv id"):
        await hub.papers.info(bad)
    with pytest.raises(ValueError, match="arXiv id"):
        await hub.papers.repos(bad)
    assert lh.requests == []


async def test_the_local_hub_refuses_malformed_ids_itself(hub: HubClient) -> None:
    for path in ("/api/papers/not-an-id", "/api/arxiv/not-an-id/repos"):
        with pytest.raises(BadRequestError, match="not a valid arXiv id"):
            await hub.request("GET", path)


# -- repos ---------------------------------------------------------------------------------
async def test_repos_of_a_paper_cited_by_recorded_repos(hub: HubClient) -> None:
    bert = await hub.papers.repos("1810.04805")
    assert bert.models is not None
    assert [m.id for m in bert.models] == ["google-bert/bert-base-uncased"]
    assert isinstance(bert.models[0], ModelInfo)
    assert "arxiv:1810.04805" in (bert.models[0].tags or [])
    assert bert.models[0].downloads and bert.models[0].pipeline_tag == "fill-mask"
    # A tag index: a cited paper without a paper page still lists its citing repos.
    minilm = await hub.papers.repos("1810.09305")
    assert [m.id for m in minilm.models or []] == ["sentence-transformers/all-MiniLM-L6-v2"]
    with pytest.raises(NotFoundError):
        await hub.papers.info("1810.09305")


async def test_repos_of_generated_papers_are_typed_per_kind(hub: HubClient, lh: LocalHub) -> None:
    records = [r for i in lh.papers.ids(daily=True) if (r := lh.papers.record(i))]
    with_all = next(
        r
        for r in records
        if r.citers.get("model") and r.citers.get("dataset") and r.citers.get("space")
    )
    repos = await hub.papers.repos(with_all.id)
    assert repos.models and repos.datasets and repos.spaces
    assert all(isinstance(m, ModelInfo) for m in repos.models)
    assert all(isinstance(d, DatasetInfo) for d in repos.datasets)
    assert all(isinstance(s, SpaceInfo) for s in repos.spaces)
    for group in (repos.models, repos.datasets, repos.spaces):
        assert all(f"arxiv:{with_all.id}" in (item.tags or []) for item in group)
        likes = [item.likes or 0 for item in group]
        assert likes == sorted(likes, reverse=True)
    info = await hub.datasets.info(repos.datasets[0].id)  # the citing repos exist
    assert info.id == repos.datasets[0].id


async def test_repos_of_an_unknown_paper_are_empty(hub: HubClient) -> None:
    repos = await hub.papers.repos("2101.00001")
    assert (repos.models, repos.datasets, repos.spaces) == ([], [], [])


async def test_a_deleted_citing_repo_drops_out(hub: HubClient, lh: LocalHub) -> None:
    record = next(
        r for i in lh.papers.ids(daily=True) if (r := lh.papers.record(i)) and r.citers.get("model")
    )
    before = await hub.papers.repos(record.id)
    assert before.models
    assert lh.stores["model"].delete(before.models[0].id)
    after = await hub.papers.repos(record.id)
    assert [m.id for m in after.models or []] == [m.id for m in before.models[1:]]


# -- daily: paging -------------------------------------------------------------------------
async def test_daily_walks_every_page_until_a_short_one(hub: HubClient, lh: LocalHub) -> None:
    every = [p async for p in hub.papers.daily()]
    want = expected(lh)
    assert len(want) > 1000 and len(want) % 100 != 0
    assert [p.id for p in every] == want
    assert all(isinstance(p, DailyPaper) for p in every)
    stamps = [p.published_at for p in every]
    assert stamps == sorted(stamps, reverse=True)  # the Hub's default sort: newest first
    pages = math.ceil(len(want) / 100)
    assert paper_requests(lh) == ["limit=100"] + [f"limit=100&p={n}" for n in range(1, pages)]


async def test_daily_stops_exactly_after_a_short_page(hub: HubClient, lh: LocalHub) -> None:
    day, count = next((d, c) for d, c in sorted(day_counts(lh).items()) if c > 12 and c % 6)
    got = [p async for p in hub.papers.daily(date=day, page_size=6)]
    assert [p.id for p in got] == expected(lh, period=("date", day.isoformat()))
    date = day.isoformat()
    assert paper_requests(lh) == [f"limit=6&date={date}"] + [
        f"limit=6&date={date}&p={n}" for n in range(1, count // 6 + 1)
    ]


async def test_daily_ends_on_an_empty_page_after_a_full_one(hub: HubClient, lh: LocalHub) -> None:
    day, count = next((d, c) for d, c in sorted(day_counts(lh).items()) if c >= 10)
    got = [p async for p in hub.papers.daily(date=day, page_size=count)]
    assert len(got) == count
    assert paper_requests(lh) == [
        f"limit={count}&date={day.isoformat()}",
        f"limit={count}&date={day.isoformat()}&p=1",
    ]


async def test_limit_caps_the_papers_and_the_first_request(hub: HubClient, lh: LocalHub) -> None:
    want = expected(lh)
    few = [p.id async for p in hub.papers.daily(limit=30)]
    assert few == want[:30]
    assert paper_requests(lh) == ["limit=30"]
    lh.requests.clear()
    many = [p.id async for p in hub.papers.daily(limit=250)]
    assert many == want[:250]
    assert paper_requests(lh) == ["limit=100", "limit=100&p=1", "limit=100&p=2"]
    lh.requests.clear()
    assert [p async for p in hub.papers.daily(limit=0)] == []
    assert lh.requests == []


async def test_p_starts_at_a_page_of_the_page_size(hub: HubClient, lh: LocalHub) -> None:
    want = expected(lh)
    page = [p.id async for p in hub.papers.daily(p=2, limit=20)]  # the official client's call
    assert page == want[40:60]
    assert paper_requests(lh) == ["p=2&limit=20"]
    lh.requests.clear()
    fixed = [p.id async for p in hub.papers.daily(p=1, page_size=20, limit=30)]
    assert fixed == want[20:50]
    assert paper_requests(lh) == ["p=1&limit=20", "limit=20&p=2"]


async def test_next_url_carries_p_and_resumes(hub: HubClient, lh: LocalHub) -> None:
    want = expected(lh, sort="trending")
    paginator = hub.papers.daily(sort="trending", page_size=50)
    seen: list[str] = []
    async for paper in paginator:
        seen.append(paper.id)
        if len(seen) == 100:
            break
    # Still holding the last paper of page p=1: the resume point is that page, not the next.
    assert paginator.next_url is not None and paginator.next_url.endswith("&p=1")
    assert "sort=trending" in paginator.next_url and "limit=50" in paginator.next_url
    rest = [p.id async for p in hub.papers.daily(resume_from=paginator.next_url)]
    assert seen[:50] + rest == want
    with pytest.raises(ValueError, match="resume_from already carries"):
        hub.papers.daily(resume_from=paginator.next_url, date="2026-08-20")
    with pytest.raises(ValueError, match="not a page number"):
        hub.papers.daily(resume_from=f"{lh.url}/api/daily_papers?p=x&limit=50")


async def test_prefetch_yields_the_same_papers(hub: HubClient, lh: LocalHub) -> None:
    want = expected(lh, period=("month", "2026-07"))
    async with hub.papers.daily(month="2026-07", page_size=40, prefetch=True) as paginator:
        got = [p.id async for p in paginator]
    assert got == want
    paginator = hub.papers.daily(page_size=10, prefetch=True)
    async with paginator:
        async for _ in paginator:
            break
    await asyncio.sleep(0)
    # The month's pages, then the first page and at most one read ahead (cancelled on exit).
    assert len(paper_requests(lh)) - math.ceil(len(want) / 40) in (1, 2)
    assert not [t for t in asyncio.all_tasks() if "_Walker.next_page" in repr(t.get_coro())]


async def test_pages_by_number(hub: HubClient, lh: LocalHub) -> None:
    pages = [page async for page in hub.papers.daily(week="2026-W30", page_size=25).pages()]
    assert [len(p.items) for p in pages][:-1] == [25] * (len(pages) - 1)
    assert 0 < len(pages[-1].items) < 25
    assert pages[-1].next_url is None and pages[0].next_url == pages[1].url


# -- daily: filters ------------------------------------------------------------------------
async def test_date_week_month_submitter_and_sort(hub: HubClient, lh: LocalHub) -> None:
    day = dt.date(2026, 8, 20)
    by_date = [p async for p in hub.papers.daily(date=day)]
    assert by_date and all(p.published_at and p.published_at.date() == day for p in by_date)
    assert [p.id for p in by_date] == [p.id async for p in hub.papers.daily(date="2026-08-20")]
    week = [p async for p in hub.papers.daily(week="2026-W33")]
    assert week and all(
        p.published_at and p.published_at.isocalendar()[:2] == (2026, 33) for p in week
    )
    month = [p async for p in hub.papers.daily(month="2026-06")]
    assert month and all(p.published_at and p.published_at.month == 6 for p in month)
    mine = [p async for p in hub.papers.daily(submitter="alice")]
    assert mine and all(p.submitted_by and p.submitted_by.name == "alice" for p in mine)
    assert [p.id for p in mine] == expected(lh, submitter="alice")
    trending = [p.id async for p in hub.papers.daily(sort="trending", limit=50)]
    assert trending == expected(lh, sort="trending")[:50]
    assert trending != expected(lh)[:50]
    assert [q for q in paper_requests(lh) if "&p=" not in q] == [
        "limit=100&date=2026-08-20",
        "limit=100&date=2026-08-20",
        "limit=100&week=2026-W33",
        "limit=100&month=2026-06",
        "limit=100&submitter=alice",
        "limit=50&sort=trending",
    ]
    empty = [p async for p in hub.papers.daily(date="2020-01-01")]
    assert empty == []


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"date": "2026-8-20"}, ValueError),
        ({"date": "20260820"}, ValueError),
        ({"date": "2026-02-30"}, ValueError),
        ({"date": dt.datetime(2026, 8, 20, tzinfo=dt.UTC)}, TypeError),
        ({"week": "2026-W54"}, ValueError),
        ({"week": "2021-W53"}, ValueError),
        ({"week": "2026W09"}, ValueError),
        ({"week": "2026-W00"}, ValueError),
        ({"month": "2026-13"}, ValueError),
        ({"month": "2026-1"}, ValueError),
        ({"date": "2026-08-20", "month": "2026-08"}, ValueError),
        ({"p": -1}, ValueError),
        ({"limit": -1}, ValueError),
        ({"limit": True}, TypeError),
        ({"page_size": 0}, ValueError),
        ({"page_size": 101}, ValueError),
        ({"submitter": "a b"}, ValueError),
    ],
)
async def test_bad_arguments_are_refused_before_any_request(
    hub: HubClient, lh: LocalHub, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error):
        hub.papers.daily(**kwargs)
    assert lh.requests == []


async def test_iso_week_53_exists_where_the_calendar_has_it(hub: HubClient) -> None:
    assert [p async for p in hub.papers.daily(week="2020-W53")] == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"limit": "101"}, '"limit"'),
        ({"limit": "0"}, '"limit"'),
        ({"p": "-1"}, '"p"'),
        ({"p": "x"}, '"p"'),
        ({"sort": "hot"}, '"sort"'),
        ({"date": "2026-13-01"}, '"date"'),
        ({"week": "2026-W60"}, '"week"'),
        ({"month": "2026-00"}, '"month"'),
        ({"date": "2026-08-20", "week": "2026-W33"}, "Only one of"),
    ],
)
async def test_the_local_hub_answers_bad_parameters_with_400(
    hub: HubClient, query: dict[str, str], message: str
) -> None:
    with pytest.raises(BadRequestError) as caught:
        await hub.request("GET", "/api/daily_papers", params=query)
    assert caught.value.status == 400 and message in (caught.value.server_message or "")


async def test_an_unknown_sort_goes_to_the_hub(hub: HubClient, lh: LocalHub) -> None:
    with pytest.raises(BadRequestError):
        [p async for p in hub.papers.daily(sort="hot")]
    assert paper_requests(lh) == ["limit=100&sort=hot"]


# -- daily: a Hub that sends Link headers ---------------------------------------------------
async def test_a_link_header_is_followed_instead_of_counting(hub: HubClient, lh: LocalHub) -> None:
    lh.papers.link_header = True
    want = expected(lh, sort="trending")
    got = [p.id async for p in hub.papers.daily(sort="trending", page_size=30)]
    assert got == want
    sent = paper_requests(lh)
    assert sent[0] == "limit=30&sort=trending"
    # Every later request is the Link's URL as the Hub wrote it (p first), not a count.
    assert sent[1:] == [f"p={n}&limit=30&sort=trending" for n in range(1, len(sent))]
    assert len(sent) == math.ceil(len(want) / 30)


async def test_with_link_headers_a_full_last_page_ends_the_walk(
    hub: HubClient, lh: LocalHub
) -> None:
    lh.papers.link_header = True
    day, count = next((d, c) for d, c in sorted(day_counts(lh).items()) if c >= 10 and c % 2 == 0)
    got = [p.id async for p in hub.papers.daily(date=day, page_size=count // 2)]
    assert got == expected(lh, period=("date", day.isoformat()))
    # Two full pages; the second carries no Link, so no third request probes for more.
    assert len(paper_requests(lh)) == 2

"""Papers without the SDK's resource layer: the id validator, the page-number strategy and
the Paginator hook, the Structs against the observed shapes, and the official client."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import msgspec
import msgspec.inspect as mi
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from hubapi_async import PaginationError, Paginator, Response
from hubapi_async._resources._papers import next_page_number
from hubapi_async._validation import quote_segment, validate_arxiv_id
from hubapi_async.testing import LocalHub
from hubapi_async.testing._state_papers import DailyQuery
from hubapi_async.types import DailyPaper, Paper, PaperAuthor, PaperInfo, PaperUser, decode_json

from ._helpers import recordings_dir

TOKEN = "hf_local_token"


# -- the validator -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "good",
    ["2409.11074", "0704.0001", "1412.9999", "2409.11074v2", "2409.11074v12", "hep-th/9901001",
     "hep-th/9901001v3", "math.GT/0309136", "cond-mat.mes-hall/0102536", "q-bio/0401001"],
)  # fmt: skip
def test_valid_arxiv_ids_pass_unchanged(good: str) -> None:
    assert validate_arxiv_id(good) == good


@pytest.mark.parametrize(
    "bad",
    ["", " ", "2409.11074 ", "\t2409.11074", "2409.11074\n", "2409.110", "2409.110745",
     "2413.11074", "2400.11074", "24091.1074", "2409.11074v0", "2409.11074v", "2409.11074V2",
     "arXiv:2409.11074", "arxiv:2409.11074", "https://arxiv.org/abs/2409.11074",
     "2409.11074?x", "2409.11074#a", "../2409.11074", "..", ".", "hep-th/990100",
     "hep-th/9913001", "HEP-TH/9901001", "hep-th//9901001", "hep-th/9901001/x", "/9901001",
     "hep_th/9901001", "2409.11074%2F", "2409.1107\u0664"],
)  # fmt: skip
def test_invalid_arxiv_ids_raise_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="Invalid arXiv id"):
        validate_arxiv_id(bad)


@pytest.mark.parametrize("bad", [None, 2409.11074, b"2409.11074", ["2409.11074"]])
def test_non_strings_raise_value_error(bad: object) -> None:
    with pytest.raises(ValueError, match="expected a string"):
        validate_arxiv_id(bad)


def test_old_style_ids_encode_as_one_segment() -> None:
    assert quote_segment(validate_arxiv_id("hep-th/9901001")) == "hep-th%2F9901001"
    assert quote_segment(validate_arxiv_id("math.GT/0309136v2")) == "math.GT%2F0309136v2"
    assert quote_segment(validate_arxiv_id("2409.11074")) == "2409.11074"


# -- the page-number strategy and the Paginator hook ----------------------------------------
def response(url: str, items: Sequence[int], link: str | None = None) -> Response:
    headers: CIMultiDict[str] = CIMultiDict()
    if link is not None:
        headers["Link"] = f'<{link}>; rel="next"'
    return Response(200, CIMultiDictProxy(headers), json.dumps(list(items)).encode(), url)


def test_next_page_number_counts_pages_and_keeps_the_query() -> None:
    following = next_page_number(3)
    base = "http://hub/api/daily_papers"
    assert following(response(f"{base}?limit=3&sort=trending", [1, 2, 3]), 3) == (
        f"{base}?limit=3&sort=trending&p=1"
    )
    assert following(response(f"{base}?p=4&limit=3&date=2026-08-20", [1, 2, 3]), 3) == (
        f"{base}?limit=3&date=2026-08-20&p=5"
    )
    assert following(response(f"{base}?limit=3", [1, 2]), 2) is None  # short page
    assert following(response(f"{base}?limit=3", []), 0) is None  # empty page
    assert following(response(base, [1, 2, 3]), 3) == f"{base}?p=1"
    with pytest.raises(PaginationError, match="not a page number"):
        following(response(f"{base}?p=x&limit=3", [1, 2, 3]), 3)


class FakeHub:
    """Pages served from a dict keyed by URL; records what was asked."""

    def __init__(self, pages: dict[str, tuple[list[int], str | None]]) -> None:
        self.pages = pages
        self.asked: list[str] = []

    async def fetch(self, target: str, params: Sequence[tuple[str, str]] | None) -> Response:
        url = str(URL(target).extend_query(list(params or [])))
        self.asked.append(url)
        items, link = self.pages[url]
        return response(url, items, link)

    def paginator(self, start: str, **kwargs: Any) -> Paginator[int]:
        return Paginator(
            self.fetch,
            start,
            params=None,
            item_type=int,
            endpoint="http://hub",
            **kwargs,
        )


async def test_the_strategy_is_used_only_without_link() -> None:
    base = "http://hub/l"
    fake = FakeHub(
        {
            f"{base}?limit=2": ([1, 2], None),
            f"{base}?limit=2&p=1": ([3, 4], f"{base}?cursor=abc"),  # the server starts linking
            f"{base}?cursor=abc": ([5, 6], None),  # full, but no Link: the end
        }
    )
    got = [x async for x in fake.paginator(f"{base}?limit=2", next_page=next_page_number(2))]
    assert got == [1, 2, 3, 4, 5, 6]
    assert fake.asked == [f"{base}?limit=2", f"{base}?limit=2&p=1", f"{base}?cursor=abc"]


async def test_without_a_strategy_a_page_without_link_is_the_last() -> None:
    fake = FakeHub({"http://hub/l?limit=2": ([1, 2], None)})
    assert [x async for x in fake.paginator("http://hub/l?limit=2")] == [1, 2]
    assert len(fake.asked) == 1


async def test_strategy_urls_get_the_loop_and_origin_checks() -> None:
    fake = FakeHub({"http://hub/l": ([1], None)})
    paginator = fake.paginator("http://hub/l", next_page=lambda r, n: "http://elsewhere/other")
    with pytest.raises(PaginationError, match="another origin"):
        [x async for x in paginator]
    looping = FakeHub({"http://hub/l": ([1], None)})
    paginator = looping.paginator("http://hub/l", next_page=lambda r, n: "http://hub/l")
    with pytest.raises(PaginationError, match="already read"):
        [x async for x in paginator]
    assert looping.asked == ["http://hub/l"]


# -- the Structs against the observed shapes -------------------------------------------------
def observations() -> dict[str, Any]:
    path = recordings_dir() / "papers" / "shape_observations.json"
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def schema_notes() -> dict[str, Any]:
    path = recordings_dir() / "openapi" / "stainless_derived_schema_notes.json"
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data["GET /api/daily_papers -> array of items"]


def wire_names(struct: type[msgspec.Struct]) -> set[str]:
    info = mi.type_info(struct)
    assert isinstance(info, mi.StructType)
    return {f.encode_name for f in info.fields}


def keys(entries: Sequence[str]) -> set[str]:
    return {re.split(r"[?:]", entry)[0] for entry in entries}


def test_structs_map_every_observed_key() -> None:
    obs = observations()["observations"]
    assert keys(obs[1]["top_level_keys"]) <= wire_names(DailyPaper)
    assert keys(obs[1]["paper_keys"]) <= wire_names(Paper)
    assert keys(obs[2]["keys"]) <= wire_names(PaperInfo)
    notes = schema_notes()
    for struct, entry in (
        (DailyPaper, notes["item"]),
        (Paper, notes["Paper"]),
        (PaperAuthor, notes["Author"]),
        (PaperUser, notes["UserOverview"]),
    ):
        missing = keys(entry["required"] + entry["optional"]) - wire_names(struct)
        assert not missing, (struct.__name__, missing)


def test_the_recorded_daily_item_decodes() -> None:
    item = observations()["observations"][0]["partial_item"]
    paper = decode_json(json.dumps(item), DailyPaper)
    assert paper.id == "2409.11074"
    assert paper.paper.authors and paper.paper.authors[1].name == "Ana-Maria Bucur"
    assert paper.paper.published_at is not None and paper.paper.published_at.tzinfo is not None


def unmapped(value: Any, struct: type[msgspec.Struct], where: str = "") -> list[str]:
    """Keys of ``value`` no field of ``struct`` (or of its nested paper Structs) maps."""
    info = mi.type_info(struct)
    assert isinstance(info, mi.StructType)
    fields = {f.encode_name: f for f in info.fields}
    out: list[str] = []
    for key, item in value.items():
        field = fields.get(key)
        if field is None:
            out.append(f"{where}{key}")
            continue
        nested = _paper_struct(field.type)
        if nested is not None:
            for child in item if isinstance(item, list) else [item]:
                out += unmapped(child, nested, f"{where}{key}.")
    return out


def _paper_struct(tp: mi.Type) -> type[msgspec.Struct] | None:
    if isinstance(tp, mi.UnionType):
        for member in tp.types:
            found = _paper_struct(member)
            if found is not None:
                return found
    if isinstance(tp, mi.ListType):
        return _paper_struct(tp.item_type)
    if isinstance(tp, mi.StructType) and tp.cls in (Paper, PaperAuthor, PaperUser):
        return tp.cls
    return None


async def test_local_hub_answers_use_only_keys_the_structs_know() -> None:
    import aiohttp

    async with LocalHub(models=300, datasets=60, spaces=40) as url, aiohttp.ClientSession() as s:
        async with s.get(f"{url}/api/daily_papers?limit=100") as resp:
            daily = await resp.json()
        assert daily and all(not unmapped(item, DailyPaper) for item in daily)
        for item in daily[:20]:
            async with s.get(f"{url}/api/papers/{item['paper']['id']}") as resp:
                assert not unmapped(await resp.json(), PaperInfo)


# -- the official client ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def server() -> Iterator[LocalHub]:
    hub = LocalHub(models=300, datasets=60, spaces=40)
    with hub.in_thread():
        yield hub


@pytest.fixture
def api(server: LocalHub, monkeypatch: pytest.MonkeyPatch) -> HfApi:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    server.requests.clear()
    return HfApi(endpoint=server.url, token=TOKEN)


def test_official_paper_info(api: HfApi, server: LocalHub) -> None:
    romath = api.paper_info("2409.11074")
    assert romath.title == "RoMath: A Mathematical Reasoning Benchmark in Romanian"
    assert romath.authors and [a.name for a in romath.authors] == [
        "Adrian Cosma",
        "Ana-Maria Bucur",
        "Emilian Radoi",
    ]
    assert romath.published_at is not None and romath.published_at.year == 2024
    record = next(
        r
        for i in server.papers.ids(daily=True)
        if (r := server.papers.record(i)) and r.citers.get("model") and r.submitter
    )
    info = api.paper_info(record.id)
    assert info.id == record.id and info.upvotes == record.upvotes
    assert info.submitted_by is not None and info.submitted_by.username == record.submitter
    assert info.submitted_at is not None and info.submitted_at.timestamp() == record.daily_at
    assert info.linked_models and info.linked_models[0].id
    assert info.num_total_models == len(info.linked_models)
    assert info.ai_keywords == record.ai_keywords
    old = api.paper_info("hep-th/9711200")  # sent as a raw two-segment path
    assert old.id == "hep-th/9711200"
    assert server.requests[-1].path == "/api/papers/hep-th/9711200"
    with pytest.raises(HfHubHTTPError) as caught:
        api.paper_info("2101.00001")
    assert caught.value.response.status_code == 404


def test_official_list_daily_papers_with_each_parameter(api: HfApi, server: LocalHub) -> None:
    def ids(**filters: Any) -> list[str]:
        return [r.id for r in server.papers.daily_records(DailyQuery(**filters))]

    default = list(api.list_daily_papers())
    assert [p.id for p in default] == ids()[:50]  # the Hub's default page size
    by_date = list(api.list_daily_papers(date="2026-08-20"))
    assert [p.id for p in by_date] == ids(period=("date", "2026-08-20"))
    assert by_date[0].submitted_by is not None and by_date[0].title and by_date[0].authors
    assert by_date[0].submitted_at is not None and by_date[0].submitted_at.date().day == 20
    week = list(api.list_daily_papers(week="2026-W33", limit=100))
    assert [p.id for p in week] == ids(period=("week", "2026-W33"))[:100]
    month = list(api.list_daily_papers(month="2026-06", p=1, limit=30))
    assert [p.id for p in month] == ids(period=("month", "2026-06"))[30:60]
    mine = list(api.list_daily_papers(submitter="alice", sort="trending", limit=20))
    assert [p.id for p in mine] == ids(submitter="alice", sort="trending")[:20]
    assert all(p.submitted_by and p.submitted_by.username == "alice" for p in mine)
    sent = [r.query_string for r in server.requests if r.path == "/api/daily_papers"]
    assert sent == [
        "",
        "date=2026-08-20",
        "limit=100&week=2026-W33",
        "p=1&limit=30&month=2026-06",
        "limit=20&sort=trending&submitter=alice",
    ]

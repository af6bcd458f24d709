"""``hubapi`` for collections, papers, organizations, resource groups and repo management,
against a local Hub: ``--json`` is the Hub's bytes (seen through a recording proxy),
tables and cards on a terminal, usage errors before any request, Hub errors as exit 1,
and the org-members crawl. The writes' own tests are in ``test_cli_families_writes.py``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from hubapi_async import HubClient
from hubapi_async.cli import _crawl
from hubapi_async.testing import LocalHub

from ._cli_tools import Tap, run_on_terminal
from .test_cli import records, run

TOKEN = "hf_local_token"  # demo: admin of demo-org, which has resource groups
BOB = "hf_local_bob"  # read-only member of demo-org
FAV = "demo/favourite-models-65f0c0ffd69e1ccd364da94e"  # seeded: demo's, 7 items
EMPTY = "demo/long-context-2-65f0c0ff1d3027543f536038"  # seeded: demo's, no items
SIZES: dict[str, int] = {"models": 40, "datasets": 10, "spaces": 10, "page_size": 25}

Wire = list[tuple[str, str, str, bytes]]


@pytest.fixture
async def local() -> AsyncIterator[LocalHub]:
    hub = LocalHub(**SIZES)
    async with hub:
        yield hub


@pytest.fixture
async def tap(local: LocalHub) -> AsyncIterator[Tap]:
    proxy = Tap(local.url)
    async with proxy:
        yield proxy


@pytest.fixture
async def twin() -> AsyncIterator[LocalHub]:
    """A second local Hub in the same state, for the SDK's side of a comparison."""
    hub = LocalHub(**SIZES)
    async with hub:
        yield hub


async def cli(
    capsys: pytest.CaptureFixture[str], url: str, *argv: str, token: str = TOKEN
) -> tuple[int, str, str]:
    return await run(capsys, "--endpoint", url, "--token", token, *argv)


def wire(hub: LocalHub) -> Wire:
    """What reached the Hub: method, path, query and body of every request."""
    return [(r.method, r.path, r.query_string, r.body) for r in hub.requests if r.origin == "hub"]


def raw_items(bodies: list[bytes]) -> list[bytes]:
    """Each element of JSON array bodies, as its own bytes."""
    return [bytes(x) for body in bodies for x in msgspec.json.decode(body, type=list[msgspec.Raw])]


def line_of(body: bytes) -> str:
    assert b"\n" not in body
    return body.decode() + "\n"


# -- --json: the Hub's bytes ---------------------------------------------------------------


async def test_listings_print_each_item_as_the_hub_sent_it(
    tap: Tap, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [
        (("collections", "list", "--sort", "upvotes", "--limit", "30"), "/api/collections?", 30),
        (("papers", "daily", "--limit", "120"), "/api/daily_papers?", 120),
        (("orgs", "members", "demo-org", "--limit", "60"), "/api/organizations/demo-org/", 60),
    ]
    for argv, prefix, count in cases:
        tap.answers.clear()
        rc, out, err = await cli(capsys, tap.url, *argv, "--json")
        assert (rc, err) == (0, "")
        bodies = tap.bodies("GET", prefix)
        assert len(bodies) >= 2  # several pages, one listing
        assert out.encode().splitlines() == raw_items(bodies)[:count]
    member = json.loads(out.splitlines()[0])
    assert {"user", "_id", "avatarUrl", "role", "resourceGroups"} <= set(member)  # wire keys


async def test_objects_print_the_hubs_answer_on_one_line(
    tap: Tap, capsys: pytest.CaptureFixture[str]
) -> None:
    async with HubClient(tap.url, token=TOKEN) as hub:
        (daily,) = [p async for p in hub.papers.daily(limit=1)]
        group = (await hub.resource_groups.list("demo-org"))[0].id
    for argv, prefix in [
        (("collections", "get", FAV), "/api/collections/demo/"),
        (("papers", "info", daily.paper.id), "/api/papers/"),
        (("papers", "repos", daily.paper.id), "/api/arxiv/"),
        (("resource-groups", "get", "demo-org", group), "/api/organizations/demo-org/"),
    ]:
        tap.answers.clear()
        rc, out, err = await cli(capsys, tap.url, *argv)  # piped: JSON
        assert (rc, err) == (0, "")
        (body,) = tap.bodies("GET", prefix)
        assert out == line_of(body)
    tap.answers.clear()
    rc, out, _ = await cli(capsys, tap.url, "resource-groups", "list", "demo-org", "--json")
    assert rc == 0
    assert out.encode().splitlines() == raw_items(tap.bodies("GET", "/api/organizations/"))
    assert json.loads(out)["autoJoin"] == {"enabled": False}


async def test_struct_is_snake_case_and_reads_send_the_sdks_query(
    local: LocalHub, twin: LocalHub, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, _ = await cli(capsys, local.url, "orgs", "members", "demo-org", "--struct")
    rows = records(out)
    assert rc == 0 and len(rows) == 123
    assert rows[0]["username"] == "demo" and "user" not in rows[0]
    assert rows[0]["resource_groups"][0]["name"] == "research"

    local.requests.clear()
    argv = ("--week", "2026-W34", "--submitter", "member-0016", "--sort", "trending")
    rc, out, _ = await cli(capsys, local.url, "papers", "daily", *argv, "--limit", "7")
    assert rc == 0
    async with HubClient(twin.url, token=TOKEN) as hub:
        twin.requests.clear()
        kw = {"week": "2026-W34", "submitter": "member-0016", "sort": "trending"}
        expected = [p.paper.id async for p in hub.papers.daily(**kw, limit=7)]
    assert [r["paper"]["id"] for r in records(out)] == expected
    assert wire(local) == wire(twin)
    assert "week=2026-W34" in local.requests[0].query_string

    local.requests.clear()
    rc, out, _ = await cli(
        capsys, local.url, "collections", "list", "--owner", "alice", "--q", "models"
    )
    assert rc == 0
    assert {r["owner"]["name"] for r in records(out)} == {"alice"}
    assert local.requests[0].query_string == "owner=alice&q=models"


# -- tables for people -----------------------------------------------------------------------


@pytest.fixture
def thread_hub() -> Iterator[str]:
    with LocalHub(**SIZES).in_thread() as url:
        yield url


def test_terminal_tables_and_cards(thread_hub: str) -> None:
    base = ["--endpoint", thread_hub, "--token", TOKEN]
    rc, out = run_on_terminal([*base, "collections", "get", FAV])
    assert rc == 0
    card, table = out.split("\n\n")
    fields = dict(line.split(None, 1) for line in card.splitlines())
    assert fields["slug"] == FAV and fields["owner"] == "demo" and fields["items"] == "7"
    header, *items = table.splitlines()
    assert header.split() == ["TYPE", "ID", "OBJECT_ID", "NOTE"]
    assert len(items) == 7  # every item, not the 4 a listing shows
    assert all(len(line) <= 100 for line in out.splitlines())

    rc, out = run_on_terminal([*base, "orgs", "members", "demo-org", "--limit", "30"])
    header, *rows = out.splitlines()
    assert (rc, header.split(), len(rows)) == (0, ["USER", "FULLNAME", "ROLE"], 30)
    assert rows[0].split() == ["demo", "Demo", "User", "admin"]

    rc, out = run_on_terminal([*base, "papers", "daily", "--limit", "3", "--columns", "id,upvotes"])
    header, *rows = out.splitlines()
    assert (rc, header.split(), len(rows)) == (0, ["ID", "UPVOTES"], 3)
    assert "{" not in out

    rc, out = run_on_terminal([*base, "repos", "create", "from-a-terminal"])
    assert (rc, out) == (
        0,
        f"created model repo demo/from-a-terminal: {thread_hub}/demo/from-a-terminal\n",
    )


async def test_cards_and_tables_of_papers_and_groups(
    local: LocalHub, capsys: pytest.CaptureFixture[str]
) -> None:
    async with HubClient(local.url, token=TOKEN) as hub:
        (daily,) = [p async for p in hub.papers.daily(limit=1)]
        paper = await hub.papers.info(daily.paper.id)
        citing = await hub.papers.repos(daily.paper.id)
        group = (await hub.resource_groups.list("demo-org"))[0]
    rc, out, _ = await cli(capsys, local.url, "papers", "info", paper.id, "--table")
    card = dict(line.split(None, 1) for line in out.splitlines())
    assert rc == 0 and card["id"] == paper.id and card["title"] == paper.title
    assert card["authors"].startswith(", ".join(a.name for a in (paper.authors or ())[:2]))
    assert card["models"].startswith(f"({paper.num_total_models}) ")
    assert card["published"].endswith(" UTC") and "linked_models" not in card

    rc, out, _ = await cli(capsys, local.url, "papers", "repos", paper.id, "--table")
    header, *rows = out.splitlines()
    assert (rc, header.split()) == (0, ["TYPE", "ID", "LIKES", "DOWNLOADS"])
    ids = [m.id for m in citing.models or ()] + [d.id for d in citing.datasets or ()]
    ids += [s.id for s in citing.spaces or ()]
    assert [row.split()[1] for row in rows] == ids

    argv = ("resource-groups", "get", "demo-org", group.id, "--table")
    rc, out, _ = await cli(capsys, local.url, *argv)
    card_text, table = out.split("\n\n")
    card = dict(line.split(None, 1) for line in card_text.splitlines())
    assert (rc, card["name"], card["auto_join"], card["users"]) == (0, "research", "off", "2")
    assert [line.split() for line in table.splitlines()] == [
        ["USER", "ROLE", "ADDED_BY"],
        ["demo", "admin", "demo"],
        ["alice", "write", "demo"],
    ]
    rc, out, _ = await cli(capsys, local.url, "resource-groups", "list", "demo-org", "--table")
    assert out.splitlines()[1].split() == [group.id, "research", "2", "0", "off"]


# -- usage errors and Hub errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["collections", "get", "demo/no-id"], "Invalid collection slug"),
        (["collections", "get", FAV, "--columns", "id,bogus"], "unknown column bogus"),
        (["collections", "list", "--item", "frobs/x"], "Invalid item filter"),
        (["collections", "create", " "], "title must not be empty"),
        (["collections", "update", FAV], "nothing to update"),
        (["collections", "add-item", FAV, "x", "frob"], "invalid choice"),
        (["collections", "add-item", FAV, "not-arxiv", "paper"], "Invalid paper id"),
        (["collections", "delete-item", FAV, "xyz"], "Invalid collection item id"),
        (["collections", "delete", FAV], "Pass --yes to confirm"),
        (["papers", "info", "12345"], "Invalid"),
        (["papers", "daily", "--date", "2025-13-01"], "date must be"),
        (["papers", "daily", "--date", "2025-01-01", "--week", "2025-W01"], "not allowed with"),
        (["orgs", "members", "bad org"], "Invalid organization name"),
        (["resource-groups", "get", "demo-org", "123"], "Invalid resource group id"),
        (["repos", "create", "a b"], "Invalid repo id"),
        (["repos", "create", "s", "--type", "space"], "A Space needs an sdk"),
        (["repos", "create", "m", "--sdk", "gradio"], "sdk applies to Spaces only"),
        (["repos", "create", "m", "--private", "--public"], "not allowed with"),
        (["repos", "delete", "demo/x"], "Pass --yes to confirm"),
        (["repos", "delete", "demo/x y", "--yes"], "Invalid repo id"),
        (["repos", "move", "demo/a", "demo/a"], "the same repo"),
        (["repos", "move", "a", "demo/b"], "full 'namespace/name'"),
        (["repos", "settings", "demo/x"], "Nothing to update"),
        (["repos", "settings", "demo/x", "--gated", "yes"], "ambiguous"),
        (["crawl", "org-members", "bad org", "--out", "m.jsonl"], "Invalid organization name"),
        (["crawl", "collections", "--out", "c.jsonl"], "invalid choice"),
    ],
)
async def test_usage_errors_exit_2_before_any_request(
    local: LocalHub,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    local.requests.clear()
    rc, out, err = await cli(capsys, local.url, *argv)
    assert (rc, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert local.requests == []


@pytest.mark.parametrize(
    ("token", "argv", "message"),
    [
        (TOKEN, ["collections", "get", "demo/gone-0123456789abcdef01234567"], "Collection not"),
        (TOKEN, ["papers", "info", "2501.00001"], "Paper not found"),
        (TOKEN, ["resource-groups", "list", "alice-lab"], "not a member of alice-lab"),
        (BOB, ["repos", "create", "demo-org/bobs"], "rights to create a model"),
        (BOB, ["collections", "add-item", FAV, "gpt2", "model"], "rights to edit collections"),
        (TOKEN, ["repos", "move", "demo/nothing", "demo/else"], "Repository not found"),
    ],
)
async def test_hub_errors_exit_1_with_the_message_and_never_the_token(
    local: LocalHub, capsys: pytest.CaptureFixture[str], token: str, argv: list[str], message: str
) -> None:
    rc, out, err = await cli(capsys, local.url, *argv, token=token)
    assert (rc, out) == (1, "")
    assert err.startswith("error: ") and message in err
    assert token not in err and "Traceback" not in err


# -- hubapi crawl org-members -----------------------------------------------------------------


async def test_org_members_crawl_resumes_and_keeps_the_hubs_bytes(
    tap: Tap, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "members.jsonl"
    argv = ("crawl", "org-members", "demo-org", "--out", str(out))
    real = _crawl.write_state
    calls = 0

    def stop_after_two_pages(path: Path, state: Any) -> None:
        nonlocal calls
        real(path, state)
        calls += 1
        if calls == 3:  # the fresh state, then two pages
            raise KeyboardInterrupt

    monkeypatch.setattr(_crawl, "write_state", stop_after_two_pages)
    rc, _, err = await cli(capsys, tap.url, *argv)
    assert rc == 130 and "50 items saved" in err
    monkeypatch.setattr(_crawl, "write_state", real)
    rc, _, err = await cli(capsys, tap.url, *argv, "--resume")
    assert rc == 0 and "done: 123 items" in err
    state = json.loads((tmp_path / "members.jsonl.state").read_text())
    assert (state["kind"], state["target"], state["items"]) == ("org-members", "demo-org", 123)
    every = raw_items(tap.bodies("GET", "/api/organizations/demo-org/members"))
    assert out.read_bytes().splitlines() == every  # 2 pages, then the 3 left, as sent

    rc, _, err = await cli(
        capsys, tap.url, "crawl", "org-members", "alice-lab", "--out", str(out), "--resume"
    )
    assert rc == 2 and "crawl of org-members demo-org, not alice-lab" in err


def test_help_says_which_listings_crawl_and_why_not() -> None:
    def helptext(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "hubapi_async.cli", *argv, "--help"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return " ".join(done.stdout.split())

    assert "Not crawlable with `hubapi crawl`: every order the Hub offers" in helptext(
        "collections", "list"
    )
    assert (
        "Not crawlable with `hubapi crawl`: the Hub pages Daily Papers by page number"
        in helptext("papers", "daily")
    )
    assert "hubapi crawl org-members ORG --out FILE" in helptext("orgs", "members")
    assert "order they joined the organization" in helptext("crawl", "org-members")
    assert "--yes" in helptext("repos", "delete") and "--struct" not in helptext("repos", "delete")

"""``hubapi`` write commands for repos and collections, against a local Hub: the Hub's state
changes, the requests are exactly the SDK's (compared with a twin Hub the SDK drives), the
output is the Hub's answer byte for byte (seen through a recording proxy) or what was done,
and a delete asks first on a terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import msgspec
import pytest

from hubapi_async import HubClient, NotFoundError, RepositoryNotFoundError
from hubapi_async.testing import LocalHub

from ._cli_tools import Tap, run_on_terminal
from .test_cli import records
from .test_cli_crawl import children_get_sigint
from .test_cli_families import EMPTY, FAV, SIZES, TOKEN, cli, line_of, wire


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


@pytest.fixture
def thread_hub() -> Iterator[str]:
    with LocalHub(**SIZES).in_thread() as url:
        yield url


# -- writes: the Hub changes, and the wire is the SDK's ----------------------------------------

Step = tuple[list[str], Callable[[HubClient], Awaitable[Any]]]


async def play(
    steps: list[Step], tap: Tap, local: LocalHub, twin: LocalHub, capsys: Any
) -> list[tuple[str, list[bytes]]]:
    """Run each step with the CLI (through the tap) and with the SDK (on the twin); check
    both Hubs received the very same requests. Returns each step's output and answers."""
    local.requests.clear()
    twin.requests.clear()
    outputs = []
    for argv, _ in steps:
        tap.answers.clear()
        rc, out, err = await cli(capsys, tap.url, *argv)
        assert (rc, err) == (0, ""), argv
        outputs.append((out, [a.body for a in tap.answers if a.method != "GET"]))
    async with HubClient(twin.url, token=TOKEN) as hub:
        for _, sdk_call in steps:
            await sdk_call(hub)
    assert wire(local) == wire(twin)
    return outputs


async def test_repo_writes(tap: Tap, local: LocalHub, twin: LocalHub, capsys: Any) -> None:
    steps: list[Step] = [
        (
            ["repos", "create", "demo/made", "--private"],
            lambda h: h.repos.create("demo/made", private=True),
        ),
        (
            ["repos", "create", "stage", "--type", "space", "--sdk", "gradio"],
            lambda h: h.repos.create("stage", repo_type="space", sdk="gradio"),
        ),
        (
            ["repos", "settings", "demo/made", "--public", "--gated", "manual"],
            lambda h: h.repos.update_settings("demo/made", private=False, gated="manual"),
        ),
        (
            ["repos", "move", "demo/made", "demo/renamed"],
            lambda h: h.repos.move("demo/made", "demo/renamed"),
        ),
        (
            ["repos", "delete", "demo/stage", "--type", "space", "--yes"],
            lambda h: h.repos.delete("demo/stage", repo_type="space"),
        ),
        (
            ["repos", "create", "demo/renamed", "--exist-ok"],
            lambda h: h.repos.create("demo/renamed", exist_ok=True),
        ),
    ]
    (
        (created, answers),
        (space, _),
        (settings, _),
        (moved, _),
        (deleted, _),
        (exists, _),
    ) = await play(steps, tap, local, twin, capsys)
    assert created == line_of(answers[0])  # the Hub's {"url", "name", "id"}, byte for byte
    assert json.loads(space)["url"].endswith("/spaces/demo/stage")
    assert json.loads(settings) == {
        "repo_id": "demo/made",
        "type": "model",
        "visibility": "public",
        "gated": "manual",
    }
    assert json.loads(moved) == {
        "repo_id": "demo/renamed",
        "moved_from": "demo/made",
        "type": "model",
    }
    assert json.loads(deleted) == {"repo_id": "demo/stage", "type": "space", "deleted": True}
    assert json.loads(exists) == {"url": f"{local.url}/demo/renamed", "name": "demo/renamed"}
    async with HubClient(local.url, token=TOKEN) as hub:
        info = await hub.models.info("demo/renamed")
        assert (info.private, info.gated) == (False, "manual")
        assert (await hub.models.info("demo/made")).id == "demo/renamed"  # a redirect now
        with pytest.raises(RepositoryNotFoundError):
            await hub.spaces.info("demo/stage")


async def test_collection_writes(tap: Tap, local: LocalHub, twin: LocalHub, capsys: Any) -> None:
    async with HubClient(local.url, token=TOKEN) as hub:
        (dataset,) = [d.id async for d in hub.datasets.list(limit=1)]
        first, second, *_ = [
            item.object_id for item in (await hub.collections.get(FAV)).items or ()
        ]
    bert = "google-bert/bert-base-uncased"
    steps: list[Step] = [
        (
            ["collections", "create", "CLI picks", "--private", "--item", bert, "model"],
            lambda h: h.collections.create(
                title="CLI picks", private=True, item_id=bert, item_type="model"
            ),
        ),
        (
            ["collections", "add-item", FAV, dataset, "dataset", "--note", "a dataset"],
            lambda h: h.collections.add_item(FAV, dataset, "dataset", note="a dataset"),
        ),
        (
            ["collections", "update-item", FAV, first, "--position", "3", "--note", "moved"],
            lambda h: h.collections.update_item(FAV, first, position=3, note="moved"),
        ),
        (
            ["collections", "update", FAV, "--description", "new words", "--theme", "green"],
            lambda h: h.collections.update(FAV, description="new words", theme="green"),
        ),
        (
            ["collections", "delete-item", FAV, second],
            lambda h: h.collections.delete_item(FAV, second),
        ),
        (["collections", "delete", EMPTY, "--yes"], lambda h: h.collections.delete(EMPTY)),
    ]
    outputs = await play(steps, tap, local, twin, capsys)
    (created, made), (added, add), (moved, _), (updated, patch), (removed, _), (gone, _) = outputs
    assert created == line_of(made[0]) and added == line_of(add[0])
    envelope = msgspec.json.decode(patch[0], type=dict[str, msgspec.Raw])
    assert updated == line_of(bytes(envelope["data"]))  # the collection inside {"data": ...}
    assert json.loads(moved) == {
        "slug": FAV,
        "item_object_id": first,
        "note": "moved",
        "position": 3,
    }
    assert json.loads(removed) == {"slug": FAV, "item_object_id": second, "deleted": True}
    assert json.loads(gone) == {"slug": EMPTY, "deleted": True}
    async with HubClient(local.url, token=TOKEN) as hub:
        mine = await hub.collections.get(json.loads(created)["slug"])
        assert mine.private is True and [i.id for i in mine.items or ()] == [bert]
        fav = await hub.collections.get(FAV)
        assert (fav.description, fav.theme) == ("new words", "green")
        items = {i.object_id: i for i in fav.items or ()}
        # Moved to 3, then up one place when an item before it left.
        assert second not in items and items[first].position == 2
        assert items[first].note is not None and items[first].note.text == "moved"
        assert any(
            i.id == dataset and i.note and i.note.text == "a dataset" for i in items.values()
        )
        with pytest.raises(NotFoundError):
            await hub.collections.get(EMPTY)


async def test_write_messages_for_people_and_struct_output(
    tap: Tap, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with HubClient(tap.url, token=TOKEN) as hub:
        items = (await hub.collections.get(FAV)).items or ()
    first, last = items[0], items[-1]
    rc, out, _ = await cli(
        capsys, tap.url, "collections", "add-item", FAV, first.id, first.type, "--exist-ok"
    )
    assert rc == 0 and out == line_of(tap.bodies("GET", "/api/collections/")[-1])  # the lookup
    rc, out, _ = await cli(capsys, tap.url, "collections", "update", FAV, "--private", "--struct")
    (row,) = records(out)
    assert (
        row["private"] is True and "object_id" in row["items"][0] and "_id" not in row["items"][0]
    )

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)  # people, as on a terminal
    expected = [
        (
            ["repos", "create", "demo/said"],
            f"created model repo demo/said: {tap.target}/demo/said",
        ),
        (["repos", "create", "demo/said", "--exist-ok"], "model repo demo/said already exists: "),
        (
            ["repos", "settings", "demo/said", "--private", "--gated", "off"],
            "updated model repo demo/said: visibility=private, gated=false",
        ),
        (
            ["collections", "add-item", FAV, first.id, first.type, "--exist-ok"],
            f"{first.type} {first.id} is already in {FAV} (",
        ),
        (
            ["collections", "delete-item", FAV, last.object_id, "--missing-ok"],
            f"removed item {last.object_id} from {FAV}",
        ),
        (
            ["collections", "delete-item", FAV, last.object_id, "--missing-ok"],
            f"no item {last.object_id} in {FAV}: none removed",
        ),
    ]
    for argv, start in expected:
        rc, out, err = await cli(capsys, tap.url, *argv)
        assert (rc, err) == (0, "")
        assert out.startswith(start) and out.count("\n") == 1 and "{" not in out, argv


def test_a_delete_asks_first_on_a_terminal(thread_hub: str) -> None:
    base = ["--endpoint", thread_hub, "--token", TOKEN]
    assert run_on_terminal([*base, "repos", "create", "doomed"])[0] == 0
    rc, out = run_on_terminal([*base, "repos", "delete", "doomed"], answer=b"n\n")
    assert rc == 2
    assert "Delete model repo doomed for good? [y/N]" in out and "not confirmed" in out
    with children_get_sigint():
        rc, out = run_on_terminal([*base, "repos", "delete", "doomed"], interrupt=True)
    assert (rc, out.splitlines()[-1]) == (130, "interrupted")
    rc, out = run_on_terminal([*base, "repos", "delete", "doomed"], answer=b"y\n")
    assert rc == 0 and out.endswith("deleted model repo doomed\n")
    rc, out = run_on_terminal([*base, "repos", "delete", "doomed", "--yes", "--missing-ok"])
    assert (rc, out) == (0, "no model repo doomed: none deleted\n")

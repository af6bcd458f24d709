"""Path and host injection through every identifier of every public method.

Each identifier (repo ids, revisions, subset and split names, shard numbers, organization
names, group ids, usernames, arXiv ids, collection slugs and item ids, repo and item
types) gets the same hostile values: dot segments, extra slashes, encoded slashes, query
and fragment marks, NUL, CR/LF header injection, URLs and authorities, backslashes,
non-ASCII, bidi overrides, over-long names. Each one must be a ``ValueError`` (or a
``TypeError``) before any request, or travel percent-encoded as one path segment so that
the request the local Hub records is exactly the intended route with that segment — on
the Hub's origin. Identifiers carried in a query string or a JSON body must arrive as
exactly one value. A completeness check fails when a public method gains an identifier
the table does not cover.

Figures (bad inputs tried, refused, sent encoded, escaped their route: must be 0) go to
``.reliability/security_injection.json``.
"""

from __future__ import annotations

import functools
import inspect
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pytest
import pytest_asyncio

from hubapi_async import HubClient, HubError, RetryPolicy
from hubapi_async.testing import LocalHub

from ._helpers import clean_env, record_figures

EVIL = [
    "..",
    ".",
    "../admin",
    "a/../../etc/passwd",
    "..%2f..%2fadmin",
    "%2e%2e",
    "%2e%2e%2fadmin",
    "a%2Fb",
    "a/b/c",
    "/a",
    "a/",
    "a//b",
    "",
    " ",
    "a?b=1",
    "a#b",
    "a&b=1",
    "a;b",
    "a%00b",
    "a\x00b",
    "a\nb",
    "a\r\nX-Injected: 1",
    "a\tb",
    "a b",
    "a+b",
    "https://evil.example/x",
    "//evil.example/x",
    "@evil.example",
    "a@evil.example",
    "a:b@evil.example",
    "a\\..\\b",
    "café",
    "\u202eevil",
    "\ud800",
    "a" * 200,
    "-a",
    "a.",
    ".a",
    "a--b",
    "a..b",
    "a.git",
    "~a",
    "*",
]

HEX = "0123456789abcdef01234567"
SLUG = f"demo/benign-title-{HEX}"
#: The benign value of each identifier: unique enough to be found in the path it builds.
BENIGN = {
    "repo_id": "demo/benignrepo",
    "revision": "benignrev",
    "subset": "benignsubset",
    "split": "benignsplit",
    "n": 0,
    "from_id": "demo/benignfrom",
    "to_id": "demo/benignto",
    "org": "benignorg",
    "group_id": HEX,
    "username": "benignuser",
    "repo_type": "model",
    "arxiv_id": "2409.11074",
    "slug": SLUG,
    "item_id": "demo/benignitem",
    "item_type": "model",
    "item_object_id": HEX,
}

Call = Callable[[HubClient, dict[str, Any], Path], Awaitable[Any]]


async def _first(paginator: Any) -> None:
    async with paginator as items:
        async for _ in items:
            break


async def _stream(context: Any) -> None:
    async with context as chunks:
        async for _ in chunks:
            break


def _repo(family: str) -> dict[str, Call]:
    return {
        "info": lambda h, a, t: getattr(h, family).info(a["repo_id"], a["revision"]),
        "info_path": lambda h, a, t: _value(
            getattr(h, family).info_path(a["repo_id"], a["revision"])
        ),
    }


async def _value(value: Any) -> Any:
    return value


#: (namespace, method) -> how to call it with the identifiers in ``a``.
CALLS: dict[tuple[str, str], Call] = {
    **{("models", m): c for m, c in _repo("models").items()},
    **{("datasets", m): c for m, c in _repo("datasets").items()},
    **{("spaces", m): c for m, c in _repo("spaces").items()},
    ("datasets", "croissant"): lambda h, a, t: h.datasets.croissant(a["repo_id"]),
    ("datasets", "parquet"): lambda h, a, t: h.datasets.parquet(
        a["repo_id"], a["subset"], a["split"]
    ),
    ("datasets", "parquet_shard"): lambda h, a, t: _stream(
        h.datasets.parquet_shard(a["repo_id"], a["subset"], a["split"], a["n"])
    ),
    ("datasets", "download_parquet_shard"): lambda h, a, t: h.datasets.download_parquet_shard(
        a["repo_id"], a["subset"], a["split"], a["n"], t / "shard.parquet"
    ),
    ("repos", "create"): lambda h, a, t: h.repos.create(a["repo_id"], repo_type=a["repo_type"]),
    ("repos", "delete"): lambda h, a, t: h.repos.delete(a["repo_id"], repo_type=a["repo_type"]),
    ("repos", "update_settings"): lambda h, a, t: h.repos.update_settings(
        a["repo_id"], repo_type=a["repo_type"], private=True
    ),
    ("repos", "move"): lambda h, a, t: h.repos.move(
        a["from_id"], a["to_id"], repo_type=a["repo_type"]
    ),
    ("organizations", "members"): lambda h, a, t: _first(h.organizations.members(a["org"])),
    ("resource_groups", "list"): lambda h, a, t: h.resource_groups.list(a["org"]),
    ("resource_groups", "get"): lambda h, a, t: h.resource_groups.get(a["org"], a["group_id"]),
    ("resource_groups", "create"): lambda h, a, t: h.resource_groups.create(a["org"], name="g"),
    ("resource_groups", "update"): lambda h, a, t: h.resource_groups.update(
        a["org"], a["group_id"], name="g2"
    ),
    ("resource_groups", "update_settings"): lambda h, a, t: h.resource_groups.update_settings(
        a["org"], a["group_id"], auto_join=False
    ),
    ("resource_groups", "delete"): lambda h, a, t: h.resource_groups.delete(
        a["org"], a["group_id"]
    ),
    ("resource_groups", "add_users"): lambda h, a, t: h.resource_groups.add_users(
        a["org"], a["group_id"], users={"alice": "read"}
    ),
    ("resource_groups", "remove_user"): lambda h, a, t: h.resource_groups.remove_user(
        a["org"], a["group_id"], a["username"]
    ),
    ("resource_groups", "update_user_role"): lambda h, a, t: h.resource_groups.update_user_role(
        a["org"], a["group_id"], a["username"], role="read"
    ),
    ("resource_groups", "get_repo_group"): lambda h, a, t: h.resource_groups.get_repo_group(
        a["repo_id"], a["repo_type"]
    ),
    ("resource_groups", "set_repo_group"): lambda h, a, t: h.resource_groups.set_repo_group(
        a["repo_id"], a["repo_type"], a["group_id"]
    ),
    ("papers", "info"): lambda h, a, t: h.papers.info(a["arxiv_id"]),
    ("papers", "repos"): lambda h, a, t: h.papers.repos(a["arxiv_id"]),
    ("collections", "get"): lambda h, a, t: h.collections.get(a["slug"]),
    ("collections", "update"): lambda h, a, t: h.collections.update(a["slug"], title="t"),
    ("collections", "delete"): lambda h, a, t: h.collections.delete(a["slug"]),
    ("collections", "add_item"): lambda h, a, t: h.collections.add_item(
        a["slug"], a["item_id"], a["item_type"]
    ),
    ("collections", "update_item"): lambda h, a, t: h.collections.update_item(
        a["slug"], a["item_object_id"], note="n"
    ),
    ("collections", "delete_item"): lambda h, a, t: h.collections.delete_item(
        a["slug"], a["item_object_id"]
    ),
}
#: Positional parameters that are not identifiers sent to the Hub.
NOT_IDENTIFIERS = {("datasets", "download_parquet_shard", "path")}
#: Identifiers that must be refused whatever the hostile value (closed sets, numbers).
CLOSED = {"n", "repo_type", "item_type"}
#: Keyword arguments that name something but travel in the query string.
QUERY: dict[str, Callable[[HubClient, str], Awaitable[Any]]] = {
    "models.list(author)": lambda h, v: _first(h.models.list(author=v, limit=1)),
    "models.list(search)": lambda h, v: _first(h.models.list(search=v, limit=1)),
    "datasets.list(author)": lambda h, v: _first(h.datasets.list(author=v, limit=1)),
    "spaces.list(filter)": lambda h, v: _first(h.spaces.list(filter=v, limit=1)),
    "collections.list(owner)": lambda h, v: _first(h.collections.list(owner=v, limit=1)),
    "collections.list(q)": lambda h, v: _first(h.collections.list(q=v, limit=1)),
    "papers.daily(submitter)": lambda h, v: _first(h.papers.daily(submitter=v, limit=1)),
    "organizations.members(search)": lambda h, v: _first(
        h.organizations.members("demo-org", search=v, limit=1)
    ),
}
QUERY_KEYS = {
    "author": "author",
    "search": "search",
    "filter": "filter",
    "owner": "owner",
    "q": "q",
    "submitter": "submitter",
}

TALLY: Counter[str] = Counter()


def identifiers(namespace: str, method: str) -> list[str]:
    hub = HubClient("http://127.0.0.1:9", token=False)
    fn = getattr(getattr(hub, namespace), method)
    return [
        name
        for name, p in inspect.signature(fn).parameters.items()
        if p.kind is p.POSITIONAL_OR_KEYWORD and (namespace, method, name) not in NOT_IDENTIFIERS
    ]


CASES = [(ns, m, name) for (ns, m) in CALLS for name in identifiers(ns, m)]


@dataclass
class Target:
    lh: LocalHub
    hub: HubClient


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def target() -> AsyncIterator[Target]:
    lh = LocalHub(models=5, datasets=5, spaces=5)
    policy = RetryPolicy(max_retries=0)
    with pytest.MonkeyPatch.context() as patch:
        clean_env(patch)
        async with lh, HubClient(lh.url, token="hf_local_token", retry=policy) as hub:
            yield Target(lh, hub)


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if TALLY:
        record_figures("security_injection", dict(TALLY))


def test_every_identifier_of_every_public_method_is_covered() -> None:
    hub = HubClient("http://127.0.0.1:9", token=False)
    namespaces = ["models", "datasets", "spaces", "repos", "users", "organizations"]
    namespaces += ["resource_groups", "papers", "collections"]
    missing = []
    for ns in namespaces:
        for method, _ in inspect.getmembers(getattr(hub, ns), inspect.ismethod):
            if method.startswith("_") or (ns, method) in CALLS:
                continue
            if identifiers(ns, method):
                missing.append(f"{ns}.{method}")
    assert missing == []


async def _run(make: Callable[[], Awaitable[Any]]) -> tuple[BaseException | None, Any]:
    """Build the call and await it: (the refusal or the Hub's error, the value)."""
    try:
        return None, await make()
    except (ValueError, TypeError, HubError) as exc:
        return exc, None


def _expected(benign_path: str, name: str, value: Any) -> str | None:
    """The intended route with ``value`` in place of the benign one (``None``: body-borne)."""
    given = BENIGN[name]
    if isinstance(given, int):
        return None
    needle = given if "/" in given else quote(given, safe="")
    if needle not in benign_path:
        return None
    try:
        encoded = quote(value, safe="")
    except UnicodeEncodeError:  # not text a URL can carry: only a refusal is right
        return "<refused>"
    return benign_path.replace(needle, encoded, 1)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(("namespace", "method", "name"), CASES)
async def test_hostile_identifiers_are_refused_or_stay_in_their_segment(
    target: Target, tmp_path: Path, namespace: str, method: str, name: str
) -> None:
    escaped = await probe(target, tmp_path, namespace, method, name)
    TALLY["escaped their route"] += len(escaped)
    assert escaped == []


@pytest.mark.asyncio(loop_scope="module")
async def test_the_probe_notices_an_identifier_that_escapes_its_segment(
    target: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Revisions put in the path as they are: "a/b/c" and "../admin" leave the route.
    monkeypatch.setattr("hubapi_async._resources._families.quote_revision", lambda r: r)
    escaped = await probe(target, tmp_path, "models", "info", "revision", tally=Counter())
    assert {e[0] for e in escaped} >= {"a/b/c", "a/", "a//b", "a?b=1"}


async def probe(
    target: Target,
    tmp_path: Path,
    namespace: str,
    method: str,
    name: str,
    *,
    tally: Counter[str] = TALLY,
) -> list[tuple[Any, ...]]:
    """Call ``namespace.method`` with each hostile ``name``: what left its route."""
    call = CALLS[(namespace, method)]
    lh, hub = target.lh, target.hub
    start = len(lh.requests)
    _, benign_value = await _run(lambda: call(hub, dict(BENIGN), tmp_path))
    benign = lh.requests[start:]
    # info_path builds the path without sending it: the path is what is checked.
    builds_only = method == "info_path"
    benign_path = benign_value if builds_only else benign[0].path
    assert isinstance(benign_path, str), "the benign call sent nothing"
    escaped: list[tuple[Any, ...]] = []
    for value in EVIL:
        tally["bad inputs tried"] += 1
        before = len(lh.requests)
        arguments = {**BENIGN, name: value}
        outcome, returned = await _run(functools.partial(call, hub, arguments, tmp_path))
        sent = lh.requests[before:]
        if isinstance(outcome, ValueError | TypeError):
            assert sent == [], (name, value)  # refused before any request
            tally["refused before any request"] += 1
            continue
        if name in CLOSED:
            escaped.append((value, "accepted outside its closed set"))
            continue
        expected = _expected(benign_path, name, value)
        wanted = benign_path if expected is None else expected
        if builds_only:
            path = returned
        elif not sent or any(r.origin != "hub" for r in sent):
            escaped.append((value, [(r.origin, r.path) for r in sent]))
            continue
        else:
            path = sent[0].path
            if sent[0].method != benign[0].method:
                escaped.append((value, sent[0].method))
                continue
            if expected is None:  # carried in the JSON body: as one string value
                assert value in str(sent[0].json()), (value, sent[0].body)
        if path != wanted:
            escaped.append((value, path, wanted))
            continue
        tally["sent percent-encoded in one segment"] += 1
    return escaped


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("label", sorted(QUERY))
async def test_hostile_query_identifiers_arrive_as_exactly_one_value(
    target: Target, label: str
) -> None:
    key = QUERY_KEYS[label.partition("(")[2].rstrip(")")]
    lh, hub = target.lh, target.hub
    wrong = []
    for value in EVIL:
        TALLY["bad inputs tried"] += 1
        before = len(lh.requests)
        outcome, _ = await _run(functools.partial(QUERY[label], hub, value))
        sent = lh.requests[before:]
        if isinstance(outcome, ValueError | TypeError):
            assert sent == [], value
            TALLY["refused before any request"] += 1
            continue
        assert sent and all(r.origin == "hub" for r in sent), value
        query = parse_qs(sent[0].query_string, keep_blank_values=True)
        if query.get(key) != [value] or sent[0].path != sent[0].path.split("?")[0]:
            wrong.append((value, sent[0].path, sent[0].query_string))
            continue
        TALLY["sent as one query value"] += 1
    TALLY["escaped their route"] += len(wrong)
    assert wrong == []

"""Link targets, pure functions and fuzzed: only a usable URL or a PaginationError comes out."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from hubapi_async import PaginationError, Paginator, Response
from hubapi_async._links import canonical_path, parse_link_next, split_url, url_key
from hubapi_async._pagination import _Walker

ENDPOINT = "https://mirror.example"
BASE = f"{ENDPOINT}/api/models?limit=2"

# Every character, surrogates included (aiohttp decodes odd header bytes to them).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
HEADER = st.text(ANY_CHAR, max_size=300)


def key(url: str, params: Sequence[tuple[str, str]] = ()) -> str:
    return url_key(split_url(url), params)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://hf.co/api/models?a=1", "HTTPS://HF.CO/api/models?a=1"),
        ("https://hf.co/api/models?a=1", "https://hf.co:443/api/models?a=1"),
        ("http://hf.co/api/models", "http://hf.co:80/api/models"),
        ("https://hf.co/api/models?a=1&b=2", "https://hf.co/api/models?b=2&a=1"),
        ("https://hf.co/api/models?a=x%2Fy", "https://hf.co/api/models?a=x%2fy"),
        ("https://hf.co/api/models?a=%7E", "https://hf.co/api/models?a=~"),
        ("https://hf.co/api/models?a=b+c", "https://hf.co/api/models?a=b%20c"),
        ("https://hf.co/api/models?a=1", "https://hf.co/api/models?a=1#fragment"),
        ("https://hf.co/api/models?a=1", "https://hf.co/api/models?&a=1&"),
        ("https://hf.co/api/models", "https://hf.co/api/./x/../models"),
        ("https://hf.co/api/m%7Edels", "https://hf.co/api/m~dels"),
        ("https://hf.co/api/models", "https://hf.co./api/models"),
        ("https://b\u00fccher.example/x", "https://xn--bcher-kva.example/x"),
        ("http://[::1]:8080/x", "http://[0:0:0:0:0:0:0:1]:8080/x"),
    ],
)
def test_one_page_in_two_spellings_has_one_key(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://hf.co/api/models", "http://hf.co/api/models"),
        ("https://hf.co/api/models", "https://hf.co:8443/api/models"),
        ("https://hf.co/api/models?a=1", "https://hf.co/api/models?a=2"),
        ("https://hf.co/api/models?cursor=x", "https://hf.co/api/models?cursor=X"),
        ("https://hf.co/api/a%2Fb", "https://hf.co/api/a/b"),
        ("https://hf.co/api/models", "https://hf.co/api/Models"),
    ],
)
def test_different_pages_have_different_keys(a: str, b: str) -> None:
    assert key(a) != key(b)


def test_decoded_params_count_like_the_query() -> None:
    assert key(f"{ENDPOINT}/api/models", [("search", "a b"), ("limit", "1")]) == key(
        f"{ENDPOINT}/api/models?limit=1&search=a+b"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://hf.co/x", "scheme"),
        ("javascript:alert(1)", "absolute"),
        ("//hf.co/x", "absolute"),
        ("https://user:pw@hf.co/x", "credentials"),
        ("https://@hf.co/x", "credentials"),
        ("https://hf.co:99999/x", "port"),
        ("https://hf.co:0/x", "port"),
        ("https://hf.co:8a/x", "port"),
        ("https://hf.co:1:2/x", "port"),
        ("https:///x", "host"),
        ("https://a..b/x", "host"),
        ("https://%68f.co/x", "host"),
        ("https://\u3002/x", "host"),
        ("https://xn--ls8h\u00e9.example/x", "host"),
        ("https://[::1/x", "IPv6"),
        ("https://[::1]x/x", "IPv6"),
        ("https://[fe80::1%25eth0]/x", "IPv6"),
        ("https://[not:an:address]/x", "IPv6"),
        ("https://h\udcff.example/x", "text"),
        ("https://hf.co/" + "a" * 20_000, "length"),
    ],
)
def test_unusable_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        split_url(url)


def test_split_url_keeps_what_was_sent_and_escapes_the_rest() -> None:
    parts = split_url("HTTPS://HF.co:443/api/m\u00f6dels?cursor=a%3D%3D&x=[1]#frag")
    assert parts.origin == ("https", "hf.co", 443)
    assert parts.path == "/api/m%C3%B6dels"
    assert parts.query == "cursor=a%3D%3D&x=[1]"
    assert parts.url == "https://hf.co/api/m%C3%B6dels?cursor=a%3D%3D&x=[1]"
    assert split_url("http://h:8080").url == "http://h:8080/"


def test_canonical_path_removes_dot_segments() -> None:
    assert canonical_path("/a/b/../c/./d") == "/a/c/d"
    assert canonical_path("/a/%2E%2E/b") == "/b"
    assert canonical_path("/../../a") == "/a"
    assert canonical_path("/a/b/..") == "/a/"


@given(st.lists(HEADER, max_size=4), HEADER)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_parse_link_next_never_raises(values: list[str], base: str) -> None:
    result = parse_link_next(values, base)
    assert result is None or isinstance(result, str)
    result = parse_link_next(values, BASE)
    assert result is None or isinstance(result, str)


@given(HEADER)
@settings(max_examples=400)
def test_split_url_raises_only_value_error(url: str) -> None:
    try:
        parts = split_url(url)
    except ValueError:
        return
    assert parts.scheme in ("http", "https")
    assert url_key(parts)
    assert split_url(parts.url).origin == parts.origin


HOSTS = st.one_of(
    st.sampled_from(
        [
            "mirror.example",
            "MIRROR.example",
            "mirror.example:443",
            "mirror.example:80",
            "huggingface.co",
            "user:pw@mirror.example",
            "mirror.example:99999",
            "mirror.example:",
            "[::1]",
            "[::1",
            "b\u00fccher.example",
            "\u3002",
            "a..b",
            "%6dirror.example",
            "",
        ]
    ),
    st.text(ANY_CHAR, max_size=30),
)
PATHS = st.one_of(
    st.sampled_from(["/api/models", "/api/./models", "/API/models", "/api/datasets", "", "/"]),
    st.text(ANY_CHAR, max_size=30).map(lambda t: "/" + t),
)
QUERIES = st.one_of(
    st.sampled_from(["", "?limit=2", "?cursor=abc", "?limit=2#f", "?%zz=1&&"]),
    st.text(ANY_CHAR, max_size=30).map(lambda t: "?" + t),
)
SCHEMES = st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "javascript:", "//", ""])
URLS = st.builds(lambda s, h, p, q: s + h + p + q, SCHEMES, HOSTS, PATHS, QUERIES)
RELS = st.sampled_from(["next", '"next"', "NEXT", '"prev next"', "prev", ""])
LINKS = st.one_of(
    st.builds(lambda u, r: f"<{u}>; rel={r}", URLS, RELS),
    HEADER,
)


def _run(coro: Any) -> Any:
    """Drive a coroutine that never suspends (the fake fetch answers at once)."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    raise AssertionError("the walker suspended")  # pragma: no cover


def _walker(links: list[str]) -> tuple[_Walker[Any], list[str]]:
    asked: list[str] = []

    async def fetch(target: str, params: Sequence[tuple[str, str]] | None) -> Response:
        asked.append(target)
        url = f"{ENDPOINT}{target}" if target.startswith("/") else target
        headers = CIMultiDictProxy(CIMultiDict([("Link", link) for link in links]))
        return Response(200, headers, b"[1, 2]", url, "GET")

    return _Walker(fetch, "/api/models", [("limit", "2")], int, split_url(ENDPOINT)), asked


@given(st.lists(LINKS, min_size=1, max_size=3))
@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
def test_any_link_ends_as_a_page_on_the_endpoint_or_a_pagination_error(links: list[str]) -> None:
    walker, asked = _walker(links)
    page = _run(walker.next_page())
    assert page.items == [1, 2]  # the page is always delivered
    for _ in range(3):
        try:
            page = _run(walker.next_page())
        except PaginationError:
            break
        if page is None:
            break
        assert page.items == [1, 2]
    for target in asked[1:]:
        # nothing is ever requested anywhere but the endpoint's origin
        assert split_url(target).origin == ("https", "mirror.example", 443)
    assert len(asked) == len(set(map(key, (f"{ENDPOINT}{asked[0]}?limit=2", *asked[1:]))))


@given(HEADER)
@settings(max_examples=300)
def test_any_resume_url_is_accepted_or_a_value_error(url: str) -> None:
    async def fetch(target: str, params: Sequence[tuple[str, str]] | None) -> Response:
        raise AssertionError("no request")  # pragma: no cover

    with contextlib.suppress(ValueError):
        Paginator(fetch, url, params=None, item_type=int, endpoint=ENDPOINT)


def _scripted(endpoint: str, links: list[str | None]) -> tuple[_Walker[Any], list[str]]:
    """A walker whose n-th page carries links[n] (``None``: no Link header)."""
    asked: list[str] = []
    base = split_url(endpoint)

    async def fetch(target: str, params: Sequence[tuple[str, str]] | None) -> Response:
        link = links[len(asked)]
        asked.append(target)
        url = f"{base.base}{base.path.rstrip('/')}{target}" if target.startswith("/") else target
        headers = CIMultiDict([("Link", link)] if link is not None else [])
        return Response(200, CIMultiDictProxy(headers), b"[1]", url, "GET")

    return _Walker(fetch, "/api/models", None, int, base), asked


def test_mirror_links_keep_the_endpoints_path_prefix(caplog: pytest.LogCaptureFixture) -> None:
    walker, asked = _scripted(
        "https://mirror.example/hf",
        [
            '<https://huggingface.co/api/models?cursor=2>; rel="next"',
            '<https://huggingface.co/api/models?cursor=3>; rel="next"',
            None,
        ],
    )
    caplog.set_level("INFO", logger="hubapi_async")
    pages = [_run(walker.next_page()) for _ in range(3)]
    assert asked == [
        "/api/models",
        "https://mirror.example/hf/api/models?cursor=2",
        "https://mirror.example/hf/api/models?cursor=3",
    ]
    assert [p.next_url for p in pages] == [asked[1], asked[2], None]
    assert _run(walker.next_page()) is None
    assert len([r for r in caplog.records if "huggingface.co" in r.getMessage()]) == 1


def test_a_same_origin_link_is_spelled_as_the_endpoint_spells_it() -> None:
    walker, asked = _scripted(
        ENDPOINT, ['<HTTPS://MIRROR.example:443/api/models?cursor=2#top>; rel="next"', None]
    )
    _run(walker.next_page())
    _run(walker.next_page())
    assert asked[1] == f"{ENDPOINT}/api/models?cursor=2"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("<https://huggingface.co/api/datasets?cursor=2>", "another origin"),
        ("<https://huggingface.co/api/models/../datasets?cursor=2>", "another origin"),
        ("<https://mirror.example:99999/api/models>", "port"),
        ("<https://u:p@mirror.example/api/models>", "credentials"),
        ("</api/models>", "loop"),
        ("<https://huggingface.co/api/models>", "loop"),
    ],
)
def test_refused_links_fail_the_read_after_the_page(link: str, message: str) -> None:
    walker, asked = _scripted(ENDPOINT, [f'{link}; rel="next"', None])
    page = _run(walker.next_page())
    assert page.items == [1]
    with pytest.raises(PaginationError, match=message):
        _run(walker.next_page())
    with pytest.raises(PaginationError, match=message):  # and stays failed
        _run(walker.next_page())
    assert asked == ["/api/models"]

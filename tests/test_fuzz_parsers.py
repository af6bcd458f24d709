"""Fuzz of the pure functions every response goes through: header parsers, URL checks,
error mapping, body decoding and identifier validation. No I/O, no event loop.

Each property says what may come out: a parsed value within its documented range, or
``None`` (the parsers never raise); a ``HubHTTPError`` that prints and pickles; a Struct
or a ``DecodeError``; a ``ValueError`` and nothing else from a strict check. The number
of inputs tried is written to ``.reliability/fuzz_parsers.json``.
"""

from __future__ import annotations

import math
import os
import pickle
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy

from hubapi_async import DecodeError, HubHTTPError, Response
from hubapi_async._links import parse_link_next, split_url, url_key
from hubapi_async._protocol import (
    KNOWN_BUCKETS,
    bucket_for_path,
    error_for_response,
    is_repo_route,
    parse_ratelimit,
    parse_ratelimit_policy,
    parse_retry_after,
)
from hubapi_async._response import log_hub_warnings
from hubapi_async._validation import (
    quote_revision,
    quote_segment,
    validate_arxiv_id,
    validate_collection_slug,
    validate_namespace,
    validate_repo_id,
)
from hubapi_async.types import (
    Collection,
    Croissant,
    DatasetInfo,
    ModelInfo,
    PaperInfo,
    ParquetFilesBySubset,
    SpaceInfo,
    WhoAmI,
)

from ._fuzzing import (
    bodies,
    link_values,
    policy_values,
    ratelimit_values,
    retry_after_values,
    urls,
)
from ._helpers import record_figures

EXAMPLES = int(os.environ.get("HUBAPI_FUZZ_EXAMPLES", "300"))
PURE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OWN = "hub.example:8443"
BASE = f"https://{OWN}/api/models?limit=5"
TEXT = st.text(max_size=200)
DECODED = st.one_of(TEXT, st.binary(max_size=100).map(lambda b: b.decode("latin-1")))
TRIED: Counter[str] = Counter()


def text_of(values: st.SearchStrategy[bytes]) -> st.SearchStrategy[str]:
    """Header values as aiohttp hands them over (UTF-8, undecodable bytes escaped)."""
    return values.map(lambda raw: raw.decode("utf-8", "surrogateescape"))


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if TRIED:
        record_figures(
            "fuzz_parsers",
            {"inputs_by_property": dict(TRIED), "inputs": sum(TRIED.values())},
        )


@PURE
@given(value=st.one_of(text_of(ratelimit_values()), DECODED, st.none()))
def test_ratelimit_is_a_state_in_range_or_none(value: str | None) -> None:
    TRIED["RateLimit"] += 1
    state = parse_ratelimit(value)
    if state is not None:
        assert isinstance(state.bucket, str) and 0 < len(state.bucket) <= 64
        assert isinstance(state.remaining, int) and state.remaining >= 0
        assert math.isfinite(state.reset_in) and state.reset_in >= 0


@PURE
@given(value=st.one_of(text_of(policy_values()), DECODED, st.none()))
def test_ratelimit_policy_is_a_policy_in_range_or_none(value: str | None) -> None:
    TRIED["RateLimit-Policy"] += 1
    policy = parse_ratelimit_policy(value)
    if policy is not None:
        assert isinstance(policy.bucket, str) and policy.bucket
        assert isinstance(policy.quota, int) and policy.quota >= 0
        assert math.isfinite(policy.window) and policy.window > 0


@PURE
@given(value=st.one_of(text_of(retry_after_values()), DECODED, st.none()))
def test_retry_after_is_a_finite_wait_or_none(value: str | None) -> None:
    TRIED["Retry-After"] += 1
    wait = parse_retry_after(value, now=1_700_000_000.0)
    assert wait is None or (math.isfinite(wait) and wait >= 0)


@PURE
@given(
    values=st.lists(st.one_of(text_of(link_values(OWN)), DECODED), max_size=3),
    base=st.one_of(st.just(BASE), urls(OWN)),
)
def test_link_next_is_a_url_or_none_and_its_check_only_says_value_error(
    values: list[str], base: str
) -> None:
    TRIED["Link"] += 1
    found = parse_link_next(values, base)
    if found is None:
        return
    assert isinstance(found, str)
    try:
        parts = split_url(found)
    except ValueError:
        return
    assert parts.scheme in ("http", "https") and parts.host and 0 < parts.port <= 65535
    assert parts.path.startswith("/")
    # The canonical spelling is stable: the URL it spells out splits to the same key.
    assert url_key(split_url(parts.url)) == url_key(parts)


@PURE
@given(url=st.one_of(urls(OWN), DECODED))
def test_split_url_accepts_or_says_value_error(url: str) -> None:
    TRIED["URL check"] += 1
    try:
        parts = split_url(url)
    except ValueError as exc:
        refusal = str(exc)
    else:
        refusal = ""
    if refusal:
        return
    assert url_key(split_url(parts.url)) == url_key(parts)
    assert not any(c.isspace() or ord(c) < 0x20 for c in parts.url)


_HEADER_NAMES = st.sampled_from(
    [
        "X-Error-Code",
        "X-Error-Message",
        "RateLimit",
        "RateLimit-Policy",
        "Retry-After",
        "Content-Type",
        "X-Request-Id",
        "Authorization",
        "Set-Cookie",
        "WWW-Authenticate",
    ]
)


@PURE
@given(
    status=st.integers(100, 999),
    headers=st.lists(st.tuples(_HEADER_NAMES, DECODED), max_size=6),
    body=bodies(listing=False),
    repo_route=st.booleans(),
    token_sent=st.booleans(),
)
def test_any_error_answer_maps_to_a_hub_http_error(
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    repo_route: bool,
    token_sent: bool,
) -> None:
    TRIED["error mapping"] += 1
    proxy = CIMultiDictProxy(CIMultiDict(headers))
    err = error_for_response(
        status, proxy, body, BASE, repo_route=repo_route, token_sent=token_sent
    )
    assert isinstance(err, HubHTTPError) and err.status == status
    assert err.retry_after is None or (math.isfinite(err.retry_after) and err.retry_after >= 0)
    assert err.server_message is None or len(err.server_message) <= 500
    assert str(err) and repr(err)
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err) and str(again) == str(err)
    for name, value in err.headers.items():
        if name.lower() in ("authorization", "set-cookie"):
            assert value == "[redacted]"


TYPES: list[Any] = [
    ModelInfo,
    list[ModelInfo],
    DatasetInfo,
    list[DatasetInfo],
    SpaceInfo,
    Collection,
    WhoAmI,
    PaperInfo,
    ParquetFilesBySubset,
    Croissant,
    Any,
]


@PURE
@given(body=st.one_of(bodies(listing=True), bodies(listing=False)), tp=st.sampled_from(TYPES))
def test_a_body_decodes_to_its_type_or_raises_decode_error(body: bytes, tp: Any) -> None:
    TRIED["body decoding"] += 1
    response = Response(200, CIMultiDictProxy(CIMultiDict()), body, BASE)
    try:
        value = response.decode(tp)
    except DecodeError as exc:
        failure: DecodeError | None = exc
    else:
        failure = None
    if failure is not None:
        assert failure.status == 200 and failure.url == BASE
        assert len(failure.body_excerpt) <= 200
        return
    if hasattr(value, "to_dict"):
        assert isinstance(value.to_dict(), dict)
    msgspec.json.encode(value)


@PURE
@given(path=st.one_of(DECODED, urls(OWN)))
def test_buckets_and_repo_routes_are_always_answered(path: str) -> None:
    TRIED["bucket and route"] += 1
    assert bucket_for_path(path) in KNOWN_BUCKETS
    assert isinstance(is_repo_route(path), bool)


@PURE
@given(values=st.lists(st.one_of(DECODED, st.integers(), st.none()), max_size=5))
def test_hub_warnings_never_raise(values: list[Any]) -> None:
    TRIED["X-HF-Warning"] += 1
    headers: CIMultiDict[Any] = CIMultiDict()
    for value in values:
        headers.add("X-HF-Warning", value)
    log_hub_warnings(headers, seen=set())


IDENTIFIERS = st.one_of(
    DECODED,
    st.from_regex(r"[A-Za-z0-9_.\-]{1,100}(/[A-Za-z0-9_.\-]{0,100}){0,2}", fullmatch=True),
    st.sampled_from(["..", ".", "a/..", "a/b/c", "%2e%2e", "a\x00", "a b", "a?b", "a#b", "a@b"]),
)


@PURE
@given(value=st.one_of(IDENTIFIERS, st.integers(), st.none(), st.binary(max_size=10)))
def test_identifiers_are_checked_or_refused_with_value_error(value: Any) -> None:
    TRIED["identifier checks"] += 1
    for check in (
        validate_repo_id,
        validate_namespace,
        validate_arxiv_id,
        validate_collection_slug,
    ):
        try:
            accepted = check(value)
        except ValueError:
            continue
        assert accepted == value
        # Whatever is accepted goes into a path as is: nothing there needs escaping.
        assert all(c.isascii() and (c.isalnum() or c in "-_./") for c in accepted)
        assert ".." not in accepted.split("/") and "." not in accepted.split("/")
    for quote in (quote_revision, quote_segment):
        try:
            quoted = quote(value)
        except ValueError:
            continue
        assert "/" not in quoted and "?" not in quoted and "#" not in quoted
        assert quoted not in ("", ".", "..") and unquote(quoted) == value

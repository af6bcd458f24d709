"""Property tests for the pure parts of the request path (no I/O, no loop).

The fast path for the Hub's own ``RateLimit`` form agrees with the tolerant parser; no
header value, however odd, breaks a parser; no ``Location``, however hostile, leaves the
URL rules as anything but a ``HubConnectionError``; and a token is scrubbed from every
attribute of an error, whatever the server echoed.
"""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yarl import URL

import hubapi_async._protocol as p
from hubapi_async._decipher import decipher
from hubapi_async._urlpolicy import check_target, is_credential_header
from hubapi_async._wire import scrub
from hubapi_async.errors import HubConnectionError, HubHTTPError

BUCKETS = st.sampled_from(["api", "resolvers", "pages"])
SPACE = st.sampled_from(["", " ", "\t", "  "])


@settings(max_examples=300, deadline=None)
@given(
    bucket=BUCKETS,
    quoted=st.booleans(),
    r=st.integers(0, 10**15 - 1),
    t=st.integers(0, 10**9 - 1),
    gaps=st.lists(SPACE, min_size=6, max_size=6),
)
def test_the_fast_ratelimit_path_agrees_with_the_tolerant_parser(
    bucket: str, quoted: bool, r: int, t: int, gaps: list[str]
) -> None:
    name = f'"{bucket}"' if quoted else bucket
    value = f"{gaps[0]}{name}{gaps[1]};{gaps[2]}r={r}{gaps[3]};{gaps[4]}t={t}{gaps[5]}"
    fast = p.parse_ratelimit(value)
    slow = p._parse_ratelimit(value)
    assert fast == slow == p.RateLimitState(bucket, r, float(t))


@settings(max_examples=500, deadline=None)
@given(value=st.text(max_size=200))
def test_no_header_value_breaks_a_parser(value: str) -> None:
    p.parse_ratelimit(value)
    p.parse_ratelimit_policy(value)
    p.parse_retry_after(value)
    p.parse_link_next([value], "http://127.0.0.1/api/models")
    headers = {"RateLimit": value, "RateLimit-Policy": value, "Retry-After": value}
    seen = decipher(429, headers, value.encode(), "http://127.0.0.1/x", repo_route=True)
    assert seen.error is not None and seen.error.status == 429


HOSTILE_HOSTS = st.one_of(
    st.text(min_size=1, max_size=30),
    st.sampled_from(["xn--", "xn--a", "bücher.example", "[zz]", "-x-", "a b", "%ff", "。"]),
)


@settings(max_examples=500, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "ftp", "javascript", ""]),
    userinfo=st.sampled_from(["", "user@", "user:pw@", ":@"]),
    host=HOSTILE_HOSTS,
    port=st.one_of(st.just(""), st.integers(-5, 99999).map(lambda n: f":{n}"), st.just(":x")),
)
def test_a_hostile_location_is_accepted_or_a_connection_error(
    scheme: str, userinfo: str, host: str, port: str
) -> None:
    location = f"{scheme}://{userinfo}{host}{port}/path" if scheme else f"//{host}{port}/p"
    base = URL("http://127.0.0.1:8000/api/models", encoded=True)
    try:
        target = base.join(URL(location, encoded=True))
    except ValueError:
        return  # the wire turns this one into HubConnectionError("invalid URL") itself
    try:
        check_target(target, offline=True)
    except HubConnectionError:
        return
    assert target.scheme in ("http", "https")
    assert target.raw_user is None and target.raw_password is None
    assert (
        target.raw_host in ("127.0.0.1", "localhost", "::1")
        or target.raw_host.endswith(".localhost")
        or target.raw_host.startswith("127.")
    )


@settings(max_examples=200, deadline=None)
@given(
    token=st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=8, max_size=40
    ),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_a_token_is_scrubbed_from_every_attribute(token: str, before: str, after: str) -> None:
    echoed = f"{before}{token}{after}"
    err = HubHTTPError(
        echoed,
        status=403,
        url=f"http://127.0.0.1/x?{echoed}",
        headers={"X-Echo": echoed},
        server_message=echoed,
        request_id=echoed,
    )
    scrub(err, token)
    for value in [*vars(err).values(), *err.args]:
        assert token not in str(value)
    assert all(token not in v for v in err.headers.values())
    assert token.encode() not in pickle.dumps(err)


@pytest.mark.parametrize(
    ("name", "credential"),
    [
        ("Authorization", True),
        ("Cookie", True),
        ("X-Api-Key", True),
        ("X-Auth-Token", True),
        ("X-Session-Id", True),
        ("Proxy-Authorization", True),
        ("X-Trace", False),
        ("Accept", False),
        ("Range", False),
        ("If-Range", False),
        ("User-Agent", False),
    ],
)
def test_credential_like_header_names(name: str, credential: bool) -> None:
    assert is_credential_header(name) is credential

"""What the fuzz suite throws at the client: a scripted loopback server and strategies.

``ScriptedServer`` is a tiny HTTP/1.1 server on loopback that answers each request with
the next raw response of its script (the last one repeats), byte for byte: arbitrary
status lines, header bytes that are not UTF-8, wrong ``Content-Length``, broken chunked
framing, bodies compressed or not. An ``aiohttp.web`` server cannot send those, which is
the point. Every connection is closed after one answer.

The strategies build header values (``Link``, ``Location``, ``RateLimit``...) from the
shapes the Hub sends and their near misses, plus arbitrary text and bytes, and bodies
from the Hub's recorded answers, mutated, and from the hostile shapes (deep, huge,
invalid, non-UTF-8 JSON; HTML; gzip that inflates past the size cap).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from ._helpers import recordings_dir

#: The client's ``max_response_size`` in the fuzz suite: bodies around it are generated.
CAP = 64 * 1024

_MODEL = json.loads(
    (recordings_dir() / "models" / "model_info__google-bert_bert-base-uncased.body.json").read_text(
        encoding="utf-8"
    )
)
_PHRASES = {200: b"OK", 206: b"Partial Content", 302: b"Found", 404: b"Not Found"}


# -- the server ------------------------------------------------------------------------------
def http_response(
    status: int | bytes,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    framing: str = "length",
) -> bytes:
    """A raw HTTP/1.1 response; ``framing`` says how the body's end is told.

    ``length``: a right ``Content-Length``; ``short``: it promises more than is sent;
    ``long``: it promises less; ``close``: none, the connection's end tells; ``chunked``:
    valid chunked encoding; ``bad_chunked``: chunk sizes that lie; ``garbage_length``: a
    ``Content-Length`` that is not a number.
    """
    if isinstance(status, int):
        line = b"HTTP/1.1 %d %s\r\n" % (status, _PHRASES.get(status, b"Fuzzed"))
    else:
        line = b"HTTP/1.1 " + status + b"\r\n"
    head = [line, b"Connection: close\r\n"]
    head += [name + b": " + value + b"\r\n" for name, value in headers]
    if framing == "length":
        head.append(b"Content-Length: %d\r\n" % len(body))
    elif framing == "short":
        head.append(b"Content-Length: %d\r\n" % (len(body) + 17))
    elif framing == "long":
        head.append(b"Content-Length: %d\r\n" % max(0, len(body) // 2))
    elif framing == "garbage_length":
        head.append(b"Content-Length: 12ab\r\n")
    elif framing in ("chunked", "bad_chunked"):
        head.append(b"Transfer-Encoding: chunked\r\n")
        if framing == "chunked":
            pieces = [body[i : i + 1000] for i in range(0, len(body), 1000)]
            body = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"
        else:
            body = b"%x\r\n%s\r\nzz\r\n" % (len(body) + 50, body)
    return b"".join(head) + b"\r\n" + body


@dataclass
class Seen:
    """One request the scripted server received."""

    method: str
    target: str
    headers: dict[str, str]


@dataclass
class ScriptedServer:
    """Answers request ``i`` with ``script[i]`` (the last answer repeats)."""

    script: list[bytes] = field(default_factory=list)
    requests: list[Seen] = field(default_factory=list)
    url: str = ""
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def play(self, *answers: bytes) -> None:
        self.script = list(answers)
        self.requests = []

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            first = await reader.readexactly(1)
            if first == b"\x16":  # a TLS ClientHello (an https:// redirect): hang up
                return
            head = first + await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, _, rest = lines[0].partition(" ")
            headers = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if sep:
                    headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0") or 0)
            if length:
                await reader.readexactly(length)
            self.requests.append(Seen(method, rest.rpartition(" ")[0], headers))
            answer = self.script[min(len(self.requests), len(self.script)) - 1]
            writer.write(answer)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
            self._tasks.discard(task)


# -- header values ---------------------------------------------------------------------------
_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, exclude_categories=("Cs",)),
    max_size=60,
)
_PLAIN_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, exclude_categories=("Cs", "Cc")),
    max_size=60,
)
_NUMBERS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "0", "-0", "1e309", "NaN", "inf", "0x10", "٣", "1_000", " 5 ", "5s"]),
)


def _header_bytes(text: str) -> bytes:
    return text.encode("utf-8").replace(b"\r", b" ").replace(b"\n", b" ")


@functools.cache
def raw_values() -> st.SearchStrategy[bytes]:
    """Arbitrary header bytes: any text, any bytes (not UTF-8), without line breaks."""
    return st.one_of(
        _TEXT.map(_header_bytes),
        st.binary(max_size=60).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
    )


#: Whether fuzzed ``Location`` values may hold bad or non-numeric ports, international
#: names, invalid punycode, user info, a DEL in the path (each also pinned, value by value,
#: by ``test_fuzz.test_odd_location_values_end_as_hub_errors``).
ODD_LOCATIONS = True

_ODD_HOSTS = (
    "127.0.0.1:65536",
    "127.0.0.1:99999999999999999999",
    "127.0.0.1:-1",
    "127.0.0.1:port",
    "[::1]:99999",
    "user:secret@{own}",
    "bücher.example",
    "\u2603.example",
    "xn--zz",
    "{own}.",
)


def odd_hosts(own: str) -> list[str]:
    """The hosts the transport mishandles in a ``Location`` today (see ODD_LOCATIONS)."""
    return [host.format(own=own) for host in _ODD_HOSTS]


def odd_locations(own: str) -> list[str]:
    """``Location`` values the transport mishandles today (see ODD_LOCATIONS)."""
    hosts = [f"http://{host}/api/models/fuzz/model" for host in odd_hosts(own)]
    return [*hosts, "/api/models/\x7f", f"http://{own}/api/\x7fmodels"]


@functools.cache
def hosts(own: str, *, odd: bool = True) -> st.SearchStrategy[str]:
    """Hosts (with ports) a URL may name: this server, loopback, foreign, odd, malformed."""
    port = own.rpartition(":")[2]
    plain = [
        f"localhost:{port}",
        "127.0.0.1",
        "127.0.0.1:0",
        f"[::1]:{port}",
        "[::1",
        "[zz::1]",
        "@" + own,
        "huggingface.co",
        "evil.example",
        "xn--bcher-kva.example",
        "ex%61mple.com",
        "a..b",
        "." * 3,
        "",
        "x" * 300,
        own.upper(),
    ]
    if not odd:
        return st.one_of(st.just(own), st.sampled_from(plain))
    return st.one_of(
        st.just(own),
        st.sampled_from(plain + odd_hosts(own)),
        _TEXT.filter(lambda t: "/" not in t and "?" not in t and "#" not in t),
    )


@functools.cache
def urls(own: str, *, odd: bool = True) -> st.SearchStrategy[str]:
    """Absolute and relative URLs around ``own`` (``host:port``); with ``odd=False`` only
    hosts the transport handles today (see ODD_LOCATIONS)."""
    scheme = st.sampled_from(["http", "https", "HTTP", "hTtP", "ftp", "javascript", "file", ""])
    # A path never starts with "//" here: that would be a host of its own.
    text = _TEXT if odd else _PLAIN_TEXT
    path = st.one_of(
        st.sampled_from(["/api/models", "/api/models?cursor=abc&limit=5", "/", "", "/../x"]),
        text.map(lambda t: "/" + t.lstrip("/")),
    )
    absolute = st.builds(lambda s, h, p: f"{s}://{h}{p}", scheme, hosts(own, odd=odd), path)
    relative = st.one_of(
        path,
        st.sampled_from(["?cursor=next", "//evil.example/api/models", "../x", "#frag", "."]),
    )
    if not odd:
        return st.one_of(absolute, relative)
    return st.one_of(absolute, relative, _TEXT)


@functools.cache
def link_values(own: str) -> st.SearchStrategy[bytes]:
    """``Link`` header values: the Hub's shape, its variants and garbage."""
    rel = st.sampled_from(['rel="next"', "rel=next", 'rel="NEXT prev"', 'rel="prev"', "rel=", ""])
    one = st.builds(lambda u, r: f"<{u}>; {r}", urls(own), rel)
    several = st.lists(one, min_size=1, max_size=4).map(", ".join)
    return st.one_of(several, _TEXT, st.just("<>; rel=next")).map(_header_bytes) | raw_values()


@functools.cache
def ratelimit_values() -> st.SearchStrategy[bytes]:
    bucket = st.sampled_from(['"api"', "api", '"resolvers"', '"pages"', '"x"', '""', "", '"a'])
    shaped = st.builds(
        lambda b, r, t, extra: f"{b};r={r};t={t}{extra}",
        bucket,
        _NUMBERS,
        _NUMBERS,
        st.sampled_from(["", ", garbage", ";r=1", ";;", ', "api";r=5;t=5']),
    )
    return st.one_of(shaped.map(_header_bytes), raw_values())


@functools.cache
def policy_values() -> st.SearchStrategy[bytes]:
    shaped = st.builds(
        lambda b, q, w: f'"fixed window";{b};q={q};w={w}',
        st.sampled_from(['"api"', "api", '"resolvers"', '""', "x y"]),
        _NUMBERS,
        _NUMBERS,
    )
    return st.one_of(shaped.map(_header_bytes), raw_values())


@functools.cache
def retry_after_values() -> st.SearchStrategy[bytes]:
    dates = st.sampled_from(
        [
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Mon, 01 Jan 0001 00:00:00 GMT",
            "Sun, 06 Nov 1994 08:49:37 +9999",
            "Tue, 32 Foo 2024 25:61:61 GMT",
        ]
    )
    return st.one_of(_NUMBERS.map(_header_bytes), dates.map(str.encode), raw_values())


@functools.cache
def content_types() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(
            [
                b"application/json",
                b"application/json; charset=utf-8",
                b"application/json; charset=latin-1",
                b"application/json; charset=nonsense",
                b"text/html; charset=utf-8",
                b"text/plain",
                b"application/octet-stream",
                b"application/vnd.apache.parquet",
                b"",
            ]
        ),
        raw_values(),
    )


@functools.cache
def content_ranges() -> st.SearchStrategy[bytes]:
    shaped = st.builds(
        lambda a, b, c: f"bytes {a}-{b}/{c}", _NUMBERS, _NUMBERS, _NUMBERS | st.just("*")
    )
    return st.one_of(shaped.map(_header_bytes), st.just(b"bytes */100"), raw_values())


@functools.cache
def locations(own: str) -> st.SearchStrategy[bytes]:
    """``Location`` header values (see ODD_LOCATIONS)."""
    shaped = urls(own, odd=ODD_LOCATIONS).map(_header_bytes)
    return shaped | raw_values() if ODD_LOCATIONS else shaped


@functools.cache
def header_sets(own: str) -> st.SearchStrategy[list[tuple[bytes, bytes]]]:
    """Any mix of the headers the client reads, each maybe present, maybe repeated."""
    named = [
        (b"Link", link_values(own)),
        (b"Location", locations(own)),
        (b"RateLimit", ratelimit_values()),
        (b"RateLimit-Policy", policy_values()),
        (b"Retry-After", retry_after_values()),
        (b"Content-Type", content_types()),
        (b"Content-Range", content_ranges()),
        (b"X-Error-Code", st.sampled_from([b"RepoNotFound", b"GatedRepo", b""]) | raw_values()),
        (b"X-Error-Message", raw_values()),
        (b"X-Request-Id", raw_values()),
        (b"X-HF-Warning", raw_values()),
        (b"ETag", raw_values()),
    ]
    pair = st.one_of(*(st.tuples(st.just(name), values) for name, values in named))
    return st.lists(pair, max_size=6)


# -- bodies ----------------------------------------------------------------------------------
_JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    _TEXT,
)
_JSON = st.recursive(
    _JSON_LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=8,
)


def _mutated_model(draw: st.DrawFn) -> dict[str, Any]:
    doc = dict(_MODEL)
    for key in draw(st.lists(st.sampled_from(sorted(doc)), max_size=4, unique=True)):
        if draw(st.booleans()):
            del doc[key]
        else:
            doc[key] = draw(_JSON)
    doc.update(draw(st.dictionaries(_TEXT, _JSON, max_size=2)))
    return doc


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    """A recorded model answer, some keys dropped or given values of another type."""
    return _mutated_model(draw)


def _deep(depth: int, opener: bytes, closer: bytes) -> bytes:
    return opener * depth + b"1" + closer * depth


@st.composite
def bodies(draw: st.DrawFn, *, listing: bool) -> bytes:
    """A body: usually what the route returns (maybe mutated), else a hostile one."""
    kind = draw(
        st.sampled_from(
            ["good", "good", "good", "json", "deep", "huge", "bomb", "bad", "binary", "html", ""]
        )
    )
    if kind == "good":
        if listing:
            return json.dumps(draw(st.lists(models(), max_size=3))).encode()
        return json.dumps(draw(models())).encode()
    if kind == "json":
        return json.dumps(draw(_JSON)).encode()
    if kind == "deep":
        depth = draw(st.sampled_from([500, 5_000, 30_000]))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
        return _deep(depth, opener, closer)
    if kind == "huge":
        size = draw(st.sampled_from([CAP - 100, CAP + 1, 4 * CAP]))
        # Words broken by spaces: errors.py masks bodies with a regex that is quadratic on
        # one long word (pinned by test_masking_a_long_error_body_is_linear).
        filler = json.dumps({"id": "a/b", "pad": "x " * (size // 2)}).encode()
        return b"[" + filler + b"]" if listing else filler
    if kind == "bomb":  # a small body that inflates far past the cap (sent gzip-encoded)
        return b'{"id": "a/b", "pad": "' + b"0 " * (4 * CAP) + b'"}'
    if kind == "bad":
        return draw(
            st.sampled_from(
                [
                    b'{"id": "a/b"',
                    b'{"id": "\xff\xfe"}',
                    b"\xef\xbb\xbf{}",
                    b'{"downloads": NaN}',
                    b'{"downloads": 1e400}',
                    b'{"id": "a", "id": 5}',
                    b"[1, 2,]",
                    b"null",
                    b"\x00\x00",
                ]
            )
        )
    if kind == "binary":
        return draw(st.binary(max_size=200))
    if kind == "html":
        return b"<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>"
    return b""


@st.composite
def answers(draw: st.DrawFn, own: str, *, listing: bool = False) -> bytes:
    """One raw response: a status, fuzzed headers, a body, its framing and encoding.

    Two in five are well framed 200s carrying what the route returns (mutated): only their
    headers are fuzzed, so the success path is exercised as much as the failures.
    """
    headers = draw(header_sets(own))
    if draw(st.integers(0, 4)) < 2:
        good = draw(st.lists(models(), max_size=3)) if listing else draw(models())
        return http_response(200, headers, json.dumps(good).encode())
    status = draw(
        st.one_of(
            st.sampled_from([200, 200, 200, 201, 204, 206, 301, 302, 307, 308, 304]),
            st.sampled_from([400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504]),
            st.integers(100, 999),
        )
    )
    body = draw(bodies(listing=listing))
    encoding = draw(st.sampled_from(["", "", "", "gzip", "deflate", "gzip-lie", "br-lie"]))
    if body.startswith(b'{"id": "a/b", "pad": "0'):
        encoding = "gzip"
    if encoding == "gzip":
        body, headers = gzip.compress(body), [*headers, (b"Content-Encoding", b"gzip")]
    elif encoding == "deflate":
        body, headers = zlib.compress(body), [*headers, (b"Content-Encoding", b"deflate")]
    elif encoding.endswith("-lie"):  # says compressed, is not
        headers = [*headers, (b"Content-Encoding", encoding[:-4].encode())]
    framing = draw(
        st.sampled_from(
            ["length"] * 6 + ["close", "chunked", "short", "long", "bad_chunked", "garbage_length"]
        )
    )
    if draw(st.integers(0, 30)) == 0:  # now and then, a status line that is not one
        return http_response(draw(raw_values()), headers, body, framing)
    return http_response(status, headers, body, framing)

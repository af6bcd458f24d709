"""What a call returns (``Response``) and the per-call defaults it runs with."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import msgspec
from multidict import CIMultiDict, CIMultiDictProxy

from ._options import RetryPolicy, Timeout
from ._protocol import parse_link_next
from .errors import DecodeError
from .types import decoder_for

__all__ = ["CallOptions", "Response", "log_hub_warnings"]

T = TypeVar("T")

log = logging.getLogger("hubapi_async")

_MAX_WARNING = 1000
_warned_topics: set[str] = set()


def log_hub_warnings(headers: Mapping[str, str], seen: set[str] | None = None) -> None:
    """Log the Hub's ``X-HF-Warning: topic; message`` headers at WARNING, once per topic.

    A response may carry several; the topic is optional (``X-HF-Warning: message``).
    ``seen`` holds the topics already logged (by default, one set for the process).
    Malformed or empty values are ignored; this never raises.
    """
    getall = getattr(headers, "getall", None)
    values: Iterable[object] = (
        getall("X-HF-Warning", ()) if getall is not None else _values(headers, "x-hf-warning")
    )
    done = _warned_topics if seen is None else seen
    for value in values:
        if not isinstance(value, str):
            continue
        topic, sep, message = value.partition(";")
        topic, message = (topic.strip(), message.strip()) if sep else ("", topic.strip())
        if not message or topic in done:
            continue
        done.add(topic)
        text = "".join(c if c.isprintable() else " " for c in message[:_MAX_WARNING])
        log.warning("the Hub warns%s: %s", f" ({topic[:100]})" if topic else "", text)


def _values(headers: Mapping[str, str], name: str) -> list[str]:
    return [v for k, v in headers.items() if str(k).lower() == name]


def _rebuild(
    status: int, headers: list[tuple[str, str]], body: bytes, url: str, method: str
) -> Response:
    return Response(status, CIMultiDictProxy(CIMultiDict(headers)), body, url, method)


@dataclass(frozen=True, slots=True)
class Response:
    """A whole HTTP response: status, headers and body bytes (connection released).

    Its repr shows the status, URL and method only: what the server sent may echo a
    credential, and a locals-capturing traceback records every repr.
    """

    status: int
    headers: CIMultiDictProxy[str] = field(repr=False)
    body: bytes = field(repr=False)
    url: str
    method: str = "GET"

    @property
    def request_id(self) -> str | None:
        """The Hub's ``X-Request-Id``."""
        return self.headers.get("X-Request-Id")

    @property
    def etag(self) -> str | None:
        """The ``ETag`` header."""
        return self.headers.get("ETag")

    @property
    def repo_commit(self) -> str | None:
        """The ``X-Repo-Commit`` header (the commit a file or repo answer comes from)."""
        return self.headers.get("X-Repo-Commit")

    @property
    def next_url(self) -> str | None:
        """The absolute URL of the ``Link: <...>; rel="next"`` header, if any."""
        return parse_link_next(self.headers.getall("Link", ()), self.url)

    def __reduce__(self) -> tuple[Any, ...]:
        # The headers of a live response are a read-only proxy, which does not pickle.
        return (
            _rebuild,
            (self.status, list(self.headers.items()), self.body, self.url, self.method),
        )

    def decode(self, tp: type[T], what: str | None = None) -> T:
        """The body decoded into ``tp`` (a Struct, ``list[ModelInfo]``, ``dict[...]``).

        Raises ``DecodeError`` (with status, URL, request id and a body excerpt) when the
        body is not JSON or not of that shape; ``what`` names the expected shape.
        """
        try:
            return decoder_for(tp).decode(self.body)
        except (msgspec.DecodeError, msgspec.ValidationError, RecursionError) as exc:
            expected = what or f"a valid {getattr(tp, '__name__', str(tp))}"
            why = "its JSON is nested too deeply" if isinstance(exc, RecursionError) else exc
            raise DecodeError(
                f"the response from {self.url} is not {expected}: {why}",
                status=self.status,
                url=self.url,
                body=self.body,
                request_id=self.request_id,
            ) from None

    def json(self) -> Any:
        """The body decoded as JSON (``DecodeError`` when it is not JSON)."""
        return self.decode(cast("type[Any]", Any), "JSON")


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Per-call defaults of a client or one of its views (the repr shows no token or header)."""

    token: str | None = field(repr=False)
    token_explicit: bool
    timeout: Timeout
    retry: RetryPolicy
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)

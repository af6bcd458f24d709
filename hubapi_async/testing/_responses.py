"""Response helpers: the Hub's error bodies and headers, and the fault responses."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Final

import msgspec
from aiohttp import web
from multidict import CIMultiDict

from ._faults import Fault

_encode = msgspec.json.Encoder().encode

EXPOSE_HEADERS: Final = (
    "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link,"
    "Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag,X-Xet-Hash"
)
ANONYMOUS_MESSAGE: Final = "Invalid username or password."
BAD_TOKEN_MESSAGE: Final = "Invalid credentials in Authorization header"
WWW_AUTHENTICATE: Final = 'Bearer realm="Authentication required", charset="UTF-8"'
_BAD_JSON: Final = b'[{"_id":"621ffdc036468d709f174338","id":"google-bert/bert-base-uncased",'


@dataclass(frozen=True)
class RecordedRequest:
    """One request the local Hub (or its CDN) received.

    ``path`` and ``query_string`` are as sent (percent-encoding kept); ``headers`` is a copy;
    ``origin`` is ``"hub"`` or ``"cdn"``; ``number`` counts requests from 1 across both;
    ``body`` is the request body as sent (``b""`` when there is none).
    """

    method: str
    path: str
    query_string: str
    headers: CIMultiDict[str]
    origin: str
    number: int
    body: bytes = b""

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when empty)."""
        return json.loads(self.body) if self.body.strip() else None


def request_id() -> str:
    """A request id in the Hub's ``Root=1-<time>-<random>`` form."""
    return f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}"


def hub_headers() -> dict[str, str]:
    """Headers the Hub puts on every response."""
    return {
        "X-Request-Id": request_id(),
        "Access-Control-Expose-Headers": EXPOSE_HEADERS,
        "Vary": "Origin",
        "X-Powered-By": "huggingface-moon",
    }


def json_response(body: bytes, *, status: int = 200) -> web.Response:
    """A JSON response from encoded bytes."""
    return web.Response(body=body, status=status, content_type="application/json", charset="utf-8")


def encode(value: object) -> bytes:
    """Encode ``value`` as compact JSON."""
    return _encode(value)


def json_error(
    status: int,
    message: str,
    *,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """The Hub's error shape: ``{"error": message}`` plus ``X-Error-Message``/``X-Error-Code``."""
    resp = json_response(_encode({"error": message}), status=status)
    resp.headers["X-Error-Message"] = message
    if code is not None:
        resp.headers["X-Error-Code"] = code
    if headers:
        resp.headers.update(headers)
    return resp


def repo_not_found(authenticated: bool) -> web.Response:
    """What the Hub says about a missing (or invisible private) repo.

    Anonymous callers get a 401 without error code (so a private repo's existence does not
    leak); authenticated ones a 404 ``RepoNotFound`` (errors/error_matrix_observations.json).
    """
    if not authenticated:
        return json_error(401, ANONYMOUS_MESSAGE, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    return json_error(404, "Repository not found", code="RepoNotFound")


def not_found_page() -> web.Response:
    """A route the local Hub does not serve."""
    return json_error(404, "Sorry, we can't find the page you are looking for.")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def fault_response(fault: Fault) -> web.Response:
    """The canned answer of a ``status``, ``html`` or ``bad_json`` fault."""
    headers = {"X-Request-Id": request_id(), **fault.headers}
    if fault.kind == "status":
        default = _encode({"error": _phrase(fault.status)})
        resp = web.Response(status=fault.status, body=fault.body_bytes(default))
        resp.content_type = "application/json"
    elif fault.kind == "html":
        if fault.status == 200:
            default = (
                b"<!doctype html>\n<html><head><title>Hugging Face - Sign in</title></head>"
                b"<body><h1>Please sign in to continue</h1></body></html>\n"
            )
        else:
            title = f"{fault.status} {_phrase(fault.status)}"
            default = (
                f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
                f"<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
            ).encode()
        resp = web.Response(status=fault.status, body=fault.body_bytes(default))
        resp.content_type = "text/html"
    else:  # bad_json
        resp = web.Response(status=200, body=fault.body_bytes(_BAD_JSON))
        resp.content_type = "application/json"
    resp.headers.update(headers)
    return resp


def abort_connection(request: web.Request) -> web.Response:
    """Drop the connection without answering (a ``reset`` fault)."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)


async def truncated(request: web.Request, resp: web.StreamResponse) -> web.StreamResponse:
    """Send ``resp``'s headers and half of its body, then close (a ``truncate`` fault)."""
    body = resp.body if isinstance(resp, web.Response) and isinstance(resp.body, bytes) else b""
    out = web.StreamResponse(status=resp.status, reason=resp.reason)
    for name, value in resp.headers.items():
        if name.lower() not in ("content-length", "transfer-encoding"):
            out.headers.add(name, value)
    out.content_length = len(body)
    await out.prepare(request)
    await out.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()
    return out

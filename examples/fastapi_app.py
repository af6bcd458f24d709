"""A multi-tenant FastAPI service in front of the Hub, with hubapi_async.

One HubClient for the whole app (one connection pool, one rate-limit gate), created by
the lifespan; each request gets a view of it carrying the caller's own token, so the
Hub sees every caller as themselves and one caller's quota is not another's. Hub errors
become HTTP answers: 401, 403, 404 and 429 (with Retry-After) are kept, a timeout is a
504, anything else a 502.

    pip install hubapi_async fastapi uvicorn
    uvicorn examples.fastapi_app:app        # HF_ENDPOINT may point at `hubapi serve`
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import msgspec
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from hubapi_async import (
    HubClient,
    HubError,
    HubHTTPError,
    HubTimeoutError,
    RateLimitError,
    RetryPolicy,
    Timeout,
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Anonymous by default: a caller's token is added per request, never the server's.
    # A handler should not sit out a long rate-limit wait: beyond 5 s, answer 429.
    async with HubClient(
        token=False,
        timeout=Timeout(connect=5, read=20, deadline=30),
        retry=RetryPolicy(max_retries=2, max_rate_limit_wait=5.0),
    ) as hub:
        app.state.hub = hub
        yield


app = FastAPI(title="Hub proxy", lifespan=lifespan)


def hub_for_caller(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> HubClient:
    """The app's client, as the caller: their bearer token, or anonymous."""
    hub: HubClient = request.app.state.hub
    if authorization is None:
        return hub
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "expected 'Authorization: Bearer <Hugging Face token>'")
    return hub.with_options(token=token.strip())


Hub = Annotated[HubClient, Depends(hub_for_caller)]


@app.exception_handler(HubError)
async def hub_error(request: Request, exc: HubError) -> JSONResponse:
    """A Hub error as an HTTP answer; its message never holds a token."""
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimitError):
        status = 429
        wait = exc.retry_after if exc.retry_after is not None else exc.reset_in
        headers["Retry-After"] = str(max(1, math.ceil(wait or 1)))
    elif isinstance(exc, HubHTTPError) and exc.status in (401, 403, 404):
        status = exc.status
    elif isinstance(exc, HubTimeoutError):
        status = 504
    else:
        status = 502
    body: dict[str, Any] = {"error": str(exc)}
    if isinstance(exc, HubHTTPError) and exc.request_id:
        body["hub_request_id"] = exc.request_id
    return JSONResponse(body, status_code=status, headers=headers)


@app.exception_handler(ValueError)
async def bad_input(request: Request, exc: ValueError) -> JSONResponse:
    """Invalid ids are refused by the client before any request is sent."""
    return JSONResponse({"error": str(exc)}, status_code=400)


@app.get("/models/{repo_id:path}")
async def model_info(repo_id: str, hub: Hub) -> Response:
    """One model, as the Hub's keys (msgspec encodes the Struct with its wire names)."""
    info = await hub.models.info(repo_id)
    return Response(msgspec.json.encode(info), media_type="application/json")


@app.get("/models")
async def list_models(
    hub: Hub,
    author: str | None = None,
    search: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[dict[str, Any]]:
    """A page of models, as snake_case dicts (``to_dict()``)."""
    listing = hub.models.list(author=author, search=search, limit=limit)
    return [m.to_dict() async for m in listing]


@app.get("/me")
async def whoami(hub: Hub) -> dict[str, Any]:
    """The caller's own account."""
    me = await hub.users.whoami()
    return me.to_dict()

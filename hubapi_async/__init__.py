"""hubapi_async: an asyncio-first client for the Hugging Face Hub HTTP API.

>>> async with HubClient() as hub:
...     async for m in hub.models.list(author="google", limit=5):
...         print(m.id)
"""

from typing import TYPE_CHECKING, Any

from ._client import HubClient
from ._options import RetryPolicy, Timeout
from ._pagination import Page, Paginator
from ._response import Response
from ._version import __version__
from .errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DecodeError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HubConnectionError,
    HubError,
    HubHTTPError,
    HubTimeoutError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
    RevisionNotFoundError,
    ServerError,
)

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "BulkMap",
    "BulkResult",
    "ConflictError",
    "DecodeError",
    "DisabledRepoError",
    "EntryNotFoundError",
    "GatedRepoError",
    "HubClient",
    "HubConnectionError",
    "HubError",
    "HubHTTPError",
    "HubTimeoutError",
    "NotFoundError",
    "Page",
    "PaginationError",
    "Paginator",
    "PermissionDeniedError",
    "RateLimitError",
    "RepositoryNotFoundError",
    "RepositoryNotFoundOrPrivateError",
    "Response",
    "RetryPolicy",
    "RevisionNotFoundError",
    "ServerError",
    "Timeout",
    "__version__",
]

if TYPE_CHECKING:
    from ._bulk import BulkMap, BulkResult


def __getattr__(name: str) -> Any:
    # Bulk calls need anyio, which costs a fifth of the import time: loaded on first use.
    if name in ("BulkMap", "BulkResult"):
        from . import _bulk

        return getattr(_bulk, name)
    raise AttributeError(f"module 'hubapi_async' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

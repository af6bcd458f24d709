"""The public surface is pinned: changing it is a decision, not an accident."""

from __future__ import annotations

import hubapi_async
from hubapi_async import errors

EXPECTED = [
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


def test_top_level_all_is_pinned_and_sorted() -> None:
    assert hubapi_async.__all__ == EXPECTED
    assert sorted(hubapi_async.__all__, key=str.lower) == [
        n for n in sorted(EXPECTED, key=str.lower)
    ]
    for name in hubapi_async.__all__:
        assert getattr(hubapi_async, name) is not None


def test_every_error_is_re_exported_at_the_top() -> None:
    for name in errors.__all__:
        if name[0].isupper() and name != "STATUS_ERRORS":
            assert getattr(hubapi_async, name) is getattr(errors, name)


def test_public_names_have_docstrings() -> None:
    for name in hubapi_async.__all__:
        obj = getattr(hubapi_async, name)
        if callable(obj):
            assert obj.__doc__, name


def test_py_typed_ships() -> None:
    from importlib.resources import files

    assert files("hubapi_async").joinpath("py.typed").is_file()

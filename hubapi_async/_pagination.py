"""Lazy pagination over the Hub's ``Link: <...>; rel="next"`` headers.

A listing that pages some other way (``/api/daily_papers`` counts pages, ``?p=0,1,2...``)
passes a :data:`NextPage` strategy: consulted only while the server sends no ``Link``,
it names the next page from the page just read, or ends the walk.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

from yarl import URL

from .errors import PaginationError

__all__ = ["NextPage", "Page", "Paginator"]

T = TypeVar("T")

#: Fetch one page: (absolute URL or path, query params or None) -> the whole Response.
FetchPage = Callable[[str, "Sequence[tuple[str, str]] | None"], Awaitable[Any]]

#: Where to go after a page that carries no ``Link``: ``(response, items on that page)``
#: -> the next page's URL, or ``None`` to stop. ``response`` is the page's whole
#: :class:`~hubapi_async.Response` (its ``url`` carries the query that was sent). Once a
#: page did carry a ``Link``, the server is trusted to page: a later page without one is
#: the last, and the strategy is no longer asked.
NextPage = Callable[[Any, int], "str | None"]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing."""

    #: The decoded items of this page.
    items: list[T]
    #: The URL of the following page, or ``None`` on the last page.
    next_url: str | None
    #: The URL this page was read from.
    url: str


class _Walker(Generic[T]):
    """Fetches pages one after another, following ``next`` links, with loop checks."""

    def __init__(
        self,
        fetch: FetchPage,
        start: str,
        params: Sequence[tuple[str, str]] | None,
        item_type: type[T],
        same_origin: Callable[[URL], bool],
        next_page: NextPage | None = None,
    ) -> None:
        self._fetch = fetch
        self._target: str | None = start
        self._params = params
        self._type = item_type
        self._same_origin = same_origin
        self._next_page = next_page
        self._linked = False  # the server has sent a Link: it alone says what follows
        self._seen: set[str] = set()
        self._error: PaginationError | None = None

    @property
    def pending(self) -> str | None:
        return self._target

    async def next_page(self) -> Page[T] | None:
        if self._error is not None:
            raise self._error
        target = self._target
        if target is None:
            return None
        response = await self._fetch(target, self._params)
        self._params = None  # later pages follow the Link exactly as sent
        self._seen.add(response.url)
        items = _decode_page(response, self._type)
        next_url = response.next_url
        if next_url is not None:
            self._linked = True
        elif self._next_page is not None and not self._linked:
            next_url = self._next_page(response, len(items))
        self._target = next_url
        if next_url is not None:
            # This page's items are still delivered; the bad link fails the next read.
            self._error = self._check_next(next_url, response.url)
        return Page(items=items, next_url=next_url, url=response.url)

    def _check_next(self, next_url: str, current: str) -> PaginationError | None:
        try:
            url = URL(next_url, encoded=True)
        except (ValueError, TypeError):
            return PaginationError(
                f"the server sent an invalid next-page URL: {next_url!r}", url=current
            )
        if not self._same_origin(url):
            return PaginationError(
                f"the next-page link points to another origin ({url.scheme}://{url.host}); "
                "it was not followed",
                url=current,
            )
        if next_url in self._seen:
            return PaginationError(
                "the next-page link points to a page already read (a pagination loop); "
                "stopping instead of repeating items",
                url=current,
            )
        return None


def _decode_page(response: Any, item_type: type[Any]) -> list[Any]:
    items: list[Any] = response.decode(
        list[item_type],  # type: ignore[valid-type]
        f"a list of {getattr(item_type, '__name__', item_type)}",
    )
    return items


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


class _PageIterator(Generic[T]):
    """Async iterator of pages; with ``prefetch`` it reads one page ahead in a task."""

    def __init__(self, walker: _Walker[T], prefetch: bool, limit: int | None = None) -> None:
        self._walker = walker
        self._prefetch = prefetch
        self._left = limit  # items still wanted: no read-ahead once a page covers them
        self._ahead: asyncio.Task[Page[T] | None] | None = None
        self._done = False
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def __aiter__(self) -> _PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._done:
            raise StopAsyncIteration
        try:
            if self._ahead is not None:
                task, self._ahead = self._ahead, None
                page = await task
            else:
                page = await self._walker.next_page()
        except BaseException:
            self._close_now()
            raise
        if page is None:
            self._close_now()
            raise StopAsyncIteration
        if self._left is not None:
            self._left -= len(page.items)
        wanted = self._left is None or self._left > 0
        if self._prefetch and wanted and page.next_url is not None:
            self._start_ahead()
        return page

    def _start_ahead(self) -> None:
        task = asyncio.ensure_future(self._walker.next_page())
        task.add_done_callback(_swallow)
        self._ahead = task
        if self._finalizer is not None:
            self._finalizer.detach()
        # The task does not reference this iterator, so dropping the iterator after
        # a bare ``break`` lets the finalizer cancel the read-ahead.
        self._finalizer = weakref.finalize(self, task.cancel)

    def _close_now(self) -> None:
        self._done = True
        if self._ahead is not None:
            self._ahead.cancel()
            self._ahead = None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None

    async def aclose(self) -> None:
        """Stop: cancel any read-ahead and wait for it to end."""
        task = self._ahead
        self._close_now()
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)


class _ItemIterator(Generic[T]):
    def __init__(self, paginator: Paginator[T]) -> None:
        self._paginator = paginator
        self._pages = paginator._page_iterator()
        self._buffer: list[T] = []
        self._index = 0
        self._yielded = 0
        self._limit = paginator._limit

    def __aiter__(self) -> _ItemIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._limit is not None and self._yielded >= self._limit:
            await self.aclose()
            raise StopAsyncIteration
        while self._index >= len(self._buffer):
            page = await self._pages.__anext__()
            self._buffer, self._index = page.items, 0
            self._paginator._current = page
            self._paginator._next_url = page.url if page.items else page.next_url
        item = self._buffer[self._index]
        self._index += 1
        self._yielded += 1
        if self._index >= len(self._buffer):
            current = self._paginator._current
            self._paginator._next_url = current.next_url if current else None
        return item

    async def aclose(self) -> None:
        await self._pages.aclose()


class Paginator(Generic[T]):
    """A lazy listing: ``async for item in paginator`` walks it page by page.

    Nothing is requested until iteration starts, and only one page is held at a
    time (``prefetch=True`` reads at most one page ahead). ``limit`` caps the items
    yielded; :meth:`pages` yields :class:`Page` objects; :attr:`next_url` is the
    resume point (pass it back as ``resume_from=``). Use ``async with`` (or
    :meth:`aclose`) for deterministic release when stopping early with prefetch.
    ``next_page`` (a :data:`NextPage`) names the following page when the server
    sends no ``Link``.
    """

    def __init__(
        self,
        fetch: FetchPage,
        start: str,
        *,
        params: Sequence[tuple[str, str]] | None,
        item_type: type[T],
        same_origin: Callable[[URL], bool],
        limit: int | None = None,
        prefetch: bool = False,
        next_page: NextPage | None = None,
    ) -> None:
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise ValueError(f"limit must be a non-negative int, got {limit!r}")
        self._fetch = fetch
        self._start = start
        self._params = params
        self._type = item_type
        self._same_origin = same_origin
        self._limit = limit
        self._prefetch = prefetch
        self._next_page = next_page
        self._next_url: str | None = None
        self._current: Page[T] | None = None
        self._iterators: weakref.WeakSet[Any] = weakref.WeakSet()
        self._started = False

    def __repr__(self) -> str:
        return f"<Paginator of {self._type.__name__} from {self._start!r}>"

    def __await__(self) -> Generator[Any, None, None]:
        raise TypeError(
            "a Paginator is not awaitable: iterate it with 'async for item in ...', "
            "or collect with '[x async for x in ...]'"
        )

    @property
    def next_url(self) -> str | None:
        """Where to resume: the page after the last one whose items were all yielded.

        Before iteration it is ``None``; while a page is being yielded, the URL of that
        page; after its last item, the following page's URL; ``None`` at the end.
        """
        return self._next_url

    def _walker(self) -> _Walker[T]:
        if self._started:
            raise RuntimeError("this Paginator has already been iterated; call list() again")
        self._started = True
        return _Walker(
            self._fetch,
            self._start,
            self._params,
            self._type,
            self._same_origin,
            self._next_page,
        )

    def _page_iterator(self) -> _PageIterator[T]:
        it = _PageIterator(self._walker(), self._prefetch, self._limit)
        self._iterators.add(it)
        return it

    def __aiter__(self) -> AsyncIterator[T]:
        it = _ItemIterator(self)
        self._iterators.add(it)
        return it

    def pages(self) -> AsyncIterator[Page[T]]:
        """Iterate page by page (``Page.items``, ``Page.next_url``)."""
        return self._tracking_pages()

    async def _tracking_pages(self) -> AsyncIterator[Page[T]]:
        it = self._page_iterator()
        remaining = self._limit
        try:
            while remaining is None or remaining > 0:
                try:
                    page = await it.__anext__()
                except StopAsyncIteration:
                    break
                self._current = page
                self._next_url = page.url  # in the consumer's hands: resume here
                following = page.next_url
                if remaining is not None:
                    if len(page.items) > remaining:
                        page = Page(items=page.items[:remaining], next_url=None, url=page.url)
                        following = page.url  # not all of it was yielded
                    remaining -= len(page.items)
                yield page
                self._next_url = following  # the consumer came back: the page is done
        finally:
            await it.aclose()

    async def aclose(self) -> None:
        """Release any read-ahead of iterators started from this paginator."""
        for it in list(self._iterators):
            await it.aclose()

    async def __aenter__(self) -> Paginator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

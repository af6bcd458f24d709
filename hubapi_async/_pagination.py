"""Lazy pagination over the Hub's ``Link: <...>; rel="next"`` headers.

Three parts, one job each:

- :class:`_Walker` fetches one page after another and decides where the next one is
  (:meth:`_Walker._following`): it follows the ``next`` link on the endpoint's own origin,
  refuses links to another origin or back to a page already read (compared in a canonical
  spelling, requested and post-redirect URLs alike), and defers that refusal until the
  page's items are delivered;
- :class:`_PageIterator` hands out pages, reading one ahead in a task with ``prefetch``;
- :class:`Paginator` is what users hold: items (a plain async generator, so each item
  costs what a generator step costs), pages, the resume point and deterministic release.

A listing that pages some other way (``/api/daily_papers`` counts pages, ``?p=0,1,2...``)
passes a :data:`NextPage` strategy: consulted only while the server sends no ``Link``,
it names the next page from the page just read, or ends the walk; its URLs pass the same
origin and loop checks as links.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

from ._links import UrlParts, canonical_path, split_url, url_key
from .errors import PaginationError

__all__ = ["NextPage", "Page", "Paginator"]

T = TypeVar("T")

log = logging.getLogger("hubapi_async")

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


def _parts(url: str) -> UrlParts | None:
    try:
        return split_url(url)
    except ValueError:
        return None


class _Walker(Generic[T]):
    """Fetches pages one after another, following ``next`` links, with loop checks."""

    def __init__(
        self,
        fetch: FetchPage,
        start: str,
        params: Sequence[tuple[str, str]] | None,
        item_type: type[T],
        endpoint: UrlParts,
        next_page: NextPage | None = None,
    ) -> None:
        self._fetch = fetch
        self._next_page = next_page
        self._linked = False  # the server has sent a Link: it alone says what follows
        self._target: str | None = start
        self._params = params
        self._list_type: Any = list[item_type]  # type: ignore[valid-type]
        self._what = f"a list of {getattr(item_type, '__name__', item_type)}"
        self._endpoint = endpoint
        self._prefix = endpoint.path.rstrip("/")
        self._seen: set[str] = set()
        self._checked: tuple[UrlParts, str] | None = None  # the next target, split and keyed
        self._error: PaginationError | None = None
        self._rerouted = False

    @property
    def failed(self) -> bool:
        """True once a page's ``next`` link was refused (the next read raises)."""
        return self._error is not None

    async def next_page(self) -> Page[T] | None:
        if self._error is not None:
            raise self._error
        target = self._target
        if target is None:
            return None
        params, self._params = self._params, None  # later pages follow the link as sent
        checked, self._checked = self._checked, None
        requested: UrlParts | None
        requested_key: str | None
        if checked is not None:
            requested, requested_key = checked
        else:
            base = self._endpoint.base + self._prefix  # what the transport prefixes to a path
            requested = _parts(base + target if target.startswith("/") else target)
            requested_key = None if requested is None else url_key(requested, params)
        response = await self._fetch(target, params)
        items: list[T] = response.decode(self._list_type, self._what)
        if requested_key is not None:
            self._seen.add(requested_key)
        final: UrlParts | None = requested  # not redirected: its key is in already
        if requested is None or params or response.url != requested.url:
            final = _parts(response.url)
            if final is not None:
                self._seen.add(url_key(final))
        try:
            following = self._following(response, items, requested, final)
        except PaginationError as exc:
            # This page's items are still delivered; the refusal fails the next read.
            self._error = exc
            self._target = None
            return Page(items=items, next_url=response.next_url, url=response.url)
        self._target = following
        return Page(items=items, next_url=following, url=response.url)

    def _following(
        self,
        response: Any,
        items: list[T],
        requested: UrlParts | None,
        final: UrlParts | None,
    ) -> str | None:
        """The URL of the page after ``response`` (``None`` on the last one).

        Raises :class:`PaginationError` for a link that must not be followed. This is
        the one place that decides where a listing goes next.
        """
        link = response.next_url
        if link is not None:
            self._linked = True
        elif self._next_page is not None and not self._linked:
            link = self._next_page(response, len(items))
        if link is None:
            return None
        where = response.url
        try:
            parts = split_url(link)
        except ValueError as exc:
            raise PaginationError(
                f"the server sent an unusable next-page URL ({exc}): {link[:300]!r}; "
                "it was not followed",
                url=where,
            ) from None
        if parts.origin == self._endpoint.origin:
            target = parts.moved_to(self._endpoint)  # spelled as the endpoint spells it
        else:
            target = self._reroute(parts, requested, final, where)
        key = url_key(target)
        if key in self._seen:
            raise PaginationError(
                "the next-page link points to a page already read (a pagination loop); "
                "stopping instead of repeating items",
                url=where,
            )
        self._checked = (target, key)
        return target.url

    def _reroute(
        self, link: UrlParts, requested: UrlParts | None, final: UrlParts | None, where: str
    ) -> UrlParts:
        """A link to another origin with this listing's path, moved to the endpoint.

        Behind a mirror (``HF_ENDPOINT``), the Hub's links may name ``huggingface.co``:
        the same listing is then read from the endpoint; nothing is sent elsewhere.
        """
        listing = {canonical_path(p.path) for p in (requested, final) if p is not None}
        path = canonical_path(link.path)
        if path in listing:
            target = link.moved_to(self._endpoint)
        elif self._prefix and canonical_path(self._prefix + link.path) in listing:
            target = link.moved_to(self._endpoint, self._prefix + link.path)
        else:
            raise PaginationError(
                f"the next-page link points to another origin ({link.base}) and another "
                "path; it was not followed",
                url=where,
            )
        if not self._rerouted:
            self._rerouted = True
            log.info(
                "next-page links point to %s; reading the same listing from the endpoint "
                "%s instead",
                link.base,
                self._endpoint.base,
            )
        return target


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


class _PageIterator(Generic[T]):
    """Hands out pages; with ``prefetch`` it reads one page ahead in a task."""

    def __init__(
        self,
        walker: _Walker[T],
        prefetch: bool,
        limit: int | None,
        tasks: set[asyncio.Task[Any]],
    ) -> None:
        self._walker = walker
        self._prefetch = prefetch
        self._left = limit  # items still wanted: no read-ahead once a page covers them
        self._tasks = tasks  # the paginator's: it waits for them on aclose()
        self._ahead: asyncio.Task[Page[T] | None] | None = None
        self._done = False
        #: True once the listing's last page was handed out (not when closed early).
        self.exhausted = False
        #: True once closed: at the end, after an error, or by :meth:`aclose`.
        self.closed = False
        self._finalizer: weakref.finalize[Any, Any] | None = None

    async def next(self) -> Page[T] | None:
        """The next page; ``None`` at the end of the listing or once closed."""
        if self._done:
            return None
        task, self._ahead = self._ahead, None
        try:
            page = await task if task is not None else await self._walker.next_page()
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if self.closed and current is not None and not current.cancelling():
                return None  # aclose() from another task cancelled the read-ahead
            self._close_now()
            raise
        except BaseException:
            self._close_now()
            raise
        if page is None:
            self.exhausted = True
            self._close_now()
            return None
        if self._left is not None:
            self._left -= len(page.items)
        wanted = self._left is None or self._left > 0
        if self._prefetch and wanted and page.next_url is not None and not self._walker.failed:
            self._start_ahead()
        return page

    def _start_ahead(self) -> None:
        task = asyncio.ensure_future(self._walker.next_page())
        task.add_done_callback(_swallow)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._ahead = task
        if self._finalizer is not None:
            self._finalizer.detach()
        # The task does not reference this iterator, so dropping the iterator after
        # a bare ``break`` lets the finalizer cancel the read-ahead.
        self._finalizer = weakref.finalize(self, task.cancel)

    def _close_now(self) -> None:
        self._done = self.closed = True
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
        endpoint: str,
        limit: int | None = None,
        prefetch: bool = False,
        next_page: NextPage | None = None,
    ) -> None:
        if limit is not None and (isinstance(limit, bool) or limit < 0):
            raise ValueError(f"limit must be a non-negative int, got {limit!r}")
        self._endpoint = split_url(endpoint)
        if not start.startswith("/"):
            try:
                origin = split_url(start).origin
            except ValueError as exc:
                raise ValueError(f"not a URL to paginate from ({exc}): {start[:300]!r}") from None
            if origin != self._endpoint.origin:
                raise ValueError(
                    f"refusing to paginate {start[:300]!r}: not on the endpoint's origin "
                    f"({self._endpoint.base})"
                )
        self._fetch = fetch
        self._start = start
        self._params = params
        self._type = item_type
        self._limit = limit
        self._prefetch = prefetch
        self._next_page = next_page
        self._next_url: str | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._page_iterators: weakref.WeakSet[_PageIterator[T]] = weakref.WeakSet()
        self._generators: weakref.WeakSet[AsyncGenerator[Any, None]] = weakref.WeakSet()
        self._started = False

    def __repr__(self) -> str:
        name = getattr(self._type, "__name__", str(self._type))
        return f"<Paginator of {name} from {self._start!r}>"

    def __await__(self) -> Generator[Any, None, None]:
        raise TypeError(
            "a Paginator is not awaitable: iterate it with 'async for item in ...', "
            "or collect with '[x async for x in ...]'"
        )

    @property
    def next_url(self) -> str | None:
        """Where to resume: the first page not entirely handed out and moved past.

        ``None`` before iteration and at the end. While the consumer holds any item
        of a page, that page's URL; it becomes the following page's URL only when the
        consumer asks for the item after the page's last one. A consumer that fails on
        an item and saves ``next_url`` resumes at that item's page, never past it.
        """
        return self._next_url

    def _page_iterator(self) -> _PageIterator[T]:
        if self._started:
            raise RuntimeError("this Paginator has already been iterated; call list() again")
        self._started = True
        walker = _Walker(
            self._fetch, self._start, self._params, self._type, self._endpoint, self._next_page
        )
        it = _PageIterator(walker, self._prefetch, self._limit, self._tasks)
        self._page_iterators.add(it)
        return it

    def _track(self, generator: AsyncGenerator[Any, None]) -> AsyncGenerator[Any, None]:
        self._generators.add(generator)
        return generator

    def __aiter__(self) -> AsyncIterator[T]:
        return self._track(self._items(self._page_iterator()))

    async def _items(self, pages: _PageIterator[T]) -> AsyncGenerator[T, None]:
        left = self._limit
        try:
            while left is None or left > 0:
                page = await pages.next()
                if page is None:
                    if pages.exhausted:
                        self._next_url = None
                    return
                items, following = page.items, page.next_url
                self._next_url = page.url if items else following
                del page
                if left is None or left >= len(items):
                    if left is not None:
                        left -= len(items)
                    for item in items:
                        yield item
                else:
                    for item in items[:left]:
                        yield item
                    return  # not all of this page was yielded: resume at it
                # The consumer asked for the item after this page's last one.
                self._next_url = following
                del items  # released before the next page is fetched
        finally:
            await pages.aclose()

    def pages(self) -> AsyncIterator[Page[T]]:
        """Iterate page by page (``Page.items``, ``Page.next_url``)."""
        return self._track(self._pages(self._page_iterator()))

    async def _pages(self, pages: _PageIterator[T]) -> AsyncGenerator[Page[T], None]:
        left = self._limit
        try:
            while left is None or left > 0:
                page = await pages.next()
                if page is None:
                    if pages.exhausted:
                        self._next_url = None
                    return
                self._next_url = page.url  # in the consumer's hands: resume here
                following = page.next_url
                if left is not None:
                    if len(page.items) > left:
                        page = Page(items=page.items[:left], next_url=None, url=page.url)
                        following = page.url  # not all of it was yielded
                    left -= len(page.items)
                yield page
                self._next_url = following  # the consumer came back: the page is done
                del page
        finally:
            await pages.aclose()

    async def aclose(self) -> None:
        """Stop every iteration started from this paginator and wait for its read-ahead."""
        for generator in list(self._generators):
            if not getattr(generator, "ag_running", False):
                await generator.aclose()
        for it in list(self._page_iterators):
            await it.aclose()
        pending = [task for task in self._tasks if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    async def __aenter__(self) -> Paginator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

"""Bulk calls: map an async function over many inputs with bounded concurrency.

Results come back as they complete, one failure never cancels the rest (a call
that raises ``CancelledError`` of its own, while nobody cancelled the map, is one
more failure: a ``RuntimeError`` whose cause is that ``CancelledError``), and
memory stays bounded (at most ``concurrency`` calls running and ``concurrency``
results waiting), whatever the number of inputs.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar

import anyio
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

__all__ = ["BulkMap", "BulkResult"]

I = TypeVar("I")  # noqa: E741
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class BulkResult(Generic[I, R]):
    """The outcome of one call: its input, and either its value or its error."""

    #: The input the call was made with.
    input: I
    #: The call's return value (``None`` when it failed).
    value: R | None
    #: The exception the call raised, or ``None``.
    error: Exception | None

    @property
    def ok(self) -> bool:
        """True when the call returned normally."""
        return self.error is None

    def unwrap(self) -> R:
        """The value, or raise the call's error."""
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


async def _produce(
    fn: Callable[[I], Awaitable[R]],
    inputs: Iterable[I] | AsyncIterable[I],
    concurrency: int,
    send: MemoryObjectSendStream[BulkResult[I, R]],
) -> None:
    slots = anyio.Semaphore(concurrency)

    async def one(item: I) -> None:
        try:
            try:
                outcome: BulkResult[I, R] = BulkResult(item, await fn(item), None)
            except Exception as exc:
                outcome = BulkResult(item, None, exc)
            except asyncio.CancelledError as exc:
                task = asyncio.current_task()
                if task is None or task.cancelling():
                    raise  # the map itself is being cancelled
                outcome = BulkResult(item, None, _stray_cancel(exc))
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await send.send(outcome)  # suppressed: the consumer went away
        finally:
            slots.release()

    failure: Exception | None = None
    async with send, anyio.create_task_group() as tg:
        try:
            if isinstance(inputs, AsyncIterable):
                async for item in inputs:
                    await slots.acquire()
                    tg.start_soon(one, item)
            else:
                for item in inputs:
                    await slots.acquire()
                    tg.start_soon(one, item)
        except Exception as exc:  # the inputs failed: let started calls finish
            failure = exc
    if failure is not None:
        raise failure


def _stray_cancel(exc: asyncio.CancelledError) -> RuntimeError:
    """A call's own ``CancelledError`` (nobody cancelled the map), as an ordinary error."""
    error = RuntimeError(
        "the call raised CancelledError although the map was not cancelled (something "
        "inside it cancelled what it was waiting for); its result is lost"
    )
    error.__cause__ = exc
    return error


def _swallow(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


def _release(task: asyncio.Task[Any], recv: MemoryObjectReceiveStream[Any]) -> None:
    task.cancel()
    recv.close()


class BulkMap(Generic[I, R]):
    """``async for result in hub.map(fn, inputs)``: results as they complete.

    Each item is a :class:`BulkResult`. Work starts on first iteration. Leaving
    early (``break``, an exception) cancels the calls still running: use
    ``async with`` (or :meth:`aclose`) to release at once; a dropped iterator is
    released when it is garbage-collected.
    """

    def __init__(
        self,
        fn: Callable[[I], Awaitable[R]],
        inputs: Iterable[I] | AsyncIterable[I],
        *,
        concurrency: int = 16,
    ) -> None:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:  # type: ignore[redundant-expr]
            raise ValueError(f"concurrency must be an int >= 1, got {concurrency!r}")
        self._fn = fn
        self._inputs = inputs
        self._concurrency = concurrency
        self._recv: MemoryObjectReceiveStream[BulkResult[I, R]] | None = None
        self._task: asyncio.Task[None] | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None

    def _start(self) -> MemoryObjectReceiveStream[BulkResult[I, R]]:
        send, recv = anyio.create_memory_object_stream[BulkResult[I, R]](self._concurrency)
        # The task holds the function, the inputs and the send side only: never this
        # object, so dropping the iterator lets the finalizer cancel the work.
        task = asyncio.ensure_future(_produce(self._fn, self._inputs, self._concurrency, send))
        task.add_done_callback(_swallow)
        self._task, self._recv = task, recv
        self._finalizer = weakref.finalize(self, _release, task, recv)
        return recv

    def __aiter__(self) -> BulkMap[I, R]:
        return self

    async def __anext__(self) -> BulkResult[I, R]:
        recv = self._recv if self._recv is not None else self._start()
        try:
            return await recv.receive()
        except (anyio.EndOfStream, anyio.ClosedResourceError):
            await self.aclose()
            raise StopAsyncIteration from None
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        """Cancel the calls still running and wait for them to end."""
        task, self._task = self._task, None
        if self._finalizer is not None:
            self._finalizer.detach()
        if self._recv is not None:
            self._recv.close()
        if task is None:
            return
        if not task.done():
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        if not task.cancelled() and (error := task.exception()) is not None:
            raise error

    async def __aenter__(self) -> BulkMap[I, R]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

"""``hub.datasets``: dataset repos, their parquet conversion and Croissant metadata."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import overload

from .._options import Timeout
from .._pagination import Paginator
from .._response import Response
from .._validation import quote_segment, validate_repo_id
from ..errors import DecodeError
from ..types import (
    Croissant,
    DatasetInfo,
    DatasetTagsByType,
    ParquetFiles,
    ParquetFilesBySplit,
    ParquetFilesBySubset,
)
from ._families import RepoFamily
from ._listing import StrOrList, as_list, join_filters, opt_bool

__all__ = ["Datasets"]

#: ``progress(bytes_done, bytes_total_or_None)``, called after each chunk written.
ProgressCallback = Callable[[int, int | None], object]


def _shard_index(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:  # type: ignore[redundant-expr]
        raise ValueError(f"the shard number must be an int >= 0, got {n!r}")
    return n


class Datasets(RepoFamily[DatasetInfo]):
    """``hub.datasets``: dataset repos."""

    repo_type = "dataset"
    _info_type = DatasetInfo

    def list(
        self,
        *,
        search: StrOrList = None,
        author: str | None = None,
        filter: StrOrList = None,
        sort: str | None = None,
        direction: int | str | None = None,
        limit: int | None = None,
        full: bool | None = None,
        config: bool | None = None,
        expand: StrOrList = None,
        gated: bool | None = None,
        benchmark: bool | StrOrList = None,
        language: StrOrList = None,
        language_creators: StrOrList = None,
        multilinguality: StrOrList = None,
        size_categories: StrOrList = None,
        task_categories: StrOrList = None,
        task_ids: StrOrList = None,
        dataset_name: str | None = None,
        prefetch: bool = False,
        resume_from: str | None = None,
        timeout: Timeout | float | None = None,
    ) -> Paginator[DatasetInfo]:
        """List datasets (see :meth:`RepoFamily.list`; ``mainSize`` and
        ``datasetsServerInfo.numRows`` also sort).

        ``language``, ``language_creators``, ``multilinguality``, ``size_categories``,
        ``task_categories`` and ``task_ids`` are the Hub's ``key:value`` tags, added to
        ``filter``: ``language="en"`` filters on ``language:en``; ``benchmark=True``
        keeps official benchmarks (``benchmark:official``), a string names another
        benchmark tag; ``dataset_name`` is another id substring, like ``search``.
        """
        if benchmark is True:
            benchmark = "official"
        elif isinstance(benchmark, bool):
            raise ValueError("benchmark=False means nothing: leave it out, or pass True")
        tags = join_filters(
            filter,
            language_creators=language_creators,
            language=language,
            multilinguality=multilinguality,
            size_categories=size_categories,
            task_categories=task_categories,
            task_ids=task_ids,
            benchmark=benchmark,
        )
        searches = as_list(dataset_name, "dataset_name") + as_list(search, "search")
        return self._list(
            search=searches,
            author=author,
            filter=tags,
            sort=sort,
            direction=direction,
            limit=limit,
            full=full,
            config=config,
            expand=expand,
            prefetch=prefetch,
            resume_from=resume_from,
            timeout=timeout,
            extra={"gated": opt_bool(gated, "gated")},
        )

    async def tags_by_type(self, *, timeout: Timeout | float | None = None) -> DatasetTagsByType:
        """Every dataset tag the Hub knows, grouped by type (``task_categories``...)."""
        return await self._get("/api/datasets-tags-by-type", DatasetTagsByType, timeout=timeout)

    async def croissant(self, repo_id: str, *, timeout: Timeout | float | None = None) -> Croissant:
        """The dataset's Croissant metadata (JSON-LD), as a mapping."""
        path = f"/api/datasets/{validate_repo_id(repo_id)}/croissant"
        return await self._get(path, Croissant, timeout=timeout)

    @overload
    async def parquet(
        self,
        repo_id: str,
        subset: None = None,
        split: None = None,
        *,
        timeout: Timeout | float | None = None,
    ) -> ParquetFilesBySubset: ...

    @overload
    async def parquet(
        self,
        repo_id: str,
        subset: str,
        split: None = None,
        *,
        timeout: Timeout | float | None = None,
    ) -> ParquetFilesBySplit: ...

    @overload
    async def parquet(
        self, repo_id: str, subset: str, split: str, *, timeout: Timeout | float | None = None
    ) -> ParquetFiles: ...

    async def parquet(
        self,
        repo_id: str,
        subset: str | None = None,
        split: str | None = None,
        *,
        timeout: Timeout | float | None = None,
    ) -> ParquetFilesBySubset | ParquetFilesBySplit | ParquetFiles:
        """URLs of the auto-converted parquet shards.

        Without ``subset``: ``{subset: {split: [urls]}}``; with ``subset``:
        ``{split: [urls]}``; with both: ``[urls]``.
        """
        path = f"/api/datasets/{validate_repo_id(repo_id)}/parquet"
        if subset is None:
            if split is not None:
                raise ValueError("split needs a subset: parquet(repo_id, subset, split)")
            return await self._get(path, ParquetFilesBySubset, timeout=timeout)
        path += f"/{quote_segment(subset)}"
        if split is None:
            return await self._get(path, ParquetFilesBySplit, timeout=timeout)
        path += f"/{quote_segment(split)}"
        return await self._get(path, ParquetFiles, timeout=timeout)

    def _shard_path(self, repo_id: str, subset: str, split: str, n: int) -> str:
        return (
            f"/api/datasets/{validate_repo_id(repo_id)}/parquet/"
            f"{quote_segment(subset)}/{quote_segment(split)}/{_shard_index(n)}.parquet"
        )

    @asynccontextmanager
    async def parquet_shard(
        self,
        repo_id: str,
        subset: str,
        split: str,
        n: int,
        *,
        chunk_size: int = 1 << 16,
        timeout: Timeout | float | None = None,
    ) -> AsyncIterator[AsyncIterator[bytes]]:
        """Stream shard ``n`` of a split: ``async with ... as chunks: async for b in chunks``.

        Follows the Hub's redirect to its CDN (the token is not sent there). The
        connection is held until the block exits; a stream cut after chunks were
        yielded raises ``HubConnectionError`` (bytes are never repeated).
        """
        path = self._shard_path(repo_id, subset, split, n)
        async with self._stream(path, chunk_size=chunk_size, timeout=timeout) as (_head, chunks):
            yield chunks

    async def download_parquet_shard(
        self,
        repo_id: str,
        subset: str,
        split: str,
        n: int,
        path: str | os.PathLike[str],
        *,
        progress: ProgressCallback | None = None,
        timeout: Timeout | float | None = None,
    ) -> Path:
        """Download shard ``n`` to ``path`` atomically and return the path.

        Bytes go to a temporary file beside ``path``, renamed into place once complete
        and verified (the announced size, the ``ETag`` when it is a SHA-256, and the
        parquet magic ``PAR1`` at both ends: an HTML page answered with 200 is a
        ``DecodeError``, never a ``.parquet`` file); nothing is left behind on failure.
        A download cut or stalled mid-body is resumed with ``Range`` and ``If-Range``
        (a shard that changed meanwhile starts over), all within the call's one retry
        budget (``max_retries``) and one deadline.
        """
        source = self._shard_path(repo_id, subset, split, n)
        return await self._client.download(
            source, path, progress=progress, verify=_check_parquet, timeout=timeout
        )


def _check_parquet(path: Path, head: Response) -> None:
    """Refuse a file that is not framed like parquet (``PAR1`` ... ``PAR1``)."""
    where = head.url.partition("?")[0]  # the CDN's signed query stays out of the error
    size = path.stat().st_size
    with path.open("rb") as f:
        first = f.read(4)
        f.seek(max(0, size - 4))
        last = f.read(4)
        f.seek(0)
        excerpt = f.read(200)
    if size < 12 or first != _MAGIC or last != _MAGIC:
        raise DecodeError(
            f"the shard from {where} is not a parquet file ({size} bytes, "
            f"{head.headers.get('Content-Type', 'no content type')}); nothing was saved",
            status=head.status,
            url=where,
            body=excerpt,
            request_id=head.request_id,
        )


_MAGIC = b"PAR1"

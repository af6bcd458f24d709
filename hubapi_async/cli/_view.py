"""A view of the client that keeps the Hub's answers, for commands run through the SDK.

The command line runs the SDK's own methods (``hub.papers.daily(...)``,
``hub.repos.create(...)``), so that what it sends, and what it refuses before sending, is
exactly what the SDK does. Endpoint families reach the Hub only through their client's
``request`` and ``paginate``; built on a :class:`HubView`, they go through these instead:
``request`` keeps each :class:`~hubapi_async.Response`, and ``paginate`` can decode the
items as ``msgspec.Raw``. The command then prints the Hub's JSON byte for byte, not a
re-encoded Struct.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import msgspec

from .._resources import Collections, Organizations, Papers, Repos, ResourceGroups
from ..errors import DecodeError
from ..types import HubStruct

if TYPE_CHECKING:
    from .. import HubClient, Paginator, Response

__all__ = ["HubView", "answer_for", "wire_json"]


class HubView:
    """``hub`` as the families see it, keeping answers and choosing the item type.

    ``item_type`` replaces the type a listing decodes its items into (``msgspec.Raw``
    for the Hub's JSON); ``prefetch`` turns read-ahead on for every listing.
    """

    def __init__(self, hub: HubClient, *, item_type: Any = None, prefetch: bool = False) -> None:
        self._hub = hub
        self._item_type = item_type
        self._prefetch = prefetch
        #: Every answer received through :meth:`request`, in order.
        self.answers: list[Response] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._hub, name)

    @property
    def client(self) -> HubClient:
        """This view, typed as the client the families are built on."""
        return cast("HubClient", self)

    async def request(self, method: str, path: str, **kwargs: Any) -> Response:
        """``hub.request``, keeping the answer."""
        response = await self._hub.request(method, path, **kwargs)
        self.answers.append(response)
        return response

    def paginate(self, path_or_url: str, **kwargs: Any) -> Paginator[Any]:
        """``hub.paginate``, with this view's item type and read-ahead."""
        if self._item_type is not None:
            kwargs["type"] = self._item_type
        if self._prefetch:
            kwargs["prefetch"] = True
        return self._hub.paginate(path_or_url, **kwargs)

    # The families whose commands run through the SDK, built on this view.
    @cached_property
    def collections(self) -> Collections:
        """``hub.collections`` on this view."""
        return Collections(self.client)

    @cached_property
    def papers(self) -> Papers:
        """``hub.papers`` on this view."""
        return Papers(self.client)

    @cached_property
    def organizations(self) -> Organizations:
        """``hub.organizations`` on this view."""
        return Organizations(self.client)

    @cached_property
    def resource_groups(self) -> ResourceGroups:
        """``hub.resource_groups`` on this view."""
        return ResourceGroups(self.client)

    @cached_property
    def repos(self) -> Repos:
        """``hub.repos`` on this view."""
        return Repos(self.client)

    def last_answer(self) -> msgspec.Raw:
        """The JSON of the last answer, as the Hub sent it (``DecodeError`` if not JSON)."""
        if not self.answers:
            raise RuntimeError("no answer was received")
        return self.answers[-1].decode(msgspec.Raw, "a JSON document")


def _candidates(response: Response) -> Iterator[msgspec.Raw]:
    """The JSON values of an answer that may hold a result: the body, and its ``data``."""
    try:
        body = response.decode(msgspec.Raw)
    except DecodeError:  # an answer that is not JSON holds no result
        return
    yield body
    try:  # {"data": {...}}: how the Hub wraps some answers (an updated collection)
        members = msgspec.json.decode(body, type=dict[str, msgspec.Raw])
    except (msgspec.DecodeError, msgspec.ValidationError):
        return
    if "data" in members:
        yield members["data"]


def answer_for(view: HubView, result: Any) -> tuple[msgspec.Raw, Response] | None:
    """The Hub's JSON that ``result`` (a Struct returned by the SDK) was decoded from,
    and the answer holding it.

    The latest answer (or its ``data`` member) that decodes to an equal Struct; ``None``
    when no answer holds it (an ``--exist-ok`` create whose result the SDK built from a
    409, say).
    """
    if not isinstance(result, msgspec.Struct):
        return None
    tp = type(result)
    for response in reversed(view.answers):
        for raw in _candidates(response):
            try:
                decoded = msgspec.json.decode(raw, type=tp)
            except (msgspec.DecodeError, msgspec.ValidationError):
                continue
            if decoded == result:
                return raw, response
    return None


def wire_json(value: HubStruct) -> bytes:
    """A Struct as JSON with the Hub's key names (``name``, ``_id``), unset fields left out."""
    data = msgspec.to_builtins(value)
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if v is not None}
    return msgspec.json.encode(data)

"""What the repo management calls return (``POST /api/repos/create``).

Shape: recording ``repos/create__200__space.body.json`` (``{"url", "name", "id"}``); the
409 answer ``repos/create__409__already_exists.body.json`` carries only ``url``.
"""

from __future__ import annotations

from typing import Final

import msgspec

from ._base import HubStruct

__all__ = ["RepoUrl"]

_TYPED_PREFIXES: Final = (("datasets", "dataset"), ("spaces", "space"))


class RepoUrl(HubStruct, kw_only=True, frozen=True):
    """A repo that was created (or, with ``exist_ok=True``, found to exist already).

    Shape: recording ``repos/create__200__space.body.json``. ``object_id`` is ``None``
    when the repo already existed: the Hub's 409 answer names only its URL.
    """

    #: The repo's page on the Hub (``https://huggingface.co/spaces/user/name``).
    url: str
    #: The repo id with its namespace (``"user/name"``; wire name ``name``).
    repo_id: str = msgspec.field(name="name")
    #: The Hub's object id of the repo (wire name ``id``); ``None`` if not given.
    object_id: str | None = msgspec.field(default=None, name="id")

    @property
    def namespace(self) -> str | None:
        """The user or organization owning the repo (``None`` for a legacy id)."""
        owner, slash, _ = self.repo_id.partition("/")
        return owner if slash else None

    @property
    def name(self) -> str:
        """The repo name without its namespace."""
        return self.repo_id.rpartition("/")[2]

    @property
    def repo_type(self) -> str:
        """``model``, ``dataset`` or ``space``, read from the URL (``/datasets/``...)."""
        head = self.url.split("?", 1)[0].rstrip("/")
        if head.endswith("/" + self.repo_id):
            head = head[: -len(self.repo_id) - 1]
        section = head.rpartition("/")[2]
        for prefix, repo_type in _TYPED_PREFIXES:
            if section == prefix:
                return repo_type
        return "model"

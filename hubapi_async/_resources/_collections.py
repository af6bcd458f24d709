"""``hub.collections``: collections and their items."""

from __future__ import annotations

from ._base import Resource

__all__ = ["Collections"]


class Collections(Resource):
    """``hub.collections``: collections and their items."""

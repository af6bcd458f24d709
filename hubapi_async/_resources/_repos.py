"""``hub.repos``: create, delete, update the settings of and move repos."""

from __future__ import annotations

from ._base import Resource

__all__ = ["Repos"]


class Repos(Resource):
    """``hub.repos``: create, delete, update the settings of and move repos."""

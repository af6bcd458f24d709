"""``hub.organizations``: organizations and their members."""

from __future__ import annotations

from ._base import Resource

__all__ = ["Organizations"]


class Organizations(Resource):
    """``hub.organizations``: organizations and their members."""

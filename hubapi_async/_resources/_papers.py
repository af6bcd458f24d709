"""``hub.papers``: papers, the repos citing them, and daily papers."""

from __future__ import annotations

from ._base import Resource

__all__ = ["Papers"]


class Papers(Resource):
    """``hub.papers``: papers, the repos citing them, and daily papers."""

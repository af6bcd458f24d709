"""``hub.resource_groups``: resource groups of an organization."""

from __future__ import annotations

from ._base import Resource

__all__ = ["ResourceGroups"]


class ResourceGroups(Resource):
    """``hub.resource_groups``: resource groups of an organization."""

"""Routes of the orgs family (filled in as the family is built)."""

from __future__ import annotations

from ._router import Route

ROUTES: list[Route] = []

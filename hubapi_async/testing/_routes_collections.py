"""Routes of the collections family (filled in as the family is built)."""

from __future__ import annotations

from ._router import Route

ROUTES: list[Route] = []

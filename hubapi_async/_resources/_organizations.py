"""``hub.organizations``: organizations and their members."""

from __future__ import annotations

from .._options import Timeout
from .._pagination import Paginator
from .._validation import validate_namespace
from ..types import OrgMember
from ._base import Resource

__all__ = ["Organizations"]

#: The page sizes the Hub accepts on the members route (its default is 500).
MEMBERS_PAGE_MIN = 10
MEMBERS_PAGE_MAX = 10_000


def _check_limit(limit: int | None) -> None:
    if limit is None:
        return
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError(f"limit must be an int, got {type(limit).__name__}")
    if limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")


class Organizations(Resource):
    """``hub.organizations``: ``members(org)``."""

    def members(
        self,
        org: str,
        *,
        search: str | None = None,
        email: str | None = None,
        limit: int | None = None,
        prefetch: bool = False,
        timeout: Timeout | float | None = None,
    ) -> Paginator[OrgMember]:
        """The members of organization ``org``, lazily, page by page (a ``Paginator``).

        ``search`` filters on user and full names; ``email`` finds the member with that
        e-mail address (the Hub matches it only for addresses of the organization's own
        e-mail or SSO domains). ``limit`` caps the members yielded; the first request
        asks for that many (within the 10 to 10,000 the Hub accepts per page; its default
        page is 500) and later pages follow the Hub's ``Link`` header. An unknown
        organization is a ``NotFoundError``. What each ``OrgMember`` carries beyond the
        public profile depends on the caller (see ``OrgMember``).
        """
        validate_namespace(org, "organization name")
        _check_limit(limit)
        page = None
        if limit is not None:
            page = min(max(limit, MEMBERS_PAGE_MIN), MEMBERS_PAGE_MAX)
        return self._paginate(
            f"/api/organizations/{org}/members",
            params={"search": search, "email": email, "limit": page},
            type=OrgMember,
            limit=limit,
            prefetch=prefetch,
            timeout=timeout,
        )

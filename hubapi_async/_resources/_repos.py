"""``hub.repos``: create, delete, update the settings of and move repos.

The wire forms are the official client's (huggingface_hub 2.4): ``POST /api/repos/create``
with ``{"name", "organization"?, "visibility"?, "type", "sdk"?}``, ``DELETE
/api/repos/delete`` with ``{"name", "organization"?, "type"}``, ``PUT
/api/{type}s/{repo_id}/settings`` with ``{"gated"?, "visibility"?}`` and ``POST
/api/repos/move`` with ``{"fromRepo", "toRepo", "type"}``. Only what the caller passed is
sent; ``private=`` travels as ``visibility``, as the official client sends it.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from .._options import Timeout
from .._validation import validate_repo_id
from ..errors import ConflictError, HubHTTPError, RepositoryNotFoundError
from ..types import RepoInfo, RepoUrl
from ._base import Resource, body_of

__all__ = ["REPO_TYPES", "Repos", "validate_repo_type"]

#: The repo types the Hub's repo management endpoints take.
REPO_TYPES: Final = ("model", "dataset", "space")
_WEB_PREFIX: Final = {"model": "", "dataset": "datasets/", "space": "spaces/"}
#: A 409 that is not "already exists": the Hub refuses concurrent creations by one user.
_BUSY: Final = "another conflicting operation is in progress"


def validate_repo_type(repo_type: object) -> str:
    """Check ``repo_type`` is ``model``, ``dataset`` or ``space``; return it."""
    if not isinstance(repo_type, str) or repo_type not in REPO_TYPES:
        raise ValueError(
            f"Invalid repo_type {repo_type!r}: expected 'model', 'dataset' or 'space' (singular)."
        )
    return repo_type


def _split(repo_id: str) -> dict[str, str]:
    """``{"name": ..., "organization"?: ...}`` of a validated repo id."""
    namespace, slash, name = repo_id.rpartition("/")
    return {"name": name, "organization": namespace} if slash else {"name": name}


def _full_id(repo_id: str, what: str) -> str:
    validate_repo_id(repo_id)
    if "/" not in repo_id:
        raise ValueError(f"Invalid {what} {repo_id!r}: moving needs the full 'namespace/name' id.")
    return repo_id


def _visibility(private: object, visibility: object) -> str | None:
    """The ``visibility`` to send for ``private=``/``visibility=`` (checked together)."""
    if private is not None and not isinstance(private, bool):
        raise TypeError(f"private must be a bool or None, got {type(private).__name__}")
    if visibility is not None and (not isinstance(visibility, str) or not visibility.strip()):
        raise ValueError(f"visibility must be a non-empty string, got {visibility!r}")
    if private is None:
        return visibility
    if visibility is not None and (visibility == "private") != private:
        raise ValueError(
            f"private={private} contradicts visibility={visibility!r}: pass one of them."
        )
    return visibility if visibility is not None else ("private" if private else "public")


def _gated(gated: object) -> str | Literal[False] | None:
    if gated is None or gated is False:
        return gated
    if gated is True:
        raise ValueError("gated=True is ambiguous: pass 'auto', 'manual', or False to ungate.")
    if not isinstance(gated, str) or not gated.strip():
        raise ValueError(f"gated must be False or a gating mode ('auto', 'manual'), got {gated!r}")
    return gated


class Repos(Resource):
    """``hub.repos``: ``create``, ``delete``, ``update_settings``, ``move``.

    Every call needs a token with write access to the repo's namespace: the caller's own,
    or an organization where the caller is an admin or may write.
    """

    async def create(
        self,
        repo_id: str,
        *,
        repo_type: str = "model",
        private: bool | None = None,
        visibility: str | None = None,
        sdk: str | None = None,
        exist_ok: bool = False,
        timeout: Timeout | float | None = None,
    ) -> RepoUrl:
        """Create an empty repo and return its URL and ids.

        ``repo_id`` is ``"name"`` (in the token owner's namespace) or ``"namespace/name"``.
        A Space needs an ``sdk`` (``"gradio"``, ``"docker"``, ``"static"``...: passed as
        given); a model or dataset takes none: both are a ``ValueError`` before anything is
        sent. ``private`` (or ``visibility``: ``"public"``, ``"private"``, ``"protected"``
        for Spaces) defaults to the namespace's default.

        With ``exist_ok=True`` a repo that already exists is success: the result carries
        the URL the Hub's 409 answer gives (its ``object_id`` is then ``None``), and a
        refusal to create (401, 402, 403: a token that may not create there) is success
        too when the repo is readable. The repo's settings are left as they are.

        Raises ``ConflictError`` (its ``repo_url`` names the existing repo),
        ``PermissionDeniedError`` (no write access to the namespace),
        ``AuthenticationError`` (no token), ``BadRequestError`` (a name the Hub refuses).
        """
        validate_repo_id(repo_id)
        validate_repo_type(repo_type)
        if repo_type == "space":
            if not isinstance(sdk, str) or not sdk.strip():
                raise ValueError(
                    "A Space needs an sdk: pass sdk='gradio', 'streamlit', 'docker' or 'static'."
                )
        elif sdk is not None:
            raise ValueError(f"sdk applies to Spaces only, not to a {repo_type} repo.")
        if repo_type != "space" and visibility == "protected":
            raise ValueError("Only Spaces can be 'protected': use 'public' or 'private'.")
        body = {
            **_split(repo_id),
            **body_of(visibility=_visibility(private, visibility), type=repo_type, sdk=sdk),
        }
        try:
            return await self._post("/api/repos/create", RepoUrl, json=body, timeout=timeout)
        except ConflictError as exc:
            busy = _BUSY in (exc.server_message or "").lower()
            if not exist_ok or busy or (exc.repo_url is None and "/" not in repo_id):
                raise
            return self._existing(repo_id, repo_type, exc.repo_url)
        except HubHTTPError as exc:  # 401, 402, 403: a token that may not create here
            if not exist_ok or exc.status not in (401, 402, 403) or "/" not in repo_id:
                raise
            return await self._readable(repo_id, repo_type, exc, timeout)

    def _existing(self, repo_id: str, repo_type: str, url: str | None) -> RepoUrl:
        if url is None:
            url = f"{self._client.endpoint}/{_WEB_PREFIX[repo_type]}{repo_id}"
        elif "/" not in repo_id:  # the caller's namespace: the URL tells which
            tail = url.split("?", 1)[0].rstrip("/").split("/")
            repo_id = "/".join(tail[-2:])
        return RepoUrl(url=url, repo_id=repo_id)

    async def _readable(
        self, repo_id: str, repo_type: str, refusal: HubHTTPError, timeout: Timeout | float | None
    ) -> RepoUrl:
        """The repo's URL if it exists and is readable, else the original refusal."""
        try:
            info = await self._get(f"/api/{repo_type}s/{repo_id}", RepoInfo, timeout=timeout)
        except HubHTTPError:
            raise refusal from None
        url = f"{self._client.endpoint}/{_WEB_PREFIX[repo_type]}{info.id}"
        return RepoUrl(url=url, repo_id=info.id, object_id=info.object_id)

    async def delete(
        self,
        repo_id: str,
        *,
        repo_type: str = "model",
        missing_ok: bool = False,
        timeout: Timeout | float | None = None,
    ) -> None:
        """Delete a repo, for good.

        With ``missing_ok=True`` a repo that does not exist (``RepositoryNotFoundError``)
        is success. Raises ``PermissionDeniedError`` without write access to it,
        ``AuthenticationError`` without a token.
        """
        validate_repo_id(repo_id)
        validate_repo_type(repo_type)
        body = {**_split(repo_id), "type": repo_type}
        try:
            await self._delete("/api/repos/delete", json=body, timeout=timeout)
        except RepositoryNotFoundError:
            if not missing_ok:
                raise

    async def update_settings(
        self,
        repo_id: str,
        *,
        repo_type: str = "model",
        private: bool | None = None,
        visibility: str | None = None,
        gated: str | Literal[False] | None = None,
        timeout: Timeout | float | None = None,
    ) -> None:
        """Change a repo's visibility and gating; what is not passed stays as it is.

        ``private`` (or ``visibility``: ``"public"``, ``"private"``, ``"protected"`` for
        Spaces; both together must agree) sets who sees the repo; ``gated`` is ``"auto"``
        or ``"manual"`` (access requests approved automatically or by hand) or ``False``
        (no gate). At least one option is needed (``ValueError``). Returns ``None``: the
        Hub's answer to this call is not documented and carries nothing to rely on.

        Raises ``RepositoryNotFoundError`` (missing, or private and not yours),
        ``PermissionDeniedError`` (no write access), ``BadRequestError`` (a value the Hub
        refuses).
        """
        validate_repo_id(repo_id)
        validate_repo_type(repo_type)
        if repo_type != "space" and visibility == "protected":
            raise ValueError("Only Spaces can be 'protected': use 'public' or 'private'.")
        body = body_of(gated=_gated(gated), visibility=_visibility(private, visibility))
        if not body:
            raise ValueError("Nothing to update: pass private, visibility or gated.")
        await self._request(
            "PUT", f"/api/{repo_type}s/{repo_id}/settings", json=body, timeout=timeout
        )

    async def move(
        self,
        from_id: str,
        to_id: str,
        *,
        repo_type: str = "model",
        timeout: Timeout | float | None = None,
    ) -> None:
        """Rename a repo, or transfer it to another namespace (both ids in full).

        The old id keeps answering with a redirect to the new one. Raises
        ``RepositoryNotFoundError`` (``from_id`` missing), ``ConflictError`` (``to_id``
        taken), ``PermissionDeniedError`` (no write access to either namespace).
        """
        _full_id(from_id, "from_id")
        _full_id(to_id, "to_id")
        validate_repo_type(repo_type)
        if from_id == to_id:
            raise ValueError(f"from_id and to_id are the same repo: {from_id!r}")
        body: dict[str, Any] = {"fromRepo": from_id, "toRepo": to_id, "type": repo_type}
        await self._request("POST", "/api/repos/move", json=body, timeout=timeout)

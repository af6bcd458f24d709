"""What a client is configured from: the environment, the token, the endpoint, query params."""

from __future__ import annotations

import os
from pathlib import Path

from yarl import URL

__all__ = ["DEFAULT_ENDPOINT", "env_flag", "parse_endpoint", "resolve_token"]

DEFAULT_ENDPOINT = "https://huggingface.co"
_TRUE = frozenset({"1", "true", "yes", "on"})


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def _token_file() -> Path:
    explicit = os.environ.get("HF_TOKEN_PATH")
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("HF_HOME")
    if home:
        return Path(home).expanduser() / "token"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(cache).expanduser() / "huggingface" / "token"


def _check_token(token: str) -> str:
    token = token.strip()
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in token):
        raise ValueError("the token contains whitespace or control characters")
    return token


def resolve_token(token: str | bool | None) -> tuple[str | None, bool]:
    """(token, explicit): an argument wins, then ``HF_TOKEN``,
    ``HUGGING_FACE_HUB_TOKEN``, then the token file; ``False`` is anonymous."""
    if token is False:
        return None, True
    if isinstance(token, str):
        return (_check_token(token) or None), True
    if token is not None and token is not True:
        raise TypeError("token must be a string, None or False")
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        value = os.environ.get(name, "").strip()
        if value:
            return _check_token(value), False
    try:
        text = _token_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None, False
    return (_check_token(text) if text else None), False


def parse_endpoint(value: str | None) -> URL:
    raw = value or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    try:
        url = URL(raw.rstrip("/"))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"invalid endpoint {raw!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"the endpoint must be an http(s) URL with a host, got {raw!r}")
    if url.query_string or url.fragment or url.user or url.password:
        raise ValueError("the endpoint must not carry credentials, a query or a fragment")
    return url

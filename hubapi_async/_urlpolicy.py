"""Where a request may go and what it may carry there (pure, no I/O).

The rules every hop of every call follows: only ``http``/``https`` URLs with a host;
offline mode (``HF_HUB_OFFLINE``) reaches loopback hosts only, and never through a proxy
that is not itself on loopback; proxies come from ``HTTP(S)_PROXY``/``NO_PROXY``, read
once; and a request to another origin than the endpoint's carries no credential: not
the token, nor any credential-like header a caller or a borrowed session set.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.request
from collections.abc import Mapping

from yarl import URL

from .errors import HubConnectionError

__all__ = [
    "Origin",
    "Proxies",
    "check_target",
    "is_credential_header",
    "is_loopback",
    "origin_of",
]

Origin = tuple[str, str, int | None]

#: Header names that carry a credential, whoever set them.
_CREDENTIAL = re.compile(
    r"(?i)^(?:authorization|cookie|x-api-key|api-key|apikey)$"
    r"|token|secret|passw|api[-_]?key|auth|session|credential|signature"
)


_HOSTNAME = re.compile(
    r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?"
)
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@")


def is_loopback(host: str | None) -> bool:
    """``localhost`` (and ``*.localhost``), 127.0.0.0/8 and ``::1``."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.partition("%")[0]).is_loopback
    except ValueError:
        return False


def origin_of(url: URL) -> Origin:
    """``(scheme, host, port)`` with the default port filled in and the host lower-cased
    (the host as sent on the wire: an IDN stays in its ``xn--`` form)."""
    return (url.scheme, (url.raw_host or "").lower(), url.port)


def is_credential_header(name: str) -> bool:
    """Whether a header named ``name`` looks like it carries a credential."""
    return _CREDENTIAL.search(name) is not None


def _valid_host(url: URL) -> bool:
    """An ASCII host name of letter-digit-hyphen labels, or an IP address."""
    raw = url.raw_host or ""
    try:
        ipaddress.ip_address(raw.partition("%")[0])
        return True
    except ValueError:
        pass
    if not _HOSTNAME.fullmatch(raw):
        return False
    try:
        return bool(url.host)  # decodes the IDN labels: a broken one raises
    except (ValueError, TypeError):
        return False


def check_target(url: URL, *, offline: bool) -> None:
    """Refuse a URL the client must not contact (raises ``HubConnectionError``).

    It must be ``http(s)``, name a valid host (no broken IDN label, no stray
    characters), carry no userinfo, and, in offline mode, be on loopback.
    """
    try:
        scheme, port = url.scheme, url.port
        has_userinfo = url.raw_user is not None or url.raw_password is not None
        valid = bool(url.raw_host) and _valid_host(url) and bool(str(url))
    except (ValueError, TypeError):
        scheme, port, has_userinfo, valid = "", None, False, False
    if scheme not in ("http", "https"):
        raise HubConnectionError(f"refusing to request a non-HTTP URL: {_show(url)}")
    if not valid or port is None:
        raise HubConnectionError(f"refusing to request a URL with an invalid host: {_show(url)}")
    if has_userinfo:
        raise HubConnectionError("refusing to request a URL that carries credentials (user:pass@)")
    if offline and not is_loopback(url.raw_host):
        raise HubConnectionError(
            f"offline mode is on (HF_HUB_OFFLINE): refusing to contact {url.raw_host}; "
            "unset HF_HUB_OFFLINE or use a loopback endpoint"
        )


def _show(url: URL) -> str:
    try:
        text = _USERINFO.sub(r"\1", str(url))
    except (ValueError, TypeError):  # yarl checks some parts only when printing
        text = f"{url.scheme}://<unparsable authority>/..."
    return repr(text if len(text) <= 200 else text[:197] + "...")


class Proxies:
    """The proxy for each URL, from the environment read once (when ``trust_env``).

    aiohttp's own ``trust_env`` looks the variables (and ``~/.netrc``) up in a thread on
    every request; this reads them at construction. In offline mode a proxy that is
    not on loopback is never used: a loopback target is then reached directly, so no
    socket leaves the machine.
    """

    def __init__(self, *, trust_env: bool, offline: bool) -> None:
        self._env: Mapping[str, str] = urllib.request.getproxies_environment() if trust_env else {}
        self._offline = offline
        self._cache: dict[tuple[str, str], str | None] = {}

    def __bool__(self) -> bool:
        return bool(self._env)

    def for_url(self, url: URL) -> str | None:
        """The proxy URL for ``url``, or ``None`` to connect directly."""
        if not self._env:
            return None
        key = (url.scheme, url.host or "")
        if key not in self._cache:
            proxy = self._env.get(url.scheme)
            bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
            if proxy and bypass(key[1], self._env):
                proxy = None
            if proxy and self._offline and not _proxy_is_loopback(proxy):
                proxy = None
            self._cache[key] = proxy
        return self._cache[key]


def _proxy_is_loopback(proxy: str) -> bool:
    try:
        return is_loopback(URL(proxy if "://" in proxy else f"http://{proxy}").host)
    except (ValueError, TypeError):
        return False

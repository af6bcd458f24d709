"""``Link`` headers and the URLs they carry, as pure functions: no I/O, no event loop.

:func:`parse_link_next` finds the ``rel="next"`` target of a response and never raises.
:func:`split_url` checks such a target strictly (an http(s) URL with a valid host and
port, without credentials) and :func:`url_key` spells it canonically, so that two
spellings of one page (``HTTP://``, a default port, a reordered query, percent-encoding
case) compare equal.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes, unquote_to_bytes, urljoin

__all__ = ["UrlParts", "canonical_path", "parse_link_next", "split_url", "url_key"]

_MAX_HEADER = 65536
_MAX_URL = 16384
# The Hub's usual form, one link: `<https://...>; rel="next"`.
_FAST_NEXT = re.compile(
    r'\s*<([^<>"\s\x00-\x1f\x7f-\x9f\ud800-\udfff]*)>\s*;\s*rel\s*=\s*(?:"next"|next)\s*'
)
_BAD_TARGET = re.compile(r'[<>"\s\x00-\x1f\x7f-\x9f\ud800-\udfff]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#.*)?", re.S)
_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_IPV6 = re.compile(r"\[([0-9A-Fa-f:.]+)\]")
_PORT = re.compile(r"[0-9]{1,5}")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What may stay as sent in a path or query (RFC 3986 reserved, unreserved and `%`).
_URL_SAFE = "/%!$&'()*+,;=:@-._~?[]"
_SEGMENT_SAFE = "!$&'()*+,;=:@"


def split_header(value: str, sep: str) -> Iterator[str]:
    """Split on `sep` outside double quotes and angle brackets (backslash escapes in quotes)."""
    start, quoted, angled, escaped = 0, False, False, False
    for i, char in enumerate(value):
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif angled:
            angled = char != ">"
        elif char == '"':
            quoted = True
        elif char == "<":
            angled = True
        elif char == sep:
            yield value[start:i]
            start = i + 1
    yield value[start:]


def _rel(params: Iterable[str]) -> str | None:
    for part in params:
        name, eq, value = part.partition("=")
        if eq and name.strip().lower() == "rel":
            value = value.strip()
            return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    return None


def _next_target(link: str) -> str | None:
    if not link.startswith("<"):
        return None
    end = link.find(">")
    if end < 0:
        return None
    target, rest = link[1:end].strip(), link[end + 1 :].strip()
    if (rest and not rest.startswith(";")) or _BAD_TARGET.search(target):
        return None
    rel = _rel(list(split_header(rest, ";"))[1:])
    if rel is None:
        return None
    return target if "next" in rel.lower().split() else None


def _resolve(target: str, base_url: str) -> str | None:
    if _SCHEME.match(target):
        return target
    try:
        joined = urljoin(str(base_url), target)
    except (ValueError, TypeError):
        return None
    return joined if _SCHEME.match(joined) and "://" in joined else None


def parse_link_next(values: Sequence[str] | str, base_url: str) -> str | None:
    """The URL of the first `rel="next"` link in a response's `Link` header values.

    `values` are all the response's `Link` values (several headers, each possibly holding
    several comma-separated links). The rel may be quoted or bare, in any case, and a
    space-separated list. An absolute URL is returned exactly as sent (percent-escapes
    such as `%3D` kept); a relative one is resolved against `base_url`. Malformed links
    are skipped; this never raises. Whether the URL is usable is :func:`split_url`'s call.
    """
    for raw in [values] if isinstance(values, str) else values:
        if not isinstance(raw, str) or len(raw) > _MAX_HEADER:  # type: ignore[redundant-expr]
            continue
        fast = _FAST_NEXT.fullmatch(raw)
        if fast is not None:
            resolved = _resolve(fast.group(1), base_url)
            if resolved is not None:
                return resolved
            continue
        for link in split_header(raw, ","):
            target = _next_target(link.strip())
            if target is not None:
                resolved = _resolve(target, base_url)
                if resolved is not None:
                    return resolved
    return None


@dataclass(frozen=True, slots=True)
class UrlParts:
    """An http(s) URL checked by :func:`split_url`."""

    #: ``http`` or ``https``.
    scheme: str
    #: The host, lower-case ASCII (IDNA for international names; IPv6 in brackets).
    host: str
    #: The port, explicit or the scheme's default.
    port: int
    #: The path as sent (``/`` when empty), with anything not allowed in a URL escaped.
    path: str
    #: The query as sent, without ``?`` (``""`` when none), escaped like the path.
    query: str

    @property
    def origin(self) -> tuple[str, str, int]:
        """``(scheme, host, port)``: what same-origin checks compare."""
        return (self.scheme, self.host, self.port)

    @property
    def base(self) -> str:
        """``scheme://host[:port]``, the port only when it is not the default."""
        port = "" if _DEFAULT_PORTS[self.scheme] == self.port else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}"

    @property
    def url(self) -> str:
        """The URL spelled out: :attr:`base`, path and query (no fragment)."""
        return f"{self.base}{self.path}?{self.query}" if self.query else self.base + self.path

    def moved_to(self, origin: UrlParts, path: str | None = None) -> UrlParts:
        """This URL's query, and its path (or ``path``), on ``origin``'s scheme, host, port."""
        return UrlParts(origin.scheme, origin.host, origin.port, path or self.path, self.query)


def _host(raw: str) -> str:
    if raw.startswith("["):
        match = _IPV6.fullmatch(raw)
        if match is None:
            raise ValueError("its IPv6 host is malformed")
        try:
            return f"[{ipaddress.IPv6Address(match.group(1)).compressed}]"
        except ValueError:
            raise ValueError("its IPv6 host is malformed") from None
    if not raw.isascii():
        try:
            raw = raw.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            raise ValueError("its host is not a valid domain name") from None
    host = raw.lower()
    host = host[:-1] if host.endswith(".") else host
    if not _HOST.fullmatch(host):
        raise ValueError("its host is not a valid domain name")
    return host


def split_url(url: str) -> UrlParts:
    """Check an absolute http(s) URL and split it; ``ValueError`` says what is wrong.

    Refused: another scheme, user info (``user:password@``), an empty, malformed or
    percent-encoded host, an international name that is not valid IDNA, a port that is
    not a number from 1 to 65535. The fragment is dropped.
    """
    text: object = url
    if not isinstance(text, str) or len(url) > _MAX_URL or _SURROGATE.search(url):
        raise ValueError("it is not a URL of a sensible length and text")
    match = _URL.fullmatch(url)
    if match is None:
        raise ValueError("it is not an absolute http(s) URL")
    scheme, authority, path, query = match.group(1, 2, 3, 4)
    scheme = scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError(f"its scheme {scheme!r} is not http or https")
    if "@" in authority:
        raise ValueError("it carries credentials (user info before '@')")
    if authority.startswith("["):
        end = authority.find("]") + 1
        host_text, rest = authority[:end], authority[end:]
        if not end or (rest and not rest.startswith(":")):
            raise ValueError("its IPv6 host is malformed")
        port_text = rest[1:]
    else:
        host_text, _, port_text = authority.partition(":")
    host = _host(host_text)
    if port_text:
        if not _PORT.fullmatch(port_text) or not 0 < int(port_text) <= 65535:
            raise ValueError(f"its port {port_text[:20]!r} is not a number from 1 to 65535")
        port = int(port_text)
    else:
        port = _DEFAULT_PORTS[scheme]
    return UrlParts(
        scheme=scheme,
        host=host,
        port=port,
        path=quote(path or "/", safe=_URL_SAFE),
        query=quote(query or "", safe=_URL_SAFE),
    )


def _canonical_segment(segment: str) -> str:
    return quote_from_bytes(unquote_to_bytes(segment), safe=_SEGMENT_SAFE)


def canonical_path(path: str) -> str:
    """A path with escapes normalised (``%7e`` and ``~`` alike) and dot segments removed."""
    out: list[str] = []
    segments = [_canonical_segment(s) for s in path.split("/")]
    for i, segment in enumerate(segments):
        if segment == ".":
            if i == len(segments) - 1:
                out.append("")
        elif segment == "..":
            if len(out) > 1:
                out.pop()
            if i == len(segments) - 1:
                out.append("")
        else:
            out.append(segment)
    joined = "/".join(out)
    return joined if joined.startswith("/") else "/" + joined


def _form(text: str) -> str:
    return quote_from_bytes(unquote_to_bytes(text.replace("+", " ")), safe="")


def _plain(text: str) -> str:
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


def url_key(parts: UrlParts, params: Sequence[tuple[str, str]] | None = None) -> str:
    """A canonical spelling of ``parts`` plus decoded query ``params``, for comparisons.

    Scheme and host case, a default port, the order of query parameters, ``+`` against
    ``%20`` in the query and the case of percent-escapes make no difference.
    """
    pairs = []
    for piece in parts.query.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((_form(name), _form(value)))
    pairs += [(_plain(name), _plain(value)) for name, value in params or ()]
    query = "&".join(f"{name}={value}" for name, value in sorted(pairs))
    return f"{parts.scheme}://{parts.host}:{parts.port}{canonical_path(parts.path)}?{query}"

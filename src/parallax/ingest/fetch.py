"""Fetching pages over HTTP(S) politely and safely.

Timeouts, a size cap, a redirect cap, content-type checks, a clear user agent, retries with
backoff on 5xx and 429, a few requests per host at a time, and refusal of loopback, private,
link-local and other non-public addresses unless the policy allows private addresses. The
addresses are checked after DNS resolution on every redirect hop, and again when the socket
connects, which then goes to the very address it checked: a host whose DNS answer changes
between the check and the connection (DNS rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from parallax import __version__ as _version
from parallax.errors import InputError

USER_AGENT = f"parallax/{_version} (news comparison tool; python-httpx)"

# Content types that can hold an article, a feed or an archive; anything else is refused.
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/json",
    "application/x-ndjson",
    "application/jsonl",
    "application/warc",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
)
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class FetchPolicy:
    """How parallax fetches: limits and manners (see docs/ingest.md)."""

    allow_private: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 0.5
    per_host: int = 2
    workers: int = 8
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """A page as fetched: the final URL after redirects, its media type, charset and bytes."""

    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes


def is_url(item: str) -> bool:
    """True for an http(s) URL (other schemes are not fetched)."""
    return item.startswith(("http://", "https://"))


def refused_address(address: str) -> str | None:
    """Why an IP address must not be fetched from without --allow-private, or None."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return "non-public"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_private:
        return "private"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return "non-public"
    return None


def public_addresses(host: str, port: int) -> list[tuple]:
    """The socket addresses of `host` when every one of them is public.

    Raises httpcore.ConnectError naming the first refused address: one non-public answer is
    enough to refuse, since which answer a later connection would use is not known.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"host not found ({exc.strerror})") from None
    for info in infos:
        why = refused_address(str(info[4][0]))
        if why:
            raise httpcore.ConnectError(
                f"refused: {host} resolves to {why} address {info[4][0]} "
                "(use --allow-private to fetch it)"
            )
    return [(family, sockaddr) for family, _, _, _, sockaddr in infos]


class PublicOnlyBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses it has checked are public."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options=None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for _family, sockaddr in public_addresses(host, port):
            try:
                # The checked address itself, not the name: no second DNS answer is asked for.
                return super().connect_tcp(
                    str(sockaddr[0]), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"{host} has no address")


class _PublicOnlyTransport(httpx.HTTPTransport):
    """httpx's transport with its connection pool on `PublicOnlyBackend`."""

    def __init__(self) -> None:
        super().__init__()
        # httpx offers no argument for the pool's network backend; its pool keeps it here.
        self._pool._network_backend = PublicOnlyBackend()


def check_host(url: str, policy: FetchPolicy) -> None:
    """Resolve the URL's host and refuse it when any address is not public (InputError).

    The connection checks again (`PublicOnlyBackend`); this first check names the URL and the
    reason in the error, before any connection is opened.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(source=url, reason="not an http(s) URL")
    if policy.allow_private:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        public_addresses(parts.hostname, port)
    except httpcore.ConnectError as exc:
        raise InputError(source=url, reason=str(exc)) from None


def _media_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


def _read_capped(response: httpx.Response, url: str, limit: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(source=url, reason=f"too large ({declared} bytes > {limit} limit)")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise InputError(source=url, reason=f"too large (over the {limit} byte limit)")
        chunks.append(chunk)
    return b"".join(chunks)


def _client(policy: FetchPolicy) -> httpx.Client:
    timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
    return httpx.Client(
        timeout=timeout,
        follow_redirects=False,
        # With a transport of its own, httpx leaves proxies from the environment out: a proxy
        # would resolve the host where the address check cannot see it.
        transport=None if policy.allow_private else _PublicOnlyTransport(),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml,"
            "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5",
        },
    )


def fetch(url: str, policy: FetchPolicy, client: httpx.Client | None = None) -> Fetched:
    """One URL fetched under the policy; InputError naming the URL and the reason otherwise."""
    own = client is None
    client = client or _client(policy)
    try:
        return _fetch(url, policy, client)
    finally:
        if own:
            client.close()


def _fetch(url: str, policy: FetchPolicy, client: httpx.Client) -> Fetched:
    current = url
    for _hop in range(policy.max_redirects + 1):
        check_host(current, policy)
        response_or_next = _get_with_retries(url, current, policy, client)
        if isinstance(response_or_next, str):
            current = response_or_next
            continue
        return response_or_next
    raise InputError(source=url, reason=f"too many redirects (more than {policy.max_redirects})")


def _get_with_retries(
    original: str, current: str, policy: FetchPolicy, client: httpx.Client
) -> Fetched | str:
    """The page at `current`, or the next URL when it redirects."""
    attempt = 0
    while True:
        try:
            with client.stream("GET", current) as response:
                status = response.status_code
                if status in _REDIRECTS and "location" in response.headers:
                    return urljoin(current, response.headers["location"])
                if (status >= 500 or status == 429) and attempt < policy.retries:
                    attempt += 1
                    time.sleep(policy.backoff * 2 ** (attempt - 1))
                    continue
                if status >= 400:
                    raise InputError(
                        source=original, reason=f"HTTP {status} {response.reason_phrase}".strip()
                    )
                media, charset = _media_type(response.headers.get("content-type", ""))
                if media and media not in ACCEPTED_TYPES:
                    raise InputError(
                        source=original, reason=f"content type {media} is not an article"
                    )
                body = _read_capped(response, original, policy.max_bytes)
                return Fetched(str(response.url), status, media, charset, body)
        except httpx.TimeoutException:
            if attempt < policy.retries:
                attempt += 1
                time.sleep(policy.backoff * 2 ** (attempt - 1))
                continue
            raise InputError(source=original, reason="timed out") from None
        except httpx.HTTPError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(source=original, reason=f"fetch failed ({reason})") from None


def fetch_many(urls: Iterable[str], policy: FetchPolicy) -> Iterator[Fetched | InputError]:
    """Each URL fetched, in input order, with at most `per_host` requests to one host at once."""
    locks: dict[str, threading.BoundedSemaphore] = defaultdict(
        lambda: threading.BoundedSemaphore(policy.per_host)
    )
    guard = threading.Lock()
    client = _client(policy)

    def one(url: str) -> Fetched | InputError:
        host = urlsplit(url).hostname or ""
        with guard:
            lock = locks[host]
        with lock:
            try:
                return fetch(url, policy, client)
            except InputError as exc:
                return exc

    try:
        with ThreadPoolExecutor(max_workers=policy.workers) as pool:
            yield from pool.map(one, list(urls))
    finally:
        client.close()

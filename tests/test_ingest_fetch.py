"""Fetching against a real local HTTP server (bound to 127.0.0.1, allowed explicitly)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from parallax.errors import InputError
from parallax.ingest.fetch import FetchPolicy, fetch, fetch_many, refused_address
from parallax.ingest.sources import ReadOptions, read_inputs
from parallax.model import Article

PARAGRAPHS = [
    "The river burst its banks early on Saturday, flooding the lower town and forcing "
    "hundreds of families to leave their homes before dawn, the mayor's office said.",
    "Rescue teams in small boats worked through the morning to reach elderly residents who "
    "had stayed behind, and the regional hospital said eleven people were treated for cold.",
    "Forecasters expect the water to fall slowly over the next three days, but warned that "
    "more rain in the hills on Monday could bring a second, smaller flood to the valley.",
    "The mayor said the town would ask the national government for emergency funds to repair "
    "the two bridges that were damaged and to clean the streets once the water has gone.",
]


def page(title: str, charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="{charset}"><title>{title}</title>'
        '<meta name="author" content="By Jane Doe, Staff Reporter and Jane Doe">'
        '<meta property="og:site_name" content="Valley Courier">'
        '<meta property="article:published_time" content="2024-03-26T08:00:00Z">'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}"
        "</article><footer>Contact us</footer></body></html>"
    )


class Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def send(
        self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may give up first (timeout and size-cap tests).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        host = f"http://{self.headers['Host']}"
        if self.path == "/article":
            self.send(200, page("Flood forces hundreds from homes").encode())
        elif self.path == "/cp1251":
            html = page("Наводнение в долине", charset="windows-1251")
            html = html.replace(PARAGRAPHS[0], "Река вышла из берегов в субботу утром. " * 6)
            self.send(200, html.encode("cp1251"), "text/html")
        elif self.path == "/flaky":
            if Handler.hits[self.path] == 1:
                self.send(503, b"busy")
            else:
                self.send(200, page("Second try works").encode())
        elif self.path == "/slow":
            time.sleep(2)
            self.send(200, page("Too late").encode())
        elif self.path == "/big":
            self.send(200, b"<html><body>" + b"<p>word</p>" * 50_000 + b"</body></html>")
        elif self.path == "/image":
            self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"{host}/loop{len(self.path)}")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/article")
            self.end_headers()
        elif self.path == "/feed.xml":
            items = "".join(
                f"<item><title>Item {n}</title><link>{host}{path}</link>"
                "<pubDate>Tue, 26 Mar 2024 08:00:00 GMT</pubDate></item>"
                for n, path in enumerate(["/article", "/missing"])
            )
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Courier feed</title>{items}</channel></rss>'
            self.send(200, feed.encode(), "application/rss+xml")
        elif self.path == "/notxml.rss":
            self.send(200, b"this is { not xml", "application/rss+xml")
        else:
            self.send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


LOCAL = FetchPolicy(
    allow_private=True,
    connect_timeout=2,
    read_timeout=1,
    backoff=0.05,
    max_bytes=200_000,
    max_redirects=3,
)


def _read(*urls: str, policy: FetchPolicy = LOCAL) -> list[Article | InputError]:
    return list(read_inputs(urls, ReadOptions(fetch=policy)))


def test_article_page_with_metadata(server: str) -> None:
    (article,) = _read(f"{server}/article")
    assert isinstance(article, Article)
    assert "river burst its banks" in article.text
    assert article.title == "Flood forces hundreds from homes"
    assert article.authors == ["Jane Doe"]
    assert article.outlet == "Valley Courier"
    assert article.published and article.published.startswith("2024-03-26")
    assert article.language == "en"


def test_cp1251_page_is_decoded(server: str) -> None:
    (article,) = _read(f"{server}/cp1251")
    assert isinstance(article, Article)
    assert "Река вышла из берегов" in article.text


def test_loopback_refused_without_allow_private(server: str) -> None:
    (error,) = _read(f"{server}/article", policy=FetchPolicy())
    assert isinstance(error, InputError)
    assert "loopback" in error.reason and "--allow-private" in error.reason


def test_redirects_followed_and_capped(server: str) -> None:
    (moved,) = _read(f"{server}/moved")
    assert isinstance(moved, Article) and moved.url.endswith("/article")
    (loop,) = _read(f"{server}/loop")
    assert isinstance(loop, InputError) and "redirects" in loop.reason


def test_failures_name_the_reason(server: str) -> None:
    results = _read(f"{server}/missing", f"{server}/slow", f"{server}/big", f"{server}/image")
    reasons = [r.reason for r in results if isinstance(r, InputError)]
    assert len(reasons) == 4
    assert reasons[0].startswith("HTTP 404")
    assert reasons[1] == "timed out"
    assert "too large" in reasons[2]
    assert "image/png" in reasons[3]


def test_5xx_is_retried(server: str) -> None:
    (article,) = _read(f"{server}/flaky")
    assert isinstance(article, Article) and Handler.hits["/flaky"] == 2


def test_feed_items_are_fetched(server: str) -> None:
    results = _read(f"{server}/feed.xml")
    assert isinstance(results[0], Article) and results[0].url.endswith("/article")
    assert results[0].published.startswith("2024-03-26")
    assert isinstance(results[1], InputError) and "404" in results[1].reason


def test_feed_that_is_not_xml(server: str) -> None:
    (error,) = _read(f"{server}/notxml.rss")
    assert isinstance(error, InputError) and "not a valid RSS/Atom feed" in error.reason


def test_fetch_many_keeps_order(server: str) -> None:
    urls = [f"{server}/article", f"{server}/missing", f"{server}/article"]
    results = list(fetch_many(urls, LOCAL))
    assert [type(r).__name__ for r in results] == ["Fetched", "InputError", "Fetched"]
    assert fetch(f"{server}/article", LOCAL).content_type == "text/html"


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "non-public"),
        ("93.184.216.34", None),
    ],
)
def test_refused_addresses(address: str, why: str | None) -> None:
    assert refused_address(address) == why


def test_dns_rebinding_is_refused_at_connection(server: str, monkeypatch) -> None:
    """A name that resolves to a public address when checked and to loopback when connecting
    (DNS rebinding) is refused: the connection goes only to addresses checked as public."""
    port = int(server.rsplit(":", 1)[1])
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host, *args, **kwargs):
        if host != "rebind.example":
            return real(host, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    (error,) = _read(f"http://rebind.example:{port}/article", policy=FetchPolicy(retries=0))
    assert isinstance(error, InputError)
    assert "loopback address 127.0.0.1" in error.reason and "--allow-private" in error.reason

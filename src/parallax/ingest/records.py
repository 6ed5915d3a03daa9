"""Containers that hold many articles: JSON Lines exports, WARC archives, RSS/Atom feeds.

Each reader turns a container into plain records (`Record`: text or HTML plus what the
container says about it) or InputErrors for the parts that cannot be read; building Articles
from records is left to sources.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from parallax.errors import InputError

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Record:
    """One article inside a container, before extraction."""

    source: str
    text: str | None = None
    html: bytes | None = None
    charset: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()


def looks_like_feed(data: bytes) -> bool:
    """True when the first bytes open an RSS, Atom or RDF document."""
    return bool(_FEED_ROOT.search(data[:2048]))


def looks_like_jsonl(data: bytes) -> bool:
    """True when the first line is a JSON object."""
    first = data.lstrip()[:1]
    if first != b"{":
        return False
    line = data.lstrip().split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _field(record: dict, name: str) -> str | None:
    value = record.get(name)
    return value.strip() or None if isinstance(value, str) else None


def jsonl_records(
    lines: Iterator[bytes], source: str, max_bytes: int
) -> Iterator[Record | InputError]:
    """One Record per JSON object with a `text` or `html` field; other lines are InputErrors.

    Optional fields `url`, `title`, `published`, `outlet` and `authors` are passed on as given.
    """
    for number, raw in enumerate(lines, start=1):
        where = f"{source}:{number}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield InputError(source=where, reason=f"line too large ({len(raw)} bytes)")
            continue
        try:
            record = json.loads(raw)
        except ValueError as exc:
            yield InputError(source=where, reason=f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield InputError(source=where, reason="not a JSON object")
            continue
        # The text is kept exactly as given: offsets point into it.
        text = record.get("text") if isinstance(record.get("text"), str) else None
        html = record.get("html") if isinstance(record.get("html"), str) else None
        text = text if text and text.strip() else None
        html = html if html and html.strip() else None
        if not text and not html:
            yield InputError(source=where, reason="no `text` or `html` field")
            continue
        authors = record.get("authors")
        yield Record(
            source=where,
            text=text if not html else None,
            html=html.encode("utf-8") if html else None,
            charset="utf-8" if html else None,
            url=_field(record, "url"),
            title=_field(record, "title"),
            published=_field(record, "published"),
            outlet=_field(record, "outlet"),
            authors=tuple(a for a in authors if isinstance(a, str))
            if isinstance(authors, list)
            else (),
        )


def warc_records(stream: IO[bytes], source: str, max_bytes: int) -> Iterator[Record | InputError]:
    """One Record per WARC `response` record that carries HTML; a broken archive ends with an
    InputError saying where it broke (records read before that are kept)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    count = 0
    try:
        for entry in ArchiveIterator(stream):
            if entry.rec_type != "response":
                continue
            uri = entry.rec_headers.get_header("WARC-Target-URI") or f"record {count + 1}"
            where = f"{source}#{uri}"
            headers = entry.http_headers
            content_type = headers.get_header("Content-Type", "") if headers else ""
            media = content_type.split(";")[0].strip().lower()
            if media and media not in ("text/html", "application/xhtml+xml"):
                continue
            count += 1
            status = headers.get_statuscode() if headers else "200"
            if status and not str(status).startswith("2"):
                yield InputError(source=where, reason=f"archived response is HTTP {status}")
                continue
            body = entry.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield InputError(source=where, reason=f"record too large (over {max_bytes} bytes)")
                continue
            charset = None
            for part in content_type.split(";")[1:]:
                key, _, value = part.partition("=")
                if key.strip().lower() == "charset":
                    charset = value.strip().strip("\"'") or None
            yield Record(
                source=where, html=body, charset=charset, url=uri if "://" in uri else None
            )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        yield InputError(
            source=source, reason=f"broken WARC archive after {count} records ({detail})"
        )
        return
    if count == 0:
        yield InputError(source=source, reason="WARC archive holds no HTML response records")


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: the link to fetch, and what the feed says about it."""

    link: str | None
    title: str | None
    published: str | None
    authors: tuple[str, ...]
    content_html: str | None


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title (the outlet, usually) and its items."""

    title: str | None
    items: list[FeedItem]


def parse_feed(data: bytes, source: str) -> Feed:
    """The items of an RSS/Atom feed; InputError when the bytes are not a well-formed feed."""
    import feedparser

    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = str(problem).splitlines()[0] if problem else "no feed found"
        raise InputError(source=source, reason=f"not a valid RSS/Atom feed (not XML: {detail})")
    if not parsed.get("version") and not parsed.entries:
        raise InputError(source=source, reason="not an RSS/Atom feed")
    items = []
    for entry in parsed.entries:
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*stamp[:6])
        content = None
        if entry.get("content"):
            content = entry["content"][0].get("value")
        names = tuple(a.get("name", "") for a in entry.get("authors", []) if a.get("name"))
        items.append(
            FeedItem(
                link=entry.get("link"),
                title=entry.get("title"),
                published=published,
                authors=names,
                content_html=content,
            )
        )
    return Feed(title=parsed.feed.get("title"), items=items)

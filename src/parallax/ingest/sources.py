"""Reading inputs into Articles: files and directories (sniffed by content), `-` for stdin,
http(s) URLs, RSS/Atom feeds (every item fetched), JSON Lines, WARC archives, gzip.

Every input that cannot be read becomes an InputError naming it and the reason; the rest go
on. Plain-text articles are cleaned line by line, and again across each batch of articles, so
that lines repeated in several articles of one outlet are recognised as furniture.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from parallax.errors import InputError
from parallax.ingest.clean import find_boilerplate, repeated_lines
from parallax.ingest.fetch import Fetched, FetchPolicy, fetch_many, is_url
from parallax.ingest.html import (
    article_from_html,
    decode_html,
    looks_like_html,
    normalise_authors,
)
from parallax.ingest.outlets import outlet_from_text, outlet_from_url
from parallax.ingest.records import (
    Record,
    jsonl_records,
    looks_like_feed,
    looks_like_jsonl,
    parse_feed,
    warc_records,
)
from parallax.model import Article
from parallax.settings import get_settings

# Larger single documents are refused rather than read: no news article comes near this size.
MAX_BYTES = 20 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_FEED_SUFFIXES = (".rss", ".atom", ".xml")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are read: size cap, fetching policy, batch size of the cross-article pass."""

    max_bytes: int = MAX_BYTES
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    batch_size: int = 256


def read_options(allow_private: bool | None = None) -> ReadOptions:
    """Default reading options; `allow_private` None means the PARALLAX_ALLOW_PRIVATE setting."""
    if allow_private is None:
        allow_private = get_settings().allow_private
    return ReadOptions(fetch=FetchPolicy(allow_private=allow_private))


def extract_record(article: Article, duplicate_group: str | None = None) -> dict:
    """The JSON object `parallax extract` prints for one article."""
    record = {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "authors": article.authors,
        "published": article.published,
        "language": article.language,
        "text": article.kept_text(),
        "boilerplate": [b.model_dump() for b in article.boilerplate],
        "credits": [c.text for c in article.credits],
    }
    if duplicate_group is not None:
        record["duplicate_group"] = duplicate_group
    return record


def article_id(source: str, text: str) -> str:
    """A short stable id: the file's stem (with a record number inside containers), else a
    hash of the URL or of the text."""
    if "://" in source:
        return "u" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]
    if source in ("-", ""):
        return "a" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
    path, _, record = source.partition(":")
    stem = Path(path).name.split(".")[0] or Path(path).stem
    return f"{stem}-{record}" if record else stem


def is_binary(data: bytes) -> bool:
    """True for bytes that are not text: NUL bytes, or many control characters."""
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05


def decode_text(data: bytes, source: str) -> str:
    """Plain-text bytes as text: UTF-8 (with or without BOM), else detected (cp1251, latin-1)."""
    if is_binary(data):
        raise InputError(source=source, reason="binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_html(data, None)


def _byline_authors(text: str, boilerplate: list) -> list[str]:
    authors: list[str] = []
    for line in boilerplate:
        if line.reason == "byline":
            authors.extend(normalise_authors(line.text))
    return list(dict.fromkeys(authors))


def _first_kept_line(text: str, boilerplate: list) -> str | None:
    dropped = {b.start for b in boilerplate}
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        start = pos + (len(raw) - len(raw.lstrip()))
        pos += len(raw)
        if stripped and start not in dropped:
            return stripped
    return None


def article_from_text(
    text: str, source: str, record: Record | None = None, repeated: frozenset[str] = frozenset()
) -> Article:
    """An Article from plain text as read: boilerplate marked as spans (offsets never move),
    credits kept, title from the record or the first line of news, authors from a byline."""
    if not text.strip():
        raise InputError(source=source, reason="empty input (no text)")
    boilerplate, credits = find_boilerplate(text, repeated)
    url = record.url if record else None
    outlet = (record.outlet if record else None) or outlet_from_text(text)
    if outlet is None and url:
        outlet = outlet_from_url(url)
    return Article(
        id=article_id(source, text),
        source=source,
        url=url,
        outlet=outlet,
        title=(record.title if record else None) or _first_kept_line(text, boilerplate),
        authors=list(record.authors)
        if record and record.authors
        else _byline_authors(text, boilerplate),
        published=record.published if record else None,
        language=None,
        text=text,
        boilerplate=boilerplate,
        credits=credits,
        kind="text",
    )


def _from_html(data: bytes, source: str, charset: str | None, record: Record | None) -> Article:
    url = record.url if record else None
    html = decode_html(data, charset)
    article = article_from_html(html, source=source, article_id=article_id(source, html), url=url)
    if record is None:
        return article
    updates = {
        key: value
        for key, value in (
            ("title", record.title),
            ("published", record.published),
            ("outlet", record.outlet),
            ("authors", list(record.authors) or None),
        )
        if value
    }
    return article.model_copy(update=updates)


def _from_record(record: Record) -> Article:
    if record.html is not None:
        return _from_html(record.html, record.source, record.charset, record)
    return article_from_text(record.text or "", record.source, record)


def _ungzip(data: bytes, source: str, limit: int) -> bytes:
    decompressor = zlib.decompressobj(wbits=31)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(source=source, reason=f"corrupt gzip data ({exc})") from None
    if len(out) > limit:
        raise InputError(source=source, reason=f"too large once decompressed (over {limit} bytes)")
    if not decompressor.eof:
        raise InputError(source=source, reason="truncated gzip file (unexpected end of data)")
    return out


def read_bytes(
    data: bytes,
    source: str,
    options: ReadOptions | None = None,
    charset: str | None = None,
    content_type: str = "",
    url: str | None = None,
) -> Iterator[Article | InputError]:
    """The articles in the bytes of one input, sniffed by content: gzip, WARC, feed, JSON Lines,
    HTML or plain text. Raises InputError when the input as a whole cannot be read."""
    options = options or ReadOptions()
    if not data.strip():
        raise InputError(source=source, reason="empty input (no text)")
    if data.startswith(_GZIP_MAGIC):
        inner = _ungzip(data, source, options.max_bytes)
        yield from read_bytes(inner, source, options, charset, content_type, url)
        return
    if data.startswith(b"WARC/"):
        yield from _records(warc_records(io.BytesIO(data), source, options.max_bytes))
        return
    wants_feed = content_type in _FEED_TYPES or source.lower().endswith(_FEED_SUFFIXES)
    if looks_like_feed(data) or (wants_feed and not looks_like_html(data)):
        yield from _feed_articles(data, source, options)
        return
    if looks_like_jsonl(data):
        lines = iter(data.splitlines())
        yield from _records(jsonl_records(lines, source, options.max_bytes))
        return
    if looks_like_html(data) or content_type in ("text/html", "application/xhtml+xml"):
        if is_binary(data):
            raise InputError(source=source, reason="binary data, not HTML")
        record = Record(source=source, url=url) if url else None
        yield _from_html(data, source, charset, record)
        return
    text = decode_text(data, source)
    yield article_from_text(text, source, Record(source=source, url=url) if url else None)


def _records(records: Iterable[Record | InputError]) -> Iterator[Article | InputError]:
    for record in records:
        if isinstance(record, InputError):
            yield record
            continue
        try:
            yield _from_record(record)
        except InputError as exc:
            yield exc


def _feed_articles(
    data: bytes, source: str, options: ReadOptions
) -> Iterator[Article | InputError]:
    """Every item of a feed, fetched from its link (or taken from its inline content)."""
    feed = parse_feed(data, source)
    if not feed.items:
        raise InputError(source=source, reason="feed has no items")
    links = [item.link for item in feed.items if item.link and is_url(item.link)]
    fetched = dict(zip(links, fetch_many(links, options.fetch), strict=True))
    for item in feed.items:
        record = Record(
            source=item.link or source,
            url=item.link,
            title=item.title,
            published=item.published,
            outlet=feed.title,
            authors=tuple(normalise_authors("; ".join(item.authors))),
        )
        result = fetched.get(item.link or "")
        if isinstance(result, Fetched):
            try:
                articles = list(
                    read_bytes(
                        result.body,
                        item.link or source,
                        options,
                        result.charset,
                        result.content_type,
                        result.url,
                    )
                )
            except InputError as exc:
                yield exc
                continue
            for article in articles:
                if isinstance(article, Article):
                    article = article.model_copy(
                        update={
                            "title": article.title or item.title,
                            "published": article.published or item.published,
                        }
                    )
                yield article
        elif item.content_html:
            html = item.content_html.encode("utf-8")
            try:
                yield _from_html(html, record.source, "utf-8", record)
            except InputError as exc:
                yield exc
        elif isinstance(result, InputError):
            yield result
        else:
            yield InputError(source=record.source, reason="feed item has no link or content")


def _read_path(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    source = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(65536)
            inner_head = head
            if head.startswith(_GZIP_MAGIC):
                try:
                    inner_head = gzip.GzipFile(fileobj=io.BytesIO(head)).read(64)
                except (OSError, EOFError):
                    inner_head = b""
            if inner_head.startswith(b"WARC/"):
                # Archives are streamed record by record: their size is not capped, records are.
                handle.seek(0)
                yield from _records(warc_records(handle, source, options.max_bytes))
                return
            if size > options.max_bytes:
                raise InputError(
                    source=source,
                    reason=f"file too large ({size / 2**20:.0f} MiB > {options.max_bytes / 2**20:.0f} MiB limit)",
                )
            data = head + handle.read()
    except FileNotFoundError:
        raise InputError(source=source, reason="no such file") from None
    except IsADirectoryError:
        raise InputError(source=source, reason="is a directory") from None
    except PermissionError:
        raise InputError(source=source, reason="permission denied") from None
    except OSError as exc:
        raise InputError(source=source, reason=f"unreadable ({exc.strerror or exc})") from None
    yield from read_bytes(data, source, options)


def expand(inputs: Iterable[str]) -> Iterator[str]:
    """Inputs with directories replaced by the files below them (recursively, in name order,
    hidden files skipped); the kind of each file is sniffed later from its content."""
    for item in inputs:
        path = Path(item)
        if item != "-" and not is_url(item) and path.is_dir():
            for found in sorted(path.rglob("*")):
                parts = found.relative_to(path).parts
                if found.is_file() and not any(part.startswith(".") for part in parts):
                    yield str(found)
        else:
            yield item


def _read_one(item: str, options: ReadOptions) -> Iterator[Article | InputError]:
    try:
        if item == "-":
            data = sys.stdin.buffer.read(options.max_bytes + 1)
            if len(data) > options.max_bytes:
                raise InputError(source="-", reason="standard input too large")
            yield from read_bytes(data, "-", options)
        else:
            yield from _read_path(Path(item), options)
    except InputError as exc:
        yield exc


def _read_urls(urls: list[str], options: ReadOptions) -> Iterator[Article | InputError]:
    for url, result in zip(urls, fetch_many(urls, options.fetch), strict=True):
        if isinstance(result, InputError):
            yield result
            continue
        try:
            yield from read_bytes(
                result.body, url, options, result.charset, result.content_type, result.url
            )
        except InputError as exc:
            yield exc


def _read_all(inputs: Iterable[str], options: ReadOptions) -> Iterator[Article | InputError]:
    pending_urls: list[str] = []
    for item in expand(inputs):
        if is_url(item):
            pending_urls.append(item)
            continue
        if pending_urls:
            yield from _read_urls(pending_urls, options)
            pending_urls = []
        yield from _read_one(item, options)
    if pending_urls:
        yield from _read_urls(pending_urls, options)


def clean_across(articles: list[Article]) -> list[Article]:
    """The articles with lines repeated across several different articles of one outlet marked
    as boilerplate; the main-text search is redone only on plain text, not on extracted HTML."""
    plain = list(range(len(articles)))
    if len(plain) < 2:
        return articles
    repeats = repeated_lines([articles[i].text for i in plain], [articles[i].outlet for i in plain])
    out = list(articles)
    for i, common in zip(plain, repeats, strict=True):
        if not common:
            continue
        article = articles[i]
        boilerplate, credits = find_boilerplate(
            article.text, common, cut_region=article.kind == "text"
        )
        title = article.title
        if title and any(b.text == title for b in boilerplate):
            title = _first_kept_line(article.text, boilerplate)
        out[i] = article.model_copy(
            update={"boilerplate": boilerplate, "credits": credits, "title": title}
        )
    return out


def read_inputs(
    inputs: Iterable[str], options: ReadOptions | None = None
) -> Iterator[Article | InputError]:
    """Each input as Articles, or as the InputError that says why it could not be read.

    Results come in input order, in batches of `options.batch_size`: each batch is cleaned
    across its articles before it is yielded.
    """
    options = options or read_options()
    batch: list[Article | InputError] = []
    for item in _read_all(inputs, options):
        batch.append(item)
        if len(batch) >= options.batch_size:
            yield from _flush(batch)
            batch = []
    yield from _flush(batch)


def _flush(batch: list[Article | InputError]) -> Iterator[Article | InputError]:
    positions = [i for i, item in enumerate(batch) if isinstance(item, Article)]
    cleaned = clean_across([batch[i] for i in positions])  # type: ignore[misc]
    merged = list(batch)
    for i, article in zip(positions, cleaned, strict=True):
        merged[i] = article
    yield from merged

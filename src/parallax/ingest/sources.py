"""Reading inputs (paths, directories, `-`) into Articles; each failure is an InputError."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from parallax.errors import InputError
from parallax.ingest.clean import find_boilerplate
from parallax.ingest.html import article_from_html, looks_like_html
from parallax.ingest.outlets import outlet_from_text
from parallax.model import Article

# Larger files are refused rather than read: no news article comes near this size.
MAX_BYTES = 20 * 1024 * 1024


def article_id(source: str, text: str) -> str:
    """A short stable id: the file's stem when there is one, else a hash of the text."""
    stem = Path(source).stem if source not in ("-", "") and "://" not in source else ""
    return stem or "a" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def decode(data: bytes, source: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM); binary data is refused."""
    if b"\x00" in data[:8192]:
        raise InputError(source=source, reason="binary file, not text or HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 maps almost every byte, so it is the forgiving fallback for legacy pages.
        return data.decode("cp1252", errors="replace")


def article_from_text(text: str, source: str) -> Article:
    """An Article from plain text as read: title from the first line of news, boilerplate marked."""
    if not text.strip():
        raise InputError(source=source, reason="empty input (no text)")
    boilerplate, credits = find_boilerplate(text)
    dropped = {(b.start, b.end) for b in boilerplate}
    title = None
    pos = 0
    for line in text.splitlines(keepends=True):
        span = (pos, pos + len(line.rstrip("\r\n")))
        pos += len(line)
        if line.strip() and span not in dropped:
            title = line.strip()
            break
    return Article(
        id=article_id(source, text),
        source=source,
        title=title,
        outlet=outlet_from_text(text),
        language="en",
        text=text,
        boilerplate=boilerplate,
        credits=credits,
    )


def read_bytes(data: bytes, source: str) -> Article:
    """An Article from the bytes of one input, HTML or plain text."""
    if not data.strip():
        raise InputError(source=source, reason="empty input (no text)")
    text = decode(data, source)
    if looks_like_html(text):
        return article_from_html(text, source=source, article_id=article_id(source, text))
    return article_from_text(text, source)


def read_path(path: Path) -> Article:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(source=source, reason=f"file too large ({size} bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(source=source, reason="no such file") from None
    except IsADirectoryError:
        raise InputError(source=source, reason="is a directory") from None
    except PermissionError:
        raise InputError(source=source, reason="permission denied") from None
    except OSError as exc:
        raise InputError(source=source, reason=f"unreadable ({exc.strerror or exc})") from None
    return read_bytes(data, source)


def expand(inputs: Iterable[str]) -> Iterator[str]:
    """Inputs with directories replaced by the files below them, in name order."""
    for item in inputs:
        path = Path(item)
        if item != "-" and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob("*")) if p.is_file())
        else:
            yield item


def read_inputs(inputs: Iterable[str]) -> Iterator[Article | InputError]:
    """Each input as an Article, or as the InputError that says why it could not be read."""
    for item in expand(inputs):
        try:
            if item == "-":
                yield read_bytes(sys.stdin.buffer.read(), "-")
            else:
                yield read_path(Path(item))
        except InputError as exc:
            yield exc

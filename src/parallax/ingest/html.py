"""Article text and metadata from HTML, with trafilatura."""

from __future__ import annotations

import re

from parallax.errors import InputError
from parallax.ingest.outlets import outlet_from_url
from parallax.model import Article

_HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<meta|<!--)", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document (sniffed, not taken from the name)."""
    return bool(_HTML_START.match(text[:2048])) or "<p>" in text[:4096].lower()


def article_from_html(html: str, source: str, article_id: str, url: str | None = None) -> Article:
    """The main text and metadata of one HTML page; InputError when no article text is found."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=False
    )
    text = document.text if document is not None else None
    if not text or not text.strip():
        raise InputError(source=source, reason="no article text found in the HTML")
    page_url = url or document.url
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return Article(
        id=article_id,
        source=source,
        url=page_url,
        outlet=document.sitename or (outlet_from_url(page_url) if page_url else None),
        title=document.title,
        authors=authors,
        published=document.date,
        language=document.language,
        text=text,
    )

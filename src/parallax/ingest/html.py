"""Article text and metadata from HTML: trafilatura for the body, htmldate for the date."""

from __future__ import annotations

import codecs
import re

from parallax.errors import InputError
from parallax.ingest.clean import find_boilerplate
from parallax.ingest.outlets import outlet_from_url
from parallax.model import Article

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype html|<html|<head|<body|<meta|<title|<!--|<div|<p[ >])",
    re.IGNORECASE,
)
_HTML_TAGS = re.compile(rb"<(?:p|div|span|a|br|h[1-6]|article|script|table)\b", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""")
_LANG = re.compile(
    r"""<html[^>]*\slang\s*=\s*["']?([a-zA-Z]{2,3})(?:[-_][\w]+)?|"""
    r"""<meta[^>]+http-equiv\s*=\s*["']content-language["'][^>]+content\s*=\s*["']"""
    r"""([a-zA-Z]{2,3})|<meta[^>]+property\s*=\s*["']og:locale["'][^>]+content\s*=\s*["']"""
    r"""([a-zA-Z]{2,3})""",
    re.IGNORECASE,
)

# Names in the author field that are desks, wires and job titles rather than people.
_NOT_A_PERSON = re.compile(
    r"\b(?:staff|desk|team|bureau|editors?|editorial|newsroom|reporters?|writers?|"
    r"correspondents?|contributors?|agency|agencies|press|news|media|wire|service|"
    r"associated|reuters|afp|ap|upi|dpa|efe|ansa|pti|ians|xinhua|tass|belta|bloomberg|"
    r"online|digital|web|admin|administrator|redaktion|redacción|redação|redazione|"
    r"guest|sponsored|partner|inc|ltd|llc|gmbh|group|magazine|journal|times|post|daily)\b",
    re.IGNORECASE,
)
_BY_PREFIX = re.compile(r"^(?:by|por|von|par|di|oleh|door|av|written by|posted by)\s+", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&|\|| y | e | und | et )\s*")


def looks_like_html(data: bytes) -> bool:
    """True when the bytes start like an HTML document or are dense with HTML tags."""
    head = data[:4096]
    if _HTML_START.match(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 3


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML or XML document declares in its first bytes, if Python knows it."""
    head = data[:4096]
    match = _XML_ENCODING.match(head.lstrip()) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes, http_charset: str | None) -> str:
    """HTML bytes as text: BOM, then the HTTP charset, then the page's own declaration, then
    UTF-8 if it decodes cleanly, then charset detection (which tells cp1251 from latin-1).

    A declared charset that fails to decode the bytes is not trusted.
    """
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    for name in (http_charset, declared_charset(data)):
        if not name:
            continue
        try:
            # Pages labelled latin-1 are cp1252 in practice (browsers decode them so).
            return data.decode("cp1252" if codecs.lookup(name).name == "iso8859-1" else name)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None:
        return data.decode(best.encoding, errors="replace")
    return data.decode("cp1252", errors="replace")


def page_language(html: str) -> str | None:
    """The language the page declares (`<html lang>`, content-language, og:locale), lower case."""
    match = _LANG.search(html[:20_000])
    if not match:
        return None
    code = next(group for group in match.groups() if group)
    return code.lower()


def normalise_authors(raw: str | None, outlet: str | None = None) -> list[str]:
    """People named in an author field: split, "By" removed, duplicates and organisations
    dropped ("Reuters", "News Nation Bureau", "AP Auto Writer", the outlet itself).

    Names are not re-cased beyond fixing all-caps or all-lower names; nothing is guessed from
    the body text.
    """
    if not raw:
        return []
    people: list[str] = []
    seen: set[str] = set()
    outlet_key = (outlet or "").casefold()
    for part in _AUTHOR_SPLIT.split(raw):
        name = _BY_PREFIX.sub("", part.strip(" .:-–—\t\n")).strip()
        if not name or "@" in name or "http" in name.casefold() or any(c.isdigit() for c in name):
            continue
        words = name.split()
        if not 2 <= len(words) <= 5 or _NOT_A_PERSON.search(name):
            continue
        if name.isupper() or name.islower():
            name = " ".join(word.capitalize() for word in words)
        key = name.casefold()
        if key in seen or key == outlet_key:
            continue
        seen.add(key)
        people.append(name)
    return people


def article_from_html(html: str, source: str, article_id: str, url: str | None = None) -> Article:
    """The main text and metadata of one HTML page; InputError when no article text is found.

    The body comes from trafilatura in precision mode (it scores higher on the extraction
    benchmark); the date from htmldate via trafilatura's metadata; the outlet is the site's
    own name, else its domain. Short furniture lines left in the body ("Advertisement",
    promos) are marked as boilerplate, but no main-region cut is made on extracted text.
    """
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        raise InputError(source=source, reason=f"malformed HTML ({type(exc).__name__})") from None
    text = document.text if document is not None else None
    if not text or not text.strip():
        raise InputError(source=source, reason="no article text found in the HTML")
    page_url = document.url or url
    outlet = document.sitename or (outlet_from_url(page_url) if page_url else None)
    if outlet and outlet.startswith(("http://", "https://")):
        outlet = outlet_from_url(outlet)
    boilerplate, credits = find_boilerplate(text, cut_region=False)
    return Article(
        id=article_id,
        source=source,
        url=page_url,
        outlet=outlet,
        title=(document.title or None),
        authors=normalise_authors(document.author, outlet),
        published=document.date,
        language=document.language or page_language(html),
        text=text,
        boilerplate=boilerplate,
        credits=credits,
        kind="html",
    )

"""Identity of an article in the store: its canonical URL and the hash of its text.

Two inputs are the same article when their canonical URLs are equal or when their texts (with
boilerplate removed and whitespace collapsed) hash the same. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from parallax.model import Article

# Query parameters that only track the reader; they never change which article a URL names.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid", "ito"}
)
_SPACE = re.compile(r"\s+")


def canonical_url(url: str | None) -> str | None:
    """The URL with case, default ports, fragments, trailing slashes and tracking parameters
    normalised away; None for anything that is not an http(s) URL (it cannot be compared)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/") or "/"
    # http and https name the same article on news sites; keep one scheme for comparison.
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def text_hash(article: Article) -> str:
    """sha256 of the kept text with whitespace collapsed: the same article scraped twice, or
    saved once as .txt and once with different line breaks, hashes the same."""
    normal = _SPACE.sub(" ", article.kept_text()).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def story_id_for(keys: list[str]) -> str:
    """A story id derived from its first articles' hashes, so that re-running an interrupted
    batch finds the story the first run started."""
    digest = hashlib.sha1("\n".join(sorted(keys)).encode("ascii")).hexdigest()
    return "s" + digest[:12]


_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


def article_key(article: Article, digest: str, taken: set[str]) -> str:
    """The id the store gives an article: its own id when free (file stems read well in URLs),
    else that id with the first characters of its text hash."""
    base = _SLUG.sub("-", article.id).strip("-.")[:80] or "a"
    if base not in taken:
        return base
    return f"{base}-{digest[:10]}"


def actor_key(name: str) -> str:
    """How actors are matched across stories: case-folded name with whitespace and the
    punctuation around it collapsed ("Alexander  Lukashenko" == "alexander lukashenko")."""
    return _SPACE.sub(" ", re.sub(r"[^\w\s-]", " ", name.casefold())).strip()

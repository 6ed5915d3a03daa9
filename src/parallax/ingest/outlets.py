"""Naming the outlet behind an article: from its domain, or from how it refers to itself."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Phrases in which an outlet names itself inside its own copy.
_SELF_REFERENCE = [
    re.compile(
        r"\b(The [A-Z][a-z]+(?: [A-Z][a-z]+)?) could not (?:immediately )?(?:confirm|verify)"
    ),
    re.compile(r"\bTry (The [A-Z][a-z]+(?: [A-Z][a-z]+)?) free\b"),
    re.compile(r"\b(?:told|contacted by) (The [A-Z][a-z]+(?: [A-Z][a-z]+)?)\b(?= in a statement)"),
]


def outlet_from_text(text: str) -> str | None:
    """The outlet an article names as itself ("The Telegraph could not confirm"), or None.

    Only self-references are used; a medium the article merely cites is not its outlet.
    """
    for pattern in _SELF_REFERENCE:
        match = pattern.search(text)
        if match:
            return match.group(1)
    return None


def outlet_from_url(url: str) -> str | None:
    """A readable outlet name from a URL's host ("www.bbc.co.uk" -> "bbc.co.uk")."""
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")

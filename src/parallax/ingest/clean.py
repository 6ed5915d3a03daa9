"""Finding page furniture in scraped plain text, line by line, without moving any offset."""

from __future__ import annotations

import re

from parallax.model import BoilerplateLine, Span

_WIDGET = re.compile(
    r"^(?:[•·*-]\s*)?(?:oops!?|something went wrong\.?|please try again later\.?|"
    r"advertisement|read more|loading\.*|skip to (?:main )?content)$",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"(?:whatsapp channel|follow us on|sign up for (?:our|the) newsletter|subscribe to|"
    r"try .{2,40} free for|download (?:our|the) app|share this article)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:with inputs? from|\(?(?:with )?(?:reporting|additional reporting) by|source:)\s+"
    r"([A-Z][\w.&' -]{1,60}?)\)?\.?$",
    re.IGNORECASE,
)
_BREADCRUMB_START = re.compile(r"^(?:home|news)\b", re.IGNORECASE)
# A caption credit: a sentence ending " - Firstname Lastname" (photographer or agency).
_CAPTION_CREDIT = re.compile(r"\s[-–—]\s(?:[A-Z][\w'.-]+)(?:\s[A-Z][\w'.-]+){0,3}(?:/\w+)?$")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each line, `end` before the line break."""
    out = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        out.append((pos, pos + len(content), content))
        pos += len(raw)
    return out


def find_boilerplate(text: str) -> tuple[list[BoilerplateLine], list[Span]]:
    """Lines of page furniture in scraped text, and source credits ("With inputs from AP").

    It looks at each line with its neighbours: widget and promo lines, breadcrumbs that end
    with the headline, a repeated headline, photo captions that end with a credit (and the
    short label line just above them). It refuses to guess on ordinary sentences: a line
    that reads as news is kept even when it is short.
    """
    lines = _lines(text)
    found: dict[int, str] = {}
    credits: list[Span] = []
    seen: dict[str, int] = {}
    nonblank = [i for i, (_, _, c) in enumerate(lines) if c.strip()]

    for rank, i in enumerate(nonblank):
        start, end, content = lines[i]
        line = content.strip()
        if _WIDGET.match(line):
            found[i] = "widget"
        elif _CREDIT.match(line):
            found[i] = "credit"
            lead = len(content) - len(content.lstrip())
            credits.append(Span(start=start + lead, end=start + lead + len(line), text=line))
        elif _PROMO.search(line) and len(line) < 400:
            found[i] = "promo"
        elif line in seen:
            found[i] = "repeated headline" if seen[line] == nonblank[0] else "repeated line"
        elif rank == 0 and _BREADCRUMB_START.match(line) and len(nonblank) > 1:
            following = lines[nonblank[1]][2].strip()
            if following and line.endswith(following):
                found[i] = "breadcrumb"
        elif _CAPTION_CREDIT.search(line) and not line.endswith((".", '"', "”", "?", "!")):
            found[i] = "caption"
            # A short label line right above a caption ("Alexander Lukashenko") belongs to it.
            if rank > 0:
                prev = nonblank[rank - 1]
                label = lines[prev][2].strip()
                if len(label.split()) <= 5 and not label.endswith((".", '"', "”")):
                    found.setdefault(prev, "caption")
        seen.setdefault(line, i)

    boilerplate = []
    for i in sorted(found):
        start, end, content = lines[i]
        lead = len(content) - len(content.lstrip())
        boilerplate.append(
            BoilerplateLine(
                start=start + lead, end=end, text=content.strip(), reason=found[i]
            )
        )
    return boilerplate, credits

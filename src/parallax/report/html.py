"""The dossier as one standalone HTML page (Jinja2, autoescaped; no external resources)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from parallax.model import Dossier, DossierArticle
from parallax.report.views import STATUS_TITLES, DossierView


@dataclass(frozen=True)
class Segment:
    """A run of article text: plain, a claim mention, or boilerplate left out."""

    text: str
    claim: str | None = None
    boilerplate: bool = False


def segment_article(article: DossierArticle, dossier: Dossier) -> list[Segment]:
    """The article's text cut at claim-mention and boilerplate boundaries, in order.

    Mentions of one article do not overlap (claims are disjoint clauses); should two ever
    overlap, the earlier one wins and the later is cut to start after it.
    """
    marks: list[tuple[int, int, str | None, bool]] = []
    for claim in dossier.claims:
        for mention in claim.mentions:
            if mention.article == article.id:
                marks.append((mention.span[0], mention.span[1], claim.id, False))
    for line in article.boilerplate:
        marks.append((line.start, line.end, None, True))
    marks.sort()
    segments: list[Segment] = []
    pos = 0
    text = article.text
    for start, end, claim, boilerplate in marks:
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            segments.append(Segment(text[pos:start]))
        segments.append(Segment(text[start:end], claim=claim, boilerplate=boilerplate))
        pos = end
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("parallax.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(dossier: Dossier) -> str:
    """A self-contained page: claims x outlets matrix, conflicts, framing, sources, texts."""
    view = DossierView.of(dossier)
    template = _environment().get_template("dossier.html.j2")
    return template.render(
        view=view,
        dossier=dossier,
        status_titles=STATUS_TITLES,
        segments={a.id: segment_article(a, dossier) for a in dossier.articles},
        claim_articles={c.id: {m.article for m in c.mentions} for c in dossier.claims},
    )

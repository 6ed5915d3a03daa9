"""The dossier as one standalone HTML page (Jinja2, autoescaped; no external resources)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape

from parallax.model import Dossier, DossierArticle
from parallax.report.views import STATUS_TITLES, DossierView

# Above this many articles, single-source claims leave the matrix for per-outlet lists: a
# 300-article story would otherwise render millions of empty cells.
MATRIX_MAX_ARTICLES = 12


@dataclass(frozen=True)
class Segment:
    """A run of article text with the items (claims, hedges, sources, descriptors) covering it.

    `keys` name those items ("c3", "h1", "s2", "d4"); `claims` are the claim ids among them.
    A segment with no key is plain text, or boilerplate left out.
    """

    text: str
    keys: tuple[str, ...] = ()
    boilerplate: bool = False

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(k for k in self.keys if k.startswith("c"))

    @property
    def claim(self) -> str | None:
        """The innermost claim (the last one opened), for links and titles."""
        return self.claims[-1] if self.claims else None


def item_marks(dossier: Dossier) -> dict[str, list[tuple[int, int, str]]]:
    """Every highlightable stretch per article: (start, end, key) for claims, hedges,
    cited sources and descriptors (a descriptor is located by its first occurrence)."""
    marks: dict[str, list[tuple[int, int, str]]] = {a.id: [] for a in dossier.articles}
    for claim in dossier.claims:
        for mention in claim.mentions:
            marks.setdefault(mention.article, []).append((*mention.span, claim.id))
    for number, hedge in enumerate(dossier.hedges, start=1):
        marks.setdefault(hedge.article, []).append((*hedge.span, f"h{number}"))
    for number, source in enumerate(dossier.sources_cited, start=1):
        for mention in source.spans:
            marks.setdefault(mention.article, []).append((*mention.span, f"s{number}"))
    articles = {a.id: a for a in dossier.articles}
    for key, article_id, phrase in descriptor_keys(dossier):
        article = articles.get(article_id)
        start = _find_outside_boilerplate(article, phrase) if article else -1
        if start >= 0:
            marks.setdefault(article_id, []).append((start, start + len(phrase), key))
    return marks


def _find_outside_boilerplate(article: DossierArticle, phrase: str) -> int:
    """The first occurrence of `phrase` in the article's kept text, or -1."""
    start = article.text.find(phrase)
    while start >= 0:
        if not any(b.start <= start < b.end for b in article.boilerplate):
            return start
        start = article.text.find(phrase, start + 1)
    return -1


def descriptor_keys(dossier: Dossier) -> list[tuple[str, str, str]]:
    """(key, article id, phrase) for every descriptor, numbered in dossier order."""
    out = []
    for actor in dossier.actors:
        for article_id, phrases in actor.descriptors.items():
            for phrase in phrases:
                out.append((f"d{len(out) + 1}", article_id, phrase))
    return out


def segment_article(
    article: DossierArticle,
    dossier: Dossier,
    marks_by_article: dict[str, list[tuple[int, int, str]]] | None = None,
) -> list[Segment]:
    """The article's text cut at every item and boilerplate boundary, in order.

    Items may nest (a record phrase inside its sentence's claim) or overlap; each segment
    lists every item covering it, so a click on any of them lights it up.
    """
    if marks_by_article is None:
        marks_by_article = item_marks(dossier)
    marks = marks_by_article.get(article.id, [])
    text = article.text
    cuts = {0, len(text)}
    for start, end, _ in marks:
        cuts.update((max(0, start), min(len(text), end)))
    for line in article.boilerplate:
        cuts.update((line.start, line.end))
    bounds = sorted(cuts)
    ordered = sorted(marks, key=lambda m: (m[0], -m[1]))
    segments: list[Segment] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        if start >= end:
            continue
        keys = tuple(k for s, e, k in ordered if s <= start and end <= e)
        boilerplate = any(b.start <= start and end <= b.end for b in article.boilerplate)
        segments.append(Segment(text[start:end], keys=keys, boilerplate=boilerplate))
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
    marks = item_marks(dossier)
    return template.render(
        view=view,
        dossier=dossier,
        status_titles=STATUS_TITLES,
        segments={a.id: segment_article(a, dossier, marks) for a in dossier.articles},
        claim_articles={c.id: {m.article for m in c.mentions} for c in dossier.claims},
        related=view.related,
        claims_by_id={c.id: c for c in dossier.claims},
        compact=len(dossier.articles) > MATRIX_MAX_ARTICLES,
        descriptor_keys={(a, p): k for k, a, p in descriptor_keys(dossier)},
    )

"""Lookups shared by the Markdown and HTML reports: labels, groupings, orderings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from parallax.model import Claim, Dossier, DossierArticle

STATUS_ORDER = ("corroborated", "contested", "single_source")
STATUS_TITLES = {
    "corroborated": "Corroborated by several outlets",
    "contested": "Contested",
    "single_source": "Reported by one outlet only",
}


def article_label(article: DossierArticle) -> str:
    """How a report names an article: its outlet, else its file or URL."""
    return article.outlet or article.id


@dataclass
class DossierView:
    """The dossier indexed for rendering."""

    dossier: Dossier
    labels: dict[str, str] = field(default_factory=dict)
    actor_names: dict[str, str] = field(default_factory=dict)
    claims_by_status: dict[str, list[Claim]] = field(default_factory=dict)
    single_by_article: dict[str, list[Claim]] = field(default_factory=dict)
    # claim id -> {article id: [related claim ids carried by that article]}
    related: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, dossier: Dossier) -> DossierView:
        view = cls(dossier=dossier)
        view.labels = {a.id: article_label(a) for a in dossier.articles}
        view.actor_names = {a.id: a.name for a in dossier.actors}
        grouped: dict[str, list[Claim]] = defaultdict(list)
        single: dict[str, list[Claim]] = defaultdict(list)
        for claim in dossier.claims:
            grouped[claim.status].append(claim)
            if claim.status == "single_source":
                single[claim.mentions[0].article].append(claim)
        view.claims_by_status = {s: grouped.get(s, []) for s in STATUS_ORDER}
        view.single_by_article = dict(single)
        articles_of = {c.id: [m.article for m in c.mentions] for c in dossier.claims}
        for relation in dossier.relations:
            for claim in relation.claims:
                for other in relation.claims:
                    if other == claim:
                        continue
                    for article in articles_of.get(other, []):
                        cell = view.related.setdefault(claim, {}).setdefault(article, [])
                        if other not in cell:
                            cell.append(other)
        return view

    def actor(self, actor_id: str | None) -> str | None:
        return self.actor_names.get(actor_id, actor_id) if actor_id else None

    def title(self) -> str:
        for article in self.dossier.articles:
            if article.title:
                return article.title
        return self.dossier.story

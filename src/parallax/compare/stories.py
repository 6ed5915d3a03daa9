"""From a pile of articles to one dossier per story: analyze once, cluster, compare each group."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.analyze import analyze_articles
from parallax.compare.dossier import build_dossier
from parallax.model import Article, Dossier


def dossiers_for(articles: Sequence[Article], split: bool = True) -> list[Dossier]:
    """The dossiers of the stories among `articles`, largest story first.

    With `split` False every article is taken to be about one event (one dossier). A single
    article is never clustered: it is its own story.
    """
    analyzed = analyze_articles(articles)
    if not split or len(articles) < 2:
        return [build_dossier(analyzed)]
    from parallax.cluster.stories import cluster_articles

    by_id = {a.article.id: a for a in analyzed}
    stories = cluster_articles(list(articles))
    stories.sort(key=lambda s: -len(s.articles))
    return [build_dossier([by_id[i] for i in story.articles]) for story in stories]

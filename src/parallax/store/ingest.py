"""Ingesting a batch of articles into the store: idempotent and crash-safe.

- Idempotent: an article whose text hash or canonical URL is stored already is skipped (the
  same article twice, within a batch or across runs, is stored once).
- Crash-safe: articles are written with their analyses in one transaction per round of
  `CHUNK` articles (all of a round or none of it), and a story's dossier is rebuilt afterwards
  from what is stored. A kill anywhere leaves whole articles and a story marked stale; the
  next run skips what is stored, analyses the rest, and rebuilds every stale dossier, so
  nothing is lost and nothing is duplicated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from parallax.model import AnalyzedArticle, Article, Dossier
from parallax.store.keys import article_key, canonical_url, story_id_for, text_hash
from parallax.store.repo import NewArticle, Store

Analyze = Callable[[list[Article]], list[AnalyzedArticle]]
BuildDossier = Callable[[list[AnalyzedArticle], str], Dossier]
Grouping = Callable[[list[Article]], list[list[int]]]

# Articles analysed and written per round: small enough that a kill loses little work.
CHUNK = 16


@dataclass
class Keyed:
    """An input article with the keys that identify it in the store."""

    article: Article
    digest: str
    url: str | None


@dataclass
class IngestReport:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    # One record per input: source, article (store key), story, status (stored | duplicate).
    records: list[dict] = field(default_factory=list)

    def note(self, source: str, article: str | None, story: str | None, status: str) -> None:
        self.records.append(
            {"source": source, "article": article, "story": story, "status": status}
        )
        (self.stored if status == "stored" else self.duplicates).append(
            article if status == "stored" else source
        )


def _default_analyze(articles: list[Article]) -> list[AnalyzedArticle]:
    from parallax.analyze import analyze_articles

    return analyze_articles(articles)


def _default_build(analyzed: list[AnalyzedArticle], story: str) -> Dossier:
    from parallax.compare.dossier import build_dossier

    return build_dossier(analyzed, story=story)


def one_story(articles: list[Article]) -> list[list[int]]:
    """The whole batch as one story (what `parallax compare` assumes of its inputs)."""
    return [list(range(len(articles)))] if articles else []


def clustered(articles: list[Article]) -> list[list[int]]:
    """The batch split into stories by `parallax.cluster.stories`, as index groups."""
    from parallax.cluster.stories import cluster_articles

    position = {a.id: i for i, a in enumerate(articles)}
    return [[position[a] for a in story.articles] for story in cluster_articles(articles)]


def assign_stories(
    batch: Sequence[Keyed], stored_story: dict[int, str], grouping: Grouping
) -> dict[int, str]:
    """Story id for each batch position. The seam between ingestion and story clustering:
    `grouping` splits the batch; a group with articles stored already joins their (most
    common) story, and a new group's id is derived from its articles' hashes, so that a re-run
    of an interrupted batch puts the rest where the first run began."""
    assigned: dict[int, str] = {}
    for group in grouping([k.article for k in batch]):
        known = Counter(stored_story[i] for i in group if i in stored_story)
        story = (
            known.most_common(1)[0][0] if known else story_id_for([batch[i].digest for i in group])
        )
        for i in group:
            assigned[i] = story
    return assigned


def dedupe(articles: Iterable[Article]) -> tuple[list[Keyed], list[tuple[str, int]]]:
    """The batch with keys computed and in-batch copies dropped: (source of the copy, batch
    position of the article it copies) for each."""
    batch: list[Keyed] = []
    copies: list[tuple[str, int]] = []
    by_hash: dict[str, int] = {}
    by_url: dict[str, int] = {}
    for article in articles:
        keyed = Keyed(article, text_hash(article), canonical_url(article.url))
        first = by_hash.get(keyed.digest)
        if first is None and keyed.url:
            first = by_url.get(keyed.url)
        if first is not None:
            copies.append((article.source, first))
            continue
        by_hash[keyed.digest] = len(batch)
        if keyed.url:
            by_url[keyed.url] = len(batch)
        batch.append(keyed)
    return batch, copies


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    *,
    grouping: Grouping = one_story,
    story: str | None = None,
    analyze: Analyze = _default_analyze,
    build: BuildDossier = _default_build,
    chunk: int = CHUNK,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """Store the articles that are not stored yet and rebuild the dossiers of the stories they
    join (and of any story a crashed run left stale). `story` puts every new article in that
    story instead of asking `grouping`."""
    report = IngestReport()
    batch, copies = dedupe(articles)
    by_hash, by_url = store.find_existing(
        (k.digest for k in batch), (k.url for k in batch if k.url)
    )
    stored_story: dict[int, str] = {}
    stored_key: dict[int, str] = {}
    for i, keyed in enumerate(batch):
        hit = by_hash.get(keyed.digest) or (by_url.get(keyed.url) if keyed.url else None)
        if hit is not None:
            stored_key[i], stored_story[i] = hit
    if story is not None:
        stories = {i: story for i in range(len(batch))}
    else:
        stories = assign_stories(batch, stored_story, grouping)
    for i in sorted(stored_story):
        report.note(batch[i].article.source, stored_key[i], stored_story[i], "duplicate")

    fresh = [i for i in range(len(batch)) if i not in stored_story]
    taken = store.taken_keys(batch[i].article.id for i in fresh)
    for i in fresh:
        key = article_key(batch[i].article, batch[i].digest, taken)
        taken.add(key)
        batch[i].article = batch[i].article.model_copy(update={"id": key})

    fresh_analyses: dict[str, AnalyzedArticle] = {}
    for start in range(0, len(fresh), chunk):
        part = fresh[start : start + chunk]
        analyzed = analyze([batch[i].article for i in part])
        items = [
            NewArticle(one, stories[i], batch[i].digest, batch[i].url)
            for i, one in zip(part, analyzed, strict=True)
        ]
        for i, added, item in zip(part, store.add_articles(items), items, strict=True):
            keyed = batch[i]
            if added:
                fresh_analyses[keyed.article.id] = item.analyzed
            status = "stored" if added else "duplicate"
            report.note(
                keyed.article.source, keyed.article.id if added else None, stories[i], status
            )
        if progress:
            progress(f"stored {len(report.stored)} of {len(fresh)} new articles")

    for source, first in copies:
        kept = batch[first]
        story_of = stored_story.get(first, stories[first])
        report.note(source, stored_key.get(first, kept.article.id), story_of, "duplicate")
    report.stories = sorted({stories[i] for i in range(len(batch))})
    for story_id in store.stale_stories():
        rebuild_dossier(store, story_id, build, fresh_analyses)
        if progress:
            progress(f"dossier of story {story_id} rebuilt")
    return report


def rebuild_dossier(
    store: Store,
    story_id: str,
    build: BuildDossier = _default_build,
    known: dict[str, AnalyzedArticle] | None = None,
) -> Dossier:
    """Build a story's dossier from its stored analyses (or `known` ones, by article key, for
    articles analysed in this run) and save it."""
    dossier = build(store.story_analyses(story_id, known), story_id)
    store.save_dossier(story_id, dossier)
    return dossier


def grouping_for(one: bool) -> Grouping:
    """`one_story` when asked for, else story clustering when it is installed."""
    if one:
        return one_story
    try:
        import parallax.cluster.stories  # noqa: F401
    except ImportError:
        return one_story
    return clustered


def run_ingest(
    db_url: str,
    articles: Iterable[Article],
    *,
    one: bool = False,
    story: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> IngestReport:
    """`parallax ingest`: open (and migrate) the store at `db_url` and ingest the articles."""
    store = Store(db_url)
    try:
        return ingest_articles(
            store, articles, grouping=grouping_for(one), story=story, progress=progress
        )
    finally:
        store.close()

"""The store on real SQLite and real PostgreSQL: migrations, idempotent ingest of real
analysed articles, full-text and filtered story search, actors across stories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conftest import backend_url
from parallax.ingest.sources import read_bytes, read_inputs
from parallax.model import Article
from parallax.store import Store, StoryQuery
from parallax.store.db import migrate
from parallax.store.ingest import ingest_articles
from parallax.store.keys import text_hash
from parallax.store.repo import NewArticle
from parallax.store.schema import Base

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_articles() -> list[Article]:
    found = [a for a in read_inputs(sorted(map(str, EXAMPLES.glob("*.txt"))))]
    assert len(found) == 3 and all(isinstance(a, Article) for a in found)
    return [
        a.model_copy(
            update={
                "published": f"2024-03-{20 + i}",
                "outlet": a.outlet or Path(a.source).stem.replace("-", " ").title(),
            }
        )
        for i, a in enumerate(found)
    ]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, tmp_path_factory):
    """A store holding the three example articles as one story, ingested twice."""
    store = Store(backend_url(request.param, tmp_path_factory.mktemp(request.param)))
    first = ingest_articles(store, example_articles())
    second = ingest_articles(store, example_articles())
    yield store, first, second
    store.close()


def test_migrated_schema_matches_the_models(loaded):
    store, _, _ = loaded

    def ours(obj, name, type_, reflected, compare_to):
        # full-text objects are made by the migration per dialect and are not in the models
        return not (name or "").startswith(("articles_fts", "ix_articles_search", "search"))

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        assert compare_metadata(context, Base.metadata) == []
    migrate(store.engine)  # running it again is a no-op


def test_ingest_stores_each_article_once(loaded):
    store, first, second = loaded
    assert len(first.stored) == 3 and first.duplicates == []
    assert second.stored == [] and len(second.duplicates) == 3
    assert second.stories == first.stories and len(first.stories) == 1
    counts = store.counts()
    assert counts["articles"] == 3 and counts["stories"] == 1
    assert {r["status"] for r in second.records} == {"duplicate"}


def test_same_text_under_another_name_is_a_duplicate(loaded):
    store, first, _ = loaded
    original = example_articles()[0]
    (respaced,) = read_bytes(original.text.replace("\n", "\r\n").encode("utf-8"), "copy.txt")
    report = ingest_articles(store, [respaced])
    assert report.stored == [] and report.duplicates == ["copy.txt"]
    assert store.counts()["articles"] == 3


def test_same_canonical_url_is_a_duplicate(loaded, tmp_path):
    store, _, _ = loaded
    article = example_articles()[1]
    with_url = article.model_copy(
        update={"url": "https://www.example.org/news/fire?utm_source=feed", "text": article.text}
    )
    # the URL is new, the text is stored: stored once, the URL not recorded on a copy
    assert ingest_articles(store, [with_url]).stored == []
    fresh = Article(
        id="updated",
        source="updated.html",
        url="https://example.org/news/harnwick-update",
        text="Harnwick depot fire: the operator said on Friday it would cooperate fully.",
    )
    edited = fresh.model_copy(
        update={
            "source": "updated-again.html",
            "url": "http://example.org/news/harnwick-update/#comments",
            "text": fresh.text + " The minister repeated his claim.",
        }
    )
    report = ingest_articles(store, [fresh, edited])
    assert len(report.stored) == 1 and report.duplicates == ["updated-again.html"]


def test_dossier_is_built_and_indexed(loaded):
    store, first, _ = loaded
    stored = store.get_story(first.stories[0])
    assert stored is not None and stored.dossier is not None
    assert not stored.summary.stale
    assert {a.id for a in stored.dossier.articles} >= set(first.stored)
    assert stored.dossier.claims, "the examples share claims"
    assert store.counts()["attributions"] >= len(stored.dossier.attributions) > 0
    assert stored.summary.first_published == dt.date(2024, 3, 20)


def test_search_by_words_actor_outlet_and_date(loaded):
    store, first, _ = loaded
    story = first.stories[0]
    assert [s.id for s in store.list_stories(StoryQuery(words="sabotage depot"))][:1] == [story]
    assert store.list_stories(StoryQuery(words="sabotage volcano")) == []
    assert store.list_stories(StoryQuery(words='"); DROP TABLE articles; --')) == []
    assert store.counts()["articles"] >= 3
    outlet = store.get_story(story).summary.outlets[0]
    assert story in [s.id for s in store.list_stories(StoryQuery(outlet=outlet.upper()))]
    assert store.list_stories(StoryQuery(outlet="no such outlet")) == []
    speaker = next(a for a in store.get_story(story).dossier.actors if a.type == "person")
    assert story in [s.id for s in store.list_stories(StoryQuery(actor=speaker.name.lower()))]
    inside = StoryQuery(date_from=dt.date(2024, 3, 21), date_to=dt.date(2024, 3, 21))
    after = StoryQuery(date_from=dt.date(2024, 4, 1))
    assert story in [s.id for s in store.list_stories(inside)]
    assert story not in [s.id for s in store.list_stories(after)]


def test_actor_has_their_attributions_across_the_story(loaded):
    store, first, _ = loaded
    dossier = store.get_story(first.stories[0]).dossier
    speaking = {a.speaker for a in dossier.attributions if a.speaker}
    actor = next(a for a in dossier.actors if a.id in speaking)
    (found_id, name, _type), *_ = [f for f in store.find_actors(actor.name) if f[1] == actor.name]
    stored = store.get_actor(found_id)
    expected = [a for a in dossier.attributions if a.speaker == actor.id]
    assert stored.name == name == actor.name
    assert sorted(a.content for a in stored.attributions) == sorted(a.content for a in expected)
    assert all(a.story_id == first.stories[0] for a in stored.attributions)


def test_article_round_trips_with_its_analysis(loaded):
    store, first, _ = loaded
    key = first.stored[0]
    stored = store.get_article(key)
    assert stored.article.id == key
    assert stored.analysis.attributions, "each example quotes someone"
    for attribution in stored.analysis.attributions:
        span = attribution.content
        assert stored.article.text[span.start : span.end] == span.text
    assert store.get_article("no-such-article") is None


def test_a_lost_race_skips_only_the_duplicate(loaded):
    store, first, _ = loaded
    stored = store.get_article(first.stored[0])
    twin = NewArticle(
        stored.analysis.model_copy(
            update={"article": stored.article.model_copy(update={"id": "twin"})}
        ),
        stored.story_id,
        text_hash(stored.article),
        None,
    )
    newcomer_article = Article(id="newcomer", source="newcomer.txt", text="Ferry service resumes.")
    newcomer = NewArticle(
        stored.analysis.model_copy(update={"article": newcomer_article}),
        stored.story_id,
        text_hash(newcomer_article),
        None,
    )
    before = store.counts()["articles"]
    assert store.add_articles([twin, newcomer]) == [False, True]
    assert store.counts()["articles"] == before + 1
    assert store.get_article("twin") is None and store.get_article("newcomer") is not None

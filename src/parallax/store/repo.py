"""Reading and writing the store. Every write is one transaction: an article with its analysis,
or a dossier with the actor and attribution rows derived from it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from parallax.model import AnalyzedArticle, Article, Dossier
from parallax.store.db import open_engine
from parallax.store.keys import actor_key
from parallax.store.schema import ActorRow, ArticleRow, AttributionRow, StoryActorRow, StoryRow

_WORD = re.compile(r"\w+", re.UNICODE)
_LOOKUP_CHUNK = 500


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def published_date(published: str | None) -> dt.date | None:
    """The calendar date of an ISO 8601 `published` value; None when it is not one."""
    if not published or len(published) < 10:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def fts5_query(words: str) -> str | None:
    """User words as an FTS5 query that cannot be a syntax error: each word quoted, all
    required. None when there is no word to search for."""
    tokens = _WORD.findall(words)
    return " ".join(f'"{t}"' for t in tokens) or None


@dataclass(frozen=True)
class NewArticle:
    """An analysed article on its way into the store, with the keys that identify it."""

    analyzed: AnalyzedArticle
    story_id: str
    text_hash: str
    canonical_url: str | None


@dataclass(frozen=True)
class StoryQuery:
    """What the stories page asks for; empty fields do not filter."""

    words: str = ""
    actor: str = ""
    outlet: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class StorySummary:
    id: str
    title: str | None
    article_count: int
    outlets: list[str]
    first_published: dt.date | None
    last_published: dt.date | None
    updated_at: dt.datetime
    stale: bool


@dataclass
class StoredStory:
    summary: StorySummary
    version: int
    dossier: Dossier | None


@dataclass
class StoredArticle:
    article: Article
    analysis: AnalyzedArticle
    story_id: str
    story_title: str | None
    # attribution id -> (actor id, actor name), as the story's dossier resolved the speaker
    actors: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass
class ActorAttribution:
    story_id: str
    story_title: str | None
    article_key: str
    outlet: str | None
    article_title: str | None
    published: str | None
    speaker_text: str | None
    cue: str
    kind: str
    stance: str
    content: str
    span: tuple[int, int]


@dataclass
class StoredActor:
    id: int
    name: str
    type: str
    attributions: list[ActorAttribution]
    descriptors: list[tuple[str, str | None, str]]  # (story id, outlet, phrase)
    stories: list[tuple[str, str | None]]


SUMMARY_COLUMNS = (
    StoryRow.id,
    StoryRow.title,
    StoryRow.article_count,
    StoryRow.first_published,
    StoryRow.last_published,
    StoryRow.updated_at,
    StoryRow.dossier_stale,
)


class Store:
    """A parallax database (SQLite or PostgreSQL), migrated when opened."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine if engine is not None else open_engine(url)
        self.dialect = self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # --- ingest side ------------------------------------------------------------------------

    def find_existing(
        self, hashes: Iterable[str], urls: Iterable[str]
    ) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
        """Articles already stored, by text hash and by canonical URL: value (key, story id)."""
        by_hash: dict[str, tuple[str, str]] = {}
        by_url: dict[str, tuple[str, str]] = {}
        hashes, urls = sorted(set(hashes)), sorted(set(urls))
        cols = (ArticleRow.key, ArticleRow.story_id, ArticleRow.text_hash, ArticleRow.canonical_url)
        with self.engine.connect() as conn:
            for i in range(0, len(hashes), _LOOKUP_CHUNK):
                chunk = hashes[i : i + _LOOKUP_CHUNK]
                for key, story, digest, _ in conn.execute(
                    select(*cols).where(ArticleRow.text_hash.in_(chunk))
                ):
                    by_hash[digest] = (key, story)
            for i in range(0, len(urls), _LOOKUP_CHUNK):
                chunk = urls[i : i + _LOOKUP_CHUNK]
                for key, story, _, url in conn.execute(
                    select(*cols).where(ArticleRow.canonical_url.in_(chunk))
                ):
                    by_url[url] = (key, story)
        return by_hash, by_url

    def taken_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` already used by stored articles."""
        keys = sorted(set(keys))
        taken: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(keys), _LOOKUP_CHUNK):
                chunk = keys[i : i + _LOOKUP_CHUNK]
                taken.update(conn.scalars(select(ArticleRow.key).where(ArticleRow.key.in_(chunk))))
        return taken

    def add_articles(self, items: Sequence[NewArticle]) -> list[bool]:
        """Store analysed articles, each in its story (created when new), and mark those
        stories' dossiers stale: one transaction for all of them, so a crash leaves either all
        or none. When an equal article is stored already (another writer may have won the
        race), the items are written one transaction each instead, and that one is skipped:
        the result says, for each item, whether it was written."""
        if not items:
            return []
        try:
            with self.engine.begin() as conn:
                for item in items:
                    self._insert_article(conn, item)
            return [True] * len(items)
        except IntegrityError:
            pass
        written = []
        for item in items:
            try:
                with self.engine.begin() as conn:
                    self._insert_article(conn, item)
                written.append(True)
            except IntegrityError:
                written.append(False)
        return written

    def add_article(self, analyzed: AnalyzedArticle, **keys) -> bool:
        """One article in its own transaction (see `add_articles`)."""
        return self.add_articles([NewArticle(analyzed, **keys)])[0]

    @staticmethod
    def _insert_article(conn, item: NewArticle) -> None:
        article = item.analyzed.article
        now = utcnow()
        exists = conn.scalar(select(StoryRow.id).where(StoryRow.id == item.story_id))
        if exists is None:
            conn.execute(
                StoryRow.__table__.insert().values(
                    id=item.story_id,
                    title=article.title,
                    created_at=now,
                    updated_at=now,
                    article_count=0,
                    dossier_stale=True,
                    version=0,
                )
            )
        conn.execute(
            ArticleRow.__table__.insert().values(
                key=article.id,
                story_id=item.story_id,
                text_hash=item.text_hash,
                canonical_url=item.canonical_url,
                source=article.source,
                url=article.url,
                outlet=article.outlet,
                title=article.title,
                published=article.published,
                published_on=published_date(article.published),
                language=article.language,
                text=article.text,
                article_json=article.model_dump_json(),
                analysis_json=item.analyzed.model_dump_json(exclude={"article"}),
                ingested_at=now,
            )
        )
        conn.execute(
            update(StoryRow)
            .where(StoryRow.id == item.story_id)
            .values(
                dossier_stale=True,
                updated_at=now,
                article_count=StoryRow.article_count + 1,
            )
        )

    def stale_stories(self) -> list[str]:
        """Stories whose dossier does not yet cover all their articles."""
        with self.engine.connect() as conn:
            return list(
                conn.scalars(
                    select(StoryRow.id)
                    .where(StoryRow.dossier_stale.is_(True))
                    .order_by(StoryRow.id)
                )
            )

    def story_analyses(
        self, story_id: str, known: dict[str, AnalyzedArticle] | None = None
    ) -> list[AnalyzedArticle]:
        """A story's articles with their stored analysis, oldest first; those in `known` (by
        article key, e.g. just analysed) are taken from there instead of being parsed again."""
        known = known or {}
        order = (ArticleRow.published_on.is_(None), ArticleRow.published_on, ArticleRow.id)
        with self.engine.connect() as conn:
            keys = conn.scalars(
                select(ArticleRow.key).where(ArticleRow.story_id == story_id).order_by(*order)
            ).all()
            missing = [k for k in keys if k not in known]
            loaded: dict[str, AnalyzedArticle] = {}
            for i in range(0, len(missing), _LOOKUP_CHUNK):
                chunk = missing[i : i + _LOOKUP_CHUNK]
                for key, article_json, analysis in conn.execute(
                    select(ArticleRow.key, ArticleRow.article_json, ArticleRow.analysis_json).where(
                        ArticleRow.key.in_(chunk)
                    )
                ):
                    loaded[key] = AnalyzedArticle.model_validate(
                        {**json.loads(analysis), "article": json.loads(article_json)}
                    )
        return [known[k] if k in known else loaded[k] for k in keys]

    def save_dossier(self, story_id: str, dossier: Dossier) -> None:
        """Write a story's dossier and the actor / attribution rows derived from it, in one
        transaction. The story stays stale when articles arrived while it was being built."""
        now = utcnow()
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(ArticleRow.id, ArticleRow.key, ArticleRow.published_on, ArticleRow.title)
                .where(ArticleRow.story_id == story_id)
                .order_by(ArticleRow.published_on.is_(None), ArticleRow.published_on, ArticleRow.id)
            ).all()
            article_ids = {key: row_id for row_id, key, _, _ in rows}
            dates = [day for _, _, day, _ in rows if day is not None]
            covered = {a.id for a in dossier.articles}
            title = next((t for _, _, _, t in rows if t), None)
            conn.execute(
                update(StoryRow)
                .where(StoryRow.id == story_id)
                .values(
                    dossier_json=dossier.model_dump_json(by_alias=True),
                    dossier_stale=not set(article_ids) <= covered,
                    version=StoryRow.version + 1,
                    article_count=len(rows),
                    title=title,
                    first_published=min(dates) if dates else None,
                    last_published=max(dates) if dates else None,
                    updated_at=now,
                )
            )
            conn.execute(delete(AttributionRow).where(AttributionRow.story_id == story_id))
            conn.execute(delete(StoryActorRow).where(StoryActorRow.story_id == story_id))
            global_ids = self._upsert_actors(conn, dossier)
            if dossier.actors:
                conn.execute(
                    StoryActorRow.__table__.insert(),
                    [
                        {
                            "story_id": story_id,
                            "local_id": actor.id,
                            "actor_id": global_ids[actor.id],
                            "descriptors_json": json.dumps(actor.descriptors, ensure_ascii=False),
                        }
                        for actor in dossier.actors
                    ],
                )
            attribution_rows = [
                {
                    "story_id": story_id,
                    "article_id": article_ids[a.article],
                    "actor_id": global_ids.get(a.speaker) if a.speaker else None,
                    "local_id": a.id,
                    "speaker_text": a.speaker_text,
                    "cue": a.cue,
                    "kind": a.kind,
                    "stance": a.stance,
                    "content": a.content,
                    "span_start": a.span[0],
                    "span_end": a.span[1],
                }
                for a in dossier.attributions
                if a.article in article_ids
            ]
            if attribution_rows:
                conn.execute(AttributionRow.__table__.insert(), attribution_rows)

    def _upsert_actors(self, conn, dossier: Dossier) -> dict[str, int]:
        """Global actor ids for the dossier's actors, inserting the new ones (concurrent
        writers may insert the same actor: ON CONFLICT DO NOTHING, then read back)."""
        keys = {actor.id: actor_key(actor.name) or actor.name for actor in dossier.actors}
        if not keys:
            return {}
        values = [
            {"key": keys[actor.id], "name": actor.name, "type": actor.type}
            for actor in dossier.actors
        ]
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        unique = {v["key"]: v for v in values}
        conn.execute(
            dialect_insert(ActorRow).on_conflict_do_nothing(index_elements=["key"]),
            list(unique.values()),
        )
        found = dict(
            conn.execute(select(ActorRow.key, ActorRow.id).where(ActorRow.key.in_(unique))).all()
        )
        return {local: found[key] for local, key in keys.items()}

    # --- read side --------------------------------------------------------------------------

    def _word_scores(self, conn, words: str) -> dict[str, float]:
        """Stories with an article matching all the words, with a score (higher is better)."""
        if self.dialect == "sqlite":
            query = fts5_query(words)
            if query is None:
                return {}
            hits = conn.execute(
                text(
                    "SELECT a.story_id, -bm25(articles_fts, 4.0, 1.0) "
                    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
                    "WHERE articles_fts MATCH :q"
                ),
                {"q": query},
            )
        else:
            if not _WORD.search(words):
                return {}
            hits = conn.execute(
                text(
                    "SELECT a.story_id, ts_rank(a.search, q) "
                    "FROM articles a, websearch_to_tsquery('english', :q) q WHERE a.search @@ q"
                ),
                {"q": words},
            )
        scores: dict[str, float] = {}
        for story_id, score in hits:
            scores[story_id] = max(scores.get(story_id, float("-inf")), float(score))
        return scores

    def list_stories(
        self, query: StoryQuery = StoryQuery(), *, limit: int = 50, offset: int = 0
    ) -> list[StorySummary]:
        """Stories matching every filter in `query`: best word match first, else newest."""
        stmt = select(*SUMMARY_COLUMNS)
        conditions = []
        if query.actor.strip():
            pattern = f"%{actor_key(query.actor)}%"
            conditions.append(
                StoryRow.id.in_(
                    select(StoryActorRow.story_id)
                    .join(ActorRow, ActorRow.id == StoryActorRow.actor_id)
                    .where(ActorRow.key.like(pattern))
                )
            )
        if query.outlet.strip():
            conditions.append(
                StoryRow.id.in_(
                    select(ArticleRow.story_id).where(
                        func.lower(ArticleRow.outlet).like(f"%{query.outlet.strip().lower()}%")
                    )
                )
            )
        if query.date_from is not None:
            conditions.append(StoryRow.last_published >= query.date_from)
        if query.date_to is not None:
            conditions.append(StoryRow.first_published <= query.date_to)
        with self.engine.connect() as conn:
            scores: dict[str, float] | None = None
            if query.words.strip():
                scores = self._word_scores(conn, query.words)
                if not scores:
                    return []
                conditions.append(StoryRow.id.in_(sorted(scores)))
            if conditions:
                stmt = stmt.where(and_(*conditions))
            stmt = stmt.order_by(StoryRow.updated_at.desc(), StoryRow.id)
            if scores is None:
                rows = conn.execute(stmt.limit(limit).offset(offset)).all()
            else:
                rows = sorted(conn.execute(stmt).all(), key=lambda r: -scores[r.id])
                rows = rows[offset : offset + limit]
            outlets = self._outlets_of(conn, [r.id for r in rows])
        return [self._summary(row, outlets.get(row.id, [])) for row in rows]

    @staticmethod
    def _summary(row, outlets: list[str]) -> StorySummary:
        return StorySummary(
            id=row.id,
            title=row.title,
            article_count=row.article_count,
            outlets=outlets,
            first_published=row.first_published,
            last_published=row.last_published,
            updated_at=row.updated_at,
            stale=bool(row.dossier_stale),
        )

    @staticmethod
    def _outlets_of(conn, story_ids: list[str]) -> dict[str, list[str]]:
        if not story_ids:
            return {}
        found: dict[str, Counter] = {}
        for story, outlet in conn.execute(
            select(ArticleRow.story_id, ArticleRow.outlet).where(
                ArticleRow.story_id.in_(story_ids), ArticleRow.outlet.is_not(None)
            )
        ):
            found.setdefault(story, Counter())[outlet] += 1
        return {story: [o for o, _ in counts.most_common()] for story, counts in found.items()}

    def story_version(self, story_id: str) -> int | None:
        """The dossier version of a story (changes whenever its dossier is rewritten)."""
        with self.engine.connect() as conn:
            return conn.scalar(select(StoryRow.version).where(StoryRow.id == story_id))

    def get_story(self, story_id: str) -> StoredStory | None:
        """A story with its dossier (None when no dossier was built yet)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(*SUMMARY_COLUMNS, StoryRow.version, StoryRow.dossier_json).where(
                    StoryRow.id == story_id
                )
            ).first()
            if row is None:
                return None
            outlets = self._outlets_of(conn, [story_id])
        dossier = Dossier.model_validate_json(row.dossier_json) if row.dossier_json else None
        return StoredStory(
            summary=self._summary(row, outlets.get(story_id, [])),
            version=row.version,
            dossier=dossier,
        )

    def get_article(self, key: str) -> StoredArticle | None:
        """One article with its analysis, its story, and the actors its speakers resolve to."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    ArticleRow.id,
                    ArticleRow.article_json,
                    ArticleRow.analysis_json,
                    ArticleRow.story_id,
                    StoryRow.title,
                )
                .join(StoryRow, StoryRow.id == ArticleRow.story_id)
                .where(ArticleRow.key == key)
            ).first()
            if row is None:
                return None
            row_id, article_json, analysis_json, story_id, story_title = row
            actors = {
                local_id: (actor_id, name)
                for local_id, actor_id, name in conn.execute(
                    select(AttributionRow.local_id, ActorRow.id, ActorRow.name)
                    .join(ActorRow, ActorRow.id == AttributionRow.actor_id)
                    .where(AttributionRow.article_id == row_id)
                )
            }
        article = Article.model_validate_json(article_json)
        analysis = AnalyzedArticle.model_validate({**json.loads(analysis_json), "article": article})
        return StoredArticle(
            article=article,
            analysis=analysis,
            story_id=story_id,
            story_title=story_title,
            actors=actors,
        )

    def get_actor(self, actor_id: int) -> StoredActor | None:
        """An actor with everything attributed to them, across all stories."""
        with self.engine.connect() as conn:
            actor = conn.execute(
                select(ActorRow.id, ActorRow.name, ActorRow.type).where(ActorRow.id == actor_id)
            ).first()
            if actor is None:
                return None
            said = conn.execute(
                select(
                    AttributionRow.story_id,
                    StoryRow.title,
                    ArticleRow.key,
                    ArticleRow.outlet,
                    ArticleRow.title,
                    ArticleRow.published,
                    AttributionRow.speaker_text,
                    AttributionRow.cue,
                    AttributionRow.kind,
                    AttributionRow.stance,
                    AttributionRow.content,
                    AttributionRow.span_start,
                    AttributionRow.span_end,
                )
                .join(ArticleRow, ArticleRow.id == AttributionRow.article_id)
                .join(StoryRow, StoryRow.id == AttributionRow.story_id)
                .where(AttributionRow.actor_id == actor_id)
                .order_by(
                    StoryRow.updated_at.desc(),
                    ArticleRow.published_on,
                    ArticleRow.id,
                    AttributionRow.span_start,
                )
            ).all()
            local = conn.execute(
                select(StoryActorRow.story_id, StoryRow.title, StoryActorRow.descriptors_json)
                .join(StoryRow, StoryRow.id == StoryActorRow.story_id)
                .where(StoryActorRow.actor_id == actor_id)
                .order_by(StoryRow.updated_at.desc())
            ).all()
            outlet_of = dict(
                conn.execute(
                    select(ArticleRow.key, ArticleRow.outlet).where(
                        ArticleRow.story_id.in_([s for s, _, _ in local])
                    )
                ).all()
            )
        attributions = [
            ActorAttribution(*r[:11], span=(r[11], r[12]))  # type: ignore[call-arg]
            for r in said
        ]
        descriptors = []
        for story_id, _, descriptors_json in local:
            for article_key, phrases in json.loads(descriptors_json).items():
                descriptors.extend((story_id, outlet_of.get(article_key), p) for p in phrases)
        return StoredActor(
            id=actor.id,
            name=actor.name,
            type=actor.type,
            attributions=attributions,
            descriptors=descriptors,
            stories=[(s, t) for s, t, _ in local],
        )

    def find_actors(self, name: str, limit: int = 20) -> list[tuple[int, str, str]]:
        """Actors whose name contains `name` (normalised): (id, name, type)."""
        pattern = f"%{actor_key(name)}%"
        with self.engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    select(ActorRow.id, ActorRow.name, ActorRow.type)
                    .where(ActorRow.key.like(pattern))
                    .order_by(ActorRow.name)
                    .limit(limit)
                )
            ]

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet in the store with its number of articles, most first."""
        with self.engine.connect() as conn:
            return [
                (o, n)
                for o, n in conn.execute(
                    select(ArticleRow.outlet, func.count())
                    .where(ArticleRow.outlet.is_not(None))
                    .group_by(ArticleRow.outlet)
                    .order_by(func.count().desc(), ArticleRow.outlet)
                )
            ]

    def counts(self) -> dict[str, int]:
        """How many stories, articles, actors and attributions the store holds."""
        with self.engine.connect() as conn:
            return {
                name: conn.scalar(select(func.count()).select_from(table)) or 0
                for name, table in (
                    ("stories", StoryRow),
                    ("articles", ArticleRow),
                    ("actors", ActorRow),
                    ("attributions", AttributionRow),
                )
            }

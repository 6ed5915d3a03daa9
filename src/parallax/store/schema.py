"""The store's tables (SQLAlchemy 2). The migrations in `migrations/versions` create exactly
these; a test compares the two. Full-text search objects (SQLite FTS5 table and triggers,
PostgreSQL tsvector column) live only in the migrations, because they differ by dialect."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class StoryRow(Base):
    """One story: its articles point here; the dossier is kept as JSON (parallax.dossier/1)."""

    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    first_published: Mapped[dt.date | None] = mapped_column(Date)
    last_published: Mapped[dt.date | None] = mapped_column(Date)
    # True from the moment an article joins until the dossier is rebuilt: a crash in between
    # leaves it True, and the next ingest rebuilds it.
    dossier_stale: Mapped[bool] = mapped_column(Boolean, default=True)
    dossier_json: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=0)


class ArticleRow(Base):
    """One article, stored once: unique by text hash and (when it has one) canonical URL."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id"), index=True)
    text_hash: Mapped[str] = mapped_column(String(64), unique=True)
    canonical_url: Mapped[str | None] = mapped_column(Text, unique=True)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(64))
    published_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    article_json: Mapped[str] = mapped_column(Text)
    analysis_json: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ActorRow(Base):
    """An actor across stories, matched by normalised name (`keys.actor_key`)."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(32))


class StoryActorRow(Base):
    """An actor as one story's dossier names it, with the outlets' descriptors."""

    __tablename__ = "story_actors"

    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id"), primary_key=True)
    local_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    descriptors_json: Mapped[str] = mapped_column(Text, default="{}")


class AttributionRow(Base):
    """Who said what, as the story's dossier resolved it; rebuilt with the dossier."""

    __tablename__ = "attributions"
    __table_args__ = (UniqueConstraint("story_id", "local_id", name="uq_attributions_local"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)
    local_id: Mapped[str] = mapped_column(String(64))
    speaker_text: Mapped[str | None] = mapped_column(Text)
    cue: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    stance: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


Index("ix_stories_updated_at", StoryRow.updated_at)

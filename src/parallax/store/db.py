"""Opening a store: database URL to a migrated SQLAlchemy engine (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from parallax.errors import ParallaxError, StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
DEFAULT_URL = "sqlite:///parallax.db"


def normalize_url(url: str) -> str:
    """A database URL SQLAlchemy can open: `postgresql://` and `postgres://` use psycopg 3, and
    a bare path means a SQLite file. Anything else is refused rather than guessed."""
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" not in url:
        return f"sqlite:///{url}"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(url=url, reason="not a database URL") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(url=url, reason="only sqlite:/// and postgresql:// are supported")
    return url


def redact(url: str) -> str:
    """The URL with its password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while an ingest writes; NORMAL keeps commits durable enough
    # (a crash loses at most the last commits, never consistency) and fast.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for the URL (not yet migrated)."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            parent = Path(database).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(url=url, reason=f"folder {parent} does not exist")
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=8)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (a no-op when it is there already)."""
    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_engine(url: str) -> Engine:
    """A migrated engine for the URL; a database that cannot be reached is one clear error."""
    engine = make_engine(url)
    try:
        migrate(engine)
    except ParallaxError:
        raise
    except Exception as exc:  # the driver's errors name the cause; keep its first line
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(url=redact(normalize_url(url)), reason=reason) from exc
    return engine

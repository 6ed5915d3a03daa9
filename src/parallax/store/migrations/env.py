"""Alembic environment for the parallax store; `parallax.store.db.migrate` drives it with an
open connection, and `alembic -x url=...` works too for maintainers."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from parallax.store.schema import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection) -> None:
    # batch mode lets later migrations ALTER tables on SQLite (it rebuilds them).
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_engine(url)
    with engine.connect() as connection:
        run_with(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("parallax migrations run online only (they differ by dialect)")
run_online()

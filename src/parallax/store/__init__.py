"""The parallax store: articles, their analyses and story dossiers in SQLite or PostgreSQL."""

from parallax.store.db import DEFAULT_URL, StoreError
from parallax.store.repo import Store, StoryQuery

__all__ = ["DEFAULT_URL", "Store", "StoreError", "StoryQuery"]

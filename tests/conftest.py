"""Shared fixtures: the real models, loaded once per test session, and paths to shared data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parallax.store.pgtemp import PostgresUnavailable, scratch_database_url

os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
SEEDS = SHARED / "seeds"
EXAMPLES = REPO / "examples"
CHROMIUM = Path("/usr/bin/chromium")
# Debian's chromium as root in a sandbox with no network beyond the registries.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def nlp():
    from parallax.nlp.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def bare_nlp():
    from parallax.nlp.pipeline import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def embedder():
    from parallax.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not (SEEDS / "EXPECTED.md").exists():
        pytest.skip(f"seed articles not found at {SEEDS} (../shared/seeds beside the repository)")
    return SEEDS


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.exists():
        pytest.skip(f"evaluation data not found at {DATA} (../shared/data beside the repository)")
    return DATA


def backend_url(kind: str, folder: Path) -> str:
    """A fresh database of the given kind; PostgreSQL skips outside CI when unavailable."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'parallax.db'}"
    try:
        return scratch_database_url()
    except PostgresUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright, one instance per test session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()

"""Framing on the two seed articles, against ../shared/seeds/EXPECTED.md (skipped if absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.ingest.sources import article_from_text
from parallax.nlp.framing import find_cited_sources, find_descriptors, find_hedges, hedge_scope
from parallax.nlp.pipeline import load_spacy

SEEDS = Path(__file__).parents[1] / ".." / "shared" / "seeds"
WIRE = SEEDS / "000_61cd9b8843aca438.txt"
TELEGRAPH = SEEDS / "004_ddfa15935aa6d5c5.txt"

pytestmark = [
    pytest.mark.data,
    pytest.mark.slow,
    pytest.mark.skipif(
        not WIRE.exists() or not TELEGRAPH.exists(), reason="../shared/seeds absent"
    ),
]


def _analyse(path: Path):
    article = article_from_text(path.read_text(encoding="utf-8"), str(path))
    doc = load_spacy()(article.masked_text())
    return article, doc


def test_wire_article_framing() -> None:
    article, doc = _analyse(WIRE)
    descriptors = {d.text: d.actor for d in find_descriptors(doc)}
    for text in ("Putin Ally", "Belarus President", "a close ally of Putin"):
        assert descriptors[text] == "Alexander Lukashenko"
    assert descriptors["Russian president"] == "Vladimir Putin"
    assert descriptors["head of the Federal Security Service"] == "Alexander Bortnikov"

    hedges = {h.text: h for h in find_hedges(doc)}
    assert hedges["Without offering any evidence"].kind == "no_evidence"
    assert hedges["without giving details"].kind == "no_evidence"
    start, end = hedge_scope(doc, hedges["without giving details"])
    assert "Western special services have assisted it" in article.text[start:end]

    names = {s.name for s in find_cited_sources(doc, article.credits, article.outlet)}
    assert names == {"BelTA", "AP"}


def test_telegraph_article_framing() -> None:
    article, doc = _analyse(TELEGRAPH)
    descriptors = {d.text: d.actor for d in find_descriptors(doc)}
    assert descriptors["The Belarusian dictator"] == "Alexander Lukashenko"
    assert descriptors["the head of the FSB"] == "Alexander Bortnikov"
    assert descriptors["the secretary of Russia’s security council"] == "Nikolai Patrushev"

    hedges = {h.text: h for h in find_hedges(doc)}
    assert hedges["unproven claim"].kind == "no_evidence"
    assert hedges["rejected allegations"].kind == "rejected"
    start, end = hedge_scope(doc, hedges["rejected allegations"])
    assert article.text[start:end] == "allegations that it was involved"
    start, end = hedge_scope(doc, hedges["could not immediately confirm"])
    assert article.text[start:end].startswith("The Bloomberg News agency reported")

    sources = find_cited_sources(doc, article.credits, article.outlet)
    names = {s.name for s in sources}
    assert {
        "Bloomberg News",
        "Meduza",
        "Novaya Gazeta Europe",
        "AFP",
        "Belarus media",
        "BelTA",
    } <= names
    assert "The Telegraph" not in names
    assert names <= {
        "Bloomberg News",
        "Meduza",
        "Novaya Gazeta Europe",
        "AFP",
        "Belarus media",
        "BelTA",
        "Russian media",
    }

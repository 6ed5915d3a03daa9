"""The comparison embeds only the claim units it reads; the dossier must not change for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.analyze import analyze_articles
from parallax.compare import dossier as dossier_module
from parallax.compare.dossier import build_dossier, units_needing_vectors
from parallax.ingest.sources import read_inputs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def analyzed(nlp):
    articles = list(read_inputs(sorted(map(str, EXAMPLES.glob("*.txt")))))
    return analyze_articles(articles, nlp=nlp)


def test_several_articles_need_every_unit(analyzed):
    units = [u for a in analyzed for u in a.claims]
    assert units_needing_vectors(units) == list(range(len(units)))


@pytest.mark.parametrize("index", [0, 1, 2])
def test_one_article_dossier_is_the_same_with_every_unit_embedded(analyzed, index, monkeypatch):
    item = analyzed[index]
    assert len(units_needing_vectors(item.claims)) < len(item.claims)
    lean = build_dossier([item]).model_dump()
    monkeypatch.setattr(
        dossier_module, "units_needing_vectors", lambda units: list(range(len(units)))
    )
    full = build_dossier([item]).model_dump()
    assert lean == full
    assert lean["claims"], "the example articles have claims"


def test_one_seed_article_keeps_its_conflicts_and_is_unchanged(nlp, seeds_dir, monkeypatch):
    """The seed 000 alone holds a destination conflict (vectors needed) and a stance one."""
    seed = analyze_articles(list(read_inputs([str(seeds_dir / "000_61cd9b8843aca438.txt")])), nlp)
    lean = build_dossier(seed)
    assert {c.kind for c in lean.conflicts} == {"factual", "stance"}
    monkeypatch.setattr(
        dossier_module, "units_needing_vectors", lambda units: list(range(len(units)))
    )
    assert build_dossier(seed).model_dump() == lean.model_dump()

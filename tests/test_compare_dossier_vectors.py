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


def _skipped_and_same(analyzed, monkeypatch) -> int:
    """Units the default pre-filter leaves unembedded; asserts the dossier is unchanged."""
    from parallax.compare.align import embedding_text
    from parallax.compare.dossier import build_actors, units_reading_alike
    from parallax.embed import load_static_embedder
    from parallax.settings import get_settings

    _, _, canonical = build_actors(analyzed)
    units = [u for a in analyzed for u in a.claims if not dossier_module._is_headline(u, a)]
    texts = [embedding_text(u, canonical) for u in units]
    kept = units_reading_alike(
        units,
        texts,
        units_needing_vectors(units),
        load_static_embedder().embed,
        get_settings().prefilter_cosine,
    )
    lean = build_dossier(analyzed).model_dump()
    monkeypatch.setenv("PARALLAX_PREFILTER_COSINE", "off")
    full = build_dossier(analyzed).model_dump()
    assert lean == full
    return len(units) - len(kept)


def test_prefilter_leaves_the_examples_dossier_unchanged(analyzed, monkeypatch):
    assert _skipped_and_same(analyzed, monkeypatch) >= 5


def test_prefilter_leaves_the_seeds_dossier_unchanged(nlp, seeds_dir, monkeypatch):
    seeds = analyze_articles(list(read_inputs(sorted(map(str, seeds_dir.glob("*.txt"))))), nlp)
    assert _skipped_and_same(seeds, monkeypatch) >= 10


def test_stance_positions_embedded_are_fewer_and_change_nothing(nlp, seeds_dir, monkeypatch):
    """Positions no stance rule can link get no vector; the seeds keep their stance conflict."""
    from parallax.compare.conflicts import find_positions, positions_needing_vectors

    seeds = analyze_articles(list(read_inputs(sorted(map(str, seeds_dir.glob("*.txt"))))), nlp)
    _, _, canonical = dossier_module.build_actors(seeds)
    positions = find_positions([a for item in seeds for a in item.attributions], canonical)
    needed = positions_needing_vectors(positions)
    assert 0 < len(needed) < len(positions)
    lean = build_dossier(seeds).model_dump()
    assert any(c["kind"] == "stance" for c in lean["conflicts"])
    monkeypatch.setattr(
        dossier_module, "positions_needing_vectors", lambda found: list(range(len(found)))
    )
    assert build_dossier(seeds).model_dump() == lean

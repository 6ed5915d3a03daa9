"""The units of batch work: one bad article in a chunk costs only itself."""

from __future__ import annotations

import pytest

from parallax.batch import stages
from parallax.ingest.sources import article_from_text
from parallax.model import BoilerplateLine

pytestmark = pytest.mark.slow


def test_an_article_that_breaks_the_analysis_fails_alone(nlp, bare_nlp, embedder):
    good = article_from_text(
        "Bridge reopens\n\nThe Velden bridge reopened on Friday, the council said.\n", "good.txt"
    )
    # Boilerplate past the end of the text: masking it fails inside the analysis stage.
    bad = article_from_text("A short text about nothing.\n", "bad.txt").model_copy(
        update={"boilerplate": [BoilerplateLine(start=0, end=400, text="x", reason="test")]}
    )
    staged = [
        stages.StagedArticle(0, stages.article_digest(good), good),
        stages.StagedArticle(1, stages.article_digest(bad), bad),
    ]
    result = stages.analyze_chunk(7, staged)
    assert result.chunk == 7
    ok, failed = result.analysed
    assert ok.error is None and ok.analysis and ok.features
    assert failed.analysis is None and failed.error.startswith("analysis failed (IndexError")
    assert [row["id"] for row in result.articles] == ["good"]
    features = stages.load_features(ok.features)
    assert features.id == "good" and features.vector.shape == (384,)

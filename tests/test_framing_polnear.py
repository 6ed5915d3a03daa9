"""Framing rules on real news they were not written for (PolNeAR dev texts): they must stay
quiet where nothing is there and keep every span inside the text. Skipped without
../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.nlp.framing import find_cited_sources, find_descriptors, find_hedges, hedge_scope
from parallax.nlp.pipeline import load_spacy

DATA = Path(__file__).parents[1] / ".." / "shared" / "data"
TEXTS = DATA / "polnear" / "dev" / "text"

pytestmark = [
    pytest.mark.data,
    pytest.mark.slow,
    pytest.mark.skipif(not TEXTS.is_dir(), reason="../shared/data/polnear absent"),
]


def _subset() -> list[Path]:
    # Every eighth file: a spread of outlets, small enough to keep the suite fast.
    return sorted(TEXTS.glob("*.txt"))[2::8][:10]


def test_framing_stays_sparse_and_grounded_on_polnear() -> None:
    nlp = load_spacy()
    words = hedges = descriptors = sources = 0
    for path in _subset():
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        words += sum(1 for t in doc if not t.is_punct and not t.is_space)
        for d in find_descriptors(doc):
            descriptors += 1
            assert text[d.start : d.end] == d.text
            # The actor's surname is written somewhere in the article.
            assert d.actor.split()[-1] in text
            assert len(d.text.split()) <= 25
        for h in find_hedges(doc):
            hedges += 1
            start, end = hedge_scope(doc, h)
            assert text[h.start : h.end] == h.text and 0 <= start < end <= len(text)
        for s in find_cited_sources(doc):
            sources += 1
            assert text[s.start : s.end] == s.text and s.name
    assert words > 5000
    # Measured on this subset (10,586 words): 0.57 hedges, 5.8 descriptors, 0.57 sources per
    # 1000 words.
    assert hedges / words < 0.003
    assert descriptors / words < 0.015
    assert sources / words < 0.005
    assert descriptors > 20

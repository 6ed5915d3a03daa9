"""The array attribute ruler and lemmatizer of `load_nlp` give exactly the stock components' output."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.pipeline import AttributeRuler

from conftest import EXAMPLES
from parallax.nlp.fastattrs import ArrayAttributeRuler, ArrayLemmatizer, Unsupported

# Texts that reach the ruler's two-token, regex, flag and dependency rules.
TRICKY = [
    "Y'all gon na see it. I ain't done, he said. Let's go, c'mon on.",
    "There is a cat.  There were two.\n\n  It's what 'em folks doin' got ta do.",
    "I'd have had it; you'd do it. She wo n't, they ca n't. Nothin' was said 'bout it.",
    "Did he? He did have it. Being been there, it gets what it got.",
    "That is that, and those are these: anyone, nobody, something. Here and there, then once.",
    "",
    "\n",
    "Word",
]

COLUMNS = [POS, TAG, DEP, MORPH, LEMMA, HEAD, SENT_START]


def _parsed(bare_nlp, texts):
    """Docs parsed up to the parser (ruler, lemmatizer and NER left out)."""
    with bare_nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        return list(bare_nlp.pipe(texts))


def _annotations(doc):
    return doc.to_array(COLUMNS), [(t.pos_, t.tag_, t.dep_, str(t.morph), t.lemma_) for t in doc]


def test_array_components_equal_stock(bare_nlp):
    texts = TRICKY + [path.read_text("utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    ruler = bare_nlp.get_pipe("attribute_ruler")
    lemmatizer = bare_nlp.get_pipe("lemmatizer")
    array_ruler, array_lemmatizer = ArrayAttributeRuler(ruler), ArrayLemmatizer(lemmatizer)
    for _ in range(2):  # the second round runs on warm caches
        for doc in _parsed(bare_nlp, texts):
            stock, array = doc.copy(), doc.copy()
            lemmatizer(ruler(stock))
            array_lemmatizer(array_ruler(array))
            (stock_array, stock_strings), (new_array, new_strings) = map(
                _annotations, (stock, array)
            )
            assert np.array_equal(stock_array, new_array)
            assert stock_strings == new_strings


def test_full_caches_start_again_with_the_same_output(bare_nlp, monkeypatch):
    monkeypatch.setattr("parallax.nlp.fastattrs.CACHE_LIMIT", 5)
    ruler = bare_nlp.get_pipe("attribute_ruler")
    lemmatizer = bare_nlp.get_pipe("lemmatizer")
    array_ruler, array_lemmatizer = ArrayAttributeRuler(ruler), ArrayLemmatizer(lemmatizer)
    for doc in _parsed(bare_nlp, TRICKY[:5]):
        stock, array = doc.copy(), doc.copy()
        lemmatizer(ruler(stock))
        array_lemmatizer(array_ruler(array))
        assert _annotations(stock)[1] == _annotations(array)[1]
    # Each cache was cleared before it took a doc's entries, so none keeps many more.
    assert len(array_lemmatizer._cache) < 25
    assert all(len(cache) < 25 for cache in array_ruler._masks)


def test_load_nlp_uses_array_components_and_load_spacy_stays_stock(nlp, bare_nlp):
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "ArrayAttributeRuler"
    assert type(nlp.get_pipe("lemmatizer")).__name__ == "ArrayLemmatizer"
    assert isinstance(bare_nlp.get_pipe("attribute_ruler"), AttributeRuler)
    assert nlp.pipe_names.index("attribute_ruler") == nlp.pipe_names.index("parser") + 1


def test_unsupported_rules_are_refused(bare_nlp):
    ruler = AttributeRuler(bare_nlp.vocab)
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})
    with pytest.raises(Unsupported):
        ArrayAttributeRuler(ruler)
    ruler = AttributeRuler(bare_nlp.vocab)
    ruler.add([[{"LENGTH": 3}]], {"POS": "DET"})
    with pytest.raises(Unsupported):
        ArrayAttributeRuler(ruler)


def test_swap_in_keeps_a_stock_ruler_it_cannot_reproduce():
    import spacy

    from parallax.nlp.fastattrs import swap_in

    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "?"}, {"LOWER": "b"}]], {"POS": "DET"})
    assert swap_in(blank) == []
    assert isinstance(blank.get_pipe("attribute_ruler"), AttributeRuler)

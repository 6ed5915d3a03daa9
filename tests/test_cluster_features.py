"""Per-article clustering features: entities, numbers, dates, datelines, near-copy bands."""

from __future__ import annotations

import pytest

from parallax.cluster.features import (
    article_features,
    dateline,
    dates_in,
    minhash_bands,
    normalise_entity,
    numbers_in,
)
from parallax.ingest.sources import article_from_text


def test_people_are_keyed_by_surname_and_places_by_words():
    assert normalise_entity("PERSON", "Lindsay Lohan") == "person:lohan"
    assert normalise_entity("PERSON", "Lohan's") == "person:lohan"
    assert normalise_entity("PERSON", "Mr Lukashenko") == "person:lukashenko"
    assert normalise_entity("GPE", "the United States") == "place:united states"
    assert normalise_entity("ORG", "—") is None


def test_amounts_are_normalised_and_years_left_out():
    found = numbers_in("an eight-year, $200 million offer; 139 killed in 2024; 3 held")
    assert "num:2e+08" in found and "num:139" in found
    assert not any(n in found for n in ("num:2024", "num:3"))


def test_dateline_is_taken_only_from_a_short_line_near_the_top():
    text = "Lohan Leaves Betty Ford\n\nFirst Published: June 13, 2013 4: 59 PM EDT\n\nBody."
    assert dateline(text).date().isoformat() == "2013-06-13"
    sentence = "On June 13, 2013 the actress, who had been in rehab for weeks, left the centre."
    assert dateline(sentence) is None
    assert [d.year for d in dates_in("27 NOVEMBER, 2005 and 2013-05-02")] == [2005, 2013]


def test_near_copies_share_bands_and_other_texts_do_not():
    text = (
        "Belarus President Alexander Lukashenko said that the gunmen who carried out the "
        "terror attack initially tried to flee to Belarus, not Ukraine as claimed by Russian "
        "president Vladimir Putin, who had accused Ukraine of preparing a window."
    )
    copy = text.replace("initially", "first")
    other = "The Angels made an eight-year offer to free agent first baseman Mark Teixeira."
    shared = set(minhash_bands(text)) & set(minhash_bands(copy))
    assert len(shared) >= 2
    assert not set(minhash_bands(text)) & set(minhash_bands(other))
    assert minhash_bands("too short") == ()


@pytest.mark.slow
def test_features_of_a_real_article(embedder, bare_nlp):
    text = (
        "Lindsay Lohan checks into Betty Ford Center\n\nFirst Published: May 3, 2013\n\n"
        "Lindsay Lohan has checked into the Betty Ford Center in Rancho Mirage, California, "
        "her lawyer Shawn Holley said on May 2, 2013, to begin a 90-day stay ordered by a judge."
    )
    (features,) = article_features([article_from_text(text, "lohan.txt")], embedder, bare_nlp)
    assert features.id == "lohan"
    assert features.vector.shape == (384,)
    assert abs(float(features.vector @ features.vector) - 1.0) < 1e-4
    assert features.entities.get("person:lohan", 0) >= 3.0  # in the title: weighted up
    assert "num:90" in features.numbers
    assert features.published.date().isoformat() == "2013-05-03"
    assert "date:2013-05-02" in features.dates

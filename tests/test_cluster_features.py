"""Per-article clustering features: entities, numbers, dates, datelines, near-copy bands."""

from __future__ import annotations

import pytest

from batch_corpus import EXAMPLES, FLOOD
from parallax.cluster.features import (
    NER_CHARS,
    _kept_offsets,
    article_features,
    clustering_entities,
    dateline,
    dates_in,
    minhash_bands,
    ner_entities,
    normalise_entity,
    numbers_in,
)
from parallax.ingest.sources import article_from_text
from parallax.model import Article, BoilerplateLine


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


def _with_boilerplate(text: str, lines: list[str]) -> Article:
    """An Article whose given lines are marked as boilerplate."""
    marked = []
    for line in lines:
        start = text.index(line)
        marked.append(BoilerplateLine(start=start, end=start + len(line), text=line, reason="test"))
    return Article(id="a", source="a.txt", text=text, boilerplate=marked)


def test_offsets_in_the_text_map_to_the_same_characters_of_the_kept_text():
    text = (
        "Share this page\n\nHarnwick depot fire\n\nAdvertisement\n\n\n"
        "Twelve people died in Harnwick.\nFollow us\nThe health office said so.\n\nFollow us"
    )
    article = _with_boilerplate(text, ["Share this page", "Advertisement", "Follow us"])
    article.boilerplate.append(
        BoilerplateLine(start=len(text) - 9, end=len(text), text="Follow us", reason="test")
    )
    kept = article.kept_text()
    assert kept.startswith("Harnwick depot fire") and "Follow us" not in kept
    to_kept = _kept_offsets(article)
    for word in ("Harnwick depot", "Twelve", "Harnwick.", "The health", "said so."):
        at = text.index(word, 16)
        assert kept[to_kept(at) : to_kept(at) + len(word)] == word
    plain = Article(id="b", source="b.txt", text="No boilerplate here.")
    assert _kept_offsets(plain)(5) == 5


def _long_texts() -> list[str]:
    """Texts longer than NER_CHARS with names all along (the examples and the flood reports
    told one after another), each shifted so that the cut falls somewhere else."""
    parts = [path.read_text("utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    parts += list(FLOOD.values())
    body = "\n\n".join(parts * 2)
    shifts = [
        "",
        "Reporting by Lena Marsh in Harnwick. ",
        "Updated on Wednesday. ",
        "From our correspondent in the Orrin valley, where President Dana Orlov spoke. ",
    ]
    return [shift + body for shift in shifts] + [body[: NER_CHARS + 40], body[:NER_CHARS]]


@pytest.mark.slow
def test_batch_and_cluster_passes_find_the_same_clustering_entities(nlp):
    """The analysis parse (whole masked text, every component) and the cut pass of
    `parallax cluster` (first NER_CHARS characters, NER with the parser) give the same
    mentions, also with boilerplate blanked inside the text, and on a text of exactly
    NER_CHARS characters, where a pass without the parser's sentence starts differs."""
    texts = _long_texts()
    assert sum(len(t) > NER_CHARS for t in texts) >= 5
    articles = [Article(id=f"t{i}", source=f"t{i}.txt", text=t) for i, t in enumerate(texts)]
    articles.append(
        _with_boilerplate(texts[1], ["Oops! Something went wrong.", "Smoke rises over"])
    )
    assert articles[-1].boilerplate
    from_cut = ner_entities(articles, nlp, batch_size=8)
    for article, expected, doc in zip(
        articles, from_cut, nlp.pipe(a.masked_text() for a in articles), strict=True
    ):
        whole = clustering_entities(article, doc)
        assert whole == expected
        if len(article.text) > NER_CHARS:
            # The rule left out only mentions near the cut.
            assert len(whole) < len(doc.ents)
            assert all(start < NER_CHARS - 40 for _, _, start in whole)
        kept = article.kept_text()
        assert all(kept[start : start + len(text)] == text for _, text, start in whole)

"""Identity of articles in the store: canonical URLs, text hashes, keys."""

from __future__ import annotations

from parallax.model import Article, BoilerplateLine
from parallax.store.keys import actor_key, article_key, canonical_url, story_id_for, text_hash


def test_canonical_url_drops_tracking_fragment_case_and_trailing_slash():
    a = canonical_url("HTTPS://www.Example.org/news/fire/?utm_source=x&id=3&fbclid=y#top")
    b = canonical_url("http://example.org:80/news/fire?id=3")
    assert a == b == "https://example.org/news/fire?id=3"


def test_canonical_url_keeps_what_names_a_different_article():
    assert canonical_url("https://example.org/a?id=3") != canonical_url(
        "https://example.org/a?id=4"
    )
    assert canonical_url("https://example.org:8443/a") == "https://example.org:8443/a"


def test_canonical_url_refuses_what_is_not_a_web_address():
    for value in (None, "", "notes.txt", "ftp://example.org/a", "javascript:alert(1)", "http://"):
        assert canonical_url(value) is None


def test_text_hash_ignores_whitespace_and_boilerplate_but_not_words():
    text = "Fire kills 12.\nMinister blames sabotage.\nSubscribe now"
    plain = Article(id="a", source="a.txt", text=text)
    marked = Article(
        id="b",
        source="b.txt",
        text=text,
        boilerplate=[
            BoilerplateLine(start=41, end=54, text="Subscribe now", reason="pitch"),
        ],
    )
    respaced = Article(id="c", source="c.txt", text="Fire kills 12.  Minister blames sabotage.")
    changed = Article(id="d", source="d.txt", text="Fire kills 14.\nMinister blames sabotage.")
    assert text_hash(marked) == text_hash(respaced)
    assert text_hash(plain) != text_hash(marked)
    assert text_hash(changed) != text_hash(respaced)


def test_article_key_is_the_stem_unless_taken():
    article = Article(id="harnwick ledger/2024", source="x", text="t")
    assert article_key(article, "ab" * 32, set()) == "harnwick-ledger-2024"
    assert (
        article_key(article, "ab" * 32, {"harnwick-ledger-2024"})
        == "harnwick-ledger-2024-ababababab"
    )


def test_story_id_does_not_depend_on_order():
    assert story_id_for(["b", "a"]) == story_id_for(["a", "b"])
    assert story_id_for(["a"]) != story_id_for(["a", "b"])


def test_actor_key_matches_spelling_variants():
    assert actor_key("Alexander  Lukashenko,") == actor_key("alexander lukashenko")
    assert actor_key("Putin") != actor_key("Peskov")

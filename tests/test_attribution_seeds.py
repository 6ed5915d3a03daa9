"""Every attribution listed for the seed articles is found with the right named speaker."""

from __future__ import annotations

import pytest

# (seed file, words inside the content, a word of the resolved speaker name, stance or None)
EXPECTED = [
    ("000", "initially tried to free to Belarus", "Lukashenko", "assert"),
    ("000", "preparing a “window”", "Putin", "accuse"),
    ("000", "the accusations", "Ukraine", "deny"),
    ("000", "coordinated their actions", "Lukashenko", "assert"),
    ("000", "That’s why they couldn’t enter Belarus", "Lukashenko", None),
    ("000", "radical Islamists.", "Putin", "acknowledge"),
    ("000", "Western spy agencies also could have been involved", "Bortnikov", "allege"),
    ("000", "receiving a US tip", "Bortnikov", "acknowledge"),
    ("000", "We believe that radical Islamists prepared", "Bortnikov", None),
    ("000", "it carried out the attack", "Islamic State", "claim"),
    ("000", "it had information confirming", "US intelligence", None),
    ("004", "terrorist attackers tried to flee to Belarus", "Lukashenko", None),
    ("004", "He asked me", "Lukashenko", None),
    ("004", "Islamist radicals had carried out the attack", "Putin", None),
    ("004", "intended to cross into Ukraine", "Putin", "claim"),
    ("004", "responsibility for the attack", "Islamic State", "claim"),
    ("004", "the government knows there is no evidence", "Bloomberg", None),
    ("004", "Ukraine were all linked to the attack", "Bortnikov", None),
    ("004", "of course Ukraine", "Patrushev", None),
    ("004", "allegations that it was involved", "Ukraine", "deny"),
    ("004", "false-flag attack", "Ukraine", None),
    ("004", "did not know of their plans", "Kasimov", None),
    ("004", "were believed to be part of the terrorist group", "Bastrykin", None),
    ("004", "turned themselves in", "Dilovar Islomov", None),
    ("004", "innocent of involvement", "Dilovar Islomov", None),
]


@pytest.fixture(scope="module")
def seed_attributions(nlp, seeds_dir):
    found = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        found[path.name[:3]] = (
            path.read_text(encoding="utf-8"),
            nlp(path.read_text())._.attributions,
        )
    return found


@pytest.mark.parametrize(("seed", "words", "speaker", "stance"), EXPECTED)
def test_seed_attribution_has_named_speaker(seed_attributions, seed, words, speaker, stance):
    text, attributions = seed_attributions[seed]
    hits = [a for a in attributions if words in a.content.text]
    assert hits, f"{seed}: no attribution whose content holds {words!r}"
    names = [a.speaker.name for a in hits if a.speaker is not None and a.speaker.name]
    assert any(speaker in name for name in names), f"{seed}: {words!r} spoken by {names}"
    if stance is not None:
        assert stance in {a.stance for a in hits}


def test_bloomberg_sources_and_media(seed_attributions):
    _, attributions = seed_attributions["004"]
    sources = next(a for a in attributions if a.content.text.startswith("the government knows"))
    assert "sources" in sources.speaker.name
    assert sources.medium is not None and "Bloomberg" in sources.medium.text
    belta = next(a for a in attributions if "He asked me" in a.content.text)
    assert belta.medium is not None and "Belta" in belta.medium.text


def test_passive_quote_in_000_goes_to_lukashenko_through_belta(seed_attributions):
    _, attributions = seed_attributions["000"]
    quote = next(a for a in attributions if "Putin and I didn’t sleep" in a.content.text)
    assert quote.kind == "direct"
    assert quote.speaker.text == "he" and quote.speaker.name == "Alexander Lukashenko"
    assert quote.medium is not None and "BelTA" in quote.medium.text

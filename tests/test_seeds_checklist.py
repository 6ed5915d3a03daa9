"""The EXPECTED.md checklist of the seed articles, one test per item (see evaluate/seeds.py).

Skipped when ../shared/seeds is absent. Each test names the item and what the dossier showed."""

from __future__ import annotations

import pytest

from parallax.evaluate.seeds import CHECKLIST, SeedItem, seed_dossier


@pytest.fixture(scope="module")
def dossier(seeds_dir):
    return seed_dossier(seeds_dir)


@pytest.mark.parametrize("item", CHECKLIST, ids=[item.id for item in CHECKLIST])
def test_seed_item(dossier, item: SeedItem):
    passed, found = item.rule(dossier)
    assert passed, f"{item.section}: {item.expected} -> {found}"


def test_every_mention_is_the_exact_text_of_its_span(dossier):
    texts = {a.id: a.text for a in dossier.articles}
    for claim in dossier.claims:
        for mention in claim.mentions:
            assert texts[mention.article][mention.span[0] : mention.span[1]] == mention.text


def test_no_boilerplate_line_becomes_a_claim(dossier):
    for article in dossier.articles:
        for line in article.boilerplate:
            for claim in dossier.claims:
                for mention in claim.mentions:
                    if mention.article == article.id:
                        start, end = mention.span
                        assert end <= line.start or start >= line.end, (line.text, mention.text)

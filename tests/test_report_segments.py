"""Report building blocks on a hand-made dossier: nested items, relations, escaping."""

from __future__ import annotations

from parallax.model import (
    Claim,
    ClaimRelation,
    Dossier,
    DossierArticle,
    DossierHedge,
    Mention,
)
from parallax.report.html import MATRIX_MAX_ARTICLES, segment_article, to_html
from parallax.report.markdown import to_markdown

TEXT_A = "Bortnikov alleged a role in the deadliest attack in two decades. Other news <b>."
TEXT_B = "It was the worst attack for 20 years. Lukashenko closed the border."


def _dossier() -> Dossier:
    a = DossierArticle(
        id="a", source="a.txt", outlet="Outlet A", title=None, published=None, text=TEXT_A
    )
    b = DossierArticle(
        id="b", source="b.txt", outlet="Outlet B", title=None, published=None, text=TEXT_B
    )
    sentence = TEXT_A.index("Other")
    record = (TEXT_A.index("the deadliest"), TEXT_A.index(" in two decades") + 15)
    return Dossier(
        story="s1",
        articles=[a, b],
        claims=[
            Claim(
                id="c1",
                text="the deadliest attack in two decades",
                status="corroborated",
                mentions=[
                    Mention(article="a", span=record, text=TEXT_A[slice(*record)]),
                    Mention(article="b", span=(0, 37), text=TEXT_B[:37]),
                ],
            ),
            Claim(
                id="c2",
                text=TEXT_A[: sentence - 1],
                status="single_source",
                mentions=[
                    Mention(article="a", span=(0, sentence - 1), text=TEXT_A[: sentence - 1])
                ],
            ),
            Claim(
                id="c3",
                text="Other news <b>.",
                status="single_source",
                mentions=[
                    Mention(article="a", span=(sentence, len(TEXT_A)), text=TEXT_A[sentence:])
                ],
            ),
            Claim(
                id="c4",
                text="Lukashenko closed the border.",
                status="single_source",
                mentions=[Mention(article="b", span=(38, len(TEXT_B)), text=TEXT_B[38:])],
            ),
        ],
        relations=[ClaimRelation(id="r1", claims=["c3", "c4"], note="related, each adds detail")],
        hedges=[DossierHedge(article="a", span=(10, 17), text="alleged", applies_to="c2")],
    )


def test_nested_items_give_segments_listing_every_covering_item():
    dossier = _dossier()
    segments = segment_article(dossier.articles[0], dossier)
    assert "".join(s.text for s in segments) == TEXT_A
    record = next(s for s in segments if s.text.startswith("the deadliest"))
    assert set(record.keys) == {"c1", "c2"}
    hedge = next(s for s in segments if s.text == "alleged")
    assert set(hedge.keys) == {"c2", "h1"}


def test_html_marks_related_cells_and_escapes_text():
    page = to_html(_dossier())
    assert "<b>." not in page and "&lt;b&gt;." in page
    assert 'data-keys="c3 c4"' in page  # the relation item and the ◐ cell
    assert "◐" in page


def test_markdown_lists_related_claims():
    text = to_markdown(_dossier())
    assert "## Related claims" in text
    assert "c3 ↔ c4" in text and "related, each adds detail" in text
    assert "&lt;b&gt;" in text


def test_large_story_lists_single_source_claims_per_outlet_not_in_the_matrix():
    articles = [
        DossierArticle(
            id=f"a{i}",
            source=f"a{i}.txt",
            outlet=f"Outlet {i}",
            title=None,
            published=None,
            text=f"Claim number {i} of the story.",
        )
        for i in range(MATRIX_MAX_ARTICLES + 1)
    ]
    claims = [
        Claim(
            id=f"c{i}",
            text=a.text,
            status="single_source",
            mentions=[Mention(article=a.id, span=(0, len(a.text)), text=a.text)],
        )
        for i, a in enumerate(articles)
    ]
    page = to_html(Dossier(story="s", articles=articles, claims=claims))
    assert page.count('<tr class="claim"') == 0
    assert page.count('<li class="item claim"') == len(claims)
    assert 'data-keys="c3"' in page

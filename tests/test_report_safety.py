"""Hostile article text stays inert in every report format."""

from __future__ import annotations

from parallax.model import Claim, Dossier, DossierArticle, Mention
from parallax.report import render

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _dossier() -> Dossier:
    text = f"Officials said {HOSTILE} twelve people died."
    return Dossier(
        story="s1",
        articles=[
            DossierArticle(
                id="a1", source="a1.txt", outlet=HOSTILE, title=HOSTILE, published=None, text=text
            )
        ],
        claims=[
            Claim(
                id="c1",
                text=text,
                status="single_source",
                mentions=[Mention(article="a1", span=(0, len(text)), text=text)],
            )
        ],
    )


def test_html_escapes_article_text():
    page = render(_dossier(), "html")
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_markdown_escapes_raw_html():
    page = render(_dossier(), "md")
    assert "<script>" not in page and "<img" not in page


def test_json_round_trips():
    dossier = _dossier()
    assert Dossier.model_validate_json(render(dossier, "json")) == dossier

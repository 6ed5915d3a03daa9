"""The standalone HTML dossier in a real chromium: a click on a claim, a conflict side or a hedge
lights up its sentences in every article (skipped when /usr/bin/chromium is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.analyze import analyze_articles
from parallax.compare.dossier import build_dossier
from parallax.ingest.sources import read_inputs
from parallax.report.html import to_html

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    dossier = build_dossier(
        analyze_articles(list(read_inputs(sorted(map(str, EXAMPLES.glob("*.txt"))))))
    )
    path = tmp_path_factory.mktemp("report") / "dossier.html"
    path.write_text(to_html(dossier), encoding="utf-8")
    return dossier, path


@pytest.fixture(scope="module")
def page(report, chromium):
    page = chromium.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(report[1].as_uri())
    yield page
    page.close()


def test_click_on_a_claim_row_highlights_its_sentence_in_each_article(report, page):
    dossier, _ = report
    claim = next(c for c in dossier.claims if len({m.article for m in c.mentions}) == 3)
    page.click(f'tr.claim[data-claim="{claim.id}"]')
    lit = page.locator(f'.article .m.hl[data-claim="{claim.id}"]')
    assert lit.count() >= 3
    texts = " ".join(lit.all_inner_texts())
    for mention in claim.mentions:
        assert mention.text.split()[0] in texts
    # nothing of another claim is lit
    others = page.locator(".article .m.hl").all()
    assert all(claim.id in (el.get_attribute("data-keys") or "").split() for el in others)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#texts").screenshot(path=str(ARTIFACTS / "report_claim_click.png"))


def test_click_on_a_conflict_side_highlights_its_claims(report, page):
    dossier, _ = report
    conflict = next(c for c in dossier.conflicts if c.kind == "numeric")
    side = conflict.sides[0]
    page.locator(f'#conflicts li.item[data-keys="{" ".join(side.claims)}"]').first.click()
    lit = page.locator(".article .hl")
    assert lit.count() >= 1
    keys = {k for el in lit.all() for k in (el.get_attribute("data-keys") or "").split()}
    assert set(side.claims) & keys


def test_click_on_a_hedge_highlights_the_hedge_words(report, page):
    dossier, _ = report
    assert dossier.hedges, "the examples carry 'without offering any evidence'"
    page.locator("#hedges li.item").first.click()
    lit = page.locator(".article .hl")
    assert dossier.hedges[0].text in " ".join(lit.all_inner_texts())
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#texts").screenshot(path=str(ARTIFACTS / "report_hedge_click.png"))

"""Evidence markers ("without offering any evidence") and the clause each one qualifies."""

from __future__ import annotations

import pytest

from parallax.nlp.framing import find_hedges, hedge_scope
from parallax.nlp.pipeline import load_spacy

pytestmark = pytest.mark.slow


def _hedges(text: str) -> dict[str, tuple[str, str]]:
    """hedge text -> (kind, qualified text)."""
    doc = load_spacy()(text)
    out = {}
    for hedge in find_hedges(doc):
        assert text[hedge.start : hedge.end] == hedge.text
        start, end = hedge_scope(doc, hedge)
        assert 0 <= start < end <= len(text)
        out[hedge.text] = (hedge.kind, text[start:end].strip())
    return out


def test_kinds_and_scopes_of_common_markers() -> None:
    text = (
        "Brenn accused Moldova of opening the sluice gates without offering any evidence. "
        "The Moldovan foreign ministry has rejected allegations that it flooded the towns. "
        "Ivo Kessler said the dam had been inspected in May, without giving details. "
        "The minister repeated his unproven claim that the gates were opened. "
        "The Daily Ledger reported that 42 people died. "
        "The Courier could not immediately confirm the report."
    )
    found = _hedges(text)
    assert found["without offering any evidence"] == (
        "no_evidence",
        "Brenn accused Moldova of opening the sluice gates without offering any evidence.",
    )
    assert found["rejected allegations"] == (
        "rejected",
        "allegations that it flooded the towns",
    )
    kind, scope = found["without giving details"]
    assert kind == "no_evidence" and scope.startswith("Ivo Kessler said")
    kind, scope = found["unproven claim"]
    assert kind == "no_evidence" and scope.startswith("his unproven claim that the gates")
    # "the report" points back to the sentence that reported it.
    assert found["could not immediately confirm"] == (
        "unconfirmed",
        "The Daily Ledger reported that 42 people died.",
    )


def test_more_markers() -> None:
    found = _hedges(
        "The claim has not been independently verified. The rebels reportedly seized the town. "
        "Officials offered no evidence for the figure. The ministry dismissed the report as "
        "propaganda. Her remarks contradict claims by the government that the dam held."
    )
    kinds = {text: kind for text, (kind, _) in found.items()}
    assert kinds["has not been independently verified"] == "unconfirmed"
    assert kinds["reportedly"] == "unconfirmed"
    assert kinds["offered no evidence"] == "no_evidence"
    assert kinds["dismissed the report as propaganda"] == "rejected"
    assert kinds["contradict claims"] == "disputed"
    assert found["contradict claims"][1] == "claims by the government that the dam held"


def test_reporting_verbs_alone_are_not_hedges() -> None:
    found = _hedges(
        "Prosecutors alleged that he took bribes. He denied that he had. "
        "The group claimed responsibility for the attack. The minister said it was over."
    )
    assert found == {}


def test_alleged_as_adjective_is_a_hedge() -> None:
    found = _hedges("Police arrested the alleged gunman on Friday.")
    assert found["alleged"] == ("unconfirmed", "the alleged gunman")

"""Media and agencies an article relies on, named the same way across outlets."""

from __future__ import annotations

import pytest

from parallax.model import Span
from parallax.nlp.framing import find_cited_sources, normalise_medium
from parallax.nlp.pipeline import load_spacy

pytestmark = pytest.mark.slow


def _sources(text: str, credits=(), self_outlet=None) -> list[tuple[str, str]]:
    doc = load_spacy()(text)
    found = find_cited_sources(doc, credits, self_outlet)
    for source in found:
        assert text[source.start : source.end] == source.text
    return [(s.text, s.name) for s in found]


def test_citing_contexts_and_names() -> None:
    text = (
        '"The gates were never opened," Varga told the state news agency Moldpres. '
        "Kessler told the Reuters news agency that the inspection found no cracks. "
        "Three villages were evacuated, Romanian media reported. "
        "The figure was first published by the Associated Press. "
        "Speaking to Belarus media, the minister said the border was closed. "
        "The Daily Ledger could not immediately confirm the figures."
    )
    found = _sources(text, self_outlet="The Daily Ledger")
    names = [name for _, name in found]
    assert names == ["Moldpres", "Reuters", "Romanian media", "AP", "Belarus media"]


def test_credit_lines_give_one_source_per_name() -> None:
    text = "The dam broke on Sunday.\n\nWith inputs from AP, PTI\n"
    start = text.index("With")
    credit = Span(start=start, end=start + len("With inputs from AP, PTI"), text=text[start:-1])
    found = _sources(text, credits=[credit])
    assert found == [("AP", "AP"), ("PTI", "PTI")]


def test_people_and_institutions_told_are_not_media() -> None:
    found = _sources(
        "The minister told parliament that the dam held. She told Reuters the same. "
        "The ministry said it had no figures. Officials told reporters nothing."
    )
    assert found == [("Reuters", "Reuters")]


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("the official Belta news agency", "BelTA"),
        ("The Bloomberg News agency", "Bloomberg News"),
        ("the AFP news agency", "AFP"),
        ("Russian media", "Russian media"),
        ("the agency", None),
        ("new Washington Post-ABC News poll", "The Washington Post"),
    ],
)
def test_normalise_medium(phrase: str, name: str | None) -> None:
    assert normalise_medium(phrase) == name

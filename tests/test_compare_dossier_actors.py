"""The dossier's actor list: one type per actor, the same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from parallax.compare.dossier import build_actors, in_headline_line, kind_of_speaker
from parallax.model import AnalyzedArticle, Article, Entity

TEXT = "Dana Orlov spoke on Tuesday; on Wednesday Orlov spoke again."


def _analyzed() -> list[AnalyzedArticle]:
    # Each surface of the one actor carries a different label once: a tie between them.
    entities = [
        Entity(start=0, end=10, text="Dana Orlov", label="PERSON"),
        Entity(start=42, end=47, text="Orlov", label="ORG"),
    ]
    article = Article(id="a1", source="a1.txt", text=TEXT)
    return [AnalyzedArticle(article=article, entities=entities)]


def test_surfaces_of_one_actor_are_merged_into_one_typed_actor():
    actors, surface_to_id, _ = build_actors(_analyzed())
    assert [a.name for a in actors] == ["Dana Orlov"]
    assert surface_to_id["Orlov"] == surface_to_id["Dana Orlov"]
    assert actors[0].type in ("person", "organization")


_PROBE = (
    "import json; from tests.test_compare_dossier_actors import _analyzed; "
    "from parallax.compare.dossier import build_actors; "
    "print(json.dumps([a.type for a in build_actors(_analyzed())[0]]))"
)


def test_a_tie_between_labels_is_broken_alike_under_every_string_hash_seed():
    seen = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _PROBE],
            cwd=Path(__file__).parents[1],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seen.add(tuple(json.loads(out.stdout)))
    assert len(seen) == 1, seen


def _one_article(text: str, entities: list[Entity], article_id: str = "a1") -> AnalyzedArticle:
    article = Article(id=article_id, source=f"{article_id}.txt", text=text)
    return AnalyzedArticle(article=article, entities=entities)


def _entity(text: str, name: str, label: str) -> Entity:
    start = text.index(name)
    return Entity(start=start, end=start + len(name), text=name, label=label)


def test_a_name_found_only_on_a_headline_line_makes_no_actor():
    text = "Depot Fire Kills 12, Minister Blames Sabotage\n\nDana Orlov blamed saboteurs."
    entities = [
        _entity(text, "Blames Sabotage", "PERSON"),
        _entity(text, "Dana Orlov", "PERSON"),
    ]
    actors, _, _ = build_actors([_one_article(text, entities)])
    assert [a.name for a in actors] == ["Dana Orlov"]


def test_body_lines_starting_with_names_are_not_headlines():
    assert not in_headline_line("Dana Orlov Blamed The Saboteurs On Friday.", 0)
    assert not in_headline_line("Smoke rises over the depot - Lena Marsh/Meridian Wire", 30)
    assert in_headline_line("x.\nHarnwick Depot Fire: What We Know\ny.", 5)


def test_a_ministry_portfolio_before_minister_is_part_of_a_title_not_an_actor():
    text = "Interior Minister Dana Orlov spoke. The Interior Ministry said nothing."
    entities = [
        _entity(text, "Interior", "ORG"),
        _entity(text, "Dana Orlov", "PERSON"),
        _entity(text, "Interior Ministry", "ORG"),
    ]
    actors, _, _ = build_actors([_one_article(text, entities)])
    assert sorted(a.name for a in actors) == ["Dana Orlov", "Interior Ministry"]


def test_an_actor_named_like_an_outlet_of_the_story_is_an_organisation():
    text = "The depot failed an inspection, according to documents seen by Meridian Wire."
    entities = [_entity(text, "Meridian Wire", "PERSON")]
    actors, _, _ = build_actors([_one_article(text, entities, article_id="meridian-wire")])
    assert [(a.name, a.type) for a in actors] == [("Meridian Wire", "organization")]


def test_speakers_known_only_by_a_plural_description_are_groups():
    assert kind_of_speaker("hospital officials") == "group"
    assert kind_of_speaker("Bloomberg News sources") == "group"
    assert kind_of_speaker("Dana Orlov") == "person"
    assert kind_of_speaker("Boris Johnson") == "person"

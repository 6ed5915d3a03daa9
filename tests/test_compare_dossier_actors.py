"""The dossier's actor list: one type per actor, the same in every process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from parallax.compare.dossier import build_actors
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

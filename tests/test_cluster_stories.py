"""Online story clustering on hand-made features, and on real articles with the real models."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from parallax.cluster.features import ArticleFeatures
from parallax.cluster.stories import (
    ClusterSettings,
    StoryClusterer,
    arrival_order,
    cluster_articles,
    cluster_features,
    hashed_profiles,
)

DAY0 = datetime(2024, 3, 22, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _unit(seed: int, base: np.ndarray | None = None, spread: float = 0.05) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vector = rng.normal(0, 1, 384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    if base is not None:
        vector = base + spread * vector
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _event(name: str, seed: int, count: int, day: datetime | None, **extra) -> list:
    """`count` articles of one event: close vectors, shared entities and numbers."""
    centre = _unit(seed)
    return [
        ArticleFeatures(
            id=f"{name}-{i}",
            vector=_unit(seed * 100 + i, centre),
            entities={f"person:{name}": 3.0, "place:moscow": 1.0},
            numbers=frozenset({f"num:{seed * 7}"}),
            dates=frozenset(),
            names={name.title(): 3.0, "Moscow": 1.0, str(seed * 7): 1.0},
            published=None if day is None else day + timedelta(hours=i),
            **extra,
        )
        for i in range(count)
    ]


def _partition(clusterer: StoryClusterer, features) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item in features:
        groups.setdefault(clusterer.story_of(item.id), set()).add(item.id)
    return {frozenset(g) for g in groups.values()}


def test_two_events_become_two_stories():
    features = _event("lukashenko", 1, 5, DAY0) + _event("teixeira", 2, 4, DAY0)
    stories = cluster_features(features)
    assert sorted(len(s.articles) for s in stories) == [4, 5]
    for story in stories:
        assert len({a.split("-")[0] for a in story.articles}) == 1


def test_split_into_batches_gives_the_same_stories():
    features = _event("a", 1, 6, DAY0) + _event("b", 2, 5, DAY0) + _event("c", 3, 4, None)
    whole = StoryClusterer()
    whole.add_many(features)
    ordered = [features[i] for i in arrival_order(features)]
    parts = StoryClusterer()
    for start in range(0, len(ordered), 4):
        parts.add_many(ordered[start : start + 4])
    assert _partition(whole, features) == _partition(parts, features)


def test_state_round_trip_continues_where_it_stopped():
    first = _event("a", 1, 4, DAY0) + _event("b", 2, 3, DAY0)
    (model,) = _event("a", 1, 1, DAY0 + timedelta(days=1))
    more = [ArticleFeatures(**{**vars(model), "id": "a-late", "vector": _unit(999, _unit(1))})]
    clusterer = StoryClusterer()
    clusterer.add_many(first)
    state = json.loads(json.dumps(clusterer.state_to_dict()))
    resumed = StoryClusterer.from_state(state)
    clusterer.add_many(more)
    resumed.add_many(more)
    assert resumed.story_of("a-late") == clusterer.story_of("a-late") == resumed.story_of("a-0")
    assert [s.model_dump() for s in resumed.stories()] == [
        s.model_dump() for s in clusterer.stories()
    ]


def test_settling_merges_parts_of_one_event_that_share_neighbours():
    # Joining is made impossible, so every article starts a story; the articles of one event
    # list each other as neighbours, those of the other event do not, and settling merges
    # exactly the stories of each event.
    settings = ClusterSettings(join_threshold=1e6, link_threshold=0.3)
    features = _event("a", 1, 5, None) + _event("b", 2, 4, None)
    clusterer = StoryClusterer(settings)
    clusterer.add_many(features)
    assert len(clusterer.stories()) == len(features)
    clusterer.settle()
    assert _partition(clusterer, features) == {
        frozenset(f"a-{i}" for i in range(5)),
        frozenset(f"b-{i}" for i in range(4)),
    }
    assert set(clusterer.merged()) and all(
        story in {s.id for s in clusterer.stories()} for story in clusterer.merged().values()
    )


def test_merge_checks_come_due_in_the_stream_and_survive_a_state_round_trip():
    settings = ClusterSettings(join_threshold=1e6, link_threshold=0.3, settle_arrivals=3)
    features = _event("a", 1, 4, None) + _event("b", 2, 4, None)
    straight = StoryClusterer(settings)
    straight.add_many(features)
    # Checks of the first articles came due while later ones arrived: some merges happened
    # without settling.
    assert len(straight.stories()) < len(features)
    halted = StoryClusterer(settings)
    halted.add_many(features[:5])
    resumed = StoryClusterer.from_state(json.loads(json.dumps(halted.state_to_dict())))
    resumed.add_many(features[5:])
    for clusterer in (straight, resumed):
        clusterer.settle()
    assert _partition(straight, features) == _partition(resumed, features)
    assert [s.model_dump() for s in resumed.stories()] == [
        s.model_dump() for s in straight.stories()
    ]


def test_state_of_another_version_is_refused():
    state = StoryClusterer().state_to_dict()
    state["version"] = 99
    with pytest.raises(ValueError, match="version"):
        StoryClusterer.from_state(state)


def test_quiet_story_takes_no_dated_article():
    settings = ClusterSettings(quiet_hours=48)
    first = _event("a", 1, 3, DAY0)
    late = [
        ArticleFeatures(
            id="a-late",
            vector=_unit(77, _unit(1)),
            entities={"person:a": 3.0, "place:moscow": 1.0},
            numbers=frozenset({"num:7"}),
            names={"A": 3.0, "Moscow": 1.0, "7": 1.0},
            published=DAY0 + timedelta(days=10),
        )
    ]
    clusterer = StoryClusterer(settings)
    clusterer.add_many(first)
    clusterer.add_many(late)
    assert clusterer.story_of("a-late") != clusterer.story_of("a-0")
    # The same article without a date may still reach the quiet story.
    undated = [
        ArticleFeatures(
            id="a-undated",
            vector=late[0].vector,
            entities=late[0].entities,
            numbers=late[0].numbers,
            names=late[0].names,
            published=None,
        )
    ]
    clusterer.add_many(undated)
    assert clusterer.story_of("a-undated") in {
        clusterer.story_of("a-0"),
        clusterer.story_of("a-late"),
    }


def test_near_duplicates_join_the_first_copy_whatever_their_vector():
    first = _event("a", 1, 2, DAY0, bands=("0:x", "1:y", "2:z"))
    copy = ArticleFeatures(
        id="copy",
        vector=_unit(4242),  # unrelated vector: only the shared bands tie it to the story
        bands=("0:x", "1:y", "5:q"),
        published=DAY0,
    )
    clusterer = StoryClusterer()
    clusterer.add_many(first + [copy])
    assert clusterer.story_of("copy") == clusterer.story_of("a-0")


def test_every_article_is_in_exactly_one_story():
    features = _event("a", 1, 5, DAY0) + _event("b", 2, 5, None) + _event("c", 3, 2, DAY0)
    stories = cluster_features(features)
    members = [a for s in stories for a in s.articles]
    assert sorted(members) == sorted(f.id for f in features)


@pytest.mark.slow
def test_seed_articles_are_one_story(seeds_dir):
    from parallax.ingest.sources import read_inputs

    articles = list(read_inputs([str(p) for p in sorted(seeds_dir.glob("*.txt"))]))
    assert len(articles) == 2
    stories = cluster_articles(articles)
    assert len(stories) == 1
    assert sorted(stories[0].articles) == sorted(a.id for a in articles)


@pytest.mark.slow
def test_examples_are_one_story_and_cli_prints_one_line_each():
    from typer.testing import CliRunner

    from parallax.cli import app

    result = CliRunner().invoke(app, ["cluster", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(list(EXAMPLES.glob("*.txt")))
    assert {tuple(sorted(line)) for line in lines} == {("doc", "story")}
    assert len({line["story"] for line in lines}) == 1


def test_cluster_articles_of_nothing_is_nothing():
    assert cluster_articles([]) == []


def test_hashed_profiles_are_unit_vectors_and_stable():
    item = ArticleFeatures(
        id="x",
        vector=_unit(1),
        entities={"person:lohan": 3.0, "place:malibu": 1.0},
        terms={"rehab": 4.0, "court": 1.0, "judge": 2.0},
        numbers=frozenset({"num:90"}),
        dates=frozenset(),
    )
    first, again = hashed_profiles(item), hashed_profiles(item)
    for block in ("entities", "terms", "numbers"):
        index, values = first[block]
        assert np.all(np.diff(index) > 0)  # sorted, one entry per bucket
        assert abs(float(values @ values) - 1.0) < 1e-5
        assert np.array_equal(index, again[block][0])
        assert np.array_equal(values, again[block][1])
    assert first["dates"][0].size == 0


def test_active_stories_stay_bounded_in_a_long_feed():
    # 60 events, one new event every 12 hours, each told by 4 articles within 3 hours.
    settings = ClusterSettings(quiet_hours=48, quiet_grace_arrivals=0)
    features = []
    for n in range(60):
        features += _event(f"e{n}", n + 1, 4, DAY0 + timedelta(hours=12 * n))
    clusterer = StoryClusterer(settings)
    clusterer.add_many(features)
    assert len(clusterer.stories()) == 60
    # Only the stories of the last ~48 hours are still candidates.
    assert 3 <= len(clusterer.active_stories()) <= 6
    assert _partition(clusterer, features) == {
        frozenset(f"e{n}-{i}" for i in range(4)) for n in range(60)
    }


def test_state_round_trip_keeps_quiet_stories_reachable_for_undated_articles():
    settings = ClusterSettings(quiet_hours=48, quiet_grace_arrivals=0)
    clusterer = StoryClusterer(settings)
    clusterer.add_many(_event("a", 1, 3, DAY0) + _event("b", 2, 3, DAY0 + timedelta(days=10)))
    assert clusterer.story_of("a-0") not in clusterer.active_stories()
    resumed = StoryClusterer.from_state(json.loads(json.dumps(clusterer.state_to_dict())))
    undated = [
        ArticleFeatures(
            id="a-undated",
            vector=_unit(78, _unit(1)),
            entities={"person:a": 3.0, "place:moscow": 1.0},
            numbers=frozenset({"num:7"}),
        )
    ]
    clusterer.add_many(undated)
    resumed.add_many(undated)
    assert resumed.story_of("a-undated") == clusterer.story_of("a-undated") == "s1"
    assert [s.model_dump() for s in resumed.stories()] == [
        s.model_dump() for s in clusterer.stories()
    ]


def test_a_late_batch_finds_the_stories_of_its_own_time():
    # The feed reaches day 200, then a batch from day 0 arrives: its articles are old by the
    # clock, yet they form their own story, and none joins the recent story of its topic.
    recent = _event("a", 1, 3, DAY0 + timedelta(days=200))
    late = _event("a", 1, 4, DAY0)
    late = [ArticleFeatures(**{**vars(item), "id": f"late-{i}"}) for i, item in enumerate(late)]
    clusterer = StoryClusterer(ClusterSettings(quiet_hours=48))
    clusterer.add_many(recent)
    clusterer.add_many(late)
    assert _partition(clusterer, recent + late) == {
        frozenset(item.id for item in recent),
        frozenset(item.id for item in late),
    }


def _settled(features, **settings) -> StoryClusterer:
    """A clusterer with these settings that has taken the articles and settled."""
    clusterer = StoryClusterer(ClusterSettings(**settings))
    clusterer.add_many(features)
    clusterer.settle()
    return clusterer


def test_settling_absorbs_small_stories_into_the_story_they_fit():
    # No article may join and no neighbours merge, so every article is a fragment of one;
    # settling then gathers each event's fragments, and never across the two events.
    apart = {"join_threshold": 1e6, "link_threshold": 1.01, "fragment_size": 10}
    features = _event("a", 1, 5, DAY0) + _event("b", 2, 4, DAY0)
    assert len(_settled(features, **apart, absorb_threshold=1e6).stories()) == len(features)
    gathered = _settled(features, **apart, absorb_threshold=8.0)
    assert _partition(gathered, features) == {
        frozenset(f"a-{i}" for i in range(5)),
        frozenset(f"b-{i}" for i in range(4)),
    }


def test_settling_never_stretches_a_story_beyond_the_absorb_span():
    # One look-alike event reported again 80 days later (inside the 90-day quiet window): the
    # lenient settle merges may not join the late reports to the early story unless the cap
    # allows a story of 80 days; they are left apart rather than given a worse partner.
    apart = {"join_threshold": 1e6, "link_threshold": 1.01, "fragment_size": 10}
    early = _event("a", 1, 3, DAY0)
    # Reports 3 and 4 of the same event, published 80 days on.
    late = [
        ArticleFeatures(**{**vars(item), "id": f"late-{i}"})
        for i, item in enumerate(_event("a", 1, 5, DAY0 + timedelta(days=80))[3:])
    ]
    capped = _partition(_settled(early + late, **apart, absorb_threshold=8.0), early + late)
    assert frozenset(item.id for item in early) in capped
    assert all(len(group) == 1 for group in capped if "late-0" in group or "late-1" in group)
    wide = _settled(early + late, **apart, absorb_threshold=8.0, absorb_span_days=120)
    assert _partition(wide, early + late) == {frozenset(item.id for item in early + late)}


def test_settling_rejoins_larger_stories_above_the_rejoin_threshold():
    # No fragments here (fragment_size 0): only stories that fit their best partner at
    # least `rejoin_threshold` merge, which gathers each event and never mixes the two.
    apart = {"join_threshold": 1e6, "link_threshold": 1.01, "fragment_size": 0}
    features = _event("a", 1, 5, DAY0) + _event("b", 2, 4, DAY0)
    assert len(_settled(features, **apart, rejoin_threshold=1e6).stories()) == len(features)
    gathered = _settled(features, **apart, rejoin_threshold=8.0)
    assert _partition(gathered, features) == {
        frozenset(f"a-{i}" for i in range(5)),
        frozenset(f"b-{i}" for i in range(4)),
    }


def test_merge_checks_then_settle_give_what_settle_gives():
    # The fitting grid runs the merge checks once and settles copies with other absorb
    # settings; that must end where one settle() ends.
    settings = ClusterSettings(join_threshold=1e6, link_threshold=0.3, absorb_threshold=8.0)
    features = _event("a", 1, 5, None) + _event("b", 2, 4, None) + _event("c", 3, 1, None)
    at_once = StoryClusterer(settings)
    at_once.add_many(features)
    at_once.settle()
    in_steps = StoryClusterer(settings)
    in_steps.add_many(features)
    in_steps.run_merge_checks()
    checked = _partition(in_steps, features)
    assert len(checked) < len(features)
    in_steps.settle()
    assert _partition(in_steps, features) == _partition(at_once, features)

"""Nearest-neighbour lists of articles and shared-neighbour links between stories."""

from __future__ import annotations

import json

import pytest

from parallax.cluster.neighbours import NeighbourGraph


def _graph_of_two_events() -> tuple[NeighbourGraph, dict[str, str]]:
    """a1..a3 all list each other and x; b1, b2 list each other and x."""
    story_of = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "x": "X"}
    graph = NeighbourGraph(size=3)
    graph.add("x", "X", [], story_of.__getitem__)
    graph.add("a1", "A", [("x", 0.5)], story_of.__getitem__)
    graph.add("a2", "A", [("a1", 0.9), ("x", 0.5)], story_of.__getitem__)
    graph.add("a3", "A", [("a1", 0.8), ("a2", 0.8), ("x", 0.5)], story_of.__getitem__)
    graph.add("b1", "B", [("x", 0.6)], story_of.__getitem__)
    graph.add("b2", "B", [("b1", 0.9), ("x", 0.6)], story_of.__getitem__)
    return graph, story_of


def test_an_article_keeps_its_nearest_and_joins_the_lists_it_beats():
    graph, _ = _graph_of_two_events()
    assert set(graph.neighbours("a3")) == {"a1", "a2", "x"}
    # a1 listed x first, then a2 and a3 were offered to it (its list had room).
    assert set(graph.neighbours("a1")) == {"x", "a2", "a3"}
    # x's list is full with a1, a2, a3 (0.5 each); b1 at 0.6 replaced the first weakest (a1),
    # then b2 at 0.6 replaced the next weakest (a2).
    assert set(graph.neighbours("x")) == {"a3", "b1", "b2"}


def test_story_counts_follow_every_list_change():
    graph, _ = _graph_of_two_events()
    counts_a = graph.shared["A"]
    # a1 lists x, a2, a3; a2 lists a1, x, a3; a3 lists a1, a2, x.
    assert counts_a == {"x": 3, "a2": 2, "a3": 2, "a1": 2}
    # x lost a1 and a2 from its list: story X counts only what x lists now.
    assert graph.shared["X"] == {"a3": 1, "b1": 1, "b2": 1}


def test_link_is_the_mean_share_of_common_neighbours_over_member_pairs():
    graph, _ = _graph_of_two_events()
    counts_a, counts_b = graph.shared["A"], graph.shared["B"]
    common = sum(v * counts_b.get(k, 0) for k, v in counts_a.items())
    assert graph.link("A", 3, "B", 2) == pytest.approx(common / (3 * 2 * 3))
    # Members of one event share more neighbours with each other than with the other event.
    assert graph.link("A", 3, "A", 3) > graph.link("A", 3, "B", 2)
    assert graph.link("A", 3, "nothing", 1) == 0.0


def test_merge_folds_counts_and_the_graph_round_trips():
    graph, _ = _graph_of_two_events()
    before = dict(graph.shared["A"])
    graph.merge("A", "B")
    assert "B" not in graph.shared
    assert graph.shared["A"]["x"] == before["x"] + 2  # b1 and b2 both list x
    again = NeighbourGraph.from_dict(json.loads(json.dumps(graph.to_dict())))
    assert again.lists == graph.lists and again.shared == graph.shared
    graph.forget(["a1"])
    assert graph.neighbours("a1") == [] and "a1" in again.lists

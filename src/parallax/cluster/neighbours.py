"""Each article's nearest other articles, and how many neighbours two stories share.

Two reports of one event have many of the same nearest articles (the other reports of that
event); two reports of two look-alike events of one topic (two offers to one ball player, two
quakes on one island) each have their own event's reports nearest. So the share of common
neighbours separates events where the similarity of the two articles alone cannot, whatever
the level of similarity inside the topic (shared-nearest-neighbour similarity, after Jarvis &
Patrick, 1973).

`NeighbourGraph` keeps, online, up to `size` nearest articles per article (an arriving article
takes the best it is offered and is offered in turn to each of those articles' own lists), and
per story the count of each article among its members' neighbours. The mean number of shared
neighbours over all pairs of members of two stories is then one sparse dot product of those
counts (`link`), with no loop over pairs. It knows nothing of vectors or scores: the clusterer
finds the candidates and their similarities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


class NeighbourGraph:
    """Nearest-neighbour lists of articles and shared-neighbour counts of stories."""

    def __init__(self, size: int) -> None:
        self.size = size
        # article id -> {neighbour article id: similarity}, at most `size` entries.
        self.lists: dict[str, dict[str, float]] = {}
        # story id -> {article id: how many members of the story list it as a neighbour}.
        self.shared: dict[str, dict[str, int]] = {}

    def add(
        self,
        article: str,
        story: str,
        offered: Iterable[tuple[str, float]],
        story_of: Callable[[str], str],
    ) -> None:
        """Give a new article of `story` its nearest among the offered (id, similarity) pairs,
        and offer it to each offered article's own list (it replaces the weakest entry of a
        full list when closer). `story_of` names the current story of an offered article.

        Ties keep the earlier entry, so the result depends only on the order of arrivals.
        """
        offered = [(other, sim) for other, sim in offered if other != article]
        nearest = sorted(offered, key=lambda item: -item[1])[: self.size]
        self.lists[article] = dict(nearest)
        for other, _ in nearest:
            self._count(story, other, 1)
        for other, sim in offered:
            theirs = self.lists.get(other)
            if theirs is None:
                continue
            if len(theirs) >= self.size:
                lowest = min(theirs.values())
                if sim <= lowest:
                    continue
                # The first entry holding the lowest similarity, as min() by value finds it.
                weakest = next(key for key, value in theirs.items() if value == lowest)
                del theirs[weakest]
                self._count(story_of(other), weakest, -1)
            theirs[article] = sim
            self._count(story_of(other), article, 1)

    def neighbours(self, article: str) -> list[str]:
        """The article's current nearest articles (empty for an unknown article)."""
        return list(self.lists.get(article, ()))

    def link(self, story_a: str, size_a: int, story_b: str, size_b: int) -> float:
        """Mean share of common neighbours over all member pairs of two stories (0 .. 1)."""
        counts_a = self.shared.get(story_a, {})
        counts_b = self.shared.get(story_b, {})
        if len(counts_a) > len(counts_b):
            counts_a, counts_b = counts_b, counts_a
        common = sum(count * counts_b.get(key, 0) for key, count in counts_a.items())
        return common / (max(1, size_a) * max(1, size_b) * self.size)

    def merge(self, keep: str, gone: str) -> None:
        """Fold the counts of story `gone` into story `keep`."""
        for key, count in self.shared.pop(gone, {}).items():
            self._count(keep, key, count)

    def forget(self, articles: Iterable[str]) -> None:
        """Drop the lists of articles that will never be offered again (a quiet story's).

        Their counts stay with their story, so links to it are unchanged.
        """
        for article in articles:
            self.lists.pop(article, None)

    def _count(self, story: str, article: str, change: int) -> None:
        counts = self.shared.setdefault(story, {})
        value = counts.get(article, 0) + change
        if value:
            counts[article] = value
        else:
            counts.pop(article, None)

    def to_dict(self) -> dict:
        """JSON-ready plain data (order of entries kept: it decides ties)."""
        return {
            "size": self.size,
            "lists": {a: [[n, s] for n, s in items.items()] for a, items in self.lists.items()},
            "shared": {story: dict(counts) for story, counts in self.shared.items()},
        }

    @classmethod
    def from_dict(cls, data: dict) -> NeighbourGraph:
        """The graph saved by `to_dict`."""
        graph = cls(int(data["size"]))
        graph.lists = {a: {n: float(s) for n, s in items} for a, items in data["lists"].items()}
        graph.shared = {
            story: {key: int(value) for key, value in counts.items()}
            for story, counts in data["shared"].items()
        }
        return graph

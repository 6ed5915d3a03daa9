"""Exact and near-duplicate groups: one wire story printed by five outlets is one text."""

from __future__ import annotations

from parallax.cluster.dedup import duplicate_groups, text_hash
from parallax.model import Article

WIRE = (
    "ST. PAUL, Minn. (AP) — A freight train carrying grain derailed early Wednesday near a "
    "small town in western Minnesota, spilling corn across a county road, officials said. "
    "No one was injured, and the crew of two walked away from the locomotive, the sheriff's "
    "office said in a statement. Eleven of the train's ninety cars left the track about a mile "
    "east of the town. Crews expected to clear the line by Thursday evening. The railroad said "
    "it was investigating the cause, and that a track inspection last month had found no defects."
)


def _article(i: int, text: str, outlet: str) -> Article:
    return Article(id=f"a{i}", source=f"a{i}.txt", text=text, outlet=outlet)


def test_wire_story_in_five_outlets_is_one_group() -> None:
    copies = [
        WIRE,
        "Grain train derails in Minnesota\n" + WIRE,
        WIRE.replace("Thursday evening", "Thursday night"),
        WIRE.rsplit(" The railroad", 1)[0],  # last sentence trimmed
        WIRE + "\nCopyright Associated Press.",
    ]
    other = (
        "The city council approved a new budget on Tuesday that raises spending on parks and "
        "libraries while cutting the road maintenance fund, after a long and heated debate that "
        "ran past midnight and ended with a seven to four vote in favour of the mayor's plan."
    )
    outlets = ["Star Tribune", "WCCO", "Duluth News", "KARE 11", "Pioneer Press"]
    articles = [_article(i, t, o) for i, (t, o) in enumerate(zip(copies, outlets, strict=True))]
    articles.append(_article(9, other, "City Paper"))
    groups = duplicate_groups(articles)
    assert len(groups) == 1
    assert groups[0].articles == ["a0", "a1", "a2", "a3", "a4"]
    assert groups[0].outlets == outlets
    assert not groups[0].exact


def test_exact_duplicates_differ_only_in_form() -> None:
    assert text_hash("Hello,  World!") == text_hash("hello world")
    articles = [_article(0, WIRE, "A"), _article(1, WIRE.upper(), "B"), _article(2, "Short.", "C")]
    (group,) = duplicate_groups(articles)
    assert group.exact and group.articles == ["a0", "a1"]

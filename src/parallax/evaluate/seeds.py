"""The seeds checklist: every point of ../shared/seeds/EXPECTED.md as data, each with its rule.

`parallax eval seeds` runs `compare` on the two seed articles and checks each item against the
dossier; tests/test_seeds_checklist.py turns each item into one test. Rules match words in the
mentions' exact text (case-insensitive; "a|b" means either), so an item passes only when the
dossier points at the sentences it came from. Articles are named by their file-name prefix
("000", "004").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from parallax.model import Claim, Dossier

SEED_FILES = ("000_61cd9b8843aca438.txt", "004_ddfa15935aa6d5c5.txt")

Needles = tuple[str, ...]


def default_root() -> Path:
    """../shared/seeds beside the repository (the source tree's parent of parents)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def _has(text: str, needles: Needles) -> bool:
    """True when every needle (each "a|b" meaning either) is in `text`, ignoring case."""
    low = " ".join(text.lower().replace("’", "'").split())
    return all(any(alt.lower() in low for alt in needle.split("|")) for needle in needles)


def _article(dossier: Dossier, prefix: str) -> str:
    for article in dossier.articles:
        if article.id.startswith(prefix):
            return article.id
    raise KeyError(prefix)


def _mentions_in(claim: Claim, article: str) -> list[str]:
    return [m.text for m in claim.mentions if m.article == article]


def _claims_with(dossier: Dossier, prefix: str, needles: Needles) -> list[Claim]:
    article = _article(dossier, prefix)
    return [c for c in dossier.claims if any(_has(t, needles) for t in _mentions_in(c, article))]


def _actor_names(dossier: Dossier, ids: list[str]) -> list[str]:
    names = {a.id: a.name for a in dossier.actors}
    return [names.get(i, i) for i in ids]


# --- rules: each takes the dossier and returns (passed, what was found) -----------------------

Rule = Callable[[Dossier], tuple[bool, str]]


def not_a_claim(prefix: str, needle: str) -> Rule:
    """No claim mention in the article overlaps the line that contains `needle`."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        article_id = _article(dossier, prefix)
        article = next(a for a in dossier.articles if a.id == article_id)
        text = article.text
        found = []
        start = text.find(needle)
        while start >= 0:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", start)
            line_end = len(text) if line_end < 0 else line_end
            for claim in dossier.claims:
                for m in claim.mentions:
                    if m.article == article_id and m.span[0] < line_end and m.span[1] > line_start:
                        found.append(f"{claim.id}: {m.text[:60]}")
            start = text.find(needle, start + 1)
        return not found, "; ".join(found) or "no claim"

    return rule


def repeated_headline_not_a_claim(prefix: str) -> Rule:
    """The headline line repeated in the body is not a claim (it is the title)."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        article_id = _article(dossier, prefix)
        article = next(a for a in dossier.articles if a.id == article_id)
        title = (article.title or "").strip()
        if not title:
            return False, "article has no title"
        hits = [
            c.id
            for c in dossier.claims
            for m in c.mentions
            if m.article == article_id and m.text.strip() == title
        ]
        return not hits, f"headline as claim: {hits}" if hits else "no claim"

    return rule


def same_claim(first: Needles, second: Needles) -> Rule:
    """One claim carries a mention from 000 matching `first` and one from 004 matching `second`."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        a, b = _article(dossier, "000"), _article(dossier, "004")
        for claim in _claims_with(dossier, "000", first):
            if any(_has(t, second) for t in _mentions_in(claim, b)):
                return True, f"{claim.id} ({claim.status})"
        left = [c.id for c in _claims_with(dossier, "000", first)]
        right = [c.id for c in _claims_with(dossier, "004", second)]
        return False, f"000 in {left or 'no claim'}, 004 in {right or 'no claim'} ({a}/{b})"

    return rule


def related_claims(first: Needles, second: Needles) -> Rule:
    """A claim of 000 (`first`) and one of 004 (`second`) linked by an `elaborates` relation."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        left = {c.id for c in _claims_with(dossier, "000", first)}
        right = {c.id for c in _claims_with(dossier, "004", second)}
        for relation in dossier.relations:
            pair = set(relation.claims)
            if relation.kind == "elaborates" and pair & left and pair & right:
                return True, f"{relation.id}: {' ~ '.join(relation.claims)}"
        return False, f"000 in {sorted(left)}, 004 in {sorted(right)}, no relation between them"

    return rule


def single_source(prefix: str, needles: Needles) -> Rule:
    """A claim matching `needles` is reported by the article `prefix` only."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        article = _article(dossier, prefix)
        for claim in _claims_with(dossier, prefix, needles):
            if {m.article for m in claim.mentions} == {article}:
                return True, f"{claim.id} ({claim.status})"
        return False, "no claim of that article alone"

    return rule


@dataclass(frozen=True)
class SideRule:
    """What one side of a conflict must show: holders (names, "a|b") and words of its text."""

    holders: Needles = ()
    text: Needles = ()


def conflict(kinds: tuple[str, ...], *sides: SideRule) -> Rule:
    """A conflict of one of `kinds` in which every SideRule is met by a distinct side."""

    def side_ok(side, names: list[str], expected: SideRule, dossier: Dossier) -> bool:
        joined = " ; ".join(names)
        claim_text = " ".join(
            m.text for c in dossier.claims if c.id in side.claims for m in c.mentions
        )
        return _has(joined, expected.holders) and (
            _has(side.text, expected.text) or _has(claim_text, expected.text)
        )

    def rule(dossier: Dossier) -> tuple[bool, str]:
        best = ""
        for item in dossier.conflicts:
            if item.kind not in kinds:
                continue
            named = [_actor_names(dossier, s.holders) for s in item.sides]
            used: set[int] = set()
            for expected in sides:
                match = next(
                    (
                        k
                        for k, s in enumerate(item.sides)
                        if k not in used and side_ok(s, named[k], expected, dossier)
                    ),
                    None,
                )
                if match is None:
                    break
                used.add(match)
            else:
                return True, f"{item.id} ({item.kind}): {item.about[:60]}"
            if len(used) > best.count("|"):
                best = f"{item.id} meets {len(used)}/{len(sides)} sides" + "|" * len(used)
        return False, best.rstrip("|") or "no such conflict"

    return rule


def source_cited(name: str, prefixes: tuple[str, ...]) -> Rule:
    """The cited-sources list names `name` for each article in `prefixes`."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        wanted = {_article(dossier, p) for p in prefixes}
        for source in dossier.sources_cited:
            if source.name.lower() == name.lower() and wanted <= set(source.articles):
                return True, f"{source.name}: {len(source.articles)} article(s)"
        names = [s.name for s in dossier.sources_cited]
        return False, f"sources: {names}"

    return rule


def descriptor(actor: str, prefix: str, phrase: str) -> Rule:
    """Actor `actor` is described as `phrase` by the article `prefix`."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        article = _article(dossier, prefix)
        for item in dossier.actors:
            if _has(item.name, (actor,)):
                phrases = item.descriptors.get(article, [])
                if any(_has(p, (phrase,)) for p in phrases):
                    return True, f"{item.name}: {phrases}"
        return False, "descriptor not found"

    return rule


def hedge(prefix: str, phrase: str, claim_needles: Needles) -> Rule:
    """The article's hedge `phrase` is listed and linked to a claim matching `claim_needles`."""

    def rule(dossier: Dossier) -> tuple[bool, str]:
        article = _article(dossier, prefix)
        targets = {c.id for c in _claims_with(dossier, prefix, claim_needles)}
        for item in dossier.hedges:
            if item.article == article and _has(item.text, (phrase,)):
                ok = item.applies_to in targets
                return ok, f"on {item.applies_to} (expected one of {sorted(targets)})"
        return False, "hedge not found"

    return rule


@dataclass(frozen=True)
class SeedItem:
    """One point of EXPECTED.md: its section, what a journalist expects, and the rule."""

    id: str
    section: str
    expected: str
    rule: Rule


S = SideRule
BOILERPLATE = "Boilerplate that is not news"
CORROBORATED = "Corroborated by both outlets"
CONTESTED = "Contested: who holds which side"
SINGLE = "Reported by one outlet only"
FRAMING = "Framing"
SOURCES = "Sources cited"

CHECKLIST: tuple[SeedItem, ...] = (
    SeedItem(
        "bp-breadcrumb",
        BOILERPLATE,
        "breadcrumb 'Home Europe …' is not a claim",
        not_a_claim("000", "Home Europe"),
    ),
    SeedItem(
        "bp-headline",
        BOILERPLATE,
        "the repeated headline line is not a claim",
        repeated_headline_not_a_claim("000"),
    ),
    SeedItem(
        "bp-whatsapp",
        BOILERPLATE,
        "'Nitin A Gokhale WhatsApp Channel' is not a claim",
        not_a_claim("000", "WhatsApp Channel"),
    ),
    SeedItem(
        "bp-credit",
        BOILERPLATE,
        "'With inputs from AP' is no claim but provenance (AP)",
        lambda d: _both(
            not_a_claim("000", "With inputs from AP")(d), source_cited("AP", ("000",))(d)
        ),
    ),
    SeedItem(
        "bp-oops",
        BOILERPLATE,
        "the 'Oops! Something went wrong' widget lines",
        lambda d: _both(
            not_a_claim("004", "Oops!")(d), not_a_claim("004", "Something went wrong")(d)
        ),
    ),
    SeedItem(
        "bp-caption",
        BOILERPLATE,
        "the photo caption with its credit '- Pavel Bednyakov'",
        not_a_claim("004", "Pavel Bednyakov"),
    ),
    SeedItem(
        "bp-pitch",
        BOILERPLATE,
        "the closing pitch 'Broaden your horizons … Try The Telegraph free'",
        not_a_claim("004", "Broaden your horizons"),
    ),
    SeedItem(
        "co-belarus",
        CORROBORATED,
        "Lukashenko: the attackers first tried to flee to Belarus (000's typo 'free' included)",
        same_claim(("tried to free to belarus",), ("tried to flee to belarus",)),
    ),
    SeedItem(
        "co-turned",
        CORROBORATED,
        "they turned toward the Ukrainian-Russian border because "
        "they could not enter Belarus: the 'That's why they …' quote, two translations",
        same_claim(("that's why they", "turned away"), ("that's why they turned around",)),
    ),
    SeedItem(
        "co-putin-ukraine",
        CORROBORATED,
        "Putin claimed the attackers were heading to Ukraine / a link to Ukraine",
        lambda d: _either(
            same_claim(("putin", "window"), ("into ukraine|orchestrated by ukraine",))(d),
            same_claim(("linked the attack to ukraine",), ("into ukraine|by ukraine",))(d),
        ),
    ),
    SeedItem(
        "co-ukraine-denies",
        CORROBORATED,
        "Ukraine denies it",
        same_claim(("ukrainian government has denied",), ("ukraine has rejected allegations",)),
    ),
    SeedItem(
        "co-islamists",
        CORROBORATED,
        "Putin acknowledged the attackers were radical Islamists / Islamist radicals",
        same_claim(("acknowledged", "radical islamists"), ("islamist radicals",)),
    ),
    SeedItem(
        "co-bortnikov",
        CORROBORATED,
        "Bortnikov (FSB head) alleged Western and Ukrainian involvement",
        same_claim(
            ("bortnikov|western", "western|allegations"), ("bortnikov", "ukraine were all linked")
        ),
    ),
    SeedItem(
        "co-is-claim",
        CORROBORATED,
        "an Islamic State affiliate claimed responsibility",
        same_claim(("is affiliate claimed",), ("islamic state", "claimed responsibility")),
    ),
    SeedItem(
        "co-139",
        CORROBORATED,
        "at least 139 killed at Crocus City Hall",
        same_claim(("killed 139",), ("at least 139",)),
    ),
    SeedItem(
        "co-two-decades",
        CORROBORATED,
        "deadliest / worst attack in Russia in two decades (two decades = 20 years)",
        same_claim(("deadliest", "two decades"), ("worst", "20 years")),
    ),
    SeedItem(
        "co-belta",
        CORROBORATED,
        "Lukashenko's words came through BelTA (both outlets)",
        source_cited("BelTA", ("000", "004")),
    ),
    SeedItem(
        "co-border",
        CORROBORATED,
        "Belarus and Russia coordinated on the border: related, each adds detail",
        related_claims(("coordinated",), ("closed the border",)),
    ),
    SeedItem(
        "x-heading",
        CONTESTED,
        "where the attackers were heading: Putin / Kremlin "
        "(Ukraine) against Lukashenko (Belarus first)",
        conflict(
            ("factual",),
            S(holders=("putin|kremlin",), text=("ukraine",)),
            S(holders=("lukashenko",), text=("belarus",)),
        ),
    ),
    SeedItem(
        "x-who",
        CONTESTED,
        "who is behind the attack: IS, US intelligence, US and France "
        "against Bortnikov, Patrushev, Putin; Ukraine denies; Bloomberg's sources",
        conflict(
            ("factual", "stance"),
            S(holders=("islamic state", "intelligence", "united states", "france")),
            S(holders=("bortnikov", "patrushev", "putin")),
            S(holders=("ukraine|kyiv", "bloomberg")),
        ),
    ),
    SeedItem(
        "x-islomov",
        CONTESTED,
        "the Islomov brothers are charged with terrorism; Dilovar Islomov says they are innocent",
        conflict(
            ("stance",),
            S(text=("charged with terrorism",)),
            S(holders=("dilovar islomov",), text=("innocent",)),
        ),
    ),
    SeedItem(
        "x-kasimov",
        CONTESTED,
        "Alisher Kasimov is accused of renting a flat to the attackers; he says he did not know",
        conflict(
            ("stance",),
            S(text=("renting a flat",)),
            S(holders=("kasimov",), text=("did not know",)),
        ),
    ),
    SeedItem(
        "s-hospital",
        SINGLE,
        "000 only: about 90 hospitalised, 22 in grave condition",
        single_source("000", ("about 90", "22")),
    ),
    SeedItem(
        "s-us-tip",
        SINGLE,
        "000 only: Bortnikov acknowledged receiving a US tip",
        single_source("000", ("us tip",)),
    ),
    SeedItem(
        "s-sleep",
        SINGLE,
        "000 only: 'Putin and I didn't sleep for a day'",
        single_source("000", ("didn't sleep for a day",)),
    ),
    SeedItem(
        "s-bloomberg",
        SINGLE,
        "004 only: the Bloomberg report",
        single_source("004", ("bloomberg",)),
    ),
    SeedItem(
        "s-patrushev",
        SINGLE,
        "004 only: Patrushev's remark",
        single_source("004", ("patrushev", "of course ukraine")),
    ),
    SeedItem(
        "s-eighth",
        SINGLE,
        "004 only: the eighth arrest (Alisher Kasimov)",
        single_source("004", ("eighth",)),
    ),
    SeedItem(
        "s-may22",
        SINGLE,
        "004 only: detention until at least May 22",
        single_source("004", ("until at least may 22",)),
    ),
    SeedItem(
        "s-names",
        SINGLE,
        "004 only: the four suspects' names and ages",
        single_source("004", ("mirzoyev", "32")),
    ),
    SeedItem(
        "s-torture",
        SINGLE,
        "004 only: signs of torture and the videos",
        lambda d: _both(
            single_source("004", ("signs of beatings and torture",))(d),
            single_source("004", ("another video",))(d),
        ),
    ),
    SeedItem(
        "s-islomov-arrests",
        SINGLE,
        "004 only: the three Islomov family arrests and Bastrykin's statement",
        lambda d: _both(
            single_source("004", ("three other men",))(d), single_source("004", ("bastrykin",))(d)
        ),
    ),
    SeedItem(
        "s-turkey",
        SINGLE,
        "004 only: two suspects travelled between Russia and Turkey",
        single_source("004", ("between russia and turkey",)),
    ),
    SeedItem(
        "s-border-policed",
        SINGLE,
        "004 only: the loosely policed Russian-Belarusian border",
        single_source("004", ("loosely policed",)),
    ),
    SeedItem(
        "f-luka-000",
        FRAMING,
        "Lukashenko in 000: 'Putin Ally', 'Belarus President', 'a close ally of Putin'",
        lambda d: _all(
            descriptor("lukashenko", "000", p)(d)
            for p in ("putin ally", "belarus president", "a close ally of putin")
        ),
    ),
    SeedItem(
        "f-luka-004",
        FRAMING,
        "Lukashenko in 004: 'The Belarusian dictator'",
        descriptor("lukashenko", "004", "the belarusian dictator"),
    ),
    SeedItem(
        "f-hedge-000",
        FRAMING,
        "000: 'without offering any evidence', 'without giving "
        "details' on the Russian officials' claims",
        lambda d: _both(
            hedge("000", "without offering any evidence", ("bortnikov",))(d),
            hedge("000", "without giving details", ("bortnikov",))(d),
        ),
    ),
    SeedItem(
        "f-hedge-004",
        FRAMING,
        "004: 'unproven claim', 'has rejected allegations'",
        lambda d: _both(
            hedge("004", "unproven claim", ("putin|president",))(d),
            hedge("004", "rejected allegations", ("ukraine",))(d),
        ),
    ),
    SeedItem(
        "src-000",
        SOURCES,
        "000 cites BelTA and AP",
        lambda d: _both(source_cited("BelTA", ("000",))(d), source_cited("AP", ("000",))(d)),
    ),
    SeedItem(
        "src-004",
        SOURCES,
        "004 cites Bloomberg News, Meduza, Novaya Gazeta Europe, AFP, Belarus media",
        lambda d: _all(
            source_cited(n, ("004",))(d)
            for n in ("Bloomberg News", "Meduza", "Novaya Gazeta Europe", "AFP", "Belarus media")
        ),
    ),
)


def _both(a: tuple[bool, str], b: tuple[bool, str]) -> tuple[bool, str]:
    return a[0] and b[0], f"{a[1]} | {b[1]}"


def _either(a: tuple[bool, str], b: tuple[bool, str]) -> tuple[bool, str]:
    return a[0] or b[0], a[1] if a[0] else b[1]


def _all(results) -> tuple[bool, str]:
    results = list(results)
    return all(r[0] for r in results), " | ".join(r[1] for r in results)


@dataclass(frozen=True)
class ItemResult:
    item: SeedItem
    passed: bool
    found: str


def check(dossier: Dossier) -> list[ItemResult]:
    """Every checklist item checked against a dossier of the two seed articles."""
    results = []
    for item in CHECKLIST:
        try:
            passed, found = item.rule(dossier)
        except KeyError as missing:
            passed, found = False, f"seed article {missing} not in the dossier"
        results.append(ItemResult(item, passed, found))
    return results


def seed_dossier(root: Path) -> Dossier:
    """The dossier `parallax compare` makes of the two seed articles under `root`."""
    from parallax.analyze import analyze_articles
    from parallax.compare.dossier import build_dossier
    from parallax.errors import InputError
    from parallax.ingest.sources import read_inputs

    articles = [a for a in read_inputs([str(root / name) for name in SEED_FILES])]
    bad = [a for a in articles if isinstance(a, InputError)]
    if bad:
        raise FileNotFoundError(f"{bad[0].source}: {bad[0].reason}")
    return build_dossier(analyze_articles(articles))


def report_lines(results: list[ItemResult]) -> list[str]:
    """One line per item, `PASS`/`FAIL`, its id, what is expected and what was found."""
    lines = []
    for r in results:
        mark = "PASS" if r.passed else "FAIL"
        lines.append(f"{mark}  {r.item.id:<18} {r.item.expected}\n      -> {r.found}")
    passed = sum(r.passed for r in results)
    lines.append(f"{passed}/{len(results)} items pass")
    return lines

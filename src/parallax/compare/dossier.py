"""The dossier of one story: analyzed articles in, a `Dossier` out.

Claims are aligned across articles (align.py) and given a status: corroborated when two or
more outlets carry them, single_source otherwise, contested when a conflict (conflicts.py)
touches them.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from parallax.compare.align import (
    align_claims,
    embedding_text,
    find_elaborations,
    nearest_pairs,
    quote_extensions,
    with_close_reading,
)
from parallax.compare.conflicts import (
    find_accusation_conflicts,
    find_factual_conflicts,
    find_numeric_conflicts,
    find_positions,
    find_stance_conflicts,
    positions_needing_vectors,
    side_text,
    without_negation,
)
from parallax.embed import DIMENSIONS, load_embedder, load_static_embedder
from parallax.model import (
    Actor,
    AnalyzedArticle,
    Claim,
    ClaimRelation,
    ClaimUnit,
    Conflict,
    ConflictSide,
    Dossier,
    DossierArticle,
    DossierAttribution,
    DossierHedge,
    Entity,
    Mention,
    SourceCitation,
    TimelineEntry,
)
from parallax.nlp.actors import merge_actor_names
from parallax.settings import get_settings

ACTOR_LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "NORP": "group"}
# Words title case leaves in lower case; they say nothing about a headline.
_MINOR_WORDS = frozenset("a an and as at by for from in into of on or over the to with vs".split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Ministries' portfolios: NER takes "Interior" of "Interior Minister Dana Orlov" for a body.
PORTFOLIOS = frozenset(
    "agriculture culture defence defense economy education energy environment finance foreign "
    "health home interior justice labor labour trade transport treasury".split()
)
_TITLE_AFTER = re.compile(r"\s+(?:Minister|Secretary)\b")


def in_headline_line(text: str, start: int) -> bool:
    """Does the character at `start` lie on a headline-style line: no closing full stop, question
    or exclamation mark, and at least three quarters of its words (short function words left
    out) capitalised? Title case makes NER read verbs as names ("Minister Blames Sabotage");
    body lines that merely start with a name are not headline-style."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    if not line or line.endswith((".", "!", "?", ".”", '."', "?”", "!”")):
        return False
    words = [w for w in _WORD.findall(line) if w.lower() not in _MINOR_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def is_title_portfolio(entity: Entity, text: str) -> bool:
    """Is this one-word mention a ministry's portfolio heading a title ("Interior" in
    "Interior Minister Dana Orlov")? Other words before "Minister" are left alone."""
    return entity.text.strip().lower() in PORTFOLIOS and bool(_TITLE_AFTER.match(text, entity.end))


def outlet_keys(analyzed: Sequence[AnalyzedArticle]) -> set[str]:
    """Lower-case, hyphen-joined names of the story's outlets and article ids ("meridian-wire"):
    an actor bearing one of them is a news organisation, whatever NER labelled it."""
    names = [item.article.outlet or "" for item in analyzed] + [i.article.id for i in analyzed]
    return {key for key in map(name_key, names) if key}


def kind_of_speaker(name: str) -> str:
    """The type of an actor known only as a speaker: "group" when its last word is a plural
    common noun ("hospital officials", "Bloomberg's sources"), else "person"."""
    words = name.split()
    last = words[-1] if words else ""
    plural = last.islower() and last.endswith("s") and not last.endswith(("ss", "us", "is"))
    return "group" if plural else "person"


def name_key(name: str) -> str:
    """A name in lower case with every run of other characters turned into one hyphen."""
    return re.sub(r"[^0-9a-z]+", "-", name.lower()).strip("-")


def story_id(analyzed: Sequence[AnalyzedArticle]) -> str:
    """A stable id for a set of articles: a hash of their ids."""
    joined = "\n".join(sorted(a.article.id for a in analyzed))
    return "s" + hashlib.sha1(joined.encode("utf-8")).hexdigest()[:10]


def _outlet_key(analyzed: AnalyzedArticle) -> str:
    return analyzed.article.outlet or analyzed.article.id


def build_actors(
    analyzed: Sequence[AnalyzedArticle],
) -> tuple[list[Actor], dict[str, str], dict[str, str]]:
    """Actors of the story, a map from every surface name to its actor id, and one to its name.

    Names come from named entities (people, organisations, places, groups) and resolved
    speakers; aliases are merged by `merge_actor_names` across all articles. Mentions on
    headline-style lines and ministries' portfolios in titles make no actor; an actor named
    like one of the story's outlets is an organisation.
    """
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for item in analyzed:
        text = item.article.text
        for entity in item.entities:
            if (
                entity.label in ACTOR_LABELS
                and not in_headline_line(text, entity.start)
                and not is_title_portfolio(entity, text)
            ):
                labels[entity.text.strip()][entity.label] += 1
        for attribution in item.attributions:
            if attribution.speaker and attribution.speaker.name:
                labels[attribution.speaker.name][""] += 1
    names = set(labels) | {
        e.text.strip() for item in analyzed for e in item.entities if e.label in ("NAME", "ACRONYM")
    }
    canonical = merge_actor_names(sorted(names))
    outlets = outlet_keys(analyzed)
    grouped: dict[str, set[str]] = defaultdict(set)
    for surface, name in canonical.items():
        if surface in labels or name in labels:
            grouped[name].add(surface)

    actors: list[Actor] = []
    surface_to_id: dict[str, str] = {}
    for index, name in enumerate(sorted(grouped), start=1):
        counts: Counter[str] = Counter()
        # In sorted order: a tie between labels goes to the first counted, the same in every
        # process (a set's order follows string hashing, which differs between processes).
        for surface in sorted(grouped[name]):
            counts.update({k: v for k, v in labels.get(surface, Counter()).items() if k})
        kind = (
            ACTOR_LABELS.get(counts.most_common(1)[0][0], "other")
            if counts
            else kind_of_speaker(name)
        )
        if name_key(name) in outlets:
            kind = "organization"
        actor_id = f"actor{index}"
        actors.append(
            Actor(id=actor_id, name=name, type=kind, aliases=sorted(grouped[name] - {name}))
        )
        for surface in grouped[name]:
            surface_to_id[surface] = actor_id
    by_id = {a.id: a for a in actors}
    for item in analyzed:
        for descriptor in item.descriptors:
            actor_id = surface_to_id.get(descriptor.actor) or surface_to_id.get(
                canonical.get(descriptor.actor, "")
            )
            if actor_id is None:
                continue
            phrases = by_id[actor_id].descriptors.setdefault(item.article.id, [])
            if descriptor.text not in phrases:
                phrases.append(descriptor.text)
    return actors, surface_to_id, canonical


def _is_headline(unit: ClaimUnit, item: AnalyzedArticle) -> bool:
    """True for the headline line in the body: it is the article's title, not a claim."""
    title = " ".join((item.article.title or "").split())
    text = " ".join(unit.text.split())
    # A headline carries no closing full stop; a one-sentence text titled by itself is news.
    return bool(title) and text == title and not text.endswith((".", "!", "?", ".”", '."'))


def ordered_first(groups: list[list[int]], index: int) -> int:
    """The first unit of group `index` (groups are named by their units)."""
    return groups[index][0]


def _mention(
    analyzed_by_id: dict[str, AnalyzedArticle], units: list[ClaimUnit], members: list[int]
) -> Mention:
    """One article's rendering of a claim: one unit, or neighbouring units of one quote."""
    start = min(units[i].start for i in members)
    end = max(units[i].end for i in members)
    text = analyzed_by_id[units[members[0]].article].article.text[start:end]
    return Mention(article=units[members[0]].article, span=(start, end), text=text)


def _medoid(group: list[int], vectors: np.ndarray) -> int:
    """The member most similar on average to the others: the group's best single wording."""
    if len(group) <= 2:
        return group[0]
    block = vectors[group] @ vectors[group].T
    return group[int(np.argmax(block.sum(axis=1)))]


def units_needing_vectors(units: Sequence[ClaimUnit]) -> list[int]:
    """The claim units whose embeddings the comparison reads.

    Alignment, elaborations, numeric conflicts and quote extensions only ever compare units of
    different articles, so with one article only the destination facts (compared with each
    other inside an article) need a vector; the embedding is most of the comparison's time.
    """
    if len({u.article for u in units}) > 1:
        return list(range(len(units)))
    return [i for i, u in enumerate(units) if any(f.slot == "destination" for f in u.facts)]


def units_reading_alike(
    units: Sequence[ClaimUnit], texts: Sequence[str], needed: list[int], static_embed, cosine: float
) -> list[int]:
    """Of the `needed` units, those the comparison can use a transformer vector for.

    A unit whose static vector (`static_embed`) is below `cosine` with every unit of another
    article is left out: its claim stays its outlet's own. Destination facts are compared
    inside an article too, so their units are always kept.
    """
    close = with_close_reading(
        static_embed([texts[i] for i in needed]), [units[i].article for i in needed], cosine
    )
    return [
        i
        for i, keep in zip(needed, close, strict=True)
        if keep or any(f.slot == "destination" for f in units[i].facts)
    ]


def unit_vectors(
    units: Sequence[ClaimUnit],
    texts: Sequence[str],
    embed,
    static_embed=None,
    prefilter_cosine: float | None = None,
) -> np.ndarray:
    """Unit vectors of the units that need one (`units_needing_vectors`); zero rows elsewhere.

    With `static_embed` and `prefilter_cosine`, units of several articles are first screened
    with static vectors (`units_reading_alike`) and only those left are embedded.
    """
    vectors = np.zeros((len(units), DIMENSIONS), dtype=np.float32)
    needed = units_needing_vectors(units)
    several = len({u.article for u in units}) > 1
    if needed and several and static_embed is not None and prefilter_cosine is not None:
        needed = units_reading_alike(units, texts, needed, static_embed, prefilter_cosine)
    if needed:
        vectors[needed] = embed([texts[i] for i in needed])
    return vectors


def build_dossier(
    analyzed: Sequence[AnalyzedArticle],
    story: str | None = None,
    timings: dict[str, float] | None = None,
) -> Dossier:
    """The dossier of one story from its analyzed articles.

    `timings`, when given, receives the seconds spent per stage (actors, embed, align,
    relations, conflicts, rest) for benchmarks.
    """
    clock = _Clock(timings)
    analyzed = list(analyzed)
    articles = [
        DossierArticle(
            id=a.article.id,
            source=a.article.source,
            outlet=a.article.outlet,
            title=a.article.title,
            published=a.article.published,
            authors=a.article.authors,
            boilerplate=a.article.boilerplate,
            text=a.article.text,
        )
        for a in analyzed
    ]
    outlet_of = {a.article.id: _outlet_key(a) for a in analyzed}
    analyzed_by_id = {a.article.id: a for a in analyzed}
    actors, actor_of, canonical = build_actors(analyzed)
    clock.lap("actors")

    units = [u for a in analyzed for u in a.claims if not _is_headline(u, a)]
    embedder = load_embedder()
    prefilter = get_settings().prefilter_cosine
    vectors = unit_vectors(
        units,
        [embedding_text(u, canonical) for u in units],
        embedder.embed,
        load_static_embedder().embed if prefilter is not None else None,
        prefilter,
    )
    clock.lap("embed")
    pairs = nearest_pairs(vectors, [u.article for u in units]) if units else set()
    groups = align_claims(units, vectors, canonical=canonical, pairs=pairs) if units else []
    # A record nested in a sentence is worth a claim of its own only when another outlet
    # states it too; alone it repeats its sentence.
    groups = [g for g in groups if not (len(g) == 1 and units[g[0]].nested)]
    extensions = quote_extensions(units, groups, vectors, embedder.embed) if units else {}
    absorbed = {n for ns in extensions.values() for n in ns}
    groups = [g for g in groups if not (len(g) == 1 and g[0] in absorbed)]
    claim_of_unit: dict[int, str] = {}
    ordered = sorted(groups, key=lambda g: (-len({outlet_of[units[i].article] for i in g}), g[0]))
    claims: list[Claim] = []
    for number, group in enumerate(ordered, start=1):
        claim_id = f"c{number}"
        for i in group:
            claim_of_unit[i] = claim_id
            for n in extensions.get(i, []):
                claim_of_unit[n] = claim_id
        speakers = Counter(units[i].speaker for i in group if units[i].speaker)
        speaker_name = speakers.most_common(1)[0][0] if speakers else None
        outlets = {outlet_of[units[i].article] for i in group}
        claims.append(
            Claim(
                id=claim_id,
                text=units[_medoid(group, vectors)].text,
                speaker=actor_of.get(speaker_name) if speaker_name else None,
                status="corroborated" if len(outlets) > 1 else "single_source",
                mentions=[
                    _mention(analyzed_by_id, units, [i, *extensions.get(i, [])]) for i in group
                ],
            )
        )
    clock.lap("align")
    located = _UnitIndex(units)
    for index, unit in enumerate(units):
        if index not in claim_of_unit:  # a nested record alone: it belongs to its sentence
            parent = located.at(unit.article, unit.start, unit.end)
            if parent is not None and parent in claim_of_unit:
                claim_of_unit[index] = claim_of_unit[parent]
    relations = [
        ClaimRelation(
            id=f"r{number}",
            kind="elaborates",
            claims=[
                claim_of_unit[ordered_first(groups, e.first)],
                claim_of_unit[ordered_first(groups, e.second)],
            ],
            note=e.note,
            score=round(e.score, 3),
        )
        for number, e in enumerate(
            find_elaborations(units, vectors, groups, canonical, pairs) if units else [], start=1
        )
    ]

    clock.lap("relations")
    conflicts = (
        _numeric_conflicts(units, vectors, claim_of_unit, actor_of, pairs)
        + _factual_conflicts(units, vectors, claim_of_unit, actor_of, canonical)
        + _stance_conflicts(analyzed, located, claim_of_unit, actor_of, canonical)
        + _accusation_conflicts(units, claim_of_unit, actor_of, canonical)
    )
    for number, conflict in enumerate(conflicts, start=1):
        conflict.id = f"x{number}"
    contested = {c for conflict in conflicts for side in conflict.sides for c in side.claims}
    for claim in claims:
        if claim.id in contested:
            claim.status = "contested"

    clock.lap("conflicts")
    dossier = Dossier(
        story=story or story_id(analyzed),
        articles=articles,
        actors=actors,
        attributions=_attributions(analyzed, actor_of),
        claims=claims,
        conflicts=conflicts,
        relations=relations,
        hedges=_hedges(analyzed, located, claim_of_unit),
        sources_cited=_sources(analyzed),
        timeline=_timeline(analyzed, units, claim_of_unit),
    )
    clock.lap("rest")
    return dossier


def _numeric_conflicts(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    claim_of_unit: dict[int, str],
    actor_of: dict[str, str],
    pairs: set[tuple[int, int]],
) -> list[Conflict]:
    # One conflict per (unit noun, pair of claims), with one side per distinct value.
    merged: dict[tuple[str, frozenset[str]], dict[str, ConflictSide]] = {}
    group_of = {i: claim for i, claim in claim_of_unit.items()}
    for found in find_numeric_conflicts(units, vectors, group_of, pairs):
        first, second = found.first, found.second
        key = (
            found.first_quantity.unit or "",
            frozenset({claim_of_unit[first], claim_of_unit[second]}),
        )
        sides = merged.setdefault(key, {})
        for index, quantity in ((first, found.first_quantity), (second, found.second_quantity)):
            unit = units[index]
            side = sides.setdefault(quantity.text, ConflictSide(text=quantity.text))
            _add(side.articles, unit.article)
            _add(side.claims, claim_of_unit[index])
            holder = actor_of.get(unit.speaker) if unit.speaker else None
            if holder:
                _add(side.holders, holder)
    conflicts = []
    for (unit_noun, _), sides in merged.items():
        values = " vs ".join(sides)
        conflicts.append(
            Conflict(
                id="",
                kind="numeric",
                about=f"number of {unit_noun}: {values}" if unit_noun else values,
                sides=list(sides.values()),
            )
        )
    return conflicts


def _actor_id(name: str, actor_of: dict[str, str], canonical: dict[str, str]) -> str | None:
    return actor_of.get(name) or actor_of.get(canonical.get(name, ""))


def _factual_conflicts(
    units: list[ClaimUnit],
    vectors: np.ndarray,
    claim_of_unit: dict[int, str],
    actor_of: dict[str, str],
    canonical: dict[str, str],
) -> list[Conflict]:
    conflicts = []
    for found in find_factual_conflicts(units, vectors, canonical):
        sides = []
        for fact_side in found.sides:
            side = ConflictSide(text=side_text(found.slot, fact_side))
            for holder in fact_side.holders:
                actor = _actor_id(holder, actor_of, canonical)
                if actor:
                    _add(side.holders, actor)
            for index in fact_side.units:
                _add(side.articles, units[index].article)
                if index in claim_of_unit:
                    _add(side.claims, claim_of_unit[index])
            sides.append(side)
        conflicts.append(Conflict(id="", kind="factual", about=found.about, sides=sides))
    return conflicts


def _accusation_conflicts(
    units: list[ClaimUnit],
    claim_of_unit: dict[int, str],
    actor_of: dict[str, str],
    canonical: dict[str, str],
) -> list[Conflict]:
    conflicts = []
    for found in find_accusation_conflicts(units):
        accusation = units[found.accusation]
        accuser = ConflictSide(text=f"accuses: {accusation.text}", articles=[accusation.article])
        if accusation.speaker:
            actor = _actor_id(accusation.speaker, actor_of, canonical)
            if actor:
                accuser.holders.append(actor)
        if found.accusation in claim_of_unit:
            accuser.claims.append(claim_of_unit[found.accusation])
        denier = ConflictSide(
            text=f"denies: {units[found.denials[0]].text}", articles=[accusation.article]
        )
        for index in found.denials:
            actor = _actor_id(units[index].speaker or "", actor_of, canonical)
            if actor:
                _add(denier.holders, actor)
            if index in claim_of_unit:
                _add(denier.claims, claim_of_unit[index])
        about = f"accusation against {', '.join(found.accused)}"
        conflicts.append(Conflict(id="", kind="stance", about=about, sides=[accuser, denier]))
    return conflicts


def _add(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


def _stance_conflicts(
    analyzed: Sequence[AnalyzedArticle],
    located: _UnitIndex,
    claim_of_unit: dict[int, str],
    actor_of: dict[str, str],
    canonical: dict[str, str],
) -> list[Conflict]:
    attributions = [a for item in analyzed for a in item.attributions]
    positions = find_positions(attributions, canonical)
    # Only a denial opens a stance conflict: without one, nothing needs embedding.
    if not any(p.polarity < 0 for p in positions):
        return []
    # Positions no rule could link are decided without a vector (positions_needing_vectors).
    vectors = np.zeros((len(positions), DIMENSIONS), dtype=np.float32)
    needed = positions_needing_vectors(positions)
    if needed:
        vectors[needed] = load_embedder().embed(
            [without_negation(positions[i].proposition) for i in needed]
        )
    conflicts = []
    for found in find_stance_conflicts(positions, vectors):
        sides = []
        for label, group in (("supports", found.supporting), ("disputes", found.opposing)):
            own = [p for p in group if p.antecedent is None]
            # a terse denial reads in its own words ("denied the accusations")
            words = (
                own[0].proposition
                if own
                else f"{group[0].attribution.cue.text} {group[0].attribution.content.text}"
            )
            side = ConflictSide(text=f"{label}: {words}")
            for position in group:
                attribution = position.attribution
                _add(side.articles, attribution.doc)
                holder = actor_of.get(position.holder) or actor_of.get(
                    attribution.speaker.name if attribution.speaker else ""
                )
                if holder:
                    _add(side.holders, holder)
                index = located.at(
                    attribution.doc, attribution.content.start, attribution.content.end
                )
                if index is None:
                    index = located.at(attribution.doc, attribution.cue.start, attribution.cue.end)
                if index is not None:
                    _add(side.claims, claim_of_unit[index])
            sides.append(side)
        conflicts.append(Conflict(id="", kind="stance", about=found.about, sides=sides))
    return conflicts


def _attributions(
    analyzed: Sequence[AnalyzedArticle], actor_of: dict[str, str]
) -> list[DossierAttribution]:
    out = []
    for item in analyzed:
        for a in item.attributions:
            name = a.speaker.name if a.speaker else None
            out.append(
                DossierAttribution(
                    id=a.id,
                    article=item.article.id,
                    speaker=actor_of.get(name) if name else None,
                    speaker_text=a.speaker.text if a.speaker else None,
                    cue=a.cue.text,
                    kind=a.kind,
                    stance=a.stance,
                    content=a.content.text,
                    span=(a.content.start, a.content.end),
                )
            )
    return out


class _UnitIndex:
    """Claim units by article, to find the one under a span without scanning them all."""

    def __init__(self, units: list[ClaimUnit]) -> None:
        self.units = units
        self.by_article: dict[str, list[int]] = defaultdict(list)
        for index, unit in enumerate(units):
            if not unit.nested:
                self.by_article[unit.article].append(index)

    def at(self, article: str, start: int, end: int) -> int | None:
        """The (non-nested) claim unit of `article` that overlaps [start, end) the most."""
        best, best_overlap = None, 0
        for index in self.by_article.get(article, []):
            unit = self.units[index]
            overlap = min(end, unit.end) - max(start, unit.start)
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        return best


class _Clock:
    """Seconds per stage, written into `timings` when one is given."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _hedges(
    analyzed: Sequence[AnalyzedArticle], located: _UnitIndex, claim_of_unit: dict[int, str]
) -> list[DossierHedge]:
    out = []
    for item in analyzed:
        for hedge in item.hedges:
            index = located.at(item.article.id, hedge.start, hedge.end)
            out.append(
                DossierHedge(
                    article=item.article.id,
                    span=(hedge.start, hedge.end),
                    text=hedge.text,
                    applies_to=claim_of_unit.get(index) if index is not None else None,
                )
            )
    return out


def _sources(analyzed: Sequence[AnalyzedArticle]) -> list[SourceCitation]:
    by_name: dict[str, SourceCitation] = {}
    for item in analyzed:
        for cited in item.sources_cited:
            entry = by_name.setdefault(cited.name, SourceCitation(name=cited.name, articles=[]))
            if item.article.id not in entry.articles:
                entry.articles.append(item.article.id)
            entry.spans.append(
                Mention(article=item.article.id, span=(cited.start, cited.end), text=cited.text)
            )
    return sorted(by_name.values(), key=lambda s: (-len(s.articles), s.name.lower()))


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _timeline(
    analyzed: Sequence[AnalyzedArticle], units: list[ClaimUnit], claim_of_unit: dict[int, str]
) -> list[TimelineEntry]:
    """Claims that carry a day or a date, grouped by the date as written.

    Relative days ("on Tuesday") are kept as written: without a reliable publication date
    they are not turned into calendar dates.
    """
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for index, unit in enumerate(units):
        for entity in unit.entities:
            if entity.label != "DATE":
                continue
            words = entity.text.lower()
            if not any(w in words for w in _WEEKDAYS + _MONTHS):
                continue
            claim = claim_of_unit.get(index)
            if claim is None:
                continue
            entry = entries.setdefault(
                (entity.text, claim),
                TimelineEntry(date=entity.text, text=unit.text, articles=[], claims=[claim]),
            )
            if unit.article not in entry.articles:
                entry.articles.append(unit.article)
    return list(entries.values())

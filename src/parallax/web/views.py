"""Pure functions that turn a stored story, article or actor into what a page shows.

Nothing here does I/O or produces markup: text stays text (the templates escape it), and
highlighting is a list of segments with the labels that cover each one.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from parallax.model import AnalyzedArticle, Dossier, DossierArticle

STATUS_ORDER = {"contested": 0, "corroborated": 1, "single_source": 2}
# Characters of text shown around a mention on the story page when no sentence is found.
CONTEXT_CHARS = 220
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+|\n\s*\n|\n")


def outlet_label(article: DossierArticle) -> str:
    """The column an article falls in: its outlet, else its own id (no outlet is guessed)."""
    return article.outlet or article.id


@dataclass
class Evidence:
    """One mention of a claim with the text around it: before + mark + after."""

    article: str
    outlet: str
    title: str | None
    start: int
    end: int
    before: str
    mark: str
    after: str


@dataclass
class ClaimRow:
    id: str
    text: str
    status: str
    speaker: str | None
    speaker_id: str | None
    cells: dict[str, int]  # outlet -> number of its mentions
    evidence: list[Evidence]


@dataclass
class ConflictSideView:
    text: str
    holders: list[tuple[str | None, str]]  # (actor id, name)
    outlets: list[str]
    claims: list[str]


@dataclass
class ConflictView:
    id: str
    kind: str
    about: str
    sides: list[ConflictSideView]


@dataclass
class StoryView:
    """Everything the dossier page shows, computed once per dossier version."""

    story: str
    title: str
    outlets: list[str]
    outlet_articles: dict[str, int]
    articles: list[DossierArticle]
    claims: list[ClaimRow]
    status_counts: dict[str, int]
    conflicts: list[ConflictView]
    framing: list[tuple[str, str, dict[str, list[str]]]]  # (actor id, name, outlet -> phrases)
    sources: list[tuple[str, list[str], int]]  # (name, outlets, mentions)
    timeline: list[tuple[str, str, list[str], list[str]]]  # (date, text, outlets, claims)
    hedges: list[tuple[str, str, str | None]]  # (outlet, text, claim id)
    actor_names: dict[str, str] = field(default_factory=dict)


def context_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The sentence(s) holding text[start:end]: from the previous sentence end to the next,
    at most `limit` characters each side (then cut at a space)."""
    left_floor = max(0, start - limit)
    left = left_floor
    for match in _SENTENCE_END.finditer(text, left_floor, start):
        left = match.end()
    if left == left_floor and left_floor > 0:
        space = text.find(" ", left_floor, start)
        left = space + 1 if space >= 0 else left_floor
    right_ceiling = min(len(text), end + limit)
    match = _SENTENCE_END.search(text, max(end - 1, start), right_ceiling)
    if match:
        right = match.start() + 1 if text[match.start()] in ".!?" else match.start()
    else:
        space = text.rfind(" ", end, right_ceiling)
        right = right_ceiling if right_ceiling == len(text) or space < 0 else space
    return left, max(right, end)


def evidence_for(article: DossierArticle, start: int, end: int, fallback: str) -> Evidence:
    """A mention with its sentence; when the article text is missing, only the mention."""
    text = article.text
    if not text or end > len(text) or start < 0 or start >= end:
        return Evidence(
            article.id, outlet_label(article), article.title, start, end, "", fallback, ""
        )
    left, right = context_around(text, start, end)
    return Evidence(
        article=article.id,
        outlet=outlet_label(article),
        title=article.title,
        start=start,
        end=end,
        before=("…" if left > 0 and text[left - 1] not in "\n" else "") + text[left:start].lstrip(),
        mark=text[start:end],
        after=text[end:right].rstrip()
        + ("…" if right < len(text) and text[right] not in ".\n" else ""),
    )


def story_view(dossier: Dossier, title: str | None = None) -> StoryView:
    """The dossier arranged for the page: outlets as columns (most articles first), claims as
    rows (contested, then corroborated, then single-source; more outlets first)."""
    by_id = {a.id: a for a in dossier.articles}
    outlet_of = {a.id: outlet_label(a) for a in dossier.articles}
    outlet_articles = Counter(outlet_of.values())
    outlets = [o for o, _ in sorted(outlet_articles.items(), key=lambda kv: (-kv[1], kv[0]))]
    names = {a.id: a.name for a in dossier.actors}

    rows: list[ClaimRow] = []
    for claim in dossier.claims:
        cells: Counter[str] = Counter()
        evidence = []
        for mention in claim.mentions:
            article = by_id.get(mention.article)
            if article is None:
                continue
            cells[outlet_of[article.id]] += 1
            evidence.append(evidence_for(article, mention.span[0], mention.span[1], mention.text))
        rows.append(
            ClaimRow(
                id=claim.id,
                text=claim.text,
                status=claim.status,
                speaker=names.get(claim.speaker) if claim.speaker else None,
                speaker_id=claim.speaker,
                cells=dict(cells),
                evidence=evidence,
            )
        )
    rows.sort(key=lambda r: (STATUS_ORDER.get(r.status, 9), -len(r.cells)))

    conflicts = [
        ConflictView(
            id=c.id,
            kind=c.kind,
            about=c.about,
            sides=[
                ConflictSideView(
                    text=side.text,
                    holders=[(h, names.get(h, h)) for h in side.holders],
                    outlets=_unique(outlet_of.get(a, a) for a in side.articles),
                    claims=side.claims,
                )
                for side in c.sides
            ],
        )
        for c in dossier.conflicts
    ]
    framing = []
    for actor in dossier.actors:
        per_outlet: dict[str, list[str]] = defaultdict(list)
        for article_id, phrases in actor.descriptors.items():
            for phrase in phrases:
                bucket = per_outlet[outlet_of.get(article_id, article_id)]
                if phrase not in bucket:
                    bucket.append(phrase)
        if per_outlet:
            framing.append((actor.id, actor.name, dict(per_outlet)))
    sources = [
        (s.name, _unique(outlet_of.get(a, a) for a in s.articles), max(len(s.spans), 1))
        for s in dossier.sources_cited
    ]
    timeline = [
        (t.date, t.text, _unique(outlet_of.get(a, a) for a in t.articles), t.claims)
        for t in sorted(dossier.timeline, key=lambda t: t.date)
    ]
    hedges = [(outlet_of.get(h.article, h.article), h.text, h.applies_to) for h in dossier.hedges]
    return StoryView(
        story=dossier.story,
        title=title or next((a.title for a in dossier.articles if a.title), dossier.story),
        outlets=outlets,
        outlet_articles=dict(outlet_articles),
        articles=list(dossier.articles),
        claims=rows,
        status_counts=dict(Counter(r.status for r in rows)),
        conflicts=conflicts,
        framing=framing,
        sources=sources,
        timeline=timeline,
        hedges=hedges,
        actor_names=names,
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- highlighting article text -------------------------------------------------------------


@dataclass
class Segment:
    """A stretch of text and the labels of every highlight covering it (empty: plain)."""

    text: str
    labels: tuple[str, ...]
    start: int


def segments(text: str, marks: Sequence[tuple[int, int, str]]) -> list[Segment]:
    """Cut `text` at every mark boundary; each piece carries the labels of the marks covering
    it. Marks may overlap or nest; marks outside the text are clipped, empty ones dropped."""
    bounds = {0, len(text)}
    clean = []
    for start, end, label in marks:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            clean.append((start, end, label))
            bounds.update((start, end))
    points = sorted(bounds)
    opening: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for index, (start, _end, label) in enumerate(clean):
        opening[start].append((index, label))
    active: dict[int, tuple[int, str]] = {}
    pieces: list[Segment] = []
    for left, right in zip(points, points[1:], strict=False):
        for index, label in opening.get(left, ()):
            active[index] = (clean[index][1], label)
        for index in [i for i, (end, _) in active.items() if end <= left]:
            del active[index]
        labels = tuple(label for _, (_, label) in sorted(active.items()))
        pieces.append(Segment(text=text[left:right], labels=labels, start=left))
    return pieces


@dataclass
class ArticleView:
    segments: list[Segment]
    attributions: list[dict]
    claims: list[tuple[str, str, str]]  # (claim id, status, text) of the story's claims here


def article_view(
    analysis: AnalyzedArticle, dossier: Dossier | None, actor_ids: dict[str, tuple[int, str]]
) -> ArticleView:
    """The article's text cut into segments labelled by attribution part (`speaker:ID`,
    `cue:ID`, `content:ID`), boilerplate (`boilerplate`) and story claim (`claim:ID`)."""
    article = analysis.article
    marks: list[tuple[int, int, str]] = []
    rows = []
    for number, attribution in enumerate(analysis.attributions, start=1):
        tag = f"a{number}"
        marks.append((attribution.cue.start, attribution.cue.end, f"cue:{tag}"))
        marks.append((attribution.content.start, attribution.content.end, f"content:{tag}"))
        speaker = attribution.speaker
        if speaker is not None:
            marks.append((speaker.start, speaker.end, f"speaker:{tag}"))
        actor = actor_ids.get(attribution.id)
        rows.append(
            {
                "tag": tag,
                "kind": attribution.kind,
                "stance": attribution.stance,
                "negated": attribution.negated,
                "speaker": (actor[1] if actor else speaker.name or speaker.text)
                if speaker
                else None,
                "actor_id": actor[0] if actor else None,
                "cue": attribution.cue.text,
                "content": attribution.content.text,
                "start": attribution.content.start,
                "end": attribution.content.end,
            }
        )
    for line in article.boilerplate:
        marks.append((line.start, line.end, "boilerplate"))
    claims = []
    if dossier is not None:
        for claim in dossier.claims:
            spans = [m.span for m in claim.mentions if m.article == article.id]
            if spans:
                claims.append((claim.id, claim.status, claim.text))
                marks.extend((s, e, f"claim:{claim.id}") for s, e in spans)
    return ArticleView(segments=segments(article.text, marks), attributions=rows, claims=claims)


# --- CSV ----------------------------------------------------------------------------------

# Cells starting with these are formulas to a spreadsheet; a leading quote keeps them text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A value as a CSV cell that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document (RFC 4180 quoting, \\r\\n line ends) with formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


STORY_TABLES = ("claims", "attributions", "conflicts", "framing", "sources", "timeline", "articles")


def story_table(dossier: Dossier, view: StoryView, table: str) -> tuple[list[str], list[list]]:
    """One table of a story as header and rows (for CSV export); ValueError for an unknown
    table name."""
    names = view.actor_names
    outlet_of = {a.id: outlet_label(a) for a in dossier.articles}
    if table == "claims":
        header = ["claim", "status", "speaker", "text", *view.outlets]
        rows = [
            [r.id, r.status, r.speaker, r.text, *(r.cells.get(o, 0) for o in view.outlets)]
            for r in view.claims
        ]
    elif table == "attributions":
        header = ["id", "outlet", "article", "speaker", "speaker_text", "cue", "kind", "stance"]
        header += ["content", "start", "end"]
        rows = [
            [a.id, outlet_of.get(a.article), a.article, names.get(a.speaker or ""), a.speaker_text]
            + [a.cue, a.kind, a.stance, a.content, a.span[0], a.span[1]]
            for a in dossier.attributions
        ]
    elif table == "conflicts":
        header = ["conflict", "kind", "about", "side", "holders", "outlets", "claims"]
        rows = [
            [c.id, c.kind, c.about, s.text, [n for _, n in s.holders], s.outlets, s.claims]
            for c in view.conflicts
            for s in c.sides
        ]
    elif table == "framing":
        header = ["actor", "outlet", "descriptor"]
        rows = [
            [name, outlet, phrase]
            for _, name, per_outlet in view.framing
            for outlet, phrases in per_outlet.items()
            for phrase in phrases
        ]
    elif table == "sources":
        header = ["source", "outlets", "mentions"]
        rows = [[name, outlets, count] for name, outlets, count in view.sources]
    elif table == "timeline":
        header = ["date", "text", "outlets", "claims"]
        rows = [list(entry) for entry in view.timeline]
    elif table == "articles":
        header = ["article", "outlet", "title", "published", "source"]
        rows = [[a.id, a.outlet, a.title, a.published, a.source] for a in dossier.articles]
    else:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(STORY_TABLES)}")
    return header, rows

"""Finding page furniture in scraped plain text, line by line, without moving any offset.

Scraped text keeps everything a page shows: menus, breadcrumbs, share buttons, captions,
promos, related headlines, footers. The article is the long run of prose in the middle. Three
passes find what is not article text, and each dropped line is kept with its reason:

1. rules that recognise furniture by its words (widgets, promos, captions, bylines, ...);
2. the main text region: the run of lines where prose outweighs short non-prose lines (a
   maximum-sum segment over line scores); lines outside it are navigation, teasers, footers;
3. across a batch, lines repeated in several different articles of one outlet.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parallax.model import BoilerplateLine, Span

_TOKEN = re.compile(r"\w+")
# Han, kana and hangul: scripts where a "word" may be a whole clause, so characters count.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?。！？…:;\"'”’»)\]]\s*$")

_WIDGET = re.compile(
    r"^(?:[•·*>-]\s*)?(?:oops!?|something went wrong\.?|please try again(?: later)?\.?|"
    r"advertisement|advertising|ad|sponsored(?: content)?|read more\W*|read next|"
    r"loading\W*|skip to (?:main )?content|continue reading\W*|show more|see more|"
    r"load more|click here|close|menu|search|share|tweet|email|print|comments?|reply|"
    r"back to top|scroll to top|top|more|next|previous|subscribe|sign in|log ?in|"
    r"register|follow|like|pin|share this|share on \w+|leia mais|baca juga|leggi anche|"
    r"lesen sie auch|lire aussi|lea también|story continues below|"
    r"this content is not available due to your privacy preferences.*|"
    r"video player is loading.*|javascript is (?:disabled|required).*|"
    r"enable javascript.*|(?:image|photo|picture)s?(?: \d+ of \d+)?)$",
    re.IGNORECASE,
)
# Promos in their own words: enough on a line of up to 60 words.
_PROMO = re.compile(
    r"(?:whatsapp channel$|follow us on|like us on facebook|sign up (?:for|to) (?:our|the) "
    r"(?:\w+ )?newsletter|subscribe (?:to (?:our|the)|now|today)|subscribers? only|"
    r"try .{2,40} free for|start (?:your|a) free trial|download (?:our|the) app|get the app|"
    r"share this (?:article|story|post)|(?:all|some) rights reserved|©|copyright \d{4}|"
    r"unlimited (?:digital )?access|already a subscriber|you have reached your (?:free )?"
    r"article limit|support (?:our|independent) journalism|to continue reading|"
    r"create a free account|become a member|we may earn (?:a )?commission)",
    re.IGNORECASE,
)
# Words that also occur in news ("a Telegram channel", "the cookie law"): only on short lines.
_PROMO_SHORT = re.compile(
    r"(?:newsletter|telegram|whatsapp|cookies?\b|privacy policy|terms of (?:use|service)|"
    r"affiliate links?|sponsored by|in partnership with|follow \w+ on|podcast|"
    r"facebook|twitter|instagram|linkedin|pinterest|youtube|reddit)",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^\(?(?:with inputs? from|(?:additional )?reporting by|(?:edited|compiled|"
    r"written) by|source:|sources:)\s+([A-Z][\w.&',/ -]{1,80}?)\)?\.?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|por|von|par|di|oleh|door|av)\s+[A-Z][\w.'’-]+(?:[ ,]+(?:and |y |e |und |et )?"
    r"[A-Z][\w.'’-]+){0,6}(?:\s*[|,/·-]\s*.{0,60})?$"
)
_DATELINE = re.compile(
    r"^(?:\W*\w+\W+){0,2}?(?:updated|published|posted|last modified|first published|"
    r"modified|atualizado|publicado|aggiornato|pubblicato|diterbitkan|aktualisiert|mis à jour)"
    r"\b(?:\s*(?:on|at|:|-))?\s*.{0,60}\d.{0,40}$",
    re.IGNORECASE,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?:(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)"
# A line that is only a date and/or a time ("November 19, 2019 08:38 AM", "7 hours ago").
_DATE_ONLY = re.compile(
    rf"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?:"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
    rf"\s+\d{{4}}|\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}})(?:[,|\s-]+{_TIME})?$|"
    rf"^{_TIME}$|^\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$",
    re.IGNORECASE,
)
# A caption credit, looked for in a line's last 100 characters: a caption ending
# " - Firstname Lastname[/Agency Name]", "(Photo: Agency)", "/Getty Images", or "Photo: ...".
_CAPTION_CREDIT = re.compile(
    r"\s[-–—|]\s[A-Z][\w'.-]+(?:\s[A-Z][\w'.-]+){1,3}(?:/[A-Z][\w'.-]*(?:\s[A-Z][\w'.-]*){0,2})?$|"
    r"(?i:\((?:photo|image|picture|credit|foto|video)s?\b[^)]{0,80}\)$)|"
    r"(?i:(?:/|\bphoto:?\s|\bphoto by\s|\bcredit:?\s|\bimage:?\s)[^.]{0,60}(?:getty images|"
    r"reuters|afp|ap photo|ap|shutterstock|epa|alamy|istock|pa)\)?$)"
)
_CAPTION_LINE = re.compile(
    r"^(?:photo|image|picture|credit|foto|photograph)s?(?: credit)?\s*[:|/]\s*.{0,120}$",
    re.IGNORECASE,
)
_BREADCRUMB_START = re.compile(r"^(?:home|news|inicio|início|accueil|startseite)\b", re.IGNORECASE)
_NAV_SEPARATORS = re.compile(r"(?:\s[|»›>/•·]\s.*){2,}")
# Headings that open what follows an article: related links, trending lists, comments, tags.
_END_MARKER = re.compile(
    r"^(?:related(?: articles| stories| posts| news| content| coverage| topics)?|"
    r"read these next|read next|up next|what to read next|trending(?: now| stories)?|"
    r"more (?:from|on|in|stories|news|articles|videos)\b.{0,40}|more [A-Z][\w.]+(?: [A-Z][\w.]+)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you)?|"
    r"(?:most )?popular(?: now| stories| articles| posts)?|most (?:read|viewed|shared)|"
    r"top stories|latest (?:news|stories|articles|posts)|share your thoughts.*|"
    r"comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply)|post a comment|"
    r"join the (?:conversation|discussion)|filed under\b.*|tags?\s*:.*|related tags:?|"
    r"topics?\s*:.*|see also|also read|further reading|sponsored (?:stories|links)|"
    r"around the web|from the web|don'?t miss|editor'?s picks|more on this(?: story)?|"
    r"story timeline|you must log in to post a comment\.?|about the author|"
    r"veja também|leia também|notícias relacionadas|artigos relacionados|baca juga:?|"
    r"articoli correlati|potrebbe interessarti|ähnliche artikel|à lire aussi)$",
    re.IGNORECASE,
)
_TRUNCATED = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])\s*$")


@dataclass(frozen=True)
class Line:
    """One line of the text: where its visible part starts and ends, and that part."""

    index: int
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Each line with the offsets of its stripped content (`text[start:end] == line.text`)."""
    lines = []
    pos = 0
    for index, raw in enumerate(text.splitlines(keepends=True)):
        content = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = content.strip()
        lead = len(content) - len(content.lstrip()) if stripped else 0
        start = pos + lead
        lines.append(Line(index, start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def word_weight(line: str) -> float:
    """How many words a line holds; CJK characters count as half a word each."""
    tokens = _TOKEN.findall(line)
    cjk = len(_CJK.findall(line))
    if not cjk:
        return float(len(tokens))
    return len(tokens) + cjk / 2


def _capitalised_share(line: str) -> float:
    words = [w for w in _TOKEN.findall(line) if w[0].isalpha() and len(w) > 3]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def is_prose(line: str) -> bool:
    """True for a line that reads as running text: enough words, a sentence's ending or length,
    and not every word capitalised (as in headlines and menus)."""
    weight = word_weight(line)
    if weight < 7:
        return False
    if _capitalised_share(line) > 0.75 and weight < 30:
        return False
    return bool(_SENTENCE_END.search(line)) or weight >= 16


def line_score(line: str) -> float:
    """A line's weight in the search for the main text: positive for prose, negative otherwise."""
    if not line:
        return 0.0
    weight = word_weight(line)
    if _END_MARKER.match(line):
        return -50.0
    if _TRUNCATED.search(line):
        return -2.0 - weight / 2
    if is_prose(line):
        return weight
    if _NAV_SEPARATORS.search(line):
        return -3.0 - weight
    return -2.0 - weight / 2


def furniture_reason(line: str) -> str | None:
    """Why one line, on its own, is page furniture; None when its words do not say so."""
    if _WIDGET.match(line):
        return "widget"
    if _CREDIT.match(line):
        return "credit"
    weight = word_weight(line)
    if weight <= 60 and _PROMO.search(line):
        return "promo"
    if weight <= 12 and not _SENTENCE_END.search(line) and _PROMO_SHORT.search(line):
        return "promo"
    if _BYLINE.match(line) and weight <= 14:
        return "byline"
    if (weight <= 16 and _DATELINE.match(line) and not line.endswith(".")) or _DATE_ONLY.match(
        line
    ):
        return "dateline"
    if not line.endswith((".", "?", "!", '"', "”")) and (
        _CAPTION_LINE.match(line) or (len(line) > 50 and _CAPTION_CREDIT.search(line[-100:]))
    ):
        return "caption"
    return None


def region_scores(lines: list[Line], reasons: dict[int, str]) -> list[float]:
    """Line scores for the main-text search; a prose line alone between non-prose lines (a
    teaser under a related headline) counts for half."""
    scores = [line_score(line.text) for line in lines]
    for line in lines:
        if line.index in reasons and line.text and scores[line.index] > -50:
            # Marked furniture is a short gap in the article, not a reason to end it.
            scores[line.index] = -1.0
    filled = [i for i, line in enumerate(lines) if line.text]
    for rank, i in enumerate(filled):
        if scores[i] <= 0:
            continue
        before = scores[filled[rank - 1]] if rank > 0 else -1.0
        after = scores[filled[rank + 1]] if rank + 1 < len(filled) else -1.0
        if before < 0 and after < 0:
            scores[i] /= 2
    return scores


def main_region(scores: Sequence[float]) -> tuple[int, int]:
    """[first, last) indices of the maximum-sum run of scores; (0, 0) when nothing is positive."""
    best, best_range = 0.0, (0, 0)
    running, start = 0.0, 0
    for i, value in enumerate(scores):
        if running <= 0:
            running, start = 0.0, i
        running += value
        if running > best:
            best, best_range = running, (start, i + 1)
    return best_range


def normalise_line(line: str) -> str:
    """A line reduced for comparison across pages: case, accents and spacing folded."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(_TOKEN.findall(folded))


def _headline_above(lines: list[Line], first: int, reasons: dict[int, str]) -> int | None:
    """The headline just above the main text: the nearest unmarked short line, if any."""
    seen = 0
    for i in range(first - 1, -1, -1):
        line = lines[i].text
        if not line or i in reasons:
            continue
        seen += 1
        if seen > 3:
            return None
        weight = word_weight(line)
        if 3 <= weight <= 30 and not line.endswith(".") and not _NAV_SEPARATORS.search(line):
            return i
    return None


def find_boilerplate(
    text: str, repeated: frozenset[str] | set[str] = frozenset(), cut_region: bool = True
) -> tuple[list[BoilerplateLine], list[Span]]:
    """Lines of page furniture in scraped text, and source credits ("With inputs from AP").

    Finds furniture by its words, by lying outside the main run of prose, and (given
    `repeated`, normalised lines seen in other articles of the same outlet) by repetition.
    `cut_region=False` skips the main-text search (for text an extractor already isolated).
    The headline just above the main text is kept. It refuses to guess on ordinary sentences
    inside the main text: a line that reads as news is kept even when it is short, and a page
    with no run of prose at all is left as it is.
    """
    lines = split_lines(text)
    reasons: dict[int, str] = {}
    credits: list[Span] = []
    seen: dict[str, int] = {}
    first_line = next((line.index for line in lines if line.text), None)

    for line in lines:
        if not line.text:
            continue
        reason = furniture_reason(line.text)
        key = normalise_line(line.text)
        if reason is None and key in seen and seen[key] == first_line:
            reason = "repeated headline"
        elif reason is None and key and key in repeated:
            reason = "repeated across the outlet's pages"
        if reason is not None:
            reasons[line.index] = reason
            if reason == "credit":
                credits.append(Span(start=line.start, end=line.end, text=line.text))
        seen.setdefault(key, line.index)

    # A short label line right above a caption ("Alexander Lukashenko") belongs to it.
    for index, reason in list(reasons.items()):
        if reason != "caption":
            continue
        above = next((i for i in range(index - 1, -1, -1) if lines[i].text), None)
        if above is not None and above not in reasons:
            label = lines[above].text
            if word_weight(label) <= 5 and not _SENTENCE_END.search(label):
                reasons[above] = "caption"

    scores = region_scores(lines, reasons)
    first, last = main_region(scores)
    if last > first and cut_region:
        headline = _headline_above(lines, first, reasons)
        for line in lines:
            if not line.text or line.index in reasons or first <= line.index < last:
                continue
            if line.index == headline:
                continue
            if first_line == line.index and _BREADCRUMB_START.match(line.text):
                reasons[line.index] = "breadcrumb"
            else:
                reasons[line.index] = "outside the article text"

    boilerplate = [
        BoilerplateLine(start=lines[i].start, end=lines[i].end, text=lines[i].text, reason=why)
        for i, why in sorted(reasons.items())
    ]
    return boilerplate, credits


def repeated_lines(
    texts: Sequence[str], outlets: Sequence[str | None], min_articles: int = 2
) -> list[frozenset[str]]:
    """For each text, the normalised lines that other articles of its outlet repeat.

    A line counts when at least `min_articles` different articles of one outlet contain it;
    texts that share most of their lines (a story and its update, one wire copy twice) count
    once, so that shared news is not taken for furniture. Texts with no outlet are compared
    with each other and need one more article. Returns an empty set for each text alone.
    """
    line_sets = [
        {key for key in (normalise_line(line) for line in text.splitlines()) if key}
        for text in texts
    ]
    prose_sets = [
        {normalise_line(line) for line in text.splitlines() if is_prose(line.strip())}
        for text in texts
    ]
    groups: dict[str | None, list[int]] = defaultdict(list)
    for i, outlet in enumerate(outlets):
        groups[outlet].append(i)

    result: list[frozenset[str]] = [frozenset()] * len(texts)
    for outlet, members in groups.items():
        if len(members) < 2:
            continue
        needed = min_articles if outlet is not None else min_articles + 1
        distinct = _distinct_versions(members, prose_sets)
        counts: dict[str, int] = defaultdict(int)
        for version in distinct:
            for key in set().union(*(line_sets[i] for i in version)):
                counts[key] += 1
        common = frozenset(key for key, n in counts.items() if n >= needed)
        for i in members:
            result[i] = common & line_sets[i]
    return result


def _distinct_versions(members: list[int], prose_sets: list[set[str]]) -> list[list[int]]:
    """Members grouped so that texts sharing over half their prose lines fall in one group."""
    versions: list[list[int]] = []
    for i in members:
        for version in versions:
            j = version[0]
            shared = len(prose_sets[i] & prose_sets[j])
            if shared and shared > 0.5 * min(len(prose_sets[i]), len(prose_sets[j])):
                version.append(i)
                break
        else:
            versions.append([i])
    return versions


def clean_batch(items: Iterable[tuple[str, str | None]]) -> list[str]:
    """Kept text of each (text, outlet) pair after cleaning them as one batch."""
    from parallax.model import Article

    pairs = list(items)
    texts = [text for text, _ in pairs]
    repeats = repeated_lines(texts, [outlet for _, outlet in pairs])
    kept = []
    for text, common in zip(texts, repeats, strict=True):
        boilerplate, _ = find_boilerplate(text, common)
        kept.append(Article(id="x", source="x", text=text, boilerplate=boilerplate).kept_text())
    return kept

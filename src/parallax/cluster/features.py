"""Per-article features for story clustering: plain data computed once per article.

`article_features(articles)` turns Articles into `ArticleFeatures`: an embedding of title and
lead, the key named entities (people, places, organisations ...), the capitalised names and
figures of the whole text, the numbers and calendar dates stated in the text, the publication
time when it is known, and MinHash band keys that let near-duplicate (syndicated) copies be
found. Nothing here decides what is a story; that is
`parallax.cluster.stories`.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from parallax.model import Article

# Entity labels that name who and where; dates and numbers are handled on their own.
KEY_ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
)
NUMBER_LABELS = frozenset({"MONEY", "CARDINAL", "QUANTITY", "PERCENT"})
# At most this many entities per article are kept; the tail is mostly passing mentions.
MAX_KEY_ENTITIES = 16
MAX_NUMBERS = 12
# Content words kept per article for the lexical signal.
MAX_TERMS = 48
# Capitalised names and figures kept per article (whole text; the most frequent first).
MAX_NAMES = 64
# Title and lead carry the event; entities there count this many times a body mention.
LEAD_WEIGHT = 3.0
# Characters of body text after the title that make the "lead" for the embedding.
LEAD_CHARS = 500
# Characters of text given to NER: long articles repeat their key entities early.
NER_CHARS = 4000
# Tokens between the last paragraph break used and the cut (see `entities_before_cut`).
NER_MARGIN_TOKENS = 10
# MinHash over word 5-shingles: 32 permutations in 8 bands of 4 (Jaccard ~0.6 collides often).
MINHASH_PERMUTATIONS = 32
MINHASH_BANDS = 8
SHINGLE_WORDS = 5

# Words besides the date that a dateline may hold ("First Published:", "4: 59 PM EDT").
DATELINE_OTHER_WORDS = 6
_WORD = re.compile(r"\w+", re.UNICODE)
# The last whitespace of a text and the word after it.
_LAST_SPACE = re.compile(r"\s\S*\Z")
# A capitalised word ("Sukanya", "INS", "O'Brien") or a figure ("5.6", "160,000", "23").
_NAME_TOKEN = re.compile(r"\b[A-Z][A-Za-z'’]*[A-Za-z]\b|\b\d[\d,.]*\d\b|\b\d\b")
# Tokenised-then-joined text spaces out figures: "6. 1", "160, 000", "12: 30".
_SPACED_FIGURE = re.compile(r"(?<=\d)([.:]) (?=\d)|(?<=\d), (?=\d{3}\b)")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "June 13, 2013", "Jun. 13 2013", "December 15th, 2008"
_MDY = re.compile(
    rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
# "13 June 2013", "27 NOVEMBER, 2005"
_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
# "2013-05-02", "2013/05/02"
_ISO = re.compile(r"\b(\d{4})[-/](\d{1,2})[-/](\d{1,2})\b")
_NUMBER = re.compile(
    r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion|thousand|trillion|m|bn|k)?\b", re.IGNORECASE
)
_MULTIPLIERS = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "president", "gov", "sen", "rep"})
_MASK = (1 << 61) - 1


@dataclass
class ArticleFeatures:
    """What story clustering knows about one article.

    `vector` is the L2-normalised embedding of title and lead; `entities` maps a normalised
    key entity ("person:lohan", "gpe:malibu") to its weight in this article; `numbers` holds
    normalised amounts ("num:160000000"); `dates` holds calendar dates and years the text
    states ("date:2013-06-13", "year:2013"); `published` is the publication time (UTC) when
    known, from metadata or from a dateline near the top; `bands` are MinHash band keys of
    the text, equal for near-duplicate copies; `terms` counts the most frequent content words
    (lowercased, stop words left out), the lexical signal; `names` counts the capitalised
    words and the figures of the whole text ("Sukanya", "Mysore", "23", "5.6"), the details
    that tell two events of one topic apart.
    """

    id: str
    vector: np.ndarray
    entities: dict[str, float] = field(default_factory=dict)
    terms: dict[str, float] = field(default_factory=dict)
    names: dict[str, float] = field(default_factory=dict)
    numbers: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    published: datetime | None = None
    bands: tuple[str, ...] = ()


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime as an aware UTC datetime; None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _valid_date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def dates_in(text: str) -> list[datetime]:
    """Full calendar dates (day, month and year all written) in the text, in order found."""
    found: list[tuple[int, datetime]] = []
    for match in _MDY.finditer(text):
        moment = _valid_date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
        if moment:
            found.append((match.start(), moment))
    for match in _DMY.finditer(text):
        moment = _valid_date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        if moment:
            found.append((match.start(), moment))
    for match in _ISO.finditer(text):
        moment = _valid_date(int(match[1]), int(match[2]), int(match[3]))
        if moment:
            found.append((match.start(), moment))
    return [moment for _, moment in sorted(found, key=lambda item: item[0])]


def dateline(text: str, lines: int = 6) -> datetime | None:
    """The date of a short date-only line among the first lines ("First Published: June 13,
    2013"), taken as the publication date; None when no such line is there.

    A full date inside a sentence is not taken: it may be the date of anything.
    """
    for line in text.splitlines()[: lines * 3][:lines]:
        stripped = line.strip()
        if not stripped or len(stripped) > 80:
            continue
        found = dates_in(stripped)
        if found:
            # A dateline is mostly the date: a few words around it ("First Published:").
            rest = _MDY.sub(" ", _DMY.sub(" ", _ISO.sub(" ", stripped)))
            if len(_WORD.findall(rest)) <= DATELINE_OTHER_WORDS:
                return found[0]
    return None


def _title_and_lead(article: Article) -> tuple[str, str]:
    """The title (metadata, else the first line) and the body's first LEAD_CHARS characters."""
    text = article.kept_text().strip()
    title = (article.title or "").strip()
    body = text
    if title and body.startswith(title):
        body = body[len(title) :].lstrip()
    if not title:
        first, _, rest = text.partition("\n")
        title, body = first.strip(), rest.strip()
    # A title that is a bare URL says nothing an embedding can use.
    if title.startswith(("http://", "https://")):
        title = ""
    lead = body[:LEAD_CHARS]
    cut = lead.rfind(". ")
    if cut > LEAD_CHARS // 2:
        lead = lead[: cut + 1]
    return title, lead


def embedding_text(article: Article) -> str:
    """Title and lead, the text whose embedding stands for the article."""
    title, lead = _title_and_lead(article)
    return f"{title}\n{lead}".strip() or article.text[:LEAD_CHARS]


def normalise_entity(label: str, text: str) -> str | None:
    """A key for an entity mention: people by surname, the rest by lowercased words.

    "Lindsay Lohan" and "Lohan's" both give "person:lohan"; None for mentions with no word.
    """
    words = [w.lower() for w in _WORD.findall(text.replace("’", "'")) if w.lower() != "s"]
    words = [w for w in words if w not in ("the", "a", "an")]
    if not words:
        return None
    if label == "PERSON":
        names = [w for w in words if w not in _HONORIFICS]
        return f"person:{(names or words)[-1]}"
    kind = "place" if label in ("GPE", "LOC", "FAC") else label.lower()
    return f"{kind}:{' '.join(words)}"


def numbers_in(text: str) -> set[str]:
    """Amounts written with digits, normalised ("$160 million" -> "num:160000000").

    Years, single digits and days of the month are left out: they are dates or too common to
    tell events apart.
    """
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        raw = match[1].replace(",", "")
        try:
            value = float(raw)
        except ValueError:
            continue
        multiplier = _MULTIPLIERS.get((match[2] or "").lower(), 1.0)
        if multiplier == 1.0 and (value < 10 or _YEAR.fullmatch(raw)):
            continue
        value *= multiplier
        found.add(f"num:{value:.6g}")
    return found


def content_terms(text: str, limit: int = MAX_TERMS) -> dict[str, float]:
    """The most frequent content words of a text with their counts (stop words, numbers and
    words under three letters left out)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    counts = Counter(
        word
        for word in (w.lower() for w in _WORD.findall(text))
        if len(word) > 2 and word.isalpha() and word not in STOP_WORDS
    )
    return {word: float(count) for word, count in counts.most_common(limit)}


def join_spaced_figures(text: str) -> str:
    """The text with figures that tokenisation spaced out joined again ("6. 1" -> "6.1",
    "160, 000" -> "160,000", "12: 30" -> "12:30"); nothing else changes."""
    return _SPACED_FIGURE.sub(lambda match: match[1] or ",", text)


def name_tokens(text: str, limit: int = MAX_NAMES) -> dict[str, float]:
    """Capitalised words and figures of a text with their counts, the most frequent first.

    Stop words written with a capital ("The", "But") are left out, and a possessive "'s" is
    dropped ("India's" -> "India"); case is kept ("US" is not "us"). Whether a capitalised
    word opens a sentence is not guessed: rarity weighting later mutes the common ones.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    counts: Counter[str] = Counter()
    for match in _NAME_TOKEN.finditer(join_spaced_figures(text)):
        token = match[0]
        if token.endswith(("'s", "’s")):
            token = token[:-2]
        token = token.rstrip(".,")
        if token and token.lower() not in STOP_WORDS:
            counts[token] += 1
    return {token: float(count) for token, count in counts.most_common(limit)}


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


_RNG = np.random.default_rng(20240323)
_PERM_A = _RNG.integers(1, _MASK, size=MINHASH_PERMUTATIONS, dtype=np.uint64)
_PERM_B = _RNG.integers(0, _MASK, size=MINHASH_PERMUTATIONS, dtype=np.uint64)


def minhash_bands(text: str) -> tuple[str, ...]:
    """MinHash band keys of the text's word 5-shingles; two near-copies share at least one.

    Texts shorter than one shingle get no keys (nothing to compare).
    """
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return ()
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    hashes = np.fromiter((_stable_hash(s) & _MASK for s in shingles), dtype=np.uint64)
    # Universal hashing modulo 2^64 (wrapping) is enough to spread the minima.
    with np.errstate(over="ignore"):
        permuted = hashes[None, :] * _PERM_A[:, None] + _PERM_B[:, None]
    minima = permuted.min(axis=1)
    rows = MINHASH_PERMUTATIONS // MINHASH_BANDS
    return tuple(
        f"{band}:{hashlib.blake2b(minima[band * rows : (band + 1) * rows].tobytes(), digest_size=8).hexdigest()}"
        for band in range(MINHASH_BANDS)
    )


def _entity_weights(doc_ents: Iterable[tuple[str, str, int]], lead_end: int) -> dict[str, float]:
    weights: Counter[str] = Counter()
    for label, text, start in doc_ents:
        if label not in KEY_ENTITY_LABELS:
            continue
        key = normalise_entity(label, text)
        if key:
            weights[key] += LEAD_WEIGHT if start < lead_end else 1.0
    return dict(weights.most_common(MAX_KEY_ENTITIES))


def features_from_parts(
    article: Article,
    vector: np.ndarray,
    ents: Sequence[tuple[str, str, int]],
    lead_end: int,
) -> ArticleFeatures:
    """ArticleFeatures from an article, its embedding and its NER mentions (label, text, start).

    Split out from `article_features` so that callers who already ran NER or embedding (the
    analysis stage, a store) can build features without running the models again.
    """
    text = article.kept_text()
    head = join_spaced_figures(text[:NER_CHARS])
    numbers = numbers_in(head)
    for label, mention, _ in ents:
        if label in NUMBER_LABELS:
            numbers |= numbers_in(mention)
    stated = dates_in(head)
    dates = {f"date:{d.date().isoformat()}" for d in stated}
    dates |= {f"year:{y}" for y in _YEAR.findall(head)}
    published = parse_time(article.published) or dateline(article.text)
    return ArticleFeatures(
        id=article.id,
        vector=np.asarray(vector, dtype=np.float32),
        entities=_entity_weights(ents, lead_end),
        terms=content_terms(text),
        names=name_tokens(text),
        numbers=frozenset(sorted(numbers)[:MAX_NUMBERS]),
        dates=frozenset(dates),
        published=published,
        bands=minhash_bands(text),
    )


def article_features(
    articles: Sequence[Article],
    embedder=None,
    nlp=None,
    batch_size: int = 32,
    entities: Sequence[Sequence[tuple[str, str, int]]] | None = None,
) -> list[ArticleFeatures]:
    """The clustering features of each article, in the order given.

    Loads the process-wide embedder and parallax pipeline when none is passed. Runs the
    pipeline's NER, with the parser and paragraph breaks it respects (not the tagger,
    lemmatizer or attribution), on the first NER_CHARS characters of the masked text, and
    keeps the mentions `entities_before_cut` keeps. `entities`, when given, are each
    article's `clustering_entities` from a parse already made (the analysis stage): the same
    mentions, with no second pass.
    """
    if embedder is None:
        from parallax.embed import load_embedder

        embedder = load_embedder()
    vectors = embedder.embed([embedding_text(a) for a in articles])
    if entities is None:
        entities = ner_entities(articles, nlp, batch_size)
    return [
        features_from_parts(article, vector, ents, lead_end(article))
        for article, vector, ents in zip(articles, vectors, entities, strict=True)
    ]


def ner_entities(articles: Sequence[Article], nlp, batch_size: int) -> list[list]:
    """`clustering_entities` of each article from a pass over the cut texts that runs what
    the NER reads: the parser's sentence starts (an entity never crosses one), the paragraph
    breaks the parser keeps, and the embedding layers these listen to."""
    if nlp is None:
        from parallax.nlp.pipeline import load_nlp

        nlp = load_nlp()
    heads = [a.masked_text()[:NER_CHARS] for a in articles]
    keep = {"ner", "parser", "parallax_paragraphs"}
    keep |= {name for name in nlp.pipe_names if set(_listeners(nlp, name)) & keep}
    disabled = [name for name in nlp.pipe_names if name not in keep]
    with nlp.select_pipes(disable=disabled):
        docs = nlp.pipe(heads, batch_size=batch_size)
        return [clustering_entities(a, doc) for a, doc in zip(articles, docs, strict=True)]


def entities_before_cut(
    doc, length: int, cut: int = NER_CHARS, margin: int = NER_MARGIN_TOKENS
) -> list:
    """The entities of `doc`, a parse of a text of `length` characters or of its first `cut`
    characters, that both parses find alike.

    All of them when the text is no longer than `cut`. Else only those that end before the
    last line break that comes at least `margin` tokens before the last whitespace before the
    cut. Why that is the same in both: up to that whitespace the whole text and its first
    `cut` characters are tokenised alike; a line break starts a sentence the parser must
    close everything before (`parallax_paragraphs`), deciding it from a few tokens after the
    break (its CNN's reach and one token of lookahead), and the NER, which never crosses a
    sentence start, decides a mention from a few tokens after it too. Mentions after that
    break are left out rather than guessed, and so is everything of a text with no line break
    early enough.
    """
    from parallax.nlp.doctext import doc_text

    if length <= cut:
        return list(doc.ents)
    text = doc_text(doc)
    last_space = _LAST_SPACE.search(text[:cut])
    if last_space is None:
        return []
    from spacy.attrs import IDX, LENGTH

    ends = doc.to_array(IDX) + doc.to_array(LENGTH)
    safe_tokens = int(np.searchsorted(ends, last_space.start(), side="right"))
    if safe_tokens <= margin:
        return []
    line_break = text.rfind("\n", 0, doc[safe_tokens - margin].idx)
    return [e for e in doc.ents if e.end_char <= line_break]


def clustering_entities(article: Article, doc) -> list[tuple[str, str, int]]:
    """(label, text, start in the kept text) of the mentions story clustering reads, from a
    parse of the article's masked text (whole, or its first NER_CHARS characters: the same
    mentions either way, see `entities_before_cut`)."""
    to_kept = _kept_offsets(article)
    ents = entities_before_cut(doc, len(article.text))
    return [(e.label_, e.text, to_kept(e.start_char)) for e in ents]


def _kept_offsets(article: Article):
    """A function from an offset in `Article.text` (not inside boilerplate) to the same
    character's offset in `Article.kept_text()`."""
    if not article.boilerplate:
        return lambda offset: offset
    # (start in text, start in kept text) of each kept part, as kept_text() joins them.
    parts: list[tuple[int, int]] = []
    kept = 0
    for text_start, part in article.kept_parts():
        parts.append((text_start, kept))
        kept += len(part) + 1
    text_starts = [start for start, _ in parts]

    def to_kept(offset: int) -> int:
        text_start, kept_start = parts[max(0, bisect_right(text_starts, offset) - 1)]
        return kept_start + offset - text_start

    return to_kept


def _listeners(nlp, name: str) -> list[str]:
    """The components that read the output of component `name` (a shared tok2vec's)."""
    return list(getattr(nlp.get_pipe(name), "listening_components", None) or [])


def lead_end(article: Article) -> int:
    """Where title and lead end in the kept text: mentions before it are weighted up."""
    title, lead = _title_and_lead(article)
    text = article.kept_text()
    covered = text.find(title) + len(title) if title and title in text else 0
    if lead:
        at = text.find(lead[:80], covered)
        if at >= 0:
            covered = at + len(lead)
    return covered

"""The work of a batch run in units both engines share: a chunk of articles, a group of stories.

`analyze_chunk` turns a chunk of articles into their analyses, clustering features and table
rows; `compare_group` turns a group of stories (their stored analyses) into dossiers and table
rows. Both call the public stage functions (`analyze_doc`, `article_features`,
`build_dossier`, `render`) with the process-wide models, which each worker process or Ray actor
loads once. Results are plain picklable dataclasses; the driver writes them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parallax.batch.state import Analysed, read_analyses
from parallax.model import AnalyzedArticle, Article
from parallax.report import tables

# spaCy parse batch inside a chunk (what `nlp.pipe` gets at once).
PARSE_BATCH = 16


def article_digest(article: Article) -> str:
    """sha256 of an article's source and text as read: an article is done when one with the
    same id and digest is in the state. Cleaning and metadata are left out on purpose: lines
    repeated across a batch of inputs are cleaned as boilerplate, so they may change when inputs
    are added beside it, and that must not make an analysed article look like another one."""
    return hashlib.sha256(f"{article.source}\n{article.text}".encode()).hexdigest()


def warm_models() -> None:
    """Load every model a worker needs (each once per process): the parallax pipeline and the
    sentence embedder (clustering features reuse the pipeline's parse)."""
    from parallax.embed import load_embedder
    from parallax.nlp.pipeline import load_nlp

    load_nlp()
    load_embedder()


def start_worker() -> None:
    """Set up a worker process: numerical libraries on one thread each (there is one worker
    per core; Ray does the same for its actors), then the models loaded."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)
    warm_models()


def warm_embedder() -> None:
    """Load the sentence embedder, the one model the comparison needs."""
    from parallax.embed import load_embedder

    load_embedder()


# --- analysis of a chunk ----------------------------------------------------------------


@dataclass
class StagedArticle:
    """An article waiting in a staged chunk, with its arrival number and digest."""

    seq: int
    digest: str
    article: Article


@dataclass
class ChunkResult:
    """What the analysis of one chunk gives back to the driver."""

    chunk: int
    analysed: list[Analysed]
    articles: list[dict] = field(default_factory=list)
    attributions: list[dict] = field(default_factory=list)


def write_staged(path: Path, staged: Sequence[StagedArticle]) -> None:
    """Write a chunk's articles as gzipped JSON Lines (written whole, then renamed)."""
    temporary = path.with_name(path.name + ".tmp")
    with gzip.open(temporary, "wt", encoding="utf-8", compresslevel=3) as handle:
        for item in staged:
            record = {"seq": item.seq, "digest": item.digest, "article": item.article.model_dump()}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    temporary.replace(path)


def read_staged(path: Path) -> list[StagedArticle]:
    """The articles of a staged chunk, as written by `write_staged`."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [
            StagedArticle(r["seq"], r["digest"], Article.model_validate(r["article"]))
            for r in map(json.loads, handle)
        ]


def analyze_chunk(chunk: int, staged: Sequence[StagedArticle]) -> ChunkResult:
    """Analyse a chunk of articles and compute their clustering features.

    The chunk is parsed in `nlp.pipe` batches; when the batch fails, each article is retried
    alone so that one bad article costs only itself (it comes back with `error` set).
    """
    articles = [s.article for s in staged]
    try:
        analysed, features = _analyze(articles)
    except Exception:  # noqa: BLE001 - any failure of a stage: isolate the culprit below
        analysed, features = [], []
        for article in articles:
            try:
                one_analysis, one_features = _analyze([article])
                analysed.extend(one_analysis)
                features.extend(one_features)
            except Exception as exc:  # noqa: BLE001
                analysed.append(f"analysis failed ({type(exc).__name__}: {exc})")
                features.append(None)
    result = ChunkResult(chunk=chunk, analysed=[])
    for item, analysis, feature in zip(staged, analysed, features, strict=True):
        if isinstance(analysis, str):
            result.analysed.append(
                Analysed(item.seq, item.article.id, item.digest, None, None, None, analysis)
            )
            continue
        published = feature.published.timestamp() if feature.published else None
        result.analysed.append(
            Analysed(
                seq=item.seq,
                id=item.article.id,
                digest=item.digest,
                analysis=zlib.compress(analysis.model_dump_json().encode("utf-8"), 6),
                features=zlib.compress(pickle.dumps(feature, protocol=5), 6),
                published=published,
            )
        )
        result.articles.append(tables.article_row(analysis, item.digest))
        result.attributions.extend(tables.attribution_row(a) for a in analysis.attributions)
    return result


def _analyze(articles: list[Article]) -> tuple[list[AnalyzedArticle], list]:
    """The analyses and clustering features of the articles, from one parse of each: the
    features take their entities from the analysis parse (`clustering_entities`), the same
    mentions `article_features` finds with its own NER pass."""
    from parallax.analyze import analyze_doc
    from parallax.cluster.features import article_features, clustering_entities
    from parallax.nlp.pipeline import load_nlp

    docs = load_nlp().pipe((a.masked_text() for a in articles), batch_size=PARSE_BATCH)
    analysed, entities = [], []
    for article, doc in zip(articles, docs, strict=True):
        analysed.append(analyze_doc(article, doc))
        entities.append(clustering_entities(article, doc))
    return analysed, article_features(articles, entities=entities)


def analyze_staged(chunk: int, path: str) -> ChunkResult:
    """`analyze_chunk` on a staged chunk file (what a worker process runs)."""
    return analyze_chunk(chunk, read_staged(Path(path)))


def load_features(blob: bytes):
    """The ArticleFeatures stored by `analyze_chunk`."""
    return pickle.loads(zlib.decompress(blob))


# --- comparison of a group of stories ------------------------------------------------------


@dataclass
class GroupTask:
    """A group of consecutive stories whose dossiers are built and written together."""

    number: int
    fingerprint: str
    stories: list[list[int]]


@dataclass
class StoryPayload:
    """A group of stories with their stored analyses, ready to compare."""

    task: GroupTask
    analyses: list[list[bytes]]


@dataclass
class GroupResult:
    """Dossiers (rendered) and table rows of a group of stories."""

    number: int
    fingerprint: str
    story_ids: list[str]
    rendered: list[str]
    claims: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)


def load_group(state_path: str, task: GroupTask) -> StoryPayload:
    """Read a group's analyses from the state (runs where the state file is)."""
    flat = [seq for story in task.stories for seq in story]
    blobs = iter(read_analyses(Path(state_path), flat))
    return StoryPayload(task, [[next(blobs) for _ in story] for story in task.stories])


def compare_group(payload: StoryPayload, fmt: str) -> GroupResult:
    """Build the dossier of every story of a group, render it in `fmt`, and its table rows."""
    from parallax.compare.dossier import build_dossier
    from parallax.report import render

    task = payload.task
    result = GroupResult(task.number, task.fingerprint, [], [])
    for blobs in payload.analyses:
        analyzed = [
            AnalyzedArticle.model_validate_json(zlib.decompress(blob).decode("utf-8"))
            for blob in blobs
        ]
        dossier = build_dossier(analyzed)
        result.story_ids.append(dossier.story)
        result.rendered.append(render(dossier, fmt))
        result.claims.extend(tables.claim_rows(dossier))
        result.conflicts.extend(tables.conflict_rows(dossier))
    return result


def compare_stored(state_path: str, task: GroupTask, fmt: str) -> GroupResult:
    """`compare_group` on a group read from the state (what a worker process runs)."""
    return compare_group(load_group(state_path, task), fmt)

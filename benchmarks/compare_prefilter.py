"""How the static pre-filter of the comparison changes dossiers, and how much it embeds.

Reads the stories and stored analyses of a `parallax batch` output folder (kept with
`benchmarks/batch.py --keep DIR`), rebuilds each dossier of several articles with every claim
embedded (the pre-filter off) and with the pre-filter at each given cosine, and compares them:

- embedded: the share of claim units sent to the transformer;
- recall: of the units whose transformer vector has a cosine of at least 0.5 (0.65) with a
  unit of another article, the share the pre-filter keeps;
- alignment agreement: the share of claim mentions whose decision is unchanged: the same
  status (corroborated / single_source / contested) and the same mentions in their claim;
- conflicts and relations: how many are identical (by kind and the mentions of their sides);
- time: seconds of `build_dossier` over all those stories, one process.

One JSON object per cosine on stdout.

    nice .venv/bin/python benchmarks/compare_prefilter.py DIR [--cosines 0.4 0.5 0.6]
"""

from __future__ import annotations

import argparse
import json
import os
import time
import zlib
from pathlib import Path

import numpy as np

from parallax.batch.state import RunState, read_analyses
from parallax.compare.align import embedding_text
from parallax.compare.dossier import _is_headline, build_actors, build_dossier
from parallax.embed import load_embedder, load_static_embedder
from parallax.model import AnalyzedArticle


def stories_of(out: Path) -> list[list[AnalyzedArticle]]:
    """The analysed articles of every story of several articles in a batch output folder."""
    path = out / ".parallax" / "state.sqlite"
    state = RunState(path)
    stories = [s for s in state.stories() if len(s) > 1]
    state.close()
    found = []
    for story in stories:
        blobs = read_analyses(path, story)
        found.append(
            [AnalyzedArticle.model_validate_json(zlib.decompress(b).decode()) for b in blobs]
        )
    return found


def decisions(dossier) -> dict[tuple, tuple]:
    """Per claim mention (article, start, end): its claim's status and all its mentions."""
    out = {}
    for claim in dossier.claims:
        keys = frozenset((m.article, tuple(m.span)) for m in claim.mentions)
        for key in keys:
            out[key] = (claim.status, keys)
    return out


def conflict_keys(dossier) -> set:
    """Each conflict as its kind and, per side, the mentions of the claims it names."""
    mentions = {
        c.id: frozenset((m.article, tuple(m.span)) for m in c.mentions) for c in dossier.claims
    }
    return {
        (
            c.kind,
            frozenset(frozenset(k for cid in s.claims for k in mentions[cid]) for s in c.sides),
        )
        for c in dossier.conflicts
    }


def relation_keys(dossier) -> set:
    mentions = {
        c.id: frozenset((m.article, tuple(m.span)) for m in c.mentions) for c in dossier.claims
    }
    return {(r.kind, frozenset(mentions[c] for c in r.claims)) for r in dossier.relations}


def recall(stories, cosines: list[float]) -> dict[float, dict]:
    """Embedded share and recall of the pre-filter per cosine (see the module docstring)."""
    embedder, static = load_embedder(), load_static_embedder()
    rows = {
        c: {"units": 0, "kept": 0, "close50": 0, "kept50": 0, "close65": 0, "kept65": 0}
        for c in cosines
    }
    for analyzed in stories:
        _, _, canonical = build_actors(analyzed)
        units = [u for a in analyzed for u in a.claims if not _is_headline(u, a)]
        if len({u.article for u in units}) < 2:
            continue
        texts = [embedding_text(u, canonical) for u in units]
        full, fast = embedder.embed(texts), static.embed(texts)
        articles = np.array([hash(u.article) for u in units])
        other = articles[:, None] != articles[None, :]
        best_full = np.where(other, full @ full.T, -1).max(axis=1)
        best_fast = np.where(other, fast @ fast.T, -1).max(axis=1)
        for c in cosines:
            kept = best_fast >= c
            r = rows[c]
            r["units"] += len(units)
            r["kept"] += int(kept.sum())
            r["close50"] += int((best_full >= 0.5).sum())
            r["kept50"] += int((kept & (best_full >= 0.5)).sum())
            r["close65"] += int((best_full >= 0.65).sum())
            r["kept65"] += int((kept & (best_full >= 0.65)).sum())
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cosines", type=float, nargs="+", default=[0.4, 0.5, 0.6])
    parser.add_argument("--no-dossiers", action="store_true")
    args = parser.parse_args()
    stories = stories_of(args.out)
    rows = recall(stories, args.cosines)
    if args.no_dossiers:
        for c, r in rows.items():
            print(json.dumps({"cosine": c, **r}), flush=True)
        return

    def build_all(setting: str) -> tuple[list, float]:
        os.environ["PARALLAX_PREFILTER_COSINE"] = setting
        start = time.perf_counter()
        built = [build_dossier(s) for s in stories]
        return built, time.perf_counter() - start

    build_all("off")  # warm: the embedder's cache then holds every text
    reference, reference_seconds = build_all("off")
    for c in args.cosines:
        built, seconds = build_all(str(c))
        same = total = 0
        conflicts_same = conflicts_total = relations_same = relations_total = 0
        for a, b in zip(reference, built, strict=True):
            da, db = decisions(a), decisions(b)
            total += len(da)
            same += sum(1 for k, v in da.items() if db.get(k) == v)
            ca, cb = conflict_keys(a), conflict_keys(b)
            conflicts_total += len(ca | cb)
            conflicts_same += len(ca & cb)
            ra, rb = relation_keys(a), relation_keys(b)
            relations_total += len(ra | rb)
            relations_same += len(ra & rb)
        r = rows[c]
        print(
            json.dumps(
                {
                    "cosine": c,
                    "stories": len(stories),
                    "embedded_share": round(r["kept"] / max(r["units"], 1), 4),
                    "recall_050": round(r["kept50"] / max(r["close50"], 1), 4),
                    "recall_065": round(r["kept65"] / max(r["close65"], 1), 4),
                    "mentions": total,
                    "alignment_agreement": round(same / max(total, 1), 4),
                    "conflicts_same": f"{conflicts_same}/{conflicts_total}",
                    "relations_same": f"{relations_same}/{relations_total}",
                    "seconds_cached": round(seconds, 1),
                    "seconds_cached_off": round(reference_seconds, 1),
                    **r,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()

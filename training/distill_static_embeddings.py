"""Distil a static word-piece matrix from the packaged all-MiniLM-L6-v2 (no download, no data).

The comparison uses it to find which claims could have a close wording in another article
before it runs the transformer (`parallax.embed.StaticEmbedder`, docs/performance.md). The
recipe follows the published idea of model2vec (Tulkens and van Dongen, 2024), written here
from its description:

1. each word piece of the tokenizer's vocabulary is run through the model alone, between
   [CLS] and [SEP], and its output is mean-pooled like a sentence;
2. the vectors are centred and projected on their first `--dims` principal components;
3. each row is scaled by a smooth-inverse-frequency weight a / (a + p), with p estimated from
   the word piece's rank under Zipf's law: the uncased BERT vocabulary lists whole words
   roughly by frequency from "the" (id 1996) on;
4. the mean static vector of the sentences of the ECB+ dev texts (../shared/data) is kept as
   the centre that every sentence vector is moved away from before the cosine: summed word
   pieces all share a common direction, which would make every pair look alike.

Writes `src/parallax/static_minilm.npz` (`matrix`: float16, vocabulary x dims; `centre`).
Deterministic: the same model file and texts give the same matrix.

    .venv/bin/python training/distill_static_embeddings.py [--dims 128]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import numpy as np

from parallax.embed import DIMENSIONS, STATIC_FILE, StaticEmbedder, load_embedder

CLS, SEP = 101, 102
# First id of the frequency-ordered whole words ("the"); below it: specials, [unusedN],
# single characters (mostly punctuation), which are treated as very frequent.
FIRST_WORD = 1996
SIF_A = 1e-3


def token_vectors(batch: int = 512) -> np.ndarray:
    """The pooled model output of every word piece on its own, vocabulary x DIMENSIONS."""
    embedder = load_embedder()
    size = embedder.vocabulary_size
    out = np.zeros((size, DIMENSIONS), dtype=np.float32)
    for begin in range(0, size, batch):
        rows = [[CLS, i, SEP] for i in range(begin, min(size, begin + batch))]
        out[begin : begin + len(rows)] = embedder.pooled_ids(rows)
    return out


def principal_components(vectors: np.ndarray, dims: int) -> np.ndarray:
    """The centred vectors projected on their first `dims` principal axes."""
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    return centred @ axes[:dims].T


def zipf_weights(size: int) -> np.ndarray:
    """Smooth-inverse-frequency weights from each word piece's Zipf rank (see above)."""
    ranks = np.arange(size, dtype=np.float64) - FIRST_WORD + 1
    ranks[:FIRST_WORD] = 10.0
    harmonic = np.log(size) + 0.5772
    probability = 1.0 / (ranks * harmonic)
    return SIF_A / (SIF_A + probability)


ECB_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev"


def sentences(folder: Path) -> list[str]:
    """Sentences of five words or more of the texts in `folder`, split at end punctuation."""
    found = []
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text("utf-8").splitlines():
            found += [s for s in re.split(r"(?<=[.!?])\s+", line.strip()) if len(s.split()) >= 5]
    return found


def centre_of(matrix: np.ndarray, texts: list[str]) -> np.ndarray:
    """The mean of the texts' normalised static vectors (summed rows of their word pieces):
    `StaticEmbedder` with no centre yet."""
    uncentred = StaticEmbedder(matrix, np.zeros(matrix.shape[1]), load_embedder())
    return uncentred.embed(texts).mean(axis=0, dtype=np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", type=Path, default=STATIC_FILE)
    args = parser.parse_args()
    start = time.perf_counter()
    vectors = token_vectors()
    matrix = principal_components(vectors, args.dims) * zipf_weights(len(vectors))[:, None]
    matrix = matrix.astype(np.float16)
    texts = sentences(ECB_TEXTS)
    if not texts:
        raise SystemExit(f"no texts in {ECB_TEXTS} (../shared/data)")
    centre = centre_of(matrix.astype(np.float32), texts).astype(np.float32)
    np.savez(args.out, matrix=matrix, centre=centre)
    print(f"{args.out}: {matrix.shape} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()

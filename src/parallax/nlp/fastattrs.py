"""Array versions of spaCy's attribute ruler and lemmatizer that give exactly their output.

The stock components are slow in Python per token: the attribute ruler runs a `Matcher` of
179 patterns over every token and sets each match through a `Span`; the rule lemmatizer
builds a `Token`, its `MorphAnalysis` and often a feature dict for every token, and caches
nothing for base forms. Both read a few token attributes only (the ruler: the matched
attributes of a token and its neighbour; the lemmatizer: ORTH, POS and MORPH), so their
result is cached by exactly those inputs and written back with `Doc.from_array`.

`load_nlp` swaps them in; `load_spacy` (the benchmarks' baseline) keeps the stock ones.
Rules or modes this module does not interpret make the constructors refuse (`Unsupported`),
and `load_nlp` then keeps the stock component.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

# Token attributes a ruler pattern may test here (`Doc.to_array` and the matcher read them alike).
MATCHABLE = {
    "ORTH": ORTH,
    "TEXT": ORTH,
    "LOWER": LOWER,
    "NORM": NORM,
    "TAG": TAG,
    "DEP": DEP,
    "IS_SPACE": IS_SPACE,
}
# Attributes a rule may set: plain token fields (no lexeme flags, no extensions).
SETTABLE = (POS, TAG, DEP, MORPH, LEMMA)
# Entries a cache keeps before it starts again: a month of crawl must not grow it without end.
CACHE_LIMIT = 500_000
# Lemmatizer modes whose result depends on ORTH, POS and MORPH only.
PURE_MODES = ("rule", "lookup")


class Unsupported(ValueError):
    """A rule or mode this module cannot reproduce exactly: keep the stock component."""


@dataclass
class _Column:
    """What the ruler's token specs ask of one token attribute, as bits (one bit per spec):
    `free` for the specs that do not test it, `exact` by value for equality and IN, `negated`
    for NOT_IN (cleared by `excluded` values), `searched` for REGEX, tested on the string."""

    attr: int
    free: int = 0
    exact: dict[int, int] = field(default_factory=dict)
    negated: int = 0
    excluded: dict[int, int] = field(default_factory=dict)
    searched: list[tuple[int, re.Pattern]] = field(default_factory=list)

    def add(self, bit: int, spec_value: object) -> None:
        """Record the test of spec `bit` on this attribute, with the matcher's semantics:
        hashes compared (0 / 1 for a flag), REGEX searched in the string."""
        if isinstance(spec_value, bool | str):
            value = int(spec_value) if isinstance(spec_value, bool) else get_string_id(spec_value)
            self.exact[value] = self.exact.get(value, 0) | bit
            return
        if isinstance(spec_value, dict) and len(spec_value) == 1:
            ((predicate, argument),) = spec_value.items()
            if predicate in ("IN", "NOT_IN") and isinstance(argument, list):
                if not all(isinstance(v, str) for v in argument):
                    raise Unsupported(f"non-string values in {predicate}")
                target = self.exact if predicate == "IN" else self.excluded
                for value in {get_string_id(v) for v in argument}:
                    target[value] = target.get(value, 0) | bit
                if predicate == "NOT_IN":
                    self.negated |= bit
                return
            if predicate == "REGEX" and isinstance(argument, str):
                self.searched.append((bit, re.compile(argument)))
                return
        raise Unsupported(f"token predicate {spec_value!r}")

    def mask(self, value: int, text: Callable[[int], str]) -> int:
        """The bits of the specs that a token with this value of the attribute satisfies."""
        bits = self.free | self.exact.get(value, 0) | (self.negated & ~self.excluded.get(value, 0))
        for bit, pattern in self.searched:
            if pattern.search(text(value)):
                bits |= bit
        return bits


@dataclass(frozen=True)
class _Rule:
    """One pattern of the ruler: the bits of its token specs, the rule's number (later numbers
    win) and the position in the match of the token it sets."""

    bits: tuple[int, ...]
    number: int
    target: int


def _compile(ruler: AttributeRuler) -> tuple[list[_Rule], list[_Column]]:
    """The ruler's patterns as `_Rule`s over spec bits, and the columns testing them; refuses
    operators, extensions, unknown attributes, patterns longer than two tokens and rules
    setting anything outside SETTABLE."""
    rules: list[_Rule] = []
    specs: list[dict] = []
    for number, entry in enumerate(ruler.patterns):
        if any(key not in SETTABLE for key in ruler.attrs[number]):
            raise Unsupported(f"rule {number} sets {entry['attrs']!r}")
        for pattern in entry["patterns"]:
            if not 1 <= len(pattern) <= 2 or any("OP" in spec for spec in pattern):
                raise Unsupported(f"pattern {pattern!r}")
            index = entry["index"]
            if not -len(pattern) <= index < len(pattern):
                raise Unsupported(f"index {index} outside {pattern!r}")
            bits = tuple(1 << (len(specs) + k) for k in range(len(pattern)))
            specs.extend(pattern)
            rules.append(_Rule(bits, number, index % len(pattern)))
    columns: dict[int, _Column] = {}
    for k, spec in enumerate(specs):
        for name, value in spec.items():
            attr = MATCHABLE.get(name.upper()) if isinstance(name, str) else None
            if attr is None:
                raise Unsupported(f"token attribute {name!r}")
            columns.setdefault(attr, _Column(attr)).add(1 << k, value)
    every = (1 << len(specs)) - 1
    for column in columns.values():
        tested = 0
        for k, spec in enumerate(specs):
            if any(MATCHABLE[name.upper()] == column.attr for name in spec):
                tested |= 1 << k
        column.free = every & ~tested
    return rules, list(columns.values())


class ArrayAttributeRuler:
    """The stock `AttributeRuler`'s result, computed from bit masks cached per attribute value
    and written through arrays.

    The stock ruler applies every match in rule order, later rules winning attribute by
    attribute. Here a token's spec bits are the AND of what each tested attribute's value
    satisfies (cached by value); a single-token rule matches where its bit is set, a
    two-token rule where its first bit is set on a token and its second on the next one.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab = ruler.vocab
        self.attrs = [dict(a) for a in ruler.attrs]
        self.rules, self.tested = _compile(ruler)
        self.singles = [r for r in self.rules if len(r.bits) == 1]
        self.pairs = [r for r in self.rules if len(r.bits) == 2]
        self.firsts = sum(r.bits[0] for r in self.pairs)
        self.seconds = sum(r.bits[1] for r in self.pairs)
        self.columns = sorted({key for attrs in self.attrs for key in attrs})
        self._masks: list[dict[int, int]] = [{} for _ in self.tested]
        self._singles: dict[int, tuple[int, ...]] = {}
        self._writes: dict[tuple[int, ...], tuple[int | None, ...]] = {}

    def _text(self, value: int) -> str:
        return self.vocab.strings[value]

    def _token_masks(self, doc: Doc) -> list[int]:
        """Per token, the bits of the specs it satisfies."""
        values = doc.to_array([c.attr for c in self.tested])
        masks: list[int] | None = None
        for j, column in enumerate(self.tested):
            cache = self._masks[j]
            if len(cache) > CACHE_LIMIT:
                cache.clear()
            distinct, inverse = np.unique(values[:, j], return_inverse=True)
            found = []
            for value in distinct.tolist():
                bits = cache.get(value)
                if bits is None:
                    bits = cache[value] = column.mask(value, self._text)
                found.append(bits)
            column_masks = [found[k] for k in inverse.reshape(-1).tolist()]
            masks = column_masks if masks is None else list(map(operator.and_, masks, column_masks))
        return masks or []

    def _single_numbers(self, mask: int) -> tuple[int, ...]:
        """The numbers of the single-token rules a token with these spec bits matches."""
        found = self._singles.get(mask)
        if found is None:
            found = self._singles[mask] = tuple(r.number for r in self.singles if mask & r.bits[0])
        return found

    def matched(self, doc: Doc) -> list[tuple[int, ...]]:
        """Per token, the sorted numbers of the rules that set it."""
        masks = self._token_masks(doc)
        numbers = [self._single_numbers(m) for m in masks]
        for i in range(len(masks) - 1):
            if masks[i] & self.firsts and masks[i + 1] & self.seconds:
                for rule in self.pairs:
                    if masks[i] & rule.bits[0] and masks[i + 1] & rule.bits[1]:
                        target = i + rule.target
                        numbers[target] = tuple(sorted({*numbers[target], rule.number}))
        return numbers

    def _row(self, numbers: tuple[int, ...]) -> tuple[int | None, ...]:
        """The value each written column gets from the rules `numbers` (later rules win), or
        None where none of them sets it."""
        found = self._writes.get(numbers)
        if found is None:
            values: dict[int, int] = {}
            for number in numbers:
                values.update(self.attrs[number])
            found = self._writes[numbers] = tuple(values.get(key) for key in self.columns)
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc) or not self.columns:
            return doc
        keys: dict[tuple[int, ...], int] = {}
        index = np.array([keys.setdefault(n, len(keys)) for n in self.matched(doc)])
        rows = [self._row(n) for n in keys]
        array = doc.to_array(self.columns)
        for column in range(len(self.columns)):
            written = np.array([row[column] is not None for row in rows])
            value = np.array([row[column] or 0 for row in rows], dtype=np.uint64)
            array[:, column] = np.where(written[index], value[index], array[:, column])
        doc.from_array(self.columns, array)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


def _with_set_index(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A copy of `lemmatizer` whose `lemma_index` word lists are frozensets.

    The rule lemmatizer only asks whether a candidate form is `in` a part of speech's index
    (and whether that index is empty), the same answers from a set; the lists it ships hold up
    to 57,528 nouns, so each candidate was a linear scan. The stock object is left unchanged.
    """
    if "lemma_index" not in lemmatizer.lookups:
        return lemmatizer
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            table = Table(name, {key: frozenset(words) for key, words in table.items()})
        lookups.set_table(name, table)
    copy = type(lemmatizer)(
        lemmatizer.vocab,
        lemmatizer.model,
        lemmatizer.name,
        mode=lemmatizer.mode,
        overwrite=lemmatizer.overwrite,
    )
    copy.initialize(lookups=lookups)
    return copy


class ArrayLemmatizer:
    """The stock `Lemmatizer`'s result (rule or lookup mode), cached by the token's ORTH, POS
    and MORPH, the only attributes those modes read, and written through arrays. A cache miss
    asks a copy of the stock lemmatizer whose word indexes are sets (`_with_set_index`), so the
    lemma is the stock code's own."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode not in PURE_MODES:
            raise Unsupported(f"lemmatizer mode {lemmatizer.mode!r}")
        self.lemmatizer = _with_set_index(lemmatizer)
        self.vocab = lemmatizer.vocab
        self.overwrite = lemmatizer.overwrite
        self._cache: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        array = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = array[:, 3].copy()
        todo = np.ones(len(doc), dtype=bool) if self.overwrite else lemmas == 0
        if not todo.any():
            return doc
        distinct, inverse = np.unique(array[todo, :3], axis=0, return_inverse=True)
        # A token of each distinct (ORTH, POS, MORPH), any one: they all get the same lemma.
        first = np.zeros(len(distinct), dtype=np.int64)
        first[inverse.reshape(-1)] = np.flatnonzero(todo)
        hashes: dict[str, int] = {}
        found = np.zeros(len(distinct), dtype=np.uint64)
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        for k, key in enumerate(map(tuple, distinct.tolist())):
            text = self._cache.get(key)
            if text is None:
                text = self._cache[key] = self.lemmatizer.lemmatize(doc[int(first[k])])[0]
            value = hashes.get(text)
            if value is None:
                # Added per doc, as the stock `lemma_` setter adds it.
                value = hashes[text] = self.vocab.strings.add(text)
            found[k] = value
        lemmas[todo] = found[inverse.reshape(-1)]
        doc.from_array([LEMMA], np.ascontiguousarray(lemmas, dtype=np.uint64))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("parallax_array_attribute_ruler")
def make_array_attribute_ruler(nlp: Language, name: str) -> ArrayAttributeRuler:
    """The array ruler of the pipeline's own `attribute_ruler` (added beside it)."""
    return ArrayAttributeRuler(nlp.get_pipe("attribute_ruler"))


@Language.factory("parallax_array_lemmatizer")
def make_array_lemmatizer(nlp: Language, name: str) -> ArrayLemmatizer:
    """The array lemmatizer of the pipeline's own `lemmatizer` (added beside it)."""
    return ArrayLemmatizer(nlp.get_pipe("lemmatizer"))


def swap_in(nlp: Language) -> list[str]:
    """Replace the stock `attribute_ruler` and `lemmatizer` of `nlp` by their array versions
    under the same names; a component whose rules are unsupported stays as it is. Returns the
    names replaced."""
    replaced = []
    for name, factory in (
        ("attribute_ruler", "parallax_array_attribute_ruler"),
        ("lemmatizer", "parallax_array_lemmatizer"),
    ):
        if name not in nlp.pipe_names:
            continue
        try:
            nlp.add_pipe(factory, name=f"{name}_array", after=name)
        except Unsupported:
            continue
        nlp.remove_pipe(name)
        nlp.rename_pipe(f"{name}_array", name)
        replaced.append(name)
    return replaced


__all__ = ["ArrayAttributeRuler", "ArrayLemmatizer", "Unsupported", "swap_in"]

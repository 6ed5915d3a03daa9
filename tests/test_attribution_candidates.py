"""Speaker and content candidates of a cue, on parses of short sentences (real model)."""

from __future__ import annotations

from spacy.tokens import Token

from parallax.nlp.attribution import (
    _clause_shape,
    _speaker_kind,
    _speaker_of,
    _speaker_span,
    candidate_features,
    content_candidates,
    doc_arrays,
)


def _token(doc, word: str) -> Token:
    return next(t for t in doc if t.text == word)


def _candidate_texts(doc, cue: Token) -> set[str]:
    return {doc[start:end].text for _, start, end in content_candidates(doc, cue)}


def test_seem_and_appear_have_no_speaker(bare_nlp):
    doc = bare_nlp("Clinton appeared to have the most to gain from the debate.")
    assert _speaker_of(_token(doc, "appeared")) is None


def test_seem_governing_a_reporting_verb_has_its_subject_as_speaker(bare_nlp):
    doc = bare_nlp("The messages seem to show that the aides met the donors twice.")
    speaker = _speaker_of(_token(doc, "seem"))
    assert speaker is not None and speaker.text == "messages"


def test_speaker_after_the_verb_in_a_quote_tag(bare_nlp):
    doc = bare_nlp("“The plan is dead,” opined Cleveland's Plain Dealer.")
    speaker = _speaker_of(_token(doc, "opined"))
    assert speaker is not None and speaker.text == "Dealer"


def test_noun_a_participle_hangs_on_speaks_without_the_participle(bare_nlp):
    doc = bare_nlp("Investigators found handwritten ledgers showing payments to Mr. Manafort.")
    cue = _token(doc, "showing")
    speaker = _speaker_of(cue)
    assert speaker is not None and speaker.text == "ledgers"
    assert _speaker_span(speaker, cue).text == "handwritten ledgers"


def test_closing_comma_of_an_apposition_stays_in_the_speaker(bare_nlp):
    doc = bare_nlp("Dean Johnson, a salesman from Sumter, said the plant would close.")
    speaker = _speaker_of(_token(doc, "said"))
    assert _speaker_span(speaker).text == "Dean Johnson, a salesman from Sumter,"


def test_candidates_reach_the_object_of_an_open_complement(bare_nlp):
    doc = bare_nlp("On Monday, Trump refused to endorse Ryan in the primary.")
    assert "Ryan" in _candidate_texts(doc, _token(doc, "refused"))


def test_candidates_include_the_subject_of_a_passive(bare_nlp):
    doc = bare_nlp("A motion for a roll-call vote on the rules has since been denied.")
    assert "A motion for a roll-call vote on the rules" in _candidate_texts(
        doc, _token(doc, "denied")
    )


def test_candidates_are_also_cut_at_their_first_comma(bare_nlp):
    doc = bare_nlp(
        "The speechwriter said the deal-breaker was his proposal to ban Muslims from entering "
        "the country, a plan the billionaire has modified in recent weeks."
    )
    texts = _candidate_texts(doc, _token(doc, "said"))
    assert "the deal-breaker was his proposal to ban Muslims from entering the country" in texts


def _span_features(doc, cue: Token, text: str) -> list[str]:
    kind, start, end = next(
        c for c in content_candidates(doc, cue) if doc[c[1] : c[2]].text == text
    )
    return candidate_features(doc, cue, kind, start, end)


def test_a_span_of_two_phrases_names_what_its_second_one_hangs_on(bare_nlp):
    doc = bare_nlp("Harry Reid attacked the Koch brothers from the Senate floor.")
    cue = _token(doc, "attacked")
    assert "tops=0" in _span_features(doc, cue, "the Koch brothers")
    two = _span_features(doc, cue, "the Koch brothers from the Senate floor")
    assert "tops=1" in two
    assert "extra=prep|from" in two


def test_root_of_a_token_range_is_its_first_token_headed_outside_it(bare_nlp):
    doc = bare_nlp("Harry Reid attacked the Koch brothers from the Senate floor.")
    arrays = doc_arrays(doc)
    assert doc[arrays.root(3, 6)].text == "brothers"
    assert doc[arrays.root(0, len(doc))].text == "attacked"
    assert (3, 6) in arrays.roots  # kept for the next candidate of the same range


def test_clause_shape_tells_a_full_clause_from_a_bare_phrase(bare_nlp):
    doc = bare_nlp("Orlov said the fire was set on purpose.")
    root = next(t for t in _token(doc, "said").children if t.dep_ == "ccomp")
    assert _clause_shape(root, root.left_edge.i, root.right_edge.i + 1) == "subj|fin"
    doc = bare_nlp("Orlov warned of more attacks.")
    attacks = _token(doc, "attacks")
    assert _clause_shape(attacks, attacks.left_edge.i, attacks.i + 1) == "-|-"


def test_clause_shape_counts_only_a_subject_inside_the_candidate(bare_nlp):
    doc = bare_nlp("Orlov said the fire was set on purpose.")
    root = next(t for t in _token(doc, "said").children if t.dep_ == "ccomp")
    # Cut after the subject: what is left has a finite verb but no subject of its own.
    begin = _token(doc, "was").i
    assert _clause_shape(root, begin, root.right_edge.i + 1) == "-|fin"


def test_speaker_kind_names_what_the_speaker_rule_found(bare_nlp):
    doc = bare_nlp("He said the depot was unsafe.")
    assert _speaker_kind(_token(doc, "said")) == "PRON"
    doc = bare_nlp("Clinton appeared to have the most to gain from the debate.")
    assert _speaker_kind(_token(doc, "appeared")) == "none"

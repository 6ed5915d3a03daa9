"""find_quotes: quotation spans in raw text, without a model."""

from parallax.nlp.attribution import find_quotes
from parallax.nlp.marks import mark_double_apostrophes


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in find_quotes(text)]


def test_curly_and_straight_double_quotes_are_found_with_their_marks():
    text = 'He said “we will win,” and she said "no way".'
    assert _texts(text) == ["“we will win,”", '"no way"']


def test_apostrophes_do_not_open_quotes():
    text = "That’s Putin’s view, the Kremlin’s aides said."
    assert find_quotes(text) == []


def test_single_curly_quotes_in_headlines():
    text = "Lukashenko says attackers ‘tried to flee to Belarus’"
    assert _texts(text) == ["‘tried to flee to Belarus’"]


def test_quote_split_around_cue_gives_two_spans():
    text = "“It was a trap,” he said, “and we knew it.”"
    assert _texts(text) == ["“It was a trap,”", "“and we knew it.”"]


def test_unclosed_quote_runs_into_next_paragraph_that_opens_with_a_mark():
    text = "“First paragraph of the speech.\n\n“Second paragraph,” he said."
    spans = find_quotes(text)
    assert len(spans) == 1
    start, end = spans[0]
    assert start == 0 and text[end - 1] == "”" and "Second paragraph" in text[start:end]


def test_unclosed_quote_without_continuation_ends_with_its_paragraph():
    text = "He said: “An opening mark that never closes.  \n\nA plain paragraph."
    assert _texts(text) == ["“An opening mark that never closes."]


def test_two_apostrophes_stand_for_a_double_mark():
    text = "''We are offering our community the chance,'' Ms. White said - ''So terrible.''"
    assert _texts(text) == ["''We are offering our community the chance,''", "''So terrible.''"]


def test_two_apostrophes_keep_offsets_and_length():
    text = "He said ''no,'' twice."
    marked = mark_double_apostrophes(text)
    assert len(marked) == len(text)
    assert marked.index('"') == text.index("''")
    assert mark_double_apostrophes("It's Bill's.") == "It's Bill's."

"""Pure view helpers: highlight segments, mention context, CSV cells."""

from __future__ import annotations

import csv
import io

from parallax.web.views import context_around, csv_cell, segments, to_csv


def test_segments_cover_the_text_exactly_with_overlapping_marks():
    text = "The minister said the fire was sabotage."
    marks = [
        (4, 12, "speaker:a1"),
        (13, 17, "cue:a1"),
        (18, 39, "content:a1"),
        (22, 26, "claim:c1"),
    ]
    pieces = segments(text, marks)
    assert "".join(p.text for p in pieces) == text
    labelled = {p.text: p.labels for p in pieces}
    assert labelled["minister"] == ("speaker:a1",)
    assert labelled["fire"] == ("content:a1", "claim:c1")
    assert labelled["The "] == ()


def test_segments_clip_marks_outside_the_text_and_drop_empty_ones():
    pieces = segments("abc", [(-5, 1, "x"), (2, 99, "y"), (1, 1, "z")])
    assert [(p.text, p.labels) for p in pieces] == [("a", ("x",)), ("b", ()), ("c", ("y",))]


def test_context_is_the_sentence_around_the_mention():
    text = "First sentence here. The fire killed 12 workers on Tuesday. Last one."
    start = text.index("killed")
    left, right = context_around(text, start, start + len("killed 12 workers"))
    assert text[left:right] == "The fire killed 12 workers on Tuesday."


def test_csv_cells_cannot_become_spreadsheet_formulas():
    assert csv_cell('=HYPERLINK("http://x")').startswith("'=")
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell(["a", "b"]) == "a; b"
    assert csv_cell(None) == ""
    document = to_csv(["claim", "text"], [["c1", 'He said "no", then left']])
    rows = list(csv.reader(io.StringIO(document)))
    assert rows == [["claim", "text"], ["c1", 'He said "no", then left']]

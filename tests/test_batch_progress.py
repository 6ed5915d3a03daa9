"""The progress line: rate, ETA and how it is written to a terminal or a log."""

from __future__ import annotations

import io

from parallax.batch.progress import Progress, format_duration, progress_text


def test_durations_read_short():
    assert format_duration(42) == "42s"
    assert format_duration(185) == "3m05s"
    assert format_duration(7620) == "2h07m"
    assert format_duration(float("nan")) == "?"


def test_rate_and_eta_come_from_the_average_so_far():
    text = progress_text("analyze", 120, 1000, "articles", 40.0)
    assert text == "analyze   120/1000 articles  3.0 articles/s  ETA 4m53s"


def test_eta_is_unknown_before_anything_is_done_or_without_a_total():
    assert progress_text("analyze", 0, 10, "articles", 5.0).endswith("ETA ?")
    assert progress_text("read", 7, None, "articles", 1.0).endswith("ETA ?")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn_in_place():
    stream = _Terminal()
    progress = Progress("analyze", 3, stream=stream)
    for _ in range(3):
        progress.advance()
    progress.close()
    written = stream.getvalue()
    assert written.startswith("\r\x1b[2Kanalyze   1/3 articles")
    assert written.count("\n") == 1 and "3/3 articles" in written and "done in" in written


def test_a_log_gets_a_line_now_and_then_and_the_final_count():
    stream = io.StringIO()
    progress = Progress("compare", 5, stream=stream, log_every=3600)
    for _ in range(5):
        progress.advance()
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("compare   5/5 articles")


def test_a_stage_with_nothing_left_says_so():
    stream = io.StringIO()
    Progress("compare", 0, stream=stream).close()
    assert stream.getvalue() == "compare   nothing left to do\n"

"""A progress line on stderr: done/total, items per second and the time left.

On a terminal the line is redrawn in place a few times a second; otherwise (a log file, CI)
one line is written every `log_every` seconds, so logs stay short.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def format_duration(seconds: float) -> str:
    """A short duration: "42s", "3m05s", "2h07m"; "?" when unknown."""
    if seconds != seconds or seconds < 0 or seconds == float("inf"):
        return "?"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def progress_text(label: str, done: int, total: int | None, unit: str, elapsed: float) -> str:
    """The progress line: "analyze  120/1000 articles  3.4 articles/s  ETA 4m19s".

    The rate is the average since the stage started; the ETA is unknown ("?") until something
    is done or when the total is not known.
    """
    rate = done / elapsed if elapsed > 0 else 0.0
    count = f"{done}/{total}" if total is not None else f"{done}"
    left = (total - done) / rate if total is not None and rate > 0 else float("nan")
    return f"{label:<9} {count} {unit}  {rate:.1f} {unit}/s  ETA {format_duration(left)}"


class Progress:
    """Counts work done in one stage and shows it on a stream (stderr by default)."""

    def __init__(
        self,
        label: str,
        total: int | None,
        unit: str = "articles",
        stream: TextIO | None = None,
        log_every: float = 10.0,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self._stream = stream or sys.stderr
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._every = 0.2 if self._tty else log_every
        self._start = time.monotonic()
        self._shown = 0.0 if self._tty else self._start

    def advance(self, count: int = 1) -> None:
        """Count `count` more items done; redraw when it is time."""
        self.done += count
        now = time.monotonic()
        if now - self._shown >= self._every:
            self._show(now)

    def close(self) -> None:
        """Show the final count and end the line."""
        self._show(time.monotonic(), final=True)

    def _show(self, now: float, final: bool = False) -> None:
        self._shown = now
        text = progress_text(self.label, self.done, self.total, self.unit, now - self._start)
        if final and self.total == 0:
            # A resumed run with the stage already done: say so rather than "0/0 ... 0.0/s".
            text = f"{self.label:<9} nothing left to do"
        elif final:
            text = f"{text.split('  ETA')[0]}  done in {format_duration(now - self._start)}"
        if self._tty:
            self._stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
        else:
            self._stream.write(text + "\n")
        self._stream.flush()

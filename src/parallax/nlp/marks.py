"""Quotation marks as outlets write them."""

from __future__ import annotations

import re


def mark_double_apostrophes(text: str) -> str:
    """The text with every "''" (two apostrophes standing for a double quotation mark, the
    house style of some outlets) rewritten as a straight double mark plus a filler character,
    the mark on the side of the quoted words, so that offsets do not move and a quotation
    spans both apostrophes at each end."""
    if "''" not in text:
        return text
    chars = list(text)
    for match in re.finditer("''", text):
        i = match.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 2] if i + 2 < len(text) else " "
        if not after.isspace() and (before.isspace() or before in "([—–-:,"):
            chars[i], chars[i + 1] = '"', "\x02"
        else:
            chars[i], chars[i + 1] = "\x02", '"'
    return "".join(chars)

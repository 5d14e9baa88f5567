"""Showing untrusted text literally.

Turn text comes from whoever typed it (or from an imported transcript): it may
hold Rich markup such as ``[red]``, ANSI escape sequences or other control
characters. The app never interprets them: escapes and control characters are
removed by ``coach.text.clean_text`` (the one place the project does that), and
what is left goes into ``rich.text.Text`` objects, which never parse markup, so
``[red]`` shows as the five characters it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from coach.text import clean_text, shorten


def visible(text: str) -> str:
    """The text with terminal escapes and control characters removed."""
    return clean_text(text or "")


def literal(text: str, style: str = "") -> Text:
    """A Text showing ``text`` exactly as written: no markup, no escapes obeyed."""
    return Text(visible(text), style=style, end="")


def how_many_fit(pieces: Sequence[str], width: int, sep: str) -> int:
    """How many of ``pieces``, joined by ``sep``, fit in ``width`` with room
    left for " +N" (the number of pieces left out); never fewer than one."""
    used = 0
    for i, piece in enumerate(pieces):
        rest = len(pieces) - i - 1
        gap = len(sep) if i else 0
        if i and used + gap + len(piece) + (len(f" +{rest}") if rest else 0) > width:
            return i
        used += gap + len(piece)
    return len(pieces)


def one_line(text: str, width: int = 60) -> str:
    """``text`` on one line, shortened to ``width`` characters at a word, with an ellipsis."""
    return shorten(" ".join(visible(text).split()), max(1, width))

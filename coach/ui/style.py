"""How scores look in the app: the colour of a score's band (the bands
themselves are scoring's, coach.scoring.band)."""

from __future__ import annotations

from rich.text import Text

from coach.scoring import band

#: Rich style per score band.
BAND_STYLE = {"good": "green", "fair": "yellow", "poor": "red"}


def score_style(score: float | None) -> str:
    return "" if score is None else BAND_STYLE[band(score)]


def score_text(score: float | None, *, justify: str = "left", bold: bool = False) -> Text:
    """A score as coloured text ("–" for none)."""
    if score is None:
        return Text("–", style="dim", justify=justify)
    style = score_style(score)
    return Text(f"{score:.0f}", style=f"bold {style}" if bold else style, justify=justify)

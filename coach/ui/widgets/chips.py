"""Label chips: a rep turn's labels as short coloured tags with their human names."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widgets import Static

from coach.labels import BAD, GOOD, LABELS, human


def chip_kind(label: str) -> str:
    """"good", "bad" or "neutral": how a label reads to a buyer."""
    if label in GOOD:
        return "good"
    if label in BAD:
        return "bad"
    return "neutral"


def ordered(labels: Iterable[str]) -> list[str]:
    """Labels in the contract's order (unknown names last), without repeats."""
    rank = {name: i for i, name in enumerate(LABELS)}
    return sorted(dict.fromkeys(labels), key=lambda name: (rank.get(name, len(rank)), name))


class Chips(Static):
    """One rep turn's labels, e.g. ``[open question] [curiosity] [pitching]``."""

    DEFAULT_CSS = """
    Chips {
        height: auto;
        width: 1fr;
        color: $text-muted;
    }
    Chips > .chip--good {
        background: $success-muted;
        color: $text-success;
    }
    Chips > .chip--bad {
        background: $error-muted;
        color: $text-error;
    }
    Chips > .chip--neutral {
        background: $panel;
        color: $text;
    }
    """

    COMPONENT_CLASSES = {"chip--good", "chip--bad", "chip--neutral"}

    def __init__(self, labels: Iterable[str] = (), *, pending: str | None = None, excused: Iterable[str] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.labels: list[str] = ordered(labels)
        #: Labels the buyer did not hold against the rep (self-interest once
        #: value was established): shown, but not as faults.
        self.excused: frozenset[str] = frozenset(excused)
        self.pending = pending

    def set_pending(self, note: str) -> None:
        """Show ``note`` instead of labels (the turn is not analysed or not
        answered); laid out again, since a long note takes more rows."""
        self.pending = note
        self.refresh(layout=True)

    def set_labels(self, labels: Iterable[str], excused: Iterable[str] = ()) -> None:
        self.labels = ordered(labels)
        self.excused = frozenset(excused)
        self.pending = None
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.pending is not None:
            return Text(self.pending, style="italic")
        if not self.labels:
            return Text("no labels", style="italic")
        text = Text(end="")
        for i, label in enumerate(self.labels):
            if i:
                text.append(" ")
            if label in self.excused:
                style = self.get_component_rich_style("chip--neutral")
                text.append(f" {human(label)}: fine here ", style=style)
                continue
            style = self.get_component_rich_style(f"chip--{chip_kind(label)}")
            text.append(f" {human(label)} ", style=style)
        return text
